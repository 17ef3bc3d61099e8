"""Device policy: resolution with clear errors, the MPS probe, prepare_model."""

from __future__ import annotations

import logging

import pytest
import torch
from torch import nn

from TTS.core import device as dev
from TTS.core.device import mps_safe_required, prepare_model, resolve_device
from TTS.core.errors import InvalidInputError


@pytest.fixture(autouse=True)
def _clean(monkeypatch):
    monkeypatch.delenv("TTS_FORCE_MPS_SAFE", raising=False)
    monkeypatch.delenv("PYTORCH_ENABLE_MPS_FALLBACK", raising=False)
    dev._mps_probe.cache_clear()
    dev._said.clear()
    yield
    getattr(dev._mps_probe, "cache_clear", lambda: None)()  # may still be monkeypatched here


def test_cpu_and_auto_here():
    assert resolve_device("cpu") == torch.device("cpu")
    assert resolve_device(" CPU ") == torch.device("cpu")
    assert resolve_device(torch.device("cpu")) == torch.device("cpu")
    if not torch.cuda.is_available() and not dev.mps_available():
        assert resolve_device("auto") == torch.device("cpu")
        assert resolve_device(None) == torch.device("cpu")


def test_auto_order(monkeypatch):
    monkeypatch.setattr(dev, "_mps_probe", lambda: None)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_device("auto") == torch.device("mps")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_device("auto") == torch.device("cuda")


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
@pytest.mark.parametrize("name", ["cuda", "cuda:1", torch.device("cuda", 0)])
def test_cuda_unavailable_says_why(name):
    with pytest.raises(InvalidInputError, match="CUDA") as info:
        resolve_device(name)
    # library wording speaks Python (the tts CLI rewrites it as --device cpu)
    assert 'device "cpu"' in str(info.value) and "--device" not in str(info.value)
    if not torch.backends.cuda.is_built():
        assert "not available in this torch build" in str(info.value)


def test_cuda_index_out_of_range(monkeypatch):
    monkeypatch.setattr(torch.backends.cuda, "is_built", lambda: True)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    assert resolve_device("cuda:0") == torch.device("cuda:0")
    with pytest.raises(InvalidInputError, match=r"only 1 CUDA device"):
        resolve_device("cuda:1")


@pytest.mark.parametrize("name", ["tpu", "gpu0", "", "xpu", 3])
def test_unknown_device(name):
    with pytest.raises(InvalidInputError, match="auto, cpu, cuda, cuda:N, mps"):
        resolve_device(name)


def test_mps_unavailable_says_why():
    if dev.mps_available():
        pytest.skip("this machine has MPS")
    with pytest.raises(InvalidInputError, match="MPS"):
        resolve_device("mps")


def test_mps_probe_uses_a_real_allocation(monkeypatch):
    monkeypatch.setattr(torch.backends.mps, "is_built", lambda: True)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    real_ones = torch.ones

    def failing_ones(*args, **kwargs):
        if str(kwargs.get("device")) == "mps":
            raise RuntimeError("MPS backend out of memory (MPS allocated: 0 B)")
        return real_ones(*args, **kwargs)

    monkeypatch.setattr(torch, "ones", failing_ones)
    assert not dev.mps_available()
    with pytest.raises(InvalidInputError, match="allocating a tensor on it failed"):
        resolve_device("mps")


def test_mps_safe_required(monkeypatch):
    mps = torch.device("mps")
    assert not mps_safe_required("cpu")
    for version, expected in [((14, 6), True), ((15, 0, 1), True), ((15, 1), False), ((26, 0), False), (None, True)]:
        monkeypatch.setattr(dev, "macos_version", lambda v=version: v)
        assert mps_safe_required(mps) is expected, version
        assert mps_safe_required("mps") is expected
    monkeypatch.setenv("TTS_FORCE_MPS_SAFE", "1")
    assert mps_safe_required("cpu") and mps_safe_required(torch.device("cpu"))
    monkeypatch.setenv("TTS_FORCE_MPS_SAFE", "0")
    monkeypatch.setattr(dev, "macos_version", lambda: (14, 0))
    assert not mps_safe_required(mps)


def _model() -> nn.Module:
    return nn.Sequential(nn.Conv1d(1, 2, 3), nn.ConvTranspose1d(2, 1, 4, stride=2))


def test_prepare_model_cpu_honours_force_env(monkeypatch, caplog):
    model = prepare_model(_model(), "cpu")
    assert type(model[0]) is nn.Conv1d
    monkeypatch.setenv("TTS_FORCE_MPS_SAFE", "1")
    with caplog.at_level(logging.INFO, logger="TTS.core.device"):
        model = prepare_model(_model(), "cpu")
        prepare_model(_model(), "cpu")
    assert getattr(type(model[0]), "_mps_safe", False) and getattr(type(model[1]), "_mps_safe", False)
    assert sum("MPS-safe convolutions on (TTS_FORCE_MPS_SAFE=1)" in r.message for r in caplog.records) == 1


class _FakeMpsModel(nn.Module):
    """Stands in for a model on MPS where there is none: `.to` is a no-op."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(1, 1, 3)
        self.register_buffer("table", torch.zeros(3, dtype=torch.float64))
        self.scale = nn.Parameter(torch.ones(2, dtype=torch.float64))

    def to(self, *args, **kwargs):
        return self


def test_prepare_model_on_mps(monkeypatch, caplog):
    monkeypatch.setattr(dev, "_mps_probe", lambda: None)
    monkeypatch.setattr(dev, "macos_version", lambda: (14, 6))
    monkeypatch.setenv("PYTORCH_ENABLE_MPS_FALLBACK", "1")
    with pytest.warns(UserWarning, match="does not lift the MPS convolution size limit"):
        model = prepare_model(_FakeMpsModel(), "mps")
    assert model.table.dtype == torch.float32 and model.scale.dtype == torch.float32
    assert isinstance(model.scale, nn.Parameter)
    assert getattr(type(model.conv), "_mps_safe", False)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        prepare_model(_FakeMpsModel(), "mps")  # the fallback warning comes once

    monkeypatch.setattr(dev, "macos_version", lambda: (15, 2))
    model = prepare_model(_FakeMpsModel(), "mps")
    assert type(model.conv) is nn.Conv1d
