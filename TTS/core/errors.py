"""Errors a user can act on.

Every error raised for bad input derives from :class:`TTSError`; its message
says what went wrong and what to do. The ``tts`` CLI prints it on one line and
exits with status 2; the Python API lets it propagate.
"""

from __future__ import annotations

__all__ = [
    "TTSError",
    "InvalidInputError",
    "ModelNotFoundError",
    "CheckpointError",
    "AudioLoadError",
    "MissingDependencyError",
    "DownloadError",
]


class TTSError(Exception):
    """Base class: an error with a message meant for the user."""


class InvalidInputError(TTSError, ValueError):
    """Bad text, speaker, language, option value or sample rate."""


class ModelNotFoundError(TTSError, LookupError):
    """An unknown model name, or model files that are not where they should be."""


class CheckpointError(TTSError):
    """A checkpoint that cannot be loaded safely (corrupt, legacy, or unsafe pickle)."""


class AudioLoadError(TTSError, OSError):
    """An audio file that is missing, unreadable, empty, silent or too short."""


class MissingDependencyError(TTSError, ImportError):
    """An optional dependency (extra or system package) that a feature needs."""


class DownloadError(TTSError, OSError):
    """A download that failed, was interrupted, or produced corrupt files."""
