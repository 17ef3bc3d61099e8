"""The packed fp32 linear path of the XTTS GPT projections (``Conv1DLinear`` + ``TTS.core.packed_linear``)."""

from __future__ import annotations

import copy
import io
import pickle

import pytest
import torch

from TTS.core import packed_linear
from TTS.tts.layers.xtts.transformer import Conv1DLinear

pytestmark = pytest.mark.skipif(not packed_linear.available(), reason="no oneDNN packed linear in this build")


def _layer() -> tuple[Conv1DLinear, torch.Tensor, torch.Tensor]:
    torch.manual_seed(0)
    layer = Conv1DLinear(64, 96)
    with torch.no_grad():
        layer.bias.normal_()
    return layer, layer.weight.detach().clone(), layer.bias.detach().clone()


@pytest.mark.parametrize("rows", [1, 7, 43])
def test_packed_path_equals_addmm_and_frees_the_plain_weight(rows):
    layer, weight, bias = _layer()
    x = torch.randn(2, rows, 64)
    ref = torch.addmm(bias, x.reshape(-1, 64), weight).view(2, rows, 96)
    with torch.inference_mode():
        out = layer(x)
    assert layer._packed is not None and layer.weight.numel() == 0  # one copy of the weight, packed
    torch.testing.assert_close(out, ref, rtol=1e-5, atol=1e-5)
    with torch.enable_grad():  # training keeps the plain path (unpacks first)
        layer._unpack()
        assert layer(x).requires_grad


def test_packed_layer_saves_copies_moves_and_reloads_the_plain_weight():
    layer, weight, _ = _layer()
    with torch.inference_mode():
        layer(torch.randn(1, 64))
    assert layer._packed is not None
    assert torch.equal(layer.state_dict()["weight"], weight)
    assert torch.equal(layer.dense_weight(), weight)
    for clone in (copy.deepcopy(layer), pickle.loads(pickle.dumps(layer))):
        assert clone._packed is None and torch.equal(clone.weight, weight)
    buffer = io.BytesIO()
    torch.save(layer.state_dict(), buffer)
    other = Conv1DLinear(64, 96)
    with torch.inference_mode():
        other(torch.randn(1, 64))  # packed with its own random weight
    other.load_state_dict(torch.load(io.BytesIO(buffer.getvalue()), weights_only=True))
    assert other._packed is None and torch.equal(other.weight, weight)
    layer.to(torch.float64)  # any dtype/device move unpacks first
    assert layer._packed is None and layer.weight.shape == (64, 96)


def test_int8_quantization_after_packed_inference():
    from TTS.core.int8 import int8_supported
    from TTS.tts.layers.xtts.quantize import to_int8

    if not int8_supported():
        pytest.skip("no int8 kernel")
    layer, weight, bias = _layer()
    x = torch.randn(3, 64)
    with torch.inference_mode():
        layer(x)
        q = to_int8(layer)
        ref = x @ weight + bias
        rel = (q(x) - ref).norm() / ref.norm()
    assert rel < 0.05, rel
