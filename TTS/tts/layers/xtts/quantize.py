"""Opt-in reduced-precision CPU mode for the XTTS GPT: weight-only int8, bf16 activations.

Batch-1 decoding reads every GPT weight once per code, so its speed is set by
memory bandwidth; int8 weights read 4x fewer bytes than fp32. Each projection
keeps one int8 row per output with a bf16 scale (symmetric, per output
channel) and multiplies with ``torch.ops.aten._weight_int8pack_mm`` on bf16
activations (its fp32-activation path is much slower). The prompt's prefill
(many positions at once) is compute-bound instead; where the CPU has native
bf16 (AVX-512 BF16 or AMX) it uses a bf16 copy of the weights, about twice
as fast as the int8 kernel there (still less memory than the fp32 weights). The residual stream,
layer norms, attention softmax and logits stay fp32.

The audio differs slightly from fp32 (the benchmark reports by how much); the
default is fp32.
"""

from __future__ import annotations

import logging

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
    """True when this torch build has the weight-only int8 matmul kernel."""
    return hasattr(torch.ops.aten, "_weight_int8pack_mm")


class Int8Linear(nn.Module):
    """``y = x @ W.T + b`` with ``W`` (out, in) stored as int8 rows times bf16 scales. ``(..., in) -> (..., out)``."""

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor | None) -> None:
        super().__init__()
        weight = weight.detach().float()
        scales = weight.abs().amax(dim=1).clamp(min=1e-12) / 127.0
        self.in_features = weight.shape[1]
        self.out_features = weight.shape[0]
        self.register_buffer(
            "qweight", torch.round(weight / scales[:, None]).clamp_(-127, 127).to(torch.int8).contiguous()
        )
        self.register_buffer("scales", scales.to(torch.bfloat16))
        self.register_buffer("bias", None if bias is None else bias.detach().float().clone())
        # Many rows at once (the prompt's prefill) are compute-bound, not bandwidth-bound: there a
        # bf16 GEMM (AVX-512 BF16 / AMX) is about twice as fast as the int8 kernel, so keep a bf16 copy.
        use_bf16 = weight.device.type != "cpu" or _cpu_bf16_supported()
        self.register_buffer("weight_bf16", weight.to(torch.bfloat16).contiguous() if use_bf16 else None)

    @classmethod
    def from_module(cls, module: nn.Module) -> Int8Linear:
        """From an ``nn.Linear`` (weight (out, in)) or a GPT-2 :class:`Conv1DLinear` (weight (in, out))."""
        if isinstance(module, Conv1DLinear):
            return cls(module.weight.t(), module.bias)
        if isinstance(module, nn.Linear):
            return cls(module.weight, module.bias)
        raise TypeError(f"cannot quantize {type(module).__name__}")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
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
            "This torch build has no weight-only int8 kernel (aten._weight_int8pack_mm); use torch >= 2.4 or fp32."
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
    logger.info("XTTS GPT: %d projections use int8 weights with bf16 activations", len(targets))
    return len(targets)
