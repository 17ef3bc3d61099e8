"""Rebuild the oracle's released-layout Tacotron2 / HiFi-GAN folders from the committed manifests.

``tools/oracle/make_spectrogram_refs.py`` wrote, per case, the config, the key -> shape
manifest of the released checkpoint layout, the overrides it applied (stop net) and
the reference outputs. Here the same deterministic weights are rebuilt, saved in the
released file layout and loaded through our real loaders.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import numpy as np
import torch

from tests.parity.weights import deterministic_array

DATA = Path(__file__).resolve().parents[1] / "data" / "parity" / "spectrogram"
# Decoders trained alongside the main one (DDC, backward decoder) never run at inference: zeros keep the
# tests fast without changing any output.
UNUSED_AT_INFERENCE = ("coarse_decoder.", "decoder_backward.")


def load_case(name: str) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    meta = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    return meta, dict(np.load(DATA / f"{name}.npz"))


@functools.lru_cache(maxsize=1024)
def _array(key: str, shape: tuple[int, ...], salt: str) -> np.ndarray:
    array = deterministic_array(key, shape, salt)
    array.setflags(write=False)
    return array


def released_state(
    manifest: dict[str, list[int]],
    salt: str,
    computed: dict[str, torch.Tensor] | None = None,
    overrides: dict[str, list] | None = None,
    zero_prefixes: tuple[str, ...] = (),
) -> dict[str, torch.Tensor]:
    """Deterministic weights for every manifest key; ``computed`` buffers come from our model."""
    computed = computed or {}
    overrides = overrides or {}
    state: dict[str, torch.Tensor] = {}
    for key, shape in manifest.items():
        if key.startswith(zero_prefixes) and key not in computed:
            state[key] = torch.zeros(shape)
        elif key in overrides:
            state[key] = torch.tensor(overrides[key], dtype=torch.float32).reshape(shape)
        elif key in computed:
            state[key] = computed[key].clone()
        else:
            state[key] = torch.from_numpy(_array(key, tuple(shape), salt).copy())
    return state


def write_config(config: dict[str, Any], folder: Path, **audio: Any) -> Path:
    config = json.loads(json.dumps(config))
    config["audio"].update(audio)
    path = folder / "config.json"
    path.write_text(json.dumps(config, indent=1), encoding="utf-8")
    return path


def decode_input(value: Any, salt: str) -> Any:
    """The oracle's input descriptions: deterministic arrays, token id lists, or plain values."""
    if isinstance(value, dict) and "deterministic" in value:
        array = deterministic_array(value["deterministic"], value["shape"], salt) * value["scale"]
        return torch.from_numpy(array.astype(np.float32))
    if isinstance(value, dict) and "ids" in value:
        return torch.tensor(value["ids"], dtype=torch.long)
    return value


def build_tacotron_folder(
    meta: dict[str, Any], folder: Path, *, overrides: dict[str, list] | None = None, stats: bool = False
) -> tuple[Path, Path]:
    """Write ``config.json`` and ``model_file.pth`` (and ``scale_stats.npy``) for a Tacotron2 case.

    Returns (checkpoint, config). Computed buffers (BN counters, DCA prior) come from our model.
    """
    from TTS.config import load_config

    folder.mkdir(parents=True, exist_ok=True)
    audio = {}
    if stats:
        write_stats(folder / "scale_stats.npy")
        audio["stats_path"] = "/home/someone/.local/share/tts/old_place/scale_stats.npy"  # stale, as released
    config_path = write_config(meta["config"], folder, **audio)
    computed = computed_buffers(meta["computed"], load_config(config_path))
    state = released_state(
        meta["manifest"],
        meta["salt"],
        computed,
        meta["overrides"] if overrides is None else overrides,
        zero_prefixes=UNUSED_AT_INFERENCE,
    )
    checkpoint = folder / "model_file.pth"
    torch.save({"model": state, "step": 1000, **meta["checkpoint"]}, checkpoint)
    return checkpoint, config_path


def computed_buffers(keys: list[str], config: Any) -> dict[str, torch.Tensor]:
    """Our values of the buffers a module computes itself (BN batch counters, the DCA prior filter)."""
    from TTS.tts.layers.tacotron.attentions import MonotonicDynamicConvolutionAttention

    out: dict[str, torch.Tensor] = {}
    for key in keys:
        if key.endswith("num_batches_tracked"):
            out[key] = torch.tensor(0, dtype=torch.long)
        elif key.endswith(".attention.prior"):
            out[key] = MonotonicDynamicConvolutionAttention(8, 8, 8, 8, 21, 8, 21).prior.clone()
        else:
            raise KeyError(f"no recipe for computed buffer {key}")
    return out


def stats_arrays() -> dict[str, np.ndarray]:
    """The normalisation statistics the oracle used for the synthesizer case."""
    return {
        "mel_mean": np.linspace(-40.0, -10.0, 80, dtype=np.float32),
        "mel_std": np.linspace(8.0, 14.0, 80, dtype=np.float32),
        "linear_mean": np.linspace(-45.0, -15.0, 513, dtype=np.float32),
        "linear_std": np.linspace(9.0, 13.0, 513, dtype=np.float32),
    }


def write_stats(path: Path) -> None:
    np.save(path, {**stats_arrays(), "audio_config": {"sample_rate": 22050}}, allow_pickle=True)


def build_vocoder_folder(folder: Path, *, layout: str = "old", **audio: Any) -> tuple[Path, Path]:
    """``config.json`` + ``model_file.pth`` of the HiFi-GAN v2 case.

    ``layout="old"``: ``{"model": generator, "model_disc": ...}`` (legacy weight_g/weight_v);
    ``"new"``: ``{"model": {"model_g.*", "model_d.*"}}``.
    """
    meta, _ = load_case("hifigan_v2")
    folder.mkdir(parents=True, exist_ok=True)
    config_path = write_config(meta["config"], folder, **audio)
    generator = released_state(meta["manifest"], meta["salt"])
    if layout == "old":
        payload = {"model": generator, "model_disc": {"disc.weight": torch.zeros(1)}, "step": 1}
    else:
        model = {f"model_g.{k}": v for k, v in generator.items()}
        model["model_d.discriminators.0.convs.0.weight"] = torch.zeros(2, 1, 3)  # ignored by name
        payload = {"model": model, "step": 1}
    checkpoint = folder / "model_file.pth"
    torch.save(payload, checkpoint)
    return checkpoint, config_path


def vocoder_input(meta: dict[str, Any]) -> torch.Tensor:
    mel = deterministic_array(meta["mel_key"], meta["mel_shape"], meta["salt"].removesuffix("-hifigan"))
    return torch.from_numpy((mel * meta["mel_scale"]).astype(np.float32))
