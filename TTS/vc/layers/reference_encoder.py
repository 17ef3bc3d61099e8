"""OpenVoice's tone-colour encoder: a linear spectrogram -> one fixed-size voice embedding.

The spectrogram is normalised per frame over its frequency bins, read as a one-channel
image (time x frequency), shrunk by six 3x3 convolutions of stride 2 with ReLU, and the
remaining frames are summarised by a GRU whose last hidden state is projected to the
embedding.

Keys (as released): ``layernorm``, ``convs.N`` (weight-normed in the files; folded at
load), ``gru`` (``weight_ih_l0`` ...), ``proj``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["CONV_CHANNELS", "ReferenceEncoder"]

#: Output channels of the six stride-2 convolutions.
CONV_CHANNELS = (32, 32, 64, 64, 128, 128)
_GRU_SIZE = 128


def _halved(size: int, times: int) -> int:
    """Length after ``times`` convolutions with kernel 3, stride 2, padding 1."""
    for _ in range(times):
        size = (size - 1) // 2 + 1
    return size


class ReferenceEncoder(nn.Module):
    """Spectrogram frames (B, T, n_bins) -> embedding (B, embedding_dim)."""

    def __init__(self, n_bins: int, embedding_dim: int, layernorm: bool = True) -> None:
        super().__init__()
        self.n_bins = n_bins
        self.layernorm = nn.LayerNorm(n_bins) if layernorm else None
        channels = (1, *CONV_CHANNELS)
        self.convs = nn.ModuleList(
            nn.Conv2d(c_in, c_out, kernel_size=3, stride=2, padding=1) for c_in, c_out in zip(channels, channels[1:])
        )
        features = CONV_CHANNELS[-1] * _halved(n_bins, len(CONV_CHANNELS))
        self.gru = nn.GRU(features, _GRU_SIZE, batch_first=True)
        self.proj = nn.Linear(_GRU_SIZE, embedding_dim)

    def forward(self, frames: torch.Tensor) -> torch.Tensor:
        """``frames``: (B, T, n_bins) magnitudes -> (B, embedding_dim)."""
        x = frames if self.layernorm is None else self.layernorm(frames)
        x = x.unsqueeze(1)  # (B, 1, T, n_bins): an image, time by frequency
        for conv in self.convs:
            x = F.relu(conv(x))
        b, c, t, f = x.shape
        x = x.permute(0, 2, 1, 3).reshape(b, t, c * f)  # per frame: channels, then frequency
        _, last = self.gru(x)  # (1, B, 128)
        return self.proj(last[0])
