"""Italian number clean-up: thousands dots, percent, euro, degrees and decimal separators."""

from __future__ import annotations

import re

__all__ = ["normalize_numbers"]

_thousands_re = re.compile(r"\b(\d{1,3})(\.\d{3})+\b")
_decimal_re = re.compile(r"(?<=\d)[,.](?=\d)")
_NUM = r"(\d+(?:[.,]\d+)?)"
_UNIT_RULES = [
    (re.compile(r"(\d)\s*%"), r"\1 percento"),
    (re.compile(r"€\s*" + _NUM), r"\1 euro"),
    (re.compile(_NUM + r"\s*€"), r"\1 euro"),
    (re.compile(_NUM + r"\s*°C\b", re.IGNORECASE), r"\1 gradi celsius"),
    (re.compile(_NUM + r"\s*°\b"), r"\1 gradi"),
]


def normalize_numbers(text: str) -> str:
    """``1.234,5 %`` -> ``1234 virgola 5 percento``; the digits stay for the phonemizer to read."""
    text = _thousands_re.sub(lambda m: m.group(0).replace(".", ""), text)
    for pattern, replacement in _UNIT_RULES:
        text = pattern.sub(replacement, text)
    return _decimal_re.sub(" virgola ", text)
