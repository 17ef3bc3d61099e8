"""Glow-TTS layers: text encoder (relative-position transformer), duration predictor, flow decoder."""
