"""Korean phonemizer (optional extra `ko`): ko-speech-tools G2P (MeCab-ko) and jamo.

See ``TTS.tts.utils.text.korean.phonemizer``. Like the released front-end, it takes the
whole text at once (punctuation passes through the G2P) and joins every jamo with
``separator`` (default: nothing).
"""

from __future__ import annotations

from TTS.tts.utils.text.phonemizers._optional import OptionalPhonemizer

__all__ = ["KO_KR_Phonemizer"]


class KO_KR_Phonemizer(OptionalPhonemizer):
    language = "ko-kr"
    language_name = "hangeul(korean)"
    packages = ("ko_speech_tools", "mecab_ko")
    extra = "ko"
    default_puncs = "、.,[]()?!〽~『』「」【】"
    default_keep_puncs = True

    @staticmethod
    def name() -> str:
        return "ko_kr_phonemizer"

    def version(self) -> str:
        return "0.0.2"

    def _phonemize(self, text: str, separator: str = "", character: str = "hangeul") -> str:
        from TTS.tts.utils.text.korean.phonemizer import korean_text_to_phonemes

        return (separator or "").join(korean_text_to_phonemes(text, character=character))

    def phonemize(self, text: str, separator: str = "", character: str = "hangeul", language: str | None = None) -> str:
        """Jamo of ``text``; ``character="english"`` transliterates to ASCII (for debugging)."""
        return self._phonemize(text, separator, character)
