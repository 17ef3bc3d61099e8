"""The MPS emulation test's own case: a long conv stack shaped like a speaker-encoder front and a vocoder.

It needs no model family, so the emulation test runs before any family lands.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils import parametrizations

from tests.mps.cases import MpsCase

SAMPLE_RATE_HZ = 24000
HOP = 64
FRAMES = 2400  # 2400 * 64 = 153600 samples = 6.4 s at 24 kHz


class LongConvStack(nn.Module):
    """Pre-emphasis over a 10 s reference + a tiny upsampling vocoder; (1, T_ref), (1, C, F) -> (1, 1, F * 64)."""

    def __init__(self, mel_channels: int = 8):
        super().__init__()
        self.preemphasis = nn.Conv1d(1, 1, 2, bias=False)
        self.ref_proj = nn.Conv1d(1, 4, 5, stride=4, padding=2)
        self.pre = nn.Conv1d(mel_channels, 8, 7, padding=3)
        self.up1 = parametrizations.weight_norm(nn.ConvTranspose1d(8, 4, 16, stride=8, padding=4))
        self.up2 = nn.ConvTranspose1d(4, 4, 16, stride=8, padding=4)
        self.res = parametrizations.weight_norm(nn.Conv1d(4, 4, 3, dilation=3, padding=3))
        self.post = nn.Conv1d(4, 1, 7, padding=3, padding_mode="reflect")
        g = torch.Generator().manual_seed(0)
        with torch.no_grad():
            for p in self.parameters():
                p.copy_(torch.randn(p.shape, generator=g) * 0.2)

    @torch.inference_mode()
    def forward(self, reference: torch.Tensor, mel: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        ref = self.ref_proj(self.preemphasis(reference.unsqueeze(1))).mean(-1, keepdim=True)
        x = self.pre(mel) + ref.mean(1, keepdim=True)
        x = torch.nn.functional.leaky_relu(self.up2(torch.nn.functional.leaky_relu(self.up1(x), 0.1)), 0.1)
        x = x + self.res(x)
        return torch.tanh(self.post(x)), ref


def _run(model: nn.Module, device: torch.device):
    g = torch.Generator().manual_seed(1)
    reference = torch.randn(1, 10 * 16000, generator=g).to(device)  # 10 s at 16 kHz
    mel = torch.randn(1, 8, FRAMES, generator=g).to(device)
    wav, ref = model(reference, mel)
    return {"wav": wav, "ref": ref}


def mps_cases() -> list[MpsCase]:
    return [
        MpsCase.from_module(
            "long-conv-stack",
            LongConvStack,
            _run,
            min_output_samples=6 * SAMPLE_RATE_HZ,
            atol=1e-3,
            rtol=1e-3,
        )
    ]
