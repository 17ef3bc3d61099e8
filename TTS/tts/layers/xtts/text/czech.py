"""Czech ordinal numbers (``5.`` -> ``pátý``).

num2words has no Czech ordinals (it raises ``NotImplementedError``), which
made upstream crash on any "N." followed by a space. We read them in the
masculine nominative, the form a number written alone is read in.
"""

from __future__ import annotations

from num2words import num2words

__all__ = ["czech_ordinal"]

_UNITS = ("nultý", "první", "druhý", "třetí", "čtvrtý", "pátý", "šestý", "sedmý", "osmý", "devátý")
_TEENS = (
    "desátý",
    "jedenáctý",
    "dvanáctý",
    "třináctý",
    "čtrnáctý",
    "patnáctý",
    "šestnáctý",
    "sedmnáctý",
    "osmnáctý",
    "devatenáctý",
)
_TENS = ("", "", "dvacátý", "třicátý", "čtyřicátý", "padesátý", "šedesátý", "sedmdesátý", "osmdesátý", "devadesátý")
# Prefixes for "N hundredth" / "N thousandth" (dvoustý, pětitisící).
_MULTIPLIER = ("", "", "dvou", "tří", "čtyř", "pěti", "šesti", "sedmi", "osmi", "devíti")


def _below_hundred(number: int) -> list[str]:
    if number < 10:
        return [_UNITS[number]]
    if number < 20:
        return [_TEENS[number - 10]]
    tens, units = divmod(number, 10)
    return [_TENS[tens]] + ([_UNITS[units]] if units else [])


def czech_ordinal(number: int) -> str:
    """Masculine nominative ordinal; numbers from 10 000 up are read as cardinals (digit by digit
    when num2words has no words for them)."""
    if number >= 10_000:
        try:
            return num2words(number, lang="cs")
        except Exception:  # beyond num2words' tables (40+ digits): digit by digit
            return " ".join(num2words(int(digit), lang="cs") for digit in str(number))
    thousands, rest = divmod(number, 1000)
    hundreds, rest = divmod(rest, 100)
    words: list[str] = []
    if thousands:
        words.append(_MULTIPLIER[thousands] + "tisící")
    if hundreds:
        words.append(_MULTIPLIER[hundreds] + "stý")
    if rest or not words:
        words += _below_hundred(rest)
    return " ".join(words)
