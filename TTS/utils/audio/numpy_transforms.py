"""NumPy audio transforms under upstream's names (``TTS.utils.audio.numpy_transforms``).

Keyword-only functions with the upstream signatures, built on :mod:`TTS.core.audio.spectral`
and :mod:`TTS.core.audio.io`. librosa is not imported except by :func:`compute_f0`
(``librosa.pyin``, as upstream 0.28 does).

Differences from upstream, on purpose:

* ``load_wav(resample=True)`` resamples with our torchaudio-compatible sinc resampler,
  not librosa's soxr, so resampled samples differ slightly (both are band-limited).
* ``save_wav(do_rms_norm=True)`` scales the RMS-normalised signal to int16 full scale
  (as 0.22 did); 0.28 casts the float signal straight to int16, writing near-silence.
"""

from __future__ import annotations

import logging
import os
from io import BytesIO
from typing import IO, Any

import numpy as np

from TTS.core.audio import spectral
from TTS.core.audio.io import read_audio, save_pcm16
from TTS.core.errors import InvalidInputError, MissingDependencyError

__all__ = [
    "build_mel_basis",
    "millisec_to_length",
    "amp_to_db",
    "db_to_amp",
    "preemphasis",
    "deemphasis",
    "spec_to_mel",
    "mel_to_spec",
    "wav_to_spec",
    "wav_to_mel",
    "spec_to_wav",
    "mel_to_wav",
    "stft",
    "istft",
    "griffin_lim",
    "compute_stft_paddings",
    "compute_f0",
    "compute_energy",
    "find_endpoint",
    "trim_silence",
    "volume_norm",
    "rms_norm",
    "rms_volume_norm",
    "load_wav",
    "save_wav",
    "mulaw_encode",
    "mulaw_decode",
    "encode_16bits",
    "quantize",
    "dequantize",
]

logger = logging.getLogger(__name__)


def build_mel_basis(
    *, sample_rate: int, fft_size: int, num_mels: int, mel_fmin: float, mel_fmax: float | None = None, **_: Any
) -> np.ndarray:
    """librosa-default (Slaney) mel basis ``(num_mels, fft_size // 2 + 1)`` float32."""
    if mel_fmax is not None:
        if mel_fmax > sample_rate // 2:
            raise InvalidInputError(f"mel_fmax ({mel_fmax}) must not exceed half the sample rate ({sample_rate // 2}).")
        if mel_fmax - mel_fmin <= 0:
            raise InvalidInputError(f"mel_fmax ({mel_fmax}) must be above mel_fmin ({mel_fmin}).")
    return spectral.mel_filterbank(sample_rate, fft_size, num_mels, mel_fmin, mel_fmax)


def millisec_to_length(*, frame_length_ms: float, frame_shift_ms: float, sample_rate: int, **_: Any) -> tuple[int, int]:
    """(win_length, hop_length) in samples from frame length and shift in milliseconds."""
    ratio = frame_length_ms / frame_shift_ms
    if not float(ratio).is_integer():
        raise InvalidInputError("frame_shift_ms must divide frame_length_ms.")
    win_length = int(frame_length_ms / 1000.0 * sample_rate)
    return win_length, int(win_length / float(ratio))


def amp_to_db(*, x: np.ndarray, gain: float = 1, base: float = 10, **_: Any) -> np.ndarray:
    """``gain * log_base(max(x, 1e-8))`` for a non-negative amplitude spectrogram."""
    if np.any(x < 0):
        raise InvalidInputError("amp_to_db needs non-negative amplitudes.")
    floor = np.maximum(1e-8, x)
    return gain * (np.log10(floor) if base == 10 else np.log(floor))


def db_to_amp(*, x: np.ndarray, gain: float = 1, base: float = 10, **_: Any) -> np.ndarray:
    """Inverse of :func:`amp_to_db`."""
    return np.power(10, x / gain) if base == 10 else np.exp(x / gain)


def preemphasis(*, x: np.ndarray, coef: float = 0.97, **_: Any) -> np.ndarray:
    """First-order high-pass ``y[n] = x[n] - coef * x[n-1]`` (float64, like scipy's lfilter)."""
    if coef == 0:
        raise RuntimeError(" [!] Preemphasis is set 0.0.")
    x = np.asarray(x, dtype=np.float64)
    y = x.copy()
    y[..., 1:] -= coef * x[..., :-1]
    return y


def deemphasis(*, x: np.ndarray, coef: float = 0.97, **_: Any) -> np.ndarray:
    """Inverse of :func:`preemphasis`: ``y[n] = x[n] + coef * y[n-1]``."""
    if coef == 0:
        raise ValueError(" [!] Preemphasis is set 0.0.")
    import scipy.signal  # a recursive filter: scipy's C loop, imported only when used

    return scipy.signal.lfilter([1], [1, -coef], x)


def spec_to_mel(*, spec: np.ndarray, mel_basis: np.ndarray, **_: Any) -> np.ndarray:
    """Linear ``(C, T)`` -> mel ``(num_mels, T)``."""
    return np.dot(mel_basis, spec)


def mel_to_spec(*, mel: np.ndarray, mel_basis: np.ndarray, inv_mel_basis: np.ndarray | None = None, **_: Any):
    """Mel ``(num_mels, T)`` -> linear ``(C, T)`` through the pseudo-inverse, floored at 1e-10."""
    if np.any(mel < 0):
        raise InvalidInputError("mel_to_spec needs non-negative mel amplitudes.")
    inverse = np.linalg.pinv(mel_basis) if inv_mel_basis is None else inv_mel_basis
    return np.maximum(1e-10, np.dot(inverse, mel))


def stft(
    *,
    y: np.ndarray,
    fft_size: int,
    hop_length: int | None = None,
    win_length: int | None = None,
    pad_mode: str = "reflect",
    window: str = "hann",
    center: bool = True,
    **_: Any,
) -> np.ndarray:
    """Complex STFT ``(fft_size // 2 + 1, frames)`` with librosa's conventions."""
    return spectral.stft(y, fft_size, hop_length, win_length, window=window, center=center, pad_mode=pad_mode)


def istft(
    *,
    y: np.ndarray,
    hop_length: int | None = None,
    win_length: int | None = None,
    window: str = "hann",
    center: bool = True,
    **_: Any,
) -> np.ndarray:
    """Inverse STFT of a complex ``(bins, frames)`` matrix."""
    return spectral.istft(y, hop_length=hop_length, win_length=win_length, window=window, center=center)


def wav_to_spec(*, wav: np.ndarray, **kwargs: Any) -> np.ndarray:
    """Magnitude spectrogram ``(C, T)`` float32 of ``wav`` ``(T_wav,)``."""
    return np.abs(stft(y=wav, **kwargs)).astype(np.float32)


def wav_to_mel(*, wav: np.ndarray, mel_basis: np.ndarray, **kwargs: Any) -> np.ndarray:
    """Mel spectrogram ``(num_mels, T)`` float32 of ``wav``."""
    return spec_to_mel(spec=np.abs(stft(y=wav, **kwargs)), mel_basis=mel_basis).astype(np.float32)


def griffin_lim(*, spec: np.ndarray, num_iter: int = 60, **kwargs: Any) -> np.ndarray:
    """Griffin-Lim waveform from a linear magnitude ``(C, T)``; random start phase from
    NumPy's global generator, as upstream (seed it with ``np.random.seed`` to reproduce)."""
    fft_size = kwargs.get("fft_size", 2 * (spec.shape[0] - 1))
    win_length = kwargs.get("win_length") or fft_size
    hop_length = kwargs.get("hop_length") or win_length // 4
    return spectral.griffin_lim(
        spec, num_iter, hop_length, win_length, fft_size, pad_mode=kwargs.get("pad_mode", "reflect")
    )


def spec_to_wav(*, spec: np.ndarray, power: float = 1.5, **kwargs: Any) -> np.ndarray:
    """Griffin-Lim from a linear magnitude raised to ``power``."""
    return griffin_lim(spec=spec.copy() ** power, **kwargs)


def mel_to_wav(*, mel: np.ndarray, mel_basis: np.ndarray, power: float = 1.5, **kwargs: Any) -> np.ndarray:
    """Griffin-Lim from a mel magnitude (mapped back to linear) raised to ``power``."""
    linear = mel_to_spec(mel=mel.copy(), mel_basis=mel_basis)
    return griffin_lim(spec=linear**power, **kwargs)


def compute_stft_paddings(*, x: np.ndarray, hop_length: int, pad_two_sides: bool = False, **_: Any) -> tuple[int, int]:
    """Padding that rounds ``len(x)`` up to a whole number of hops plus one, right side only
    or split between both sides."""
    pad = (x.shape[0] // hop_length + 1) * hop_length - x.shape[0]
    return (pad // 2, pad // 2 + pad % 2) if pad_two_sides else (0, pad)


def compute_f0(
    *,
    x: np.ndarray,
    pitch_fmax: float | None = None,
    pitch_fmin: float | None = None,
    hop_length: int,
    win_length: int,
    sample_rate: int,
    stft_pad_mode: str = "reflect",
    center: bool = True,
    **_: Any,
) -> np.ndarray:
    """Pitch track ``(frames,)`` in Hz (0 where unvoiced) by ``librosa.pyin`` with upstream
    0.28's settings (0.22 used pyworld, which this package does not require)."""
    if pitch_fmax is None or pitch_fmin is None:
        raise InvalidInputError("Set pitch_fmin and pitch_fmax in the audio config before computing f0.")
    try:
        import librosa
    except ImportError as err:  # pragma: no cover - librosa is a requirement
        raise MissingDependencyError("compute_f0 needs librosa: `pip install librosa`.") from err
    if sample_rate / pitch_fmin >= win_length - 1:
        logger.warning("pitch_fmin=%.2f is too small for win_length=%d", pitch_fmin, win_length)
        pitch_fmin = sample_rate / (win_length - 1) + 0.1
        logger.warning("pitch_fmin increased to %f", pitch_fmin)
    f0, voiced, _unused = librosa.pyin(
        y=np.asarray(x, dtype=np.float64),
        fmin=pitch_fmin,
        fmax=pitch_fmax,
        sr=sample_rate,
        frame_length=win_length,
        hop_length=hop_length,
        pad_mode=stft_pad_mode,
        center=center,
        n_thresholds=100,
        beta_parameters=(2, 18),
        boltzmann_parameter=2,
        resolution=0.1,
        max_transition_rate=35.92,
        switch_prob=0.01,
        no_trough_prob=0.01,
    )
    f0[~voiced] = 0.0
    return f0


def compute_energy(y: np.ndarray, **kwargs: Any) -> np.ndarray:
    """Frame energy ``(frames,)``: L2 norm of each STFT column."""
    magnitude = np.abs(stft(y=y, **kwargs))
    return np.sqrt(np.sum(magnitude**2, axis=0))


def find_endpoint(
    *,
    wav: np.ndarray,
    trim_db: float = -40,
    sample_rate: int,
    min_silence_sec: float = 0.8,
    gain: float = 1,
    base: float = 10,
    **_: Any,
) -> int:
    """Sample index after which the signal stays below ``-trim_db`` for ``min_silence_sec``
    (checked every quarter window, on the signed peak as upstream); ``len(wav)`` if never."""
    window = int(sample_rate * min_silence_sec)
    hop = int(window / 4)
    threshold = db_to_amp(x=-trim_db, gain=gain, base=base)
    wav = np.asarray(wav)
    starts = np.arange(hop, len(wav) - window, hop) if hop > 0 else np.array([], dtype=int)
    if starts.size == 0:
        return len(wav)
    peaks = np.lib.stride_tricks.sliding_window_view(wav, window)[starts].max(axis=1)
    quiet = np.flatnonzero(peaks < threshold)
    return int(starts[quiet[0]] + hop) if quiet.size else len(wav)


def trim_silence(
    *, wav: np.ndarray, sample_rate: int, trim_db: float = 60, win_length: int, hop_length: int, **_: Any
) -> np.ndarray:
    """Drop 10 ms from each end, then leading and trailing frames quieter than ``trim_db``
    below the loudest frame (``librosa.effects.trim`` semantics)."""
    margin = int(sample_rate * 0.01)
    if margin > 0:
        wav = wav[margin:-margin]
    start, end = spectral.nonsilent_bounds(wav, trim_db, win_length, hop_length)
    return wav[start:end]


def volume_norm(*, x: np.ndarray, coef: float = 0.95, **_: Any) -> np.ndarray:
    """Scale so the peak magnitude is ``coef``."""
    return x / abs(x).max() * coef


def rms_norm(*, wav: np.ndarray, db_level: float = -27.0, **_: Any) -> np.ndarray:
    """Scale so the RMS level is ``db_level`` dBFS."""
    target = 10 ** (db_level / 20)
    return wav * np.sqrt((len(wav) * target**2) / np.sum(wav**2))


def rms_volume_norm(*, x: np.ndarray, db_level: float = -27.0, **_: Any) -> np.ndarray:
    """:func:`rms_norm` with ``db_level`` checked to lie in [-99, 0]."""
    if not -99 <= db_level <= 0:
        raise InvalidInputError(f"db_level must be between -99 and 0, got {db_level}.")
    return rms_norm(wav=x, db_level=db_level)


def load_wav(
    *, filename: str | os.PathLike[Any], sample_rate: int | None = None, resample: bool = False, **_: Any
) -> np.ndarray:
    """Read a file as a mono waveform ``(T,)``.

    Without ``resample``: the file's samples at its own rate, float64 (as upstream's
    ``sf.read``). With it: resampled to ``sample_rate`` by our sinc resampler, float32.
    Multi-channel files are averaged to mono. Raises ``AudioLoadError`` for bad files.
    """
    data, rate = read_audio(filename, dtype="float32" if resample else "float64")
    if data.shape[0] > 1:
        logger.warning("Found multi-channel audio. Converting to mono: %s", filename)
    wav = data.mean(axis=0) if data.shape[0] > 1 else data[0]
    if resample and sample_rate is not None and rate != sample_rate:
        import torch

        from TTS.core.audio.resample import resample as sinc_resample

        wav = sinc_resample(torch.from_numpy(np.ascontiguousarray(wav)), rate, int(sample_rate)).numpy()
    return wav


def save_wav(
    *,
    wav: np.ndarray,
    path: str | os.PathLike[Any] | BytesIO,
    sample_rate: int,
    pipe_out: IO[Any] | None = None,
    do_rms_norm: bool = False,
    db_level: float = -27.0,
    **_: Any,
) -> None:
    """Write ``wav`` as 16-bit PCM: peak-normalised to full scale, or RMS-normalised to
    ``db_level`` when ``do_rms_norm``. ``pipe_out`` (e.g. ``sys.stdout``) gets the same bytes."""
    from TTS.core.audio.io import pcm16_from_float

    if do_rms_norm:
        if db_level is None:
            raise InvalidInputError("`db_level` cannot be None with `do_rms_norm=True`.")
        pcm = (rms_volume_norm(x=np.asarray(wav), db_level=db_level) * 32767).astype(np.int16)
    else:
        pcm = pcm16_from_float(wav)
    save_pcm16(pcm, path, sample_rate, pipe_out=pipe_out)


def mulaw_encode(*, wav: np.ndarray, mulaw_qc: int, **_: Any) -> np.ndarray:
    """mu-law compand ``wav`` in [-1, 1] to integers in [0, 2**mulaw_qc - 1] (as floats)."""
    mu = 2**mulaw_qc - 1
    companded = np.sign(wav) * np.log(1 + mu * np.abs(wav)) / np.log(1.0 + mu)
    return np.floor((companded + 1) / 2 * mu + 0.5)


def mulaw_decode(*, wav: np.ndarray, mulaw_qc: int, **_: Any) -> np.ndarray:
    """Expand mu-law values (already mapped back to [-1, 1]) to linear amplitude."""
    mu = 2**mulaw_qc - 1
    return np.sign(wav) / mu * ((1 + mu) ** np.abs(wav) - 1)


def encode_16bits(*, x: np.ndarray, **_: Any) -> np.ndarray:
    """[-1, 1] float to int16 with clipping."""
    return np.clip(x * 2**15, -(2**15), 2**15 - 1).astype(np.int16)


def quantize(*, x: np.ndarray, quantize_bits: int, **_: Any) -> np.ndarray:
    """[-1, 1] to [0, 2**bits - 1] (float)."""
    return (x + 1.0) * (2**quantize_bits - 1) / 2


def dequantize(*, x: np.ndarray, quantize_bits: int, **_: Any) -> np.ndarray:
    """Inverse of :func:`quantize`."""
    return 2 * x / (2**quantize_bits - 1) - 1
