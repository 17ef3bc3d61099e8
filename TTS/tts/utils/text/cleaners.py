"""Text cleaners: the normalisation a model's config names in ``text_cleaner``.

Every cleaner has the signature ``cleaner(text, lang=...) -> str``; the tokenizer
passes the language without its region (``"pt-br"`` -> ``"pt"``), or ``None`` for
single-language models. Released configs name: ``english_cleaners``,
``phoneme_cleaners``, ``multilingual_cleaners``, ``multilingual_phoneme_cleaners``,
``basic_cleaners``, ``transliteration_cleaners``, ``basic_german_cleaners``,
``basic_turkish_cleaners``, ``french_cleaners``, ``portuguese_cleaners``,
``italian_cleaners``, ``chinese_mandarin_cleaners``, ``uroman_cleaners``, ``no_cleaners``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Protocol

from .chinese_mandarin.numbers import replace_numbers_to_characters_in_text
from .english.abbreviations import abbreviations_en
from .english.number_norm import normalize_numbers as en_normalize_numbers
from .english.time_norm import expand_time_english
from .french.abbreviations import abbreviations_fr
from .italian.abbreviations import abbreviations_it
from .italian.number_norm import normalize_numbers as it_normalize_numbers
from .italian.time_norm import expand_time_italian

__all__ = [
    "TextCleaner",
    "basic_cleaners",
    "transliteration_cleaners",
    "uroman_cleaners",
    "basic_german_cleaners",
    "basic_turkish_cleaners",
    "english_cleaners",
    "phoneme_cleaners",
    "multilingual_phoneme_cleaners",
    "italian_cleaners",
    "french_cleaners",
    "portuguese_cleaners",
    "chinese_mandarin_cleaners",
    "multilingual_cleaners",
    "no_cleaners",
]


class TextCleaner(Protocol):
    def __call__(self, text: str, lang: str | None) -> str: ...


_ABBREVIATIONS = {"en": abbreviations_en, "fr": abbreviations_fr, "it": abbreviations_it}
# The word for "&" per language.
_AMPERSAND = {"en": " and ", "fr": " et ", "it": " e ", "pt": " e ", "ca": " i "}
_whitespace_re = re.compile(r"\s+")
_aux_symbols_re = re.compile(r"[<>()\[\]\"]+")
_uroman: Any = None


# --- building blocks ---
def normalize_unicode(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def lowercase(text: str) -> str:
    return text.lower()


def collapse_whitespace(text: str) -> str:
    return _whitespace_re.sub(" ", text).strip()


def convert_to_ascii(text: str) -> str:
    from anyascii import anyascii

    return anyascii(text)


def expand_abbreviations(text: str, lang: str | None = "en") -> str:
    """Expand the abbreviations of ``lang`` (en, fr, it); other languages are left as they are."""
    for pattern, replacement in _ABBREVIATIONS.get(lang or "", ()):
        text = pattern.sub(replacement, text)
    return text


def remove_aux_symbols(text: str) -> str:
    return _aux_symbols_re.sub("", text)


def replace_symbols(text: str, lang: str | None = "en") -> str:
    """Rewrite symbols a phonemizer reads badly: ``;`` and ``:`` -> ``,``, ``-`` -> space, ``&`` -> a word.

    Greek keeps ``;`` (its question mark); Catalan joins hyphenated words and drops apostrophes.
    """
    if lang != "el":
        text = text.replace(";", ",")
    text = text.replace("-", "" if lang == "ca" else " ")
    text = text.replace(":", ",")
    if lang in _AMPERSAND:
        text = text.replace("&", _AMPERSAND[lang])
    if lang == "ca":
        text = text.replace("'", "")
    return text


def romanize(text: str, language: str | None = None) -> str:
    """Romanise any script with uroman (the ``uroman`` package, in the ``languages`` extra)."""
    global _uroman
    if _uroman is None:
        try:
            import uroman
        except ImportError as e:
            from TTS.core.errors import MissingDependencyError

            raise MissingDependencyError(
                "This model romanises its text with uroman, which is not installed. "
                "Install it with `pip install uroman` (or `pip install coqui-tts-ng[languages]`)."
            ) from e
        _uroman = uroman.Uroman()
    return str(_uroman.romanize_string(text, lcode=language))


# --- cleaners named by configs ---
def basic_cleaners(text: str, lang: str | None = None) -> str:
    """Lowercase and collapse whitespace."""
    return collapse_whitespace(lowercase(normalize_unicode(text)))


def transliteration_cleaners(text: str, lang: str | None = None) -> str:
    """Same as :func:`basic_cleaners` (upstream stopped transliterating to ASCII)."""
    return collapse_whitespace(lowercase(normalize_unicode(text)))


def uroman_cleaners(text: str, lang: str | None = None) -> str:
    """Romanise with uroman, lowercase, collapse whitespace (Fairseq MMS voices)."""
    return collapse_whitespace(lowercase(romanize(normalize_unicode(text), lang)))


def basic_german_cleaners(text: str, lang: str | None = "de") -> str:
    return collapse_whitespace(lowercase(normalize_unicode(text)))


def basic_turkish_cleaners(text: str, lang: str | None = "tr") -> str:
    """Like basic, but a capital dotless I lowercases to ``ı``."""
    text = normalize_unicode(text).replace("I", "ı")
    return collapse_whitespace(lowercase(text))


def english_cleaners(text: str, lang: str | None = "en") -> str:
    """Lowercase, spell times and numbers, expand abbreviations, rewrite symbols."""
    text = lowercase(normalize_unicode(text))
    text = expand_time_english(text)
    text = en_normalize_numbers(text)
    text = expand_abbreviations(text, lang)
    text = replace_symbols(text, lang)
    return collapse_whitespace(remove_aux_symbols(text))


def phoneme_cleaners(text: str, lang: str | None = "en") -> str:
    """For phoneme models: English numbers and abbreviations, symbols rewritten, case kept."""
    text = en_normalize_numbers(normalize_unicode(text))
    text = expand_abbreviations(text, lang)
    text = replace_symbols(text, lang)
    return collapse_whitespace(remove_aux_symbols(text))


def multilingual_phoneme_cleaners(text: str, lang: str | None = None) -> str:
    """For phoneme models in any language: symbols rewritten, case kept, numbers left to the phonemizer."""
    text = replace_symbols(normalize_unicode(text), lang)
    return collapse_whitespace(remove_aux_symbols(text))


def italian_cleaners(text: str, lang: str | None = "it") -> str:
    text = lowercase(normalize_unicode(text))
    text = expand_time_italian(text)
    text = it_normalize_numbers(text)
    text = expand_abbreviations(text, lang)
    text = replace_symbols(text, lang)
    return collapse_whitespace(remove_aux_symbols(text))


def french_cleaners(text: str, lang: str | None = "fr") -> str:
    """Abbreviations (before lowercasing, they are case-sensitive), symbols; numbers left to espeak."""
    text = expand_abbreviations(normalize_unicode(text), lang)
    text = replace_symbols(lowercase(text), lang)
    return collapse_whitespace(remove_aux_symbols(text))


def portuguese_cleaners(text: str, lang: str | None = "pt") -> str:
    text = replace_symbols(lowercase(normalize_unicode(text)), lang)
    return collapse_whitespace(remove_aux_symbols(text))


def chinese_mandarin_cleaners(text: str, lang: str | None = "zh") -> str:
    """Arabic numbers to Chinese numerals."""
    return replace_numbers_to_characters_in_text(normalize_unicode(text))


def multilingual_cleaners(text: str, lang: str | None = None) -> str:
    """Lowercase, rewrite symbols, drop brackets and quotes, collapse whitespace."""
    text = replace_symbols(lowercase(normalize_unicode(text)), lang)
    return collapse_whitespace(remove_aux_symbols(text))


def no_cleaners(text: str, lang: str | None = None) -> str:
    """Only drop newlines."""
    return text.replace("\n", "")
