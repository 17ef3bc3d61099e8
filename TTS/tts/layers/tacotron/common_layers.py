"""Upstream import path of the decoder blocks; they live in :mod:`TTS.tts.layers.generic.decoder_blocks`."""

from TTS.tts.layers.generic.decoder_blocks import Linear, LinearBN, Prenet, calculate_post_conv_height

__all__ = ["Linear", "LinearBN", "Prenet", "calculate_post_conv_height"]
