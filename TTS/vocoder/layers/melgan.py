"""The MelGAN residual stack, shared by the MelGAN, Multi-band and Full-band MelGAN generators.

State-dict keys follow the released checkpoints: ``blocks.i.2`` (dilated conv),
``blocks.i.4`` (1x1 conv) and ``shortcuts.i`` (1x1 conv). The released weights are
weight-normed; the loader folds them (:func:`TTS.core.checkpoint.fold_weight_norm`),
so the modules here hold a plain ``weight``. ``conv_transpose1d_polyphase`` lives in
:mod:`TTS.core.layers.cl_conv` and is re-exported here.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from TTS.core.layers.cl_conv import (
    conv1d_cl,
    conv_transpose1d_polyphase,
    leaky_relu_reflect_pad_cl,
    pointwise_conv_sum,
    tiled_cl,
)

__all__ = ["ResidualStack", "conv_transpose1d_polyphase"]

_SLOPE = 0.2


class ResidualStack(nn.Module):
    """``num_res_blocks`` residual units with dilations ``kernel_size ** i``.

    Each unit: ``x = shortcut(x) + conv1x1(lrelu(conv_dilated(reflect_pad(lrelu(x)))))``.
    ``(B, C, T) -> (B, C, T)``.
    """

    def __init__(self, channels: int, num_res_blocks: int, kernel_size: int) -> None:
        super().__init__()
        if kernel_size % 2 != 1:
            raise ValueError(f"kernel_size must be odd, got {kernel_size}")
        half = (kernel_size - 1) // 2
        self.blocks = nn.ModuleList()
        for i in range(num_res_blocks):
            dilation = kernel_size**i
            # Indices 0..4 match the released keys (blocks.i.2 and blocks.i.4 hold weights).
            self.blocks.append(
                nn.Sequential(
                    nn.LeakyReLU(_SLOPE),
                    nn.ReflectionPad1d(half * dilation),
                    nn.Conv1d(channels, channels, kernel_size, dilation=dilation),
                    nn.LeakyReLU(_SLOPE),
                    nn.Conv1d(channels, channels, 1),
                )
            )
        self.shortcuts = nn.ModuleList(nn.Conv1d(channels, channels, 1) for _ in range(num_res_blocks))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x``: (B, C, T) -> (B, C, T), or channels-last (B, C, 1, T) -> the same (see :mod:`TTS.core.layers.cl_conv`)."""
        if x.dim() == 4:
            return self._forward_channels_last(x)
        for block, shortcut in zip(self.blocks, self.shortcuts):
            # LeakyReLU commutes with the reflection pad, so pad first and activate the fresh copy in place.
            h = F.leaky_relu(block[1](x), _SLOPE, inplace=True)
            h = F.leaky_relu(block[2](h), _SLOPE, inplace=True)
            x = pointwise_conv_sum([(shortcut, x), (block[4], h)])
        return x

    @property
    def halo(self) -> int:
        """Frames each side that one output frame depends on (the sum of the units' reach)."""
        return sum(block[1].padding[0] for block in self.blocks)

    def _forward_channels_last(self, x: torch.Tensor) -> torch.Tensor:
        """CL (B, C, 1, T) -> CL (B, C, 1, T); at batch 1 in time tiles (:func:`~TTS.core.layers.cl_conv.tiled_cl`)."""
        if x.shape[0] != 1:
            return self.units_cl(x)
        return tiled_cl(lambda lo, hi: self.units_cl(x[..., lo:hi]), x.shape[-1], self.halo, x.shape[1])

    def units_cl(self, x: torch.Tensor) -> torch.Tensor:
        """All units on CL ``x`` (B, C, 1, T) -> CL (B, C, 1, T)."""
        for block, shortcut in zip(self.blocks, self.shortcuts):
            h = leaky_relu_reflect_pad_cl(x, block[1].padding[0], _SLOPE)
            h = F.leaky_relu(conv1d_cl(block[2], h), _SLOPE, inplace=True)
            x = pointwise_conv_sum([(shortcut, x), (block[4], h)])
        return x

    def remove_weight_norm(self) -> None:
        """No-op: weights are folded at load time (kept for API compatibility)."""
