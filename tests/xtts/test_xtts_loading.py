"""Loading released-layout XTTS folders, and the errors users see for bad input."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
import soundfile as sf
import torch

from tests.xtts.conftest import released_state_dict, tiny_config, write_model_folder
from TTS.core.errors import AudioLoadError, CheckpointError, InvalidInputError, ModelNotFoundError
from TTS.tts.models.xtts import Xtts


def _load(folder):
    config = tiny_config()
    model = Xtts.init_from_config(config)
    model.load_checkpoint(config, checkpoint_dir=str(folder), eval=True)
    return model


@pytest.fixture(scope="module")
def state(manifest):
    return released_state_dict(manifest)


def test_released_folder_loads_without_touching_files(model_folder, loaded_model):
    digests = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in model_folder.iterdir()}
    mtimes = {p.name: p.stat().st_mtime_ns for p in model_folder.iterdir()}
    _load(model_folder)
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in model_folder.iterdir()} == digests
    assert {p.name: p.stat().st_mtime_ns for p in model_folder.iterdir()} == mtimes
    assert loaded_model.speaker_names == ["Ana Florence"]
    assert "en" in loaded_model.language_names and loaded_model.output_sample_rate == 24000


def test_trainer_checkpoint_with_prefix_and_training_keys(tmp_path, state, loaded_model):
    extra = dict(state)
    extra["dvae.codebook.embed"] = torch.zeros(4, 4)
    extra["torch_mel_spectrogram_dvae.mel_stft.spectrogram.window"] = torch.zeros(4)
    extra["torch_mel_spectrogram_style_encoder.mel_stft.mel_scale.fb"] = torch.zeros(4, 4)
    model = _load(write_model_folder(tmp_path / "trainer", extra, prefix="xtts.", speakers=False))
    assert model.speaker_names == []
    ours, ref = model.state_dict(), loaded_model.state_dict()
    assert ours.keys() == ref.keys()
    for key in ("gpt.gpt.h.0.attn.c_attn.weight", "hifigan_decoder.waveform_decoder.ups.0.weight", "mel_stats"):
        torch.testing.assert_close(ours[key], ref[key], rtol=0, atol=0)


def test_weight_norm_is_folded(loaded_model, state):
    g = state["hifigan_decoder.waveform_decoder.ups.0.weight_g"]
    v = state["hifigan_decoder.waveform_decoder.ups.0.weight_v"]
    expected = v * (g / v.norm(dim=(1, 2), keepdim=True))
    torch.testing.assert_close(loaded_model.hifigan_decoder.waveform_decoder.ups[0].weight, expected)


def test_unexpected_and_missing_keys_are_named(tmp_path, state):
    bad = dict(state)
    bad["gpt.surprise.weight"] = torch.zeros(2)
    with pytest.raises(CheckpointError, match=r"gpt\.surprise\.weight"):
        _load(write_model_folder(tmp_path / "extra", bad, speakers=False))
    bad = dict(state)
    del bad["gpt.mel_head.bias"]
    with pytest.raises(CheckpointError, match=r"gpt\.mel_head\.bias"):
        _load(write_model_folder(tmp_path / "missing", bad, speakers=False))


def test_missing_files(tmp_path, model_folder):
    config = tiny_config()
    model = Xtts.init_from_config(config)
    with pytest.raises(ModelNotFoundError, match="model.pth"):
        model.load_checkpoint(config, checkpoint_dir=str(tmp_path))
    with pytest.raises(InvalidInputError):
        model.load_checkpoint(config)
    folder = tmp_path / "novocab"
    folder.mkdir()
    (folder / "model.pth").write_bytes((model_folder / "model.pth").read_bytes())
    with pytest.raises(ModelNotFoundError, match="vocab.json"):
        model.load_checkpoint(config, checkpoint_dir=str(folder))


def test_builtin_speaker_and_bad_text_or_language(loaded_model):
    out = loaded_model.synthesize("hello", speaker="Ana Florence", language="en", do_sample=False)
    assert out["wav"].dtype == np.float32 and out["wav"].ndim == 1 and out["wav"].size > 0
    with pytest.raises(InvalidInputError, match="Ana Florence"):
        loaded_model.synthesize("hello", speaker="Ana Florance", language="en")
    with pytest.raises(InvalidInputError, match="en, es, fr"):
        loaded_model.synthesize("hello", speaker="Ana Florence", language="xx")
    with pytest.raises(InvalidInputError, match="empty"):
        loaded_model.synthesize("  ", speaker="Ana Florence", language="en")
    with pytest.raises(InvalidInputError, match="speaker"):
        loaded_model.synthesize("hello", language="en")
    with pytest.raises(InvalidInputError, match="too long"):
        cond, spk = loaded_model.speaker_manager.get("Ana Florence")
        loaded_model.inference("ab " * 300, "en", cond, spk)


def test_bad_reference_audio(loaded_model, tmp_path):
    with pytest.raises(AudioLoadError, match="not found"):
        loaded_model.get_conditioning_latents(str(tmp_path / "nope.wav"))
    corrupt = tmp_path / "corrupt.wav"
    corrupt.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunkjunkjunk" * 10)
    with pytest.raises(AudioLoadError):
        loaded_model.get_conditioning_latents(str(corrupt))
    silent = tmp_path / "silent.wav"
    sf.write(silent, np.zeros(22050, dtype=np.float32), 22050)
    with pytest.raises(AudioLoadError, match="silent"):
        loaded_model.get_conditioning_latents(str(silent))
    short = tmp_path / "short.wav"
    sf.write(short, 0.3 * np.sin(np.arange(4410) * 0.05).astype(np.float32), 22050)
    with pytest.raises(AudioLoadError, match="too short"):
        loaded_model.get_conditioning_latents(str(short))


def test_cloned_voice_is_cached_and_saved(loaded_model, reference_files, tmp_path, monkeypatch):
    ref_a, _ = reference_files
    calls = []
    original = loaded_model.get_conditioning_latents

    def counting(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(loaded_model, "get_conditioning_latents", counting)
    settings = {"gpt_cond_len": 3, "gpt_cond_chunk_len": 3, "sound_norm_refs": False, "max_ref_length": 3}
    first = loaded_model._voice("My Voice", str(ref_a), tmp_path, settings)
    second = loaded_model._voice(None, [str(ref_a)], None, settings)
    assert len(calls) == 1 and torch.equal(first[0], second[0])
    saved = loaded_model._voice("My Voice", None, tmp_path, settings)  # from <voice_dir>/My_Voice.pth (upstream's name)
    assert (tmp_path / "My_Voice.pth").is_file() and torch.equal(saved[1], first[1].cpu())
    (tmp_path / "My_Voice.pth").rename(tmp_path / "my-voice.pth")  # the name our earlier versions wrote
    assert torch.equal(loaded_model._voice("My Voice", None, tmp_path, settings)[1], first[1].cpu())
