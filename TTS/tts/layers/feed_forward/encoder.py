"""ForwardTTS encoders over embedded tokens (B, C, T).

``Encoder`` picks one by ``encoder_type``; its keys are ``encoder.*`` of:
- ``"fftransformer"``: :class:`FFTransformerBlock` (``fft_layers.i``);
- ``"residual_conv_bn"``: ``prenet.0``, ``res_conv_block.*``, ``postnet.{0,2,3}``;
- ``"relative_position_transformer"``: ``prenet.*`` (residual conv-BN), ``rel_pos_transformer.*``.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from TTS.core.errors import InvalidInputError
from TTS.tts.layers.generic.relative_transformer import RelativePositionTransformer
from TTS.tts.layers.generic.res_conv_bn import ResidualConv1dBNBlock
from TTS.tts.layers.generic.transformer import FFTransformerBlock

__all__ = ["Encoder", "RelativePositionTransformerEncoder", "ResidualConv1dBNEncoder"]


class RelativePositionTransformerEncoder(nn.Module):
    """Residual conv-BN prenet (3 blocks, kernel 5) -> relative-position transformer."""

    def __init__(self, in_channels: int, out_channels: int, hidden_channels: int, params: dict[str, Any]) -> None:
        super().__init__()
        self.prenet = ResidualConv1dBNBlock(
            in_channels,
            hidden_channels,
            hidden_channels,
            kernel_size=5,
            dilations=[1, 1, 1],
            num_res_blocks=3,
            num_conv_blocks=1,
        )
        self.rel_pos_transformer = RelativePositionTransformer(hidden_channels, out_channels, hidden_channels, **params)

    def forward(self, x: torch.Tensor, x_mask: torch.Tensor) -> torch.Tensor:
        return self.rel_pos_transformer(self.prenet(x) * x_mask, x_mask)


class ResidualConv1dBNEncoder(nn.Module):
    """SpeedySpeech encoder: 1x1 conv + ReLU, residual conv-BN stack, then a skip and a 1x1 postnet."""

    def __init__(self, in_channels: int, out_channels: int, hidden_channels: int, params: dict[str, Any]) -> None:
        super().__init__()
        self.prenet = nn.Sequential(nn.Conv1d(in_channels, hidden_channels, 1), nn.ReLU())
        self.res_conv_block = ResidualConv1dBNBlock(hidden_channels, hidden_channels, hidden_channels, **params)
        self.postnet = nn.Sequential(
            nn.Conv1d(hidden_channels, hidden_channels, 1),
            nn.ReLU(),
            nn.BatchNorm1d(hidden_channels),
            nn.Conv1d(hidden_channels, out_channels, 1),
        )

    def forward(self, x: torch.Tensor, x_mask: torch.Tensor) -> torch.Tensor:
        h = self.res_conv_block(self.prenet(x) * x_mask, x_mask)
        return self.postnet(h + x) * x_mask


class Encoder(nn.Module):
    """Encoder of ``encoder_type`` with ``encoder_params``: (B, C, T), mask (B, 1, T) -> (B, C_out, T)."""

    def __init__(
        self,
        in_hidden_channels: int,
        out_channels: int,
        encoder_type: str = "residual_conv_bn",
        encoder_params: dict[str, Any] | None = None,
        c_in_channels: int = 0,
    ) -> None:
        super().__init__()
        params = dict(encoder_params or {})
        kind = encoder_type.lower()
        if kind == "relative_position_transformer":
            self.encoder: nn.Module = RelativePositionTransformerEncoder(
                in_hidden_channels, out_channels, in_hidden_channels, params
            )
        elif kind == "residual_conv_bn":
            self.encoder = ResidualConv1dBNEncoder(in_hidden_channels, out_channels, in_hidden_channels, params)
        elif kind == "fftransformer":
            if in_hidden_channels != out_channels:
                raise InvalidInputError("An 'fftransformer' encoder needs equal input and output channels.")
            self.encoder = FFTransformerBlock(in_hidden_channels, **params)
        else:
            raise InvalidInputError(
                f"Unknown encoder_type {encoder_type!r}; use 'fftransformer', 'residual_conv_bn' or "
                "'relative_position_transformer'."
            )

    def forward(self, x: torch.Tensor, x_mask: torch.Tensor, g: torch.Tensor | None = None) -> torch.Tensor:
        return self.encoder(x, x_mask) * x_mask
