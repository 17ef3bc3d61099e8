"""Belarusian phonemizer (optional extra `be`); see ``_optional.py``."""

from __future__ import annotations

from TTS.tts.utils.text.phonemizers._optional import OptionalPhonemizer

__all__ = ["BEL_Phonemizer"]


class BEL_Phonemizer(OptionalPhonemizer):
    language = "be"
    language_name = "Belarusian"
    packages = ("jpype",)
    extra = "be"
    default_puncs = ",!."
    default_keep_puncs = True

    @staticmethod
    def name() -> str:
        return "be_phonemizer"

    def _raise_unavailable(self) -> None:
        from TTS.core.errors import MissingDependencyError

        raise MissingDependencyError(
            "The Belarusian phonemizer needs jpype (`pip install jpype1`), a Java runtime and the "
            "fanetyka.jar file named by the BEL_FANETYKA_JAR environment variable."
        )
