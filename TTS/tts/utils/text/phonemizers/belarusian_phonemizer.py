"""Belarusian phonemizer (optional extra `be`): not supported by coqui-tts-ng.

Upstream's runs the Java "fanetyka" library through jpype (a JVM, ``pip install jpype1`` and
the jar named by ``BEL_FANETYKA_JAR``). coqui-tts-ng registers the name so configs resolve,
and fails with MissingDependencyError saying so.
"""

from __future__ import annotations

from TTS.tts.utils.text.phonemizers._optional import OptionalPhonemizer

__all__ = ["BEL_Phonemizer"]

_UNSUPPORTED = (
    "The Belarusian phonemizer (be_phonemizer) is not supported by coqui-tts-ng: it needs a Java runtime, "
    "jpype1 and the fanetyka.jar file named by the BEL_FANETYKA_JAR environment variable. Phonemize the "
    "text with upstream coqui-tts and pass phonemes, or use an espeak-ng based Belarusian model."
)


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

    @classmethod
    def is_available(cls) -> bool:
        return False

    def _raise_unavailable(self) -> None:
        from TTS.core.errors import MissingDependencyError

        raise MissingDependencyError(_UNSUPPORTED)

    def _phonemize(self, text: str, separator: str) -> str:
        self._raise_unavailable()
        return ""
