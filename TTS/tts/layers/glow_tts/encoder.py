"""Glow-TTS text encoder: embedding -> (prenet) -> encoder -> mean / log-scale projections + durations.

Keys: ``emb``, ``prenet.*``, ``encoder.*``, ``postnet.*`` (residual_conv_bn only), ``proj_m``,
``proj_s`` (when not ``mean_only``), ``duration_predictor.*``.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn

from TTS.core.errors import InvalidInputError
from TTS.tts.layers.generic.duration_predictor import DurationPredictor
from TTS.tts.layers.generic.relative_transformer import RelativePositionTransformer
from TTS.tts.layers.generic.res_conv_bn import ResidualConv1dBNBlock
from TTS.tts.layers.glow_tts.glow import ResidualConv1dLayerNormBlock
from TTS.tts.utils.helpers import sequence_mask

__all__ = ["Encoder"]

_TRANSFORMER_KEYS = (
    "hidden_channels_ffn",
    "num_heads",
    "num_layers",
    "kernel_size",
    "dropout_p",
    "rel_attn_window_size",
    "input_length",
    "layer_norm_type",
)


class Encoder(nn.Module):
    """Token ids (B, T) -> prior mean and log-scale (B, C_out, T), log-durations (B, 1, T), mask (B, 1, T).

    ``encoder_type``: ``"rel_pos_transformer"`` (released models) or ``"residual_conv_bn"``.
    """

    def __init__(
        self,
        num_chars: int,
        out_channels: int,
        hidden_channels: int,
        hidden_channels_dp: int,
        encoder_type: str,
        encoder_params: dict[str, Any],
        dropout_p_dp: float = 0.1,
        mean_only: bool = False,
        use_prenet: bool = True,
        c_in_channels: int = 0,
    ) -> None:
        super().__init__()
        self.hidden_channels = hidden_channels
        self.mean_only = mean_only
        self.emb = nn.Embedding(num_chars, hidden_channels)
        kind = encoder_type.lower()
        if kind == "rel_pos_transformer":
            if use_prenet:
                self.prenet = ResidualConv1dLayerNormBlock(
                    hidden_channels, hidden_channels, hidden_channels, kernel_size=5, num_layers=3
                )
            params = {k: v for k, v in encoder_params.items() if k in _TRANSFORMER_KEYS}
            self.encoder = RelativePositionTransformer(hidden_channels, hidden_channels, hidden_channels, **params)
        elif kind == "residual_conv_bn":
            if use_prenet:
                # The reference cannot run this combination (its prenet takes no mask); refuse it clearly.
                raise InvalidInputError(
                    "Glow-TTS with encoder_type 'residual_conv_bn' needs use_encoder_prenet=false in its config."
                )
            self.encoder = ResidualConv1dBNBlock(hidden_channels, hidden_channels, hidden_channels, **encoder_params)
            self.postnet = nn.Sequential(
                nn.Conv1d(hidden_channels, hidden_channels, 1), nn.BatchNorm1d(hidden_channels)
            )
        else:
            raise InvalidInputError(
                f"Glow-TTS encoder_type {encoder_type!r} is not supported; use 'rel_pos_transformer' or 'residual_conv_bn'."
            )
        self.proj_m = nn.Conv1d(hidden_channels, out_channels, 1)
        if not mean_only:
            self.proj_s = nn.Conv1d(hidden_channels, out_channels, 1)
        self.duration_predictor = DurationPredictor(
            hidden_channels + c_in_channels, hidden_channels_dp, 3, dropout_p_dp
        )

    def forward(
        self, x: torch.Tensor, x_lengths: torch.Tensor, g: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """``x``: (B, T) ids, ``x_lengths``: (B,), ``g``: (B, C_g, 1) speaker vector or None."""
        h = (self.emb(x) * math.sqrt(self.hidden_channels)).transpose(1, 2)  # (B, C, T)
        x_mask = sequence_mask(x_lengths, h.shape[2]).unsqueeze(1).to(h.dtype)
        if hasattr(self, "prenet"):
            h = self.prenet(h, x_mask)
        h = self.encoder(h, x_mask)
        if hasattr(self, "postnet"):
            h = self.postnet(h) * x_mask
        dp_input = h if g is None else torch.cat([h, g.expand(-1, -1, h.shape[-1])], dim=1)
        mean = self.proj_m(h) * x_mask
        log_scale = torch.zeros_like(mean) if self.mean_only else self.proj_s(h) * x_mask
        log_durations = self.duration_predictor(dp_input, x_mask)
        return mean, log_scale, log_durations, x_mask
