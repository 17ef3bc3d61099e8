"""Glow-TTS encoder prenet block (keys ``conv_layers.i``, ``norm_layers.i``, ``proj``).

The flow steps (``InvConvNear``, ``CouplingBlock``) live in :mod:`TTS.tts.layers.generic.glow_decoder`
(OverFlow shares them) and are re-exported here under their upstream path.
"""

from __future__ import annotations

import torch
from torch import nn

from TTS.tts.layers.generic.glow_decoder import CouplingBlock, InvConvNear
from TTS.tts.layers.generic.normalization import LegacyChannelLayerNorm

__all__ = ["ResidualConv1dLayerNormBlock", "InvConvNear", "CouplingBlock"]


class ResidualConv1dLayerNormBlock(nn.Module):
    """``num_layers`` x (conv, layer norm, ReLU), a 1x1 projection and a residual: (B, C, T) -> (B, C_out, T)."""

    def __init__(
        self,
        in_channels: int,
        hidden_channels: int,
        out_channels: int,
        kernel_size: int,
        num_layers: int,
        dropout_p: float = 0.0,
    ) -> None:
        super().__init__()
        if kernel_size % 2 != 1:
            raise ValueError("kernel_size must be odd")
        self.conv_layers = nn.ModuleList(
            nn.Conv1d(
                in_channels if i == 0 else hidden_channels, hidden_channels, kernel_size, padding=kernel_size // 2
            )
            for i in range(num_layers)
        )
        self.norm_layers = nn.ModuleList(LegacyChannelLayerNorm(hidden_channels) for _ in range(num_layers))
        self.proj = nn.Conv1d(hidden_channels, out_channels, 1)

    def forward(self, x: torch.Tensor, x_mask: torch.Tensor) -> torch.Tensor:
        h = x
        for conv, norm in zip(self.conv_layers, self.norm_layers):
            h = torch.relu(norm(conv(h * x_mask) * x_mask))
        return (x + self.proj(h)) * x_mask
