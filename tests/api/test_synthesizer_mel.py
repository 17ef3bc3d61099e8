"""The synthesizer's spectrogram path: mel -> vocoder renormalisation, sample-rate stretch, Griffin-Lim."""

from __future__ import annotations

import numpy as np
import pytest

from tests.api.fake_family import (
    MEL_FAMILY,
    VOCODER_FAMILY,
    FakeMelConfig,
    FakeMelModel,
    FakeVocoder,
    FakeVocoderConfig,
    write_model,
)
from TTS.config.shared_configs import BaseAudioConfig
from TTS.core.errors import InvalidInputError
from TTS.families import FAMILIES
from TTS.utils.audio import AudioProcessor
from TTS.utils.synthesizer import PAD_SILENCE_SAMPLES, Synthesizer

AUDIO = {
    "sample_rate": 22050,
    "num_mels": 20,
    "fft_size": 256,
    "win_length": 256,
    "hop_length": 64,
    "do_trim_silence": False,
    "mel_fmax": 8000.0,
    "griffin_lim_iters": 10,
}


@pytest.fixture(autouse=True)
def fake_families(monkeypatch):
    monkeypatch.setitem(FAMILIES, "fake_mel", MEL_FAMILY)
    monkeypatch.setitem(FAMILIES, "fake_vocoder", VOCODER_FAMILY)


def _write_stats(path, num_mels, shift):
    mel_mean = np.full(num_mels, -40.0 + shift, dtype=np.float32)
    mel_std = np.full(num_mels, 12.0, dtype=np.float32)
    lin_mean = np.zeros(129, dtype=np.float32)
    np.save(
        path,
        {
            "mel_mean": mel_mean,
            "mel_std": mel_std,
            "linear_mean": lin_mean,
            "linear_std": lin_mean + 1,
            "audio_config": dict(AUDIO),
        },
        allow_pickle=True,
    )


def _tts_folder(tmp_path, **audio):
    config = FakeMelConfig(audio=BaseAudioConfig(**{**AUDIO, **audio}))
    return write_model(tmp_path / "tts", config, FakeMelModel)


def _vocoder_folder(tmp_path, stats: bool, **audio):
    folder = tmp_path / "vocoder"
    folder.mkdir(parents=True, exist_ok=True)
    values = {**AUDIO, **audio}
    if stats:
        _write_stats(folder / "scale_stats.npy", values["num_mels"], shift=3.0)
        # a stale absolute path, as written on the machine that trained the model
        values["stats_path"] = "/nonexistent/training/machine/scale_stats.npy"
    return write_model(folder, FakeVocoderConfig(audio=BaseAudioConfig(**values)), FakeVocoder)


def test_mel_goes_through_vocoder_with_its_normalisation(tmp_path):
    tts_ckpt, tts_cfg = _tts_folder(tmp_path)
    voc_ckpt, voc_cfg = _vocoder_folder(tmp_path, stats=True)
    synth = Synthesizer(
        tts_checkpoint=tts_ckpt, tts_config_path=tts_cfg, vocoder_checkpoint=voc_ckpt, vocoder_config=voc_cfg
    )
    # the stale stats path was pointed at the vocoder folder's scale_stats.npy (in memory only)
    assert synth.vocoder_config.audio.stats_path == str(tmp_path / "vocoder" / "scale_stats.npy")
    wav = synth.tts("Hello.", split_sentences=False)
    mel = synth.tts_model.synthesize("Hello.")["mel"]
    expected_input = AudioProcessor(**dict(synth.vocoder_config.audio)).normalize(mel)
    got = synth.vocoder_model.last_input
    assert tuple(got.shape) == (1, *mel.shape)
    np.testing.assert_allclose(got[0].numpy(), expected_input, rtol=1e-5, atol=1e-5)
    assert len(wav) == mel.shape[1] * AUDIO["hop_length"] + PAD_SILENCE_SAMPLES
    assert synth.output_sample_rate == 22050
    # the model was told to skip Griffin-Lim
    assert synth.tts_model.calls[0]["use_griffin_lim"] is False


def test_sample_rate_mismatch_stretches_the_mel(tmp_path):
    tts_ckpt, tts_cfg = _tts_folder(tmp_path)
    voc_ckpt, voc_cfg = _vocoder_folder(tmp_path, stats=False, sample_rate=24000)
    synth = Synthesizer(tts_ckpt, tts_cfg, "", "", voc_ckpt, voc_cfg)  # positional, 0.22 order
    synth.tts("Hello.", split_sentences=False)
    frames = synth.tts_model.synthesize("Hello.")["mel"].shape[1]
    assert synth.vocoder_model.last_input.shape[-1] == int(np.floor(frames * 24000 / 22050))
    assert synth.output_sample_rate == 24000


def test_griffin_lim_without_vocoder(tmp_path):
    tts_ckpt, tts_cfg = _tts_folder(tmp_path)
    synth = Synthesizer(tts_checkpoint=tts_ckpt, tts_config_path=tts_cfg)
    wav = synth.tts("Hi.", split_sentences=False)
    frames = synth.tts_model.synthesize("Hi.")["mel"].shape[1]
    assert abs(len(wav) - PAD_SILENCE_SAMPLES - frames * AUDIO["hop_length"]) <= AUDIO["fft_size"]
    assert np.isfinite(wav).all() and np.abs(wav).max() > 0
    assert synth.tts_model.calls[0]["use_griffin_lim"] is True


def test_vocoder_given_as_tts_model_is_refused(tmp_path):
    voc_ckpt, voc_cfg = _vocoder_folder(tmp_path, stats=False)
    with pytest.raises(InvalidInputError, match="vocoder"):
        Synthesizer(tts_checkpoint=voc_ckpt, tts_config_path=voc_cfg)
