"""ParallelWaveGAN generator: a non-causal WaveNet that turns noise into audio, conditioned on mel frames.

Keys follow the released checkpoints: ``first_conv``, ``upsample_net.conv_in``,
``upsample_net.upsample.up_layers.<i>``, ``conv_layers.<i>.*`` and
``last_conv_layers.1`` / ``.3``. Every conv of the released model is weight-normed;
the loader folds them.

The input noise is drawn with ``torch.randn`` from the global generator, exactly
as upstream does, so ``torch.manual_seed(s)`` before inference reproduces
upstream's audio; pass ``noise`` to fix it explicitly.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from TTS.vocoder.layers.parallel_wavegan import ResidualBlock
from TTS.vocoder.layers.upsample import ConvUpsample

__all__ = ["ParallelWaveganGenerator", "generator_from_config"]


def _get_receptive_field_size(
    layers: int, stacks: int, kernel_size: int, dilation: Callable[[int], int] = lambda x: 2**x
) -> int:
    """Receptive field (samples) of ``layers`` dilated convs in ``stacks`` cycles."""
    if layers % stacks != 0:
        raise ValueError(f"layers ({layers}) must be a multiple of stacks ({stacks})")
    per_cycle = layers // stacks
    return (kernel_size - 1) * sum(dilation(i % per_cycle) for i in range(layers)) + 1


class ParallelWaveganGenerator(nn.Module):
    """Noise ``(B, 1, T * hop)`` + mel ``(B, C_mel, T)`` -> audio ``(B, out_channels, T * hop)``."""

    def __init__(
        self,
        in_channels: int = 1,
        out_channels: int = 1,
        kernel_size: int = 3,
        num_res_blocks: int = 30,
        stacks: int = 3,
        res_channels: int = 64,
        gate_channels: int = 128,
        skip_channels: int = 64,
        aux_channels: int = 80,
        dropout: float = 0.0,
        bias: bool = True,
        use_weight_norm: bool = True,
        upsample_factors: Sequence[int] | None = None,
        inference_padding: int = 2,
    ) -> None:
        super().__init__()
        if num_res_blocks % stacks != 0:
            raise ValueError(f"num_res_blocks ({num_res_blocks}) must be a multiple of stacks ({stacks})")
        upsample_factors = list(upsample_factors or [4, 4, 4, 4])
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.aux_channels = aux_channels
        self.num_res_blocks = num_res_blocks
        self.stacks = stacks
        self.kernel_size = kernel_size
        self.upsample_factors = upsample_factors
        self.upsample_scale = int(math.prod(upsample_factors))
        self.inference_padding = inference_padding
        self.use_weight_norm = use_weight_norm

        self.first_conv = nn.Conv1d(in_channels, res_channels, 1)
        # As upstream, the upsampler keeps its own default of 80 conditioning channels.
        self.upsample_net = ConvUpsample(upsample_factors=upsample_factors)
        per_stack = num_res_blocks // stacks
        self.conv_layers = nn.ModuleList(
            ResidualBlock(
                kernel_size=kernel_size,
                res_channels=res_channels,
                gate_channels=gate_channels,
                skip_channels=skip_channels,
                aux_channels=aux_channels,
                dilation=2 ** (i % per_stack),
                dropout=dropout,
                bias=bias,
            )
            for i in range(num_res_blocks)
        )
        self.last_conv_layers = nn.ModuleList(
            [
                nn.ReLU(),
                nn.Conv1d(skip_channels, skip_channels, 1),
                nn.ReLU(),
                nn.Conv1d(skip_channels, out_channels, 1),
            ]
        )

    def forward(self, c: torch.Tensor, noise: torch.Tensor | None = None) -> torch.Tensor:
        """``c``: (B, C_mel, T); ``noise``: (B, 1, T * hop) or None (drawn with ``torch.randn``)."""
        if noise is None:
            noise = torch.randn(c.shape[0], 1, c.shape[2] * self.upsample_scale)
        x = noise.to(self.first_conv.bias.device, self.first_conv.bias.dtype)
        c = self.upsample_net(c)
        if c.shape[-1] != x.shape[-1]:
            raise ValueError(f"upsampled features have {c.shape[-1]} steps but the noise has {x.shape[-1]}")
        x = self.first_conv(x)
        skips = torch.zeros((), dtype=x.dtype, device=x.device)
        for block in self.conv_layers:
            x, skip = block(x, c)
            skips = skips + skip
        x = skips * math.sqrt(1.0 / len(self.conv_layers))
        for layer in self.last_conv_layers:
            x = layer(x)
        return x

    @torch.inference_mode()
    def inference(self, c: torch.Tensor, noise: torch.Tensor | None = None) -> torch.Tensor:
        """Edge-pad ``c`` (B, C_mel, T) by ``inference_padding`` frames each side and generate (B, 1, T' * hop)."""
        c = c.to(self.first_conv.weight.device)
        c = F.pad(c, (self.inference_padding, self.inference_padding), mode="replicate")
        return self.forward(c, noise)

    def remove_weight_norm(self) -> None:
        """No-op: weights are folded at load time (kept for API compatibility)."""

    def apply_weight_norm(self) -> None:
        """No-op at inference (kept for API compatibility)."""

    @property
    def receptive_field_size(self) -> int:
        """Receptive field of the dilated stack, in samples."""
        return _get_receptive_field_size(self.num_res_blocks, self.stacks, self.kernel_size)


def generator_from_config(config: Any) -> ParallelWaveganGenerator:
    """Build the generator as upstream's ``setup_generator`` does (fixed channel sizes, weight norm on)."""
    params = config.generator_model_params or {}
    return ParallelWaveganGenerator(
        in_channels=1,
        out_channels=1,
        kernel_size=3,
        num_res_blocks=params["num_res_blocks"],
        stacks=params["stacks"],
        res_channels=64,
        gate_channels=128,
        skip_channels=64,
        aux_channels=config.audio["num_mels"],
        dropout=0.0,
        bias=True,
        use_weight_norm=True,
        upsample_factors=params["upsample_factors"],
    )
