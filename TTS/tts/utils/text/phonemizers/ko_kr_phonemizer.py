"""Korean phonemizer (optional extra `ko`); see ``_optional.py``."""

from __future__ import annotations

from TTS.tts.utils.text.phonemizers._optional import OptionalPhonemizer

__all__ = ["KO_KR_Phonemizer"]


class KO_KR_Phonemizer(OptionalPhonemizer):
    language = "ko-kr"
    language_name = "Korean"
    packages = ("jamo", "g2pkk")
    extra = "ko"
    default_puncs = "、.,[]()?!〽~『』「」【】"
    default_keep_puncs = True

    @staticmethod
    def name() -> str:
        return "ko_kr_phonemizer"
