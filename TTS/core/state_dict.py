"""State-dict utilities every model loader uses: weight-norm folding and strict loading.

``fold_weight_norm`` turns legacy ``weight_g``/``weight_v`` pairs (and torch's
``parametrizations.weight.original0/1``) into the plain ``weight`` our modules
hold; ``load_state_dict_strict`` applies a family's declarative key renames and
names every missing or unexpected key in its error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import torch
from torch import nn

from TTS.core.errors import CheckpointError

__all__ = ["RenameRule", "fold_weight_norm", "load_state_dict_strict", "load_weights"]


_WN_SUFFIXES = (
    (".weight_g", ".weight_v"),
    (".parametrizations.weight.original0", ".parametrizations.weight.original1"),
)


def _fuse(g: torch.Tensor, v: torch.Tensor, dim: int | None) -> torch.Tensor:
    """weight = g * v / ||v||, the norm taken over every dim of ``v`` except ``dim`` (all dims if None)."""
    compute = v.float() if v.dtype in (torch.float16, torch.bfloat16) else v
    if dim is None:
        norm = compute.norm()
    else:
        dim = dim % v.dim()
        others = [d for d in range(v.dim()) if d != dim]
        norm = compute.norm(2, dim=others, keepdim=True) if others else compute.abs()
    return (compute * (g.to(compute.dtype) / norm)).to(v.dtype)


def fold_weight_norm(
    state_dict: Mapping[str, torch.Tensor], dims: Mapping[str, int | None] | None = None
) -> dict[str, torch.Tensor]:
    """Fuse weight-norm pairs into plain weights; returns a new dict (input untouched).

    ``X.weight_g`` + ``X.weight_v`` (legacy ``weight_norm``) and
    ``X.parametrizations.weight.original0`` + ``original1`` (parametrize) become
    ``X.weight``. The norm is over every dim except 0 unless ``dims`` maps the
    module path ``X`` to another dim (or None for the whole tensor).
    """
    dims = dims or {}
    out: dict[str, torch.Tensor] = {}
    consumed: set[str] = set()
    for key, value in state_dict.items():
        if key in consumed:
            continue
        pair = _weight_norm_pair(key, state_dict)
        if pair is None:
            out[key] = value
            continue
        base, g_key, v_key = pair
        consumed.update((g_key, v_key))
        out[base + ".weight"] = _fuse(state_dict[g_key], state_dict[v_key], dims.get(base, 0))
    return out


def _weight_norm_pair(key: str, state_dict: Mapping[str, torch.Tensor]) -> tuple[str, str, str] | None:
    """(module path, g key, v key) when ``key`` is one half of a stored weight-norm pair."""
    for g_suffix, v_suffix in _WN_SUFFIXES:
        for suffix in (g_suffix, v_suffix):
            if key.endswith(suffix):
                base = key[: -len(suffix)]
                if base + g_suffix in state_dict and base + v_suffix in state_dict:
                    return base, base + g_suffix, base + v_suffix
    return None


RenameRule = Mapping["str | re.Pattern[str]", str]


def _rename_key(key: str, rename: RenameRule | None) -> str:
    if not rename:
        return key
    for pattern, replacement in rename.items():
        if isinstance(pattern, re.Pattern):
            key = pattern.sub(replacement, key, count=1)
        elif key.startswith(pattern):
            key = replacement + key[len(pattern) :]
    return key


def _key_list(keys: Iterable[str], limit: int = 12) -> str:
    keys = sorted(keys)
    shown = ", ".join(keys[:limit])
    return shown + (f", ... ({len(keys) - limit} more)" if len(keys) > limit else "")


def load_state_dict_strict(
    module: nn.Module,
    state_dict: Mapping[str, torch.Tensor],
    ignore_prefixes: Iterable[str] = (),
    rename: RenameRule | None = None,
    *,
    assign: bool = False,
) -> nn.Module:
    """Load ``state_dict`` into ``module``; every key must match in name and shape.

    Args:
        rename: declarative key renames applied in order to every key: a ``str``
            is a prefix replaced by the value; a compiled ``re.Pattern`` is
            substituted once (``pattern.sub(value, key, count=1)``).
        ignore_prefixes: keys (before or after renaming) starting with one of these
            are dropped, e.g. training-only parts such as ``"dvae."``.
        assign: make the module's tensors *be* the checkpoint's tensors instead of copying
            into them (``nn.Module.load_state_dict(assign=True)``). With a memory-mapped
            checkpoint on CPU this loads a model without a second copy of its weights.

    Raises:
        CheckpointError: naming the missing, unexpected and mis-shaped keys.
    """
    prefixes = tuple(ignore_prefixes)
    renamed: dict[str, torch.Tensor] = {}
    for key, value in state_dict.items():
        new_key = _rename_key(key, rename)
        if prefixes and (key.startswith(prefixes) or new_key.startswith(prefixes)):
            continue
        renamed[new_key] = value
    expected = module.state_dict()
    if expected and not any(isinstance(v, torch.Tensor) for v in state_dict.values()):
        raise CheckpointError(
            f"The checkpoint holds no model weights for {type(module).__name__} (no tensors at all): the file is "
            "not a trained model or was saved without them. Download or export the model again."
        )
    missing = set(expected) - set(renamed)
    unexpected = set(renamed) - set(expected)
    mis_shaped = [
        f"{k} (checkpoint {tuple(renamed[k].shape)}, model {tuple(expected[k].shape)})"
        for k in sorted(set(expected) & set(renamed))
        if tuple(renamed[k].shape) != tuple(expected[k].shape)
    ]
    problems = []
    if missing:
        problems.append(f"missing keys: {_key_list(missing)}")
    if unexpected:
        problems.append(f"unexpected keys: {_key_list(unexpected)}")
    if mis_shaped:
        problems.append(f"shape mismatches: {_key_list(mis_shaped, 6)}")
    if problems:
        raise CheckpointError(
            f"Checkpoint does not match {type(module).__name__} ({'; '.join(problems)}). "
            "Check that the config belongs to this checkpoint."
        )
    module.load_state_dict(renamed, strict=True, assign=assign)
    return module


def load_weights(
    module: nn.Module,
    state_dict: Mapping[str, torch.Tensor],
    *,
    strict: bool = True,
    ignore_prefixes: Iterable[str] = (),
) -> None:
    """The ``strict`` switch of the models' ``load_checkpoint``: :func:`load_state_dict_strict`, or a lenient
    ``load_state_dict(strict=False)`` of the keys outside ``ignore_prefixes``."""
    prefixes = tuple(ignore_prefixes)
    if strict:
        load_state_dict_strict(module, state_dict, ignore_prefixes=prefixes)
    else:
        kept = {k: v for k, v in state_dict.items() if not (prefixes and k.startswith(prefixes))}
        module.load_state_dict(kept, strict=False)
