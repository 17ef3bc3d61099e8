"""Our resampler against torchaudio.functional.resample reference outputs."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from tests.audio import signals
from TTS.core.audio import resample as resample_module
from TTS.core.audio.resample import resample, resampled_length
from TTS.core.errors import InvalidInputError

DATA = Path(__file__).resolve().parents[1] / "data" / "audio"
META = json.loads((DATA / "audio_refs.json").read_text(encoding="utf-8"))
REFS = np.load(DATA / "resample_refs.npz")
CASES = META["resample"]


def _input(case: dict) -> torch.Tensor:
    chans = [signals.test_signal(case["orig"], case["seconds"], seed=s) for s in case["seeds"]]
    return torch.from_numpy(np.stack(chans))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_matches_torchaudio(case):
    ours = resample(_input(case), case["orig"], case["new"], **case["kwargs"]).numpy()
    ref = REFS[case["name"]]
    assert ours.shape == ref.shape
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-5)


@pytest.mark.parametrize("case", CASES[:4], ids=[c["name"] for c in CASES[:4]])
def test_sparse_path_matches_torchaudio(case, monkeypatch):
    # The gather path used for near-coprime rates must give the same numbers.
    monkeypatch.setattr(resample_module, "_DENSE_MAX_KERNEL_ELEMENTS", 0)
    resample_module._device_kernels.cache_clear()
    try:
        ours = resample(_input(case), case["orig"], case["new"], **case["kwargs"]).numpy()
    finally:
        resample_module._device_kernels.cache_clear()
    np.testing.assert_allclose(ours, REFS[case["name"]], rtol=0, atol=1e-5)


def test_shapes_dtypes_and_identity():
    x = torch.randn(3, 2, 1000)
    y = resample(x, 16000, 24000)
    assert y.shape == (3, 2, resampled_length(1000, 16000, 24000)) == (3, 2, 1500)
    assert resample(x, 22050, 22050) is x
    y64 = resample(x.double(), 16000, 8000)
    assert y64.dtype == torch.float64
    np.testing.assert_allclose(y64.numpy(), resample(x, 16000, 8000).numpy(), atol=1e-5)


def test_near_coprime_rates_stay_cheap():
    # A dense kernel for 44100 -> 44099 would hold ~2e9 weights.
    x = torch.from_numpy(signals.test_signal(44100, 0.5))
    start = time.perf_counter()
    y = resample(x, 44100, 44099)
    assert time.perf_counter() - start < 10
    assert y.shape[-1] == resampled_length(x.shape[-1], 44100, 44099)
    # a band-limited resample by ~1 ppm is almost the identity in the pass band
    tone = torch.sin(2 * torch.pi * 440 * torch.arange(4410) / 44100)
    assert (resample(tone, 44100, 44099)[100:-100] - tone[100:-100]).abs().max() < 0.05


def test_invalid_arguments():
    x = torch.zeros(10)
    with pytest.raises(InvalidInputError):
        resample(x, 22050.5, 16000)
    with pytest.raises(InvalidInputError):
        resample(x, -1, 16000)
    with pytest.raises(InvalidInputError):
        resample(x, 22050, 16000, resampling_method="linear")
    with pytest.raises(InvalidInputError):
        resample(torch.zeros(10, dtype=torch.int16), 22050, 16000)
