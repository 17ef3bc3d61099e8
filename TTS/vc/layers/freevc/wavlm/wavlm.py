"""Upstream's module path ``TTS.vc.layers.freevc.wavlm.wavlm``; the code is in ``TTS.vc.layers.wavlm``."""

from TTS.vc.layers.wavlm import WavLM, WavLMConfig

__all__ = ["WavLM", "WavLMConfig"]
