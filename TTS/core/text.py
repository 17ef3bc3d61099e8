"""Sentence splitting: upstream's synthesizer splitting, and long-text chunking for XTTS.

:func:`segment_sentences` is what the synthesizer uses between sentences: pySBD
with text cleaning, in the text's language (English where pySBD has no rules for
it), as upstream's synthesizer does, so multi-sentence text is cut into the same
pieces and gives the same audio.

:func:`split_sentences` / :func:`chunk_text` pack long text into chunks under a
model's character limit (XTTS ``enable_text_splitting``). They are a small
rule-based splitter: a sentence ends at
``. ! ? …`` (and the CJK, Devanagari, Arabic, Armenian and Ethiopic full stops),
optionally followed by closing quotes or brackets, then whitespace or the end.
A full stop does not end a sentence after a known abbreviation (``Dr.``,
``e.g.``), a single-letter initial (``J. R. R.``), an ordinal number in languages
that write them with a dot (``3. Mai``), or when the next word starts in lower case.
"""

from __future__ import annotations

import functools
import re
import textwrap
from typing import Any

__all__ = ["chunk_text", "segment_sentences", "segmenter_language", "split_sentences"]

# Terminators that need whitespace (or end of text) after them, and the ones
# used by scripts written without spaces between sentences.
_SPACED_END = ".!?…؟։።"
_UNSPACED_END = "。！？｡।॥"
_CLOSERS = "\"'”’»)]}）」』】"

# Abbreviations (lower case, without the final dot) that do not end a sentence
# even before a capital ("Dr. Smith", "e.g. The Hobbit", "No. 5"). Shared across
# languages: a missed split only makes a chunk longer. Others ("etc.", "p.m.",
# "Inc.") end the sentence when the next word starts with a capital or a digit.
_NEVER_FINAL = frozenset(
    """
    mr mrs ms mx dr prof st mt ft rev gen col lt sgt capt cmdr gov sen rep pres hon
    vs e.g i.e cf al approx dept est fig no nos vol vols op ca p pp ed eds
    jan feb mar apr jun jul aug sep sept oct nov dec
    z.b bzw usw ggf evtl hr fr frl nr str mme mlle sra srta dña núm pág ud uds sig dott ecc
    """.split()
)

# Languages that write ordinal numbers as "3." (German "am 3. Mai").
_DOT_ORDINAL_LANGUAGES = frozenset(
    {"de", "da", "no", "nb", "nn", "fi", "et", "cs", "sk", "sl", "hr", "sr", "hu", "pl", "tr", "lv", "is"}
)

_SPACED_BOUNDARY = re.compile(rf"[{re.escape(_SPACED_END)}]+[{re.escape(_CLOSERS)}]*(?=\s|$)")
_UNSPACED_BOUNDARY = re.compile(rf"[{re.escape(_UNSPACED_END)}]+[{re.escape(_CLOSERS)}]*")
_LAST_TOKEN = re.compile(r"(\S+)$")


def _language_code(language: str | None) -> str:
    return (language or "en").lower().replace("_", "-").split("-")[0]


def _is_false_stop(before: str, stop: str, after: str, language: str) -> bool:
    """True when a "." at this position does not end a sentence."""
    if not stop.startswith(".") or stop.startswith("...") or "!" in stop or "?" in stop:
        return False
    match = _LAST_TOKEN.search(before)
    token = match.group(1) if match else ""
    word = token.lstrip("\"'“‘«([{").lower()
    if word in _NEVER_FINAL:
        return True
    if len(word) == 1 and word.isalpha() and not (word == "i" and language == "en"):  # initials: "J. R. R."
        return True
    if word.isdigit() and language in _DOT_ORDINAL_LANGUAGES:
        return True
    next_word = after.lstrip()
    # "etc. and so on": a lower-case continuation is the same sentence.
    return bool(next_word) and next_word[0].islower()


def split_sentences(text: str, language: str | None = "en") -> list[str]:
    """Split ``text`` into sentences, each stripped; empty input gives ``[]``.

    ``language`` is an ISO code (``"en"``, ``"de"``, ``"zh-cn"``); it only changes
    a few rules (dotted ordinals). Whitespace runs inside a sentence are kept.
    """
    text = text.strip()
    if not text:
        return []
    lang = _language_code(language)
    cuts: list[int] = []
    for match in _SPACED_BOUNDARY.finditer(text):
        stop = match.group(0).rstrip(_CLOSERS)
        if not _is_false_stop(text[: match.start()], stop, text[match.end() :], lang):
            cuts.append(match.end())
    cuts.extend(match.end() for match in _UNSPACED_BOUNDARY.finditer(text))
    sentences: list[str] = []
    start = 0
    for cut in sorted(set(cuts)):
        piece = text[start:cut].strip()
        if piece:
            sentences.append(piece)
        start = cut
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def chunk_text(text: str, language: str | None = "en", max_chars: int | None = 250) -> list[str]:
    """Split ``text`` into chunks of at most ``max_chars`` characters for models with a length limit.

    Text shorter than ``max_chars`` is one chunk. Otherwise sentences are packed
    greedily into chunks (joined by a space) while they fit; a sentence longer than
    ``max_chars`` is wrapped at word boundaries. ``max_chars=None`` disables splitting.
    """
    text = text.strip()
    if max_chars is None or len(text) < max_chars:
        return [text] if text else []
    chunks: list[str] = []
    for sentence in split_sentences(text, language):
        if len(sentence) > max_chars:
            chunks.extend(textwrap.wrap(sentence, width=max_chars, drop_whitespace=True, break_on_hyphens=False))
        elif chunks and len(chunks[-1]) + 1 + len(sentence) <= max_chars:
            chunks[-1] = f"{chunks[-1]} {sentence}"
        else:
            chunks.append(sentence)
    return chunks


def _pysbd() -> Any:
    try:
        import pysbd
    except ImportError as error:  # a dependency; only missing in a broken install
        from TTS.core.errors import MissingDependencyError

        raise MissingDependencyError(
            "Sentence splitting needs the 'pysbd' package: pip install pysbd (or pass split_sentences=False)."
        ) from error
    return pysbd


def segmenter_language(language: str | None) -> str:
    """The pySBD language for a model language name: the region dropped (``"pt-br"`` -> ``"pt"``), and
    ``"en"`` for languages pySBD has no rules for (as upstream's synthesizer falls back)."""
    base = (language or "en").split("-")[0]
    return base if base in _pysbd().languages.LANGUAGE_CODES else "en"


@functools.lru_cache(maxsize=32)
def _segmenter(language: str) -> Any:
    return _pysbd().Segmenter(language=language, clean=True)


def segment_sentences(text: str, language: str | None = "en") -> list[str]:
    """Split ``text`` into the sentences upstream's synthesizer speaks one by one.

    pySBD with cleaning (line breaks inside a sentence joined, and so on) for
    :func:`segmenter_language` of ``language``; sentences come back stripped, and
    text without any content gives ``[]``.
    """
    if not text or not text.strip():
        return []
    return [sentence.strip() for sentence in _segmenter(segmenter_language(language)).segment(text)]
