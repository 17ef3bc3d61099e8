"""The channels-last CPU fast paths (TTS.core.layers.cl_conv) against plain torch ops and the (B, C, T) paths.

The parity tests run the fast paths at tiny sizes (one time tile); these cover the pieces directly:
polyphase transposed convs on sub-spans, asymmetric reflection pads, and generators split into many
uneven tiles, compared with the reference ops or the layout-independent path (taken under autograd).
"""

from __future__ import annotations

import itertools

import pytest
import torch
import torch.nn.functional as F
from torch import nn

import TTS.core.layers.cl_conv as cl_conv
from TTS.core.layers.cl_conv import (
    conv_transpose1d_polyphase,
    conv_transpose1d_polyphase_cl,
    from_channels_last,
    leaky_relu_reflect_pad_cl,
    pointwise_conv_sum,
    to_channels_last,
)

TOL = 2e-5


def _close(a: torch.Tensor, b: torch.Tensor) -> None:
    assert a.shape == b.shape
    assert float((a - b).abs().max()) < TOL


@pytest.mark.parametrize(
    ("kernel", "stride", "padding", "output_padding"),
    [(16, 8, 4, 0), (4, 2, 1, 0), (3, 3, 1, 1), (5, 2, 2, 1), (7, 3, 0, 0)],
)
def test_polyphase_transposed_conv_matches_torch(kernel, stride, padding, output_padding):
    torch.manual_seed(0)
    up = nn.ConvTranspose1d(6, 5, kernel, stride, padding=padding, output_padding=output_padding)
    with torch.inference_mode():
        for batch, frames in itertools.product((1, 2), (5, 23)):
            x = torch.randn(batch, 6, frames)
            ref = up(x)
            _close(conv_transpose1d_polyphase(x, up.weight, up.bias, stride, padding, output_padding), ref)
            _close(from_channels_last(conv_transpose1d_polyphase_cl(up, to_channels_last(x))), ref)
        x = torch.randn(1, 6, 23)
        ref, xc = up(x), to_channels_last(x)
        length = ref.shape[-1]
        for lo, hi in [(0, length), (0, 1), (length - 1, length), (3, 17), (1, length - 2), (stride + 1, 2 * stride)]:
            _close(from_channels_last(conv_transpose1d_polyphase_cl(up, xc, span=(lo, hi))), ref[..., lo:hi])


def test_weight_cache_follows_in_place_updates():
    up = nn.ConvTranspose1d(4, 3, 8, 4, padding=2)
    x = torch.randn(1, 4, 9)
    with torch.no_grad():
        first = conv_transpose1d_polyphase_cl(up, to_channels_last(x))
        up.weight.mul_(2.0)
        up.bias.zero_()
        _close(from_channels_last(conv_transpose1d_polyphase_cl(up, to_channels_last(x))), up(x))
        assert float((from_channels_last(first) - up(x)).abs().max()) > 1e-3


@pytest.mark.parametrize("pad", [0, 1, 3, 9])
def test_leaky_relu_reflect_pad(pad):
    x = torch.randn(1, 7, 1, 12).contiguous(memory_format=torch.channels_last)
    ref = F.leaky_relu(F.pad(x.squeeze(2), (pad, pad), mode="reflect"), 0.2)
    _close(from_channels_last(leaky_relu_reflect_pad_cl(x, pad, 0.2)), ref)
    with pytest.raises(RuntimeError):
        leaky_relu_reflect_pad_cl(x, 12, 0.2)


def test_pointwise_sum_both_layouts():
    a, b = nn.Conv1d(6, 5, 1), nn.Conv1d(4, 5, 1)
    x, h = torch.randn(2, 6, 11), torch.randn(2, 4, 11)
    with torch.no_grad():
        ref = a(x) + b(h)
        _close(pointwise_conv_sum([(a, x), (b, h)]), ref)
        cl = pointwise_conv_sum([(a, to_channels_last(x)), (b, to_channels_last(h))])
        _close(from_channels_last(cl), ref)


def _generator(kind: str) -> nn.Module:
    from TTS.vocoder.models.melgan_generator import MelganGenerator
    from TTS.vocoder.models.multiband_melgan_generator import MultibandMelganGenerator

    torch.manual_seed(0)
    if kind == "multiband":
        model = MultibandMelganGenerator(20, base_channels=32, upsample_factors=(4, 2, 2), num_res_blocks=4)
    else:
        model = MelganGenerator(20, 1, base_channels=32, upsample_factors=(5, 3), num_res_blocks=3)
    with torch.no_grad():
        for p in model.parameters():
            p.mul_(0.5)
    return model.eval()


@pytest.mark.parametrize("kind", ["melgan", "multiband"])
def test_tiled_generator_matches_plain_path(kind, monkeypatch):
    model = _generator(kind)
    mel = torch.randn(2, 20, 57)
    with torch.enable_grad():  # autograd keeps the plain (B, C, T) path
        ref = model(mel).detach()
    monkeypatch.setattr(cl_conv, "TILE_ELEMENTS", 1 << 11)  # many tiles
    with torch.inference_mode():
        _close(model(mel[:1]), ref[:1])  # batch 1: tiled
        _close(model(mel), ref)  # batch 2: untiled channels-last
        x = torch.randn(1, 16, 1, 301).contiguous(memory_format=torch.channels_last)
        stack = model.layers[4]
        _close(stack(x), stack.units_cl(x))


def test_hifigan_channels_last_matches_plain_path():
    from TTS.core.layers.hifigan import HifiganGenerator

    torch.manual_seed(0)
    model = HifiganGenerator(
        20, 1, "1", [[1, 3], [1, 3]], [3, 5], [8, 4], 32, [4, 2], cond_channels=8, cond_in_each_up_layer=True
    )
    model.eval()
    mel, g = torch.randn(1, 20, 31), torch.randn(1, 8, 1)
    with torch.enable_grad():
        ref = model(mel, g).detach()
    with torch.inference_mode():
        _close(model(mel, g), ref)


@pytest.mark.parametrize("kind", ["melgan", "multiband"])
def test_generator_runs_under_cpu_autocast(kind):
    """A caller's own ``torch.autocast("cpu", bfloat16)`` must not break the fast paths (it once
    crashed in the accumulating 1x1 GEMMs); the output tracks fp32."""
    model = _generator(kind)
    mel = torch.randn(1, 20, 40)
    with torch.inference_mode():
        ref = model(mel)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            out = model(mel)
    rel = (out.float() - ref).norm() / ref.norm()
    assert rel < 0.05, rel
