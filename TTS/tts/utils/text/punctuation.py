"""Take punctuation out of text before phonemization and put it back afterwards.

Phonemizers see only the words between punctuation runs; each run (with the
whitespace around it) is remembered with its position and re-inserted verbatim
between the phonemized pieces, so ``"Hi, there!"`` becomes ``"hˈaɪ, ðˈɛɹ!"``.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import NamedTuple

__all__ = ["Punctuation", "PuncPosition"]

_DEF_PUNCS = ';:,.!?¡¿—…"«»“”'


class PuncPosition(Enum):
    """Where a punctuation run sits in the text."""

    BEGIN = 0
    END = 1
    MIDDLE = 2


class _PUNC_IDX(NamedTuple):  # noqa: N801 - name kept from upstream
    punc: str
    position: PuncPosition


class Punctuation:
    """Strip punctuation from text, or strip it and restore it later.

    Args:
        puncs: the characters treated as punctuation (duplicates are ignored).
    """

    def __init__(self, puncs: str = _DEF_PUNCS) -> None:
        self.puncs = puncs

    @staticmethod
    def default_puncs() -> str:
        return _DEF_PUNCS

    @property
    def puncs(self) -> str:
        return self._puncs

    @puncs.setter
    def puncs(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError("Punctuations must be given as a str.")
        self._puncs = "".join(dict.fromkeys(value))
        # A run: punctuation characters with any whitespace around and between them.
        self.puncs_regular_exp = re.compile(rf"(\s*[{re.escape(self._puncs)}]+\s*)+")

    def strip(self, text: str) -> str:
        """Replace every punctuation run with one space and trim the ends."""
        return self.puncs_regular_exp.sub(" ", text).strip()

    def strip_to_restore(self, text: str) -> tuple[list[str], list[_PUNC_IDX]]:
        """Split ``text`` at punctuation runs: ``(pieces without punctuation, runs with positions)``.

        ``"This is. example !"`` -> ``(["This is", "example"], [(". ", MIDDLE), (" !", END)])``.
        """
        matches = list(self.puncs_regular_exp.finditer(text))
        if not matches:
            return [text], []
        if len(matches) == 1 and matches[0].group() == text:
            return [], [_PUNC_IDX(text, PuncPosition.BEGIN)]
        last = len(matches) - 1
        runs: list[_PUNC_IDX] = []
        pieces: list[str] = []
        pos = 0
        for i, match in enumerate(matches):
            if i == 0 and match.start() == 0:
                position = PuncPosition.BEGIN
            elif i == last and match.end() == len(text):
                position = PuncPosition.END
            else:
                position = PuncPosition.MIDDLE
            runs.append(_PUNC_IDX(match.group(), position))
            if match.start() > pos:
                pieces.append(text[pos : match.start()])
            pos = match.end()
        # Words after the last run. Upstream 0.28 loses them when the only run opens the
        # text ("¿Dónde estás" -> "¿"); we keep them (docs/upstream/text-leading-punctuation.md).
        if pos < len(text):
            pieces.append(text[pos:])
        return pieces, runs

    @classmethod
    def restore(cls, text: list[str], puncs: list[_PUNC_IDX]) -> list[str]:
        """Put the punctuation runs back between the (phonemized) pieces; the result is in ``[0]``."""
        pending = list(text)
        done: list[str] = []
        for i, run in enumerate(puncs):
            if not pending:
                # Nothing left to attach to: the remaining runs stand alone.
                done.append("".join(r.punc for r in puncs[i:]))
                return done
            if run.position == PuncPosition.BEGIN:
                pending[0] = run.punc + pending[0]
            elif run.position == PuncPosition.END:
                done.append(pending.pop(0) + run.punc)
            elif len(pending) == 1:
                pending[0] = pending[0] + run.punc
            else:
                pending[0:2] = [pending[0] + run.punc + pending[1]]
        return done + pending
