"""Upstream import path of the Glow flow decoder; it lives in :mod:`TTS.tts.layers.generic.glow_decoder`."""

from TTS.tts.layers.generic.glow_decoder import Decoder, squeeze, unsqueeze

__all__ = ["Decoder", "squeeze", "unsqueeze"]
