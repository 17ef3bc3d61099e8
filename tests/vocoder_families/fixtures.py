"""Tiny vocoders in the released layout, rebuilt from the manifests written by tools/oracle/make_vocoder_refs.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import torch

from tests.parity.weights import deterministic_state_dict

DATA = Path(__file__).resolve().parents[1] / "data" / "parity" / "vocoders"
GAN_CASES = ["melgan", "multiband_melgan", "fullband_melgan", "parallel_wavegan", "univnet"]
CASES = [*GAN_CASES, "wavegrad", "wavernn", "wavernn_bits"]


def manifest(case: str) -> dict[str, Any]:
    return json.loads((DATA / f"{case}.json").read_text())


def references(case: str) -> dict[str, np.ndarray]:
    with np.load(DATA / f"{case}.npz") as refs:
        return {k: refs[k] for k in refs.files}


def write_released_folder(case: str, folder: Path) -> tuple[Path, Path]:
    """Write ``config.json`` and a released-layout ``model.pth`` for ``case``; return their paths.

    Computed buffers (PQMF filters, BatchNorm step counters) come from our own model,
    as the oracle took them from upstream's.
    """
    from TTS.vocoder.models import setup_model

    info = manifest(case)
    config_path = folder / "config.json"
    config_path.write_text(json.dumps(info["config"]))
    from TTS.config import load_config

    own = setup_model(load_config(str(config_path))).state_dict()
    filled = deterministic_state_dict(info["shapes"], skip=info["computed_keys"], salt=info["salt"])
    state = {k: torch.from_numpy(v) for k, v in filled.items()}
    for key in info["shapes"]:
        if key not in state:
            state[key] = own[key].clone()
    ckpt = folder / "model.pth"
    torch.save({"model": state, "config": info["config"], "step": 1, "epoch": 0, "model_loss": 0.5}, ckpt)
    return config_path, ckpt


def load_released(case: str, folder: Path) -> tuple[Any, torch.nn.Module]:
    """Our real loading path: ``load_config`` -> ``setup_model`` -> ``load_checkpoint(eval=True)``."""
    from TTS.config import load_config
    from TTS.vocoder.models import setup_model

    config_path, ckpt = write_released_folder(case, folder)
    config = load_config(str(config_path))
    model = setup_model(config)
    model.load_checkpoint(config, str(ckpt), eval=True)
    return config, model
