"""Italian clock times: ``14.30`` -> ``14 e trenta``, ``09:00`` -> ``9``."""

from __future__ import annotations

import re

__all__ = ["expand_time_italian"]

_time_re = re.compile(r"\b([01]?\d|2[0-3])[:\.]([0-5]\d)\b")
_UNITS = (
    "zero uno due tre quattro cinque sei sette otto nove dieci undici dodici tredici "
    "quattordici quindici sedici diciassette diciotto diciannove"
).split()
_TENS = {2: "venti", 3: "trenta", 4: "quaranta", 5: "cinquanta"}


def _minutes(n: int) -> str:
    if n < 20:
        return _UNITS[n]
    tens, unit = divmod(n, 10)
    # No elision ("ventuno"): the phonemizer copes with "venti uno".
    return _TENS[tens] if unit == 0 else f"{_TENS[tens]} {_UNITS[unit]}"


def _spoken(match: re.Match[str]) -> str:
    hour, minute = int(match.group(1)), int(match.group(2))
    return f"{hour}" if minute == 0 else f"{hour} e {_minutes(minute)}"


def expand_time_italian(text: str) -> str:
    return _time_re.sub(_spoken, text)
