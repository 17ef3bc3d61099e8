"""Deterministic checkpoint weights, computed from tensor key names.

Both the upstream oracle scripts (``tools/oracle/``, run in a scratch venv with
``coqui-tts``) and our parity tests call :func:`deterministic_tensor`, so a
checkpoint can be rebuilt bit for bit on either side without committing a
weight file. Only numpy is needed here, so the oracle venv can import it too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["key_seed", "deterministic_array", "deterministic_state_dict", "COMPUTED_BUFFER_SUFFIXES"]

# Buffers that a module computes from its config (windows, filterbanks,
# statistics): they are taken from the model, never filled at random.
COMPUTED_BUFFER_SUFFIXES: tuple[str, ...] = (
    ".window",
    ".fb",
    ".mel_basis",
    ".num_batches_tracked",
)


def key_seed(key: str, salt: str = "") -> int:
    """64-bit seed from a key name (stable across Python runs, unlike ``hash``)."""
    digest = hashlib.sha256((salt + key).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "little")


def deterministic_array(key: str, shape: Sequence[int], salt: str = "") -> np.ndarray:
    """A float32 array for ``key`` with a scale that keeps activations sane.

    - weight-norm gains (``*.weight_g``, ``*.original0``): ``|N(0,1)| * 0.5 + 0.5``;
    - other tensors with >= 2 dims: ``N(0, 1/sqrt(fan_in))``, fan_in = prod(shape[1:]);
    - 1-D ``*.weight`` / ``*.gamma`` / ``running_var`` (norm scales): ``1 + 0.05 N(0,1)``;
    - other 1-D tensors (biases, ``running_mean``, embeddings-as-vectors): ``0.05 N(0,1)``.
    """
    shape = tuple(int(s) for s in shape)
    rng = np.random.Generator(np.random.PCG64(key_seed(key, salt)))
    noise = rng.standard_normal(shape if shape else (1,)).astype(np.float64)
    if key.endswith((".weight_g", ".original0")):
        out = np.abs(noise) * 0.5 + 0.5
    elif len(shape) >= 2:
        fan_in = int(np.prod(shape[1:])) or 1
        out = noise / np.sqrt(fan_in)
    elif key.endswith((".weight", ".gamma", "running_var", ".scale")):
        out = 1.0 + 0.05 * noise
    else:
        out = 0.05 * noise
    return out.astype(np.float32).reshape(shape)


def deterministic_state_dict(
    shapes: Mapping[str, Sequence[int]],
    skip: Iterable[str] = (),
    salt: str = "",
) -> dict[str, np.ndarray]:
    """Fill every key of ``shapes`` except computed buffers and ``skip``."""
    skipped = set(skip)
    return {
        key: deterministic_array(key, shape, salt)
        for key, shape in shapes.items()
        if key not in skipped and not key.endswith(COMPUTED_BUFFER_SUFFIXES)
    }


def legacy_weight_norm_key(key: str) -> str:
    """A parametrized weight-norm key (``.parametrizations.weight.original0/1``, as torch >= 2.1 names
    them) under the ``.weight_g`` / ``.weight_v`` name that released checkpoints use; other keys as is."""
    return key.replace(".parametrizations.weight.original0", ".weight_g").replace(
        ".parametrizations.weight.original1", ".weight_v"
    )


def legacy_shapes(state_dict: Mapping[str, Any]) -> dict[str, list[int]]:
    """Key -> shape of a module's state dict, with weight-norm keys under their released names."""
    return {legacy_weight_norm_key(k): list(v.shape) for k, v in state_dict.items()}
