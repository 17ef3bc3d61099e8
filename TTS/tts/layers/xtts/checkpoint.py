"""Reading XTTS checkpoints: the key table and the state-dict clean-up, in one place.

- Trainer checkpoints prefix every key with ``xtts.``; it is removed.
- Keys of training-only parts are dropped by name (:data:`TRAINING_ONLY_PREFIXES`).
- Keys that only duplicate other weights in some released files are dropped
  by name (:data:`DUPLICATE_KEY_PATTERNS`): the v1 ``gpt.gpt_inference.*``
  wrapper, the ``gpt.gpt.wte`` alias of ``gpt.mel_embedding``, and the causal
  mask buffers older ``transformers`` versions saved with GPT-2 attention.
- Weight-norm pairs (``weight_g``/``weight_v`` or parametrizations) are folded
  into plain weights.
Everything else must match the model exactly; otherwise the error names the keys.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

import torch

from TTS.core.errors import CheckpointError

__all__ = [
    "TRAINER_PREFIX",
    "TRAINING_ONLY_PREFIXES",
    "DUPLICATE_KEY_PATTERNS",
    "read_xtts_state_dict",
    "clean_state_dict",
]

TRAINER_PREFIX = "xtts."
TRAINING_ONLY_PREFIXES: tuple[str, ...] = (
    "dvae.",
    "torch_mel_spectrogram_dvae.",
    "torch_mel_spectrogram_style_encoder.",
)
DUPLICATE_KEY_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^gpt\.gpt_inference\."),
    re.compile(r"^gpt\.gpt\.wte\."),
    re.compile(r"^gpt\.gpt\.h\.\d+\.attn\.(bias|masked_bias)$"),
)


def clean_state_dict(state_dict: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Apply the key table above; returns a new dict (tensors are not copied)."""
    from TTS.core.checkpoint import fold_weight_norm

    cleaned: dict[str, torch.Tensor] = {}
    for key, value in state_dict.items():
        if key.startswith(TRAINER_PREFIX):
            key = key[len(TRAINER_PREFIX) :]
        if key.startswith(TRAINING_ONLY_PREFIXES) or any(p.match(key) for p in DUPLICATE_KEY_PATTERNS):
            continue
        cleaned[key] = value
    return fold_weight_norm(cleaned)


def read_xtts_state_dict(model_path: str | os.PathLike[Any]) -> dict[str, torch.Tensor]:
    """Load ``model.pth`` (released ``{"config", "model"}`` or trainer checkpoint) into memory; never writes it.

    Read, not memory-mapped: the GPT's weights are assigned as the parameters
    (:func:`TTS.tts.layers.xtts.loading.load_weights`), and every decoding step streams all
    1.5 GB of them; from file-backed mapped pages that ran ~15-30% slower than from ordinary
    memory on the development machine (``benchmarks/xtts_speed.py``), for ~0.3 GB less peak RSS.
    """
    from TTS.core.checkpoint import load_checkpoint_file

    checkpoint = load_checkpoint_file(model_path, map_location="cpu", mmap=False)
    if isinstance(checkpoint, Mapping) and isinstance(checkpoint.get("model"), Mapping):
        state = checkpoint["model"]
    elif isinstance(checkpoint, Mapping) and all(isinstance(v, torch.Tensor) for v in checkpoint.values()):
        state = checkpoint
    else:
        raise CheckpointError(
            f"{model_path} does not hold an XTTS state dict (expected a 'model' entry). "
            "Pass the model.pth of an XTTS model folder."
        )
    return clean_state_dict(state)
