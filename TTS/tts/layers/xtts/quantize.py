"""Opt-in reduced-precision CPU mode for the XTTS GPT: int8 weights.

Batch-1 decoding reads every GPT weight once per code, so its speed is set by
memory bandwidth; int8 weights read 4x fewer bytes than fp32. Each projection
keeps its weight as int8 with one scale per output channel (symmetric).

Two kernels, picked when the model is quantized:

- On x86 CPUs with PyTorch's fbgemm engine (the usual Linux/Windows/Intel-Mac
  builds): ``quantized::linear_dynamic``. Activations are quantized on the fly
  (one scale per call, 7-bit range so that no CPU's int16 intermediate sums can
  saturate) and the product runs in int8 with int32 sums. Per code this is
  about twice as fast as the weight-only kernel below, and so is the prompt's
  prefill (many positions at once), with no extra weight copy.
- Elsewhere (ARM, or a GPU): ``torch.ops.aten._weight_int8pack_mm``, weight-only
  int8 with bf16 activations; for the prefill a bf16 copy of the weights where
  the device computes bf16 natively (AVX-512 BF16, AMX, GPUs).

The residual stream, layer norms, attention and logits stay fp32. The audio
differs slightly from fp32 (the benchmark reports by how much); the default is
fp32.
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from TTS.core.errors import MissingDependencyError
from TTS.tts.layers.xtts.transformer import Conv1DLinear

__all__ = ["Int8Linear", "int8_supported", "quantize_gpt_int8"]

logger = logging.getLogger(__name__)


#: From this many rows on, :class:`Int8Linear` multiplies with its bf16 weight copy instead.
BF16_MIN_ROWS = 8


def _cpu_bf16_supported() -> bool:
    """True when oneDNN has native bf16 kernels on this CPU (AVX-512 BF16 or AMX)."""
    check = getattr(torch.ops.mkldnn, "_is_mkldnn_bf16_supported", None)
    try:
        return bool(check()) if check is not None else False
    except RuntimeError:
        return False


def int8_supported() -> bool:
    """True when this torch build has an int8 matmul kernel for the CPU."""
    return hasattr(torch.ops.aten, "_weight_int8pack_mm") or _fbgemm_available()


def _fbgemm_available() -> bool:
    """True when PyTorch's x86 quantized engine (fbgemm) can run ``quantized::linear_dynamic``."""
    engines = getattr(torch.backends.quantized, "supported_engines", [])
    if "fbgemm" not in engines and "x86" not in engines:
        return False
    return hasattr(torch.ops.quantized, "linear_dynamic") and hasattr(torch.ops.quantized, "linear_prepack")


def _prepack_fbgemm(weight: torch.Tensor, scales: torch.Tensor, bias: torch.Tensor | None) -> Any:
    """fbgemm's packed form of the per-channel int8 ``weight`` (out, in) (fp32 values) and ``bias``.

    Returns None when this PyTorch cannot build it: quantized tensors are deprecated (torch 2.13
    warns) and may go away, and then the caller falls back to the weight-only kernel.
    """
    zero_points = torch.zeros(weight.shape[0], dtype=torch.long)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*quantized tensor creation functions.*")
            # float64 scales as the API wants; the values are exact multiples of them, so rounding is a no-op.
            qweight = torch.quantize_per_channel(weight, scales.double(), zero_points, 0, torch.qint8)
            return torch.ops.quantized.linear_prepack(qweight, None if bias is None else bias.detach().float())
    except (RuntimeError, AttributeError, NotImplementedError) as e:
        logger.info("fbgemm int8 kernel unavailable (%s); using the weight-only int8 kernel", e)
        return None


class Int8Linear(nn.Module):
    """``y = x @ W.T + b`` with ``W`` (out, in) stored as int8 with one scale per output. ``(..., in) -> (..., out)``.

    On CPUs with fbgemm (see the module docstring) the weight lives only in fbgemm's packed
    form (not in the state dict); elsewhere in the ``qweight``/``scales`` buffers.
    """

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor | None) -> None:
        super().__init__()
        weight = weight.detach().float()
        scales = weight.abs().amax(dim=1).clamp(min=1e-12) / 127.0
        quantized = torch.round(weight / scales[:, None]).clamp_(-127, 127)
        self.in_features = weight.shape[1]
        self.out_features = weight.shape[0]
        self._packed: Any = None
        if weight.device.type == "cpu" and _fbgemm_available():
            self._packed = _prepack_fbgemm(quantized * scales[:, None], scales, bias)
        if self._packed is not None:
            for name in ("qweight", "scales", "bias", "weight_bf16"):
                self.register_buffer(name, None)
            return
        self.register_buffer("qweight", quantized.to(torch.int8).contiguous())
        self.register_buffer("scales", scales.to(torch.bfloat16))
        self.register_buffer("bias", None if bias is None else bias.detach().float().clone())
        # Many rows at once (the prompt's prefill) are compute-bound, not bandwidth-bound: there a
        # bf16 GEMM (AVX-512 BF16 / AMX / GPU) is about twice as fast as the int8 kernel, so keep a bf16 copy.
        use_bf16 = weight.device.type != "cpu" or _cpu_bf16_supported()
        self.register_buffer("weight_bf16", weight.to(torch.bfloat16).contiguous() if use_bf16 else None)

    @property
    def kernel(self) -> str:
        """``"fbgemm"`` (int8 x int8) or ``"int8pack"`` (int8 weights, bf16 activations)."""
        return "fbgemm" if self._packed is not None else "int8pack"

    @classmethod
    def from_module(cls, module: nn.Module) -> Int8Linear:
        """From an ``nn.Linear`` (weight (out, in)) or a GPT-2 :class:`Conv1DLinear` (weight (in, out))."""
        if isinstance(module, Conv1DLinear):
            return cls(module.weight.t(), module.bias)
        if isinstance(module, nn.Linear):
            return cls(module.weight, module.bias)
        raise TypeError(f"cannot quantize {type(module).__name__}")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self._packed is not None:
            flat = x.reshape(-1, self.in_features).float()
            # reduce_range: 7-bit activations, so AVX2/AVX-512 kernels' int16 pair sums cannot saturate.
            out = torch.ops.quantized.linear_dynamic(flat, self._packed, True)
            return out.view(*x.shape[:-1], self.out_features)
        flat = x.reshape(-1, self.in_features).to(torch.bfloat16)
        if self.weight_bf16 is not None and flat.shape[0] >= BF16_MIN_ROWS:
            out = F.linear(flat, self.weight_bf16).float()
        else:
            out = torch.ops.aten._weight_int8pack_mm(flat, self.qweight, self.scales).float()
        if self.bias is not None:
            out += self.bias
        return out.view(*x.shape[:-1], self.out_features)


def quantize_gpt_int8(gpt: nn.Module) -> int:
    """Replace the GPT's transformer projections and code head by :class:`Int8Linear`; returns how many.

    The conditioning encoder and perceiver (run once per reference) stay fp32.
    """
    if not int8_supported():
        raise MissingDependencyError(
            "This torch build has no int8 matmul kernel (fbgemm or aten._weight_int8pack_mm); "
            "use torch >= 2.4 or the default fp32 mode."
        )
    targets: list[tuple[nn.Module, str, nn.Module]] = []
    for block in gpt.gpt.h:
        for parent, name in (
            (block.attn, "c_attn"),
            (block.attn, "c_proj"),
            (block.mlp, "c_fc"),
            (block.mlp, "c_proj"),
        ):
            targets.append((parent, name, getattr(parent, name)))
    targets.append((gpt, "mel_head", gpt.mel_head))
    for parent, name, module in targets:
        if not isinstance(module, Int8Linear):
            setattr(parent, name, Int8Linear.from_module(module).to(module.weight.device))
    gpt.cond_prefix_cache = None  # computed with the old weights
    kernel = getattr(gpt.mel_head, "kernel", "?")
    logger.info("XTTS GPT: %d projections use int8 weights (%s kernel)", len(targets), kernel)
    return len(targets)
