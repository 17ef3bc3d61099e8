"""Mandarin text -> phonemes: word segmentation, pinyin with tone numbers, phoneme table.

Words come from spacy-pkuseg (its ``spacy_ontonotes`` model, downloaded by the package on
first use) and are joined with spaces; pypinyin then reads the whole string in TONE3 style
(neutral tone as ``5``). Each syllable becomes its phonemes followed by the tone digit; every
other item (spaces, latin text, digits) is kept character by character. Items that merely end
in a digit are read like syllables with an unknown body, as the released front-end did.
"""

from __future__ import annotations

import logging
from typing import Protocol

from TTS.tts.utils.text.chinese_mandarin.pinyin_ipa import pinyin_syllable_to_phonemes

logger = logging.getLogger(__name__)

__all__ = ["Segmenter", "chinese_text_to_phonemes", "get_segmenter", "set_segmenter"]

_TONES = "12345"


class Segmenter(Protocol):
    def cut(self, text: str) -> list[str]: ...


_segmenter: Segmenter | None = None


def set_segmenter(segmenter: Segmenter | None) -> None:
    """Use ``segmenter`` for word segmentation (``None``: load spacy-pkuseg again on next use)."""
    global _segmenter
    _segmenter = segmenter


def get_segmenter() -> Segmenter:
    """The word segmenter, loading spacy-pkuseg's default model on first use."""
    global _segmenter
    if _segmenter is None:
        import spacy_pkuseg

        try:
            _segmenter = spacy_pkuseg.pkuseg()
        except Exception as exc:  # the package downloads its model, and reports failures in many ways
            from TTS.core.errors import DownloadError

            raise DownloadError(
                "The Mandarin phonemizer needs spacy-pkuseg's 'spacy_ontonotes' model, which the package "
                "downloads to ~/.pkuseg on first use; that failed "
                f"({type(exc).__name__}: {exc}). Connect to the internet once, or unpack the model into "
                "~/.pkuseg/spacy_ontonotes."
            ) from exc
    return _segmenter


def _syllables(text: str) -> list[str]:
    import pypinyin

    readings = pypinyin.pinyin(text, style=pypinyin.Style.TONE3, heteronym=False, neutral_tone_with_five=True)
    return [reading for item in readings for reading in item]


def chinese_text_to_phonemes(text: str, separator: str = "|") -> str:
    """Phonemes of Mandarin ``text``, one symbol per character of the result, joined by ``separator``."""
    words = get_segmenter().cut(text)
    symbols: list[str] = []
    for item in _syllables(" ".join(words)):
        if item[-1] in _TONES:
            symbols.extend(pinyin_syllable_to_phonemes(item[:-1]) + item[-1])
        else:
            symbols.extend(item)
    return separator.join(symbols)
