"""Arabic digits to simplified Chinese numerals: ``2024`` -> ``二千零二十四``."""

from __future__ import annotations

import re

__all__ = ["replace_numbers_to_characters_in_text", "integer_to_chinese"]

_DIGITS = "零一二三四五六七八九"
_SMALL_UNITS = ("", "十", "百", "千")  # within a group of four digits
_BIG_UNITS = "万亿兆京垓秭穰沟涧正载"  # one per group of four digits


def _collapse(items: list[str]) -> str:
    """Join ``items`` in reverse order, dropping an item equal to the one before it."""
    out: list[str] = []
    for item in reversed(items):
        if not out or out[-1] != item:
            out.append(item)
    return "".join(out)


def _group_words(group: str) -> str:
    """Words for one group of up to four digits (lowest digit first in the work list)."""
    padded = group.zfill(4)
    parts: list[str] = []
    for place, char in enumerate(reversed(padded)):
        digit = int(char)
        if digit == 0:
            if parts:
                parts.append(_DIGITS[0])
        elif place == 0:
            parts.append(_DIGITS[digit])
        elif place == 1 and digit == 1 and padded[1] == "0":
            parts.append(_SMALL_UNITS[1])  # "十四", not "一十四", when no hundreds digit
        else:
            parts.append(_DIGITS[digit] + _SMALL_UNITS[place])
    return _collapse(parts)


def integer_to_chinese(number: str) -> str:
    """Simplified Chinese numeral for a string of digits (up to 48 digits)."""
    if int(number) == 0:
        return _DIGITS[0]
    if len(number.lstrip("0")) > 48:
        raise ValueError("number out of range")
    groups = [number[max(end - 4, 0) : end] for end in range(len(number), 0, -4)]
    words: list[str] = []
    for index, group in enumerate(groups):
        value = int(group)
        big = _BIG_UNITS[index - 1] if index else ""
        if value == 0:
            words.append(_DIGITS[0])
        elif index and value == 2:
            words.append(_DIGITS[2] + big)
        else:
            words.append(_group_words(group) + big)
    return _collapse(words).strip(_DIGITS[0])


def replace_numbers_to_characters_in_text(text: str) -> str:
    return re.sub(r"[0-9]+", lambda m: integer_to_chinese(m.group()), text)
