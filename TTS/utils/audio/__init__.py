"""Upstream's audio package path: ``from TTS.utils.audio import AudioProcessor``."""

from TTS.utils.audio.processor import AudioProcessor

__all__ = ["AudioProcessor"]
