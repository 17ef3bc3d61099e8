"""Loading and saving audio: formats, mono mix + resampling, errors, wav bytes, pipes."""

from __future__ import annotations

import hashlib
import io
import sys

import numpy as np
import pytest
import scipy.io.wavfile
import soundfile as sf
import torch

from tests.audio import signals
from TTS.core.audio.io import load_audio, pcm16_from_float, read_audio, save_wav, wav_to_bytes, write_wav
from TTS.core.audio.resample import resample
from TTS.core.errors import AudioLoadError, InvalidInputError

LOSSLESS = [("wav", "PCM_16"), ("flac", "PCM_16")]


def _write(path, stereo, sr, subtype=None):
    sf.write(path, stereo.T, sr, subtype=subtype)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _expected_mono_16k(stereo: np.ndarray) -> np.ndarray:
    return resample(torch.from_numpy(stereo.mean(axis=0))[None], 44100, 16000).numpy()


@pytest.mark.parametrize("ext,subtype", LOSSLESS)
def test_lossless_stereo_44k_to_mono_16k(tmp_path, ext, subtype):
    stereo = signals.stereo_signal(44100, 0.3)
    path = tmp_path / f"in.{ext}"
    digest = _write(path, stereo, 44100, subtype)
    wav = load_audio(path, sample_rate_hz=16000)
    assert wav.dtype == torch.float32 and wav.shape == (1, 4800)
    # 16-bit quantisation is the only loss
    np.testing.assert_allclose(wav.numpy(), _expected_mono_16k(stereo), atol=2.0 / 32768)
    both = load_audio(path, mono=False)
    assert both.shape == (2, stereo.shape[1])
    np.testing.assert_allclose(both.numpy(), stereo, atol=1.0 / 32768)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest  # input untouched


@pytest.mark.parametrize("ext,subtype", [("ogg", "VORBIS"), ("mp3", "MPEG_LAYER_III")])
def test_lossy_formats(tmp_path, ext, subtype):
    if ext.upper() not in sf.available_formats():
        pytest.skip(f"libsndfile {sf.__libsndfile_version__} lacks {ext}")
    stereo = signals.stereo_signal(44100, 0.3)
    path = tmp_path / f"in.{ext}"
    _write(path, stereo, 44100, subtype)
    wav = load_audio(path, sample_rate_hz=16000)
    assert wav.shape[0] == 1 and abs(wav.shape[1] - 4800) < 1200  # mp3 adds encoder padding
    assert torch.isfinite(wav).all() and wav.abs().max() > 0.1
    if ext == "ogg":  # vorbis keeps sample alignment: compare waveforms coarsely
        expected = _expected_mono_16k(stereo)[0]
        n = min(expected.size, wav.shape[1])
        corr = np.corrcoef(expected[:n], wav[0, :n].numpy())[0, 1]
        assert corr > 0.95


def test_keep_rate_and_file_objects(tmp_path):
    mono = signals.test_signal(22050, 0.1)
    path = tmp_path / "a.wav"
    sf.write(path, mono, 22050, subtype="FLOAT")
    np.testing.assert_array_equal(load_audio(path)[0].numpy(), mono)
    with open(path, "rb") as handle:
        np.testing.assert_array_equal(load_audio(handle)[0].numpy(), mono)
    data, rate = read_audio(str(path), dtype="float64")
    assert rate == 22050 and data.dtype == np.float64 and data.shape == (1, mono.size)


def test_load_errors(tmp_path):
    with pytest.raises(AudioLoadError, match="not found"):
        load_audio(tmp_path / "missing.wav")
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    with pytest.raises(AudioLoadError, match="empty"):
        load_audio(empty)
    corrupt = tmp_path / "corrupt.wav"
    corrupt.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunkjunkjunk" * 4)
    with pytest.raises(AudioLoadError, match="Cannot decode"):
        load_audio(corrupt)
    text = tmp_path / "notes.mp3"
    text.write_text("not audio at all " * 20)
    with pytest.raises(AudioLoadError):
        load_audio(text)
    with pytest.raises(AudioLoadError, match="directory"):
        load_audio(tmp_path)
    no_samples = tmp_path / "zero.wav"
    sf.write(no_samples, np.zeros(0, dtype=np.float32), 16000)
    with pytest.raises(AudioLoadError, match="no samples"):
        load_audio(no_samples)
    assert issubclass(AudioLoadError, OSError)


def test_save_wav_matches_upstream_scaling(tmp_path):
    wav = signals.test_signal(22050, 0.1, seed=2)
    expected = io.BytesIO()
    scipy.io.wavfile.write(expected, 22050, (wav * (32767 / max(0.01, np.abs(wav).max()))).astype(np.int16))
    out = tmp_path / "sub" / "out.wav"
    save_wav(wav, out, 22050)
    assert out.read_bytes() == expected.getvalue()
    assert wav_to_bytes(torch.from_numpy(wav)[None], 22050) == expected.getvalue()  # (1, T) tensor too
    # near-silence is not amplified to full scale
    quiet = np.full(100, 0.001, dtype=np.float32)
    assert pcm16_from_float(quiet).max() == int(0.001 * 32767 / 0.01)
    # stereo (C, T) is interleaved
    stereo = signals.stereo_signal(16000, 0.05)
    buffer = io.BytesIO()
    save_wav(stereo, buffer, 16000)
    rate, data = scipy.io.wavfile.read(io.BytesIO(buffer.getvalue()))
    assert rate == 16000 and data.shape == (stereo.shape[1], 2)


def test_pipe_out_and_streams(tmp_path, monkeypatch):
    wav = signals.test_signal(16000, 0.05)

    class FakeStdout:  # a text stream whose .buffer is binary, like sys.stdout
        def __init__(self):
            self.buffer = io.BytesIO()

    fake = FakeStdout()
    out = tmp_path / "x.wav"
    save_wav(wav, out, 16000, pipe_out=fake)
    assert fake.buffer.getvalue() == out.read_bytes()
    raw = io.BytesIO()
    write_wav(wav, raw, 16000)
    assert raw.getvalue() == out.read_bytes()
    monkeypatch.setattr(sys, "stdout", FakeStdout())
    write_wav(wav, sys.stdout, 16000)
    assert sys.stdout.buffer.getvalue() == out.read_bytes()


def test_save_errors(tmp_path):
    with pytest.raises(InvalidInputError, match="directory"):
        save_wav(np.zeros(10), tmp_path, 16000)
    with pytest.raises(InvalidInputError):
        save_wav(np.zeros(10), tmp_path / "a.wav", 0)
    with pytest.raises(InvalidInputError):
        save_wav(np.zeros((2, 3, 4)), tmp_path / "a.wav", 16000)
    with pytest.raises(InvalidInputError):
        save_wav(np.zeros(10), io.StringIO(), 16000)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InvalidInputError, match="writable"):
        save_wav(np.zeros(10), blocker / "a.wav", 16000)


def test_mp3_without_libsndfile_support_says_so(tmp_path, monkeypatch):
    path = tmp_path / "voice.mp3"
    path.write_bytes(b"\xff\xfb\x90\x00" * 64)
    formats = {k: v for k, v in sf.available_formats().items() if k != "MP3"}
    monkeypatch.setattr(sf, "available_formats", lambda: formats)
    with pytest.raises(AudioLoadError, match="no MP3 support"):
        load_audio(path)


def test_streaming_header_and_unnormalised_pcm():
    """A stream's header is the file header with both sizes unknown; its pieces keep 1.0 = 32767, clipped."""
    from TTS.core.audio.io import pcm16_from_float, streaming_wav_header, wav_to_bytes

    whole = wav_to_bytes(np.zeros(10, dtype=np.float32), 22050)
    header = streaming_wav_header(22050)
    assert len(header) == 44 and header[8:40] == whole[8:40]
    assert header[:4] == b"RIFF" and header[4:8] == header[40:44] == b"\xff\xff\xff\xff"
    piece = pcm16_from_float(np.array([0.5, -2.0, 1.0, 0.0], dtype=np.float32), normalise=False)
    np.testing.assert_array_equal(piece, [16383, -32767, 32767, 0])
    assert pcm16_from_float(np.array([0.5, -0.25], dtype=np.float32))[0] == 32767  # default: peak-normalised
