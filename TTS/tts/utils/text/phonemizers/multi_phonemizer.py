"""One phonemizer per language, picked by the ``language`` given to ``phonemize``."""

from __future__ import annotations

import logging

from TTS.tts.utils.text.phonemizers import get_default_phonemizer, get_phonemizer_by_name
from TTS.tts.utils.text.phonemizers.base import BasePhonemizer

logger = logging.getLogger(__name__)

__all__ = ["MultiPhonemizer"]


class MultiPhonemizer:
    """Args:
    lang_to_phonemizer_name: language code -> phonemizer name (empty: the language's default).
    """

    def __init__(self, lang_to_phonemizer_name: dict[str, str | None] | None = None) -> None:
        self.lang_to_phonemizer: dict[str, BasePhonemizer] = {}
        for lang, name in (lang_to_phonemizer_name or {}).items():
            self.lang_to_phonemizer[lang] = get_phonemizer_by_name(name or get_default_phonemizer(lang), language=lang)

    @staticmethod
    def name() -> str:
        return "multi-phonemizer"

    def phonemize(self, text: str, separator: str = "|", language: str | None = None) -> str:
        from TTS.core.errors import InvalidInputError

        if language is None:
            raise InvalidInputError(f"This model needs a language; choose one of {self.supported_languages()}.")
        if language not in self.lang_to_phonemizer:
            raise InvalidInputError(f"Unknown language {language!r}; choose one of {self.supported_languages()}.")
        return self.lang_to_phonemizer[language].phonemize(text, separator)

    def supported_languages(self) -> list[str]:
        return list(self.lang_to_phonemizer)

    def print_logs(self, level: int = 0) -> None:
        indent = "\t" * level
        logger.info("%s| phoneme languages: %s", indent, self.supported_languages())
        logger.info("%s| phoneme backend: %s", indent, self.name())
