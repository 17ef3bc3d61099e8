"""Rebuild the oracle's released-layout VITS folders (config.json, model.pth, side files) in a temp dir."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf
import torch

from tests.parity.weights import deterministic_array, deterministic_state_dict

DATA = Path(__file__).resolve().parents[1] / "data" / "parity" / "vits"
CASES = ("single_phonemes", "multispeaker_ids", "yourtts_dvectors", "graphemes")


def load_case(name: str) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    manifest = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    arrays = dict(np.load(DATA / f"{name}.npz"))
    return manifest, arrays


def reference_wav() -> np.ndarray:
    """Same 2 s signal as tools/oracle/make_vits_refs.py."""
    t = np.arange(32000) / 16000
    wav = 0.3 * np.sin(2 * np.pi * 180 * t) + 0.2 * np.sin(2 * np.pi * 430 * t + 0.5) * np.sin(2 * np.pi * 3 * t)
    wav = wav + 0.05 * deterministic_array("ref_wav_noise", (32000,)) / 0.05
    return (wav * 0.5).astype(np.float32)


def _write_encoder(folder: Path, side: dict[str, Any], salt: str) -> None:
    from TTS.core.layers.speaker_encoder import ResNetSpeakerEncoder

    cfg = side["config_se.json"]
    (folder / "config_se.json").write_text(json.dumps(cfg))
    params = cfg["model_params"]
    encoder = ResNetSpeakerEncoder(
        input_dim=params["input_dim"],
        proj_dim=params["proj_dim"],
        log_input=params["log_input"],
        use_torch_spec=True,
        audio_config=cfg["audio"],
    )
    state = encoder.state_dict()  # computed buffers (window, filterbank, pre-emphasis) from our module
    filled = deterministic_state_dict(side["encoder_shapes"], skip=side["encoder_skip"], salt=salt)
    state.update({k: torch.from_numpy(v) for k, v in filled.items()})
    torch.save({"model": state}, folder / "model_se.pth")
    sf.write(folder / "ref.wav", reference_wav(), 16000, subtype="PCM_16")


def build_folder(manifest: dict[str, Any], folder: Path) -> Path:
    """Write config.json, model.pth and the side files; returns the config path."""
    config = manifest["config"]
    args = config["model_args"]
    side = manifest["side_files"]
    salt = manifest["salt"]
    if "speakers.pth" in side:
        torch.save(side["speakers.pth"], folder / "speakers.pth")
        args["speakers_file"] = config["speakers_file"] = str(folder / "speakers.pth")
    if "d_vector_speakers" in side:
        dvecs = {
            f"{spk}_{i}.wav": {
                "name": spk,
                "embedding": deterministic_array(f"dvec.{spk}.{i}", (side["d_vector_dim"],)).tolist(),
            }
            for spk in side["d_vector_speakers"]
            for i in range(2)
        }
        (folder / "speakers.json").write_text(json.dumps(dvecs))
        args["d_vector_file"] = config["d_vector_file"] = [str(folder / "speakers.json")]
    if "language_ids.json" in side:
        (folder / "language_ids.json").write_text(json.dumps(side["language_ids.json"]))
        args["language_ids_file"] = str(folder / "language_ids.json")
    if "config_se.json" in side:
        _write_encoder(folder, side, salt)
        args["speaker_encoder_model_path"] = str(folder / "model_se.pth")
        args["speaker_encoder_config_path"] = str(folder / "config_se.json")
    state = {k: torch.from_numpy(v) for k, v in deterministic_state_dict(manifest["shapes"], salt=salt).items()}
    torch.save({"model": state, "step": 1}, folder / "model.pth")
    (folder / "config.json").write_text(json.dumps(config, ensure_ascii=False))
    return folder / "config.json"


def load_model(name: str, folder: Path) -> tuple[Any, dict[str, Any], dict[str, np.ndarray]]:
    """Our Vits loaded from the rebuilt folder through the real loading path."""
    from TTS.config import load_config
    from TTS.tts.models.vits import Vits

    manifest, arrays = load_case(name)
    config_path = build_folder(manifest, folder)
    config = load_config(str(config_path))
    model = Vits.init_from_config(config)
    model.load_checkpoint(config, str(folder / "model.pth"), eval=True)
    model.inference_noise_scale = 0.0
    model.inference_noise_scale_dp = 0.0
    return model, manifest, arrays


def aux_tensors(manifest: dict[str, Any], length: int) -> dict[str, torch.Tensor]:
    aux: dict[str, torch.Tensor] = {"x_lengths": torch.tensor([length])}
    for key, value in manifest["aux"].items():
        aux[key] = torch.tensor(value, dtype=torch.float32 if key == "d_vectors" else torch.long)
    return aux
