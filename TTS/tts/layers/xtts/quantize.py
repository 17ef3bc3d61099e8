"""XTTS's int8 GPT (part of ``Xtts.enable_reduced_precision()``).

Batch-1 decoding reads every GPT weight once per code, so its speed is set by
memory bandwidth. :func:`quantize_gpt_int8` swaps the transformer projections and
the code head for the shared :class:`TTS.core.int8.Int8Linear` (int8 weights, one
scale per output channel; the kernels are described there). The residual stream,
layer norms, attention, logits, the conditioning encoder and the perceiver stay
fp32. The audio differs slightly from fp32 (``benchmarks/xtts_speed.py`` reports
by how much); the default is fp32.
"""

from __future__ import annotations

import logging

from torch import nn

from TTS.core.errors import MissingDependencyError
from TTS.core.int8 import Int8Linear, Kernel, int8_supported
from TTS.core.memory import release_free_heap
from TTS.tts.layers.xtts.transformer import Conv1DLinear

__all__ = ["Int8Linear", "int8_supported", "quantize_gpt_int8", "to_int8"]

logger = logging.getLogger(__name__)


def to_int8(module: nn.Module, kernel: Kernel = "auto") -> Int8Linear:
    """An ``nn.Linear`` (weight (out, in)) or GPT-2 :class:`Conv1DLinear` (weight (in, out)) as :class:`Int8Linear`."""
    if isinstance(module, Conv1DLinear):
        weight = module.dense_weight().t()
    elif isinstance(module, nn.Linear):
        weight = module.weight
    else:
        raise TypeError(f"cannot quantize {type(module).__name__}")
    return Int8Linear(weight, module.bias, kernel=kernel).to(module.bias.device)


def quantize_gpt_int8(gpt: nn.Module, kernel: Kernel = "auto") -> int:
    """Replace the GPT's transformer projections and code head by :class:`Int8Linear`; returns how many.

    Raises:
        MissingDependencyError: this torch build has no int8 matmul kernel.
    """
    if not int8_supported():
        raise MissingDependencyError(
            "This torch build has no int8 matmul kernel (fbgemm or aten._weight_int8pack_mm); "
            "use torch >= 2.4 or the default fp32 mode."
        )
    gpt.speculative_draft = None  # the GPT itself becomes int8: no draft needed
    targets: list[tuple[nn.Module, str]] = []
    for block in gpt.gpt.h:
        targets += [(block.attn, "c_attn"), (block.attn, "c_proj"), (block.mlp, "c_fc"), (block.mlp, "c_proj")]
    targets.append((gpt, "mel_head"))
    for parent, name in targets:
        module = getattr(parent, name)
        if not isinstance(module, Int8Linear):
            setattr(parent, name, to_int8(module, kernel))
    gpt.cond_prefix_cache = None  # computed with the old weights
    release_free_heap()  # the replaced fp32 weights
    logger.info("XTTS GPT: %d projections use int8 weights (%s kernel)", len(targets), gpt.mel_head.kernel)
    return len(targets)
