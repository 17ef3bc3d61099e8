"""MPS-safe convolutions equal the unsplit ones, and the MPS emulation bites."""

from __future__ import annotations

import copy
import random

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils import parametrizations, parametrize

from TTS.core.mps import (
    MPS_CONV_LIMIT,
    make_mps_safe,
    mps_emulation,
    mps_safe_conv1d,
    mps_safe_conv2d,
    mps_safe_conv_transpose1d,
    name_modules,
)


@pytest.fixture(autouse=True)
def _one_thread():
    """Tiny convs run faster on one thread, and the CI machine is shared."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _close(a: torch.Tensor, b: torch.Tensor, atol: float) -> None:
    assert a.shape == b.shape
    torch.testing.assert_close(a, b, atol=atol, rtol=0)


def _random_conv1d_cases(n: int, seed: int):
    rng = random.Random(seed)
    for _ in range(n):
        groups = rng.choice([1, 1, 2, 3])
        stride, dilation, kernel = rng.randint(1, 4), rng.randint(1, 3), rng.randint(1, 9)
        padding = rng.choice([0, rng.randint(0, 8), "valid"] + (["same"] if stride == 1 else []))
        length = rng.randint(1, 500)
        yield dict(
            groups=groups,
            stride=stride,
            dilation=dilation,
            kernel=kernel,
            padding=padding,
            length=length,
            batch=rng.randint(1, 2),
            bias=rng.random() < 0.7,
            max_len=rng.randint(10, 60),
        )


@pytest.mark.parametrize("dtype, atol", [(torch.float64, 1e-10), (torch.float32, 1e-6)])
def test_conv1d_chunks_equal_unsplit(dtype, atol):
    checked = 0
    for case in _random_conv1d_cases(120, seed=1):
        g = case["groups"]
        x = torch.randn(case["batch"], 2 * g, case["length"], dtype=dtype) * 0.3
        w = torch.randn(3 * g, 2, case["kernel"], dtype=dtype) * 0.3
        b = torch.randn(3 * g, dtype=dtype) if case["bias"] else None
        args = (b, case["stride"], case["padding"], case["dilation"], g)
        try:
            ref = F.conv1d(x, w, *args)
        except RuntimeError:  # kernel longer than the padded input
            continue
        with mps_emulation(case["max_len"], refuse_float64=False):
            out = mps_safe_conv1d(x, w, *args, max_len=case["max_len"])
        _close(out, ref, atol)
        checked += 1
    assert checked > 70


@pytest.mark.parametrize("dtype, atol", [(torch.float64, 1e-10), (torch.float32, 1e-6)])
def test_conv_transpose1d_chunks_equal_unsplit(dtype, atol):
    rng = random.Random(2)
    checked = 0
    for _ in range(120):
        g = rng.choice([1, 1, 2])
        stride, dilation, kernel = rng.randint(1, 5), rng.randint(1, 3), rng.randint(1, 9)
        padding = rng.randint(0, 6)
        output_padding = rng.randint(0, max(stride, dilation) - 1)
        length = rng.randint(1, 300)
        span = dilation * (kernel - 1) + 1
        max_len = rng.randint(2 * span + 2 * stride + 1, 2 * span + 2 * stride + 60)
        x = torch.randn(rng.randint(1, 2), 2 * g, length, dtype=dtype) * 0.3
        w = torch.randn(2 * g, 3, kernel, dtype=dtype) * 0.3
        b = torch.randn(3 * g, dtype=dtype) if rng.random() < 0.7 else None
        args = (b, stride, padding, output_padding, g, dilation)
        try:
            ref = F.conv_transpose1d(x, w, *args)
        except RuntimeError:
            continue
        with mps_emulation(max_len, refuse_float64=False):
            out = mps_safe_conv_transpose1d(x, w, *args, max_len=max_len)
        _close(out, ref, atol)
        checked += 1
    assert checked > 70


def test_conv2d_chunks_along_time():
    torch.manual_seed(3)
    for padding, stride, kernel in [(1, 1, 3), ("same", 1, (3, 4)), (0, (1, 2), (2, 5)), ((2, 3), 2, 3)]:
        x = torch.randn(2, 3, 8, 301, dtype=torch.float64)
        w = torch.randn(4, 3, *((kernel, kernel) if isinstance(kernel, int) else kernel), dtype=torch.float64)
        b = torch.randn(4, dtype=torch.float64)
        ref = F.conv2d(x, w, b, stride, padding, 1, 1)
        with mps_emulation(40, refuse_float64=False):
            out = mps_safe_conv2d(x, w, b, stride, padding, 1, 1, max_len=40)
        _close(out, ref, 1e-10)


def test_unbatched_input_and_short_input_take_direct_path():
    x = torch.randn(2, 100)
    w = torch.randn(3, 2, 5)
    _close(mps_safe_conv1d(x, w, None, 1, 2, max_len=16), F.conv1d(x, w, None, 1, 2), 1e-6)
    _close(
        mps_safe_conv_transpose1d(x, w.transpose(0, 1).contiguous()[:2], max_len=30),
        F.conv_transpose1d(x, w.transpose(0, 1).contiguous()[:2]),
        1e-6,
    )


def test_real_limit_long_signal():
    """A pre-emphasis-like conv over 10 s at 16 kHz: fails emulated, passes chunked at the real limit."""
    x = torch.randn(1, 1, 160_000)
    w = torch.tensor([[[-0.97, 1.0]]])
    with mps_emulation(), pytest.raises(NotImplementedError, match="Output channels > 65536 not supported at the MPS"):
        F.conv1d(x, w)
    with mps_emulation() as emu:
        out = mps_safe_conv1d(x, w)
    assert not emu.violations
    _close(out, F.conv1d(x, w), 1e-6)
    assert issubclass(NotImplementedError, RuntimeError)  # what callers catching RuntimeError see


# ---------------------------------------------------------------- modules


class _Custom(nn.Conv1d):
    """A family's own Conv1d subclass (e.g. with a fixed padding rule)."""

    def __init__(self, ch: int):
        super().__init__(ch, ch, 3, padding=1)


def _stack() -> nn.Module:
    torch.manual_seed(4)
    return nn.Sequential(
        nn.Conv1d(1, 4, 7, padding=3, padding_mode="reflect"),
        nn.utils.weight_norm(nn.Conv1d(4, 4, 3, dilation=3, padding="same")),
        parametrizations.weight_norm(nn.ConvTranspose1d(4, 4, 8, stride=4, padding=2)),
        _Custom(4),
        nn.Conv1d(4, 2, 5, stride=2, padding=2, groups=2),
    )


@pytest.mark.filterwarnings("ignore:.*weight_norm.*:FutureWarning")
def test_make_mps_safe_keeps_keys_and_outputs():
    model = _stack().eval()
    keys = {k: v.clone() for k, v in model.state_dict().items()}
    x = torch.randn(1, 1, 300)
    with torch.inference_mode():
        ref = model(x)
        with mps_emulation(64), pytest.raises(NotImplementedError):
            model(x)
        assert make_mps_safe(model, max_len=64) is model
        make_mps_safe(model, max_len=64)  # idempotent
        with mps_emulation(64) as emu:
            out = model(x)
    assert not emu.violations
    _close(out, ref, 1e-5)
    assert list(model.state_dict()) == list(keys)
    for k, v in model.state_dict().items():
        torch.testing.assert_close(v, keys[k])
    assert all(isinstance(m, nn.Conv1d) for m in (model[0], model[1], model[3], model[4]))
    assert isinstance(model[2], nn.ConvTranspose1d) and isinstance(model[3], _Custom)
    assert parametrize.is_parametrized(model[2])
    clone = copy.deepcopy(model)
    with torch.inference_mode(), mps_emulation(64):
        _close(clone(x), ref, 1e-5)


@pytest.mark.filterwarnings("ignore:.*weight_norm.*:FutureWarning")
def test_removing_weight_norm_later_stays_safe():
    model = _stack().eval()
    x = torch.randn(1, 1, 300)
    with torch.inference_mode():
        ref = model(x)
    make_mps_safe(model, max_len=64)
    parametrize.remove_parametrizations(model[2], "weight")
    nn.utils.remove_weight_norm(model[1])
    assert getattr(type(model[2]), "_mps_safe", False)
    with torch.inference_mode(), mps_emulation(64):
        _close(model(x), ref, 1e-5)


def test_conv_transpose_output_size_and_conv2d_module():
    torch.manual_seed(5)
    up = nn.ConvTranspose1d(2, 3, 4, stride=2, padding=1)
    c2 = nn.Conv2d(1, 2, (3, 3), padding=1)
    x, s = torch.randn(1, 2, 200), torch.randn(1, 1, 6, 300)
    ref_up, ref_c2 = up(x, output_size=[401]), c2(s)
    make_mps_safe(up, max_len=40)
    make_mps_safe(c2, max_len=40)
    with torch.inference_mode(), mps_emulation(40):
        _close(up(x, output_size=[401]), ref_up, 1e-5)
        _close(c2(s), ref_c2, 1e-5)


def test_emulation_transposed_input_limit():
    up = nn.ConvTranspose1d(1, 1, 1)  # output length == input length
    x = torch.randn(1, 1, 100)
    with mps_emulation(50), pytest.raises(NotImplementedError, match="conv"):
        up(x)
    make_mps_safe(up, max_len=50)
    with mps_emulation(50):
        assert up(x).shape == (1, 1, 100)


def test_emulation_non_strict_records_named_modules():
    model = nn.Sequential(nn.Conv1d(1, 1, 3), nn.Sequential(nn.Conv1d(1, 1, 3)))
    name_modules(model)
    with torch.inference_mode(), mps_emulation(50, strict=False) as emu:
        model(torch.randn(1, 1, 100))
    assert [v.module for v in emu.violations] == ["0", "1.0"]
    assert emu.violations[0].output_shape == (1, 1, 98)
    assert "98" in str(emu.violations[0])


def test_emulation_refuses_float64_and_restores():
    with mps_emulation():
        torch.zeros(3).float()
        with pytest.raises(TypeError, match="float64"):
            torch.zeros(3, dtype=torch.float64)
        with pytest.raises(TypeError, match="float64"):
            torch.from_numpy(np.zeros(3))
        with pytest.raises(TypeError, match="float64"):
            torch.ones(2).double()
        with pytest.raises(TypeError, match="float64"):
            torch.as_tensor(np.linspace(0, 1, 4))
        torch.as_tensor(np.linspace(0, 1, 4, dtype=np.float32))
    assert torch.zeros(1, dtype=torch.float64).dtype == torch.float64  # mode is gone
    assert F.conv1d(torch.zeros(1, 1, MPS_CONV_LIMIT + 10), torch.zeros(1, 1, 1)).shape[-1] == MPS_CONV_LIMIT + 10
