"""Upstream's import path for the HiFi-GAN generator; the one implementation is in ``TTS.core.layers.hifigan``."""

from TTS.core.layers.hifigan import HifiganGenerator, ResBlock1, ResBlock2

__all__ = ["HifiganGenerator", "ResBlock1", "ResBlock2"]
