"""Channels-last 1-D convolutions for CPU inference, time tiling, and the polyphase transposed convolution.

A 1-D activation ``(B, C, T)`` can be held as ``(B, C, 1, T)`` in ``torch.channels_last``
memory format, i.e. a ``(B * T, C)`` matrix. On CPU, oneDNN's conv2d kernels for that
layout run the short kernels of vocoder residual blocks (k = 3..11, 32..192 channels)
1.3-2.5x faster than ``F.conv1d`` with the same arithmetic; a 1x1 conv becomes a plain
GEMM on the matrix, and the phases of a polyphase transposed conv come out already
interleaved. Converting between layouts costs a full copy of the activation, so a whole
stage of a network stays channels-last, converting once at each end; :func:`tiled_cl`
then runs such a stage in cache-sized time tiles.

Helpers take the ``nn.Conv1d`` / ``nn.ConvTranspose1d`` module and keep a channels-last
(or phase-rearranged) copy of its weight, rebuilt whenever the weight changes (new
storage or an in-place update). :func:`channels_last_ok` says when to use this path: CPU,
no autograd or tracing, and only plain conv modules (:func:`TTS.core.mps.make_mps_safe`
swaps in chunked subclasses that keep the ``(B, C, T)`` path).

Shapes: ``(B, C, T)`` is the usual layout; "CL" below means ``(B, C, 1, T)`` channels-last.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import torch
import torch.nn.functional as F
from torch import nn

__all__ = [
    "TILE_ELEMENTS",
    "channels_last_ok",
    "conv1d_cl",
    "conv_transpose1d_length",
    "conv_transpose1d_polyphase",
    "conv_transpose1d_polyphase_cl",
    "derived_weight",
    "empty_channels_last",
    "from_channels_last",
    "leaky_relu_reflect_pad_cl",
    "pointwise_conv_sum",
    "tiled_cl",
    "to_channels_last",
    "tracing",
]

_CONV_TYPES = (nn.Conv1d, nn.ConvTranspose1d)
TILE_ELEMENTS = 1 << 19  # activation elements per time tile in tiled_cl (2 MiB in fp32): stays in the CPU caches


def tracing() -> bool:
    """True while TorchScript tracing or ONNX export records the graph: shape-dependent Python paths are off then."""
    return torch.jit.is_tracing() or torch.jit.is_scripting() or torch.onnx.is_in_onnx_export()


def channels_last_ok(x: torch.Tensor, modules: Iterable[nn.Module], allow_bf16: bool = False) -> bool:
    """True when the channels-last CPU path applies to input ``x`` and every conv in ``modules``.

    Needs CPU without autograd or tracing, fp32 (or, with ``allow_bf16``, bf16 tensors or bf16
    autocast; otherwise autocast must be off), and every ``Conv1d`` / ``ConvTranspose1d`` in the
    trees to be exactly that class (subclasses, e.g. MPS-safe chunked convs, have their own forward).
    """
    if x.device.type != "cpu" or torch.is_grad_enabled() or tracing():
        return False
    if allow_bf16:
        if x.dtype not in (torch.float32, torch.bfloat16):
            return False
    elif x.dtype != torch.float32 or torch.is_autocast_enabled("cpu"):
        return False
    for root in modules:
        for m in root.modules():
            if isinstance(m, _CONV_TYPES) and type(m) not in _CONV_TYPES:
                return False
    return True


def to_channels_last(x: torch.Tensor) -> torch.Tensor:
    """(B, C, T) -> (B, C, 1, T) channels-last (one copy)."""
    return x.unsqueeze(2).contiguous(memory_format=torch.channels_last)


def from_channels_last(x: torch.Tensor) -> torch.Tensor:
    """(B, C, 1, T) channels-last -> (B, C, T) contiguous (one copy)."""
    return x.squeeze(2).contiguous()


def derived_weight(
    module: nn.Module, name: str, build: Callable[[], torch.Tensor], depends_on: Sequence[torch.Tensor | None] = ()
) -> torch.Tensor:
    """``build()`` (a tensor derived from weights, e.g. re-laid-out or folded) kept on ``module``.

    Rebuilt when ``module``'s weight or bias, or a tensor in ``depends_on``, changes (new storage
    or an in-place update). Not part of the state dict.
    """
    return _cached(module, name, build, depends_on)


def _cached(
    module: nn.Module, name: str, build: Callable[[], torch.Tensor], depends_on: Sequence[torch.Tensor | None] = ()
) -> torch.Tensor:
    """``build()`` computed once per state of ``module``'s weight and bias (storage and version)."""
    key = tuple(_state(p) for p in (module.weight, getattr(module, "bias", None), *depends_on))
    cache = module.__dict__.setdefault("_cl_cache", {})
    hit = cache.get(name)
    if hit is not None and hit[0] == key:
        return hit[1]
    with torch.no_grad():
        value = build()
    cache[name] = (key, value)
    return value


def _state(p: torch.Tensor | None) -> tuple | None:
    if p is None:
        return None
    # Inference tensors (made inside inference mode) have no version counter; they cannot be updated in place.
    version = None if p.is_inference() else p._version
    return (p.data_ptr(), version, p.dtype, p.device, tuple(p.shape))


def conv1d_cl(conv: nn.Conv1d, x: torch.Tensor) -> torch.Tensor:
    """``conv`` applied to CL ``x`` (B, C_in, 1, T) -> CL (B, C_out, 1, T'), with the module's zero padding."""
    weight = _cached(conv, "cl", lambda: conv.weight.unsqueeze(2).contiguous(memory_format=torch.channels_last))
    if isinstance(conv.padding, str):
        raise ValueError("conv1d_cl needs integer padding")
    return F.conv2d(
        x,
        weight,
        conv.bias,
        stride=(1, conv.stride[0]),
        padding=(0, conv.padding[0]),
        dilation=(1, conv.dilation[0]),
        groups=conv.groups,
    )


def leaky_relu_reflect_pad_cl(x: torch.Tensor, pad: int, slope: float) -> torch.Tensor:
    """``leaky_relu(reflection_pad(x, pad))`` for CL ``x`` (B, C, 1, T) -> CL (B, C, 1, T + 2 * pad), one pass.

    The activation commutes with the reflection, so it is written straight into the padded buffer.
    """
    b, c, _, t = x.shape
    if pad >= t:  # same error as torch's reflection pad
        F.pad(x.squeeze(2), (pad, pad), mode="reflect")
    out = empty_channels_last(x, c, t + 2 * pad)
    torch.ops.aten.leaky_relu.out(x, slope, out=out[..., pad : pad + t])
    if pad:
        out[..., :pad] = out[..., pad + 1 : 2 * pad + 1].flip(-1)
        out[..., pad + t :] = out[..., t - 1 : pad + t - 1].flip(-1)
    return out


def empty_channels_last(x: torch.Tensor, channels: int, length: int) -> torch.Tensor:
    """An uninitialised CL tensor (B, channels, 1, length) like ``x``."""
    shape = (x.shape[0], channels, 1, length)
    return torch.empty(shape, dtype=x.dtype, device=x.device, memory_format=torch.channels_last)


def pointwise_conv_sum(terms: Sequence[tuple[nn.Conv1d, torch.Tensor]]) -> torch.Tensor:
    """``sum(conv(x) for conv, x in terms)`` for 1x1 ``nn.Conv1d`` modules, as accumulating GEMMs.

    Inputs are all (B, C_i, T) or all CL (B, C_i, 1, T); the result has the same layout with
    ``C_out`` channels. A 1x1 conv over a long time axis is a plain matrix product, which BLAS
    runs faster than the convolution kernels at batch 1, and each further term accumulates
    into the first product's output. Biases are summed into the first product. While tracing (ONNX export) the convs are called as modules, so the graph has no batch loop.
    """
    if tracing() or torch.is_autocast_enabled(terms[0][1].device.type):
        # Traced graphs keep module calls; under autocast the products' dtypes are autocast's to pick.
        total = terms[0][0](terms[0][1])
        for conv, x in terms[1:]:
            total = total + conv(x)
        return total
    bias = None
    for conv, _ in terms:
        if conv.bias is not None:
            bias = conv.bias if bias is None else bias + conv.bias
    first = terms[0][1]
    if first.dim() == 4:
        b, _, _, t = first.shape
        acc = None
        for conv, x in terms:
            rows = x.permute(0, 2, 3, 1).reshape(b * t, x.shape[1])  # (B*T, C) view of a CL tensor
            w = conv.weight[:, :, 0].t()
            if acc is not None:
                acc.addmm_(rows, w)
            else:
                acc = torch.mm(rows, w) if bias is None else torch.addmm(bias, rows, w)
        return acc.view(b, 1, t, -1).permute(0, 3, 1, 2)
    outs = []
    for i in range(first.shape[0]):  # batch 1 at inference; a loop keeps each product a 2-D GEMM
        out = None
        for conv, x in terms:
            w = conv.weight[:, :, 0]
            if out is None:
                out = torch.mm(w, x[i]) if bias is None else torch.addmm(bias.unsqueeze(1), w, x[i])
            else:
                out.addmm_(w, x[i])
        outs.append(out)
    return outs[0].unsqueeze(0) if len(outs) == 1 else torch.stack(outs)


def tiled_cl(
    fn: Callable[[int, int], torch.Tensor], length: int, halo: int, channels: int, tile_elements: int = TILE_ELEMENTS
) -> torch.Tensor:
    """A length-preserving CL computation over ``length`` frames, done in time tiles; batch 1.

    ``fn(lo, hi)`` computes the result for input frames ``lo..hi-1`` as if they were the whole signal,
    CL (1, C_out, 1, hi - lo). Frames within ``halo`` of a cut are wrong (they saw padding instead of
    the neighbours) and are dropped: each tile is computed with ``halo`` extra frames per side and
    only its middle is kept. The point is memory traffic: a chain of convs and element-wise ops
    over a whole vocoder stage streams tens of megabytes per op and runs at memory speed, while
    tiles of ~``tile_elements`` elements per activation (``channels`` wide) stay in the CPU caches.
    Every tile reads all weights of the stage again, so wide layers want larger tiles.
    Returns CL (1, C_out, 1, length).
    """
    count = -(-length // max(tile_elements // channels, 8 * halo))
    if count == 1:
        return fn(0, length)
    bounds = [length * i // count for i in range(count + 1)]  # even tiles
    out = None
    for start, stop in zip(bounds[:-1], bounds[1:]):
        lo, hi = max(0, start - halo), min(length, stop + halo)
        y = fn(lo, hi)
        if out is None:
            out = empty_channels_last(y, y.shape[1], length)
        out[..., start:stop] = y[..., start - lo : stop - lo]
    return out


# -- polyphase transposed convolution ------------------------------------------------------------------
# Output sample ``stride * q + p`` (phase ``p``) of a transposed conv meets kernel tap ``stride * d + p + padding``
# applied to input frame ``q - d``, for the offsets ``d`` that land inside the kernel.


def _phase_range(k: int, stride: int, padding: int, p: int) -> tuple[int, int]:
    """Smallest and largest offset ``d`` with a kernel tap for phase ``p`` (one zero tap if it has none)."""
    lo = -((p + padding) // stride)
    return lo, max(lo, (k - 1 - p - padding) // stride)


def _phase_groups(k: int, stride: int, padding: int) -> list[tuple[int, int, int, int]]:
    """Phases split into runs ``(p0, p1, lo, hi)`` that share an offset range.

    One conv per run skips the zero taps a single conv over all phases would multiply (a third of
    the work for the usual ``kernel = 2 * stride`` upsamplers); the runs then need an interleaving
    copy, so a single run covering every phase is returned when that is not cheaper.
    """
    ranges = [_phase_range(k, stride, padding, p) for p in range(stride)]
    runs: list[tuple[int, int, int, int]] = []
    for p, (lo, hi) in enumerate(ranges):
        if runs and runs[-1][2:] == (lo, hi):
            runs[-1] = (runs[-1][0], p + 1, lo, hi)
        else:
            runs.append((p, p + 1, lo, hi))
    lo_all, hi_all = min(r[0] for r in ranges), max(r[1] for r in ranges)
    merged = (0, stride, lo_all, hi_all)
    split_work = sum((p1 - p0) * (hi - lo + 1) for p0, p1, lo, hi in runs)
    return runs if len(runs) > 1 and split_work < stride * (hi_all - lo_all + 1) else [merged]


def _phase_weight(weight: torch.Tensor, stride: int, padding: int, group: tuple[int, int, int, int]) -> torch.Tensor:
    """Conv weight ((p1 - p0) * C_out, C_in, hi - lo + 1) for phases ``p0..p1-1`` (phase-major channels).

    Conv offset ``j`` reads input frame ``q - hi + j``, i.e. kernel tap ``stride * (hi - j) + p + padding``.
    """
    c_in, c_out, k = weight.shape
    p0, p1, lo, hi = group
    offsets = hi - torch.arange(hi - lo + 1, device=weight.device)
    phases = torch.arange(p0, p1, device=weight.device)
    taps = stride * offsets[None, :] + phases[:, None] + padding  # (phases, span)
    valid = ((taps >= 0) & (taps < k)).to(weight.dtype)
    picked = weight[:, :, taps.clamp(0, k - 1)] * valid  # (C_in, C_out, phases, span)
    return picked.permute(2, 1, 0, 3).reshape((p1 - p0) * c_out, c_in, -1)


def _output_frames(t_in: int, k: int, stride: int, padding: int, output_padding: int) -> tuple[int, int]:
    """Output length of the transposed conv and its frame count per phase (rounded up)."""
    t_out = (t_in - 1) * stride - 2 * padding + k + output_padding
    return t_out, -(-t_out // stride)


def conv_transpose1d_polyphase(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None,
    stride: int,
    padding: int = 0,
    output_padding: int = 0,
) -> torch.Tensor:
    """``F.conv_transpose1d`` (groups 1, dilation 1) as one ordinary conv that computes every output phase.

    ``x``: (B, C_in, T), ``weight``: (C_in, C_out, K) -> (B, C_out, (T - 1) * stride - 2 * padding + K + output_padding).
    Stacking the ``stride`` output phases as output channels turns the transposed conv into a
    short conv at the input rate (which the CPU kernels run much faster than the transposed
    one), followed by an interleave of the phases.
    """
    c_out, k = weight.shape[1], weight.shape[2]
    t_in = x.shape[-1]
    t_out, frames = _output_frames(t_in, k, stride, padding, output_padding)
    ranges = [_phase_range(k, stride, padding, p) for p in range(stride)]
    group = (0, stride, min(r[0] for r in ranges), max(r[1] for r in ranges))
    phase_bias = None if bias is None else bias.repeat(stride)
    padded = F.pad(x, (group[3], frames - t_in - group[2]))
    phases = F.conv1d(padded, _phase_weight(weight, stride, padding, group), phase_bias)  # (B, stride*C_out, F)
    b = x.shape[0]
    out = phases.view(b, stride, c_out, frames).permute(0, 2, 3, 1).reshape(b, c_out, frames * stride)
    return out if frames * stride == t_out else out[:, :, :t_out]


def _group_params(up: nn.ConvTranspose1d, group: tuple[int, int, int, int]) -> tuple[torch.Tensor, torch.Tensor | None]:
    """Cached CL conv weight and bias of one run of phases of ``up``."""
    stride, padding, p0, p1 = up.stride[0], up.padding[0], group[0], group[1]
    weight = _cached(
        up,
        f"polyphase{p0}",
        lambda: (
            _phase_weight(up.weight, stride, padding, group).unsqueeze(2).contiguous(memory_format=torch.channels_last)
        ),
    )
    bias = None if up.bias is None else _cached(up, f"polyphase_bias{p0}", lambda: up.bias.repeat(p1 - p0))
    return weight, bias


def conv_transpose1d_length(up: nn.ConvTranspose1d, t_in: int) -> int:
    """Output length of the transposed conv ``up`` for ``t_in`` input frames."""
    return _output_frames(t_in, up.weight.shape[2], up.stride[0], up.padding[0], up.output_padding[0])[0]


def conv_transpose1d_polyphase_cl(
    up: nn.ConvTranspose1d, x: torch.Tensor, span: tuple[int, int] | None = None
) -> torch.Tensor:
    """:func:`conv_transpose1d_polyphase` of the module ``up`` on CL ``x`` (B, C_in, 1, T) -> CL (B, C_out, 1, T').

    ``span=(lo, hi)`` computes only output samples ``lo..hi-1`` (reading just the input frames they
    need), for time tiles. In channels-last memory a (B, n * C_out, 1, F) phase output with
    phase-major channels is already the interleaved signal of those phases: with a single conv
    for all phases the result is a free view, else each run of phases is copied into its slots.
    """
    if up.groups != 1 or up.dilation[0] != 1:
        raise ValueError("the polyphase transposed conv needs groups=1 and dilation=1")
    stride, padding = up.stride[0], up.padding[0]
    c_out, k = up.weight.shape[1], up.weight.shape[2]
    b, t_in = x.shape[0], x.shape[-1]
    t_out, _ = _output_frames(t_in, k, stride, padding, up.output_padding[0])
    lo_out, hi_out = (0, t_out) if span is None else span
    q0, q1 = lo_out // stride, -(-hi_out // stride)  # phase frames covering the span
    frames = q1 - q0
    groups = _phase_groups(k, stride, padding)
    out = None
    for group in groups:
        p0, p1, lo, hi = group
        weight, bias = _group_params(up, group)
        # Phase frame q reads input frames q - hi .. q - lo; those outside the input are zeros.
        first, stop = q0 - hi, q1 - lo
        a, z = max(0, first), min(t_in, stop)
        if z > a:
            part, left, right = x[..., a:z], a - first, stop - z
        else:  # only zeros in reach (a span at the very edge): bias alone
            part, left, right = empty_channels_last(x, x.shape[1], stop - first).zero_(), 0, 0
        sym = max(left, right)  # pad symmetrically, then drop the surplus frames (a free slice here)
        phases = F.conv2d(part, weight, bias, padding=(0, sym))[..., sym - left : sym - left + frames]
        rows = phases.permute(0, 2, 3, 1)  # (B, 1, F, n * C_out)
        if len(groups) == 1:
            out = rows.reshape(b, 1, frames * stride, c_out).permute(0, 3, 1, 2)
            break
        if out is None:
            out = empty_channels_last(x, c_out, frames * stride)
        slots = out.permute(0, 2, 3, 1).view(b, frames, stride, c_out)
        slots[:, :, p0:p1].copy_(rows.reshape(b, frames, p1 - p0, c_out))
    offset = lo_out - q0 * stride
    return out if offset == 0 and frames * stride == hi_out - lo_out else out[..., offset : offset + hi_out - lo_out]
