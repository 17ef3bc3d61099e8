"""English abbreviations expanded by the English cleaners (``Dr.`` -> ``doctor``)."""

from __future__ import annotations

import re

__all__ = ["abbreviations_en"]

_ABBREVIATIONS = {
    "mrs": "misess",
    "mr": "mister",
    "dr": "doctor",
    "st": "saint",
    "co": "company",
    "jr": "junior",
    "maj": "major",
    "gen": "general",
    "drs": "doctors",
    "rev": "reverend",
    "lt": "lieutenant",
    "hon": "honorable",
    "sgt": "sergeant",
    "capt": "captain",
    "esq": "esquire",
    "ltd": "limited",
    "col": "colonel",
    "ft": "fort",
}

# (pattern, replacement): a whole word followed by a full stop, any case. Applied in order.
abbreviations_en: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b{short}\.", re.IGNORECASE), long) for short, long in _ABBREVIATIONS.items()
]
