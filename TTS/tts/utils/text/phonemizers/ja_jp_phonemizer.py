"""Japanese phonemizer (optional extra `ja`): MeCab readings and a kana table.

See ``TTS.tts.utils.text.japanese.phonemizer``. Like the released front-end, it takes the
whole text at once (punctuation becomes phoneme symbols there) and joins every character
of the result with ``separator``.
"""

from __future__ import annotations

from TTS.tts.utils.text.phonemizers._optional import OptionalPhonemizer

__all__ = ["JA_JP_Phonemizer"]


class JA_JP_Phonemizer(OptionalPhonemizer):
    language = "ja-jp"
    language_name = "Japanese (Japan)"
    packages = ("fugashi", "unidic_lite", "num2words")
    extra = "ja"
    default_puncs = "、.,[]()?!〽~『』「」【】"
    default_keep_puncs = True

    @staticmethod
    def name() -> str:
        return "ja_jp_phonemizer"

    def _phonemize(self, text: str, separator: str = "|") -> str:
        from TTS.tts.utils.text.japanese.phonemizer import japanese_text_to_phonemes

        return (separator or "").join(japanese_text_to_phonemes(text))

    def phonemize(self, text: str, separator: str = "|", language: str | None = None) -> str:
        """Phonemes of ``text``; no punctuation splitting (the converter reads it)."""
        return self._phonemize(text, separator)
