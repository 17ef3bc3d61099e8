"""Helpers shared by the Tacotron oracle scripts (``make_spectrogram_refs.py``, ``make_tacotron1_refs.py``).

Imported by those scripts from their own folder (``python tools/oracle/<script>.py`` puts it on
``sys.path``); run with the oracle venv from a folder outside the repository, so that ``TTS`` is
upstream's. Builds upstream models from deterministic weights in the released checkpoint layout,
runs them and writes the ``<case>.json`` / ``<case>.npz`` reference pairs the tests read.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import torch

REPO = Path(__file__).resolve().parents[2]
if Path.cwd().resolve() == REPO or REPO in Path.cwd().resolve().parents:
    sys.exit("Run this from a folder outside the repository (our TTS package would shadow upstream's).")

_spec = importlib.util.spec_from_file_location("parity_weights", REPO / "tests" / "parity" / "weights.py")
weights = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(weights)

#: What ``run_tacotron`` returns from an inference output dict.
OUTPUTS = ("model_outputs", "decoder_outputs", "alignments", "stop_tokens")


def manifest_and_weights(
    model: torch.nn.Module, salt: str, computed_suffixes: Iterable[str] = ()
) -> tuple[dict, dict, list[str]]:
    """Key -> shape manifest, deterministic state dict (computed buffers kept) and the computed keys."""
    state = model.state_dict()
    manifest = {k: list(v.shape) for k, v in state.items()}
    suffixes = tuple(computed_suffixes) + tuple(weights.COMPUTED_BUFFER_SUFFIXES)
    computed = [k for k in state if k.endswith(suffixes)]
    filled = weights.deterministic_state_dict(manifest, skip=computed, salt=salt)
    out = {k: torch.from_numpy(v) for k, v in filled.items()}
    for key in computed:
        out[key] = state[key].clone()
    return manifest, out, computed


def build_from_checkpoint(
    model_class: Any,
    config: Any,
    extra: dict,
    tmp: Path,
    salt: str,
    overrides: dict | None = None,
    computed_suffixes: Iterable[str] = (),
) -> tuple[Any, dict, list[str], Path]:
    """Upstream model loaded through its real loader from a checkpoint in the released layout."""
    model = model_class.init_from_config(config)
    manifest, state, computed = manifest_and_weights(model, salt, computed_suffixes)
    for key, values in (overrides or {}).items():
        state[key] = torch.tensor(values, dtype=torch.float32)
    path = tmp / "model_file.pth"
    torch.save({"model": state, "step": 1000, **extra}, path)
    model.load_checkpoint(config, str(path), eval=True)
    return model, manifest, computed, path


def run_tacotron(model: Any, ids: list[int], aux: dict | None = None, seed: int | None = None) -> dict:
    """Free-running inference on token ``ids``; the :data:`OUTPUTS` of batch item 0 as arrays."""
    if seed is not None:
        torch.manual_seed(seed)
    aux = {"speaker_ids": None, "d_vectors": None, "style_mel": None, "style_text": None, **(aux or {})}
    out = model.inference(torch.tensor([ids], dtype=torch.long), aux_input=aux)
    return {k: out[k][0].detach().numpy() for k in OUTPUTS}


def save(out_dir: Path, case: str, meta: dict, arrays: dict) -> None:
    """Write ``<case>.json`` (meta) and ``<case>.npz`` (float32 arrays) under ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{case}.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n")
    np.savez_compressed(out_dir / f"{case}.npz", **{k: np.asarray(v, dtype=np.float32) for k, v in arrays.items()})
    print(f"wrote {case}: " + ", ".join(f"{k}{tuple(np.shape(v))}" for k, v in arrays.items()))


def style_mel(shape: tuple[int, ...], name: str) -> dict:
    """A reference-mel input, described so the test can rebuild it: deterministic values times 2."""
    return {"deterministic": f"input.{name}", "shape": list(shape), "scale": 2.0}


def decode_input(value: Any, salt: str) -> Any:
    """Tensor for an input description (``deterministic`` array or ``ids`` list); other values as they are."""
    if isinstance(value, dict) and "deterministic" in value:
        array = weights.deterministic_array(value["deterministic"], value["shape"], salt) * value["scale"]
        return torch.from_numpy(array.astype(np.float32))
    if isinstance(value, dict) and "ids" in value:
        return torch.tensor(value["ids"], dtype=torch.long)
    return value
