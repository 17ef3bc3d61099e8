"""Tacotron2 behaviour around the parity core: loading variants, style inputs, bad input."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
import torch

from TTS.core.errors import CheckpointError, InvalidInputError
from TTS.families import get_family
from TTS.tts.configs.shared_configs import CapacitronVAEConfig, GSTConfig
from TTS.tts.configs.tacotron2_config import Tacotron2Config
from TTS.tts.models.tacotron2 import Tacotron2


def _config(**kwargs) -> Tacotron2Config:
    config = Tacotron2Config(text_cleaner="english_cleaners", r=2, max_decoder_steps=6, **kwargs)
    config.audio.do_trim_silence = False
    return config


def _model(**kwargs) -> Tacotron2:
    torch.manual_seed(0)
    model = Tacotron2(_config(**kwargs)).eval()
    with torch.no_grad():
        model.decoder.stopnet[1].linear_layer.bias.fill_(-40.0)  # run to max_decoder_steps
    return model


@pytest.fixture(scope="module")
def plain() -> Tacotron2:
    return _model()


@pytest.fixture(scope="module")
def style_wav(tmp_path_factory):
    path = tmp_path_factory.mktemp("style") / "style.wav"
    t = np.arange(22050) / 22050
    sf.write(path, (0.3 * np.sin(2 * np.pi * 220 * t) * np.sin(2 * np.pi * 2 * t)).astype(np.float32), 22050)
    return path


def test_registered_as_a_spectrogram_family():
    family = get_family("tacotron2")
    assert family.needs_vocoder and family.load_model_class() is Tacotron2


def test_synthesize_returns_the_denormalised_mel(plain):
    out = plain.synthesize("Hello world.")
    mel = out["mel"]
    assert mel.dtype == np.float32 and mel.shape == (80, 12)
    np.testing.assert_allclose(plain.ap.normalize(mel), out["outputs"]["model_outputs"][0].numpy().T, atol=1e-4, rtol=0)


@pytest.mark.parametrize("text", ["", "  "])
def test_empty_text(plain, text):
    with pytest.raises(InvalidInputError, match="empty"):
        plain.synthesize(text)


def test_speaker_for_single_speaker_model(plain):
    with pytest.raises(InvalidInputError, match="single speaker"):
        plain.synthesize("Hello.", speaker="p225")


def test_multi_speaker_config_is_refused():
    with pytest.raises(InvalidInputError, match="Multi-speaker"):
        Tacotron2(_config(use_speaker_embedding=True))


def test_checkpoint_variants(plain, tmp_path):
    state = plain.state_dict()
    # pre-BatchNorm-counter files, numpy scalars from the trainer, r from the stored config
    old = {k: v for k, v in state.items() if not k.endswith("num_batches_tracked")}
    path = tmp_path / "model_file.pth"
    torch.save({"model": old, "config": {"r": 1}, "model_loss": np.float64(0.25), "epoch": np.int64(3)}, path)
    model = Tacotron2(_config())
    model.load_checkpoint(_config(), path, eval=True)
    assert model.decoder.r == 1 and not model.training
    torch.save({"optimizer": {}}, path)
    with pytest.raises(CheckpointError, match="not a Tacotron checkpoint"):
        model.load_checkpoint(_config(), path)
    torch.save({"model": {k: v for k, v in state.items() if not k.startswith("postnet.")}}, path)
    with pytest.raises(CheckpointError, match="postnet"):
        model.load_checkpoint(_config(), path)


def test_gst_style_from_wav_and_weights(style_wav):
    model = _model(use_gst=True, gst=GSTConfig())
    plain = model.synthesize("Hello world.")["mel"]
    from_wav = model.synthesize("Hello world.", style_wav=str(style_wav))["mel"]
    from_weights = model.synthesize("Hello world.", style_wav={"0": 0.3, "4": -0.2})["mel"]
    assert not np.allclose(plain, from_wav) and not np.allclose(plain, from_weights)
    # the reference encoder reads (1, T, C) frames, as in training
    seen = {}

    def record(module, inputs, output):
        seen["shape"] = inputs[0].shape

    hook = model.gst_layer.encoder.register_forward_hook(record)
    model.synthesize("Hello world.", style_wav=str(style_wav))
    hook.remove()
    assert seen["shape"][0] == 1 and seen["shape"][2] == 80


def test_capacitron_style_wav_and_text(style_wav):
    model = _model(use_capacitron_vae=True, capacitron_vae=CapacitronVAEConfig(), prenet_type="bn")
    torch.manual_seed(3)
    a = model.synthesize("Hello world.", style_wav=str(style_wav), style_text="A reference.")["mel"]
    torch.manual_seed(3)
    b = model.synthesize("Hello world.", style_wav=str(style_wav), style_text="A reference.")["mel"]
    np.testing.assert_array_equal(a, b)  # seeded posterior sample
    prior = model.synthesize("Hello world.")["mel"]  # no reference: a prior sample
    assert prior.shape == a.shape


def test_teacher_forced_forward_matches_free_running_shapes(plain):
    ids = torch.tensor([plain.tokenizer.text_to_ids("Hello world.")])
    mel = torch.randn(1, 8, 80)
    out = plain.forward(ids, torch.tensor([ids.shape[1]]), mel)
    assert out["model_outputs"].shape == (1, 8, 80)
    assert out["alignments"].shape == (1, 4, ids.shape[1])


def test_opt_in_int8_decoder_stays_close(tmp_path, monkeypatch):
    model = _model()
    ids = torch.tensor([model.tokenizer.text_to_ids("Hello world.")])
    exact = model.inference(ids)["model_outputs"]
    path = tmp_path / "model_file.pth"
    torch.save({"model": model.state_dict(), "r": 2}, path)
    monkeypatch.setenv("TTS_TACOTRON_INT8", "1")
    quantized = Tacotron2(_config())
    quantized.load_checkpoint(_config(), path, eval=True)
    from TTS.tts.layers.tacotron.quantized import Int8LSTMCell, int8_matmul_available

    if not int8_matmul_available():
        pytest.skip("no CPU int8 matmul kernel in this torch build")
    assert isinstance(quantized.decoder.decoder_rnn, Int8LSTMCell)
    approx = quantized.inference(ids)["model_outputs"]
    assert approx.shape == exact.shape
    assert float((approx - exact).pow(2).mean().sqrt() / exact.std()) < 0.02
