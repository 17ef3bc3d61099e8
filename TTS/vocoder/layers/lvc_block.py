"""Location-variable convolutions (LVC) of the UnivNet generator.

A :class:`KernelPredictor` turns the mel frames into one set of conv kernels and
biases per frame; an :class:`LVCBlock` upsamples the hidden signal and applies,
inside each frame's ``hop`` samples, the kernels predicted for that frame.

Keys follow the released checkpoints: ``kernel_predictor.input_conv.0``,
``kernel_predictor.residual_conv.{1,3,6,8,11,13}``, ``kernel_predictor.kernel_conv``,
``kernel_predictor.bias_conv``, ``upsample`` and ``convs.<i>``.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["KernelPredictor", "LVCBlock", "location_variable_convolution"]


def location_variable_convolution(
    x: torch.Tensor, kernel: torch.Tensor, bias: torch.Tensor, dilation: int, hop_size: int
) -> torch.Tensor:
    """Convolve each ``hop_size`` segment of ``x`` with its own kernel ('same' zero padding).

    Args:
        x: (B, C_in, L) with ``L = L_k * hop_size``.
        kernel: (B, C_in, C_out, K, L_k), one kernel per segment.
        bias: (B, C_out, L_k).
    Returns:
        (B, C_out, L).
    """
    batch, _, length = x.shape
    _, _, out_channels, kernel_size, frames = kernel.shape
    if length != frames * hop_size:
        raise ValueError(f"input length {length} != {frames} kernel frames x hop {hop_size}")
    pad = dilation * (kernel_size - 1) // 2
    x = F.pad(x, (pad, pad))
    # (B, C_in, L_k, hop + 2 pad): each segment with the context its taps reach.
    segments = x.unfold(2, hop_size + 2 * pad, hop_size)
    taps = torch.stack([segments[..., k * dilation : k * dilation + hop_size] for k in range(kernel_size)], dim=3)
    out = torch.einsum("bilkt,biokl->bolt", taps, kernel) + bias.unsqueeze(-1)
    return out.reshape(batch, out_channels, frames * hop_size)


def _act(name: str, params: dict[str, Any]) -> nn.Module:
    return getattr(nn, name)(**params)


class KernelPredictor(nn.Module):
    """Mel ``(B, C_cond, L_k)`` -> kernels ``(B, layers, C_in, C_out, K, L_k)`` and biases ``(B, layers, C_out, L_k)``."""

    def __init__(
        self,
        cond_channels: int,
        conv_in_channels: int,
        conv_out_channels: int,
        conv_layers: int,
        conv_kernel_size: int = 3,
        kpnet_hidden_channels: int = 64,
        kpnet_conv_size: int = 3,
        kpnet_dropout: float = 0.0,
        kpnet_nonlinear_activation: str = "LeakyReLU",
        kpnet_nonlinear_activation_params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        act_params = kpnet_nonlinear_activation_params or {"negative_slope": 0.1}
        self.conv_in_channels = conv_in_channels
        self.conv_out_channels = conv_out_channels
        self.conv_kernel_size = conv_kernel_size
        self.conv_layers = conv_layers
        hidden, size, pad = kpnet_hidden_channels, kpnet_conv_size, (kpnet_conv_size - 1) // 2

        def conv() -> nn.Conv1d:
            return nn.Conv1d(hidden, hidden, size, padding=pad)

        self.input_conv = nn.Sequential(
            nn.Conv1d(cond_channels, hidden, 5, padding=2), _act(kpnet_nonlinear_activation, act_params)
        )
        # Three residual pairs, each behind a dropout; the layout fixes the released key indices.
        body: list[nn.Module] = []
        for _ in range(3):
            body += [nn.Dropout(kpnet_dropout)]
            body += [conv(), _act(kpnet_nonlinear_activation, act_params)]
            body += [conv(), _act(kpnet_nonlinear_activation, act_params)]
        self.residual_conv = nn.Sequential(*body)
        weights = conv_in_channels * conv_out_channels * conv_kernel_size * conv_layers
        self.kernel_conv = nn.Conv1d(hidden, weights, size, padding=pad)
        self.bias_conv = nn.Conv1d(hidden, conv_out_channels * conv_layers, size, padding=pad)

    def forward(self, c: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """``c``: (B, C_cond, L_k) -> kernels, biases (shapes in the class docstring)."""
        batch, _, frames = c.shape
        h = self.input_conv(c)
        h = h + self.residual_conv(h)
        kernels = self.kernel_conv(h).reshape(
            batch, self.conv_layers, self.conv_in_channels, self.conv_out_channels, self.conv_kernel_size, frames
        )
        biases = self.bias_conv(h).reshape(batch, self.conv_layers, self.conv_out_channels, frames)
        return kernels, biases


class LVCBlock(nn.Module):
    """Upsample by ``upsample_ratio`` then ``conv_layers`` gated LVC layers; (B, C, T) -> (B, C, T * ratio)."""

    def __init__(
        self,
        in_channels: int,
        cond_channels: int,
        upsample_ratio: int,
        conv_layers: int = 4,
        conv_kernel_size: int = 3,
        cond_hop_length: int = 256,
        kpnet_hidden_channels: int = 64,
        kpnet_conv_size: int = 3,
        kpnet_dropout: float = 0.0,
    ) -> None:
        super().__init__()
        self.cond_hop_length = cond_hop_length
        self.conv_layers = conv_layers
        self.conv_kernel_size = conv_kernel_size
        odd = upsample_ratio % 2
        self.upsample = nn.ConvTranspose1d(
            in_channels,
            in_channels,
            kernel_size=2 * upsample_ratio,
            stride=upsample_ratio,
            padding=upsample_ratio // 2 + odd,
            output_padding=odd,
        )
        self.kernel_predictor = KernelPredictor(
            cond_channels=cond_channels,
            conv_in_channels=in_channels,
            conv_out_channels=2 * in_channels,
            conv_layers=conv_layers,
            conv_kernel_size=conv_kernel_size,
            kpnet_hidden_channels=kpnet_hidden_channels,
            kpnet_conv_size=kpnet_conv_size,
            kpnet_dropout=kpnet_dropout,
        )
        half = (conv_kernel_size - 1) // 2
        self.convs = nn.ModuleList(
            nn.Conv1d(in_channels, in_channels, conv_kernel_size, padding=half * 3**i, dilation=3**i)
            for i in range(conv_layers)
        )

    def forward(self, x: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        """``x``: (B, C, T) hidden signal; ``c``: (B, C_cond, L_k) mel. Returns (B, C, T * upsample_ratio)."""
        channels = x.shape[1]
        kernels, biases = self.kernel_predictor(c)
        x = self.upsample(F.leaky_relu(x, 0.2))
        for i, conv in enumerate(self.convs):
            y = F.leaky_relu(conv(F.leaky_relu(x, 0.2)), 0.2)
            y = location_variable_convolution(y, kernels[:, i], biases[:, i], 1, self.cond_hop_length)
            x = x + torch.sigmoid(y[:, :channels]) * torch.tanh(y[:, channels:])
        return x

    @staticmethod
    def location_variable_convolution(
        x: torch.Tensor, kernel: torch.Tensor, bias: torch.Tensor, dilation: int, hop_size: int
    ) -> torch.Tensor:
        """See :func:`location_variable_convolution` (kept as a static method for upstream compatibility)."""
        return location_variable_convolution(x, kernel, bias, dilation, hop_size)
