"""Latin transliteration for Japanese and Korean (optional extras).

XTTS v2 reads Japanese as lower-case Hepburn romaji (cutlet + MeCab with the
unidic-lite dictionary) and Korean as Revised Romanization.
"""

from __future__ import annotations

from typing import Any

from TTS.core.errors import MissingDependencyError

__all__ = ["make_japanese_romanizer", "korean_to_latin"]


def make_japanese_romanizer() -> Any:
    """A ``cutlet.Cutlet`` (slow to build: create once and keep it)."""
    try:
        import cutlet
    except ImportError as error:
        raise MissingDependencyError(
            "Japanese (ja) text needs cutlet, fugashi and unidic-lite: pip install coqui-tts-ng[ja]"
        ) from error
    try:
        return cutlet.Cutlet()
    except RuntimeError as error:  # fugashi without a dictionary
        raise MissingDependencyError(
            f"Japanese (ja) text needs a MeCab dictionary ({error}): pip install coqui-tts-ng[ja]"
        ) from error


def korean_to_latin(text: str) -> str:
    """Hangul syllables to Revised Romanization; other characters are kept."""
    try:
        from ko_speech_tools import hangul_romanize
    except ImportError:
        try:
            from hangul_romanize import Transliter
            from hangul_romanize.rule import academic
        except ImportError as error:
            raise MissingDependencyError(
                "Korean (ko) text needs ko-speech-tools (or hangul-romanize): pip install coqui-tts-ng[ko]"
            ) from error
        return Transliter(academic).translit(text)
    return hangul_romanize(text)
