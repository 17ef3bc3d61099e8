"""SpeedySpeech-style duration predictor: conv-BN (k=4, 3, 1) -> 1x1 conv; keys ``layers.{0..3}``.

ForwardTTS itself uses :class:`TTS.tts.layers.generic.duration_predictor.DurationPredictor`.
"""

from __future__ import annotations

import torch
from torch import nn

from TTS.tts.layers.generic.res_conv_bn import Conv1dBN

__all__ = ["DurationPredictor"]


class DurationPredictor(nn.Module):
    """(B, C, T), mask (B, 1, T) -> log-durations (B, 1, T)."""

    def __init__(self, hidden_channels: int) -> None:
        super().__init__()
        self.layers = nn.ModuleList(
            [
                Conv1dBN(hidden_channels, hidden_channels, 4, 1),
                Conv1dBN(hidden_channels, hidden_channels, 3, 1),
                Conv1dBN(hidden_channels, hidden_channels, 1, 1),
                nn.Conv1d(hidden_channels, 1, 1),
            ]
        )

    def forward(self, x: torch.Tensor, x_mask: torch.Tensor) -> torch.Tensor:
        for layer in self.layers:
            x = layer(x) * x_mask
        return x
