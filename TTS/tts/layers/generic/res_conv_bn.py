"""Convolution + ReLU + batch-norm stacks (SpeedySpeech encoder/decoder, Glow-TTS ``residual_conv_bn``).

Keys: ``Conv1dBN`` -> ``conv1d``, ``norm``; ``Conv1dBNBlock`` -> ``conv_bn_blocks.i``;
``ResidualConv1dBNBlock`` -> ``res_blocks.i``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from TTS.core.errors import InvalidInputError

__all__ = ["Conv1dBN", "Conv1dBNBlock", "ResidualConv1dBNBlock"]


class Conv1dBN(nn.Module):
    """Unpadded conv, then zero padding of its *output* back to the input length, ReLU, batch norm.

    The released models were trained with the padding applied after the convolution
    (left gets the smaller half), so it is kept that way. ``x``: (B, C_in, T) -> (B, C_out, T).
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, dilation: int) -> None:
        super().__init__()
        total = dilation * (kernel_size - 1)
        self.min_length = total + 1
        self.pad = (total // 2, total - total // 2)
        self.conv1d = nn.Conv1d(in_channels, out_channels, kernel_size, dilation=dilation)
        self.norm = nn.BatchNorm1d(out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[-1] < self.min_length:
            # The unpadded conv needs a whole receptive field; say so instead of torch's kernel-size error.
            raise InvalidInputError(
                f"The input is {x.shape[-1]} steps long but this model's convolutions need at least "
                f"{self.min_length}: give a longer sentence (more words)."
            )
        return self.norm(torch.relu(F.pad(self.conv1d(x), self.pad)))


class Conv1dBNBlock(nn.Module):
    """``num_conv_blocks`` chained :class:`Conv1dBN` layers: (B, C_in, T) -> (B, C_out, T)."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        hidden_channels: int,
        kernel_size: int,
        dilation: int,
        num_conv_blocks: int = 2,
    ) -> None:
        super().__init__()
        layers = []
        for i in range(num_conv_blocks):
            c_in = in_channels if i == 0 else hidden_channels
            c_out = out_channels if i == num_conv_blocks - 1 else hidden_channels
            layers.append(Conv1dBN(c_in, c_out, kernel_size, dilation))
        self.conv_bn_blocks = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv_bn_blocks(x)


class ResidualConv1dBNBlock(nn.Module):
    """One :class:`Conv1dBNBlock` per dilation, each with a residual connection, masked after each.

    ``x``: (B, C, T), ``x_mask``: (B, 1, T) or None -> (B, C_out, T).
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        hidden_channels: int,
        kernel_size: int,
        dilations: list[int],
        num_res_blocks: int = 13,
        num_conv_blocks: int = 2,
    ) -> None:
        super().__init__()
        if len(dilations) != num_res_blocks:
            raise ValueError(f"{len(dilations)} dilations given for {num_res_blocks} residual blocks")
        last = len(dilations) - 1
        self.res_blocks = nn.ModuleList(
            Conv1dBNBlock(
                in_channels if i == 0 else hidden_channels,
                out_channels if i == last else hidden_channels,
                hidden_channels,
                kernel_size,
                dilation,
                num_conv_blocks,
            )
            for i, dilation in enumerate(dilations)
        )

    def forward(self, x: torch.Tensor, x_mask: torch.Tensor | None = None) -> torch.Tensor:
        mask = 1.0 if x_mask is None else x_mask
        out = x * mask
        for block in self.res_blocks:
            out = (block(out) + out) * mask
        return out
