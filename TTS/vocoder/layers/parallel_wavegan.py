"""The WaveNet-style residual block of the ParallelWaveGAN generator.

Keys follow the released checkpoints: ``conv`` (dilated), ``conv1x1_aux``
(conditioning, no bias), ``conv1x1_out`` and ``conv1x1_skip``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["ResidualBlock"]

_RESIDUAL_SCALE = 0.25


class ResidualBlock(nn.Module):
    """Gated dilated conv with local conditioning; returns ``(residual_out, skip)``, both ``(B, C, T)``."""

    def __init__(
        self,
        kernel_size: int = 3,
        res_channels: int = 64,
        gate_channels: int = 128,
        skip_channels: int = 64,
        aux_channels: int = 80,
        dropout: float = 0.0,
        dilation: int = 1,
        bias: bool = True,
        use_causal_conv: bool = False,
    ) -> None:
        super().__init__()
        if not use_causal_conv and kernel_size % 2 != 1:
            raise ValueError(f"kernel_size must be odd for a non-causal block, got {kernel_size}")
        self.dropout = dropout
        self.use_causal_conv = use_causal_conv
        padding = (kernel_size - 1) * dilation if use_causal_conv else (kernel_size - 1) // 2 * dilation
        self.conv = nn.Conv1d(res_channels, gate_channels, kernel_size, padding=padding, dilation=dilation, bias=bias)
        self.conv1x1_aux = nn.Conv1d(aux_channels, gate_channels, 1, bias=False) if aux_channels > 0 else None
        half = gate_channels // 2
        self.conv1x1_out = nn.Conv1d(half, res_channels, 1, bias=bias)
        self.conv1x1_skip = nn.Conv1d(half, skip_channels, 1, bias=bias)

    def forward(self, x: torch.Tensor, c: torch.Tensor | None) -> tuple[torch.Tensor, torch.Tensor]:
        """``x``: (B, C_res, T); ``c``: (B, C_aux, T) or None. Returns (B, C_res, T), (B, C_skip, T)."""
        residual = x
        h = self.conv(F.dropout(x, p=self.dropout, training=self.training))
        if self.use_causal_conv:
            h = h[:, :, : residual.shape[-1]]
        h_tanh, h_gate = h.chunk(2, dim=1)
        if c is not None:
            if self.conv1x1_aux is None:
                raise ValueError("this block has no conditioning input (aux_channels=0)")
            c_tanh, c_gate = self.conv1x1_aux(c).chunk(2, dim=1)
            h_tanh, h_gate = h_tanh + c_tanh, h_gate + c_gate
        h = torch.tanh(h_tanh) * torch.sigmoid(h_gate)
        skip = self.conv1x1_skip(h)
        # The released models were trained with a residual scale of 0.25 (not the paper's sqrt(0.5)).
        return (self.conv1x1_out(h) + residual) * _RESIDUAL_SCALE, skip
