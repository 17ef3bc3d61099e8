"""Numbers, ordinals, currencies and decimals read out with ``num2words``.

Used for every XTTS language except Chinese (``chinese.py``), Japanese
(romanised as a whole) and Hindi (``hindi.py``). The steps and their order
follow the released model's training-time cleaner, so that the same text
gives the same tokens:

1. drop digit-group separators (``1,000`` in en/ru, ``1.000`` elsewhere);
2. currencies (``£``, then ``$``, then ``€``), when num2words knows them;
3. decimals; 4. ordinals; 5. remaining integers.

Deliberate differences from upstream coqui-tts 0.28 (see
``docs/upstream/xtts-text-*.md``): English ordinal suffixes
(``1st``) are read as ordinals in the other Latin-script languages, Turkish
decimals are read with "virgül", Czech ordinals do not crash, whole
currency amounts whose reading has no zero-cents part keep their last word,
and nothing num2words fails on crashes: integers too long for it are read
digit by digit, decimals too large for it by parts (``<whole> <point>
<digits>``), and ordinals it has no word for (Korean ``100차``, Polish ``0º``)
as the cardinal (``docs/upstream/xtts-text-num2words-limits.md``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from num2words import num2words

from TTS.tts.layers.xtts.text.czech import czech_ordinal

__all__ = ["expand_numbers"]

logger = logging.getLogger(__name__)

# "1,234,567.5" style (en, ru): commas group digits.
_COMMA_GROUPED = re.compile(r"\b\d{1,3}(?:,\d{3})*(?:\.\d+)?\b")
# "1.234.567,5" style (everyone else). The group separator is any character,
# as in the trained cleaner; only dots are removed from what it matches.
_DOT_GROUPED = re.compile(r"\b\d{1,3}(?:.\d{3})*(?:,\d+)?\b")
_COMMA_GROUPING_LANGS = frozenset({"en", "ru"})

# Currency amounts with the symbol before or after the digits, tried in this order.
_CURRENCIES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (code, re.compile(rf"{re.escape(sign)}[0-9.,]*[0-9]+|[0-9.,]*[0-9]+{re.escape(sign)}"))
    for code, sign in (("GBP", "£"), ("USD", "$"), ("EUR", "€"))
)
# What joins the main unit and the cents in num2words' currency reading.
_CENTS_JOINER = {
    "en": ", ",
    "es": " con ",
    "fr": " et ",
    "de": " und ",
    "pt": " e ",
    "it": " e ",
    "pl": ", ",
    "cs": ", ",
    "ru": ", ",
    "nl": ", ",
    "ar": ", ",
    "tr": ", ",
    "hu": ", ",
    "ko": ", ",
}

_DECIMAL = re.compile(r"([0-9]+)[.,]([0-9]+)")
_INTEGER = re.compile(r"[0-9]+")

# Ordinal suffixes the trained cleaner knows, per language.
_ORDINAL_SUFFIXES = {
    "en": r"(?:st|nd|rd|th)",
    "es": r"(?:º|ª|er|o|a|os|as)",
    "fr": r"(?:º|ª|er|re|e|ème)",
    "de": r"(?:st|nd|rd|th|º|ª|\.(?=\s|$))",
    "pt": r"(?:º|ª|o|a|os|as)",
    "it": r"(?:º|°|ª|o|a|i|e)",
    "pl": r"(?:º|ª|st|nd|rd|th)",
    "ar": r"(?:ون|ين|ث|ر|ى)",
    "cs": r"\.(?=\s|$)",
    "ru": r"(?:-й|-я|-е|-ое|-ье|-го)",
    "nl": r"(?:de|ste|e)",
    "tr": r"(?:\.|inci|nci|uncu|üncü)",
    "hu": r"(?:\.|adik|edik|odik|ödik|ödike|ik)",
    "ko": r"(?:번째|번|차|째)",
}
# Fix: "1st" written in these languages' text used to become "unst" / "unost".
_ENGLISH_SUFFIX_LANGS = frozenset({"es", "fr", "it", "pt", "nl", "cs", "tr", "hu"})


def _ordinal_pattern(lang: str) -> re.Pattern[str]:
    suffix = _ORDINAL_SUFFIXES[lang]
    if lang in _ENGLISH_SUFFIX_LANGS:
        # Only a whole suffix: "3ste" (Dutch-style) is not "3rd" + "e".
        suffix = f"(?:{suffix}|(?:st|nd|rd|th)(?![^\\W\\d_]))"
    return re.compile(rf"([0-9]+){suffix}")


_ORDINALS = {lang: _ordinal_pattern(lang) for lang in _ORDINAL_SUFFIXES}


def _drop_group_separators(text: str, lang: str) -> str:
    if lang in _COMMA_GROUPING_LANGS:
        return _COMMA_GROUPED.sub(lambda m: m.group(0).replace(",", ""), text)
    return _DOT_GROUPED.sub(lambda m: m.group(0).replace(".", ""), text)


def _read_currency(match: re.Match[str], lang: str, code: str) -> str:
    digits = re.sub(r"[^\d.]", "", match.group(0).replace(",", "."))
    amount = float(digits)
    words = num2words(amount, to="currency", currency=code, lang=lang)
    if amount.is_integer():
        # Whole amounts: drop the trailing "and zero cents" part, but only
        # when it is really there (pt reads "vinte e um euros" without one).
        joiner = _CENTS_JOINER[lang]
        cut = words.rfind(joiner)
        if cut != -1 and num2words(0, lang=lang) in words[cut + len(joiner) :]:
            words = words[:cut]
    return words


def _expand_currencies(text: str, lang: str) -> str:
    # num2words lacks some currencies for some languages. As in the trained
    # cleaner, the first one it cannot read stops currency reading for this
    # text; the symbols are then spelled out by the symbol table instead.
    for code, pattern in _CURRENCIES:
        try:
            text = pattern.sub(lambda m, c=code: _read_currency(m, lang, c), text)
        except Exception as error:  # num2words raises several kinds
            logger.debug("num2words cannot read %s in %r: %s", code, lang, error)
            break
    return text


# The word between the whole part and the fraction, for decimals num2words
# cannot read (see _read_decimal); the spelling num2words itself uses.
_DECIMAL_POINT = {
    "en": "point",
    "es": "punto",
    "fr": "virgule",
    "de": "Komma",
    "it": "virgola",
    "pt": "vírgula",
    "pl": "przecinek",
    "tr": "virgül",
    "ru": "запятая",
    "nl": "komma",
    "cs": "celá",
    "ar": "فاصلة",
    "hu": "egész",
    "ko": "점",
}


def _read_digits(digits: str, lang: str) -> str:
    """One word per digit: for numbers num2words has no words for (tr: 25+ digits)."""
    return " ".join(num2words(int(d), lang=lang) for d in digits)


def _read_cardinal(digits: str, lang: str) -> str:
    # num2words fails in many ways on numbers beyond its tables (OverflowError,
    # KeyError, IndexError, NotImplementedError, RecursionError, ...): the text
    # must still be spoken, so anything it cannot read is read digit by digit.
    try:
        return num2words(int(digits), lang=lang)
    except Exception:
        return _read_digits(digits, lang)


def _read_decimal_by_parts(whole: str, fraction: str, lang: str) -> str:
    """``<whole> <point> <digit> <digit>...``: every leading zero of the fraction is heard."""
    return " ".join([_read_cardinal(whole, lang), _DECIMAL_POINT[lang], _read_digits(fraction, lang)])


def _read_turkish_decimal(whole: str, fraction: str) -> str:
    zeros = len(fraction) - len(fraction.lstrip("0"))
    parts = [_read_cardinal(whole, "tr"), "virgül"] + [num2words(0, lang="tr")] * zeros
    if fraction.lstrip("0"):
        parts.append(_read_cardinal(fraction.lstrip("0"), "tr"))
    return " ".join(parts)


def _read_decimal(match: re.Match[str], lang: str) -> str:
    whole, fraction = match.group(1), match.group(2)
    if lang == "tr":
        return _read_turkish_decimal(whole, fraction)
    try:
        return num2words(float(f"{whole}.{fraction}"), lang=lang)
    except Exception:  # too large for num2words (upstream crashes): read it by parts
        return _read_decimal_by_parts(whole, fraction, lang)


def _read_ordinal(match: re.Match[str], lang: str) -> str:
    number = int(match.group(1))
    if lang == "cs":
        return czech_ordinal(number)
    try:
        return num2words(number, ordinal=True, lang=lang)
    except Exception:
        # num2words has no ordinal for this number (too large; ko 0/100/1000...,
        # pl 0): read the cardinal. Korean suffixes are counter words and are
        # spoken ("100차" -> "백차"); elsewhere the suffix is only a written
        # mark (º, st, -й) and is dropped, except a dot, which may end the sentence.
        suffix = match.group(0)[len(match.group(1)) :]
        keep = lang == "ko" or suffix == "."
        return _read_cardinal(match.group(1), lang) + (suffix if keep else "")


def _read_integer(match: re.Match[str], lang: str) -> str:
    return _read_cardinal(match.group(0), lang)


def expand_numbers(text: str, lang: str) -> str:
    """Spell out the numbers in lower-cased ``text`` for ``lang`` (not zh, ja, hi)."""
    steps: tuple[Callable[[str], str], ...] = (
        lambda t: _drop_group_separators(t, lang),
        lambda t: _expand_currencies(t, lang),
        lambda t: _DECIMAL.sub(lambda m: _read_decimal(m, lang), t),
        lambda t: _ORDINALS[lang].sub(lambda m: _read_ordinal(m, lang), t),
        lambda t: _INTEGER.sub(lambda m: _read_integer(m, lang), t),
    )
    for step in steps:
        text = step(text)
    return text
