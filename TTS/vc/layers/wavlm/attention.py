"""WavLM self-attention with its bucketed relative-position bias and query gate.

The first layer owns a table ``relative_attention_bias`` (buckets x heads). Key offsets
``j - i`` are put in buckets: one half of the table for each sign, exact buckets for short
offsets, logarithmically wider ones up to ``max_distance``, the last bucket beyond. The same
ungated bias (B, H, T, T) is handed from layer to layer. With ``gru_rel_pos`` each layer
scales it per query by a gate computed from that layer's input: a small linear layer maps
each head's slice of the query to 8 values, summed in two groups of 4 and squashed to
``a, b``; the bias is multiplied by ``a * (b * grep_a - 1) + 2``.

Keys (as released): ``q_proj``, ``k_proj``, ``v_proj``, ``out_proj``,
``relative_attention_bias`` (first layer only), ``grep_linear``, ``grep_a`` (with gru_rel_pos).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["RelativePositionAttention", "relative_position_buckets"]


def relative_position_buckets(offsets: torch.Tensor, num_buckets: int, max_distance: int) -> torch.Tensor:
    """Bucket index (long, same shape) for each key-minus-query offset in ``offsets`` (long)."""
    half = num_buckets // 2
    buckets = (offsets > 0).long() * half
    distance = offsets.abs()
    exact = half // 2
    # Distances of at least `exact` share logarithmically spaced buckets between exact and half - 1.
    scaled = torch.log(distance.clamp(min=1).float() / exact) / math.log(max_distance / exact) * (half - exact)
    wide = (exact + scaled.long()).clamp(max=half - 1)
    return buckets + torch.where(distance < exact, distance, wide)


class RelativePositionAttention(nn.Module):
    """Multi-head self-attention on (B, T, C) with an optional additive relative-position bias."""

    def __init__(
        self,
        embed_dim: int,
        num_heads: int,
        *,
        has_relative_attention_bias: bool = False,
        num_buckets: int = 32,
        max_distance: int = 128,
        gru_rel_pos: bool = False,
    ) -> None:
        super().__init__()
        if embed_dim % num_heads:
            raise ValueError(f"encoder_embed_dim {embed_dim} is not divisible by {num_heads} attention heads")
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.num_buckets = num_buckets
        self.max_distance = max_distance
        self.has_relative_attention_bias = has_relative_attention_bias
        if has_relative_attention_bias:
            self.relative_attention_bias = nn.Embedding(num_buckets, num_heads)
        self.k_proj = nn.Linear(embed_dim, embed_dim)
        self.v_proj = nn.Linear(embed_dim, embed_dim)
        self.q_proj = nn.Linear(embed_dim, embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        self.gru_rel_pos = gru_rel_pos
        if gru_rel_pos:
            self.grep_linear = nn.Linear(self.head_dim, 8)
            self.grep_a = nn.Parameter(torch.ones(1, num_heads, 1, 1))

    def position_bias(self, length: int) -> torch.Tensor:
        """The (1, H, T, T) bias for a sequence of ``length`` frames (layers with the table only)."""
        table = self.relative_attention_bias.weight
        positions = torch.arange(length, device=table.device)
        buckets = relative_position_buckets(
            positions[None, :] - positions[:, None], self.num_buckets, self.max_distance
        )
        return F.embedding(buckets, table).permute(2, 0, 1).unsqueeze(0)

    def _gate(self, x: torch.Tensor) -> torch.Tensor:
        """Per-query gate (B, H, T, 1) from the layer input x (B, T, C)."""
        batch, length, _ = x.shape
        heads = x.view(batch, length, self.num_heads, self.head_dim).transpose(1, 2)
        logits = self.grep_linear(heads).view(batch, self.num_heads, length, 2, 4).sum(-1)
        a, b = torch.sigmoid(logits).chunk(2, dim=-1)
        return a * (b * self.grep_a - 1.0) + 2.0

    def forward(
        self,
        x: torch.Tensor,
        key_padding_mask: torch.Tensor | None = None,
        position_bias: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Attend over x (B, T, C).

        Args:
            key_padding_mask: (B, T) bool, True for padded frames that no query may attend to.
            position_bias: the (B or 1, H, T, T) ungated bias from an earlier layer, or None to
                compute it here (when this layer owns the table).

        Returns:
            (output (B, T, C), the ungated position bias to pass on or None).
        """
        batch, length, _ = x.shape
        if self.has_relative_attention_bias and position_bias is None:
            position_bias = self.position_bias(length)
        scores_bias: torch.Tensor | None = None
        if position_bias is not None:
            scores_bias = position_bias.to(x.dtype)
            if self.gru_rel_pos:
                scores_bias = self._gate(x) * scores_bias
            scores_bias = scores_bias.expand(batch, -1, -1, -1)
        if key_padding_mask is not None:
            padded = torch.zeros(batch, 1, 1, length, dtype=x.dtype, device=x.device)
            padded = padded.masked_fill(key_padding_mask[:, None, None, :].bool(), float("-inf"))
            scores_bias = padded if scores_bias is None else scores_bias + padded

        def heads(t: torch.Tensor) -> torch.Tensor:
            return t.view(batch, length, self.num_heads, self.head_dim).transpose(1, 2)

        out = F.scaled_dot_product_attention(
            heads(self.q_proj(x)), heads(self.k_proj(x)), heads(self.v_proj(x)), attn_mask=scores_bias
        )
        out = out.transpose(1, 2).reshape(batch, length, self.embed_dim)
        return self.out_proj(out), position_bias
