"""Language-specific phonemizers that need optional packages (ja, zh, ko, bn, be).

Each is registered under upstream's name so configs that name it resolve; without
its packages, constructing it raises MissingDependencyError naming the extra to install.
The language rules live in ``TTS.tts.utils.text.<language>/``; subclasses implement
``_phonemize`` and import them lazily, so listing phonemizers imports no optional package.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from TTS.tts.utils.text.phonemizers.base import BasePhonemizer

__all__ = ["OptionalPhonemizer"]


class OptionalPhonemizer(BasePhonemizer):
    """Base of the language-specific phonemizers; subclasses set the class attributes."""

    language: str = ""
    language_name: str = ""
    packages: tuple[str, ...] = ()  # import names that must be present
    extra: str = ""  # pip extra that installs them
    default_puncs: str = ""
    default_keep_puncs: bool = False

    def __init__(self, punctuations: str | None = None, *, keep_puncs: bool | None = None, **kwargs: Any) -> None:
        super().__init__(
            type(self).language,
            punctuations=self.default_puncs if punctuations is None else punctuations,
            keep_puncs=self.default_keep_puncs if keep_puncs is None else keep_puncs,
        )

    @classmethod
    def missing_packages(cls) -> list[str]:
        return [p for p in cls.packages if importlib.util.find_spec(p) is None]

    @classmethod
    def is_available(cls) -> bool:
        return not cls.missing_packages()

    def _raise_unavailable(self) -> None:
        from TTS.core.errors import MissingDependencyError

        raise MissingDependencyError(
            f"The {self.name()} phonemizer ({self.language_name}) needs {', '.join(self.missing_packages())}: "
            f"`pip install coqui-tts-ng[{self.extra}]`."
        )

    @classmethod
    def supported_languages(cls) -> dict[str, str]:
        return {cls.language: cls.language_name}

    def version(self) -> str:
        return "0.0.1"
