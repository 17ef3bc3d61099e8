"""Upstream import path of the duration predictor; it lives in :mod:`TTS.tts.layers.generic.duration_predictor`."""

from TTS.tts.layers.generic.duration_predictor import DurationPredictor

__all__ = ["DurationPredictor"]
