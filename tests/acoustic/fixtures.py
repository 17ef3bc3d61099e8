"""Rebuild the oracle's released-layout acoustic model folders (config.json, model.pth, side files)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import torch

from tests.parity.weights import deterministic_state_dict

DATA = Path(__file__).resolve().parents[1] / "data" / "parity" / "acoustic"
CASES = (
    "glow_single",
    "glow_noise",
    "glow_multi",
    "fast_pitch",
    "fast_pitch_multi",
    "fastspeech2",
    "speedy_speech",
    "fast_speech_relpos_wavenet",
    "overflow",
    "neuralhmm",
    "neuralhmm_stochastic",
)


def load_case(name: str) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    manifest = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    arrays = dict(np.load(DATA / f"{name}.npz"))
    return manifest, arrays


def _set_everywhere(config: dict[str, Any], key: str, value: Any) -> None:
    for target in (config, config.get("model_args") or {}):
        if key in target:
            target[key] = value


def build_folder(manifest: dict[str, Any], folder: Path) -> tuple[Path, Path]:
    """Write config.json, model.pth and side files; returns (checkpoint path, config path).

    Weights are the deterministic ones the oracle used; computed buffers (positional
    table, BatchNorm counters) come from our own freshly built model.
    """
    from TTS.config import load_config
    from TTS.families import get_family

    folder.mkdir(parents=True, exist_ok=True)
    config = json.loads(json.dumps(manifest["config"]))
    for name, content in manifest["side_files"].items():
        (folder / name).write_text(json.dumps(content))
        if name == "speakers.json":
            _set_everywhere(config, "speakers_file", str(folder / name))
    if manifest.get("stats"):
        # the training statistics file of a released OverFlow / Neural-HMM folder (unused at inference)
        torch.save(manifest["stats"], folder / "mel_statistics.pth")
        config["mel_statistics_parameter_path"] = str(folder / "mel_statistics.pth")
    config_path = folder / "config.json"
    config_path.write_text(json.dumps(config, ensure_ascii=False))

    fresh = get_family(config["model"]).load_model_class().init_from_config(load_config(str(config_path)))
    own = fresh.state_dict()
    state = {
        k: torch.from_numpy(v)
        for k, v in deterministic_state_dict(
            manifest["shapes"], skip=manifest["computed"], salt=manifest["salt"]
        ).items()
    }
    for key, value in (manifest.get("stats") or {}).items():
        if key in manifest["shapes"]:
            state[key] = torch.tensor(value, dtype=torch.float32)
    for key in manifest["shapes"]:
        if key not in state:
            state[key] = own[key].clone()
    checkpoint = folder / "model.pth"
    torch.save({"model": state, "step": 1, "epoch": 1}, checkpoint)
    return checkpoint, config_path


def load_model(name: str, folder: Path) -> tuple[Any, dict[str, Any], dict[str, np.ndarray]]:
    """Our model loaded from the rebuilt folder through the real loading path."""
    from TTS.config import load_config
    from TTS.families import get_family

    manifest, arrays = load_case(name)
    checkpoint, config_path = build_folder(manifest, folder)
    config = load_config(str(config_path))
    model = get_family(config.model).load_model_class().init_from_config(config)
    model.load_checkpoint(config, checkpoint_path=str(checkpoint), eval=True)
    return model, manifest, arrays


def aux_tensors(manifest: dict[str, Any], length: int) -> dict[str, Any]:
    aux: dict[str, Any] = {"x_lengths": torch.tensor([length]), "speaker_ids": None, "d_vectors": None}
    for key, value in manifest["aux"].items():
        aux[key] = torch.tensor(value)
    return aux
