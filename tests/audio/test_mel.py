"""Mel front-end against torchaudio.transforms / functional and librosa.filters.mel references."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import numpy as np
import pytest
import torch

from tests.audio import signals
from TTS.core.audio.mel import MelScale, MelSpectrogram, Spectrogram, mel_filterbank, melscale_fbanks

DATA = Path(__file__).resolve().parents[1] / "data" / "audio"
META = json.loads((DATA / "audio_refs.json").read_text(encoding="utf-8"))
REFS = np.load(DATA / "mel_refs.npz")
WINDOWS = {"hann": torch.hann_window, "hamming": torch.hamming_window}


def _module(case: dict) -> MelSpectrogram:
    kwargs = dict(case["kwargs"])
    window = WINDOWS[kwargs.pop("window", "hann")]
    return MelSpectrogram(sample_rate=case["sample_rate"], window_fn=window, **kwargs)


def _input(case: dict) -> torch.Tensor:
    return torch.from_numpy(signals.test_signal(case["sample_rate"], case["seconds"], seed=case["seed"]))[None]


@pytest.mark.parametrize("case", META["mel"], ids=[c["name"] for c in META["mel"]])
def test_mel_spectrogram_matches_torchaudio(case):
    with pytest.warns(UserWarning) if case["name"] == "default_16k" else contextlib.nullcontext():
        module = _module(case)
    ours = module(_input(case)).numpy()
    ref = REFS[f"mel_{case['name']}"]
    assert ours.shape == ref.shape
    np.testing.assert_allclose(ours, ref, rtol=1e-5, atol=1e-6 * np.abs(ref).max())
    # same state-dict keys and shapes as torchaudio, so released checkpoints load
    shapes = {k: list(v.shape) for k, v in module.state_dict().items()}
    assert shapes == META["mel_state_dict_shapes"][case["name"]]


@pytest.mark.filterwarnings("ignore:At least one mel filter is all zeros")
@pytest.mark.parametrize("name", ["default_16k", "nocenter_pad", "encoder_hamming_16k"])
def test_complex_spectrogram_matches_torchaudio(name):
    case = next(c for c in META["mel"] if c["name"] == name)
    mel = _module(case)
    spec = Spectrogram(
        n_fft=mel.n_fft,
        win_length=mel.win_length,
        hop_length=mel.hop_length,
        pad=mel.pad,
        window_fn=WINDOWS[case["kwargs"].get("window", "hann")],
        power=None,
        normalized=mel.normalized,
        center=mel.spectrogram.center,
        pad_mode=mel.spectrogram.pad_mode,
    )
    out = spec(_input(case))
    ref = REFS[f"spec_complex_{name}"]
    ours = np.stack([out.real.numpy(), out.imag.numpy()])
    np.testing.assert_allclose(ours, ref, rtol=1e-5, atol=1e-6 * np.abs(ref).max())


@pytest.mark.parametrize("name,args", META["fbanks"], ids=[n for n, _ in META["fbanks"]])
def test_melscale_fbanks(name, args):
    ours = melscale_fbanks(*args).numpy()
    np.testing.assert_allclose(ours, REFS[f"fbanks_{name}"], rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("name,kwargs", META["librosa_mel"], ids=[n for n, _ in META["librosa_mel"]])
def test_librosa_filterbank(name, kwargs):
    ours = mel_filterbank(
        kwargs["sr"],
        kwargs["n_fft"],
        kwargs["n_mels"],
        kwargs.get("fmin", 0.0),
        kwargs.get("fmax"),
        htk=kwargs.get("htk", False),
        norm=kwargs.get("norm", "slaney"),
    )
    ref = REFS[f"librosa_mel_{name}"]
    assert ours.dtype == np.float32 and ours.shape == ref.shape
    np.testing.assert_allclose(ours, ref, rtol=1e-5, atol=1e-8)


def test_state_dict_buffers_load_and_batch_shapes():
    module = MelSpectrogram(sample_rate=22050, n_fft=1024, hop_length=256, n_mels=80)
    assert set(module.state_dict()) == {"spectrogram.window", "mel_scale.fb"}
    module.load_state_dict({k: v.clone() for k, v in module.state_dict().items()})
    x = torch.randn(2, 3, 4096)
    assert module(x).shape == (2, 3, 80, 4096 // 256 + 1)
    scale = MelScale(n_mels=10, sample_rate=8000, n_stft=33)
    assert scale(torch.rand(33, 7)).shape == (10, 7)


def test_mel_filterbank_norm_options():
    fb = mel_filterbank(16000, 512, 20, norm=None)
    assert np.isclose(fb.max(), 1.0, atol=1e-2)
    unit = mel_filterbank(16000, 512, 20, norm=2.0)
    np.testing.assert_allclose(np.linalg.norm(unit, axis=1), 1.0, rtol=1e-5)
    with pytest.raises(ValueError):
        mel_filterbank(16000, 512, 20, norm="bogus")
