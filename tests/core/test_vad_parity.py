"""``TTS.core.audio.vad`` against ``torchaudio.functional.vad`` / ``transforms.Vad``.

References come from ``tools/oracle/make_vad_refs.py``: the inputs are seeded recipes
rendered by ``tests/data/parity/vad/signals.py``, the outputs are stored as start,
length, edge samples and a SHA-256 (every output is a slice of its input); the fuzzed
cases (``signals.random_case``) store start and length only.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import math
from pathlib import Path

import numpy as np
import pytest
import torch

from TTS.core.audio import Vad, trim_silence_both_ends
from TTS.core.audio.vad import vad
from TTS.core.errors import InvalidInputError

DATA = Path(__file__).resolve().parents[1] / "data" / "parity" / "vad"
REFS = json.loads((DATA / "refs.json").read_text())
CASES = {case["name"]: case for case in REFS["cases"]}

_spec = importlib.util.spec_from_file_location("vad_signals", DATA / "signals.py")
signals = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(signals)


def _input(case: dict) -> torch.Tensor:
    pcm = signals.render_pcm(case["recipe"])
    assert hashlib.sha256(pcm.tobytes()).hexdigest() == case["pcm_sha256"], "test recording drifted: rerun the oracle"
    if case["dtype"] == "int16":
        x = torch.from_numpy(pcm.copy())
    else:
        x = torch.from_numpy(pcm.astype(np.float32) / 32768.0).to(getattr(torch, case["dtype"]))
    return {"mono": x[0], "channels": x, "3d": x[:, None]}[case["layout"]]


def _assert_matches(out: torch.Tensor, x: torch.Tensor, ref: dict) -> None:
    assert list(out.shape) == ref["shape"]
    assert out.dtype == x.dtype
    start, length = ref["start"], ref["length"]
    assert torch.equal(out, x[..., start : start + length])
    flat = out.reshape(math.prod(out.shape[:-1]), length).double().numpy()
    edge = REFS["edge"]
    np.testing.assert_allclose(flat[:, :edge], np.array(ref["head"]).reshape(len(flat), -1), rtol=0, atol=1e-6)
    tail = flat[:, -edge:] if length else flat[:, :0]
    np.testing.assert_allclose(tail, np.array(ref["tail"]).reshape(len(flat), -1), rtol=0, atol=1e-6)
    assert hashlib.sha256(out.contiguous().numpy().tobytes()).hexdigest() == ref["sha256"]


@pytest.mark.parametrize("name", CASES)
def test_vad_matches_torchaudio(name: str) -> None:
    case = CASES[name]
    x = _input(case)
    _assert_matches(vad(x, case["recipe"]["rate"], **case["kwargs"]), x, case["vad"])


@pytest.mark.parametrize("name", ["voiced_16k_lv10.0", "tone_bursts_22k_custom", "stereo_16k_lv7", "short_16k"])
def test_vad_module_matches_torchaudio(name: str) -> None:
    case = CASES[name]
    x = _input(case)
    _assert_matches(Vad(case["recipe"]["rate"], **case["kwargs"])(x), x, case["vad"])


@pytest.mark.parametrize("name", CASES)
def test_trim_both_ends_matches_torchaudio(name: str) -> None:
    case = CASES[name]
    ref = case["both_ends"]
    x = _input(case)
    if "error" in ref:  # the first pass left nothing; torchaudio then fails
        with pytest.raises(InvalidInputError, match="No voice activity"):
            trim_silence_both_ends(x, case["recipe"]["rate"], ref["trigger_level"])
        return
    _assert_matches(trim_silence_both_ends(x, case["recipe"]["rate"], ref["trigger_level"]), x, ref)


@pytest.mark.parametrize("ref", REFS["fuzz"], ids=lambda ref: f"seed{ref['seed']}")
def test_vad_matches_torchaudio_on_random_cases(ref: dict) -> None:
    recipe, dtype, layout, kwargs = signals.random_case(ref["seed"])
    x = _input({"recipe": recipe, "dtype": dtype, "layout": layout, "pcm_sha256": ref["pcm_sha256"]})
    out = vad(x, recipe["rate"], **kwargs)
    assert (out.storage_offset() - x.storage_offset(), out.shape[-1]) == (ref["start"], ref["length"])


def test_output_is_a_view_that_keeps_gradients() -> None:
    case = CASES["voiced_16k_lv7.0"]
    x = _input(case).requires_grad_()
    out = vad(x, case["recipe"]["rate"])
    out.sum().backward()
    assert x.grad is not None
    assert x.grad[: case["vad"]["start"]].abs().sum() == 0
    assert torch.all(x.grad[case["vad"]["start"] :] == 1)


def test_more_than_two_dims_logs_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    x = _input(CASES["batch3d_16k_lv7"])
    with caplog.at_level(logging.WARNING, logger="TTS.core.audio.vad"):
        vad(x, 16000)
    assert "treated as channels of one recording" in caplog.text


@pytest.mark.parametrize(
    ("waveform", "sample_rate", "kwargs", "message"),
    [
        (torch.zeros(16000), 0, {}, "sample_rate must be a positive"),
        (torch.zeros(16000), -16000, {}, "sample_rate must be a positive"),
        (torch.zeros(16000), float("nan"), {}, "sample_rate must be a positive"),
        (torch.zeros(0), 16000, {}, "empty"),
        (torch.zeros(2, 0), 16000, {}, "empty"),
        (torch.tensor(0.5), 16000, {}, "scalar"),
        (torch.zeros(16000, dtype=torch.complex64), 16000, {}, "real samples"),
        (np.zeros(16000, dtype=np.float32), 16000, {}, "must be a torch.Tensor"),
        (torch.zeros(16000), 16000, {"measure_freq": 0.0}, "measure_freq must be positive"),
        (torch.zeros(16000), 16000, {"search_time": 0.0}, "search_time must be positive"),
        (torch.zeros(16000), 16000, {"trigger_time": -1.0}, "trigger_time must be positive"),
        (torch.zeros(16000), 16000, {"pre_trigger_time": -0.1}, "pre_trigger_time must be zero or positive"),
        (torch.zeros(16000), 16000, {"measure_duration": 1e-6}, "at least one sample"),
        (torch.zeros(16000), 16000, {"hp_filter_freq": 6000.0, "lp_filter_freq": 50.0}, "no frequency bin"),
        (torch.zeros(16000), 16000, {"hp_lifter_freq": 2000.0, "lp_lifter_freq": 150.0}, "lifter band"),
    ],
)
def test_bad_input_raises(waveform, sample_rate, kwargs, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        vad(waveform, sample_rate, **kwargs)


def test_trim_both_ends_rejects_bad_input() -> None:
    with pytest.raises(InvalidInputError, match="sample_rate"):
        trim_silence_both_ends(torch.zeros(16000), 0)
    with pytest.raises(InvalidInputError, match="empty"):
        trim_silence_both_ends(torch.zeros(1, 0), 16000)


def test_errors_are_value_errors() -> None:
    with pytest.raises(ValueError):
        vad(torch.zeros(16000), 0)
