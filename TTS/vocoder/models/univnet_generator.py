"""UnivNet generator: noise ``(B, in_channels, T)`` shaped into audio by location-variable convolutions.

Keys follow the released checkpoints: ``first_conv``, ``lvc_blocks.<n>.*`` and
``last_conv_layers.0``. The released convs (not the transposed ones) are weight-normed;
the loader folds them.

Noise comes from the global ``torch`` generator exactly as upstream draws it
(upstream's ``inference`` draws one tensor it never uses, then ``forward`` draws
the one it uses; we consume the generator the same way), so a seeded run
reproduces upstream's audio. Pass ``noise`` to fix it explicitly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from TTS.vocoder.layers.lvc_block import LVCBlock

__all__ = ["UnivnetGenerator", "generator_from_config"]

LRELU_SLOPE = 0.1


class UnivnetGenerator(nn.Module):
    """Mel ``(B, cond_channels, T)`` -> audio ``(B, out_channels, T * prod(upsample_factors))``."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        hidden_channels: int,
        cond_channels: int,
        upsample_factors: Sequence[int],
        lvc_layers_each_block: int,
        lvc_kernel_size: int,
        kpnet_hidden_channels: int,
        kpnet_conv_size: int,
        dropout: float,
        use_weight_norm: bool = True,
    ) -> None:
        super().__init__()
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.cond_channels = cond_channels
        self.upsample_scale = int(math.prod(upsample_factors))
        self.lvc_block_nums = len(upsample_factors)
        self.first_conv = nn.Conv1d(in_channels, hidden_channels, 7, padding=3)
        self.lvc_blocks = nn.ModuleList()
        hop = 1
        for factor in upsample_factors:
            hop *= factor
            self.lvc_blocks.append(
                LVCBlock(
                    in_channels=hidden_channels,
                    cond_channels=cond_channels,
                    upsample_ratio=factor,
                    conv_layers=lvc_layers_each_block,
                    conv_kernel_size=lvc_kernel_size,
                    cond_hop_length=hop,
                    kpnet_hidden_channels=kpnet_hidden_channels,
                    kpnet_conv_size=kpnet_conv_size,
                    kpnet_dropout=dropout,
                )
            )
        self.last_conv_layers = nn.ModuleList([nn.Conv1d(hidden_channels, out_channels, 7, padding=3)])

    def forward(self, c: torch.Tensor, noise: torch.Tensor | None = None) -> torch.Tensor:
        """``c``: (B, C_cond, T); ``noise``: (B, in_channels, T) or None. Returns (B, out_channels, T * hop)."""
        if noise is None:
            noise = torch.randn(c.shape[0], self.in_channels, c.shape[2])
        x = self.first_conv(noise.to(self.first_conv.bias.device, self.first_conv.bias.dtype))
        for block in self.lvc_blocks:
            x = block(x, c)
        for conv in self.last_conv_layers:
            x = conv(F.leaky_relu(x, LRELU_SLOPE))
        return torch.tanh(x)

    @torch.inference_mode()
    def inference(self, c: torch.Tensor, noise: torch.Tensor | None = None) -> torch.Tensor:
        """Mel (B, C_cond, T) -> audio (B, out_channels, T * hop); no edge padding (as upstream)."""
        weight = self.first_conv.weight
        c = c.to(weight.device, weight.dtype)
        if noise is None:
            torch.randn(c.shape[0], self.in_channels, c.shape[2])  # consumed and unused, as upstream
        return self.forward(c, noise)

    def remove_weight_norm(self) -> None:
        """No-op: weights are folded at load time (kept for API compatibility)."""

    def apply_weight_norm(self) -> None:
        """No-op at inference (kept for API compatibility)."""


def generator_from_config(config: Any) -> UnivnetGenerator:
    """``UnivnetGenerator(**config.generator_model_params)``, as upstream."""
    return UnivnetGenerator(**dict(config.generator_model_params))
