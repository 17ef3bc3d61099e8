"""Shared helpers of the CUDA device tests (marker ``cuda``; skipped where no CUDA device is usable).

Run them on a machine with an NVIDIA GPU: ``pytest -m cuda tests``. They compare our models on the
GPU with upstream's CPU references and with our own CPU output. TF32 is switched off inside
:func:`exact_fp32` so that a 1e-4 tolerance tests the maths, not the GPU's tensor-core rounding;
the default (TF32 on, as torch ships) is checked separately at a looser tolerance.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import torch

from TTS.core.device import cuda_problem

__all__ = ["CUDA_MARKS", "as_numpy", "exact_fp32", "max_abs_err"]

_PROBLEM = cuda_problem()
CUDA_MARKS = [pytest.mark.cuda, pytest.mark.skipif(_PROBLEM is not None, reason=f"no CUDA device: {_PROBLEM}")]


@contextlib.contextmanager
def exact_fp32() -> Iterator[None]:
    """Full fp32 matmuls and convolutions on the GPU (no TF32) for the duration of the block."""
    saved = (torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32)
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    try:
        yield
    finally:
        torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = saved


def as_numpy(value: Any) -> np.ndarray:
    """A tensor on any device or an array, as a float32 numpy array on the CPU."""
    if isinstance(value, torch.Tensor):
        return value.detach().to("cpu", torch.float32).numpy()
    return np.asarray(value, dtype=np.float32)


def max_abs_err(ours: Any, ref: Any) -> float:
    a, b = as_numpy(ours), as_numpy(ref)
    assert a.shape == b.shape, f"shape {a.shape} != {b.shape}"
    return float(np.abs(a - b).max()) if a.size else 0.0
