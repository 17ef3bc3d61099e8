"""Small layers of the autoregressive mel decoders (Tacotron, Tacotron2, OverFlow, Neural-HMM).

Submodule names (``linear_layer``, ``batch_normalization``, ``linear_layers.i``)
match the released checkpoints.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["ConvBNBlock", "Linear", "LinearBN", "Prenet", "calculate_post_conv_height"]


def calculate_post_conv_height(height: int, kernel_size: int, stride: int, pad: int, n_convs: int) -> int:
    """Size of one axis after ``n_convs`` identical strided convolutions."""
    for _ in range(n_convs):
        height = (height - kernel_size + 2 * pad) // stride + 1
    return height


class Linear(nn.Module):
    """``nn.Linear`` held as ``linear_layer`` (Xavier-uniform init with the gain of ``init_gain``)."""

    def __init__(self, in_features: int, out_features: int, bias: bool = True, init_gain: str = "linear") -> None:
        super().__init__()
        self.linear_layer = nn.Linear(in_features, out_features, bias=bias)
        nn.init.xavier_uniform_(self.linear_layer.weight, gain=nn.init.calculate_gain(init_gain))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x``: (..., C_in) -> (..., C_out)."""
        return self.linear_layer(x)


class LinearBN(Linear):
    """Linear layer followed by batch norm over the feature axis.

    Input ``(B, C)`` or time-first ``(T, B, C)``; the output has the same layout.
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, init_gain: str = "linear") -> None:
        super().__init__(in_features, out_features, bias, init_gain)
        self.batch_normalization = nn.BatchNorm1d(out_features, momentum=0.1, eps=1e-5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.linear_layer(x)
        if out.dim() == 3:  # (T, B, C) -> (B, C, T) for BatchNorm1d and back
            return self.batch_normalization(out.permute(1, 2, 0)).permute(2, 0, 1)
        return self.batch_normalization(out)


class Prenet(nn.Module):
    """Bottleneck before the decoder RNN: ``[linear (-> BN) -> ReLU -> dropout(0.5)]`` per entry of ``out_features``.

    ``prenet_type`` is "original" (plain linear) or "bn" (linear + batch norm).
    Dropout, when ``prenet_dropout`` is on, runs in training and, if
    ``dropout_at_inference``, also at inference (some released models need it).
    """

    def __init__(
        self,
        in_features: int,
        prenet_type: str = "original",
        prenet_dropout: bool = True,
        dropout_at_inference: bool = False,
        out_features: Sequence[int] | None = None,
        bias: bool = True,
    ) -> None:
        super().__init__()
        if prenet_type not in ("original", "bn"):
            raise ValueError(f"prenet_type must be 'original' or 'bn', got {prenet_type!r}")
        sizes = list(out_features) if out_features is not None else [256, 256]
        self.prenet_type = prenet_type
        self.prenet_dropout = prenet_dropout
        self.dropout_at_inference = dropout_at_inference
        layer = LinearBN if prenet_type == "bn" else Linear
        ins = [in_features, *sizes[:-1]]
        self.linear_layers = nn.ModuleList(layer(i, o, bias=bias) for i, o in zip(ins, sizes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x``: (..., C_in) -> (..., out_features[-1])."""
        drop = self.prenet_dropout and (self.training or self.dropout_at_inference)
        for linear in self.linear_layers:
            x = F.relu(linear(x))
            if drop:
                x = F.dropout(x, p=0.5, training=True)
        return x


class ConvBNBlock(nn.Module):
    """Conv1d ('same' padding) -> BatchNorm -> activation ("relu", "tanh" or none) -> dropout(0.5).

    ``(B, C_in, T)`` -> ``(B, C_out, T)``.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, activation: str | None = None) -> None:
        super().__init__()
        if kernel_size % 2 != 1:
            raise ValueError(f"kernel_size must be odd, got {kernel_size}")
        self.convolution1d = nn.Conv1d(in_channels, out_channels, kernel_size, padding=(kernel_size - 1) // 2)
        self.batch_normalization = nn.BatchNorm1d(out_channels, momentum=0.1, eps=1e-5)
        self.dropout = nn.Dropout(p=0.5)
        activations = {"relu": nn.ReLU, "tanh": nn.Tanh}
        self.activation = activations[activation]() if activation in activations else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.dropout(self.activation(self.batch_normalization(self.convolution1d(x))))
