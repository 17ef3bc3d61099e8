"""Chinese (China) phonemizer (optional extra `zh`): pkuseg words, pypinyin, phoneme table.

See ``TTS.tts.utils.text.chinese_mandarin.phonemizer``. Punctuation is removed before
phonemizing unless ``keep_puncs``.
"""

from __future__ import annotations

from TTS.tts.utils.text.phonemizers._optional import OptionalPhonemizer

__all__ = ["ZH_CN_Phonemizer"]


class ZH_CN_Phonemizer(OptionalPhonemizer):
    language = "zh-cn"
    language_name = "Chinese (China)"
    packages = ("pypinyin", "spacy_pkuseg")
    extra = "zh"
    default_puncs = "、.,[]()?!〽~『』「」【】"
    default_keep_puncs = False

    @staticmethod
    def name() -> str:
        return "zh_cn_phonemizer"

    @staticmethod
    def phonemize_zh_cn(text: str, separator: str = "|") -> str:
        from TTS.tts.utils.text.chinese_mandarin.phonemizer import chinese_text_to_phonemes

        return chinese_text_to_phonemes(text, separator)

    def _phonemize(self, text: str, separator: str) -> str:
        return self.phonemize_zh_cn(text, separator)
