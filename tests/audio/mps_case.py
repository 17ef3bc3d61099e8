"""MPS emulation case for the audio front-end: resampling 10 s of 44.1 kHz audio is a
strided conv with 220500 output steps, far beyond MPS's 65536 (macOS < 15.1)."""

from __future__ import annotations

import torch
from torch import nn

from tests.audio import signals
from tests.mps.cases import MpsCase
from TTS.core.audio.mel import MelSpectrogram
from TTS.core.audio.resample import resample
from TTS.core.device import prepare_model


class FrontEnd(nn.Module):
    """(1, T at 44.1 kHz) -> 22.05 kHz waveform and its 80-band mel spectrogram."""

    def __init__(self) -> None:
        super().__init__()
        self.mel = MelSpectrogram(sample_rate=22050, n_fft=1024, hop_length=256, n_mels=80, f_max=8000.0)

    @torch.inference_mode()
    def forward(self, wav: torch.Tensor) -> dict[str, torch.Tensor]:
        resampled = resample(wav, 44100, 22050)
        return {"wav": resampled, "mel": self.mel(resampled)}


def _build(device: str = "cpu"):
    model = prepare_model(FrontEnd().eval(), device)
    target = model.mel.spectrogram.window.device  # buffers only: no parameters to ask
    wav = torch.from_numpy(signals.test_signal(44100, 10.0, seed=4))[None].to(target)
    return lambda: model(wav)


def mps_cases() -> list[MpsCase]:
    return [MpsCase(name="resample-44k-10s", build=_build, min_output_samples=10 * 22050)]
