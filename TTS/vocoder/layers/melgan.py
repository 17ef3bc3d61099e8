"""The MelGAN residual stack, shared by the MelGAN, Multi-band and Full-band MelGAN generators.

State-dict keys follow the released checkpoints: ``blocks.i.2`` (dilated conv),
``blocks.i.4`` (1x1 conv) and ``shortcuts.i`` (1x1 conv). The released weights are
weight-normed; the loader folds them (:func:`TTS.core.checkpoint.fold_weight_norm`),
so the modules here hold a plain ``weight``.
"""

from __future__ import annotations

import torch
from torch import nn

__all__ = ["ResidualStack"]

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
        """``x``: (B, C, T) -> (B, C, T)."""
        for block, shortcut in zip(self.blocks, self.shortcuts):
            x = shortcut(x) + block(x)
        return x

    def remove_weight_norm(self) -> None:
        """No-op: weights are folded at load time (kept for API compatibility)."""
