"""WavLM's waveform front end: strided 1-D convolutions, each followed by GELU.

Keys (as released): ``conv_layers.N.0.weight`` (and ``.bias`` with ``conv_bias``) for the
convolution; the norm sits in slot ``2``: ``conv_layers.0.2`` (group norm, ``"default"`` mode,
first block only) or ``conv_layers.N.2.1`` (layer norm over channels, ``"layer_norm"`` mode).
Norms are computed in float32 whatever the input dtype, as in the released model.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from TTS.core.layers.cl_conv import channels_last_ok, conv1d_cl, to_channels_last
from TTS.vc.layers.wavlm.config import ConvLayerSpec

__all__ = ["ConvFeatureExtractor", "frames_for_samples"]

EXTRACTOR_MODES = ("default", "layer_norm")


class _GroupNormFp32(nn.GroupNorm):
    """Group norm over (B, C, T), computed in float32 and returned in the input dtype."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.group_norm(x.float(), self.num_groups, self.weight.float(), self.bias.float(), self.eps)
        return out.to(x.dtype)


class _ChannelLayerNorm(nn.Module):
    """Layer norm over the channels of (B, C, T), in float32; the norm is registered as ``1``."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.add_module("1", nn.LayerNorm(channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        norm: nn.LayerNorm = self._modules["1"]  # type: ignore[assignment]
        y = F.layer_norm(
            x.transpose(1, 2).float(), norm.normalized_shape, norm.weight.float(), norm.bias.float(), norm.eps
        )
        return y.transpose(1, 2).to(x.dtype)


class _ConvBlock(nn.Module):
    """Conv1d -> optional norm -> GELU on (B, C_in, T) -> (B, C_out, T').

    The convolution is registered as ``0`` and the norm as ``2`` (slot ``1`` held a dropout in
    the training code), which gives the released key names.
    """

    def __init__(self, in_dim: int, spec: ConvLayerSpec, norm: nn.Module | None, bias: bool) -> None:
        super().__init__()
        dim, kernel, stride = spec
        self.add_module("0", nn.Conv1d(in_dim, dim, kernel, stride=stride, bias=bias))
        if norm is not None:
            self.add_module("2", norm)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self._modules["0"](x)
        norm = self._modules.get("2")
        if norm is not None:
            x = norm(x)
        return F.gelu(x)


class ConvFeatureExtractor(nn.Module):
    """Waveform (B, samples) -> features (B, C, T') with C the last layer's dim."""

    def __init__(self, layers: Sequence[ConvLayerSpec], mode: str = "default", conv_bias: bool = False) -> None:
        super().__init__()
        if mode not in EXTRACTOR_MODES:
            raise ValueError(f"extractor_mode must be one of {EXTRACTOR_MODES}, got {mode!r}")
        self.specs = tuple(layers)
        self.conv_layers = nn.ModuleList()
        in_dim = 1
        for index, spec in enumerate(self.specs):
            dim = spec[0]
            norm: nn.Module | None = None
            if mode == "layer_norm":
                norm = _ChannelLayerNorm(dim)
            elif index == 0:
                norm = _GroupNormFp32(dim, dim)
            self.conv_layers.append(_ConvBlock(in_dim, spec, norm, conv_bias))
            in_dim = dim

    def forward(self, wav: torch.Tensor) -> torch.Tensor:
        """(B, samples) -> (B, C, T')."""
        x = wav.unsqueeze(1)
        if self._time_major_ok(x):
            return self._forward_time_major(x)
        for block in self.conv_layers:
            x = block(x)
        return x

    def _time_major_ok(self, x: torch.Tensor) -> bool:
        """The layer-norm front end on the CPU in fp32 without autograd: it can run time-major."""
        layer_norm = all(isinstance(block._modules.get("2"), _ChannelLayerNorm) for block in self.conv_layers)
        return layer_norm and x.dtype == torch.float32 and channels_last_ok(x, [self.conv_layers])

    def _forward_time_major(self, x: torch.Tensor) -> torch.Tensor:
        """:meth:`forward` with the activations held as (T, C) rows (channels-last): the layer norm over
        channels then needs no transposes, and oneDNN's channels-last kernels run the strided convs.
        Same arithmetic; returns a (B, C, T') view of time-major memory."""
        h = to_channels_last(x)  # (B, 1, 1, samples)
        for block in self.conv_layers:
            conv: nn.Conv1d = block._modules["0"]  # type: ignore[assignment]
            norm: nn.LayerNorm = block._modules["2"]._modules["1"]  # type: ignore[assignment,union-attr]
            rows = conv1d_cl(conv, h).permute(0, 2, 3, 1)  # (B, 1, T', C), contiguous
            rows = F.gelu(F.layer_norm(rows, norm.normalized_shape, norm.weight, norm.bias, norm.eps))
            h = rows.permute(0, 3, 1, 2)
        return h.squeeze(2)


def frames_for_samples(samples: int, layers: Sequence[ConvLayerSpec]) -> int:
    """Number of feature frames the extractor gives for ``samples`` input samples (no padding)."""
    for _, kernel, stride in layers:
        samples = (samples - kernel) // stride + 1
    return max(samples, 0)
