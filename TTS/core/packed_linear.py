"""fp32 matrix products with oneDNN's pre-packed weights: the CPU fast path for large linear layers.

Each call of a plain ``addmm`` lets the BLAS re-pack the weight into its blocked
layout; for a few rows (a decoding step, a prompt's prefill) that repacking costs
as much as the product. Packing once, at the first CPU inference call, and keeping
only the packed copy (the same number of bytes) made the XTTS GPT's 30 layers
1.2x faster per decoding step and 2x faster for a 43-row prefill on the
development machine, with the same fp32 arithmetic up to summation order.

Used by :class:`TTS.tts.layers.xtts.transformer.Conv1DLinear`. Packed tensors
are opaque (``torch._mkldnn`` layout): callers convert back with :func:`unpack`
before saving, copying or moving to another device.
"""

from __future__ import annotations

import functools

import torch

__all__ = ["ROWS_HINT", "available", "pack", "unpack", "packed_linear"]

#: Row count oneDNN plans the packed layout for; one packing serves 1 to a few hundred rows well.
ROWS_HINT = 64


@functools.lru_cache(maxsize=1)
def available() -> bool:
    """True when this torch build has oneDNN's packed linear ops (x86 and most ARM CPU builds)."""
    if not torch.backends.mkldnn.is_available():
        return False
    ops = torch.ops.mkldnn
    return hasattr(ops, "_reorder_linear_weight") and hasattr(ops, "_linear_pointwise")


def applies(x: torch.Tensor, weight: torch.Tensor) -> bool:
    """Whether the packed path should serve input ``x`` for the fp32 CPU ``weight`` (inference only)."""
    return (
        x.device.type == "cpu"
        and x.dtype == torch.float32
        and weight.dtype == torch.float32
        and not torch.is_grad_enabled()
        and not torch.jit.is_tracing()
        and not torch.onnx.is_in_onnx_export()
        and available()
    )


def pack(weight_out_in: torch.Tensor, rows_hint: int = ROWS_HINT) -> torch.Tensor:
    """oneDNN's packed form of a (out, in) fp32 weight (an opaque tensor of the same size)."""
    return torch.ops.mkldnn._reorder_linear_weight(weight_out_in.detach().contiguous(), rows_hint)


def unpack(packed: torch.Tensor) -> torch.Tensor:
    """The plain (out, in) fp32 weight back from :func:`pack` (exact)."""
    return packed.to_dense()


def packed_linear(x: torch.Tensor, packed: torch.Tensor, bias: torch.Tensor | None) -> torch.Tensor:
    """``x @ W.T + bias`` for ``x`` (N, in) and ``packed`` from :func:`pack` -> (N, out)."""
    return torch.ops.mkldnn._linear_pointwise(x, packed, bias, "none", [], "")
