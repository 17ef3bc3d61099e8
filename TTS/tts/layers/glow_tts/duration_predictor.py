"""The Glow-TTS duration predictor (also ForwardTTS's duration/pitch/energy predictor).

2 x (conv, ReLU, layer norm) -> 1x1 conv; keys ``conv_1``, ``norm_1``, ``conv_2``, ``norm_2``,
``proj`` (+ ``cond``). It is the block VITS uses with ``use_sdp=False``, so it is imported
from there rather than written twice.
"""

from __future__ import annotations

from TTS.tts.layers.vits.duration_predictors import DurationPredictor as _SharedDurationPredictor

__all__ = ["DurationPredictor"]


class DurationPredictor(_SharedDurationPredictor):
    """Constructor with the reference's argument order: ``(in, hidden, kernel, dropout_p, cond, lang)``.

    ``x``: (B, C, T), ``x_mask``: (B, 1, T) -> log-durations (or pitch/energy) (B, 1, T).
    """

    def __init__(
        self,
        in_channels: int,
        hidden_channels: int,
        kernel_size: int,
        dropout_p: float = 0.0,
        cond_channels: int | None = None,
        language_emb_dim: int | None = None,
    ) -> None:
        super().__init__(
            in_channels,
            hidden_channels,
            kernel_size,
            cond_channels=cond_channels or 0,
            language_emb_dim=language_emb_dim or 0,
        )
