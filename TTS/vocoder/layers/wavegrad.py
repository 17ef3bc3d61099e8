"""WaveGrad building blocks: FiLM conditioning, upsampling (``UBlock``) and downsampling (``DBlock``) blocks.

Keys follow the released checkpoints (``res_block``, ``main_block.<i>``,
``out_block.<i>``; FiLM ``input_conv`` / ``output_conv``). All convs are plain
``nn.Conv1d`` so the MPS-safe path can chunk them.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["Conv1d", "PositionalEncoding", "FiLM", "UBlock", "DBlock"]

_SLOPE = 0.2


class Conv1d(nn.Conv1d):
    """``nn.Conv1d`` with orthogonal weights and zero bias at construction (the weights are loaded anyway)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        nn.init.orthogonal_(self.weight)
        nn.init.zeros_(self.bias)


class PositionalEncoding(nn.Module):
    """Adds the noise level and a sinusoidal position code (scaled by 1/5000) to ``x`` (B, C, T).

    The code table is built on first use for the longest input seen and kept (not a state-dict entry).
    """

    def __init__(self, n_channels: int, max_len: int = 10000) -> None:
        super().__init__()
        self.n_channels = n_channels
        self.max_len = max_len
        self.C = 5000
        self.pe = torch.zeros(0, 0)

    def forward(self, x: torch.Tensor, noise_level: torch.Tensor) -> torch.Tensor:
        """``x``: (B, C, T); ``noise_level``: (B,). Returns (B, C, T)."""
        if x.shape[2] > self.pe.shape[1] or self.pe.device != x.device or self.pe.dtype != x.dtype:
            self.init_pe_matrix(x.shape[1], max(x.shape[2], self.pe.shape[1]), x)
        return x + noise_level[:, None, None] + self.pe[None, :, : x.shape[2]] / self.C

    def init_pe_matrix(self, n_channels: int, max_len: int, x: torch.Tensor) -> None:
        """Build the (C, max_len) table: sin on even channels, cos on odd ones, wavelengths 10000^(2i/C)."""
        position = torch.arange(max_len, dtype=torch.float32).unsqueeze(1)
        inv_freq = torch.pow(10000, torch.arange(0, n_channels, 2, dtype=torch.float32) / n_channels)
        table = torch.zeros(max_len, n_channels)
        table[:, 0::2] = torch.sin(position / inv_freq)
        table[:, 1::2] = torch.cos(position / inv_freq)
        self.pe = table.t().to(x)


class FiLM(nn.Module):
    """Feature-wise affine conditioning: ``x`` (B, C_in, T) -> ``(shift, scale)``, each (B, C_out, T)."""

    def __init__(self, input_size: int, output_size: int) -> None:
        super().__init__()
        self.encoding = PositionalEncoding(input_size)
        self.input_conv = nn.Conv1d(input_size, input_size, 3, padding=1)
        self.output_conv = nn.Conv1d(input_size, output_size * 2, 3, padding=1)

    def forward(self, x: torch.Tensor, noise_scale: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """``x``: (B, C_in, T); ``noise_scale``: (B,)."""
        h = F.leaky_relu(self.input_conv(x), _SLOPE)
        h = self.encoding(h, noise_scale)
        shift, scale = self.output_conv(h).chunk(2, dim=1)
        return shift, scale

    def remove_weight_norm(self) -> None:
        """No-op: weights are folded at load time."""

    def apply_weight_norm(self) -> None:
        """No-op at inference."""


def shif_and_scale(x: torch.Tensor, scale: torch.Tensor, shift: torch.Tensor) -> torch.Tensor:
    """FiLM modulation ``shift + scale * x`` (upstream's spelling of the name is kept)."""
    return shift + scale * x


class UBlock(nn.Module):
    """Upsample by ``factor`` (nearest) with FiLM-modulated dilated convs; (B, C_in, T) -> (B, C_out, T * factor)."""

    def __init__(self, input_size: int, hidden_size: int, factor: int, dilation: Sequence[int]) -> None:
        super().__init__()
        if len(dilation) != 4:
            raise ValueError(f"UBlock needs 4 dilations, got {list(dilation)}")
        self.factor = factor
        self.res_block = Conv1d(input_size, hidden_size, 1)
        self.main_block = nn.ModuleList(
            [
                Conv1d(input_size, hidden_size, 3, dilation=dilation[0], padding=dilation[0]),
                Conv1d(hidden_size, hidden_size, 3, dilation=dilation[1], padding=dilation[1]),
            ]
        )
        self.out_block = nn.ModuleList(
            [
                Conv1d(hidden_size, hidden_size, 3, dilation=dilation[2], padding=dilation[2]),
                Conv1d(hidden_size, hidden_size, 3, dilation=dilation[3], padding=dilation[3]),
            ]
        )

    def forward(self, x: torch.Tensor, shift: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
        """``x``: (B, C_in, T); ``shift``/``scale``: (B, C_out, T * factor)."""
        up = F.interpolate(x, size=x.shape[-1] * self.factor)
        skip = self.res_block(up)
        h = self.main_block[0](F.leaky_relu(up, _SLOPE))
        h = self.main_block[1](F.leaky_relu(shif_and_scale(h, scale, shift), _SLOPE))
        mid = skip + h
        h = self.out_block[0](F.leaky_relu(shif_and_scale(mid, scale, shift), _SLOPE))
        h = self.out_block[1](F.leaky_relu(shif_and_scale(h, scale, shift), _SLOPE))
        return h + mid

    def remove_weight_norm(self) -> None:
        """No-op: weights are folded at load time."""

    def apply_weight_norm(self) -> None:
        """No-op at inference."""


class DBlock(nn.Module):
    """Downsample by ``factor`` (nearest) with three dilated convs; (B, C_in, T) -> (B, C_out, T / factor)."""

    def __init__(self, input_size: int, hidden_size: int, factor: int) -> None:
        super().__init__()
        self.factor = factor
        self.res_block = Conv1d(input_size, hidden_size, 1)
        self.main_block = nn.ModuleList(
            [
                Conv1d(input_size, hidden_size, 3, dilation=1, padding=1),
                Conv1d(hidden_size, hidden_size, 3, dilation=2, padding=2),
                Conv1d(hidden_size, hidden_size, 3, dilation=4, padding=4),
            ]
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, C_in, T) -> (B, C_out, T // factor)."""
        size = x.shape[-1] // self.factor
        skip = F.interpolate(self.res_block(x), size=size)
        h = F.interpolate(x, size=size)
        for conv in self.main_block:
            h = conv(F.leaky_relu(h, _SLOPE))
        return h + skip

    def remove_weight_norm(self) -> None:
        """No-op: weights are folded at load time."""

    def apply_weight_norm(self) -> None:
        """No-op at inference."""
