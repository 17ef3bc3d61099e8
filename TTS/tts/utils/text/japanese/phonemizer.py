"""Japanese text -> phonemes: NFKC, numbers and letters read out, MeCab readings, kana table.

1. NFKC-normalise; drop thousands separators; ``$100`` -> ``100ドル``; numbers -> words
   (num2words, ``lang="ja"``).
2. Lower-case and spell Latin/Greek letters and a few symbols in katakana.
3. Tokenise with fugashi (unidic-lite) and take each token's pronunciation; punctuation
   tokens that matter are kept, brackets and the like dropped; hiragana -> katakana.
4. Convert katakana to phonemes, longest (two-character) match first; characters without
   an entry are kept as they are. Repeated long-vowel marks collapse to one ``:``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from TTS.tts.utils.text.japanese.kana import ALPHA_SYMBOL_READINGS, KANA_PAIRS, KANA_SINGLES, LONG_VOWEL_MARK

__all__ = ["japanese_text_to_phonemes", "kana_to_phonemes", "numbers_to_words", "text_to_katakana"]

_GROUPED_NUMBER = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")
_CURRENCY_AMOUNT = re.compile(r"([$¥£€])([0-9.]*[0-9])")
_CURRENCY_NAMES = {"$": "ドル", "¥": "円", "£": "ポンド", "€": "ユーロ"}
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_COLONS = re.compile(":+")

_KEPT_SYMBOLS = frozenset("・、。？！")
_SILENT_SYMBOLS = frozenset("「」『』―（）［］[]\u3000…")
_SMALL_TSU = ("っ", "ッ")
# Hiragana ぁ..ん sit 0x60 code points below katakana ァ..ン.
_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(ord("ぁ"), ord("ん") + 1)}

_tagger: Any = None


def _get_tagger() -> Any:
    global _tagger
    if _tagger is None:
        import fugashi

        _tagger = fugashi.Tagger()
    return _tagger


def numbers_to_words(text: str) -> str:
    """Spell out numbers and currency amounts in Japanese words."""
    from num2words import num2words

    text = _GROUPED_NUMBER.sub(lambda m: m.group().replace(",", ""), text)
    text = _CURRENCY_AMOUNT.sub(lambda m: m.group(2) + _CURRENCY_NAMES[m.group(1)], text)
    return _NUMBER.sub(lambda m: num2words(m.group(), lang="ja"), text)


def _spell_letters(text: str) -> str:
    return "".join(ALPHA_SYMBOL_READINGS.get(char, char) for char in text.lower())


def text_to_katakana(text: str) -> str:
    """Katakana reading of ``text`` from the morphological analyser."""
    pieces: list[str] = []
    for token in _get_tagger()(text):
        reading = token.feature.pron
        surface = token.surface
        if reading:
            pieces.append(reading)
        elif surface in _KEPT_SYMBOLS:
            pieces.append(surface)
        elif surface in _SMALL_TSU:
            pieces.append("ッ")
        elif surface is not None and surface not in _SILENT_SYMBOLS:
            pieces.append(surface)
    return "".join(pieces).translate(_HIRAGANA_TO_KATAKANA)


def kana_to_phonemes(kana: str) -> str:
    """Space-separated phonemes of katakana text (the released models' notation)."""
    kana = kana.strip()
    out: list[str] = []
    pos = 0
    while pos < len(kana):
        pair = kana[pos : pos + 2]
        if len(pair) == 2 and pair in KANA_PAIRS:
            out.append(" " + KANA_PAIRS[pair])
            pos += 2
            continue
        char = kana[pos]
        if char == LONG_VOWEL_MARK:
            out.append(":")
        else:
            out.append(" " + KANA_SINGLES.get(char, char))
        pos += 1
    # The first character is the separator space in front of the first phoneme (or, quirk
    # kept for parity, a leading long-vowel mark).
    return _COLONS.sub(":", "".join(out))[1:]


def japanese_text_to_phonemes(text: str) -> str:
    """Phonemes of Japanese ``text`` as one string, one symbol per character, no spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _spell_letters(numbers_to_words(text))
    return kana_to_phonemes(text_to_katakana(text)).replace(" ", "")
