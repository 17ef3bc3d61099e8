"""MPS-safe convolutions, and an emulation of the MPS limits for tests on any machine.

On Apple MPS with macOS < 15.1 a convolution fails when any dimension of its
output is larger than 65536 (PyTorch's ``Convolution.mm``); a transposed
convolution runs as the input-gradient of a convolution, so there it is its
*input* that must stay within the limit. Audio models hit this at once: a
pre-emphasis conv over a 4.1 s reference at 16 kHz, or a HiFi-GAN conv over
2.7 s of 24 kHz output. ``PYTORCH_ENABLE_MPS_FALLBACK=1`` does not help,
because the op exists on MPS and fails rather than being missing.

:func:`make_mps_safe` makes every conv in a module tree compute in time
chunks (the last dimension) with the right receptive-field overlap, so the
result equals the unsplit conv. Short inputs take the direct path unchanged.

:func:`mps_emulation` reproduces the limits on CPU: a conv whose output (or a
transposed conv whose input or output) has a dimension above the limit raises
the error MPS raises, and any op that produces a float64 tensor is refused.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils import parametrize
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_leaves

__all__ = [
    "MPS_CONV_LIMIT",
    "make_mps_safe",
    "mps_safe_conv1d",
    "mps_safe_conv2d",
    "mps_safe_conv_transpose1d",
    "mps_emulation",
    "MpsEmulation",
    "ConvViolation",
]

logger = logging.getLogger(__name__)

MPS_CONV_LIMIT = 65536
_MPS_CONV_MESSAGE = "Output channels > 65536 not supported at the MPS device. "
_MPS_FLOAT64_MESSAGE = (
    "Cannot convert a MPS Tensor to float64 dtype as the MPS framework doesn't support float64. "
    "Please use float32 instead."
)

IntOrSeq = int | Sequence[int]


def _tuple(value: IntOrSeq, n: int) -> tuple[int, ...]:
    if isinstance(value, int):
        return (value,) * n
    value = tuple(int(v) for v in value)
    return value * n if len(value) == 1 else value


def _padding_pairs(
    padding: IntOrSeq | str, kernel: Sequence[int], stride: Sequence[int], dilation: Sequence[int]
) -> list[tuple[int, int]]:
    """(left, right) zero padding per spatial dim, resolving 'same' / 'valid' as torch does."""
    n = len(kernel)
    if padding == "valid":
        return [(0, 0)] * n
    if padding == "same":
        if any(s != 1 for s in stride):
            raise ValueError("padding='same' is not supported for strided convolutions")
        pairs = []
        for k, d in zip(kernel, dilation):
            total = d * (k - 1)
            pairs.append((total // 2, total - total // 2))
        return pairs
    if isinstance(padding, str):
        raise ValueError(f"invalid padding string {padding!r}, expected 'same' or 'valid'")
    return [(p, p) for p in _tuple(padding, n)]


def _window(x: torch.Tensor, start: int, stop: int) -> torch.Tensor:
    """``x[..., start:stop]`` where indices outside ``[0, T)`` read as zeros."""
    length = x.shape[-1]
    lo, hi = min(max(start, 0), length), max(min(stop, length), 0)
    piece = x[..., lo:hi] if hi > lo else x[..., :0]
    left = min(max(-start, 0), stop - start)
    right = (stop - start) - left - piece.shape[-1]
    return F.pad(piece, (left, right)) if left or right else piece


def _chunked_conv(
    conv_fn: Any,
    n: int,
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None,
    stride: IntOrSeq,
    padding: IntOrSeq | str,
    dilation: IntOrSeq,
    groups: int,
    max_len: int,
) -> torch.Tensor:
    stride_t, dilation_t = _tuple(stride, n), _tuple(dilation, n)
    kernel = tuple(weight.shape[2:])
    pairs = _padding_pairs(padding, kernel, stride_t, dilation_t)
    length = x.shape[-1]
    span = dilation_t[-1] * (kernel[-1] - 1) + 1
    left, right = pairs[-1]
    out_len = (length + left + right - span) // stride_t[-1] + 1
    if out_len <= max_len:
        return conv_fn(x, weight, bias, stride, padding, dilation, groups)
    # Leading spatial dims keep their own padding; asymmetric ones ('same' with an even kernel) are padded here.
    lead = []
    for dim, (lo, hi) in enumerate(pairs[:-1]):
        if lo != hi:
            spec = [0, 0] * (n - dim)  # F.pad lists dims from the last backwards
            spec[-2:] = [lo, hi]
            x = F.pad(x, spec)
            lo = 0
        lead.append(lo)
    step = stride_t[-1]
    outs = []
    for first in range(0, out_len, max_len):
        last = min(first + max_len, out_len)  # exclusive output index
        start = first * step - left
        piece = _window(x, start, start + (last - first - 1) * step + span)
        outs.append(conv_fn(piece, weight, bias, stride, (*lead, 0), dilation, groups))
    return torch.cat(outs, dim=-1)


def mps_safe_conv1d(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None = None,
    stride: IntOrSeq = 1,
    padding: IntOrSeq | str = 0,
    dilation: IntOrSeq = 1,
    groups: int = 1,
    *,
    max_len: int = MPS_CONV_LIMIT,
) -> torch.Tensor:
    """``F.conv1d`` that never produces more than ``max_len`` output steps per call.

    Args: as ``F.conv1d``; ``x`` is ``(B, C_in, T)`` or ``(C_in, T)``. Returns ``(B, C_out, T_out)``.
    """
    return _chunked_conv(F.conv1d, 1, x, weight, bias, stride, padding, dilation, groups, max_len)


def mps_safe_conv2d(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None = None,
    stride: IntOrSeq = 1,
    padding: IntOrSeq | str = 0,
    dilation: IntOrSeq = 1,
    groups: int = 1,
    *,
    max_len: int = MPS_CONV_LIMIT,
) -> torch.Tensor:
    """``F.conv2d`` chunked along the last (time) dim of ``x`` ``(B, C_in, H, W)``."""
    return _chunked_conv(F.conv2d, 2, x, weight, bias, stride, padding, dilation, groups, max_len)


def mps_safe_conv_transpose1d(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None = None,
    stride: IntOrSeq = 1,
    padding: IntOrSeq = 0,
    output_padding: IntOrSeq = 0,
    groups: int = 1,
    dilation: IntOrSeq = 1,
    *,
    max_len: int = MPS_CONV_LIMIT,
) -> torch.Tensor:
    """``F.conv_transpose1d`` whose every call has input and output no longer than ``max_len``.

    Each output window is computed from exactly the inputs that reach it, so no
    overlap-add is needed. ``x`` is ``(B, C_in, T)`` or ``(C_in, T)``; returns ``(B, C_out, T_out)``.
    """
    (step,), (pad,), (out_pad,), (dil,) = (_tuple(v, 1) for v in (stride, padding, output_padding, dilation))
    length = x.shape[-1]
    span = dil * (weight.shape[-1] - 1) + 1
    out_len = (length - 1) * step - 2 * pad + span + out_pad
    if length <= max_len and out_len <= max_len:
        return F.conv_transpose1d(x, weight, bias, stride, padding, output_padding, groups, dilation)
    chunk = max_len - 2 * span - 2 * step  # output steps per call; leaves room for the receptive field
    if chunk <= 0:
        raise ValueError(f"kernel span {span} with stride {step} is too large for chunks of {max_len}")
    outs = []
    for first in range(0, out_len, chunk):
        last = min(first + chunk, out_len)
        lo, hi = first + pad, last + pad  # window in un-cropped ("full") output coordinates
        i0 = max(0, -((span - 1 - lo) // step))  # ceil((lo - span + 1) / step): first input reaching lo
        i1 = min(length, (hi - 1) // step + 1)
        if i1 > i0:
            full = F.conv_transpose1d(x[..., i0:i1], weight, None, step, 0, 0, groups, dil)
            piece = _window(full, lo - i0 * step, hi - i0 * step)
        else:  # only output padding here: no input reaches it
            shape = (*x.shape[:-2], weight.shape[1] * groups, hi - lo)
            piece = x.new_zeros(shape)
        outs.append(piece)
    out = torch.cat(outs, dim=-1)
    if bias is not None:
        out = out + bias.unsqueeze(-1)
    return out


# ---------------------------------------------------------------- module conversion


def _safe_conv_forward(self: nn.Module, input: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None):
    """Replaces ``_ConvNd._conv_forward`` (what Conv1d/Conv2d.forward call)."""
    n = 1 if isinstance(self, nn.Conv1d) else 2
    padding: Any = self.padding
    if self.padding_mode != "zeros":
        input = F.pad(input, self._reversed_padding_repeated_twice, mode=self.padding_mode)
        padding = (0,) * n
    fn = mps_safe_conv1d if n == 1 else mps_safe_conv2d
    return fn(input, weight, bias, self.stride, padding, self.dilation, self.groups, max_len=self._mps_max_len)


def _safe_conv_transpose1d_forward(self: nn.ConvTranspose1d, input: torch.Tensor, output_size: list[int] | None = None):
    if self.padding_mode != "zeros":
        raise ValueError("Only `zeros` padding mode is supported for ConvTranspose1d")
    output_padding = self._output_padding(
        input, output_size, self.stride, self.padding, self.kernel_size, 1, self.dilation
    )
    return mps_safe_conv_transpose1d(
        input,
        self.weight,
        self.bias,
        self.stride,
        self.padding,
        output_padding,
        self.groups,
        self.dilation,
        max_len=self._mps_max_len,
    )


_SAFE_CLASSES: dict[type, type] = {}


def _safe_class(cls: type) -> type:
    """A subclass of ``cls`` (first base, so subclass checks and ``__bases__[0]`` still work) with chunked forward."""
    if cls not in _SAFE_CLASSES:
        method = (
            {"forward": _safe_conv_transpose1d_forward}
            if issubclass(cls, nn.ConvTranspose1d)
            else {"_conv_forward": _safe_conv_forward}
        )
        _SAFE_CLASSES[cls] = type(f"MpsSafe{cls.__name__}", (cls,), {"_mps_safe": True, **method})
    return _SAFE_CLASSES[cls]


def _convert(module: nn.Module) -> None:
    cls = type(module)
    if parametrize.is_parametrized(module):
        # torch put a generated ParametrizedX class on top of X; rebuild it on top of MpsSafeX so that
        # removing the parametrization later leaves a safe module, not a plain one.
        original = cls.__bases__[0]
        attrs = {k: v for k, v in vars(cls).items() if k not in ("__dict__", "__weakref__")}
        module.__class__ = type(cls.__name__, (_safe_class(original),), attrs)
    else:
        module.__class__ = _safe_class(cls)


_CONV_TYPES = (nn.Conv1d, nn.Conv2d, nn.ConvTranspose1d)


def make_mps_safe(module: nn.Module, max_len: int = MPS_CONV_LIMIT) -> nn.Module:
    """Make every Conv1d / Conv2d / ConvTranspose1d in ``module`` compute in time chunks, in place.

    Parameters, buffers, state-dict keys, hooks and parametrizations (weight norm)
    are untouched; only the class of each conv changes to a subclass whose
    forward splits the last dimension so that no conv call has an output (and,
    for transposed convs, an input) longer than ``max_len``. Idempotent.
    Returns ``module``.
    """
    if max_len < 1:
        raise ValueError(f"max_len must be positive, got {max_len}")
    count = 0
    for sub in module.modules():
        if isinstance(sub, _CONV_TYPES):
            if not getattr(type(sub), "_mps_safe", False):
                _convert(sub)
                count += 1
            sub._mps_max_len = max_len
    logger.debug("MPS-safe convolutions: converted %d conv modules in %s", count, type(module).__name__)
    return module


# ---------------------------------------------------------------- emulation


@dataclass
class ConvViolation:
    """A conv call that real MPS (macOS < 15.1) would refuse."""

    op: str
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    module: str
    over: str = "output"  # which side exceeds the limit: "output", "input" or "input+output"

    def __str__(self) -> str:
        return f"{self.module}: {self.op} input {self.input_shape} -> output {self.output_shape} ({self.over} too long)"


_CONV_OPS = {
    "conv1d",
    "conv2d",
    "conv3d",
    "convolution",
    "_convolution",
    "_convolution_mode",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "mkldnn_convolution",
    "_slow_conv2d_forward",
    "slow_conv_dilated2d",
    "slow_conv_transpose2d",
}
_WIDE_DTYPES = (torch.float64, torch.complex128)


def _is_transposed(name: str, args: tuple) -> bool:
    if name.startswith("conv_transpose") or name == "slow_conv_transpose2d":
        return True
    if name in ("convolution", "_convolution") and len(args) > 6:
        return bool(args[6])
    return False


@dataclass
class MpsEmulation(TorchDispatchMode):
    """The dispatch mode behind :func:`mps_emulation`; ``violations`` lists refused conv calls."""

    limit: int = MPS_CONV_LIMIT
    strict: bool = True
    refuse_float64: bool = True
    violations: list[ConvViolation] = field(default_factory=list)
    _module_stack: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__()

    def _where(self) -> str:
        return self._module_stack[-1] if self._module_stack else "<no module>"

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        packet = getattr(func, "overloadpacket", None)
        name = getattr(packet, "__name__", str(func))
        if name in _CONV_OPS and isinstance(out, torch.Tensor):
            x = args[0]
            # Real MPS checks a conv's output, and a transposed conv's input (it runs as a conv's
            # input-gradient). We check the transposed conv's output too: stricter, never looser.
            sides = ["input"] if _is_transposed(name, args) and any(s > self.limit for s in x.shape) else []
            if any(s > self.limit for s in out.shape):
                sides.append("output")
            if sides:
                violation = ConvViolation(name, tuple(x.shape), tuple(out.shape), self._where(), "+".join(sides))
                self.violations.append(violation)
                if self.strict:
                    raise NotImplementedError(f"{_MPS_CONV_MESSAGE}(MPS emulation: {violation})")
        if self.refuse_float64:
            for leaf in tree_leaves(out):
                if isinstance(leaf, torch.Tensor) and leaf.dtype in _WIDE_DTYPES:
                    raise TypeError(
                        f"{_MPS_FLOAT64_MESSAGE} (MPS emulation: {name} produced {leaf.dtype} in {self._where()})"
                    )
        return out


@contextlib.contextmanager
def mps_emulation(
    limit: int = MPS_CONV_LIMIT, *, strict: bool = True, refuse_float64: bool = True
) -> Iterator[MpsEmulation]:
    """Run code on CPU under the limits of MPS on macOS < 15.1.

    Inside the block every aten conv whose output has a dimension above
    ``limit`` (for transposed convs also the input) raises ``NotImplementedError``
    (a ``RuntimeError``) with MPS's own message, and every op producing a
    float64/complex128 tensor raises ``TypeError``. With ``strict=False``
    conv violations are only recorded in the yielded object's ``violations``
    (each names the innermost module running, by its qualified name when
    :func:`make_mps_safe` or ``prepare_model`` named it).
    """
    mode = MpsEmulation(limit=limit, strict=strict, refuse_float64=refuse_float64)
    stack = mode._module_stack

    def enter(module: nn.Module, _args: Any) -> None:
        stack.append(getattr(module, "_tts_qualname", None) or type(module).__name__)

    def leave(module: nn.Module, _args: Any, _out: Any) -> None:
        if stack:
            stack.pop()

    hooks = [
        nn.modules.module.register_module_forward_pre_hook(enter),
        nn.modules.module.register_module_forward_hook(leave, always_call=True),
    ]
    try:
        with mode:
            yield mode
    finally:
        for hook in hooks:
            hook.remove()


def name_modules(model: nn.Module) -> None:
    """Label each submodule with its qualified name so emulation reports say which conv failed."""
    for qualname, sub in model.named_modules():
        sub._tts_qualname = qualname or type(model).__name__
