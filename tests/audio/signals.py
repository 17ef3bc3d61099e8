"""Synthetic test signals, generated identically by the oracle script
(``tools/oracle/make_audio_refs.py``, which loads this file by path) and by the tests,
so reference outputs can be committed without committing the inputs. NumPy only.
"""

from __future__ import annotations

import numpy as np

__all__ = ["chirp", "noise", "test_signal", "speech_like", "stereo_signal"]


def chirp(sample_rate: int, seconds: float = 0.25, f_start: float = 60.0, amplitude: float = 0.5) -> np.ndarray:
    """Linear sweep from ``f_start`` to 0.45 * sample_rate, float32 ``(T,)``."""
    n = int(round(sample_rate * seconds))
    t = np.arange(n, dtype=np.float64) / sample_rate
    f_end = 0.45 * sample_rate
    phase = 2.0 * np.pi * (f_start * t + (f_end - f_start) * t**2 / (2.0 * seconds))
    return (amplitude * np.sin(phase)).astype(np.float32)


def noise(sample_rate: int, seconds: float = 0.25, seed: int = 0, scale: float = 0.1) -> np.ndarray:
    """Gaussian noise from PCG64(seed), float32 ``(T,)``."""
    n = int(round(sample_rate * seconds))
    return (scale * np.random.default_rng(seed).standard_normal(n)).astype(np.float32)


def test_signal(sample_rate: int, seconds: float = 0.25, seed: int = 0) -> np.ndarray:
    """Chirp plus noise: broadband, so resamplers and filterbanks are exercised everywhere."""
    return (chirp(sample_rate, seconds) + noise(sample_rate, seconds, seed)).astype(np.float32)


def speech_like(sample_rate: int, seed: int = 1) -> np.ndarray:
    """0.1 s near-silence, 0.25 s of a voiced tone with harmonics and tremolo, 0.2 s of
    near-silence: for silence trimming, end-point detection and pitch."""
    rng = np.random.default_rng(seed)
    lead, body, tail = (int(round(sample_rate * s)) for s in (0.1, 0.25, 0.2))
    t = np.arange(body, dtype=np.float64) / sample_rate
    f0 = 140.0 + 20.0 * np.sin(2 * np.pi * 3.0 * t)
    phase = 2 * np.pi * np.cumsum(f0) / sample_rate
    voiced = sum(np.sin(k * phase) / k for k in range(1, 6)) * (0.4 + 0.1 * np.sin(2 * np.pi * 5.0 * t))
    floor = 1e-4 * rng.standard_normal(lead + body + tail)
    wav = floor.copy()
    wav[lead : lead + body] += 0.5 * voiced
    return wav.astype(np.float32)


def stereo_signal(sample_rate: int = 44100, seconds: float = 0.3) -> np.ndarray:
    """Two different channels ``(2, T)`` float32: a chirp left, a 440 Hz tone plus noise right."""
    n = int(round(sample_rate * seconds))
    t = np.arange(n, dtype=np.float64) / sample_rate
    left = chirp(sample_rate, seconds)
    right = (0.3 * np.sin(2 * np.pi * 440.0 * t)).astype(np.float32) + noise(sample_rate, seconds, seed=7, scale=0.05)
    return np.stack([left, right]).astype(np.float32)
