"""English number words, spelled the way the released English models were trained.

The spelling follows the conventions of the ``inflect`` package as upstream's
cleaners call it: groups of three joined by ``", "`` except before a final group
under one hundred, hyphenated tens (``"twenty-one"``), an optional word between
hundreds and tens (``andword``), and year-style pairs (``"nineteen oh five"``).
"""

from __future__ import annotations

__all__ = ["cardinal", "ordinal", "digit_pairs", "digits"]

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = (
    "",
    "thousand",
    "million",
    "billion",
    "trillion",
    "quadrillion",
    "quintillion",
    "sextillion",
    "septillion",
    "octillion",
    "nonillion",
    "decillion",
)
# Largest value with a scale word; beyond it numbers are read digit by digit.
MAX_CARDINAL = 10 ** (3 * len(_SCALES)) - 1

_ORDINAL_WORDS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}


def _under_hundred(n: int) -> str:
    if n < 20:
        return _ONES[n]
    tens, unit = divmod(n, 10)
    return _TENS[tens] + (f"-{_ONES[unit]}" if unit else "")


def _under_thousand(n: int, andword: str) -> str:
    hundreds, rest = divmod(n, 100)
    if not hundreds:
        return _under_hundred(rest)
    head = f"{_ONES[hundreds]} hundred"
    if not rest:
        return head
    joiner = f" {andword} " if andword else " "
    return head + joiner + _under_hundred(rest)


def cardinal(n: int, andword: str = "and") -> str:
    """``1234`` -> ``"one thousand, two hundred and thirty-four"``; raises OverflowError past decillions."""
    if n < 0:
        return "minus " + cardinal(-n, andword)
    if n == 0:
        return "zero"
    if n > MAX_CARDINAL:
        raise OverflowError(f"{n} is too large to spell with scale words")
    groups: list[int] = []
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    words = ""
    for scale in range(len(groups) - 1, -1, -1):
        group = groups[scale]
        if not group:
            continue
        chunk = _under_thousand(group, andword) + (f" {_SCALES[scale]}" if scale else "")
        if not words:
            words = chunk
        elif scale == 0 and group < 100:
            words += f" {andword} {chunk}" if andword else f" {chunk}"
        else:
            words += ", " + chunk
    return words


def ordinal(words: str) -> str:
    """Turn the last word of a spelled number into its ordinal: ``"twenty-one"`` -> ``"twenty-first"``."""
    cut = max(words.rfind(" "), words.rfind("-")) + 1
    head, last = words[:cut], words[cut:]
    if last in _ORDINAL_WORDS:
        last = _ORDINAL_WORDS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return head + last


def digit_pairs(n: int, zero: str = "oh") -> str:
    """Read a number in pairs of digits from the left, as years: ``1905`` -> ``"nineteen, oh five"``."""
    text = str(n)
    if len(text) % 2:
        text = "0" + text if len(text) > 1 else text
    parts = []
    for i in range(0, len(text), 2):
        pair = text[i : i + 2]
        if len(pair) == 1 or pair[0] != "0":
            parts.append(_under_hundred(int(pair)))
        else:
            unit = int(pair[1])
            parts.append(f"{zero} " + (_ONES[unit] if unit else zero))
    return ", ".join(parts)


def digits(n: int) -> str:
    """Digit by digit: ``105`` -> ``"one, zero, five"``."""
    text = str(n)
    sign = "minus " if text.startswith("-") else ""
    return sign + ", ".join(_ONES[int(d)] for d in text.lstrip("-"))
