"""Sentence splitting: upstream's synthesizer splitting, and long-text chunking for XTTS.

:func:`segment_sentences` is what the synthesizer uses between sentences: pySBD
with text cleaning, in the text's language (English where pySBD has no rules for
it), as upstream's synthesizer does, so multi-sentence text is cut into the same
pieces and gives the same audio.

:func:`split_sentences` / :func:`chunk_text` pack long text into chunks under a
model's character limit (XTTS ``enable_text_splitting``) the way upstream XTTS
does, without its spaCy dependency. Upstream cuts text into words and
punctuation marks with a blank spaCy pipeline and ends a sentence after a
stand-alone stop mark (``. ! ?`` and the stops of other scripts) once a token
that is not punctuation follows. This module reproduces that with its own small
rule set:

* words are split at whitespace; runs of whitespace beyond one space after a
  word are tokens of their own (so a line break starts the next sentence);
* punctuation is peeled off both ends of a word; a final ``.`` only comes off
  after a digit, a lower-case or uncased letter, two capitals (``USA.``) or
  certain marks, so ``J.``, ``U.S.``, ``3.14`` and ``z.B.`` keep theirs;
* a per-language table of words keeps its dot (``Dr.``, ``e.g.``, ``p.m.``);
* ``...`` and ``…`` are not stops; ``end.Next`` is cut inside the word;
* Chinese (``"zh"``) is cut character by character, Japanese at its own
  punctuation, Arabic only after Arabic-script letters.

Upstream's quirks are kept on purpose so that chunks (and so the audio) match:
``etc.`` or ``am 3. Mai`` end a sentence, and ``"zh-cn"`` (as opposed to the
``"zh"`` XTTS passes) gets the Latin rules.
"""

from __future__ import annotations

import functools
import re
import textwrap
import unicodedata
from dataclasses import dataclass
from typing import Any

__all__ = ["chunk_text", "segment_sentences", "segmenter_language", "split_sentences"]

# A token made of exactly one of these ends a sentence.
_STOPS = frozenset(".!?։؟۔܀܁܂।॥။።፧፨᙮‼‽⁇⁈⁉⸮。．｡！？﹒﹖﹗")

# Words (with their dot) that keep the dot as part of the word.
_LETTERS = frozenset(f"{c}." for c in "abcdefghijklmnopqrstuvwxyzäöü")
_KEEP_EN = _LETTERS | frozenset(
    """
    Mr. Mrs. Ms. Dr. St. Mt. Prof. Jr. Rev. Gen. Gov. Sen. Rep. Adm. Messrs. Bros. Inc. Ltd. Co. Corp. co. vs.
    a.m. p.m. e.g. i.e. E.g. I.e. Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec.
    Ala. Ariz. Ark. Calif. Colo. Conn. Del. Fla. Ga. Ill. Ind. Kan. Kans. Ky. La. Md. Mass. Mich. Minn.
    Miss. Mo. Mont. Neb. Nev. Okla. Ore. Pa. Tenn. Va. Wash. Wis.
    itd. id. hed. wed. youd. theyd. whod. whatd. whered. howd. im. hes. shes. thats. whats. whos. wheres. hows.
    Itd. Id. Hed. Wed. Youd. Im. Hes. Ill.
    """.split()
)
_KEEP_ES = _LETTERS | frozenset(
    "Sr. Sra. Srta. Dr. Dra. Prof. Ing. Ud. Uds. Vd. Vds. Av. Avda. dpto. ej. etc. fig. núm. p.ej. pág. vol.".split()
)

# Marks peeled off the start / end of a word (one at a time).
_FRONT = "!\"#$%&'()*+,:;<=>?[]_`{}¡£¥¦§©«®°´·»¿–—‘’‚“”„…€₹™、。〈〉《》「」『』【】〔〕！（），：；？～،؛؟٪۔।"
_BACK = "!\"#&'()*,:;<>?[]_`{}¡¦©«®°´·»¿–—‘’‚“”„…™、。〈〉《》「」『』【】〔〕！（），：；？～،؛؟٪۔।"
# Marks after which a final "." is peeled too.
_DOT_AFTER = "!\"#%&'()*+,-:;<>?[]_`{|}¡¦©«®°²´·»¿‘’‚“”„…™、。〈〉《》「」『』【】〔〕〖〗〜・！（），：；？～،؛؟٪۔।॥"
_QUOTES = "\"'`‘’‚“”„«»「」『』"


@dataclass(frozen=True)
class _Rules:
    front: str
    back: str
    dot_after: str
    keep: frozenset[str]
    latin_letters: bool  # a "." after a lower-case letter or a digit is peeled
    dot_between: bool  # "end.Next" is cut at the dot


_LATIN = _Rules(_FRONT, _BACK, _DOT_AFTER, _KEEP_EN, True, True)
_RULES = {
    "es": _Rules(_FRONT, _BACK, _DOT_AFTER + "–—", _KEEP_ES, True, True),
    "hi": _Rules(_FRONT, _BACK, _DOT_AFTER, _LETTERS, True, True),
    "ar": _Rules(_FRONT, _BACK.replace("–", "").replace("—", ""), "¦©®°…™", frozenset(), False, True),
}
# Web and mail addresses, and anything shaped like "host.tld" (which upstream also leaves whole).
_URL = re.compile(r"^(?:[a-z][\w+.-]*://|www\.)|@\w", re.IGNORECASE)
_HOST = re.compile(r"(?:[\w\u00a1-\uffff-]+\.)+(?P<tld>[a-z\u00a1-\uffff]{2,63})(?::\d+)?(?:[/?#]\S*)?")


def _is_address(word: str) -> bool:
    if _URL.search(word):
        return True
    host = _HOST.fullmatch(word)
    return bool(host) and all(char.isalpha() and not char.isupper() for char in host.group("tld"))


_DOTS = re.compile(r"\.\.+|…")


def _uncased_letter(char: str) -> bool:
    """Letters of scripts without case (CJK, Hangul, ...); the Arabic, Devanagari and CJK-mark blocks as a whole."""
    code = ord(char)
    if 0x064B <= code <= 0x065F or code == 0x0670:  # Arabic vowel marks are not letters here
        return False
    if 0x0600 <= code <= 0x06FF or 0x0900 <= code <= 0x097F or 0x3000 <= code <= 0x303F:
        return True
    return unicodedata.category(char) == "Lo" and char not in "ªº"


def _is_upper(char: str) -> bool:
    """Capitals, and uncased letters (which count as both cases)."""
    return unicodedata.category(char) == "Lu" or _uncased_letter(char)


def _is_lower(char: str) -> bool:
    return unicodedata.category(char) == "Ll" or _uncased_letter(char)


def _dot_comes_off(before: str, rules: _Rules) -> bool:
    """True when a "." after ``before`` is a token of its own."""
    last = before[-1]
    if last in rules.dot_after:
        return True
    if len(before) > 1 and _is_upper(last) and _is_upper(before[-2]):
        return True
    if len(before) > 1 and last in "CcFfKk" and before[-2] == "°":  # "20°C."
        return True
    return rules.latin_letters and (last in "0123456789" or _is_lower(last))


def _front_len(word: str, rules: _Rules) -> int:
    dots = re.match(r"\.\.+", word)
    if dots:
        return dots.end()
    if word[0] in rules.front and not (word[0] == "+" and word[1:2].isdigit()):
        return 1
    return 0


def _back_len(word: str, rules: _Rules) -> int:
    dots = re.search(r"\.\.+$", word)
    if dots:
        return len(dots.group(0))
    if word[-1] in rules.back:
        return 1
    if word[-1] == "." and len(word) > 1 and _dot_comes_off(word[:-1], rules):
        return 1
    return 0


def _split_middle(word: str, rules: _Rules) -> list[str]:
    """Cut a word (its outer marks already peeled) at inner ellipses and ``lower.Upper`` dots."""
    if _is_address(word):
        return [word]
    pieces: list[str] = []
    start = 0
    for index in range(1, len(word) - 1):
        if index < start:
            continue
        if rules.dot_between and word[index] == "." and word[index + 1] != ".":
            left, right = word[index - 1], word[index + 1]
            lower_left = _is_lower(left) or left in _QUOTES
            if lower_left and (_is_upper(right) or right in _QUOTES) and word[start:index] + "." not in rules.keep:
                pieces += [word[start:index], "."]
                start = index + 1
                continue
        dots = _DOTS.match(word, index)
        if dots and dots.end() < len(word):
            pieces += [word[start:index], dots.group(0)]
            start = dots.end()
    pieces.append(word[start:])
    return [piece for piece in pieces if piece]


def _word_tokens(word: str, rules: _Rules) -> list[str]:
    """Cut one whitespace-free run into tokens."""
    front: list[str] = []
    back: list[str] = []
    while word and word not in rules.keep:
        size = len(word)
        pre = _front_len(word, rules)
        if pre and word[pre:] in rules.keep:
            front.append(word[:pre])
            word = word[pre:]
            break
        suf = _back_len(word[pre:], rules) if len(word) > pre else 0
        if suf and word[:-suf] in rules.keep:
            back.append(word[-suf:])
            word = word[:-suf]
            break
        if pre:
            front.append(word[:pre])
        if suf:
            back.append(word[-suf:])
        word = word[pre : len(word) - suf]
        if len(word) == size:
            break
    tokens = front + (_split_middle(word, rules) if word else []) + back[::-1]
    # A word cut from its dot by other marks ("fiume…Dr.") still keeps it.
    merged: list[str] = []
    for token in tokens:
        if token == "." and merged and merged[-1] + "." in rules.keep:
            merged[-1] += "."
        else:
            merged.append(token)
    return merged


def _explode_marks(tokens: list[str]) -> list[str]:
    """Japanese: every non-ASCII punctuation mark, ``!``/``?`` and a ``.`` touching Japanese is a token."""
    out: list[str] = []
    for token in tokens:
        piece = ""
        for index, char in enumerate(token):
            beside = token[index - 1 : index] + token[index + 1 : index + 2]
            if unicodedata.category(char).startswith("P") and (
                ord(char) > 127 or char in "!?" or (char == "." and any(ord(c) > 127 for c in beside))
            ):
                out += [piece, char] if piece else [char]
                piece = ""
            else:
                piece += char
        if piece:
            out.append(piece)
    return out


def _tokens(text: str, language: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every token of ``text``, whitespace runs included as upstream's tokenizer makes them."""
    spans: list[tuple[int, int]] = []
    rules = _RULES.get(language, _LATIN)
    for run in re.finditer(r"\s+|\S+", text):
        start, end = run.span()
        if text[start].isspace():
            if start > 0 and text[start] == " ":
                start += 1  # the single space after a word belongs to it
            if start < end:
                spans.append((start, end))
            continue
        word = run.group(0)
        if language == "zh":
            pieces = list(word)
        elif language == "ja":
            pieces = _explode_marks(_word_tokens(word, _LATIN))
        else:
            pieces = _word_tokens(word, rules)
        for piece in pieces:
            spans.append((start, start + len(piece)))
            start += len(piece)
    return spans


def _is_punct(token: str) -> bool:
    return all(unicodedata.category(char).startswith("P") for char in token)


def _raw_sentences(text: str, language: str | None) -> list[str]:
    """Sentences as upstream's sentencizer gives them: leading whitespace tokens kept."""
    spans = _tokens(text, (language or "en").lower())
    starts = [0] if spans else []
    after_stop = False
    for index, (start, end) in enumerate(spans):
        token = text[start:end]
        if token in _STOPS:
            after_stop = True
        elif after_stop and not _is_punct(token):
            starts.append(index)
            after_stop = False
    bounds = [*starts, len(spans)]
    return [text[spans[a][0] : spans[b - 1][1]] for a, b in zip(bounds, bounds[1:])]


def split_sentences(text: str, language: str | None = "en") -> list[str]:
    """Split ``text`` into sentences as upstream XTTS does, each stripped; empty input gives ``[]``.

    ``language`` is the code XTTS passes (``"en"``, ``"de"``, ``"zh"``, ``"ja"``);
    ``"es"``, ``"ar"``, ``"hi"``, ``"ja"`` and ``"zh"`` have rules of their own,
    every other language gets the Latin rules (as upstream).
    """
    return [sentence.strip() for sentence in _raw_sentences(text, language) if sentence.strip()]


def chunk_text(text: str, language: str | None = "en", max_chars: int | None = 250) -> list[str]:
    """Split ``text`` into chunks for models with a length limit, as upstream XTTS packs them.

    Text shorter than ``max_chars`` is one (stripped) chunk; ``max_chars=None``
    disables splitting. Otherwise sentences (see :func:`split_sentences`) are
    packed greedily, joined by a space, while the chunk plus the sentence (not
    counting the joining space, as upstream) stays within ``max_chars``; a longer
    sentence is wrapped at whitespace. Chunks keep upstream's inner whitespace.
    """
    if max_chars is None or len(text) < max_chars:
        return [text.strip()] if text.strip() else []
    chunks = [""]
    for sentence in _raw_sentences(text, language):
        if len(chunks[-1]) + len(sentence) <= max_chars:
            chunks[-1] = f"{chunks[-1]} {sentence}".lstrip()
        elif len(sentence) > max_chars:
            chunks += textwrap.wrap(sentence, width=max_chars, drop_whitespace=True, break_on_hyphens=False, tabsize=1)
        else:
            chunks.append(sentence)
    if len(chunks) > 1 and not chunks[0]:
        chunks.pop(0)
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
