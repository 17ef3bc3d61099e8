"""Upstream import path of the relative-position transformer; it lives in
:mod:`TTS.tts.layers.generic.relative_transformer`."""

from TTS.tts.layers.generic.relative_transformer import (
    ConvFeedForward,
    RelativePositionMultiHeadAttention,
    RelativePositionTransformer,
)

__all__ = ["ConvFeedForward", "RelativePositionMultiHeadAttention", "RelativePositionTransformer"]
