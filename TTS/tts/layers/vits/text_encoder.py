"""VITS text encoder: token embedding (+ language embedding) -> transformer -> prior stats."""

from __future__ import annotations

import math

import torch
from torch import nn

from TTS.tts.layers.generic.relative_transformer import RelativePositionTransformer
from TTS.tts.utils.helpers import sequence_mask

__all__ = ["TextEncoder"]


class TextEncoder(nn.Module):
    """Keys: ``emb``, ``encoder.*``, ``proj``.

    With a language embedding of ``language_emb_dim`` channels, it is concatenated
    to every token embedding and the transformer runs at ``hidden + language_emb_dim``.
    """

    def __init__(
        self,
        n_vocab: int,
        out_channels: int,
        hidden_channels: int,
        hidden_channels_ffn: int,
        num_heads: int,
        num_layers: int,
        kernel_size: int,
        language_emb_dim: int = 0,
    ) -> None:
        super().__init__()
        self.out_channels = out_channels
        self.hidden_channels = hidden_channels
        self.emb = nn.Embedding(n_vocab, hidden_channels)
        width = hidden_channels + (language_emb_dim or 0)
        self.encoder = RelativePositionTransformer(
            width,
            width,
            width,
            hidden_channels_ffn,
            num_heads,
            num_layers,
            kernel_size,
            rel_attn_window_size=4,
            layer_norm_type="2",
        )
        self.proj = nn.Conv1d(width, out_channels * 2, 1)

    def forward(
        self, x: torch.Tensor, x_lengths: torch.Tensor, lang_emb: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """``x``: (B, T) ids, ``x_lengths``: (B,), ``lang_emb``: (B, C_l, 1).

        Returns hidden (B, C', T), prior mean and log-scale (B, C_out, T), mask (B, 1, T).
        """
        h = self.emb(x) * math.sqrt(self.hidden_channels)  # (B, T, C)
        if lang_emb is not None:
            h = torch.cat([h, lang_emb.transpose(1, 2).expand(h.shape[0], h.shape[1], -1)], dim=-1)
        h = h.transpose(1, 2)
        x_mask = sequence_mask(x_lengths, h.shape[2]).unsqueeze(1).to(h.dtype)
        h = self.encoder(h * x_mask, x_mask)
        stats = self.proj(h) * x_mask
        mean, log_scale = torch.split(stats, self.out_channels, dim=1)
        return h, mean, log_scale, x_mask
