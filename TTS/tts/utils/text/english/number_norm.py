"""Spell out numbers, currency amounts, decimals and ordinals in English text.

Rewrites, in this order: thousands separators (``1,000`` -> ``1000``), currency
(``$5.50`` -> ``5 dollars 50 cents``), decimal points (``3.14`` -> ``3 point 14``),
ordinals (``21st`` -> ``twenty-first``) and the remaining integers (years between
1000 and 3000 are read as years: ``1984`` -> ``nineteen eighty-four``).
"""

from __future__ import annotations

import re

from .number_words import MAX_CARDINAL, cardinal, digit_pairs, digits, ordinal

__all__ = ["normalize_numbers", "expand_number"]

_comma_number_re = re.compile(r"([0-9][0-9,]+[0-9])")
_decimal_number_re = re.compile(r"([0-9]+\.[0-9]+)")
_currency_re = re.compile(r"(£|\$|¥)([0-9,.]*[0-9]+)")
_ordinal_re = re.compile(r"[0-9]+(st|nd|rd|th)")
_number_re = re.compile(r"-?[0-9]+")

# Unit names per currency sign: (one unit, several units, one cent, several cents).
# The yen has no singular and its hundredth (sen) none either.
_CURRENCY_UNITS = {
    "$": ("dollar", "dollars", "cent", "cents"),
    "£": ("pound sterling", "pounds sterling", "penny", "pence"),
    "¥": ("yen", "yen", "sen", "sen"),
}


def _expand_currency(match: re.Match[str]) -> str:
    one, many, one_cent, many_cents = _CURRENCY_UNITS[match.group(1)]
    value = match.group(2)
    parts = value.replace(",", "").split(".")
    if len(parts) > 2:
        return f"{value} {many}"
    whole = int(parts[0]) if parts[0] else 0
    # The fraction is read as written: "$5.5" is five dollars and five cents.
    cents = int(parts[1]) if len(parts) > 1 and parts[1] else 0
    spoken = []
    if whole > 0:
        spoken.append(f"{whole} {one if whole == 1 else many}")
    if cents > 0:
        spoken.append(f"{cents} {one_cent if cents == 1 else many_cents}")
    return " ".join(spoken) if spoken else f"zero {many}"


def _expand_ordinal(match: re.Match[str]) -> str:
    num = int(match.group(0)[:-2])
    if num > MAX_CARDINAL:
        return match.group(0)[:-2]  # no ordinal words that large: read the digits
    return ordinal(cardinal(num))


def expand_number(num: int) -> str:
    """Spell one integer; 1001-2999 are read as years."""
    if 1000 < num < 3000:
        if num == 2000:
            return "two thousand"
        if 2000 < num < 2010:
            return "two thousand " + cardinal(num % 100, andword="")
        if num % 100 == 0:
            return cardinal(num // 100, andword="") + " hundred"
        return digit_pairs(num, zero="oh").replace(", ", " ")
    if abs(num) > MAX_CARDINAL:
        return digits(num).replace(", ", " ")
    return cardinal(num, andword="")


def normalize_numbers(text: str) -> str:
    text = _comma_number_re.sub(lambda m: m.group(1).replace(",", ""), text)
    text = _currency_re.sub(_expand_currency, text)
    text = _decimal_number_re.sub(lambda m: m.group(1).replace(".", " point "), text)
    text = _ordinal_re.sub(_expand_ordinal, text)
    text = _number_re.sub(lambda m: expand_number(int(m.group(0))), text)
    return text
