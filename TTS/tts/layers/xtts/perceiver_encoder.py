"""Perceiver resampler: a variable-length sequence to a fixed number of latent vectors (XTTS v2).

Learned latents attend to ``[latents; context]`` (cross-attention that also
sees the queries), followed by a GEGLU feed-forward, ``depth`` times, then an
RMS norm. Keys: ``latents``, ``proj_context`` (only when the context width
differs), ``layers.N.0.{to_q,to_kv,to_out}``, ``layers.N.1.{0,2}``, ``norm.gamma``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["RMSNorm", "GEGLU", "PerceiverAttention", "PerceiverResampler", "feed_forward"]


class RMSNorm(nn.Module):
    """``x / ||x|| * sqrt(dim) * gamma`` over the last dim."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.scale = dim**0.5
        self.gamma = nn.Parameter(torch.ones(dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.normalize(x, dim=-1) * self.scale * self.gamma


class GEGLU(nn.Module):
    """Split the last dim in halves ``(a, g)`` and return ``a * gelu(g)``."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a, gates = x.chunk(2, dim=-1)
        return a * F.gelu(gates)


def feed_forward(dim: int, mult: float = 4) -> nn.Sequential:
    """GEGLU feed-forward with hidden width ``int(dim * mult * 2 / 3)``; keys ``0`` and ``2``."""
    inner = int(dim * mult * 2 / 3)
    return nn.Sequential(nn.Linear(dim, inner * 2), GEGLU(), nn.Linear(inner, dim))


class PerceiverAttention(nn.Module):
    """Multi-head attention of ``x`` (B, N, D) over ``[x; context]`` (no biases)."""

    def __init__(self, dim: int, dim_head: int = 64, heads: int = 8) -> None:
        super().__init__()
        self.heads = heads
        inner = dim_head * heads
        self.to_q = nn.Linear(dim, inner, bias=False)
        self.to_kv = nn.Linear(dim, inner * 2, bias=False)
        self.to_out = nn.Linear(inner, dim, bias=False)

    def forward(self, x: torch.Tensor, context: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """``x``: (B, N, D); ``context``: (B, S, D); ``mask``: (B, N + S) bool, True = attend. Returns (B, N, D)."""
        b, n, _ = x.shape
        kv_input = torch.cat((x, context), dim=1)
        k, v = self.to_kv(kv_input).chunk(2, dim=-1)

        def heads(t: torch.Tensor) -> torch.Tensor:
            return t.view(b, t.shape[1], self.heads, -1).transpose(1, 2)

        attn_mask = mask[:, None, None, :] if mask is not None else None
        out = F.scaled_dot_product_attention(heads(self.to_q(x)), heads(k), heads(v), attn_mask=attn_mask)
        return self.to_out(out.transpose(1, 2).reshape(b, n, -1))


class PerceiverResampler(nn.Module):
    """(B, S, dim_context) -> (B, num_latents, dim)."""

    def __init__(
        self,
        *,
        dim: int,
        depth: int = 2,
        dim_context: int | None = None,
        num_latents: int = 32,
        dim_head: int = 64,
        heads: int = 8,
        ff_mult: float = 4,
        use_flash_attn: bool = False,
    ) -> None:
        super().__init__()
        dim_context = dim if dim_context is None else dim_context
        self.proj_context = nn.Linear(dim_context, dim) if dim_context != dim else nn.Identity()
        self.latents = nn.Parameter(torch.randn(num_latents, dim) * 0.02)
        self.layers = nn.ModuleList(
            nn.ModuleList([PerceiverAttention(dim, dim_head, heads), feed_forward(dim, ff_mult)]) for _ in range(depth)
        )
        self.norm = RMSNorm(dim)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        context = self.proj_context(x)
        latents = self.latents.unsqueeze(0).expand(x.shape[0], -1, -1)
        for attn, ff in self.layers:
            latents = attn(latents, context, mask) + latents
            latents = ff(latents) + latents
        return self.norm(latents)
