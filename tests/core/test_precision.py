"""The reduced-precision building blocks: bf16 policy, the int8 linear and its users' layers."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from TTS.core import int8
from TTS.core.int8 import Int8Linear, int8_supported
from TTS.core.layers.hifigan import HifiganGenerator
from TTS.core.precision import bf16_autocast, native_bf16

KERNELS = ["fbgemm", "int8pack"]


def _rel_l2(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a.float() - b.float()).norm() / b.float().norm())


def _skip_without(kernel: str) -> None:
    if kernel == "fbgemm" and not int8.fbgemm_available():
        pytest.skip("no fbgemm engine in this torch build")
    if kernel == "int8pack" and not int8._int8pack_cpu():
        pytest.skip("no weight-only int8 kernel in this torch build")


def test_native_bf16_policy():
    check = getattr(torch.ops.mkldnn, "_is_mkldnn_bf16_supported", None)
    assert native_bf16("cpu") == (bool(check()) if check is not None else False)
    assert native_bf16("mps") is False  # documented: MPS stays fp32
    if not torch.cuda.is_available():
        assert native_bf16("cuda") is False


def test_bf16_autocast_is_a_no_op_when_disabled():
    layer = nn.Linear(8, 4)
    x = torch.randn(3, 8)
    with bf16_autocast("cpu", enabled=False) as on:
        y = layer(x)
    assert on is False and y.dtype == torch.float32
    torch.testing.assert_close(y, layer(x), rtol=0, atol=0)
    with bf16_autocast("cpu") as on:
        z = layer(x)
    assert on == native_bf16("cpu")
    assert z.dtype == (torch.bfloat16 if on else torch.float32)


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("rows", [1, 16])  # one decoding step; a prefill (bf16 copy on the int8pack kernel)
def test_int8_linear_tracks_fp32(kernel, rows):
    _skip_without(kernel)
    torch.manual_seed(0)
    dense = nn.Linear(64, 96)
    q = Int8Linear(dense.weight, dense.bias, kernel=kernel)
    assert q.kernel == kernel
    x = torch.randn(2, rows, 64)
    with torch.inference_mode():
        out, ref = q(x), dense(x)
    assert out.shape == ref.shape == (2, rows, 96) and out.dtype == torch.float32
    assert _rel_l2(out, ref) < 0.02


def test_int8_linear_state_and_unpacking():
    if not int8.fbgemm_available() or not int8._int8pack_cpu():
        pytest.skip("needs both int8 kernels")
    torch.manual_seed(1)
    dense = nn.Linear(32, 48)
    packed = Int8Linear(dense.weight, dense.bias, kernel="fbgemm")
    assert packed.state_dict() == {}  # the weight lives only in fbgemm's packed form
    x = torch.randn(4, 32)
    with torch.inference_mode():
        before = packed(x)
        packed._unpack()  # what moving off the CPU does
        assert packed.kernel == "int8pack" and packed.qweight.dtype == torch.int8
        after = packed(x)
    assert _rel_l2(after, dense(x).detach()) < 0.02 and _rel_l2(before, after) < 0.02
    moved = Int8Linear(dense.weight, dense.bias, kernel="fbgemm").to("meta")
    assert moved.qweight.device.type == "meta"


@pytest.mark.parametrize("kernel", KERNELS)
def test_int8_lstm_cell_tracks_lstm_cell(kernel):
    _skip_without(kernel)
    from TTS.tts.layers.tacotron.quantized import Int8LSTMCell

    torch.manual_seed(0)
    cell = nn.LSTMCell(48, 64)
    q = Int8LSTMCell(cell, kernel=kernel)
    h = c = torch.zeros(1, 64)
    hq, cq = h, c
    with torch.inference_mode():
        outs, outs_q = [], []
        for _ in range(20):
            x = torch.randn(1, 48)
            h, c = cell(x, (h, c))
            hq, cq = q(x, (hq, cq))
            outs.append(h)
            outs_q.append(hq)
    assert _rel_l2(torch.cat(outs_q), torch.cat(outs)) < 0.05


def test_int8_supported_matches_kernels():
    assert int8_supported() == (int8.fbgemm_available() or int8._int8pack_cpu())


def _generator() -> HifiganGenerator:
    torch.manual_seed(0)
    g = HifiganGenerator(16, 1, "1", [[1, 3, 5]] * 2, [3, 7], [16, 8], 64, [8, 4], inference_padding=0).eval()
    for m in g.modules():
        if isinstance(m, nn.Conv1d | nn.ConvTranspose1d):
            nn.init.normal_(m.weight, std=0.1)
    return g


def test_hifigan_bf16_tracks_fp32_on_the_channels_last_path(monkeypatch):
    if not native_bf16("cpu"):
        pytest.skip("no native bf16 on this CPU")
    g = _generator()
    x = torch.randn(1, 16, 40)
    seen = []
    original = HifiganGenerator._channels_last_ok
    monkeypatch.setattr(
        HifiganGenerator, "_channels_last_ok", lambda self, t: seen.append(original(self, t)) or seen[-1]
    )
    with torch.inference_mode():
        ref = g(x)
        with bf16_autocast("cpu"):
            out = g(x).float()
        cast = g.to(torch.bfloat16)(x.bfloat16()).float()  # a bf16-cast generator keeps the fast path too
    assert seen == [True, True, True]
    assert out.shape == ref.shape
    assert _rel_l2(out, ref) < 0.03 and _rel_l2(cast, ref) < 0.05
