"""WaveRNN conditioning networks and output samplers.

Keys follow the released layout: ``upsample.resnet.conv_in`` / ``batch_norm`` /
``layers.<i>.conv1|conv2|batch_norm1|batch_norm2`` / ``conv_out`` and
``upsample.up_layers.<2i + 1>`` (the smoothing convs after each stretch).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from TTS.vocoder.layers.upsample import Stretch2d

__all__ = [
    "ResBlock",
    "MelResNet",
    "UpsampleNetwork",
    "Upsample",
    "sample_from_discretized_mix_logistic",
    "sample_from_gaussian",
    "sample_from_softmax",
]


class ResBlock(nn.Module):
    """Two 1x1 convs with batch norm and a skip: (B, C, T) -> (B, C, T)."""

    def __init__(self, dims: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv1d(dims, dims, 1, bias=False)
        self.conv2 = nn.Conv1d(dims, dims, 1, bias=False)
        self.batch_norm1 = nn.BatchNorm1d(dims)
        self.batch_norm2 = nn.BatchNorm1d(dims)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, C, T) -> (B, C, T)."""
        h = F.relu(self.batch_norm1(self.conv1(x)))
        return self.batch_norm2(self.conv2(h)) + x


class MelResNet(nn.Module):
    """Mel (B, C_mel, T + 2 pad) -> auxiliary features (B, res_out_dims, T) (the context conv is unpadded)."""

    def __init__(self, num_res_blocks: int, in_dims: int, compute_dims: int, res_out_dims: int, pad: int) -> None:
        super().__init__()
        self.conv_in = nn.Conv1d(in_dims, compute_dims, 2 * pad + 1, bias=False)
        self.batch_norm = nn.BatchNorm1d(compute_dims)
        self.layers = nn.ModuleList(ResBlock(compute_dims) for _ in range(num_res_blocks))
        self.conv_out = nn.Conv1d(compute_dims, res_out_dims, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, C_mel, T + 2 pad) -> (B, res_out_dims, T)."""
        h = F.relu(self.batch_norm(self.conv_in(x)))
        for layer in self.layers:
            h = layer(h)
        return self.conv_out(h)


class UpsampleNetwork(nn.Module):
    """Stretch + smoothing-conv upsampler with an optional mel ResNet.

    ``forward(m)``: m (B, C_mel, T + 2 pad) -> (mels (B, T * hop, C_mel), aux (B, T * hop, res_out_dims) or None).
    """

    def __init__(
        self,
        feat_dims: int,
        upsample_scales: Sequence[int],
        compute_dims: int,
        num_res_blocks: int,
        res_out_dims: int,
        pad: int,
        use_aux_net: bool,
    ) -> None:
        super().__init__()
        self.total_scale = int(math.prod(upsample_scales))
        self.indent = pad * self.total_scale
        self.use_aux_net = use_aux_net
        if use_aux_net:
            self.resnet = MelResNet(num_res_blocks, feat_dims, compute_dims, res_out_dims, pad)
            self.resnet_stretch = Stretch2d(self.total_scale, 1)
        self.up_layers = nn.ModuleList()
        for scale in upsample_scales:
            conv = nn.Conv2d(1, 1, (1, 2 * scale + 1), padding=(0, scale), bias=False)
            nn.init.constant_(conv.weight, 1.0 / (2 * scale + 1))
            self.up_layers.append(Stretch2d(scale, 1))
            self.up_layers.append(conv)

    def forward(self, m: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """See the class docstring."""
        aux = None
        if self.use_aux_net:
            aux = self.resnet_stretch(self.resnet(m).unsqueeze(1)).squeeze(1).transpose(1, 2)
        h = m.unsqueeze(1)
        for layer in self.up_layers:
            h = layer(h)
        h = h.squeeze(1)[:, :, self.indent : -self.indent]
        return h.transpose(1, 2), aux


class Upsample(nn.Module):
    """Linear-interpolation upsampler (``use_upsample_net=False``); same inputs and outputs as :class:`UpsampleNetwork`."""

    def __init__(
        self,
        scale: int,
        pad: int,
        num_res_blocks: int,
        feat_dims: int,
        compute_dims: int,
        res_out_dims: int,
        use_aux_net: bool,
    ) -> None:
        super().__init__()
        self.scale = scale
        self.pad = pad
        self.indent = pad * scale
        self.use_aux_net = use_aux_net
        self.resnet = MelResNet(num_res_blocks, feat_dims, compute_dims, res_out_dims, pad)

    def forward(self, m: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """See :class:`UpsampleNetwork`."""
        aux = None
        if self.use_aux_net:
            aux = F.interpolate(self.resnet(m), scale_factor=self.scale, mode="linear", align_corners=True)
            aux = aux.transpose(1, 2)
        h = F.interpolate(m, scale_factor=self.scale, mode="linear", align_corners=True)
        h = h[:, :, self.indent : -self.indent] * 0.045  # level the released models were trained with
        return h.transpose(1, 2), aux


# ---------------------------------------------------------------- samplers
# Each draws from the global torch generator in the same order and with the same ops as
# upstream, so seeded generation reproduces upstream's samples.


def sample_from_discretized_mix_logistic(y: torch.Tensor, log_scale_min: float | None = None) -> torch.Tensor:
    """One sample per step from a mixture of logistics: ``y`` (B, 3 * M, T) -> (B, T) in [-1, 1]."""
    if log_scale_min is None:
        log_scale_min = math.log(1e-14)
    mixtures = y.shape[1] // 3
    y = y.transpose(1, 2)
    logits = y[:, :, :mixtures]
    # Gumbel-max picks the mixture component.
    uniform = torch.empty_like(logits).uniform_(1e-5, 1.0 - 1e-5)
    choice = (logits - torch.log(-torch.log(uniform))).argmax(dim=-1, keepdim=True)
    means = y[:, :, mixtures : 2 * mixtures].gather(-1, choice).squeeze(-1)
    log_scales = y[:, :, 2 * mixtures :].gather(-1, choice).squeeze(-1).clamp(min=log_scale_min)
    u = torch.empty_like(means).uniform_(1e-5, 1.0 - 1e-5)
    x = means + torch.exp(log_scales) * (torch.log(u) - torch.log(1.0 - u))
    return x.clamp(-1.0, 1.0)


def sample_from_gaussian(y: torch.Tensor, log_std_min: float = -7.0, scale_factor: float = 1.0) -> torch.Tensor:
    """``y`` (B, T, 2) holding mean and log-std -> a sample (B, T, 1) clipped to ``+-scale_factor``."""
    mean = y[:, :, :1]
    std = torch.exp(y[:, :, 1:].clamp(min=log_std_min))
    shape = torch.broadcast_shapes(mean.shape, std.shape)
    sample = torch.normal(mean.expand(shape), std.expand(shape))
    return sample.clamp(-scale_factor, scale_factor)


def sample_from_softmax(logits: torch.Tensor) -> torch.Tensor:
    """Class index per row of ``logits`` (B, n_classes) -> (B,) int64, sampled from the softmax."""
    probs = F.softmax(logits, dim=1)
    probs = probs / probs.sum(-1, keepdim=True)
    return torch.multinomial(probs, 1, True).squeeze(-1)
