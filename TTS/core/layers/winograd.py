"""Winograd (Toom-Cook) 1-D convolution for the wide 'same' convolutions of HiFi-GAN residual blocks (CPU, fp32).

A direct convolution with ``r`` taps costs ``r`` multiply-adds per output, channel pair. The
Toom-Cook algorithm F(m, k) computes ``m`` outputs of a ``k``-tap correlation with ``m + k - 1``
products after linear transforms of the input tile and the kernel, so with ``m = 4``:

- ``r = 3``: F(4, 3), 6 products per 4 outputs instead of 12;
- ``r >= 4``: the kernel is cut into ``ceil(r / 4)`` chunks of 4 taps (zero-padded), each an
  F(4, 4) (7 products). Chunk ``g`` reads the input shifted by ``4 g`` frames, i.e. the
  transformed tile ``s + g``, so one input transform serves every chunk: an 11-tap conv costs
  21 products per 4 outputs instead of 44.

The products over channels, for every transform point and kernel chunk, run as one grouped
convolution (a group per point, the chunks along the tile axis): oneDNN's conv kernels do these
(C_in x C_out) products at about the direct kernel's FMA rate, where batched BLAS products
reach only 60-75% of it at 128 channels. So the halved multiply count shows: 1.3-1.6x per
convolution at 256 channels, 1.3-1.55x at 128 channels with 7+ taps, up to 1.4x at 64 channels
with 7+ taps (``benchmarks/winograd_conv.py``).
A dilated conv splits into ``d`` interleaved phases that are plain convolutions along the
decimated time axis; the phases ride along as the second spatial axis of the grouped conv.

The points (0, 1, -1, 2, -2, 1/2 and infinity) keep the rounding error near that of the direct
conv: about 2e-6 relative in fp32. ``TTS_WINOGRAD=0`` turns the path off (direct convs only).

Shapes: activations are time-major ``(T, C)`` matrices, which is the memory layout of a
channels-last ``(1, C, 1, T)`` tensor (:mod:`TTS.core.layers.cl_conv`).
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

__all__ = [
    "WinogradPlan",
    "conv1d_cl_winograd",
    "toom_cook",
    "winograd_applies",
    "winograd_conv1d",
    "winograd_workspace",
]

TILE = 4  # outputs per tile (m)
_POINTS = {6: (0.0, 1.0, -1.0, 2.0, -2.0), 7: (0.0, 1.0, -1.0, 2.0, -2.0, 0.5)}  # finite points; infinity is implied
MIN_CHANNELS = 64  # 7+ taps
SHORT_KERNEL_MIN_CHANNELS = 256  # 3-5 taps: below this the direct kernel is as fast
MAX_ELEMENTS = 1 << 24  # T * C above this (an untiled long signal) stays on the direct kernel: bounded workspace
_local = threading.local()


@functools.cache
def toom_cook(m: int, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Transforms ``(AT (m, n), G (n, k), BT (n, n))`` of F(m, k), ``n = m + k - 1``, in float64.

    For input ``x`` (n,) and kernel ``w`` (k,): ``AT @ ((G @ w) * (BT @ x))[q] == sum_j w[j] x[q + j]``.
    ``AT`` and ``G`` come from the evaluation points (Lagrange form, one point at infinity);
    ``BT`` is the unique matrix that makes the identity hold, solved for and checked here.
    """
    n = m + k - 1
    points = np.array(_POINTS[n])
    at = np.zeros((m, n))
    g = np.zeros((n, k))
    for i, a in enumerate(points):
        at[:, i] = a ** np.arange(m)
        g[i] = a ** np.arange(k) / np.prod([a - b for j, b in enumerate(points) if j != i])
    at[m - 1, n - 1] = g[n - 1, k - 1] = 1.0  # the point at infinity: leading coefficients
    # sum_i at[q, i] g[i, j] bt[i, l] == [l == q + j] for all q, j, l: linear in bt
    system = np.zeros((m, k, n, n, n))
    target = np.zeros((m, k, n))
    for q in range(m):
        for j in range(k):
            system[q, j, :, :, :] = 0.0
            for l_ in range(n):
                system[q, j, l_, :, l_] = at[q] * g[:, j]
            target[q, j, q + j] = 1.0
    lhs, rhs = system.reshape(m * k * n, n * n), target.reshape(-1)
    bt = np.linalg.lstsq(lhs, rhs, rcond=None)[0]
    residual = float(np.abs(lhs @ bt - rhs).max())
    if residual > 1e-9:  # a wrong point set would be a bug here, not bad input
        raise RuntimeError(f"Toom-Cook F({m}, {k}) transform does not solve (residual {residual:.1e})")
    return at, g, bt.reshape(n, n)


@dataclass(frozen=True)
class WinogradPlan:
    """A convolution's transformed weights as one grouped convolution, plus the transforms.

    ``weight`` (n * C_out, C_in, 1, chunks), channels-last: group ``i`` holds transform point ``i``'s
    (C_out, C_in) matrix for each kernel chunk, the chunks lying along the kernel's width.
    ``bias`` (n * C_out,) is the conv's bias at the point 1, where AT's column is all ones, so the
    output transform adds it to every output; zero at the other points.
    """

    weight: torch.Tensor
    bias: torch.Tensor | None
    at: torch.Tensor  # (m, n)
    bt: torch.Tensor  # (n, n)
    kernel_size: int
    dilation: int
    points: int  # n
    out_channels: int

    @classmethod
    def from_conv(cls, weight: torch.Tensor, bias: torch.Tensor | None, dilation: int) -> WinogradPlan:
        """``weight`` (C_out, C_in, r), odd ``r`` >= 3, for a stride-1 'same' conv with this dilation."""
        c_out, c_in, r = weight.shape
        chunk = 3 if r == 3 else TILE
        chunks = _ceil_div(r, chunk)
        at, g, bt = toom_cook(TILE, chunk)
        n = at.shape[1]
        padded = np.zeros((c_out, c_in, chunks * chunk))  # float64 on the host: exact enough transforms anywhere
        padded[..., :r] = weight.detach().float().cpu().numpy()
        u = np.einsum("pj,ocgj->pocg", g, padded.reshape(c_out, c_in, chunks, chunk))  # (n, C_out, C_in, chunks)
        to = dict(device=weight.device, dtype=torch.float32)
        grouped = _tensor(u.reshape(n * c_out, c_in, 1, chunks), weight).contiguous(memory_format=torch.channels_last)
        point_bias = None
        if bias is not None:
            point_bias = torch.zeros(n, c_out, **to)
            point_bias[_POINTS[n].index(1.0)] = bias.detach().to(**to)
            point_bias = point_bias.reshape(-1)
        return cls(
            weight=grouped,
            bias=point_bias,
            at=_tensor(at, weight),
            bt=_tensor(bt, weight),
            kernel_size=r,
            dilation=dilation,
            points=n,
            out_channels=c_out,
        )


def _tensor(array: np.ndarray, like: torch.Tensor) -> torch.Tensor:
    """A float64 host array as an fp32 tensor on ``like``'s device (never a float64 tensor, which MPS lacks)."""
    return torch.from_numpy(np.ascontiguousarray(array, dtype=np.float32)).to(like.device)


@contextlib.contextmanager
def winograd_workspace() -> Iterator[None]:
    """Reuse scratch buffers between the Winograd convs inside the block (this thread), free them after.

    A network's convs run one after the other, so they can share three buffers; fresh multi-megabyte
    allocations for every conv would cost page faults. Nested use keeps the outer buffers.
    """
    if getattr(_local, "buffers", None) is not None:
        yield
        return
    _local.buffers = {}
    try:
        yield
    finally:
        _local.buffers = None


def _workspace(name: str, numel: int, like: torch.Tensor) -> torch.Tensor:
    """Scratch buffer ``name`` of ``numel`` fp32 elements: shared inside :func:`winograd_workspace`, else fresh."""
    buffers = getattr(_local, "buffers", None)
    if buffers is None:
        return torch.empty(numel, dtype=torch.float32, device=like.device)
    buf = buffers.get(name)
    if buf is None or buf.numel() < numel or buf.device != like.device:
        buf = buffers[name] = torch.empty(numel, dtype=torch.float32, device=like.device)
    return buf[:numel]


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def winograd_conv1d(x: torch.Tensor, plan: WinogradPlan) -> torch.Tensor:
    """'Same' stride-1 convolution of time-major ``x`` (T, C_in) fp32 -> (T, C_out), as the plan's conv does.

    Three steps: the input transform (``BT`` on every tile, one batched product per dilation
    phase), the per-point products as one grouped convolution over the tile axis (oneDNN, whose
    kernels run these (C_in x C_out) products faster than batched BLAS), and the output transform.
    """
    t, c = x.shape
    n, c_out, d, m = plan.points, plan.out_channels, plan.dilation, TILE
    chunks = plan.weight.shape[3]
    pad = (plan.kernel_size - 1) // 2
    tiles = _ceil_div(_ceil_div(t, d), m)  # output tiles per phase
    in_tiles = tiles + chunks - 1
    rows = (in_tiles - 1) * m + n  # decimated rows the tiles read (covers the padding and the input)
    xp = _workspace("x", rows * d * c, x).view(rows * d, c)
    xp[: pad * d].zero_()
    xp[pad * d + t :].zero_()
    xp[pad * d : pad * d + t] = x
    # input transform, per phase j: v[j, s] = BT @ (rows s*m .. s*m+n-1 of phase j), i.e. (d, in_tiles, n, C_in)
    v = _workspace("v", d * in_tiles * n * c, x).view(d, in_tiles, n, c)
    phases = xp.view(rows, d, c)
    for j in range(d):
        torch.matmul(plan.bt, phases[:, j].unfold(0, n, m).transpose(1, 2), out=v[j])
    # products: channels-last image (1, n * C_in, d, in_tiles); chunk g of the kernel reads tile s + g
    image = v.view(1, d, in_tiles, n * c).permute(0, 3, 1, 2)
    prod = F.conv2d(image, plan.weight, plan.bias, groups=n)  # (1, n * C_out, d, tiles)
    prod = prod.permute(0, 2, 3, 1).reshape(d, tiles, n, c_out)
    # output transform: sample (s * m + a) * d + j of the output is AT[a] @ prod[j, s]
    y = torch.empty(tiles * m * d, c_out, dtype=x.dtype, device=x.device)
    if d == 1:
        torch.matmul(plan.at, prod[0], out=y.view(tiles, m, c_out))
    else:
        z = _workspace("z", d * tiles * m * c_out, x).view(d, tiles, m, c_out)
        torch.matmul(plan.at, prod, out=z)
        y.view(tiles, m, d, c_out).copy_(z.permute(1, 2, 0, 3))
    return y[:t]


def winograd_applies(conv: nn.Module, x: torch.Tensor) -> bool:
    """Whether :func:`conv1d_cl_winograd` should run ``conv`` on channels-last ``x`` (1, C, 1, T).

    Plain ``nn.Conv1d`` with an odd kernel of 3+ taps, stride 1, 'same' zero padding, one group,
    at least 64 input and output channels with 7+ taps or 256 with fewer (below that the direct
    kernel is as fast: ``benchmarks/winograd_conv.py``), fp32 on the CPU, batch 1, no autograd or
    autocast, and a bounded size.
    """
    if type(conv) is not nn.Conv1d or os.environ.get("TTS_WINOGRAD", "1") == "0":
        return False
    r, d = conv.kernel_size[0], conv.dilation[0]
    if r < 3 or r % 2 == 0 or conv.stride[0] != 1 or conv.groups != 1 or conv.padding != (d * (r - 1) // 2,):
        return False
    if conv.padding_mode != "zeros" or min(conv.in_channels, conv.out_channels) < MIN_CHANNELS:
        return False
    if min(conv.in_channels, conv.out_channels) < SHORT_KERNEL_MIN_CHANNELS and r < 7:
        return False
    if x.device.type != "cpu" or x.dtype != torch.float32 or conv.weight.dtype != torch.float32:
        return False
    if torch.is_grad_enabled() or torch.is_autocast_enabled("cpu"):
        return False
    return x.dim() == 4 and x.shape[0] == 1 and x.shape[2] == 1 and x.shape[1] * x.shape[3] <= MAX_ELEMENTS


def conv1d_cl_winograd(conv: nn.Conv1d, x: torch.Tensor) -> torch.Tensor:
    """``conv`` on channels-last ``x`` (1, C_in, 1, T) -> channels-last (1, C_out, 1, T) (see :func:`winograd_applies`)."""
    from TTS.core.layers.cl_conv import derived_weight

    plan = derived_weight(conv, "winograd", lambda: WinogradPlan.from_conv(conv.weight, conv.bias, conv.dilation[0]))
    t = x.shape[-1]
    rows = x.permute(0, 2, 3, 1).reshape(t, x.shape[1])  # a view: CL memory is (T, C)
    y = winograd_conv1d(rows, plan)
    return y.view(1, 1, t, -1).permute(0, 3, 1, 2)
