"""The convolutional duration predictor shared by VITS, Glow-TTS and ForwardTTS.

Keys: ``conv_1``, ``norm_1``, ``conv_2``, ``norm_2``, ``proj`` (+ ``cond``, ``cond_lang``).
"""

from __future__ import annotations

import torch
from torch import nn

from TTS.tts.layers.generic.normalization import LegacyChannelLayerNorm

__all__ = ["DurationPredictor"]


class DurationPredictor(nn.Module):
    """2 x (conv, ReLU, layer norm) then 1x1 conv: (B, C, T), mask (B, 1, T) -> (B, 1, T).

    Predicts log-durations (VITS with ``use_sdp=False``, Glow-TTS, ForwardTTS) and ForwardTTS's
    pitch/energy. Arguments in upstream's order; ``dropout_p`` only matters for training and is
    accepted for compatibility. ``cond`` / ``cond_lang`` exist when their channel counts are set.
    """

    def __init__(
        self,
        in_channels: int,
        hidden_channels: int,
        kernel_size: int,
        dropout_p: float = 0.0,
        cond_channels: int | None = None,
        language_emb_dim: int | None = None,
    ) -> None:
        super().__init__()
        in_channels += language_emb_dim or 0
        self.conv_1 = nn.Conv1d(in_channels, hidden_channels, kernel_size, padding=kernel_size // 2)
        self.norm_1 = LegacyChannelLayerNorm(hidden_channels)
        self.conv_2 = nn.Conv1d(hidden_channels, hidden_channels, kernel_size, padding=kernel_size // 2)
        self.norm_2 = LegacyChannelLayerNorm(hidden_channels)
        self.proj = nn.Conv1d(hidden_channels, 1, 1)
        if cond_channels:
            self.cond = nn.Conv1d(cond_channels, in_channels, 1)
        if language_emb_dim:
            self.cond_lang = nn.Conv1d(language_emb_dim, in_channels, 1)

    def forward(
        self,
        x: torch.Tensor,
        x_mask: torch.Tensor,
        g: torch.Tensor | None = None,
        lang_emb: torch.Tensor | None = None,
        noise_scale: float | torch.Tensor = 0.0,
    ) -> torch.Tensor:
        if g is not None:
            x = x + self.cond(g)
        if lang_emb is not None:
            x = x + self.cond_lang(lang_emb)
        x = self.norm_1(torch.relu(self.conv_1(x * x_mask)))
        x = self.norm_2(torch.relu(self.conv_2(x * x_mask)))
        return self.proj(x * x_mask) * x_mask
