"""Winograd convolution (TTS.core.layers.winograd) against torch's direct convolution.

The XTTS decoder parity test (tests/xtts/test_xtts_parity.py) runs it inside the real decoder
against upstream; these cover the algorithm and its guard on their own: every kernel size and
dilation of HiFi-GAN, lengths that are not multiples of the tile or the dilation, tiny inputs,
and where the path must not be taken.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

import TTS.core.layers.hifigan as hifigan
import TTS.core.layers.winograd as winograd
from TTS.core.layers.cl_conv import to_channels_last
from TTS.core.layers.winograd import (
    WinogradPlan,
    conv1d_cl_winograd,
    toom_cook,
    winograd_applies,
    winograd_conv1d,
    winograd_workspace,
)


@pytest.mark.parametrize(("m", "k"), [(4, 3), (4, 4)])
def test_toom_cook_transforms_compute_a_correlation(m, k):
    at, g, bt = toom_cook(m, k)
    rng = np.random.default_rng(0)
    for _ in range(5):
        x, w = rng.standard_normal(m + k - 1), rng.standard_normal(k)
        expected = [sum(w[j] * x[q + j] for j in range(k)) for q in range(m)]
        np.testing.assert_allclose(at @ ((g @ w) * (bt @ x)), expected, rtol=1e-12, atol=1e-12)


def _direct(x_tm: torch.Tensor, conv: nn.Conv1d) -> torch.Tensor:
    return conv(x_tm.t().unsqueeze(0))[0].t()


@pytest.mark.parametrize("kernel", [3, 5, 7, 11])
@pytest.mark.parametrize("dilation", [1, 3, 5])
@pytest.mark.parametrize("length", [1, 2, 7, 61, 300])
def test_equals_direct_convolution(kernel, dilation, length):
    torch.manual_seed(kernel * 100 + dilation * 10 + length)
    conv = nn.Conv1d(24, 40, kernel, dilation=dilation, padding=dilation * (kernel - 1) // 2)
    x = torch.randn(length, 24)
    with torch.inference_mode():
        expected = _direct(x, conv)
        got = winograd_conv1d(x, WinogradPlan.from_conv(conv.weight, conv.bias, dilation))
    assert got.shape == expected.shape == (length, 40)
    scale = float(expected.abs().max())
    assert float((got - expected).abs().max()) <= 2e-6 * max(scale, 1.0)


def test_no_bias_and_workspace_reuse_across_shapes():
    torch.manual_seed(1)
    convs = [nn.Conv1d(16, 16, 11, dilation=5, padding=25, bias=False), nn.Conv1d(16, 8, 3, padding=1)]
    xs = [torch.randn(97, 16), torch.randn(13, 16), torch.randn(230, 16)]
    with torch.inference_mode(), winograd_workspace():
        for _ in range(2):  # buffers grow and shrink between calls; stale contents must not leak in
            for conv in convs:
                plan = WinogradPlan.from_conv(conv.weight, conv.bias, conv.dilation[0])
                for x in xs:
                    torch.testing.assert_close(winograd_conv1d(x, plan), _direct(x, conv), atol=1e-5, rtol=1e-5)


def _wide_conv(kernel: int = 11, dilation: int = 3, channels: int = 128) -> nn.Conv1d:
    return nn.Conv1d(channels, channels, kernel, dilation=dilation, padding=dilation * (kernel - 1) // 2).eval()


def _cl_input(channels: int = 128, length: int = 200) -> torch.Tensor:
    return to_channels_last(torch.randn(1, channels, length))


def test_guard_takes_only_the_shapes_it_is_for(monkeypatch):
    x = _cl_input()
    with torch.inference_mode():
        assert winograd_applies(_wide_conv(), x)
        assert winograd_applies(_wide_conv(3, 1, 256), _cl_input(256))
        assert not winograd_applies(_wide_conv(3, 1, 128), x)  # narrow and short: direct is as fast
        assert winograd_applies(_wide_conv(7, 1, 64), _cl_input(64))
        assert not winograd_applies(_wide_conv(3, 1, 64), _cl_input(64))
        narrowing = nn.Conv1d(256, 128, 3, padding=1).eval()  # 3 taps: both sides need 256 channels
        assert not winograd_applies(narrowing, _cl_input(256))
        assert not winograd_applies(_wide_conv(channels=32), _cl_input(32))
        assert not winograd_applies(nn.Conv1d(128, 128, 4, padding=2).eval(), x)  # even kernel
        assert not winograd_applies(nn.Conv1d(128, 128, 11, padding=0).eval(), x)  # not 'same'
        assert not winograd_applies(nn.Conv1d(128, 128, 11, stride=2, padding=5).eval(), x)
        assert not winograd_applies(nn.Conv1d(128, 128, 11, padding=5, groups=2).eval(), x)
        assert not winograd_applies(nn.Conv1d(128, 128, 11, padding=5, padding_mode="reflect").eval(), x)
        assert not winograd_applies(_wide_conv(), torch.cat([x, x]))  # batch 2
        assert not winograd_applies(_wide_conv(), x.bfloat16())
        with torch.autocast("cpu", dtype=torch.bfloat16):
            assert not winograd_applies(_wide_conv(), x)
        assert not winograd_applies(_wide_conv(), _cl_input(128, winograd.MAX_ELEMENTS // 128 + 1))
        monkeypatch.setenv("TTS_WINOGRAD", "0")
        assert not winograd_applies(_wide_conv(), x)
    with torch.enable_grad():
        assert not winograd_applies(_wide_conv(), x)


def test_channels_last_entry_point_and_weight_updates():
    torch.manual_seed(2)
    conv = _wide_conv(7, 5)
    x = _cl_input(length=333)
    with torch.inference_mode():
        expected = F.conv1d(x.squeeze(2), conv.weight, conv.bias, padding=15, dilation=5)
        out = conv1d_cl_winograd(conv, x)
        assert out.shape == (1, 128, 1, 333)
        torch.testing.assert_close(out.squeeze(2), expected, atol=1e-5, rtol=1e-5)
    with torch.no_grad():
        conv.weight.mul_(-2.0)  # the transformed weights follow an in-place update
    with torch.inference_mode():
        torch.testing.assert_close(
            conv1d_cl_winograd(conv, x).squeeze(2), -2 * expected + 3 * conv.bias[:, None], atol=2e-5, rtol=1e-5
        )


def test_hifigan_generator_with_winograd_matches_plain_path(monkeypatch):
    """A generator wide enough for the Winograd path, in many time tiles, equals the (B, C, T) path."""
    from TTS.core.layers.hifigan import HifiganGenerator

    torch.manual_seed(3)
    model = HifiganGenerator(
        16, 1, "1", [[1, 3, 5], [1, 3, 5]], [3, 11], [4, 4], 512, [2, 2], cond_channels=8
    ).eval()  # fmt: skip
    for p in model.parameters():
        p.data.mul_(0.3)
    mel, g = torch.randn(1, 16, 300), torch.randn(1, 8, 1)
    with torch.enable_grad():
        ref = model(mel, g).detach()
    calls = []
    real = winograd.winograd_conv1d
    monkeypatch.setattr(winograd, "winograd_conv1d", lambda x, plan: calls.append(x.shape) or real(x, plan))
    monkeypatch.setattr(hifigan, "STAGE_TILE_ELEMENTS", 1 << 14)  # several tiles per stage
    with torch.inference_mode():
        out = model(mel, g)
    assert len(calls) >= 12, "the 256- and 128-channel blocks should take the Winograd path"
    assert float((out - ref).abs().max()) < 2e-5


def test_threads_do_not_share_buffers():
    torch.manual_seed(4)
    convs = [_wide_conv(11, d) for d in (1, 3, 5)]
    inputs = [_cl_input(length=400 + 50 * i) for i in range(3)]
    with torch.inference_mode():
        expected = [F.conv1d(x.squeeze(2), c.weight, c.bias, padding=c.padding, dilation=c.dilation)
                    for c, x in zip(convs, inputs)]  # fmt: skip
    errors: list[str] = []

    def work(i: int) -> None:
        with torch.inference_mode(), winograd_workspace():
            for _ in range(10):
                got = conv1d_cl_winograd(convs[i], inputs[i]).squeeze(2)
                if float((got - expected[i]).abs().max()) > 1e-4:
                    errors.append(f"thread {i}")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
