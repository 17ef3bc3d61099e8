"""The phonemizer interface: punctuation handling and caching around a backend's G2P.

``phonemize(text)``: strip the text, split it at punctuation runs (kept aside when
``keep_puncs``, else replaced by spaces), convert each piece with the backend's
``_phonemize``, then put the punctuation back. Results are cached per text.
"""

from __future__ import annotations

import abc
import logging
from collections import OrderedDict
from typing import Any

from TTS.tts.utils.text.punctuation import _PUNC_IDX, Punctuation

logger = logging.getLogger(__name__)

__all__ = ["BasePhonemizer"]

_CACHE_SIZE = 4096


class BasePhonemizer(abc.ABC):
    """Base class of all phonemizers.

    Args:
        language: the backend's language code.
        punctuations: characters kept aside while phonemizing.
        keep_puncs: put the punctuation back into the phonemized text.

    ``cache_results``: whether ``phonemize`` may return a stored result for a text seen
    before. Backends whose output depends on what they phonemized earlier turn it off,
    so that they are called exactly as often as upstream calls them.
    """

    cache_results: bool = True

    def __init__(self, language: str, punctuations: str = Punctuation.default_puncs(), *, keep_puncs: bool = False):
        if not self.is_available():
            self._raise_unavailable()
        self._language = self._init_language(language)
        self._keep_puncs = keep_puncs
        self._punctuator = Punctuation(punctuations)
        self._cache: OrderedDict[tuple[str, str], str] = OrderedDict()

    def _raise_unavailable(self) -> None:
        from TTS.core.errors import MissingDependencyError

        raise MissingDependencyError(f"The {self.name()} phonemizer is not installed on this system.")

    def _init_language(self, language: str) -> str:
        if not self.is_supported_language(language):
            from TTS.core.errors import InvalidInputError

            raise InvalidInputError(
                f'Language "{language}" is not supported by the {self.name()} phonemizer; '
                "see its supported_languages() for the codes it accepts."
            )
        return language

    @property
    def language(self) -> str:
        return self._language

    @staticmethod
    @abc.abstractmethod
    def name() -> str:
        """The backend's name, as configs write it in ``phonemizer``."""

    @classmethod
    @abc.abstractmethod
    def is_available(cls) -> bool:
        """Whether the backend can run here."""

    @abc.abstractmethod
    def version(self) -> str:
        """The backend's version."""

    @staticmethod
    @abc.abstractmethod
    def supported_languages() -> list[str] | dict[str, Any]:
        """The language codes the backend accepts."""

    def is_supported_language(self, language: str) -> bool:
        return language in self.supported_languages()

    @abc.abstractmethod
    def _phonemize(self, text: str, separator: str) -> str:
        """Phonemize one piece of text that has no punctuation."""

    def _phonemize_pieces(self, pieces: list[str], separator: str) -> list[str]:
        """Phonemize several pieces; backends may override this to batch them."""
        return [self._phonemize(piece, separator) for piece in pieces]

    def _phonemize_preprocess(self, text: str) -> tuple[list[str], list[_PUNC_IDX]]:
        text = text.strip()
        if self._keep_puncs:
            return self._punctuator.strip_to_restore(text)
        return [self._punctuator.strip(text)], []

    def _phonemize_postprocess(self, phonemized: list[str], punctuations: list[_PUNC_IDX]) -> str:
        if self._keep_puncs:
            return self._punctuator.restore(phonemized, punctuations)[0]
        return phonemized[0]

    def phonemize(self, text: str, separator: str = "|", language: str | None = None) -> str:
        """Phonemes of ``text``, with the punctuation restored when ``keep_puncs``.

        ``language`` is accepted for interface compatibility and ignored: a phonemizer
        has one language.
        """
        key = (text, separator)
        cached = self._cache.get(key) if self.cache_results else None
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        pieces, punctuations = self._phonemize_preprocess(text)
        result = self._phonemize_postprocess(self._phonemize_pieces(pieces, separator), punctuations)
        if not self.cache_results:
            return result
        self._cache[key] = result
        if len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        return result

    def print_logs(self, level: int = 0) -> None:
        indent = "\t" * level
        logger.info("%s| phoneme language: %s", indent, self.language)
        logger.info("%s| phoneme backend: %s", indent, self.name())
