"""Transformer encoder with windowed relative-position self-attention (VITS text encoder).

Keys (per layer ``i``): ``attn_layers.i.conv_{q,k,v,o}``, ``attn_layers.i.emb_rel_{k,v}``
(``(1, 2W+1, d_head)``), ``norm_layers_1.i``, ``ffn_layers.i.conv_{1,2}``, ``norm_layers_2.i``.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from TTS.tts.layers.vits.normalization import ChannelLayerNorm

__all__ = ["RelativeSelfAttention", "ConvFeedForward", "RelativePositionTransformer"]

_MASKED_SCORE = -1e4  # the released models were trained with this finite fill value


def _band_index(length: int, window: int, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """Offsets ``j - i + W`` clamped to ``[0, 2W]`` and a validity mask, both ``(T, T)``."""
    pos = torch.arange(length, device=device)
    offset = pos[None, :] - pos[:, None]
    valid = offset.abs() <= window
    return (offset + window).clamp(0, 2 * window), valid


class RelativeSelfAttention(nn.Module):
    """Multi-head self-attention whose scores and values add learned embeddings of ``j - i``.

    Offsets beyond ``window`` get no relative term. Embeddings are shared by all heads.
    ``x``: (B, C, T) -> (B, C_out, T).
    """

    def __init__(self, channels: int, out_channels: int, num_heads: int, window: int = 4) -> None:
        super().__init__()
        if channels % num_heads:
            raise ValueError("channels must be divisible by num_heads")
        self.num_heads = num_heads
        self.head_dim = channels // num_heads
        self.window = window
        self.conv_q = nn.Conv1d(channels, channels, 1)
        self.conv_k = nn.Conv1d(channels, channels, 1)
        self.conv_v = nn.Conv1d(channels, channels, 1)
        self.conv_o = nn.Conv1d(channels, out_channels, 1)
        self.emb_rel_k = nn.Parameter(torch.zeros(1, 2 * window + 1, self.head_dim))
        self.emb_rel_v = nn.Parameter(torch.zeros(1, 2 * window + 1, self.head_dim))

    def forward(self, x: torch.Tensor, attn_mask: torch.Tensor) -> torch.Tensor:
        """``x``: (B, C, T); ``attn_mask``: (B, 1, T, T) with 1 for allowed pairs."""
        b, c, t = x.shape
        h, d = self.num_heads, self.head_dim

        def heads(y: torch.Tensor) -> torch.Tensor:  # (B, C, T) -> (B, H, T, d)
            return y.view(b, h, d, t).transpose(2, 3)

        q, k, v = heads(self.conv_q(x)), heads(self.conv_k(x)), heads(self.conv_v(x))
        scale = 1.0 / math.sqrt(d)
        idx, valid = _band_index(t, self.window, x.device)
        # Relative keys: logits against the 2W+1 offset embeddings, scattered onto the band.
        rel_logits = torch.matmul(q, self.emb_rel_k[0].t())  # (B, H, T, 2W+1)
        rel_scores = torch.gather(rel_logits, 3, idx.expand(b, h, t, t)) * valid
        scores = (torch.matmul(q, k.transpose(2, 3)) + rel_scores) * scale
        scores = scores.masked_fill(attn_mask == 0, _MASKED_SCORE)
        probs = F.softmax(scores, dim=-1)
        out = torch.matmul(probs, v)
        # Relative values: weight of each offset, gathered from the band of probs.
        cols = torch.arange(t, device=x.device)[:, None] + torch.arange(-self.window, self.window + 1, device=x.device)
        in_range = (cols >= 0) & (cols < t)
        rel_probs = torch.gather(probs, 3, cols.clamp(0, t - 1).expand(b, h, t, -1)) * in_range
        out = out + torch.matmul(rel_probs, self.emb_rel_v[0])
        return self.conv_o(out.transpose(2, 3).reshape(b, c, t))


class ConvFeedForward(nn.Module):
    """Two 'same'-padded convolutions with ReLU between, masked: (B, C, T) -> (B, C_out, T)."""

    def __init__(self, in_channels: int, out_channels: int, hidden_channels: int, kernel_size: int) -> None:
        super().__init__()
        self.pad = ((kernel_size - 1) // 2, kernel_size // 2)
        self.conv_1 = nn.Conv1d(in_channels, hidden_channels, kernel_size)
        self.conv_2 = nn.Conv1d(hidden_channels, out_channels, kernel_size)

    def forward(self, x: torch.Tensor, x_mask: torch.Tensor) -> torch.Tensor:
        y = torch.relu(self.conv_1(F.pad(x * x_mask, self.pad)))
        return self.conv_2(F.pad(y * x_mask, self.pad)) * x_mask


class RelativePositionTransformer(nn.Module):
    """Post-norm transformer encoder: ``num_layers`` x (relative attention, conv FFN).

    ``x``: (B, C, T), ``x_mask``: (B, 1, T) -> (B, C, T).
    """

    def __init__(
        self,
        channels: int,
        hidden_channels_ffn: int,
        num_heads: int,
        num_layers: int,
        kernel_size: int,
        window: int = 4,
    ) -> None:
        super().__init__()
        self.attn_layers = nn.ModuleList(
            RelativeSelfAttention(channels, channels, num_heads, window) for _ in range(num_layers)
        )
        self.norm_layers_1 = nn.ModuleList(ChannelLayerNorm(channels) for _ in range(num_layers))
        self.ffn_layers = nn.ModuleList(
            ConvFeedForward(channels, channels, hidden_channels_ffn, kernel_size) for _ in range(num_layers)
        )
        self.norm_layers_2 = nn.ModuleList(ChannelLayerNorm(channels) for _ in range(num_layers))

    def forward(self, x: torch.Tensor, x_mask: torch.Tensor) -> torch.Tensor:
        attn_mask = x_mask.unsqueeze(2) * x_mask.unsqueeze(-1)
        for attn, norm1, ffn, norm2 in zip(self.attn_layers, self.norm_layers_1, self.ffn_layers, self.norm_layers_2):
            x = x * x_mask
            x = norm1(x + attn(x, attn_mask))
            x = norm2(x + ffn(x, x_mask))
        return x * x_mask
