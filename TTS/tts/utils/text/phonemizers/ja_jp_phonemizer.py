"""Japanese phonemizer (optional extra `ja`); see ``_optional.py``."""

from __future__ import annotations

from TTS.tts.utils.text.phonemizers._optional import OptionalPhonemizer

__all__ = ["JA_JP_Phonemizer"]


class JA_JP_Phonemizer(OptionalPhonemizer):
    language = "ja-jp"
    language_name = "Japanese"
    packages = ("cutlet", "fugashi")
    extra = "ja"
    default_puncs = "、.,[]()?!〽~『』「」【】"
    default_keep_puncs = True

    @staticmethod
    def name() -> str:
        return "ja_jp_phonemizer"
