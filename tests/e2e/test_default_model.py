"""The CLI default model (``tacotron2-DDC`` + ``hifigan_v2``) end to end, offline, from the model cache.

A tiny-weights copy of both released folders is laid out in ``$TTS_HOME/tts`` exactly as
the downloader leaves them (``config.json``, ``model_file.pth``, ``scale_stats.npy``).
The waveform must match upstream's ``Synthesizer`` on the same files (committed
reference), and ``tts --text ... --out_path x.wav`` with no model name must write it.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import torch

from tests.tacotron.fixtures import build_tacotron_folder, build_vocoder_folder, load_case
from TTS.core.errors import DownloadError, InvalidInputError
from TTS.utils.synthesizer import Synthesizer

TTS_DIR = "tts_models--en--ljspeech--tacotron2-DDC"
VOCODER_DIR = "vocoder_models--en--ljspeech--hifigan_v2"


@pytest.fixture(autouse=True)
def _single_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def cache_home(tmp_path_factory) -> Path:
    """``TTS_HOME`` with both default models downloaded (tiny deterministic weights)."""
    home = tmp_path_factory.mktemp("tts_home")
    meta, _ = load_case("tacotron2_ddc")
    build_tacotron_folder(meta, home / "tts" / TTS_DIR, stats=True)
    build_vocoder_folder(home / "tts" / VOCODER_DIR)
    return home


def _synth(home: Path, **vocoder_audio) -> Synthesizer:
    tts = home / "tts" / TTS_DIR
    voc = home / "tts" / VOCODER_DIR
    if vocoder_audio:
        voc = home / "vocoder_variant"
        build_vocoder_folder(voc, **vocoder_audio)
    return Synthesizer(
        tts_checkpoint=tts / "model_file.pth",
        tts_config_path=tts / "config.json",
        vocoder_checkpoint=voc / "model_file.pth",
        vocoder_config=voc / "config.json",
    )


def test_pipeline_matches_upstream_synthesizer(cache_home):
    meta, refs = load_case("synthesizer")
    synth = _synth(cache_home)
    wav = np.asarray(synth.tts(meta["text"]), dtype=np.float32)
    assert synth.output_sample_rate == 22050
    assert wav.shape == refs["wav"].shape
    np.testing.assert_allclose(wav, refs["wav"], atol=1e-4, rtol=0)


def test_cli_without_model_name_uses_the_cached_default(cache_home, tmp_path, monkeypatch):
    from TTS.bin.synthesize import main

    monkeypatch.setenv("TTS_HOME", str(cache_home))
    _no_network(monkeypatch)
    out = tmp_path / "x.wav"
    with pytest.raises(SystemExit) as exit_info:
        main(["--text", "Hello world.", "--out_path", str(out)])
    assert exit_info.value.code in (0, None)
    audio, rate = sf.read(out)
    _, refs = load_case("synthesizer")
    assert rate == 22050 and len(audio) == len(refs["wav"])
    expected = refs["wav"] / max(0.01, np.abs(refs["wav"]).max())  # save_wav peak-normalises, like upstream
    assert np.abs(audio - expected).max() < 2e-4 + 1 / 32767  # 16-bit PCM


def test_missing_vocoder_says_which_and_how_to_get_it(cache_home, tmp_path, monkeypatch):
    from TTS.api import TTS

    home = tmp_path / "home"
    (home / "tts").mkdir(parents=True)
    (home / "tts" / TTS_DIR).symlink_to(cache_home / "tts" / TTS_DIR, target_is_directory=True)
    monkeypatch.setenv("TTS_HOME", str(home))
    _no_network(monkeypatch)
    with pytest.raises(DownloadError) as err:
        TTS("tts_models/en/ljspeech/tacotron2-DDC")
    message = str(err.value)
    assert "vocoder_models/en/ljspeech/hifigan_v2" in message
    assert VOCODER_DIR in message and "download" in message.lower()


def test_vocoder_at_another_sample_rate_is_stretched_with_a_warning(cache_home, caplog):
    synth = _synth(cache_home, sample_rate=24000)
    with caplog.at_level(logging.WARNING):
        wav = synth.tts("Hello world.")
    assert synth.output_sample_rate == 24000
    frames = int(np.floor(18 * 24000 / 22050))  # 18 mel frames before the stop token, stretched
    assert len(wav) == (frames + 10) * 256 + 10000
    assert any("sample rate" in r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING)


def test_vocoder_with_other_mel_channels_is_a_clear_error(cache_home, tmp_path):
    voc = tmp_path / "voc64"
    _, config_path = build_vocoder_folder(voc, num_mels=64)
    config = json.loads(config_path.read_text())
    config["generator_model_params"]["in_channels"] = 64
    config_path.write_text(json.dumps(config))
    with pytest.raises(InvalidInputError, match="num_mels|mel"):
        synth = Synthesizer(
            tts_checkpoint=cache_home / "tts" / TTS_DIR / "model_file.pth",
            tts_config_path=cache_home / "tts" / TTS_DIR / "config.json",
            vocoder_checkpoint=voc / "model_file.pth",
            vocoder_config=config_path,
        )
        synth.tts("Hello world.")


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_text(cache_home, text):
    synth = _synth(cache_home)
    with pytest.raises(InvalidInputError, match="empty"):
        synth.tts(text)


def _no_network(monkeypatch) -> None:
    import TTS.utils.download as download

    def offline(url, *args, **kwargs):
        raise DownloadError(f"no network in tests ({url}).")

    monkeypatch.setattr(download, "fetch_url", offline)


def test_without_vocoder_griffin_lim_is_used(cache_home):
    tts = cache_home / "tts" / TTS_DIR
    synth = Synthesizer(tts_checkpoint=tts / "model_file.pth", tts_config_path=tts / "config.json")
    assert synth.vocoder_model is None
    wav = np.asarray(synth.tts("Hello world."), dtype=np.float32)
    assert synth.output_sample_rate == 22050
    assert len(wav) > 10000 and np.isfinite(wav).all() and np.abs(wav[:-10000]).max() > 0
