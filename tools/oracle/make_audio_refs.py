"""Reference outputs of torchaudio's resampler and mel front-end, librosa's mel filters and
upstream's ``AudioProcessor``, for ``tests/audio``.

Run with the oracle venv (``coqui-tts`` 0.28, torchaudio, librosa) from a directory
outside the repo, so that upstream's ``TTS`` is imported, not ours::

    cd /tmp && /work/oracle/venv/bin/python /work/main/tools/oracle/make_audio_refs.py

Inputs are synthetic signals from ``tests/audio/signals.py`` (loaded by file path; the
tests regenerate them the same way). Writes to ``tests/data/audio/``:

- ``resample_refs.npz``: ``torchaudio.functional.resample`` outputs per rate pair/method;
- ``mel_refs.npz``: ``torchaudio.transforms.MelSpectrogram`` / ``Spectrogram`` outputs,
  small ``melscale_fbanks`` and ``librosa.filters.mel`` matrices;
- ``processor_refs.npz``: upstream ``AudioProcessor`` outputs (spectrograms, normalisation,
  mean-std scaling, Griffin-Lim with ``np.random.seed``, trimming, end points, f0);
- ``scale_stats.npy``: a stats file in upstream's pickled-dict layout;
- ``audio_refs.json``: the cases (arguments), state-dict keys, wav byte hashes, versions.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import sys
import tempfile
from pathlib import Path

import librosa
import numpy as np
import soundfile as sf
import torch
import torchaudio

import TTS
from TTS.config.shared_configs import BaseAudioConfig
from TTS.utils.audio import AudioProcessor
from TTS.utils.audio import numpy_transforms as unt

if "site-packages" not in TTS.__file__:
    sys.exit(f"Upstream TTS expected, got {TTS.__file__}: run from a directory outside the repo.")

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "tests" / "data" / "audio"


def _load_signals():
    spec = importlib.util.spec_from_file_location("audio_signals", REPO / "tests" / "audio" / "signals.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sig = _load_signals()

RESAMPLE_SECONDS = 0.06
MEL_SECONDS = 0.1
# complex STFTs are stored only for these (they are large)
COMPLEX_SPEC_CASES = ("default_16k", "nocenter_pad", "encoder_hamming_16k")
# linear spectrograms are stored for every SPEC_ROW_STEP-th frequency bin only
SPEC_ROW_STEP = 6
# long waveforms are stored for every WAVE_STEP-th sample only
WAVE_STEP = 8
# Griffin-Lim runs on the first GL_SECONDS of the speech-like signal
GL_SECONDS = 0.2
# derived outputs keep every FRAME_STEP-th frame, Griffin-Lim every GL_STEP-th sample
FRAME_STEP = 3
GL_STEP = 2

RESAMPLE_CASES = [
    # name, orig, new, kwargs
    ("44100_22050", 44100, 22050, {}),
    ("44100_16000", 44100, 16000, {}),
    ("22050_24000", 22050, 24000, {}),
    ("16000_22050", 16000, 22050, {}),
    ("24000_16000", 24000, 16000, {}),
    ("8000_48000", 8000, 48000, {}),
    ("22050_16000", 22050, 16000, {}),
    ("44100_24000_kaiser", 44100, 24000, {"resampling_method": "sinc_interp_kaiser"}),
    ("16000_22050_kaiser_b8", 16000, 22050, {"resampling_method": "sinc_interp_kaiser", "beta": 8.0}),
    ("48000_16000_w16_r90", 48000, 16000, {"lowpass_filter_width": 16, "rolloff": 0.9}),
]

MEL_CASES = [
    # name, sample_rate, MelSpectrogram kwargs (window given by name)
    ("default_16k", 16000, {}),
    (
        "xtts_22k",
        22050,
        {
            "n_fft": 1024,
            "hop_length": 256,
            "win_length": 1024,
            "power": 2,
            "normalized": False,
            "f_min": 0,
            "f_max": 8000,
            "n_mels": 80,
            "norm": "slaney",
        },
    ),
    (
        "encoder_hamming_16k",
        16000,
        {"n_fft": 512, "win_length": 400, "hop_length": 160, "window": "hamming", "n_mels": 64},
    ),
    (
        "slaney_power1_norm",
        24000,
        {
            "n_fft": 512,
            "hop_length": 120,
            "n_mels": 60,
            "power": 1.0,
            "normalized": True,
            "mel_scale": "slaney",
            "norm": "slaney",
            "f_min": 50.0,
        },
    ),
    (
        "nocenter_pad",
        22050,
        {"n_fft": 256, "hop_length": 64, "n_mels": 32, "center": False, "pad": 7, "normalized": "frame_length"},
    ),
    ("constant_pad", 16000, {"n_fft": 320, "hop_length": 80, "n_mels": 40, "pad_mode": "constant"}),
]

FBANK_CASES = [
    # name, (n_freqs, f_min, f_max, n_mels, sample_rate, norm, mel_scale)
    ("htk", (65, 0.0, 8000.0, 24, 16000, None, "htk")),
    ("slaney_slaney", (65, 20.0, 7600.0, 24, 16000, "slaney", "slaney")),
    ("htk_slaney_odd_sr", (101, 0.0, 11025.0, 30, 22051, "slaney", "htk")),
]

LIBROSA_MEL_CASES = [
    # name, kwargs of librosa.filters.mel
    ("tacotron_22k", {"sr": 22050, "n_fft": 1024, "n_mels": 80, "fmin": 0, "fmax": 8000}),
    ("vits_22k_full", {"sr": 22050, "n_fft": 1024, "n_mels": 80, "fmin": 0, "fmax": None}),
    ("htk_none_16k", {"sr": 16000, "n_fft": 512, "n_mels": 40, "fmin": 55, "htk": True, "norm": None}),
]

PROCESSOR_CASES = {
    # Tacotron2-DDC (LJSpeech) release audio section
    "tacotron": {
        "sample_rate": 22050,
        "fft_size": 1024,
        "win_length": 1024,
        "hop_length": 256,
        "num_mels": 80,
        "mel_fmin": 0.0,
        "mel_fmax": 8000.0,
        "signal_norm": True,
        "symmetric_norm": True,
        "max_norm": 4.0,
        "clip_norm": True,
        "min_level_db": -100,
        "ref_level_db": 20,
        "spec_gain": 20.0,
        "log_func": "np.log10",
        "preemphasis": 0.0,
        "power": 1.5,
        "griffin_lim_iters": 10,
        "do_trim_silence": True,
        "trim_db": 60,
        "stft_pad_mode": "reflect",
    },
    # natural log, no normalisation, pre-emphasis
    "natural_log_preemph": {
        "sample_rate": 16000,
        "fft_size": 512,
        "win_length": 400,
        "hop_length": 160,
        "num_mels": 40,
        "mel_fmin": 30.0,
        "mel_fmax": None,
        "signal_norm": False,
        "symmetric_norm": False,
        "spec_gain": 1.0,
        "log_func": "np.log",
        "preemphasis": 0.97,
        "power": 1.3,
        "griffin_lim_iters": 12,
        "do_trim_silence": False,
        "trim_db": 45,
        "stft_pad_mode": "reflect",
    },
    # frame_*_ms timing, one-sided unclipped range norm, constant padding
    "ms_timing_onesided": {
        "sample_rate": 16000,
        "fft_size": 1024,
        "win_length": None,
        "hop_length": None,
        "frame_length_ms": 50,
        "frame_shift_ms": 12.5,
        "num_mels": 64,
        "mel_fmin": 0.0,
        "mel_fmax": 7600.0,
        "signal_norm": True,
        "symmetric_norm": False,
        "max_norm": 1.0,
        "clip_norm": False,
        "min_level_db": -90,
        "ref_level_db": 15,
        "spec_gain": 20.0,
        "power": 1.5,
        "griffin_lim_iters": 10,
        "do_trim_silence": True,
        "trim_db": 40,
        "stft_pad_mode": "constant",
        "pitch_fmin": 65.0,
        "pitch_fmax": 400.0,
    },
}


def _window(name: str):
    return {"hann": torch.hann_window, "hamming": torch.hamming_window}[name]


def make_resample_refs() -> tuple[dict, list]:
    arrays, cases = {}, []
    for name, orig, new, kwargs in RESAMPLE_CASES:
        x = torch.from_numpy(np.stack([sig.test_signal(orig, RESAMPLE_SECONDS, seed=s) for s in (0, 1)]))
        arrays[name] = torchaudio.functional.resample(x, orig, new, **kwargs).numpy()
        cases.append(
            {"name": name, "orig": orig, "new": new, "kwargs": kwargs, "seconds": RESAMPLE_SECONDS, "seeds": [0, 1]}
        )
    return arrays, cases


def make_mel_refs() -> tuple[dict, list, dict]:
    arrays, cases, keys = {}, [], {}
    for name, sample_rate, kwargs in MEL_CASES:
        kw = dict(kwargs)
        window = kw.pop("window", "hann")
        module = torchaudio.transforms.MelSpectrogram(sample_rate=sample_rate, window_fn=_window(window), **kw)
        x = torch.from_numpy(sig.test_signal(sample_rate, MEL_SECONDS, seed=3))[None]
        arrays[f"mel_{name}"] = module(x).numpy()
        spec_only = torchaudio.transforms.Spectrogram(
            n_fft=module.n_fft,
            win_length=module.win_length,
            hop_length=module.hop_length,
            pad=module.pad,
            window_fn=_window(window),
            power=None,
            normalized=module.normalized,
            center=module.spectrogram.center,
            pad_mode=module.spectrogram.pad_mode,
        )
        if name in COMPLEX_SPEC_CASES:
            complex_spec = spec_only(x)
            arrays[f"spec_complex_{name}"] = np.stack([complex_spec.real.numpy(), complex_spec.imag.numpy()])
        keys[name] = {k: list(v.shape) for k, v in module.state_dict().items()}
        cases.append({"name": name, "sample_rate": sample_rate, "kwargs": kwargs, "seconds": MEL_SECONDS, "seed": 3})
    for name, args in FBANK_CASES:
        arrays[f"fbanks_{name}"] = torchaudio.functional.melscale_fbanks(*args).numpy()
    for name, kwargs in LIBROSA_MEL_CASES:
        arrays[f"librosa_mel_{name}"] = librosa.filters.mel(**kwargs)
    return arrays, cases, keys


def _bounds(whole: np.ndarray, part: np.ndarray) -> list[int]:
    """Where ``part`` (a slice returned by upstream) sits in ``whole``: [start, end)."""
    if part.size == 0:
        return [0, 0]
    for start in np.flatnonzero(whole == part[0]):
        if np.array_equal(whole[start : start + part.size], part):
            return [int(start), int(start + part.size)]
    raise AssertionError("trimmed signal is not a slice of the input")


def _make_stats(ap: AudioProcessor, config: BaseAudioConfig, path: Path) -> None:
    rng = np.random.default_rng(11)
    n_linear = ap.fft_size // 2 + 1
    stats = {
        "mel_mean": rng.uniform(-60, -10, ap.num_mels),
        "mel_std": rng.uniform(5, 20, ap.num_mels),
        "linear_mean": rng.uniform(-60, -10, n_linear),
        "linear_std": rng.uniform(5, 20, n_linear),
        "audio_config": config.to_dict(),
    }
    np.save(path, stats, allow_pickle=True)


def make_processor_refs(tmp: Path) -> tuple[dict, dict]:
    arrays = {}
    meta = {"cases": PROCESSOR_CASES, "wav_sha256": {}, "endpoints": {}, "trim_bounds": {}, "load_wav_bounds": {}}
    for name, params in PROCESSOR_CASES.items():
        config = BaseAudioConfig(**params)
        ap = AudioProcessor(config)
        sr = ap.sample_rate
        wav = sig.speech_like(sr).astype(np.float64)
        mel = ap.melspectrogram(wav)
        arrays[f"{name}_mel"] = mel
        arrays[f"{name}_spec"] = ap.spectrogram(wav)[::SPEC_ROW_STEP]
        arrays[f"{name}_mel_f32"] = ap.melspectrogram(wav.astype(np.float32))[:, ::FRAME_STEP]
        arrays[f"{name}_denorm_mel"] = ap.denormalize(mel)[:, ::FRAME_STEP]
        arrays[f"{name}_out_linear_to_mel"] = ap.out_linear_to_mel(ap.spectrogram(wav))[:, ::FRAME_STEP]
        short = wav[: int(GL_SECONDS * sr)]
        np.random.seed(0)
        arrays[f"{name}_gl_mel"] = ap.inv_melspectrogram(ap.melspectrogram(short))[::GL_STEP]
        np.random.seed(1)
        arrays[f"{name}_gl_spec"] = ap.inv_spectrogram(ap.spectrogram(short))[::GL_STEP]
        meta["trim_bounds"][name] = _bounds(wav, ap.trim_silence(wav))
        if ap.preemphasis:
            arrays[f"{name}_preemph"] = ap.apply_preemphasis(wav)[::WAVE_STEP]
            arrays[f"{name}_deemph"] = ap.apply_inv_preemphasis(wav)[::WAVE_STEP]
        meta["endpoints"][name] = {
            "0.8": int(ap.find_endpoint(wav)),
            "0.1": int(ap.find_endpoint(wav, min_silence_sec=0.1)),
        }
        # files: upstream loads with soundfile (no resampling) then trims / normalises
        path = tmp / f"{name}.wav"
        sf.write(path, sig.speech_like(sr), sr, subtype="PCM_16")
        meta["load_wav_bounds"][name] = _bounds(sf.read(path)[0], ap.load_wav(str(path)))
        buffer = io.BytesIO()
        unt.save_wav(wav=sig.test_signal(sr, 0.1, seed=5), path=buffer, sample_rate=sr)
        meta["wav_sha256"][name] = hashlib.sha256(buffer.getvalue()).hexdigest()
        if ap.pitch_fmin and name == "ms_timing_onesided":
            arrays[f"{name}_f0"] = ap.compute_f0(wav)
    # mean-std normalisation through a stats file
    config = BaseAudioConfig(**PROCESSOR_CASES["tacotron"])
    _make_stats(AudioProcessor(config), config, OUT / "scale_stats.npy")
    config.stats_path = str(OUT / "scale_stats.npy")
    ap = AudioProcessor(config)
    wav = sig.speech_like(ap.sample_rate).astype(np.float64)
    arrays["stats_mel"] = ap.melspectrogram(wav)
    arrays["stats_denorm_mel"] = ap.denormalize(arrays["stats_mel"])[:, ::FRAME_STEP]
    arrays["rms_norm"] = unt.rms_volume_norm(x=wav, db_level=-27.0)[::WAVE_STEP]
    arrays["sound_norm"] = AudioProcessor.sound_norm(wav)[::WAVE_STEP]
    return arrays, meta


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    resample_arrays, resample_cases = make_resample_refs()
    np.savez_compressed(OUT / "resample_refs.npz", **resample_arrays)
    mel_arrays, mel_cases, mel_keys = make_mel_refs()
    np.savez_compressed(OUT / "mel_refs.npz", **mel_arrays)
    with tempfile.TemporaryDirectory() as tmp:
        processor_arrays, processor_meta = make_processor_refs(Path(tmp))
    # float32 is plenty for 1e-5 relative comparisons and halves the file
    processor_arrays = {k: v.astype(np.float32) if v.dtype == np.float64 else v for k, v in processor_arrays.items()}
    np.savez_compressed(OUT / "processor_refs.npz", **processor_arrays)
    meta = {
        "resample": resample_cases,
        "mel": mel_cases,
        "mel_state_dict_shapes": mel_keys,
        "fbanks": [[name, list(args)] for name, args in FBANK_CASES],
        "librosa_mel": [[name, kwargs] for name, kwargs in LIBROSA_MEL_CASES],
        "processor": processor_meta,
        "versions": {
            "torch": torch.__version__,
            "torchaudio": torchaudio.__version__,
            "librosa": librosa.__version__,
            "numpy": np.__version__,
            "coqui-tts": TTS.__version__,
        },
    }
    (OUT / "audio_refs.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    for path in sorted(OUT.iterdir()):
        print(f"{path.name}: {path.stat().st_size / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
