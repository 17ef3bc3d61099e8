"""Tacotron (v1) around the parity core: linear output in the pipeline, statistics, vocoders, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from tests.tacotron.fixtures import build_tacotron_folder, build_vocoder_folder, stats_arrays
from TTS.core.errors import InvalidInputError
from TTS.families import get_family
from TTS.tts.configs.tacotron_config import TacotronConfig
from TTS.tts.models.tacotron import Tacotron
from TTS.utils.synthesizer import Synthesizer

DATA = Path(__file__).resolve().parents[1] / "data" / "parity" / "tacotron1"


def _meta() -> dict:
    return json.loads((DATA / "tacotron1_ddc.json").read_text(encoding="utf-8"))


def _config(**kwargs) -> TacotronConfig:
    config = TacotronConfig(text_cleaner="english_cleaners", r=2, max_decoder_steps=5, **kwargs)
    config.audio.update({"do_trim_silence": False, "griffin_lim_iters": 5, "spec_gain": 20})
    return config


@pytest.fixture(scope="module")
def model() -> Tacotron:
    torch.manual_seed(0)
    model = Tacotron(_config()).eval()
    with torch.no_grad():
        model.decoder.stopnet.linear.bias.fill_(-40.0)  # run to the bound: max_decoder_steps + 1 steps
    return model


def test_registered_as_a_spectrogram_family():
    family = get_family("tacotron")
    assert family.needs_vocoder and family.load_model_class() is Tacotron


def test_synthesize_returns_the_linear_spectrogram_and_griffin_lim(model):
    out = model.synthesize("Hello world.")
    assert out["wav"] is None and out["mel"].dtype == np.float32 and out["mel"].shape == (513, 12)
    normalised = out["outputs"]["model_outputs"][0].numpy().T
    np.testing.assert_allclose(model.ap.normalize(out["mel"]), normalised, atol=1e-4, rtol=0)
    np.random.seed(0)
    wav = model.synthesize("Hello world.", use_griffin_lim=True)["wav"]
    np.random.seed(0)
    assert np.array_equal(wav, np.asarray(model.ap.inv_spectrogram(normalised), dtype=np.float32))
    assert wav.dtype == np.float32 and len(wav) == (12 - 1) * model.ap.hop_length  # istft without centring pad


def test_linear_statistics_denormalise_the_output(tmp_path):
    """Upstream raises here (it expects fft_size / 2 linear bins, there are fft_size / 2 + 1)."""
    checkpoint, config_path = build_tacotron_folder(_meta(), tmp_path, stats=True)
    synth = Synthesizer(tts_checkpoint=checkpoint, tts_config_path=config_path)
    wav = np.asarray(synth.tts("Hello world."), dtype=np.float32)
    assert len(wav) > 10000 and np.isfinite(wav).all() and np.abs(wav).max() > 0
    out = synth.tts_model.synthesize("Hello world.")
    stats = stats_arrays()
    frames = out["outputs"]["model_outputs"][0].numpy().T
    want = frames * stats["linear_std"][:, None] + stats["linear_mean"][:, None]
    np.testing.assert_allclose(out["mel"], want, atol=1e-3, rtol=1e-5)


def test_mel_vocoder_is_refused_with_advice(tmp_path):
    checkpoint, config_path = build_tacotron_folder(_meta(), tmp_path / "tts")
    vocoder, vocoder_config = build_vocoder_folder(tmp_path / "vocoder")
    with pytest.raises(InvalidInputError, match="linear spectrogram.*Griffin-Lim"):
        Synthesizer(
            tts_checkpoint=checkpoint,
            tts_config_path=config_path,
            vocoder_checkpoint=vocoder,
            vocoder_config=vocoder_config,
        )


@pytest.mark.parametrize("text", ["", "  "])
def test_empty_text(model, text):
    with pytest.raises(InvalidInputError, match="empty"):
        model.synthesize(text)


def test_multi_speaker_config_is_refused():
    with pytest.raises(InvalidInputError, match="Multi-speaker"):
        Tacotron(_config(use_speaker_embedding=True))


@pytest.mark.parametrize("memory_size", [-1, 1, 5])
def test_teacher_forced_forward_shapes(memory_size):
    torch.manual_seed(0)
    model = Tacotron(_config(memory_size=memory_size)).eval()
    ids = torch.tensor([model.tokenizer.text_to_ids("Hello world.")])
    with torch.no_grad():
        out = model.forward(ids, torch.tensor([ids.shape[1]]), torch.randn(1, 8, 80))
    assert out["model_outputs"].shape == (1, 8, 513) and out["decoder_outputs"].shape == (1, 8, 80)
    assert out["alignments"].shape == (1, 4, ids.shape[1]) and out["stop_tokens"].shape == (1, 4)
