"""Global Style Tokens: a reference encoder and an attention over learned style tokens.

``GST(mel)`` with mel ``(B, T, C_mel)`` gives a style embedding ``(B, 1, gst_embedding_dim)``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from TTS.tts.layers.generic.decoder_blocks import calculate_post_conv_height

__all__ = ["GST", "MultiHeadAttention", "ReferenceEncoder", "StyleTokenLayer"]

_FILTERS = (32, 32, 64, 64, 128, 128)


class ReferenceEncoder(nn.Module):
    """Six strided 3x3 conv + BN + ReLU layers over the mel image, then a GRU: ``(B, T, C_mel)`` -> ``(B, D)``."""

    def __init__(self, num_mel: int, embedding_dim: int) -> None:
        super().__init__()
        self.num_mel = num_mel
        channels = (1, *_FILTERS)
        self.convs = nn.ModuleList(
            nn.Conv2d(channels[i], channels[i + 1], kernel_size=3, stride=2, padding=1) for i in range(len(_FILTERS))
        )
        self.bns = nn.ModuleList(nn.BatchNorm2d(c) for c in _FILTERS)
        height = calculate_post_conv_height(num_mel, 3, 2, 1, len(_FILTERS))
        self.recurrence = nn.GRU(_FILTERS[-1] * height, embedding_dim // 2, batch_first=True)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        batch = inputs.size(0)
        x = inputs.reshape(batch, 1, -1, self.num_mel)
        for conv, bn in zip(self.convs, self.bns):
            x = F.relu(bn(conv(x)))
        x = x.transpose(1, 2)  # (B, T', C, H)
        x = x.reshape(batch, x.size(1), -1)
        _, last = self.recurrence(x)
        return last.squeeze(0)


class MultiHeadAttention(nn.Module):
    """Scaled dot-product attention with ``num_heads`` heads: query ``(N, T_q, D_q)``, key ``(N, T_k, D_k)``
    -> ``(N, T_q, num_units)``. Scores are scaled by ``sqrt(key_dim)``, as the released models were trained."""

    def __init__(self, query_dim: int, key_dim: int, num_units: int, num_heads: int) -> None:
        super().__init__()
        self.num_units = num_units
        self.num_heads = num_heads
        self.key_dim = key_dim
        self.W_query = nn.Linear(query_dim, num_units, bias=False)
        self.W_key = nn.Linear(key_dim, num_units, bias=False)
        self.W_value = nn.Linear(key_dim, num_units, bias=False)

    def forward(self, query: torch.Tensor, key: torch.Tensor) -> torch.Tensor:
        head = self.num_units // self.num_heads

        def split(x: torch.Tensor) -> torch.Tensor:  # (N, T, units) -> (h, N, T, units / h)
            return torch.stack(torch.split(x, head, dim=2), dim=0)

        q, k, v = split(self.W_query(query)), split(self.W_key(key)), split(self.W_value(key))
        scores = F.softmax(torch.matmul(q, k.transpose(2, 3)) / (self.key_dim**0.5), dim=3)
        out = torch.matmul(scores, v)  # (h, N, T_q, units / h)
        return torch.cat(torch.split(out, 1, dim=0), dim=3).squeeze(0)


class StyleTokenLayer(nn.Module):
    """Attention of a prosody encoding ``(B, D)`` over ``tanh(style_tokens)``: -> ``(B, 1, gst_embedding_dim)``."""

    def __init__(
        self, num_heads: int, num_style_tokens: int, gst_embedding_dim: int, d_vector_dim: int | None = None
    ) -> None:
        super().__init__()
        self.query_dim = gst_embedding_dim // 2 + (d_vector_dim or 0)
        self.key_dim = gst_embedding_dim // num_heads
        self.style_tokens = nn.Parameter(torch.randn(num_style_tokens, self.key_dim) * 0.5)
        self.attention = MultiHeadAttention(self.query_dim, self.key_dim, gst_embedding_dim, num_heads)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        tokens = torch.tanh(self.style_tokens).unsqueeze(0).expand(inputs.size(0), -1, -1)
        return self.attention(inputs.unsqueeze(1), tokens)


class GST(nn.Module):
    """Style embedding from a reference mel ``(B, T, C_mel)`` (and optionally a speaker embedding ``(B, D_spk)``)."""

    def __init__(
        self,
        num_mel: int,
        num_heads: int,
        num_style_tokens: int,
        gst_embedding_dim: int,
        embedded_speaker_dim: int | None = None,
    ) -> None:
        super().__init__()
        self.encoder = ReferenceEncoder(num_mel, gst_embedding_dim)
        self.style_token_layer = StyleTokenLayer(num_heads, num_style_tokens, gst_embedding_dim, embedded_speaker_dim)

    def forward(self, inputs: torch.Tensor, speaker_embedding: torch.Tensor | None = None) -> torch.Tensor:
        encoding = self.encoder(inputs)
        if speaker_embedding is not None:
            encoding = torch.cat([encoding, speaker_embedding], dim=-1)
        return self.style_token_layer(encoding)
