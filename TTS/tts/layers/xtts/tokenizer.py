"""XTTS text tokenizer: clean the text for its language, then BPE with the model's ``vocab.json``.

The token sequence is ``[lang]`` followed by the BPE pieces of the cleaned text,
with each space written as the ``[SPACE]`` token. ``vocab.json`` is a
``tokenizers`` JSON file (BPE model, whitespace pre-tokenizer, the special
tokens ``[STOP] [UNK] [SPACE] [START]`` and one ``[lang]`` token per language).
"""

from __future__ import annotations

import logging
import os
from functools import cached_property
from typing import Any

from tokenizers import Tokenizer

from TTS.core.errors import InvalidInputError
from TTS.core.text import chunk_text
from TTS.tts.layers.xtts.text import SUPPORTED_LANGUAGES, clean_text
from TTS.tts.layers.xtts.text.romanize import make_japanese_romanizer

__all__ = ["VoiceBpeTokenizer", "split_sentence", "SUPPORTED_LANGUAGES"]

logger = logging.getLogger(__name__)

# Characters per language above which the model tends to cut the audio short.
_CHAR_LIMITS = {
    "en": 250,
    "de": 253,
    "fr": 273,
    "es": 239,
    "it": 213,
    "pt": 203,
    "pl": 224,
    "zh": 82,
    "ar": 166,
    "cs": 186,
    "ru": 182,
    "nl": 251,
    "tr": 226,
    "ja": 71,
    "hu": 224,
    "ko": 95,
    "hi": 150,
}
_DEFAULT_CHAR_LIMIT = 250


def split_sentence(text: str, lang: str, text_split_length: int | None = 250) -> list[str]:
    """Chunks of ``text`` of at most ``text_split_length`` characters, cut at sentence ends.

    Text shorter than the limit comes back whole (left-stripped), as upstream's
    ``enable_text_splitting`` expects; longer text is split by :mod:`TTS.core.text`.
    """
    if text_split_length is None or len(text) < text_split_length:
        return [text.lstrip()]
    return chunk_text(text, lang, text_split_length)


def _base_language(lang: str) -> str:
    """``"zh-cn"`` -> ``"zh"``, ``"pt-br"`` -> ``"pt"``."""
    return lang.split("-")[0]


def _check_language(lang: str) -> str:
    base = _base_language(lang) if isinstance(lang, str) else ""
    if base not in _CHAR_LIMITS:
        raise InvalidInputError(
            f"Language {lang!r} is not supported by XTTS. Use one of: {', '.join(SUPPORTED_LANGUAGES)}."
        )
    return base


class VoiceBpeTokenizer:
    """Upstream-compatible XTTS tokenizer.

    Args:
        vocab_file: path to the model's ``vocab.json``; without it only
            :meth:`preprocess_text` works.
    """

    def __init__(self, vocab_file: str | os.PathLike[Any] | None = None) -> None:
        self.tokenizer: Tokenizer | None = None
        if vocab_file is not None:
            try:
                self.tokenizer = Tokenizer.from_file(str(vocab_file))
            except Exception as error:  # the tokenizers library raises a bare Exception for unreadable files
                from TTS.core.errors import CheckpointError

                raise CheckpointError(
                    f"The XTTS vocabulary {vocab_file} cannot be read ({error}). It is damaged or not the model's "
                    "vocab.json: download the model again (or copy vocab.json from the released model folder)."
                ) from error
        self.char_limits: dict[str, int] = dict(_CHAR_LIMITS)

    @cached_property
    def katsu(self) -> Any:
        """The Japanese romanizer (``cutlet.Cutlet``), built on first use."""
        return make_japanese_romanizer()

    def check_input_length(self, txt: str, lang: str) -> None:
        """Warn when ``txt`` is longer than the language's limit (audio may be cut short)."""
        limit = self.char_limits.get(_base_language(lang), _DEFAULT_CHAR_LIMIT)
        if len(txt) > limit:
            logger.warning(
                "The text length exceeds the character limit of %d for language '%s', this might cause "
                "truncated audio; use enable_text_splitting=True to split it: %s",
                limit,
                _base_language(lang),
                txt[:50] + "...",
            )

    def preprocess_text(self, txt: str, lang: str) -> str:
        """The cleaned text the model reads (numbers spelled out, romanised for zh/ja/ko)."""
        base = _check_language(lang)
        katsu = self.katsu if base == "ja" else None
        return clean_text(txt, base, japanese_romanizer=katsu)

    def encode(self, txt: str, lang: str) -> list[int]:
        """Token ids for ``txt`` in ``lang`` (``"en"``, ``"zh-cn"``, ...), starting with ``[lang]``."""
        base = _check_language(lang)
        if not isinstance(txt, str) or not txt.strip():
            raise InvalidInputError("The text to speak is empty: give at least one word.")
        if self.tokenizer is None:
            raise InvalidInputError("This tokenizer has no vocabulary: create it with vocab_file=<vocab.json>.")
        self.check_input_length(txt, base)
        cleaned = self.preprocess_text(txt, base)
        if not cleaned:
            raise InvalidInputError(f"The text {txt[:50]!r} has nothing to speak once cleaned for {lang!r}.")
        token_lang = "zh-cn" if base == "zh" else base
        sequence = f"[{token_lang}]{cleaned}".replace(" ", "[SPACE]")
        return self.tokenizer.encode(sequence).ids

    def __call__(self, txt: str, lang: str) -> list[int]:
        return self.encode(txt, lang)

    def decode(self, seq: Any) -> str:
        """Text of a token sequence (list, numpy array or tensor); spaces restored, [STOP]/[UNK] dropped."""
        if self.tokenizer is None:
            raise InvalidInputError("This tokenizer has no vocabulary: create it with vocab_file=<vocab.json>.")
        if hasattr(seq, "tolist"):
            seq = seq.tolist()
        text = self.tokenizer.decode([int(i) for i in seq], skip_special_tokens=False).replace(" ", "")
        return text.replace("[SPACE]", " ").replace("[STOP]", "").replace("[UNK]", "")

    def __len__(self) -> int:
        return self.tokenizer.get_vocab_size() if self.tokenizer is not None else 0

    def get_number_tokens(self) -> int:
        """One more than the largest token id (the text embedding size)."""
        if self.tokenizer is None:
            raise InvalidInputError("This tokenizer has no vocabulary: create it with vocab_file=<vocab.json>.")
        return max(self.tokenizer.get_vocab().values()) + 1
