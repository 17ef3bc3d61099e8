"""Text cleaning for XTTS: turns raw text into what the released model was trained on.

One entry point, :func:`clean_text`. Per language: quotes removed, lower case,
numbers/currencies/ordinals spelled out, abbreviations and symbols expanded,
whitespace collapsed; then zh-cn is written in pinyin, ko romanised and ja
romanised (Japanese skips the other steps, as in training).
"""

from __future__ import annotations

import re
from typing import Any

from TTS.tts.layers.xtts.text.chinese import chinese_numbers_to_characters, chinese_to_pinyin
from TTS.tts.layers.xtts.text.hindi import expand_numbers_hindi
from TTS.tts.layers.xtts.text.numbers import expand_numbers
from TTS.tts.layers.xtts.text.romanize import korean_to_latin
from TTS.tts.layers.xtts.text.tables import expand_abbreviations, expand_symbols

__all__ = ["SUPPORTED_LANGUAGES", "clean_text", "collapse_whitespace"]

# Language codes as XTTS v2 names them (``[zh-cn]`` is the vocab token for Chinese).
SUPPORTED_LANGUAGES = (
    "en",
    "es",
    "fr",
    "de",
    "it",
    "pt",
    "pl",
    "tr",
    "ru",
    "nl",
    "cs",
    "ar",
    "zh-cn",
    "hu",
    "ko",
    "ja",
    "hi",
)

_WHITESPACE = re.compile(r"\s+")
# Python lower-cases "İ" to "i" + combining dot; Turkish text wants a plain "i".
_TURKISH_CAPITALS = str.maketrans({"İ": "i", "Ö": "ö", "Ü": "ü"})


def collapse_whitespace(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def _expand_numbers(text: str, lang: str) -> str:
    if lang == "zh":
        return chinese_numbers_to_characters(text)
    if lang == "hi":
        return expand_numbers_hindi(text)
    return expand_numbers(text, lang)


def clean_text(text: str, lang: str, japanese_romanizer: Any = None) -> str:
    """Clean ``text`` for ``lang`` (a code without region: ``"zh"`` for Chinese).

    ``japanese_romanizer`` is a ``cutlet.Cutlet``; required for ``"ja"``.
    """
    if lang == "ja":
        if japanese_romanizer is None:
            raise ValueError("Japanese needs a romanizer (see romanize.make_japanese_romanizer)")
        return japanese_romanizer.romaji(text).lower()
    text = text.replace('"', "")
    if lang == "tr":
        text = text.translate(_TURKISH_CAPITALS)
    text = text.lower()
    text = _expand_numbers(text, lang)
    text = expand_abbreviations(text, lang)
    text = expand_symbols(text, lang)
    text = collapse_whitespace(text)
    if lang == "zh":
        return chinese_to_pinyin(text)
    if lang == "ko":
        return korean_to_latin(text)
    return text
