"""Hindi numbers: cardinals (Indian grouping), decimals, ordinals, currencies.

num2words has no Hindi (``NotImplementedError``), so upstream XTTS crashed on
any Hindi text with a digit. This module reads them the way a Hindi speaker
would (see ``docs/upstream/xtts-text-hindi.md``).
"""

from __future__ import annotations

import re

__all__ = ["expand_numbers_hindi", "hindi_cardinal", "hindi_ordinal"]

# 0..99 have their own words in Hindi.
_BELOW_HUNDRED = (
    "शून्य एक दो तीन चार पाँच छह सात आठ नौ "
    "दस ग्यारह बारह तेरह चौदह पंद्रह सोलह सत्रह अठारह उन्नीस "
    "बीस इक्कीस बाईस तेईस चौबीस पच्चीस छब्बीस सत्ताईस अट्ठाईस उनतीस "
    "तीस इकतीस बत्तीस तैंतीस चौंतीस पैंतीस छत्तीस सैंतीस अड़तीस उनतालीस "
    "चालीस इकतालीस बयालीस तैंतालीस चवालीस पैंतालीस छियालीस सैंतालीस अड़तालीस उनचास "
    "पचास इक्यावन बावन तिरेपन चौवन पचपन छप्पन सत्तावन अट्ठावन उनसठ "
    "साठ इकसठ बासठ तिरेसठ चौंसठ पैंसठ छियासठ सड़सठ अड़सठ उनहत्तर "
    "सत्तर इकहत्तर बहत्तर तिहत्तर चौहत्तर पचहत्तर छिहत्तर सतहत्तर अठहत्तर उन्यासी "
    "अस्सी इक्यासी बयासी तिरासी चौरासी पचासी छियासी सत्तासी अट्ठासी नवासी "
    "नब्बे इक्यानवे बानवे तिरानवे चौरानवे पचानवे छियानवे सत्तानवे अट्ठानवे निन्यानवे"
).split()
assert len(_BELOW_HUNDRED) == 100

# Indian grouping: crore (10^7), lakh (10^5), thousand, hundred.
_SCALES = ((10**7, "करोड़"), (10**5, "लाख"), (1000, "हज़ार"), (100, "सौ"))

# Irregular ordinals (masculine); the rest add -वाँ to the cardinal.
_IRREGULAR_ORDINALS = {1: "पहला", 2: "दूसरा", 3: "तीसरा", 4: "चौथा", 6: "छठा"}

# Currency sign -> (unit, hundredth) words.
_CURRENCY_WORDS = {"₹": ("रुपये", "पैसे"), "$": ("डॉलर", "सेंट"), "£": ("पाउंड", "पेंस"), "€": ("यूरो", "सेंट")}

_DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
# "1,00,000" (Indian) and "100,000" (international) digit grouping.
_GROUPED = re.compile(r"\b\d{1,3}(?:,\d{2,3})+(?:\.\d+)?\b")
_CURRENCY = re.compile(r"([₹$£€])\s?([0-9]+(?:\.[0-9]+)?)|([0-9]+(?:\.[0-9]+)?)\s?([₹$£€])")
_DECIMAL = re.compile(r"([0-9]+)\.([0-9]+)")
_ORDINAL = re.compile(r"([0-9]+)(st|nd|rd|th|ला|ली|ले|रा|री|रे|था|थी|थे|ठा|ठी|ठे|वाँ|वां|वीं|वें)")
_INTEGER = re.compile(r"[0-9]+")


def hindi_cardinal(number: int) -> str:
    """Cardinal number in words, Indian grouping (``150000`` -> ``एक लाख पचास हज़ार``)."""
    if number < 100:
        return _BELOW_HUNDRED[number]
    words: list[str] = []
    for scale, name in _SCALES:
        count, number = divmod(number, scale)
        if count:
            words += [hindi_cardinal(count), name]
    if number:
        words.append(_BELOW_HUNDRED[number])
    return " ".join(words)


def hindi_ordinal(number: int, ending: str = "ा") -> str:
    """Ordinal; ``ending`` picks the form: ``ा`` masculine, ``ी`` feminine, ``े`` oblique/plural."""
    word = _IRREGULAR_ORDINALS.get(number)
    if word is not None:
        return word[:-1] + ending
    suffix = {"ा": "वाँ", "ी": "वीं", "े": "वें"}[ending]
    return hindi_cardinal(number) + suffix


def _ordinal_ending(suffix: str) -> str:
    if suffix.endswith(("ी", "ीं")):
        return "ी"
    if suffix.endswith(("े", "ें")):
        return "े"
    return "ा"


def _read_currency(match: re.Match[str]) -> str:
    sign = match.group(1) or match.group(4)
    amount = match.group(2) or match.group(3)
    unit, hundredth = _CURRENCY_WORDS[sign]
    whole, _, fraction = amount.partition(".")
    words = [hindi_cardinal(int(whole)), unit]
    cents = int((fraction + "00")[:2]) if fraction else 0
    if cents:
        words += [hindi_cardinal(cents), hundredth]
    return " " + " ".join(words) + " "


def _read_decimal(match: re.Match[str]) -> str:
    digits = " ".join(_BELOW_HUNDRED[int(d)] for d in match.group(2))
    return f"{hindi_cardinal(int(match.group(1)))} दशमलव {digits}"


def expand_numbers_hindi(text: str) -> str:
    """Spell out numbers, currencies and ordinals in Hindi text (Devanagari digits too)."""
    text = text.translate(_DEVANAGARI_DIGITS)
    text = _GROUPED.sub(lambda m: m.group(0).replace(",", ""), text)
    text = _CURRENCY.sub(_read_currency, text)
    text = _DECIMAL.sub(_read_decimal, text)
    text = _ORDINAL.sub(lambda m: hindi_ordinal(int(m.group(1)), _ordinal_ending(m.group(2))), text)
    return _INTEGER.sub(lambda m: hindi_cardinal(int(m.group(0))), text)
