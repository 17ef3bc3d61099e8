"""French abbreviations expanded by the French cleaners (``M.`` -> ``monsieur``)."""

from __future__ import annotations

import re

__all__ = ["abbreviations_fr"]

# Written with a full stop; order matters (the first matching entry wins), duplicates
# are kept as released models were trained with them.
_WITH_STOP = [
    ("M", "monsieur"),
    ("Mlle", "mademoiselle"),
    ("Mlles", "mesdemoiselles"),
    ("Mme", "Madame"),
    ("Mmes", "Mesdames"),
    ("N.B", "nota bene"),
    ("M", "monsieur"),
    ("p.c.q", "parce que"),
    ("Pr", "professeur"),
    ("qqch", "quelque chose"),
    ("rdv", "rendez-vous"),
    ("max", "maximum"),
    ("min", "minimum"),
    ("no", "numéro"),
    ("adr", "adresse"),
    ("dr", "docteur"),
    ("st", "saint"),
    ("co", "companie"),
    ("jr", "junior"),
    ("sgt", "sergent"),
    ("capt", "capitain"),
    ("col", "colonel"),
    ("av", "avenue"),
    ("av. J.-C", "avant Jésus-Christ"),
    ("apr. J.-C", "après Jésus-Christ"),
    ("art", "article"),
    ("boul", "boulevard"),
    ("c.-à-d", "c’est-à-dire"),
    ("etc", "et cetera"),
    ("ex", "exemple"),
    ("excl", "exclusivement"),
    ("boul", "boulevard"),
]
# Titles also written without a full stop (case-sensitive).
_WITHOUT_STOP = [
    ("Mlle", "mademoiselle"),
    ("Mlles", "mesdemoiselles"),
    ("Mme", "Madame"),
    ("Mmes", "Mesdames"),
]

# The short forms are used as regular expressions (their "." matches any character), as upstream does.
abbreviations_fr: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b{short}\.", re.IGNORECASE), long) for short, long in _WITH_STOP
] + [(re.compile(rf"\b{short}"), long) for short, long in _WITHOUT_STOP]
