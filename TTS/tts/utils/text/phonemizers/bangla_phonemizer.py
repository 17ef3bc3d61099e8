"""Bangla phonemizer (optional extra `bn`); see ``_optional.py``."""

from __future__ import annotations

from TTS.tts.utils.text.phonemizers._optional import OptionalPhonemizer

__all__ = ["BN_Phonemizer"]


class BN_Phonemizer(OptionalPhonemizer):
    language = "bn"
    language_name = "Bangla"
    packages = ("bangla", "bnnumerizer", "bnunicodenormalizer")
    extra = "bn"
    default_puncs = "、.,[]()?!〽~『』「」【】"
    default_keep_puncs = False

    @staticmethod
    def name() -> str:
        return "bn_phonemizer"
