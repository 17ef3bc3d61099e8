"""VITS prior flow: mean-only residual coupling layers with channel flips (inverse direction).

Keys: ``flows.i.pre``, ``flows.i.enc.*`` (WaveNet), ``flows.i.post``.
"""

from __future__ import annotations

import torch
from torch import nn

from TTS.tts.layers.generic.wavenet import WaveNet

__all__ = ["ResidualCouplingBlock", "ResidualCouplingBlocks"]


class ResidualCouplingBlock(nn.Module):
    """Shift the second half of the channels by a WaveNet function of the first half."""

    def __init__(
        self,
        channels: int,
        hidden_channels: int,
        kernel_size: int,
        dilation_rate: int,
        num_layers: int,
        cond_channels: int = 0,
    ) -> None:
        super().__init__()
        if channels % 2:
            raise ValueError("coupling channels must be even")
        self.half_channels = channels // 2
        self.pre = nn.Conv1d(self.half_channels, hidden_channels, 1)
        self.enc = WaveNet(hidden_channels, kernel_size, dilation_rate, num_layers, cond_channels=cond_channels)
        self.post = nn.Conv1d(hidden_channels, self.half_channels, 1)

    def inverse(self, x: torch.Tensor, x_mask: torch.Tensor, g: torch.Tensor | None = None) -> torch.Tensor:
        """``x``: (B, C, T), ``x_mask``: (B, 1, T), ``g``: (B, C_g, 1) -> (B, C, T)."""
        x0, x1 = torch.split(x, [self.half_channels] * 2, dim=1)
        shift = self.post(self.enc(self.pre(x0) * x_mask, x_mask, g=g)) * x_mask
        return torch.cat([x0, (x1 - shift) * x_mask], dim=1)


class ResidualCouplingBlocks(nn.Module):
    """``num_flows`` coupling blocks, each followed by a channel flip in the forward direction."""

    def __init__(
        self,
        channels: int,
        hidden_channels: int,
        kernel_size: int,
        dilation_rate: int,
        num_layers: int,
        num_flows: int = 4,
        cond_channels: int = 0,
    ) -> None:
        super().__init__()
        self.flows = nn.ModuleList(
            ResidualCouplingBlock(channels, hidden_channels, kernel_size, dilation_rate, num_layers, cond_channels)
            for _ in range(num_flows)
        )

    def inverse(self, z: torch.Tensor, x_mask: torch.Tensor, g: torch.Tensor | None = None) -> torch.Tensor:
        """Map a prior sample ``z`` (B, C, T) back to the latent the decoder consumes."""
        for flow in reversed(self.flows):
            z = flow.inverse(torch.flip(z, [1]), x_mask, g=g)
        return z
