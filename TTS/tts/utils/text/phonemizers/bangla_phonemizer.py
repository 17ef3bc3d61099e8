"""Bangla phonemizer (optional extra `bn`): number reading and Unicode normalisation.

See ``TTS.tts.utils.text.bangla.phonemizer``; the released Bangla models read normalised
text, not phonemes. Punctuation is removed before, unless ``keep_puncs``.
"""

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

    @staticmethod
    def phonemize_bn(text: str) -> str:
        from TTS.tts.utils.text.bangla.phonemizer import bangla_text_to_phonemes

        return bangla_text_to_phonemes(text)

    def _phonemize(self, text: str, separator: str) -> str:
        return self.phonemize_bn(text)
