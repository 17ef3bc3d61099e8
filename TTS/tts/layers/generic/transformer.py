"""Feed-forward transformer (FastPitch / FastSpeech encoder and decoder).

Keys per layer ``fft_layers.i``: ``self_attn.in_proj_weight|in_proj_bias|out_proj.*``
(``nn.MultiheadAttention``), ``conv1``, ``conv2``, ``norm1``, ``norm2``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from TTS.core.layers.cl_conv import channels_last_ok, conv1d_cl

__all__ = ["FFTransformer", "FFTransformerBlock"]


class FFTransformer(nn.Module):
    """Self-attention and a two-conv feed-forward net, each followed by a layer norm.

    The released models add the attention output twice before the first norm
    (``norm1(x + 2 * attn(x))`` at inference); that is what they were trained with.
    """

    def __init__(
        self,
        in_out_channels: int,
        num_heads: int,
        hidden_channels_ffn: int = 1024,
        kernel_size_fft: int = 3,
        dropout_p: float = 0.1,
    ) -> None:
        super().__init__()
        self.self_attn = nn.MultiheadAttention(in_out_channels, num_heads, dropout=dropout_p)
        pad = (kernel_size_fft - 1) // 2
        self.conv1 = nn.Conv1d(in_out_channels, hidden_channels_ffn, kernel_size_fft, padding=pad)
        self.conv2 = nn.Conv1d(hidden_channels_ffn, in_out_channels, kernel_size_fft, padding=pad)
        self.norm1 = nn.LayerNorm(in_out_channels)
        self.norm2 = nn.LayerNorm(in_out_channels)

    def forward(self, x: torch.Tensor, key_padding_mask: torch.Tensor | None = None) -> torch.Tensor:
        """``x``: (B, C, T); ``key_padding_mask``: (B, T), True at padding -> (B, C, T)."""
        seq = x.permute(2, 0, 1)  # (T, B, C)
        attn, _ = self.self_attn(seq, seq, seq, key_padding_mask=key_padding_mask, need_weights=False)
        seq = self.norm1(attn.mul_(2).add_(seq))  # attn is a fresh tensor: update it in place
        if seq.shape[1] == 1 and channels_last_ok(seq, [self]):
            # At batch 1 the (T, 1, C) sequence already is a channels-last (1, C, 1, T) signal: the
            # feed-forward convs run channels-last (faster on CPU) with no layout copies at all.
            h = seq.permute(1, 2, 0).unsqueeze(2)
            h = conv1d_cl(self.conv2, F.relu(conv1d_cl(self.conv1, h), inplace=True)).add_(h).squeeze(2)
        else:
            h = seq.permute(1, 2, 0)  # (B, C, T)
            h = self.conv2(F.relu(self.conv1(h), inplace=True)).add_(h)
        return self.norm2(h.transpose(1, 2)).transpose(1, 2)


class FFTransformerBlock(nn.Module):
    """``num_layers`` :class:`FFTransformer` layers: (B, C, T) -> (B, C, T)."""

    def __init__(
        self, in_out_channels: int, num_heads: int, hidden_channels_ffn: int, num_layers: int, dropout_p: float
    ) -> None:
        super().__init__()
        self.fft_layers = nn.ModuleList(
            FFTransformer(in_out_channels, num_heads, hidden_channels_ffn, dropout_p=dropout_p)
            for _ in range(num_layers)
        )

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None, g: torch.Tensor | None = None) -> torch.Tensor:
        """``x``: (B, C, T); ``mask``: (B, 1, T) or (B, T) with 1 at valid frames."""
        padding = None
        if mask is not None and mask.ndim == 3:
            padding = ~mask.squeeze(1).bool()
        elif mask is not None:
            padding = mask
        for layer in self.fft_layers:
            x = layer(x, key_padding_mask=padding)
        return x
