"""Glow-TTS flow pieces: prenet block, activation norm, invertible 1x1 mixing, affine coupling.

Only the inverse direction (latent -> mel) is needed for inference.
Keys: ``ResidualConv1dLayerNormBlock`` -> ``conv_layers.i``, ``norm_layers.i``, ``proj``;
``ActNorm`` -> ``logs``, ``bias`` (1, C, 1); ``InvConvNear`` -> ``weight`` (S, S);
``CouplingBlock`` -> ``start``, ``wn.*`` (WaveNet), ``end``.
"""

from __future__ import annotations

import torch
from torch import nn

from TTS.tts.layers.vits.normalization import LegacyChannelLayerNorm
from TTS.tts.layers.vits.wavenet import WaveNet

__all__ = ["ResidualConv1dLayerNormBlock", "ActNorm", "InvConvNear", "CouplingBlock"]


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


class ActNorm(nn.Module):
    """Per-channel affine flow ``z = bias + exp(logs) * x``; inverse ``(z - bias) * exp(-logs)``."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.logs = nn.Parameter(torch.zeros(1, channels, 1))
        self.bias = nn.Parameter(torch.zeros(1, channels, 1))

    def inverse(self, z: torch.Tensor, x_mask: torch.Tensor, g: torch.Tensor | None = None) -> torch.Tensor:
        """``z``: (B, C, T), ``x_mask``: (B, 1, T) -> (B, C, T)."""
        return (z - self.bias) * torch.exp(-self.logs) * x_mask


class InvConvNear(nn.Module):
    """Invertible channel mixing: channels are cut into groups of ``num_splits`` (half from each
    channel half) and each group is mixed by the same ``(S, S)`` matrix ``weight``.

    Done as a matrix product rather than the reference's 1x1 ``conv2d``, so no convolution
    runs over the (long) time axis.
    """

    def __init__(self, channels: int, num_splits: int = 4) -> None:
        super().__init__()
        if num_splits % 2 or channels % num_splits:
            raise ValueError("num_splits must be even and divide the channel count")
        self.channels = channels
        self.num_splits = num_splits
        self.weight = nn.Parameter(torch.eye(num_splits))

    def _mix(self, x: torch.Tensor, matrix: torch.Tensor, x_mask: torch.Tensor) -> torch.Tensor:
        b, c, t = x.shape
        s = self.num_splits
        # channel c = half * (C/2) + j * (S/2) + k  ->  group index (half, k), member j
        groups = x.view(b, 2, c // s, s // 2, t).permute(0, 1, 3, 2, 4).reshape(b, s, c // s, t)
        mixed = torch.einsum("ij,bjnt->bint", matrix, groups)
        mixed = mixed.view(b, 2, s // 2, c // s, t).permute(0, 1, 3, 2, 4).reshape(b, c, t)
        return mixed * x_mask

    def inverse(self, z: torch.Tensor, x_mask: torch.Tensor, g: torch.Tensor | None = None) -> torch.Tensor:
        """``z``: (B, C, T) -> (B, C, T) through the inverse matrix."""
        inv = torch.linalg.inv(self.weight.float()).to(self.weight.dtype)
        return self._mix(z, inv, x_mask)


class CouplingBlock(nn.Module):
    """Affine coupling: the first channel half drives a WaveNet that predicts shift ``t`` and
    log-scale ``s`` for the second half. ``sigmoid_scale`` uses ``log(sigmoid(s + 2) + 1e-6)``.
    """

    def __init__(
        self,
        in_channels: int,
        hidden_channels: int,
        kernel_size: int,
        dilation_rate: int,
        num_layers: int,
        c_in_channels: int = 0,
        sigmoid_scale: bool = False,
    ) -> None:
        super().__init__()
        self.half = in_channels // 2
        self.sigmoid_scale = sigmoid_scale
        self.start = nn.Conv1d(self.half, hidden_channels, 1)
        self.end = nn.Conv1d(hidden_channels, in_channels, 1)
        self.wn = WaveNet(hidden_channels, kernel_size, dilation_rate, num_layers, cond_channels=c_in_channels)

    def inverse(self, z: torch.Tensor, x_mask: torch.Tensor, g: torch.Tensor | None = None) -> torch.Tensor:
        """``z``: (B, C, T), ``x_mask``: (B, 1, T), ``g``: (B, C_g, 1) -> (B, C, T)."""
        z0, z1 = z[:, : self.half], z[:, self.half :]
        out = self.end(self.wn(self.start(z0) * x_mask, x_mask, g))
        shift, log_scale = out[:, : self.half], out[:, self.half :]
        if self.sigmoid_scale:
            log_scale = torch.log(1e-6 + torch.sigmoid(log_scale + 2))
        x1 = (z1 - shift) * torch.exp(-log_scale) * x_mask
        return torch.cat([z0, x1], dim=1)
