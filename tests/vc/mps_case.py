"""MPS emulation case for OpenVoice: >= 6 s of voice conversion (STFT, tone-colour encoder, posterior
encoder, flow both ways, HiFi-GAN decoder); see tests/mps/README.md."""

from __future__ import annotations

import torch

from tests.mps.cases import MpsCase
from tests.parity.weights import deterministic_state_dict

SAMPLE_RATE = 22050


def _make_model() -> torch.nn.Module:
    from TTS.vc.configs.openvoice_config import OpenVoiceArgs, OpenVoiceConfig
    from TTS.vc.models.openvoice import OpenVoice

    args = OpenVoiceArgs(
        inter_channels=16,
        hidden_channels=16,
        gin_channels=16,
        upsample_initial_channel=32,
        resblock_kernel_sizes=[3],
        resblock_dilation_sizes=[[1, 3, 5]],
        tau=0.0,  # the posterior mean: CPU and MPS would draw different noise
    )
    model = OpenVoice(OpenVoiceConfig(model_args=args))
    shapes = {k: v.shape for k, v in model.state_dict().items()}
    state = {k: torch.from_numpy(v) for k, v in deterministic_state_dict(shapes, salt="openvoice-mps").items()}
    model.load_state_dict(state, strict=True)
    return model.eval()


def _tone(seconds: float, f0: float) -> torch.Tensor:
    t = torch.arange(int(seconds * SAMPLE_RATE), dtype=torch.float32) / SAMPLE_RATE
    return 0.4 * torch.sin(2 * torch.pi * f0 * t) + 0.1 * torch.sin(2 * torch.pi * 3.1 * f0 * t)


def _run(model: torch.nn.Module, device: str | torch.device) -> torch.Tensor:
    wav = model.voice_conversion(_tone(6.1, 150.0).to(device), [_tone(1.0, 230.0).to(device)])
    return torch.from_numpy(wav)


def mps_cases() -> list[MpsCase]:
    return [MpsCase.from_module("openvoice-6s", _make_model, _run, min_output_samples=6 * SAMPLE_RATE)]
