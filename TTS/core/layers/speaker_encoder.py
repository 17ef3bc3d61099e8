"""The one ResNet speaker encoder (H/ASP, squeeze-excitation blocks).

Used by the XTTS decoder (speaker embedding of the reference audio) and by
YourTTS / the speaker manager. Constructor arguments and state-dict keys match
the released checkpoints (``conv1``, ``bn1``, ``layerN.i.{conv1,bn1,conv2,bn2,se.fc.0,se.fc.2,downsample.0,downsample.1}``,
``attention.{0,2,3}``, ``fc``, ``torch_spec.0.filter``, ``torch_spec.1.spectrogram.window``,
``torch_spec.1.mel_scale.fb``).

The waveform front-end's pre-emphasis is computed as ``y[t] = x[t] - c * x[t-1]``
instead of as a 2-tap convolution: same numbers, and one convolution fewer on
the MPS output-size limit (a 16 kHz reference over ~4.1 s used to hit it).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["PreEmphasis", "SELayer", "SEBasicBlock", "ResNetSpeakerEncoder"]

logger = logging.getLogger(__name__)


class PreEmphasis(nn.Module):
    """First-order high-pass ``y[t] = x[t] - c * x[t-1]``, with ``x[-1] := x[1]`` (reflect padding).

    ``filter`` is kept as a buffer only so that checkpoints carrying it load unchanged.
    """

    def __init__(self, coefficient: float = 0.97) -> None:
        super().__init__()
        self.coefficient = float(coefficient)
        self.register_buffer("filter", torch.tensor([[[-self.coefficient, 1.0]]], dtype=torch.float32))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x``: (B, T) -> (B, T)."""
        if x.dim() != 2:
            raise ValueError(f"PreEmphasis expects (batch, samples), got shape {tuple(x.shape)}")
        previous = torch.cat([x[:, 1:2], x[:, :-1]], dim=1)
        return x - self.coefficient * previous


class SELayer(nn.Module):
    """Squeeze-and-excitation: channel gates from the global average. (B, C, H, W) -> same."""

    def __init__(self, channel: int, reduction: int = 8) -> None:
        super().__init__()
        self.fc = nn.Sequential(
            nn.Linear(channel, channel // reduction),
            nn.ReLU(inplace=True),
            nn.Linear(channel // reduction, channel),
            nn.Sigmoid(),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gates = self.fc(x.mean(dim=(2, 3)))
        return x * gates[:, :, None, None]


class SEBasicBlock(nn.Module):
    """Residual block: conv -> ReLU -> BN -> conv -> BN -> SE, plus (downsampled) identity, then ReLU."""

    expansion = 1

    def __init__(
        self, inplanes: int, planes: int, stride: int | tuple[int, int] = 1, downsample: nn.Module | None = None
    ) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.se = SELayer(planes)
        self.downsample = downsample

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.bn1(F.relu(self.conv1(x)))
        out = self.se(self.bn2(self.conv2(out)))
        identity = x if self.downsample is None else self.downsample(x)
        return F.relu(out + identity)


def _mel_front_end(audio_config: Mapping[str, Any]) -> nn.Sequential:
    """Pre-emphasis followed by a power mel spectrogram (Hamming window, HTK scale)."""
    from TTS.core.audio.mel import MelSpectrogram

    return nn.Sequential(
        PreEmphasis(audio_config["preemphasis"]),
        MelSpectrogram(
            sample_rate=audio_config["sample_rate"],
            n_fft=audio_config["fft_size"],
            win_length=audio_config["win_length"],
            hop_length=audio_config["hop_length"],
            window_fn=torch.hamming_window,
            n_mels=audio_config["num_mels"],
        ),
    )


class ResNetSpeakerEncoder(nn.Module):
    """ResNet-34-style speaker encoder with attentive statistics pooling.

    Input: a waveform (B, T) / (B, 1, T) when ``use_torch_spec``, else a
    spectrogram (B, input_dim, T). Output: (B, proj_dim) embeddings.
    """

    def __init__(
        self,
        input_dim: int = 64,
        proj_dim: int = 512,
        layers: Sequence[int] | None = None,
        num_filters: Sequence[int] | None = None,
        encoder_type: str = "ASP",
        log_input: bool = False,
        use_torch_spec: bool = False,
        audio_config: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__()
        layers = list(layers) if layers is not None else [3, 4, 6, 3]
        num_filters = list(num_filters) if num_filters is not None else [32, 64, 128, 256]
        if encoder_type not in ("SAP", "ASP"):
            raise ValueError(f"encoder_type must be 'SAP' or 'ASP', got {encoder_type!r}")
        self.encoder_type = encoder_type
        self.input_dim = input_dim
        self.log_input = log_input
        self.use_torch_spec = use_torch_spec
        self.audio_config = audio_config
        self.proj_dim = proj_dim

        self.conv1 = nn.Conv2d(1, num_filters[0], kernel_size=3, stride=1, padding=1)
        self.bn1 = nn.BatchNorm2d(num_filters[0])
        self._inplanes = num_filters[0]
        self.layer1 = self._make_stage(num_filters[0], layers[0], 1)
        self.layer2 = self._make_stage(num_filters[1], layers[1], (2, 2))
        self.layer3 = self._make_stage(num_filters[2], layers[2], (2, 2))
        self.layer4 = self._make_stage(num_filters[3], layers[3], (2, 2))
        self.instancenorm = nn.InstanceNorm1d(input_dim)
        self.torch_spec = _mel_front_end(audio_config) if use_torch_spec else None

        pooled = num_filters[3] * (input_dim // 8)
        self.attention = nn.Sequential(
            nn.Conv1d(pooled, 128, kernel_size=1),
            nn.ReLU(),
            nn.BatchNorm1d(128),
            nn.Conv1d(128, pooled, kernel_size=1),
            nn.Softmax(dim=2),
        )
        self.fc = nn.Linear(pooled * 2 if encoder_type == "ASP" else pooled, proj_dim)

    def _make_stage(self, planes: int, blocks: int, stride: int | tuple[int, int]) -> nn.Sequential:
        downsample = None
        if stride != 1 or self._inplanes != planes:
            downsample = nn.Sequential(
                nn.Conv2d(self._inplanes, planes, kernel_size=1, stride=stride, bias=False),
                nn.BatchNorm2d(planes),
            )
        stage = [SEBasicBlock(self._inplanes, planes, stride, downsample)]
        self._inplanes = planes
        stage += [SEBasicBlock(planes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*stage)

    def forward(self, x: torch.Tensor, l2_norm: bool = False) -> torch.Tensor:
        """``x``: waveform (B, T) or (B, 1, T) with ``use_torch_spec``, else (B, input_dim, T). Returns (B, proj_dim)."""
        if x.dim() == 3 and x.shape[1] == 1:
            x = x[:, 0]
        if self.use_torch_spec:
            x = self.torch_spec(x)
        if self.log_input:
            x = (x + 1e-6).log()
        x = self.instancenorm(x).unsqueeze(1)

        x = self.bn1(F.relu(self.conv1(x)))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        x = x.reshape(x.shape[0], -1, x.shape[-1])  # (B, C * F', T')

        weights = self.attention(x)
        mean = torch.sum(x * weights, dim=2)
        if self.encoder_type == "ASP":
            var = torch.sum(x * x * weights, dim=2) - mean * mean
            x = torch.cat((mean, var.clamp(min=1e-5).sqrt()), dim=1)
        else:
            x = mean
        x = self.fc(x)
        if l2_norm:
            x = F.normalize(x, p=2, dim=1)
        return x

    @torch.inference_mode()
    def inference(self, x: torch.Tensor, l2_norm: bool = True) -> torch.Tensor:
        """Embeddings (B, proj_dim) of ``x`` (see :meth:`forward`)."""
        return self.forward(x, l2_norm)

    @torch.inference_mode()
    def compute_embedding(
        self,
        x: torch.Tensor,
        num_frames: int = 250,
        num_eval: int = 10,
        return_mean: bool = True,
        l2_norm: bool = True,
    ) -> torch.Tensor:
        """Embed ``num_eval`` evenly spaced windows of ``num_frames`` frames of one utterance.

        ``x``: (1, T) waveform with ``use_torch_spec`` (``num_frames`` then counts hops), else a
        spectrogram cut along dim 1. Returns (1, proj_dim) when ``return_mean``,
        else (num_eval, proj_dim).
        """
        if self.use_torch_spec:
            num_frames = num_frames * self.audio_config["hop_length"]
        total = x.shape[1]
        num_frames = min(num_frames, total)
        starts = np.linspace(0, total - num_frames, num=num_eval).tolist()
        windows = torch.cat([x[:, int(s) : int(s) + num_frames] for s in starts], dim=0)
        embeddings = self.inference(windows, l2_norm=l2_norm)
        if return_mean:
            embeddings = embeddings.mean(dim=0, keepdim=True)
        return embeddings

    def load_checkpoint(
        self, config: Any, checkpoint_path: str, eval: bool = False, use_cuda: bool = False, **_: Any
    ) -> None:
        """Load a released speaker-encoder checkpoint (``{"model": state_dict, ...}``) strictly."""
        from TTS.core.checkpoint import load_checkpoint_file, load_state_dict_strict

        state = load_checkpoint_file(checkpoint_path, map_location="cpu")
        load_state_dict_strict(self, state["model"] if "model" in state else state)
        if use_cuda:
            self.cuda()
        if eval:
            self.eval()
