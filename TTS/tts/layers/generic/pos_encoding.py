"""Sinusoidal positional encoding added to (B, C, T) features (ForwardTTS decoders)."""

from __future__ import annotations

import math

import torch
from torch import nn

from TTS.core.errors import InvalidInputError

__all__ = ["PositionalEncoding", "sinusoid_table"]


def sinusoid_table(channels: int, max_len: int) -> torch.Tensor:
    """(1, C, max_len): sin on even channels, cos on odd ones.

    The angle is ``t * 10000^(2i/C)`` (a growing, not shrinking, rate): that is the table the
    released ForwardTTS models were trained with and store in their checkpoints.
    """
    position = torch.arange(max_len, dtype=torch.float32)[:, None]
    rate = torch.pow(10000, torch.arange(0, channels, 2, dtype=torch.float32) / channels)
    table = torch.zeros(max_len, channels)
    table[:, 0::2] = torch.sin(position * rate)
    table[:, 1::2] = torch.cos(position * rate)
    return table.t().unsqueeze(0)


class PositionalEncoding(nn.Module):
    """``x * sqrt(C) + pe[:T]`` (masked); buffer ``pe`` (1, C, max_len) is saved in checkpoints.

    ``use_scale`` adds a learned scalar ``scale`` on the table.
    """

    def __init__(self, channels: int, dropout_p: float = 0.0, max_len: int = 5000, use_scale: bool = False) -> None:
        super().__init__()
        if channels % 2:
            raise ValueError(f"sinusoidal positional encoding needs an even channel count, got {channels}")
        self.channels = channels
        self.use_scale = use_scale
        if use_scale:
            self.scale = nn.Parameter(torch.ones(1))
        self.register_buffer("pe", sinusoid_table(channels, max_len))

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """``x``: (B, C, T), ``mask``: (B, 1, T) -> (B, C, T)."""
        length = x.shape[2]
        if length > self.pe.shape[2]:
            raise InvalidInputError(
                f"The output would be {length} frames long but this model's positional encoding stops at "
                f"{self.pe.shape[2]}; split the text into shorter sentences."
            )
        table = self.pe[:, :, :length]
        if mask is not None:
            table = table * mask
        if self.use_scale:
            table = self.scale * table
        return x * math.sqrt(self.channels) + table
