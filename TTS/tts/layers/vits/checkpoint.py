"""Checkpoint layouts VITS loads: Coqui's released ``model.pth`` and Fairseq MMS ``G_*.pth``.

Everything here is declarative: which key prefixes inference does not use, and
how Fairseq key names map onto ours.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import torch

from TTS.core.errors import ModelNotFoundError

__all__ = [
    "checkpoint_file",
    "INFERENCE_IGNORED_PREFIXES",
    "FAIRSEQ_KEY_RENAMES",
    "rename_fairseq_keys",
    "clean_state_dict",
    "POSTERIOR_PREFIXES",
    "posterior_state_dict",
]

#: Where checkpoints keep the posterior encoder: Coqui's name, then the original VITS /
#: Fairseq one. Only voice conversion uses it (kept aside by :func:`posterior_state_dict`).
POSTERIOR_PREFIXES: tuple[str, ...] = ("posterior_encoder.", "enc_q.")

#: Parts of released checkpoints text-to-speech does not use (discriminator, posterior
#: encoder, the duration predictor's posterior flows, a baked-in speaker encoder).
INFERENCE_IGNORED_PREFIXES: tuple[str, ...] = (
    "disc.",
    *POSTERIOR_PREFIXES,
    "duration_predictor.post_",
    "speaker_encoder.",
)

#: Fairseq (original VITS) names -> ours. First matching rule wins. Fairseq keeps
#: its Flip layers in the ModuleLists, so only every other index holds weights.
FAIRSEQ_KEY_RENAMES: tuple[tuple[str, str], ...] = (
    (r"^enc_p\.", "text_encoder."),
    (r"^dec\.", "waveform_decoder."),
    (r"^enc_q\.", "posterior_encoder."),
    (r"^flow\.flows\.0\.", "flow.flows.0."),
    (r"^flow\.flows\.2\.", "flow.flows.1."),
    (r"^flow\.flows\.4\.", "flow.flows.2."),
    (r"^flow\.flows\.6\.", "flow.flows.3."),
    (r"^dp\.(post_)?flows\.0\.m$", r"duration_predictor.\1flows.0.translation"),
    (r"^dp\.(post_)?flows\.0\.logs$", r"duration_predictor.\1flows.0.log_scale"),
    (r"^dp\.(post_)?flows\.1\.", r"duration_predictor.\1flows.1."),
    (r"^dp\.(post_)?flows\.3\.", r"duration_predictor.\1flows.2."),
    (r"^dp\.(post_)?flows\.5\.", r"duration_predictor.\1flows.3."),
    (r"^dp\.(post_)?flows\.7\.", r"duration_predictor.\1flows.4."),
    (r"^dp\.", "duration_predictor."),
)
_FAIRSEQ_RULES = [(re.compile(p), r) for p, r in FAIRSEQ_KEY_RENAMES]


def rename_fairseq_keys(state_dict: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Fairseq MMS VITS state dict -> Coqui VITS key names."""
    out = {}
    for key, value in state_dict.items():
        for pattern, replacement in _FAIRSEQ_RULES:
            if pattern.search(key):
                key = pattern.sub(replacement, key, count=1)
                break
        out[key] = value
    return out


def clean_state_dict(state_dict: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Drop training-only keys and fold weight norm into plain weights."""
    from TTS.core.checkpoint import fold_weight_norm

    kept = {k: v for k, v in state_dict.items() if not k.startswith(INFERENCE_IGNORED_PREFIXES)}
    return fold_weight_norm(kept)


def posterior_state_dict(state_dict: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """The posterior encoder's weights with the prefix stripped and weight norm folded (empty if absent).

    ``posterior_encoder.*`` wins over a legacy ``enc_q.*`` copy of the same keys.
    """
    from TTS.core.checkpoint import fold_weight_norm

    found: dict[str, torch.Tensor] = {}
    for prefix in reversed(POSTERIOR_PREFIXES):
        found.update({k[len(prefix) :]: v for k, v in state_dict.items() if k.startswith(prefix)})
    return fold_weight_norm(found) if found else {}


def checkpoint_file(path: str | os.PathLike[Any] | None, folder: str | os.PathLike[Any] | None) -> Path:
    """The checkpoint file from a file path, or the one ``*.pth`` in a folder (``model.pth`` preferred)."""
    target = Path(path if path is not None else folder or "")
    if not target.is_dir():
        return target
    if (target / "model.pth").is_file():
        return target / "model.pth"
    found = sorted(target.glob("*.pth"))
    if len(found) != 1:
        raise ModelNotFoundError(f"Expected one model.pth (or a single *.pth) in {target}, found {len(found)}.")
    return found[0]
