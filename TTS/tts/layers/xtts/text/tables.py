"""Per-language word tables for the XTTS text cleaner.

Each language maps an abbreviation (written without its trailing dot) or a
symbol to the words that replace it. The words are the ones the released XTTS
v2 model was trained with, so they are kept as they are even where another
spelling would be more usual.
"""

from __future__ import annotations

import re
from functools import cache

__all__ = ["expand_abbreviations", "expand_symbols"]

# Abbreviations are matched case-insensitively at a word start and must be
# followed by a dot (Russian ones are whole words without a dot).
_ABBREVIATIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        ("mrs", "misess"),
        ("mr", "mister"),
        ("dr", "doctor"),
        ("st", "saint"),
        ("co", "company"),
        ("jr", "junior"),
        ("maj", "major"),
        ("gen", "general"),
        ("drs", "doctors"),
        ("rev", "reverend"),
        ("lt", "lieutenant"),
        ("hon", "honorable"),
        ("sgt", "sergeant"),
        ("capt", "captain"),
        ("esq", "esquire"),
        ("ltd", "limited"),
        ("col", "colonel"),
        ("ft", "fort"),
    ),
    "es": (
        ("sra", "señora"),
        ("sr", "señor"),
        ("dr", "doctor"),
        ("dra", "doctora"),
        ("st", "santo"),
        ("co", "compañía"),
        ("jr", "junior"),
        ("ltd", "limitada"),
    ),
    "fr": (
        ("mme", "madame"),
        ("mr", "monsieur"),
        ("dr", "docteur"),
        ("st", "saint"),
        ("co", "compagnie"),
        ("jr", "junior"),
        ("ltd", "limitée"),
    ),
    "de": (("fr", "frau"), ("dr", "doktor"), ("st", "sankt"), ("co", "firma"), ("jr", "junior")),
    "pt": (
        ("sra", "senhora"),
        ("sr", "senhor"),
        ("dr", "doutor"),
        ("dra", "doutora"),
        ("st", "santo"),
        ("co", "companhia"),
        ("jr", "júnior"),
        ("ltd", "limitada"),
    ),
    "it": (
        ("sig", "signore"),
        ("dr", "dottore"),
        ("st", "santo"),
        ("co", "compagnia"),
        ("jr", "junior"),
        ("ltd", "limitata"),
    ),
    "pl": (("p", "pani"), ("m", "pan"), ("dr", "doktor"), ("sw", "święty"), ("jr", "junior")),
    "cs": (("dr", "doktor"), ("ing", "inženýr"), ("p", "pan")),
    "ru": (("г-жа", "госпожа"), ("г-н", "господин"), ("д-р", "доктор")),
    "nl": (("dhr", "de heer"), ("mevr", "mevrouw"), ("dr", "dokter"), ("jhr", "jonkheer")),
    "tr": (("b", "bay"), ("byk", "büyük"), ("dr", "doktor")),
    "hu": (("dr", "doktor"), ("b", "bácsi"), ("nőv", "nővér")),
}
_WHOLE_WORD_ABBREVIATIONS = frozenset({"ru"})

# Symbol order: & @ % # $ £ °. Each replacement is padded with spaces; the
# cleaner collapses whitespace afterwards.
_SYMBOL_ORDER = ("&", "@", "%", "#", "$", "£", "°")
_SYMBOL_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("and", "at", "percent", "hash", "dollar", "pound", "degree"),
    "es": ("y", "arroba", "por ciento", "numeral", "dolar", "libra", "grados"),
    "fr": ("et", "arobase", "pour cent", "dièse", "dollar", "livre", "degrés"),
    "de": ("und", "at", "prozent", "raute", "dollar", "pfund", "grad"),
    "pt": ("e", "arroba", "por cento", "cardinal", "dólar", "libra", "graus"),
    "it": ("e", "chiocciola", "per cento", "cancelletto", "dollaro", "sterlina", "gradi"),
    "pl": ("i", "małpa", "procent", "krzyżyk", "dolar", "funt", "stopnie"),
    "ar": ("و", "على", "في المئة", "رقم", "دولار", "جنيه", "درجة"),
    "zh": ("和", "在", "百分之", "号", "美元", "英镑", "度"),
    "cs": ("a", "na", "procento", "křížek", "dolar", "libra", "stupně"),
    "ru": ("и", "собака", "процентов", "номер", "доллар", "фунт", "градус"),
    "nl": ("en", "bij", "procent", "hekje", "dollar", "pond", "graden"),
    "tr": ("ve", "at", "yüzde", "diyez", "dolar", "sterlin", "derece"),
    "hu": ("és", "kukac", "százalék", "kettőskereszt", "dollár", "font", "fok"),
    "ko": ("그리고", "에", "퍼센트", "번호", "달러", "파운드", "도"),
    "hi": ("और", "ऐट दी रेट", "प्रतिशत", "हैश", "डॉलर", "पाउंड", "डिग्री"),
}


@cache
def _abbreviation_rules(lang: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    end = r"\b" if lang in _WHOLE_WORD_ABBREVIATIONS else r"\."
    return tuple((re.compile(r"\b" + short + end, re.IGNORECASE), long) for short, long in _ABBREVIATIONS.get(lang, ()))


def expand_abbreviations(text: str, lang: str) -> str:
    """Replace the language's common abbreviations (``dr.`` -> ``doctor``)."""
    for pattern, words in _abbreviation_rules(lang):
        text = pattern.sub(words, text)
    return text


def expand_symbols(text: str, lang: str) -> str:
    """Spell out ``& @ % # $ £ °`` in the language; unknown languages keep them."""
    words = _SYMBOL_WORDS.get(lang)
    if words is None:
        return text
    for symbol, word in zip(_SYMBOL_ORDER, words):
        text = text.replace(symbol, f" {word} ")
    return text
