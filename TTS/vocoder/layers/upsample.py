"""Upsampling of conditioning features to the sample rate: nearest-neighbour stretch + smoothing conv.

Used by the ParallelWaveGAN generator (:class:`ConvUpsample`) and WaveRNN
(:class:`Stretch2d`). Keys follow the released checkpoints: ``conv_in`` and
``upsample.up_layers.<i>`` (the convs sit at odd indices after each stretch).
The convs are plain ``nn.Conv1d`` / ``nn.Conv2d`` modules so ``make_mps_safe`` can chunk them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["Stretch2d", "UpsampleNetwork", "ConvUpsample"]


class Stretch2d(nn.Module):
    """Repeat each element ``y_scale`` times along H and ``x_scale`` times along W: (B, C, F, T) -> (B, C, F*y, T*x)."""

    def __init__(self, x_scale: int, y_scale: int, mode: str = "nearest") -> None:
        super().__init__()
        self.x_scale = x_scale
        self.y_scale = y_scale
        self.mode = mode

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, C, F, T) -> (B, C, F * y_scale, T * x_scale)."""
        return F.interpolate(x, scale_factor=(self.y_scale, self.x_scale), mode=self.mode)


class UpsampleNetwork(nn.Module):
    """For each factor ``s``: stretch time by ``s`` then smooth with a ``(k_f, 2s + 1)`` conv; (B, C, T) -> (B, C, T * prod)."""

    def __init__(
        self,
        upsample_factors: Sequence[int],
        nonlinear_activation: str | None = None,
        nonlinear_activation_params: dict[str, Any] | None = None,
        interpolate_mode: str = "nearest",
        freq_axis_kernel_size: int = 1,
        use_causal_conv: bool = False,
    ) -> None:
        super().__init__()
        if freq_axis_kernel_size % 2 != 1:
            raise ValueError(f"freq_axis_kernel_size must be odd, got {freq_axis_kernel_size}")
        self.use_causal_conv = use_causal_conv
        freq_pad = (freq_axis_kernel_size - 1) // 2
        self.up_layers = nn.ModuleList()
        for scale in upsample_factors:
            self.up_layers.append(Stretch2d(scale, 1, interpolate_mode))
            time_pad = 2 * scale if use_causal_conv else scale
            self.up_layers.append(
                nn.Conv2d(1, 1, (freq_axis_kernel_size, 2 * scale + 1), padding=(freq_pad, time_pad), bias=False)
            )
            if nonlinear_activation is not None:
                self.up_layers.append(getattr(nn, nonlinear_activation)(**(nonlinear_activation_params or {})))

    def forward(self, c: torch.Tensor) -> torch.Tensor:
        """(B, C, T) -> (B, C, T * prod(upsample_factors))."""
        x = c.unsqueeze(1)
        for layer in self.up_layers:
            length = x.shape[-1]
            x = layer(x)
            if self.use_causal_conv and isinstance(layer, nn.Conv2d):
                x = x[..., :length]
        return x.squeeze(1)


class ConvUpsample(nn.Module):
    """A context conv over ``2 * aux_context_window + 1`` frames, then :class:`UpsampleNetwork`.

    ``(B, aux_channels, T) -> (B, aux_channels, (T - 2 * aux_context_window) * prod(upsample_factors))``
    (the input is expected to be padded already).
    """

    def __init__(
        self,
        upsample_factors: Sequence[int],
        nonlinear_activation: str | None = None,
        nonlinear_activation_params: dict[str, Any] | None = None,
        interpolate_mode: str = "nearest",
        freq_axis_kernel_size: int = 1,
        aux_channels: int = 80,
        aux_context_window: int = 0,
        use_causal_conv: bool = False,
    ) -> None:
        super().__init__()
        self.aux_context_window = aux_context_window
        self.use_causal_conv = use_causal_conv and aux_context_window > 0
        kernel = aux_context_window + 1 if use_causal_conv else 2 * aux_context_window + 1
        self.conv_in = nn.Conv1d(aux_channels, aux_channels, kernel, bias=False)
        self.upsample = UpsampleNetwork(
            upsample_factors=upsample_factors,
            nonlinear_activation=nonlinear_activation,
            nonlinear_activation_params=nonlinear_activation_params,
            interpolate_mode=interpolate_mode,
            freq_axis_kernel_size=freq_axis_kernel_size,
            use_causal_conv=use_causal_conv,
        )

    def forward(self, c: torch.Tensor) -> torch.Tensor:
        """(B, aux_channels, T) -> (B, aux_channels, T' * prod(upsample_factors))."""
        c = self.conv_in(c)
        if self.use_causal_conv:
            c = c[:, :, : -self.aux_context_window]
        return self.upsample(c)
