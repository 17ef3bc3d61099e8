"""Transformer encoder with optional windowed relative-position attention (VITS, Glow-TTS, ForwardTTS).

Keys per layer ``i``: ``attn_layers.i.conv_{q,k,v,o}`` (+ ``emb_rel_k``/``emb_rel_v``
``(1, 2W+1, d_head)`` when a window is set), ``norm_layers_1.i``, ``ffn_layers.i.conv_{1,2}``,
``norm_layers_2.i``, and ``proj`` when the output width differs from the hidden width.

``layer_norm_type="1"`` uses ``(1, C, 1)`` scale/shift with eps 1e-4 (released Glow-TTS),
``"2"`` uses ``(C,)`` parameters with eps 1e-5.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from TTS.core.layers.cl_conv import pointwise_conv_sum
from TTS.tts.layers.generic.normalization import ChannelLayerNorm, LegacyChannelLayerNorm

__all__ = ["ConvFeedForward", "RelativePositionMultiHeadAttention", "RelativePositionTransformer"]

_MASKED_SCORE = -1e4  # finite fill the released models were trained with


class RelativePositionMultiHeadAttention(nn.Module):
    """Multi-head self-attention; with ``rel_attn_window_size`` W, offsets ``j - i`` in [-W, W]
    add learned key/value embeddings shared by all heads. ``input_length`` L, when set, limits
    attention to ``|j - i| <= L``.
    """

    def __init__(
        self,
        channels: int,
        out_channels: int,
        num_heads: int,
        rel_attn_window_size: int | None = None,
        input_length: int | None = None,
    ) -> None:
        super().__init__()
        if channels % num_heads:
            raise ValueError("channels must be divisible by num_heads")
        self.num_heads = num_heads
        self.head_dim = channels // num_heads
        self.window = rel_attn_window_size
        self.input_length = input_length
        self.conv_q = nn.Conv1d(channels, channels, 1)
        self.conv_k = nn.Conv1d(channels, channels, 1)
        self.conv_v = nn.Conv1d(channels, channels, 1)
        self.conv_o = nn.Conv1d(channels, out_channels, 1)
        if rel_attn_window_size is not None:
            size = 2 * rel_attn_window_size + 1
            self.emb_rel_k = nn.Parameter(torch.zeros(1, size, self.head_dim))
            self.emb_rel_v = nn.Parameter(torch.zeros(1, size, self.head_dim))

    def forward(self, x: torch.Tensor, attn_mask: torch.Tensor | None = None) -> torch.Tensor:
        """``x``: (B, C, T); ``attn_mask``: (B, 1, T, T), 1 where attention is allowed -> (B, C_out, T)."""
        b, c, t = x.shape
        h, d = self.num_heads, self.head_dim

        def split_heads(y: torch.Tensor) -> torch.Tensor:  # (B, C, T) -> (B, H, T, d)
            return y.view(b, h, d, t).transpose(2, 3)

        # 1x1 convs over a short time axis: plain matrix products are cheaper than the conv kernels.
        q, k, v = (split_heads(pointwise_conv_sum([(conv, x)])) for conv in (self.conv_q, self.conv_k, self.conv_v))
        scores = torch.matmul(q, k.transpose(2, 3))
        offsets = None
        if self.window is not None:
            pos = torch.arange(t, device=x.device)
            offsets = pos[None, :] - pos[:, None]  # (T, T): j - i
            in_window = offsets.abs() <= self.window
            idx = (offsets + self.window).clamp(0, 2 * self.window)
            rel_logits = torch.matmul(q, self.emb_rel_k[0].t())  # (B, H, T, 2W+1)
            scores = scores + torch.gather(rel_logits, 3, idx.expand(b, h, t, t)) * in_window
        scores = scores / math.sqrt(d)
        if attn_mask is not None:
            scores = scores.masked_fill(attn_mask == 0, _MASKED_SCORE)
            if self.input_length is not None:
                pos = torch.arange(t, device=x.device)
                far = (pos[None, :] - pos[:, None]).abs() > self.input_length
                scores = scores.masked_fill(far, _MASKED_SCORE)
        probs = F.softmax(scores, dim=-1)
        out = torch.matmul(probs, v)
        if self.window is not None:
            # Attention mass on each offset in [-W, W], gathered from the band of probs.
            cols = torch.arange(t, device=x.device)[:, None] + torch.arange(
                -self.window, self.window + 1, device=x.device
            )
            valid = (cols >= 0) & (cols < t)
            rel_probs = torch.gather(probs, 3, cols.clamp(0, t - 1).expand(b, h, t, -1)) * valid
            out = out + torch.matmul(rel_probs, self.emb_rel_v[0])
        return pointwise_conv_sum([(self.conv_o, out.transpose(2, 3).reshape(b, c, t))])


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


def _layer_norm(channels: int, layer_norm_type: str) -> nn.Module:
    if layer_norm_type == "1":
        return LegacyChannelLayerNorm(channels)
    if layer_norm_type == "2":
        return ChannelLayerNorm(channels)
    raise ValueError(f"unknown layer_norm_type {layer_norm_type!r} (use '1' or '2')")


class RelativePositionTransformer(nn.Module):
    """Post-norm transformer: ``num_layers`` x (attention, conv feed-forward).

    The last layer's feed-forward maps to ``out_channels``; ``proj`` carries the
    residual across when that differs from ``hidden_channels``.
    ``x``: (B, C_in, T), ``x_mask``: (B, 1, T) -> (B, C_out, T).
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        hidden_channels: int,
        hidden_channels_ffn: int,
        num_heads: int,
        num_layers: int,
        kernel_size: int = 1,
        dropout_p: float = 0.0,
        rel_attn_window_size: int | None = None,
        input_length: int | None = None,
        layer_norm_type: str = "1",
    ) -> None:
        super().__init__()
        self.num_layers = num_layers
        self.attn_layers = nn.ModuleList()
        self.norm_layers_1 = nn.ModuleList()
        self.ffn_layers = nn.ModuleList()
        self.norm_layers_2 = nn.ModuleList()
        for i in range(num_layers):
            last = i == num_layers - 1
            width_out = out_channels if last else hidden_channels
            self.attn_layers.append(
                RelativePositionMultiHeadAttention(
                    in_channels if i == 0 else hidden_channels,
                    hidden_channels,
                    num_heads,
                    rel_attn_window_size=rel_attn_window_size,
                    input_length=input_length,
                )
            )
            self.norm_layers_1.append(_layer_norm(hidden_channels, layer_norm_type))
            if last and hidden_channels != out_channels:
                self.proj = nn.Conv1d(hidden_channels, out_channels, 1)
            self.ffn_layers.append(ConvFeedForward(hidden_channels, width_out, hidden_channels_ffn, kernel_size))
            self.norm_layers_2.append(_layer_norm(width_out, layer_norm_type))

    def forward(self, x: torch.Tensor, x_mask: torch.Tensor) -> torch.Tensor:
        attn_mask = x_mask.unsqueeze(2) * x_mask.unsqueeze(-1)
        for i in range(self.num_layers):
            x = x * x_mask
            x = self.norm_layers_1[i](x + self.attn_layers[i](x, attn_mask))
            y = self.ffn_layers[i](x, x_mask)
            if i == self.num_layers - 1 and hasattr(self, "proj"):
                x = self.proj(x)
            x = self.norm_layers_2[i](x + y)
        return x * x_mask
