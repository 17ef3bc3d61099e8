"""Toneless pinyin syllable -> phoneme string, as the released Mandarin models were trained.

The notation is the one upstream's Mandarin front-end uses (an IPA-like alphabet, e.g.
``zhong`` -> ``dʒoŋ``, ``xue`` -> ``ɕye``). Rather than one row per syllable, the table is
built from the syllable inventory (finals allowed after each initial) and a spelling of each
initial and final, with the few context rules of pinyin orthography (``i`` after retroflex
and dental sibilants, ``u`` written for ``ü`` after j/q/x) and a handful of irregular entries.
Syllables outside the inventory have no entry: callers map them to an empty string.
"""

from __future__ import annotations

__all__ = ["PINYIN_TO_PHONEMES", "pinyin_syllable_to_phonemes"]

# Finals each initial combines with ("" = syllable without an initial).
_INVENTORY = {
    "": "a ai an ang ao e ei en er o ou",
    "b": "a ai an ang ao ei en eng i ian iao ie in ing o u",
    "p": "a ai an ang ao e ei en eng i ian iao ie in ing o ou u",
    "m": "a ai an ang ao e ei en eng i ian iao ie in ing iu o ou u",
    "f": "a an ang ei en eng o ou u",
    "d": "a ai an ang ao e ei eng i ia ian iao ie ing iu ong ou u uan ui un uo",
    "t": "a ai an ang ao e ei eng i ian iao ie ing ong ou u uan ui un uo",
    "n": "a ai an ang ao e ei en eng i ia ian iang iao ie in ing iu ong ou u uan ue uo v ve",
    "l": "a ai an ang ao e ei eng i ia ian iang iao ie in ing iu o ong ou u uan ue un uo v ve",
    "g": "a ai an ang ao e ei en eng ong ou u ua uai uan uang ui un uo",
    "k": "a ai an ang ao e ei en eng ong ou u ua uai uan uang ui un uo",
    "h": "a ai an ang ao e ei en eng ong ou u ua uai uan uang ui un uo",
    "j": "i ia ian iang iao ie in ing iong iu u uan ue un",
    "q": "i ia ian iang iao ie in ing iong iu u uan ue un",
    "x": "i ia ian iang iao ie in ing iong iu u uan ue un",
    "zh": "a ai an ang ao e en eng i ong ou u ua uai uan uang ui un uo",
    "ch": "a ai an ang ao e en eng i ong ou u ua uai uan uang ui un uo",
    "sh": "a ai an ang ao e ei en eng i ou u ua uai uan uang ui un uo",
    "r": "an ang ao e en eng i ong ou u ua uan ui un uo",
    "z": "a ai an ang ao e ei en eng i ong ou u uan ui un uo",
    "c": "a ai an ang ao e en eng i ong ou u uan ui un uo",
    "s": "a ai an ang ao e en eng i ong ou u uan ui un uo",
    "y": "a an ang ao e i in ing o ong ou u uan ue un",
    "w": "a ai an ang ei en eng o u",
}

_INITIALS = {
    "": "", "b": "b", "p": "p", "m": "m", "f": "f", "d": "d", "t": "t", "n": "n", "l": "l",
    "g": "ɡ", "k": "k", "h": "x", "j": "dʑ", "q": "tɕ", "x": "ɕ",
    "zh": "dʒ", "ch": "ʈʂ", "sh": "ʂ", "r": "ʐ", "z": "dz", "c": "ts", "s": "s",
    "y": "", "w": "w",
}  # fmt: skip

_FINALS = {
    "a": "a", "ai": "ai", "an": "an", "ang": "ɑŋ", "ao": "aʌ",
    "e": "ø", "ei": "ei", "en": "œn", "eng": "ɵŋ", "er": "er",
    "o": "o", "ou": "ou", "ong": "oŋ",
    "i": "i", "ia": "ia", "ian": "iɛn", "iang": "iɑŋ", "iao": "iaʌ", "ie": "ie",
    "in": "in", "ing": "ɨŋ", "iong": "ioŋ", "iu": "io",
    "u": "u", "ua": "ua", "uai": "uai", "uan": "uan", "uang": "uɑŋ", "ui": "uei", "un": "un", "uo": "uo",
    "ue": "ye", "v": "y", "ve": "ye",
}  # fmt: skip

# After j/q/x (and y) a written "u" is the front rounded vowel.
_FRONT_U = {"u": "y", "uan": "yɛn", "un": "yn", "ue": "ye"}
# Syllables that begin with "y" spell a medial i; these differ from initial "" + "i" + final.
# Otherwise "y" + final is read as the i-final ("yan" = "ian").
_Y_SYLLABLES = {"i": "i", "in": "in", "ing": "ɨŋ", "ou": "io", "ong": "ioŋ", "o": "io"}
# The irregular rows of the released notation.
_IRREGULAR = {"bei": "bɛi", "lue": "lue"}


def _final_phonemes(initial: str, final: str) -> str:
    if initial in ("j", "q", "x", "y") and final in _FRONT_U:
        return _FRONT_U[final]
    if final == "i" and initial in ("zh", "ch", "sh", "r"):
        return "ʏ"
    if final == "i" and initial in ("z", "c", "s"):
        return "ɪ"
    if initial == "y":
        return _Y_SYLLABLES.get(final) or _FINALS["i" + final]
    return _FINALS[final]


def _build_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for initial, finals in _INVENTORY.items():
        for final in finals.split():
            table[initial + final] = _INITIALS[initial] + _final_phonemes(initial, final)
    table.update(_IRREGULAR)
    return table


PINYIN_TO_PHONEMES: dict[str, str] = _build_table()


def pinyin_syllable_to_phonemes(syllable: str) -> str:
    """Phonemes of a toneless pinyin syllable (``v`` for ``ü``); ``""`` when not in the table."""
    return PINYIN_TO_PHONEMES.get(syllable, "")
