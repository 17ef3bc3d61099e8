"""Channel-wise norms for ``(B, C, T)`` tensors, with the released parameter shapes.

``ChannelLayerNorm`` (VITS, transformer ``layer_norm_type="2"``), ``LegacyChannelLayerNorm``
(Glow-TTS style blocks, duration predictor) and the Glow flow step ``ActNorm``.
``LayerNorm`` / ``LayerNorm2`` are the upstream names of the two layer norms.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["ActNorm", "ChannelLayerNorm", "LayerNorm", "LayerNorm2", "LegacyChannelLayerNorm"]


class ChannelLayerNorm(nn.Module):
    """Layer norm over the channel axis of ``(B, C, T)``; ``gamma``/``beta`` are ``(C,)``."""

    def __init__(self, channels: int, eps: float = 1e-5) -> None:
        super().__init__()
        self.channels = channels
        self.eps = eps
        self.gamma = nn.Parameter(torch.ones(channels))
        self.beta = nn.Parameter(torch.zeros(channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x``: (B, C, T) -> (B, C, T)."""
        y = F.layer_norm(x.transpose(1, 2), (self.channels,), self.gamma, self.beta, self.eps)
        return y.transpose(1, 2)


class LegacyChannelLayerNorm(nn.Module):
    """Channel layer norm with ``(1, C, 1)`` parameters and eps 1e-4 (Glow-TTS style blocks)."""

    def __init__(self, channels: int, eps: float = 1e-4) -> None:
        super().__init__()
        self.eps = eps
        self.gamma = nn.Parameter(torch.ones(1, channels, 1))
        self.beta = nn.Parameter(torch.zeros(1, channels, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x``: (B, C, T) -> (B, C, T)."""
        mean = x.mean(dim=1, keepdim=True)
        var = (x - mean).pow(2).mean(dim=1, keepdim=True)
        return (x - mean) * torch.rsqrt(var + self.eps) * self.gamma + self.beta


class ActNorm(nn.Module):
    """Per-channel affine flow ``z = bias + exp(logs) * x``; inverse ``(z - bias) * exp(-logs)``."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.logs = nn.Parameter(torch.zeros(1, channels, 1))
        self.bias = nn.Parameter(torch.zeros(1, channels, 1))

    def inverse(self, z: torch.Tensor, x_mask: torch.Tensor, g: torch.Tensor | None = None) -> torch.Tensor:
        """``z``: (B, C, T), ``x_mask``: (B, 1, T) -> (B, C, T)."""
        return (z - self.bias) * torch.exp(-self.logs) * x_mask


# Upstream's names for the same blocks (same constructor arguments and parameter shapes).
LayerNorm = LegacyChannelLayerNorm
LayerNorm2 = ChannelLayerNorm
