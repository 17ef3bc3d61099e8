"""Conditioning encoder: a reference mel spectrogram to a sequence of GPT-width vectors.

A 1x1 convolution lifts 80 mel bins to the model width, then a stack of
full (non-causal) self-attention blocks over time. Keys: ``init``,
``attn.N.norm``, ``attn.N.qkv``, ``attn.N.proj_out``.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["group_count", "AttentionBlock", "ConditioningEncoder"]


def group_count(channels: int) -> int:
    """GroupNorm groups used by these blocks: 32 (8 up to 16 channels, 16 up to 64), halved until it divides."""
    groups = 8 if channels <= 16 else 16 if channels <= 64 else 32
    while channels % groups:
        groups //= 2
    if groups <= 2:
        raise ValueError(f"cannot choose GroupNorm groups for {channels} channels")
    return groups


class AttentionBlock(nn.Module):
    """Self-attention over time on (B, C, T), with the residual taken from the *normalised* input.

    ``qkv`` is a 1x1 conv whose output channels are grouped per head as
    ``[q_h, k_h, v_h]`` (heads outermost), as in the released weights.
    """

    def __init__(self, channels: int, num_heads: int = 1) -> None:
        super().__init__()
        if channels % num_heads:
            raise ValueError(f"{channels} channels are not divisible by {num_heads} heads")
        self.num_heads = num_heads
        self.norm = nn.GroupNorm(group_count(channels), channels)
        self.qkv = nn.Conv1d(channels, channels * 3, 1)
        self.proj_out = nn.Conv1d(channels, channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x``: (B, C, T) -> (B, C, T)."""
        b, c, t = x.shape
        x_norm = self.norm(x.float()).to(x.dtype)
        head_dim = c // self.num_heads
        q, k, v = self.qkv(x_norm).reshape(b, self.num_heads, 3 * head_dim, t).split(head_dim, dim=2)
        # (B, H, hd, T) -> (B, H, T, hd); scaled dot product over time, no mask.
        scale = 1.0 / math.sqrt(head_dim)
        out = F.scaled_dot_product_attention(q.transpose(2, 3), k.transpose(2, 3), v.transpose(2, 3), scale=scale)
        h = self.proj_out(out.transpose(2, 3).reshape(b, c, t))
        return x_norm + h


class ConditioningEncoder(nn.Module):
    """(B, spec_dim, T) mel frames -> (B, embedding_dim, T)."""

    def __init__(self, spec_dim: int, embedding_dim: int, attn_blocks: int = 6, num_attn_heads: int = 4) -> None:
        super().__init__()
        self.init = nn.Conv1d(spec_dim, embedding_dim, kernel_size=1)
        self.attn = nn.Sequential(*(AttentionBlock(embedding_dim, num_attn_heads) for _ in range(attn_blocks)))
        self.dim = embedding_dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.attn(self.init(x))
