"""Tiny released-layout VITS model folders for end-to-end API and CLI tests.

They are rebuilt from the VITS parity manifests (tests/data/parity/vits) with the
deterministic weight filler, so nothing is downloaded. Tests skip while the VITS
family is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest


def build_vits_folder(root: Path, case: str) -> Path:
    """Write ``config.json`` + ``model.pth`` (+ side files) of parity case ``case`` into ``root/case``."""
    pytest.importorskip("TTS.tts.models.vits")
    fixtures = pytest.importorskip("tests.vits.fixtures")
    manifest, _ = fixtures.load_case(case)
    folder = root / case
    folder.mkdir(parents=True, exist_ok=True)
    fixtures.build_folder(manifest, folder)
    return folder


def build_xtts_folder(root: Path) -> Path:
    """A tiny released-layout XTTS folder (config.json, model.pth, vocab.json, speakers_xtts.pth)."""
    pytest.importorskip("TTS.tts.models.xtts")
    conftest = pytest.importorskip("tests.xtts.conftest")
    import json

    manifest = json.loads((Path(__file__).parents[1] / "data" / "parity" / "xtts" / "manifest.json").read_text())
    return conftest.write_model_folder(root / "xtts", conftest.released_state_dict(manifest))


_SPEC_AUDIO = {
    "sample_rate": 16000,
    "num_mels": 20,
    "fft_size": 256,
    "win_length": 256,
    "hop_length": 64,
    "mel_fmax": 8000.0,
    "do_trim_silence": False,
}


def build_glow_tts_and_hifigan(root: Path, vocoder_rate_hz: int = 22050) -> tuple[Path, Path]:
    """A tiny random GlowTTS folder and a tiny HiFi-GAN folder (different sample rates); returns both folders."""
    pytest.importorskip("TTS.tts.models.glow_tts")
    pytest.importorskip("TTS.vocoder.models.gan")
    import torch

    from TTS.tts.configs.glow_tts_config import GlowTTSConfig
    from TTS.tts.models.glow_tts import GlowTTS
    from TTS.vocoder.configs.hifigan_config import HifiganConfig
    from TTS.vocoder.models.gan import GAN

    tts_dir, voc_dir = root / "glow_tts", root / "hifigan"
    tts_dir.mkdir(parents=True, exist_ok=True)
    voc_dir.mkdir(parents=True, exist_ok=True)
    config = GlowTTSConfig(
        hidden_channels_enc=16,
        hidden_channels_dec=16,
        hidden_channels_dp=16,
        num_flow_blocks_dec=2,
        num_block_layers=2,
        out_channels=20,
        use_phonemes=False,
        text_cleaner="basic_cleaners",
    )
    config.encoder_params = {**config.encoder_params, "num_layers": 1, "hidden_channels_ffn": 16, "num_heads": 2}
    for key, value in _SPEC_AUDIO.items():
        config.audio[key] = value
    torch.manual_seed(0)
    torch.save({"model": GlowTTS.init_from_config(config).state_dict()}, tts_dir / "model.pth")
    config.save_json(tts_dir / "config.json")
    vocoder = HifiganConfig()
    for key, value in {**_SPEC_AUDIO, "sample_rate": vocoder_rate_hz}.items():
        vocoder.audio[key] = value
    vocoder.generator_model_params = {
        **vocoder.generator_model_params,
        "upsample_initial_channel": 16,
        "upsample_factors": [8, 8],
        "upsample_kernel_sizes": [16, 16],
        "resblock_kernel_sizes": [3],
        "resblock_dilation_sizes": [[1, 3]],
    }
    torch.save({"model": GAN.init_from_config(vocoder).state_dict()}, voc_dir / "model.pth")
    vocoder.save_json(voc_dir / "config.json")
    return tts_dir, voc_dir
