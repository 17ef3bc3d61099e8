"""Where bfloat16 pays, and the one way the models compute in it.

The opt-in reduced-precision modes (``enable_reduced_precision()`` on XTTS, VITS,
Tacotron2 and the GAN vocoders) run their convolution-heavy waveform decoders in
bfloat16 only where the hardware computes bf16 natively:

- CPU: oneDNN reports native bf16 kernels (AVX-512 BF16 or AMX on x86, or ARM's
  bf16 extensions). Elsewhere bf16 is emulated and slower than fp32, so the mode
  keeps fp32 there.
- CUDA: ``torch.cuda.is_bf16_supported()`` without emulation (Ampere and newer).
- MPS: never. Apple GPUs before M3 have no bf16 units, and the MPS bf16 kernels
  of convolutions are missing or slow on several macOS releases; the decoders
  stay fp32 there (MPS is also where fp32 matters for the time-chunked convs).

:func:`bf16_autocast` is what every bf16 path enters: ``torch.autocast`` with
bfloat16, which casts the weights and activations of matmuls and convolutions
while leaving element-wise ops (activations, sums, ``tanh``) in the dtype they
receive. Outside it nothing changes, so the default stays bit-identical fp32.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator

import torch

__all__ = ["bf16_autocast", "native_bf16"]


@functools.lru_cache(maxsize=1)
def _cpu_bf16() -> bool:
    check = getattr(torch.ops.mkldnn, "_is_mkldnn_bf16_supported", None)
    try:
        return bool(check()) if check is not None else False
    except (RuntimeError, AttributeError):
        return False


@functools.lru_cache(maxsize=8)
def _cuda_bf16(index: int | None) -> bool:
    if not torch.cuda.is_available():
        return False
    try:
        with torch.cuda.device(index if index is not None else torch.cuda.current_device()):
            return bool(torch.cuda.is_bf16_supported(including_emulation=False))
    except TypeError:  # older torch without the keyword
        return bool(torch.cuda.is_bf16_supported())
    except (RuntimeError, AssertionError):
        return False


def native_bf16(device: str | torch.device) -> bool:
    """True when ``device`` computes bfloat16 matmuls and convolutions natively (see the module docstring)."""
    device = torch.device(device)
    if device.type == "cpu":
        return _cpu_bf16()
    if device.type == "cuda":
        return _cuda_bf16(device.index)
    return False  # mps and anything else: keep fp32


@contextlib.contextmanager
def bf16_autocast(device: str | torch.device, enabled: bool = True) -> Iterator[bool]:
    """Compute matmuls and convolutions on ``device`` in bfloat16 inside the block, where it is native.

    Does nothing when ``enabled`` is False or :func:`native_bf16` is False for ``device``.
    Yields whether bf16 is on. Outputs of autocast ops are bf16: callers cast results
    back with ``.float()``.
    """
    device = torch.device(device)
    if not (enabled and native_bf16(device)):
        yield False
        return
    with torch.autocast(device.type, dtype=torch.bfloat16):
        yield True
