"""AudioProcessor against upstream coqui-tts 0.28 reference outputs."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from tests.audio import signals
from TTS.core.errors import CheckpointError, InvalidInputError
from TTS.utils.audio import AudioProcessor
from TTS.utils.audio import numpy_transforms as nt
from TTS.utils.audio.processor import load_scale_stats

DATA = Path(__file__).resolve().parents[1] / "data" / "audio"
META = json.loads((DATA / "audio_refs.json").read_text(encoding="utf-8"))["processor"]
REFS = np.load(DATA / "processor_refs.npz")
SPEC_ROW_STEP = 6
WAVE_STEP = 8
CASES = list(META["cases"])
# Griffin-Lim iterates a pseudo-inverse and FFTs: measured <= 6e-6 of the peak against
# upstream here; a little slack for other BLAS/FFT builds.
GL_RTOL = 5e-5
GL_SECONDS = 0.2
FRAME_STEP = 3
GL_STEP = 2


def _close(ours: np.ndarray, ref: np.ndarray, rtol: float = 1e-5) -> None:
    assert ours.shape == ref.shape
    np.testing.assert_allclose(ours, ref, rtol=rtol, atol=rtol * max(1e-3, float(np.abs(ref).max())))


def _ap(name: str, **overrides) -> AudioProcessor:
    return AudioProcessor(**{**META["cases"][name], **overrides}, verbose=False)


@pytest.mark.parametrize("name", CASES)
def test_spectrograms_and_normalisation(name):
    ap = _ap(name)
    wav = signals.speech_like(ap.sample_rate).astype(np.float64)
    mel = ap.melspectrogram(wav)
    assert mel.dtype == np.float32
    _close(mel, REFS[f"{name}_mel"])
    _close(ap.spectrogram(wav)[::SPEC_ROW_STEP], REFS[f"{name}_spec"])
    _close(ap.denormalize(REFS[f"{name}_mel"])[:, ::FRAME_STEP], REFS[f"{name}_denorm_mel"])
    _close(ap.out_linear_to_mel(ap.spectrogram(wav))[:, ::FRAME_STEP], REFS[f"{name}_out_linear_to_mel"])
    if name == "tacotron":
        _close(ap.melspectrogram(wav.astype(np.float32))[:, ::FRAME_STEP], REFS[f"{name}_mel_f32"])


@pytest.mark.parametrize("name", CASES)
def test_griffin_lim_with_seeded_phase(name):
    # upstream draws the initial phase from np.random; seeding makes both deterministic
    ap = _ap(name)
    short = signals.speech_like(ap.sample_rate).astype(np.float64)[: int(GL_SECONDS * ap.sample_rate)]
    np.random.seed(0)
    _close(ap.inv_melspectrogram(ap.melspectrogram(short))[::GL_STEP], REFS[f"{name}_gl_mel"], rtol=GL_RTOL)
    np.random.seed(1)
    _close(ap.inv_spectrogram(ap.spectrogram(short))[::GL_STEP], REFS[f"{name}_gl_spec"], rtol=GL_RTOL)


@pytest.mark.parametrize("name", CASES)
def test_trim_endpoint_and_load(name, tmp_path):
    ap = _ap(name)
    wav = signals.speech_like(ap.sample_rate).astype(np.float64)
    start, end = META["trim_bounds"][name]
    np.testing.assert_array_equal(ap.trim_silence(wav), wav[start:end])
    ends = META["endpoints"][name]
    assert ap.find_endpoint(wav) == ends["0.8"]
    assert ap.find_endpoint(wav, min_silence_sec=0.1) == ends["0.1"]
    path = tmp_path / "in.wav"
    sf.write(path, signals.speech_like(ap.sample_rate), ap.sample_rate, subtype="PCM_16")
    before = path.read_bytes()
    raw = sf.read(path)[0]
    start, end = META["load_wav_bounds"][name]
    loaded = ap.load_wav(path)
    assert loaded.dtype == np.float64
    np.testing.assert_array_equal(loaded, raw[start:end])
    assert path.read_bytes() == before  # input files are never modified


@pytest.mark.parametrize("name", CASES)
def test_save_wav_bytes_match_upstream(name):
    sr = META["cases"][name]["sample_rate"]
    buffer = io.BytesIO()
    nt.save_wav(wav=signals.test_signal(sr, 0.1, seed=5), path=buffer, sample_rate=sr)
    assert hashlib.sha256(buffer.getvalue()).hexdigest() == META["wav_sha256"][name]


def test_preemphasis_roundtrip():
    ap = _ap("natural_log_preemph")
    wav = signals.speech_like(ap.sample_rate).astype(np.float64)
    _close(ap.apply_preemphasis(wav)[::WAVE_STEP], REFS["natural_log_preemph_preemph"])
    _close(ap.apply_inv_preemphasis(wav)[::WAVE_STEP], REFS["natural_log_preemph_deemph"])
    np.testing.assert_allclose(ap.apply_inv_preemphasis(ap.apply_preemphasis(wav)), wav, atol=1e-9)


def test_volume_norms():
    wav = signals.speech_like(22050).astype(np.float64)
    _close(nt.rms_volume_norm(x=wav, db_level=-27.0)[::WAVE_STEP], REFS["rms_norm"])
    _close(AudioProcessor.sound_norm(wav)[::WAVE_STEP], REFS["sound_norm"])
    with pytest.raises(InvalidInputError):
        nt.rms_volume_norm(x=wav, db_level=3.0)


def test_f0_uses_pyin_like_upstream():
    pytest.importorskip("librosa")
    ap = _ap("ms_timing_onesided")
    wav = signals.speech_like(ap.sample_rate).astype(np.float64)
    np.testing.assert_allclose(ap.compute_f0(wav), REFS["ms_timing_onesided_f0"], rtol=1e-5)


def test_mean_std_stats_file(tmp_path):
    stats = tmp_path / "scale_stats.npy"
    shutil.copy(DATA / "scale_stats.npy", stats)
    # the stats record every BaseAudioConfig field, so build from the full config
    full_config = load_scale_stats(stats)["audio_config"]
    ap = AudioProcessor(**{**full_config, "stats_path": str(stats)}, verbose=False)
    assert ap.max_norm is None and ap.symmetric_norm is None
    wav = signals.speech_like(ap.sample_rate).astype(np.float64)
    mel = ap.melspectrogram(wav)
    _close(mel, REFS["stats_mel"])
    _close(ap.denormalize(REFS["stats_mel"])[:, ::FRAME_STEP], REFS["stats_denorm_mel"])
    # linear spectrograms use the linear stats (upstream 0.28 raises here)
    assert ap.spectrogram(wav).shape[0] == ap.fft_size // 2 + 1
    # a stats file computed with other parameters is refused
    with pytest.raises(InvalidInputError, match="mel_fmax"):
        AudioProcessor(**{**full_config, "stats_path": str(stats), "mel_fmax": 7000.0}, verbose=False)


def test_stats_file_that_runs_code_is_refused(tmp_path):
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (os.mkdir, (str(marker),))

    path = tmp_path / "scale_stats.npy"
    np.save(path, np.array({"mel_mean": Exploit()}, dtype=object), allow_pickle=True)
    with pytest.raises(CheckpointError, match="safely"):
        _ap("tacotron", stats_path=str(path))
    assert not marker.exists()  # nothing ran
    with pytest.raises(CheckpointError, match="not found"):
        _ap("tacotron", stats_path=str(tmp_path / "missing.npy"))


def test_constructor_styles_agree():
    params = META["cases"]["tacotron"]

    class Audio:  # what a coqpit BaseAudioConfig looks like from the outside
        def to_dict(self):
            return dict(params)

    class Model:
        audio = Audio()

    wav = signals.speech_like(22050).astype(np.float64)
    expected = _ap("tacotron").melspectrogram(wav)
    for ap in (
        AudioProcessor(Audio(), verbose=False),
        AudioProcessor(params, verbose=False),
        AudioProcessor.init_from_config(Model(), verbose=False),
        AudioProcessor.init_from_config({"audio": params}, verbose=False),
    ):
        np.testing.assert_array_equal(ap.melspectrogram(wav), expected)
    assert (ap.win_length, ap.hop_length) == (1024, 256)
    ms = _ap("ms_timing_onesided")
    assert (ms.win_length, ms.hop_length) == (800, 200)


def test_constructor_errors():
    with pytest.raises(InvalidInputError):
        AudioProcessor(sample_rate=22050, num_mels=80, hop_length=256, win_length=2048, fft_size=1024)
    with pytest.raises(InvalidInputError):
        AudioProcessor(sample_rate=22050, num_mels=80, hop_length=256, log_func="np.log2")
    with pytest.raises(InvalidInputError):
        AudioProcessor(sample_rate=22050, num_mels=80)  # no hop length nor frame timing
