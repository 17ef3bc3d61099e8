"""The one int8 weight block: ``Int8Linear`` (XTTS GPT projections, Tacotron2 decoder LSTMs).

Batch-1 autoregressive decoding reads every weight once per step, so its speed is
set by memory bandwidth; int8 weights read 4x fewer bytes than fp32. The weight
``W`` (out, in) is stored as int8 with one symmetric scale per output row
(``scale = max|W_row| / 127``). Two kernels, picked when the layer is built:

- ``"fbgemm"``, on x86 CPUs where PyTorch has its fbgemm/x86 quantized engine
  (the usual Linux/Windows/Intel-Mac builds): ``quantized::linear_dynamic``.
  Activations are quantized on the fly (one scale per call; 8-bit on CPUs with
  VNNI, else a 7-bit range so that int16 intermediate sums cannot saturate, see
  :func:`cpu_has_vnni`) and the product runs in int8 with int32 sums. About
  twice as fast as the weight-only kernel, both per decoding step and for a
  prompt's prefill, with no extra weight copy: the weight lives only in fbgemm's
  packed form, not in the state dict.
- ``"int8pack"`` elsewhere (ARM, or when fbgemm is missing):
  ``torch.ops.aten._weight_int8pack_mm``, int8 weights with bf16 activations, in
  the ``qweight``/``scales`` buffers. From :data:`BF16_MIN_ROWS` rows on (prefill,
  compute-bound) a bf16 copy of the weight is used instead where bf16 is native.

Moving a layer off the CPU (``.to("cuda")``) unpacks fbgemm's form into the
buffers; on a device without the int8 kernel the product runs as a bf16 matmul
of the dequantized weight. Quantization is opt-in everywhere (the reduced-precision
modes); the default paths never use this module.
"""

from __future__ import annotations

import functools
import logging
import warnings
from typing import Any, Literal

import torch
import torch.nn.functional as F
from torch import nn

from TTS.core.precision import native_bf16

__all__ = ["BF16_MIN_ROWS", "Int8Linear", "fbgemm_available", "int8_supported", "quantize_rows"]

logger = logging.getLogger(__name__)

#: From this many rows on, the int8pack kernel multiplies with its bf16 weight copy instead.
BF16_MIN_ROWS = 8

Kernel = Literal["auto", "fbgemm", "int8pack"]


@functools.lru_cache(maxsize=1)
def cpu_has_vnni() -> bool:
    """True when the CPU has AVX-512 VNNI or AVX-VNNI (read from ``/proc/cpuinfo``; False where unknown).

    fbgemm's kernels for CPUs without VNNI add pairs of int8 products in int16, which can
    saturate with full 8-bit activations; they then get a 7-bit range (``reduce_range``). With
    VNNI the sums are int32, and the full range halves the activation rounding error (the XTTS
    GPT latents drift ~3% from fp32 instead of ~4% on the development machine).
    """
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    return "avx512_vnni" in flags or "avx_vnni" in flags
    except OSError:
        pass
    return False


@functools.lru_cache(maxsize=1)
def fbgemm_available() -> bool:
    """True when PyTorch's x86 quantized engine (fbgemm) can run ``quantized::linear_dynamic``."""
    engines = getattr(torch.backends.quantized, "supported_engines", [])
    if "fbgemm" not in engines and "x86" not in engines:
        return False
    return hasattr(torch.ops.quantized, "linear_dynamic") and hasattr(torch.ops.quantized, "linear_prepack")


@functools.lru_cache(maxsize=1)
def _int8pack_cpu() -> bool:
    """True when ``aten._weight_int8pack_mm`` exists and runs on the CPU (probed once)."""
    op = getattr(torch.ops.aten, "_weight_int8pack_mm", None)
    if op is None:
        return False
    try:
        op(
            torch.zeros(1, 8, dtype=torch.bfloat16),
            torch.zeros(4, 8, dtype=torch.int8),
            torch.ones(4, dtype=torch.bfloat16),
        )
    except (RuntimeError, NotImplementedError):
        return False
    return True


def _int8pack_on(device: torch.device) -> bool:
    if device.type == "cpu":
        return _int8pack_cpu()
    try:
        return torch._C._dispatch_has_kernel_for_dispatch_key("aten::_weight_int8pack_mm", device.type.upper())
    except (RuntimeError, AttributeError):
        return False


def int8_supported() -> bool:
    """True when this torch build has an int8 matmul kernel for the CPU (fbgemm or int8pack)."""
    return fbgemm_available() or _int8pack_cpu()


def quantize_rows(weight: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Symmetric per-row int8: ``weight`` (out, in) -> (values (out, in) fp32 in [-127, 127], scales (out,) fp32)."""
    weight = weight.detach().float()
    scales = weight.abs().amax(dim=1).clamp(min=1e-12) / 127.0
    return torch.round(weight / scales[:, None]).clamp_(-127, 127), scales


def _prepack_fbgemm(values: torch.Tensor, scales: torch.Tensor, bias: torch.Tensor | None) -> Any:
    """fbgemm's packed form of int8 ``values`` (out, in) with per-row ``scales``, or None if unavailable.

    Quantized tensors are deprecated (torch 2.13 warns) and may go away; then the caller
    falls back to the weight-only kernel.
    """
    zero_points = torch.zeros(values.shape[0], dtype=torch.long)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*quantized tensor creation functions.*")
            # float64 scales as the API wants; values * scales are exact multiples, so rounding is a no-op.
            qweight = torch.quantize_per_channel(values * scales[:, None], scales.double(), zero_points, 0, torch.qint8)
            return torch.ops.quantized.linear_prepack(qweight, None if bias is None else bias.detach().float())
    except (RuntimeError, AttributeError, NotImplementedError) as e:
        logger.info("fbgemm int8 kernel unavailable (%s); using the weight-only int8 kernel", e)
        return None


class Int8Linear(nn.Module):
    """``y = x @ W.T + b`` with ``W`` (out, in) stored as int8, one scale per output. ``(..., in) -> (..., out)``.

    Args:
        weight: (out, in) float weight to quantize.
        bias: (out,) or None; kept in fp32.
        kernel: ``"auto"`` (fbgemm on CPUs that have it, else int8pack), or force one (tests).
    """

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor | None, kernel: Kernel = "auto") -> None:
        super().__init__()
        values, scales = quantize_rows(weight)
        self.in_features = int(weight.shape[1])
        self.out_features = int(weight.shape[0])
        self._packed: Any = None
        on_cpu = weight.device.type == "cpu"
        if kernel == "fbgemm" and not (on_cpu and fbgemm_available()):
            raise RuntimeError("the fbgemm int8 kernel needs a CPU weight and torch's fbgemm/x86 engine")
        if kernel in ("auto", "fbgemm") and on_cpu and fbgemm_available():
            self._packed = _prepack_fbgemm(values.cpu(), scales.cpu(), bias)
        if self._packed is not None:
            for name in ("qweight", "scales", "bias", "weight_bf16"):
                self.register_buffer(name, None)
            return
        bias = None if bias is None else bias.detach().float().clone()
        self._set_buffers(values.to(torch.int8), scales, bias, dense=weight.detach())

    def _set_buffers(
        self, qweight: torch.Tensor, scales: torch.Tensor, bias: torch.Tensor | None, dense: torch.Tensor | None = None
    ) -> None:
        """Weight-only form; ``dense`` (out, in) is the unquantized weight for the bf16 copy (else dequantized)."""
        self.register_buffer("qweight", qweight.contiguous())
        self.register_buffer("scales", scales.to(torch.bfloat16))
        self.register_buffer("bias", bias)
        # Many rows at once are compute-bound, not bandwidth-bound: there a bf16 GEMM is about twice as
        # fast as the int8 kernel where bf16 is native; and it is the product where no int8 kernel exists.
        device = qweight.device
        keep_bf16 = native_bf16(device) or not _int8pack_on(device)
        if dense is None:
            dense = qweight.float() * scales.float()[:, None]
        bf16 = dense.to(torch.bfloat16).contiguous() if keep_bf16 else None
        self.register_buffer("weight_bf16", bf16)

    @property
    def kernel(self) -> str:
        """``"fbgemm"`` (int8 x int8) or ``"int8pack"`` (int8 weights, bf16 activations)."""
        return "fbgemm" if self._packed is not None else "int8pack"

    @classmethod
    def from_linear(cls, module: nn.Linear, kernel: Kernel = "auto") -> Int8Linear:
        """From an ``nn.Linear`` (weight (out, in)), on its device."""
        return cls(module.weight, module.bias, kernel=kernel).to(module.weight.device)

    def _unpack(self) -> None:
        """fbgemm's packed form -> ``qweight``/``scales``/``bias`` buffers (before leaving the CPU)."""
        qweight, bias = torch.ops.quantized.linear_unpack(self._packed)
        self._packed = None
        self._set_buffers(
            qweight.int_repr(), qweight.q_per_channel_scales().float(), None if bias is None else bias.float()
        )

    def _apply(self, fn: Any, *args: Any, **kwargs: Any) -> Int8Linear:
        if self._packed is not None and fn(torch.empty(0)).device.type != "cpu":
            self._unpack()
        return super()._apply(fn, *args, **kwargs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self._packed is not None:
            flat = x.reshape(-1, self.in_features).float()
            out = torch.ops.quantized.linear_dynamic(flat, self._packed, not cpu_has_vnni())
            return out.view(*x.shape[:-1], self.out_features)
        flat = x.reshape(-1, self.in_features).to(torch.bfloat16)
        use_bf16 = self.weight_bf16 is not None and (
            flat.shape[0] >= BF16_MIN_ROWS or not _int8pack_on(self.qweight.device)
        )
        if use_bf16:
            out = F.linear(flat, self.weight_bf16).float()
        else:
            out = torch.ops.aten._weight_int8pack_mm(flat, self.qweight, self.scales).float()
        if self.bias is not None:
            out += self.bias
        return out.view(*x.shape[:-1], self.out_features)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, kernel={self.kernel}"
