"""ForwardTTS decoders: duration-expanded encodings (B, C, T_de) -> mel (B, C_mel, T_de).

``Decoder`` picks one by ``decoder_type``; its keys are ``decoder.*`` of:
- ``"fftransformer"``: ``transformer_block.*``, ``postnet``;
- ``"residual_conv_bn"``: ``res_conv_block.*``, ``post_conv``, ``postnet.{0,1}``;
- ``"relative_position_transformer"``: ``prenet`` (conv-BN 1x1), ``rel_pos_transformer.*``;
- ``"wavenet"``: ``prenet``, ``wn.wn_blocks.i.*``, ``postnet.{0,2,4,6}``.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from TTS.core.errors import InvalidInputError
from TTS.tts.layers.generic.relative_transformer import RelativePositionTransformer
from TTS.tts.layers.generic.res_conv_bn import Conv1dBN, Conv1dBNBlock, ResidualConv1dBNBlock
from TTS.tts.layers.generic.transformer import FFTransformerBlock
from TTS.tts.layers.generic.wavenet import WaveNet

__all__ = [
    "Decoder",
    "FFTransformerDecoder",
    "RelativePositionTransformerDecoder",
    "ResidualConv1dBNDecoder",
    "WaveNetDecoder",
]


class WaveNetBlocks(nn.Module):
    """``num_blocks`` WaveNet stacks in sequence (dilations restart in each); keys ``wn_blocks.i``."""

    def __init__(
        self,
        hidden_channels: int,
        kernel_size: int,
        dilation_rate: int,
        num_blocks: int,
        num_layers: int,
        c_in_channels: int = 0,
    ) -> None:
        super().__init__()
        self.wn_blocks = nn.ModuleList(
            WaveNet(hidden_channels, kernel_size, dilation_rate, num_layers, cond_channels=c_in_channels)
            for _ in range(num_blocks)
        )

    def forward(self, x: torch.Tensor, x_mask: torch.Tensor, g: torch.Tensor | None = None) -> torch.Tensor:
        for block in self.wn_blocks:
            x = block(x, x_mask, g)
        return x


class WaveNetDecoder(nn.Module):
    """1x1 prenet -> WaveNet blocks -> 3 x (1x1 conv, ReLU) -> 1x1 conv."""

    def __init__(
        self, in_channels: int, out_channels: int, hidden_channels: int, c_in_channels: int, params: dict[str, Any]
    ) -> None:
        super().__init__()
        wn_channels = params["hidden_channels"]
        self.prenet = nn.Conv1d(in_channels, wn_channels, 1)
        self.wn = WaveNetBlocks(
            wn_channels,
            params["kernel_size"],
            params["dilation_rate"],
            params["num_blocks"],
            params["num_layers"],
            c_in_channels=c_in_channels,
        )
        self.postnet = nn.Sequential(
            nn.Conv1d(wn_channels, hidden_channels, 1),
            nn.ReLU(),
            nn.Conv1d(hidden_channels, hidden_channels, 1),
            nn.ReLU(),
            nn.Conv1d(hidden_channels, hidden_channels, 1),
            nn.ReLU(),
            nn.Conv1d(hidden_channels, out_channels, 1),
        )

    def forward(self, x: torch.Tensor, x_mask: torch.Tensor, g: torch.Tensor | None = None) -> torch.Tensor:
        return self.postnet(self.wn(self.prenet(x) * x_mask, x_mask, g)) * x_mask


class RelativePositionTransformerDecoder(nn.Module):
    """1x1 conv-BN prenet -> relative-position transformer."""

    def __init__(self, in_channels: int, out_channels: int, hidden_channels: int, params: dict[str, Any]) -> None:
        super().__init__()
        self.prenet = Conv1dBN(in_channels, hidden_channels, 1, 1)
        self.rel_pos_transformer = RelativePositionTransformer(in_channels, out_channels, hidden_channels, **params)

    def forward(self, x: torch.Tensor, x_mask: torch.Tensor, g: torch.Tensor | None = None) -> torch.Tensor:
        return self.rel_pos_transformer(self.prenet(x) * x_mask, x_mask)


class FFTransformerDecoder(nn.Module):
    """Feed-forward transformer (no padding mask, as trained) -> 1x1 conv."""

    def __init__(self, in_channels: int, out_channels: int, params: dict[str, Any]) -> None:
        super().__init__()
        self.transformer_block = FFTransformerBlock(in_channels, **params)
        self.postnet = nn.Conv1d(in_channels, out_channels, 1)

    def forward(self, x: torch.Tensor, x_mask: torch.Tensor, g: torch.Tensor | None = None) -> torch.Tensor:
        return self.postnet(self.transformer_block(x) * x_mask) * x_mask


class ResidualConv1dBNDecoder(nn.Module):
    """SpeedySpeech decoder: residual conv-BN stack, 1x1 conv with a skip, conv-BN postnet, 1x1 conv."""

    def __init__(self, in_channels: int, out_channels: int, hidden_channels: int, params: dict[str, Any]) -> None:
        super().__init__()
        self.res_conv_block = ResidualConv1dBNBlock(in_channels, hidden_channels, hidden_channels, **params)
        self.post_conv = nn.Conv1d(hidden_channels, hidden_channels, 1)
        self.postnet = nn.Sequential(
            Conv1dBNBlock(
                hidden_channels, hidden_channels, hidden_channels, params["kernel_size"], 1, num_conv_blocks=2
            ),
            nn.Conv1d(hidden_channels, out_channels, 1),
        )

    def forward(self, x: torch.Tensor, x_mask: torch.Tensor, g: torch.Tensor | None = None) -> torch.Tensor:
        h = self.post_conv(self.res_conv_block(x, x_mask)) + x
        return self.postnet(h) * x_mask


class Decoder(nn.Module):
    """Decoder of ``decoder_type`` with ``decoder_params``; keys under ``decoder.``."""

    def __init__(
        self,
        out_channels: int,
        in_hidden_channels: int,
        decoder_type: str = "residual_conv_bn",
        decoder_params: dict[str, Any] | None = None,
        c_in_channels: int = 0,
    ) -> None:
        super().__init__()
        params = dict(decoder_params or {})
        kind = decoder_type.lower()
        if kind == "relative_position_transformer":
            self.decoder: nn.Module = RelativePositionTransformerDecoder(
                in_hidden_channels, out_channels, in_hidden_channels, params
            )
        elif kind == "residual_conv_bn":
            self.decoder = ResidualConv1dBNDecoder(in_hidden_channels, out_channels, in_hidden_channels, params)
        elif kind == "wavenet":
            self.decoder = WaveNetDecoder(in_hidden_channels, out_channels, in_hidden_channels, c_in_channels, params)
        elif kind == "fftransformer":
            self.decoder = FFTransformerDecoder(in_hidden_channels, out_channels, params)
        else:
            raise InvalidInputError(
                f"Unknown decoder_type {decoder_type!r}; use 'fftransformer', 'residual_conv_bn', "
                "'relative_position_transformer' or 'wavenet'."
            )

    def forward(self, x: torch.Tensor, x_mask: torch.Tensor, g: torch.Tensor | None = None) -> torch.Tensor:
        """``x``: (B, C, T), ``x_mask``: (B, 1, T) -> (B, C_out, T)."""
        return self.decoder(x, x_mask, g)
