"""Bangla text -> the normalised text the released Bangla models read (they are grapheme models).

1. ASCII digits become Bangla digits; a colon between two digits (or commas/spaces, as the
   released front-end matched them) is read ``এর``; numbers are spelled out (bnnumerizer).
2. Runs of spaces collapse, and the words "start" and "end" disappear: a quirk of the
   released front-end (it wrapped the text in those markers and removed every occurrence),
   kept so the models see what they were trained on.
3. The text is split at ``।``, ``!`` and ``?``; each sentence is normalised word by word
   (bnunicodenormalizer), honorific abbreviations are expanded, whitespace collapses, and
   every sentence ends with ``।``.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["ABBREVIATIONS", "bangla_text_to_phonemes"]

# Honorific abbreviations and a few symbols, with their readings (normalised before use).
ABBREVIATIONS: dict[str, str] = {
    "সাঃ": "সাল্লাল্লাহু আলাইহি ওয়া সাল্লাম",
    "আঃ": "আলাইহিস সালাম",
    "রাঃ": "রাদিআল্লাহু আনহু",
    "রহঃ": "রহমাতুল্লাহি আলাইহি",
    "রহিঃ": "রহিমাহুল্লাহ",
    "হাফিঃ": "হাফিযাহুল্লাহ",
    "বায়ান": "বাইআন",
    "দাঃবাঃ": "দামাত বারাকাতুহুম,দামাত বারাকাতুল্লাহ",
    "’": "",
    "‘": "",
    "/": " বাই ",
}

_ASCII_DIGIT = re.compile("[0-9]")
# The class lists the digits separated by ", ", so commas and spaces match too.
_DIGIT_COLON_DIGIT = re.compile("[০, ১, ২, ৩, ৪, ৫, ৬, ৭, ৮, ৯]:[০, ১, ২, ৩, ৪, ৫, ৬, ৭, ৮, ৯]")
_SPACES = re.compile(" +")
_WHITESPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile("[।!?]")

_normalizer: Any = None


def _normalize_words(text: str) -> str:
    global _normalizer
    if _normalizer is None:
        from bnunicodenormalizer import Normalizer

        _normalizer = Normalizer()
    words = (_normalizer(word)["normalized"] for word in text.split())
    return " ".join(word for word in words if word is not None)


def _expand_abbreviations(text: str) -> str:
    for short, reading in ABBREVIATIONS.items():
        if short in text:
            text = text.replace(short, _normalize_words(reading))
    return text


def _read_numbers(text: str) -> str:
    import bangla
    from bnnumerizer import numerize

    if _ASCII_DIGIT.search(text):
        text = bangla.convert_english_digit_to_bangla_digit(text)
    for match in _DIGIT_COLON_DIGIT.findall(text):
        text = text.replace(match, match.replace(":", " এর "))
    return numerize(text)


def bangla_text_to_phonemes(text: str) -> str:
    """Normalised Bangla ``text``, each sentence closed by ``।``."""
    text = _SPACES.sub(" ", _read_numbers(text))
    text = ("start" + text + "end").replace("start", "").replace("end", "").strip()
    sentences = []
    for sentence in _SENTENCE_END.split(text):
        sentence = _normalize_words(sentence.replace("\n", ""))
        sentence = _WHITESPACE.sub(" ", _expand_abbreviations(sentence))
        sentences.append(sentence + "।")
    return "".join(sentences)
