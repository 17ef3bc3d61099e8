"""Chinese (China) phonemizer (optional extra `zh`); see ``_optional.py``."""

from __future__ import annotations

from TTS.tts.utils.text.phonemizers._optional import OptionalPhonemizer

__all__ = ["ZH_CN_Phonemizer"]


class ZH_CN_Phonemizer(OptionalPhonemizer):
    language = "zh-cn"
    language_name = "Chinese (China)"
    packages = ("pypinyin", "jieba")
    extra = "zh"
    default_puncs = "、.,[]()?!〽~『』「」【】"
    default_keep_puncs = False

    @staticmethod
    def name() -> str:
        return "zh_cn_phonemizer"
