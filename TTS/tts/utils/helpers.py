"""Small tensor helpers shared by the TTS models: masks and duration-to-alignment paths."""

from __future__ import annotations

import torch

__all__ = ["sequence_mask", "generate_path", "frame_major_randn"]


def sequence_mask(sequence_length: torch.Tensor, max_len: int | torch.Tensor | None = None) -> torch.Tensor:
    """Boolean mask ``(B, T_max)``: ``True`` where the time index is below each length.

    ``sequence_length``: (B,). ``max_len`` defaults to the longest length.
    """
    if max_len is None:
        max_len = sequence_length.max()
    steps = torch.arange(max_len, dtype=sequence_length.dtype, device=sequence_length.device)
    return steps[None, :] < sequence_length[:, None]


def generate_path(duration: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Hard monotonic alignment from integer durations.

    ``duration``: (B, T_en) frames per token; ``mask``: (B, T_en, T_de).
    Returns ``path`` (B, T_en, T_de) with ``path[b, i, j] = 1`` when decoder frame
    ``j`` belongs to token ``i`` (frames ``[cum[i-1], cum[i])``).
    """
    t_de = mask.shape[2]
    end = torch.cumsum(duration, dim=1)
    start = end - duration
    frames = torch.arange(t_de, device=duration.device, dtype=duration.dtype)[None, None, :]
    path = (frames >= start[:, :, None]) & (frames < end[:, :, None])
    return path.to(mask.dtype) * mask


def frame_major_randn(like: torch.Tensor) -> torch.Tensor:
    """Standard normal noise shaped like ``like`` (B, C, T), drawn in frame-major order.

    Upstream expands its prior statistics with a matmul whose result is a transposed
    (B, T, C) buffer, and ``randn_like`` fills such a strided tensor in its own way (not
    as a contiguous one: the order and the sampling kernel differ). Filling a tensor of the same layout gives upstream's exact sample for a
    given torch seed.
    """
    b, c, t = like.shape
    layout = torch.empty(b, t, c, dtype=like.dtype, device=like.device).transpose(1, 2)
    return torch.randn_like(layout)
