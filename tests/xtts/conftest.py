"""Shared XTTS test fixtures: the tiny released-layout model folder and the loaded model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import torch

from tests.xtts import fixture
from TTS.tts.configs.xtts_config import XttsConfig


def tiny_config() -> XttsConfig:
    config = XttsConfig()
    for key, value in fixture.TINY_ARGS.items():
        setattr(config.model_args, key, value)
    return config


class FixedTokens:
    """Tokenizer stand-in: every sentence becomes the fixture's token ids (as in the oracle script)."""

    char_limits = {"en": 250}

    def encode(self, txt: str, lang: str) -> list[int]:
        return list(fixture.TEXT_TOKENS)


@pytest.fixture(scope="session")
def manifest() -> dict:
    return json.loads((fixture.DATA / "manifest.json").read_text())


@pytest.fixture(scope="session")
def refs() -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for name in ("refs.npz", "refs_wav.npz", "refs_stream.npz"):
        with np.load(fixture.DATA / name) as data:
            out.update({k: data[k] for k in data.files})
    return out


def released_state_dict(manifest: dict) -> dict[str, torch.Tensor]:
    """The oracle's checkpoint, rebuilt from the manifest; computed buffers come from our model."""
    from TTS.tts.models.xtts import Xtts

    ours = Xtts(tiny_config()).state_dict()
    computed = {k: v.numpy() for k, v in ours.items()}
    state = fixture.fixture_state_dict(manifest["keys"], computed)
    return {k: torch.from_numpy(np.array(v, copy=True)) for k, v in state.items()}


def write_model_folder(folder: Path, state: dict[str, torch.Tensor], prefix: str = "", speakers: bool = True) -> Path:
    """A released-style folder: config.json, model.pth ({"config", "model"}), vocab.json, speakers_xtts.pth."""
    folder.mkdir(parents=True, exist_ok=True)
    config = tiny_config()
    (folder / "config.json").write_text(json.dumps(config.to_dict()))
    torch.save({"config": config, "model": {prefix + k: v for k, v in state.items()}}, folder / "model.pth")
    (folder / "vocab.json").write_text(fixture.vocab_json())
    if speakers:
        cond = torch.from_numpy(np.random.default_rng(3).standard_normal((1, 32, 256)).astype(np.float32))
        spk = torch.from_numpy(fixture.fixed_speaker_embedding())
        torch.save({"Ana Florence": {"gpt_cond_latent": cond, "speaker_embedding": spk}}, folder / "speakers_xtts.pth")
    return folder


@pytest.fixture(scope="session")
def model_folder(tmp_path_factory, manifest) -> Path:
    return write_model_folder(tmp_path_factory.mktemp("xtts_tiny"), released_state_dict(manifest))


@pytest.fixture(scope="session")
def loaded_model(model_folder):
    from TTS.tts.models.xtts import Xtts

    config = tiny_config()
    model = Xtts.init_from_config(config)
    model.load_checkpoint(config, checkpoint_dir=str(model_folder), eval=True)
    return model


@pytest.fixture(scope="session")
def reference_files(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("xtts_refs")
    ref_a, ref_b = folder / "ref_a.wav", folder / "ref_b.wav"
    sf.write(ref_a, fixture.reference_audio(4.5), fixture.REFERENCE_RATE_HZ, subtype="FLOAT")
    sf.write(ref_b, fixture.reference_audio(1.5, 16000, seed=8), 16000, subtype="FLOAT")
    return ref_a, ref_b


@pytest.fixture
def captured_codes(monkeypatch) -> list[torch.Tensor]:
    """The codes (1, T) of every ``generate`` call the XTTS model makes during the test, in order."""
    import TTS.tts.models.xtts as xtts_module
    from TTS.tts.layers.xtts import generation

    captured: list[torch.Tensor] = []

    def capture(*args, **kwargs):
        codes, latents = generation.generate(*args, **kwargs)
        captured.append(codes)
        return codes, latents

    monkeypatch.setattr(xtts_module, "generate", capture)
    return captured
