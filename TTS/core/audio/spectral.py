"""NumPy spectral helpers with librosa's numerics, without importing librosa.

Mel scales and librosa's ``filters.mel`` filterbank, a centred STFT / inverse STFT with librosa's
framing and window-sum normalisation, Griffin-Lim, and the RMS-based silence detection of
``librosa.effects.trim``. Everything is vectorised over frames.
"""

from __future__ import annotations

import logging

import numpy as np

__all__ = [
    "hz_to_mel",
    "mel_to_hz",
    "triangular_filters",
    "mel_filterbank",
    "get_window",
    "stft",
    "istft",
    "griffin_lim",
    "frame_rms",
    "nonsilent_bounds",
]

logger = logging.getLogger(__name__)

# Slaney's auditory toolbox scale: linear below 1 kHz, logarithmic above.
_SLANEY_HZ_PER_MEL = 200.0 / 3.0
_SLANEY_BREAK_HZ = 1000.0
_SLANEY_BREAK_MEL = _SLANEY_BREAK_HZ / _SLANEY_HZ_PER_MEL  # 15 mels
_SLANEY_LOG_STEP = np.log(6.4) / 27.0


def hz_to_mel(freqs: np.ndarray | float, htk: bool = False) -> np.ndarray:
    """Hertz to mels on the HTK (``2595 log10(1 + f/700)``) or Slaney scale, in float64."""
    f = np.asarray(freqs, dtype=np.float64)
    if htk:
        return 2595.0 * np.log10(1.0 + f / 700.0)
    linear = f / _SLANEY_HZ_PER_MEL
    with np.errstate(divide="ignore", invalid="ignore"):
        logpart = _SLANEY_BREAK_MEL + np.log(f / _SLANEY_BREAK_HZ) / _SLANEY_LOG_STEP
    return np.where(f >= _SLANEY_BREAK_HZ, logpart, linear)


def mel_to_hz(mels: np.ndarray | float, htk: bool = False) -> np.ndarray:
    """Inverse of :func:`hz_to_mel`."""
    m = np.asarray(mels, dtype=np.float64)
    if htk:
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    linear = m * _SLANEY_HZ_PER_MEL
    logpart = _SLANEY_BREAK_HZ * np.exp(_SLANEY_LOG_STEP * (m - _SLANEY_BREAK_MEL))
    return np.where(m >= _SLANEY_BREAK_MEL, logpart, linear)


def triangular_filters(bin_freqs: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Overlapping triangles ``(n_filters, n_bins)``: filter ``i`` rises from ``edges[i]``
    to 1 at ``edges[i+1]`` and falls to 0 at ``edges[i+2]``."""
    below = bin_freqs[None, :] - edges[:-2, None]
    above = edges[2:, None] - bin_freqs[None, :]
    rise = below / np.diff(edges)[:-1, None]
    fall = above / np.diff(edges)[1:, None]
    return np.maximum(0.0, np.minimum(rise, fall))


def _slaney_area_norm(edges: np.ndarray, n_mels: int) -> np.ndarray:
    # Each triangle scaled to unit area-ish (2 / bandwidth), so channels carry equal energy.
    return 2.0 / (edges[2 : n_mels + 2] - edges[:n_mels])


def mel_filterbank(
    sample_rate: int,
    n_fft: int,
    n_mels: int = 128,
    f_min: float = 0.0,
    f_max: float | None = None,
    htk: bool = False,
    norm: str | float | None = "slaney",
    dtype: np.dtype | type = np.float32,
) -> np.ndarray:
    """Mel filterbank ``(n_mels, 1 + n_fft // 2)`` with ``librosa.filters.mel`` semantics and
    defaults (Slaney scale and area normalisation). ``norm`` may also be ``None`` or a
    p-norm order applied to each filter."""
    f_max = float(sample_rate) / 2 if f_max is None else float(f_max)
    bin_freqs = np.arange(1 + n_fft // 2, dtype=np.float64) * (float(sample_rate) / n_fft)
    edges = mel_to_hz(np.linspace(hz_to_mel(f_min, htk), hz_to_mel(f_max, htk), n_mels + 2), htk)
    weights = triangular_filters(bin_freqs, edges)
    if norm == "slaney":
        weights *= _slaney_area_norm(edges, n_mels)[:, None]
    elif isinstance(norm, str):
        raise ValueError(f"Unsupported mel norm {norm!r}; use 'slaney', None or a number.")
    elif norm is not None:
        order = float(norm)
        lengths = (
            np.max(np.abs(weights), axis=-1) if np.isinf(order) else np.sum(np.abs(weights) ** order, -1) ** (1 / order)
        )
        weights = weights / np.where(lengths > np.finfo(np.float64).tiny, lengths, 1.0)[:, None]
    return weights.astype(dtype)


def get_window(window: str | np.ndarray, win_length: int, n_fft: int) -> np.ndarray:
    """Periodic analysis window of ``win_length`` zero-padded (centred) to ``n_fft``, float64."""
    if isinstance(window, str):
        if window in ("hann", "hanning"):
            win = 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(win_length) / win_length)
        else:
            import scipy.signal

            win = scipy.signal.get_window(window, win_length, fftbins=True)
    else:
        win = np.asarray(window, dtype=np.float64)
        if win.shape != (win_length,):
            raise ValueError(f"Window has shape {win.shape}, expected ({win_length},).")
    left = (n_fft - win_length) // 2
    return np.pad(win.astype(np.float64), (left, n_fft - win_length - left))


def _complex_dtype(real: np.dtype) -> np.dtype:
    return np.dtype(np.complex64) if np.dtype(real) == np.float32 else np.dtype(np.complex128)


def stft(
    y: np.ndarray,
    n_fft: int,
    hop_length: int | None = None,
    win_length: int | None = None,
    window: str | np.ndarray = "hann",
    center: bool = True,
    pad_mode: str = "reflect",
) -> np.ndarray:
    """Short-time Fourier transform of ``y`` ``(..., T)`` -> ``(..., 1 + n_fft // 2, frames)``.

    librosa framing: frames centred on ``t * hop`` when ``center`` (signal padded by
    ``n_fft // 2`` with ``pad_mode``), default ``win_length = n_fft`` and
    ``hop = win_length // 4``. Complex64 for float32 input, complex128 otherwise.
    """
    y = np.asarray(y)
    win_length = n_fft if win_length is None else win_length
    hop_length = win_length // 4 if hop_length is None else hop_length
    fft_window = get_window(window, win_length, n_fft)
    if center:
        pad = [(0, 0)] * (y.ndim - 1) + [(n_fft // 2, n_fft // 2)]
        y = np.pad(y, pad, mode=pad_mode)
    if y.shape[-1] < n_fft:
        raise ValueError(f"n_fft={n_fft} is longer than the (padded) signal of {y.shape[-1]} samples.")
    frames = np.lib.stride_tricks.sliding_window_view(y, n_fft, axis=-1)[..., ::hop_length, :]
    spec = np.fft.rfft(frames * fft_window, axis=-1)  # (..., frames, bins), float64 math
    return np.swapaxes(spec, -1, -2).astype(_complex_dtype(y.dtype), order="C")


def _overlap_add(frames: np.ndarray, hop_length: int) -> np.ndarray:
    """Sum frames ``(..., n_frames, n_fft)`` placed every ``hop_length`` samples."""
    *lead, n_frames, n_fft = frames.shape
    per = -(-n_fft // hop_length)  # hop-sized pieces per frame
    padded = np.zeros((*lead, n_frames, per * hop_length), dtype=frames.dtype)
    padded[..., :n_fft] = frames
    pieces = padded.reshape(*lead, n_frames, per, hop_length)
    out = np.zeros((*lead, n_frames + per - 1, hop_length), dtype=frames.dtype)
    for k in range(per):  # at most n_fft / hop iterations, each over every frame
        out[..., k : k + n_frames, :] += pieces[..., k, :]
    return out.reshape(*lead, -1)[..., : n_fft + hop_length * (n_frames - 1)]


def istft(
    spec: np.ndarray,
    hop_length: int | None = None,
    win_length: int | None = None,
    n_fft: int | None = None,
    window: str | np.ndarray = "hann",
    center: bool = True,
    length: int | None = None,
) -> np.ndarray:
    """Inverse of :func:`stft` ``(..., bins, frames)`` -> ``(..., T)`` by weighted
    overlap-add, divided by the summed squared window where it is non-zero (librosa)."""
    n_fft = 2 * (spec.shape[-2] - 1) if n_fft is None else n_fft
    win_length = n_fft if win_length is None else win_length
    hop_length = win_length // 4 if hop_length is None else hop_length
    real_dtype = np.float32 if spec.dtype == np.complex64 else np.float64
    n_frames = spec.shape[-1]
    fft_window = get_window(window, win_length, n_fft)
    frames = np.fft.irfft(np.swapaxes(spec, -1, -2), n=n_fft, axis=-1) * fft_window
    y = _overlap_add(frames.astype(real_dtype), hop_length)
    win_sq = np.broadcast_to((fft_window**2).astype(real_dtype), (n_frames, n_fft))
    norm = _overlap_add(np.ascontiguousarray(win_sq), hop_length)
    nonzero = norm > np.finfo(real_dtype).tiny
    y[..., nonzero] /= norm[nonzero]
    start = n_fft // 2 if center else 0
    if length is None:
        end = y.shape[-1] - start if center else y.shape[-1]
        return y[..., start:end]
    y = y[..., start : start + length]
    if y.shape[-1] < length:
        y = np.pad(y, [(0, 0)] * (y.ndim - 1) + [(0, length - y.shape[-1])])
    return y


def griffin_lim(
    magnitude: np.ndarray,
    n_iter: int,
    hop_length: int,
    win_length: int,
    n_fft: int,
    pad_mode: str = "reflect",
    angles: np.ndarray | None = None,
) -> np.ndarray:
    """Griffin-Lim phase reconstruction of a linear magnitude ``(bins, frames)`` -> ``(T,)``.

    The starting phase is uniform random from NumPy's global generator (upstream draws it
    the same way, so ``np.random.seed`` makes both reproducible), unless ``angles``
    (unit-modulus complex, same shape) is given. Each iteration keeps the magnitude and
    takes the phase of the STFT of the current estimate.
    """
    mag = np.abs(magnitude).astype(np.complex128)
    if angles is None:
        angles = np.exp(2j * np.pi * np.random.rand(*magnitude.shape))
    stft_args = {"hop_length": hop_length, "win_length": win_length}
    y = istft(mag * angles, **stft_args)
    if not np.isfinite(y).all():
        logger.warning("Griffin-Lim start estimate is not finite; returning a single zero sample.")
        return np.array([0.0])
    for _ in range(n_iter):
        rebuilt = stft(y, n_fft, pad_mode=pad_mode, **stft_args)
        y = istft(mag * np.exp(1j * np.angle(rebuilt)), **stft_args)
    return y


def frame_rms(y: np.ndarray, frame_length: int, hop_length: int) -> np.ndarray:
    """Root-mean-square of centred, zero-padded frames (``librosa.feature.rms`` on a 1-D
    signal), accumulated in float32 like librosa. Shape ``(frames,)``."""
    half = frame_length // 2
    padded = np.pad(np.asarray(y), (half, half), mode="constant")
    frames = np.lib.stride_tricks.sliding_window_view(padded, frame_length)[::hop_length]
    power = np.mean(np.square(frames, dtype=np.float32), axis=-1)
    return np.sqrt(power)


def nonsilent_bounds(y: np.ndarray, top_db: float, frame_length: int, hop_length: int) -> tuple[int, int]:
    """Start and end sample of the part of ``y`` louder than ``top_db`` below its loudest
    frame, rounded out to frame hops (``librosa.effects.trim``). ``(0, 0)`` if all silent."""
    rms = frame_rms(y, frame_length, hop_length)
    amin = 1e-10  # power floor of librosa's amplitude_to_db (amin=1e-5 in amplitude)
    power = np.square(rms)
    ref = np.max(rms) ** 2 if rms.size else 0.0
    db = 10.0 * np.log10(np.maximum(amin, power)) - 10.0 * np.log10(np.maximum(amin, ref))
    loud = np.flatnonzero(db > -top_db)
    if loud.size == 0:
        return 0, 0
    return int(loud[0] * hop_length), int(min(len(y), (loud[-1] + 1) * hop_length))
