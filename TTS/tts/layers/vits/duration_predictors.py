"""VITS duration predictors (inference direction only).

``StochasticDurationPredictor``: a text-conditioned normalising flow run backwards
from Gaussian noise to log-durations. Checkpoint keys: ``pre``, ``convs``, ``proj``,
``cond``, ``cond_lang``, ``flows.0`` (elementwise affine), ``flows.1..N`` (spline
flows). The training-only posterior branch (``post_*``) is not built.

The deterministic predictor (``use_sdp=False``) is the shared
:class:`TTS.tts.layers.generic.duration_predictor.DurationPredictor`.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from TTS.tts.layers.generic.normalization import ChannelLayerNorm
from TTS.tts.layers.vits.spline import inverse_rq_spline

__all__ = [
    "DilatedDepthSeparableConv",
    "ElementwiseAffine",
    "ConvFlow",
    "StochasticDurationPredictor",
]


class DilatedDepthSeparableConv(nn.Module):
    """Residual stack of (depthwise dilated conv, LN, GELU, 1x1 conv, LN, GELU): (B, C, T) -> (B, C, T)."""

    def __init__(self, channels: int, kernel_size: int, num_layers: int) -> None:
        super().__init__()
        self.convs_sep = nn.ModuleList()
        self.convs_1x1 = nn.ModuleList()
        self.norms_1 = nn.ModuleList()
        self.norms_2 = nn.ModuleList()
        for i in range(num_layers):
            dilation = kernel_size**i
            pad = (kernel_size - 1) * dilation // 2
            self.convs_sep.append(
                nn.Conv1d(channels, channels, kernel_size, groups=channels, dilation=dilation, padding=pad)
            )
            self.convs_1x1.append(nn.Conv1d(channels, channels, 1))
            self.norms_1.append(ChannelLayerNorm(channels))
            self.norms_2.append(ChannelLayerNorm(channels))

    def forward(self, x: torch.Tensor, x_mask: torch.Tensor, g: torch.Tensor | None = None) -> torch.Tensor:
        if g is not None:
            x = x + g
        for sep, pw, n1, n2 in zip(self.convs_sep, self.convs_1x1, self.norms_1, self.norms_2):
            y = F.gelu(n1(sep(x * x_mask)))
            x = x + F.gelu(n2(pw(y)))
        return x * x_mask


class ElementwiseAffine(nn.Module):
    """Per-channel affine flow; keys ``translation``/``log_scale`` of shape (C, 1)."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.translation = nn.Parameter(torch.zeros(channels, 1))
        self.log_scale = nn.Parameter(torch.zeros(channels, 1))

    def inverse(self, z: torch.Tensor, x_mask: torch.Tensor, g: torch.Tensor | None = None) -> torch.Tensor:
        return (z - self.translation) * torch.exp(-self.log_scale) * x_mask


class ConvFlow(nn.Module):
    """Coupling flow on 2 channels: channel 0 conditions a spline transform of channel 1."""

    def __init__(
        self, in_channels: int, hidden_channels: int, kernel_size: int, num_layers: int, num_bins: int = 10
    ) -> None:
        super().__init__()
        self.num_bins = num_bins
        self.tail_bound = 5.0
        self.hidden_channels = hidden_channels
        self.half_channels = in_channels // 2
        self.pre = nn.Conv1d(self.half_channels, hidden_channels, 1)
        self.convs = DilatedDepthSeparableConv(hidden_channels, kernel_size, num_layers)
        self.proj = nn.Conv1d(hidden_channels, self.half_channels * (num_bins * 3 - 1), 1)

    def inverse(self, z: torch.Tensor, x_mask: torch.Tensor, g: torch.Tensor | None = None) -> torch.Tensor:
        """``z``: (B, 2, T), ``g``: (B, C, T) text condition -> (B, 2, T)."""
        z0, z1 = torch.split(z, [self.half_channels] * 2, dim=1)
        h = self.proj(self.convs(self.pre(z0), x_mask, g=g)) * x_mask
        b, c, t = z0.shape
        h = h.reshape(b, c, -1, t).permute(0, 1, 3, 2)  # (B, c, T, 3K-1)
        k = self.num_bins
        norm = math.sqrt(self.hidden_channels)
        z1 = inverse_rq_spline(z1, h[..., :k] / norm, h[..., k : 2 * k] / norm, h[..., 2 * k :], self.tail_bound)
        return torch.cat([z0, z1], dim=1) * x_mask


class StochasticDurationPredictor(nn.Module):
    """Log-duration sampler: text hidden (B, C, T) -> log w (B, 1, T)."""

    def __init__(
        self,
        in_channels: int,
        hidden_channels: int,
        kernel_size: int,
        num_flows: int = 4,
        cond_channels: int = 0,
        language_emb_dim: int = 0,
    ) -> None:
        super().__init__()
        self.pre = nn.Conv1d(in_channels + (language_emb_dim or 0), hidden_channels, 1)
        self.convs = DilatedDepthSeparableConv(hidden_channels, kernel_size, num_layers=3)
        self.proj = nn.Conv1d(hidden_channels, hidden_channels, 1)
        self.flows = nn.ModuleList([ElementwiseAffine(2)])
        self.flows.extend(ConvFlow(2, hidden_channels, kernel_size, num_layers=3) for _ in range(num_flows))
        if cond_channels:
            self.cond = nn.Conv1d(cond_channels, hidden_channels, 1)
        if language_emb_dim:
            self.cond_lang = nn.Conv1d(language_emb_dim, hidden_channels, 1)

    def forward(
        self,
        x: torch.Tensor,
        x_mask: torch.Tensor,
        g: torch.Tensor | None = None,
        lang_emb: torch.Tensor | None = None,
        noise_scale: float | torch.Tensor = 1.0,
    ) -> torch.Tensor:
        """``x``: (B, C, T), ``x_mask``: (B, 1, T), ``g``: (B, C_g, 1), ``lang_emb``: (B, C_l, 1)."""
        h = self.pre(x)
        if g is not None:
            h = h + self.cond(g)
        if lang_emb is not None:
            h = h + self.cond_lang(lang_emb)
        h = self.proj(self.convs(h, x_mask)) * x_mask
        z = torch.randn(x.shape[0], 2, x.shape[2], device=x.device, dtype=x.dtype) * noise_scale
        # Backwards through the flow; the first spline flow only served training and is skipped.
        for flow in [*reversed(self.flows[2:]), self.flows[0]]:
            z = flow.inverse(torch.flip(z, [1]), x_mask, g=h)
        return z[:, :1]
