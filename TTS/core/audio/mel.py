"""The one torch mel front-end, numerically and state-dict compatible with
``torchaudio.transforms.Spectrogram`` / ``MelScale`` / ``MelSpectrogram``.

Buffers keep torchaudio's names (``spectrogram.window``, ``mel_scale.fb``) so checkpoints
that saved them load unchanged.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import numpy as np
import torch
from torch import nn

from TTS.core.audio.spectral import hz_to_mel
from TTS.core.audio.spectral import mel_filterbank as _librosa_mel_filterbank

__all__ = ["Spectrogram", "MelScale", "MelSpectrogram", "melscale_fbanks", "mel_filterbank", "spectrogram"]


def _hz_to_mel_scalar(freq: float, mel_scale: str) -> float:
    return float(hz_to_mel(freq, htk=mel_scale == "htk"))


def _mel_to_hz_f32(mels: torch.Tensor, mel_scale: str) -> torch.Tensor:
    # float32 tensor math in torchaudio's order of operations (see melscale_fbanks)
    if mel_scale == "htk":
        return 700.0 * (10.0 ** (mels / 2595.0) - 1.0)
    hz_per_mel = 200.0 / 3
    break_mel = 1000.0 / hz_per_mel
    log_step = math.log(6.4) / 27.0
    linear = hz_per_mel * mels
    return torch.where(mels >= break_mel, 1000.0 * torch.exp(log_step * (mels - break_mel)), linear)


def melscale_fbanks(
    n_freqs: int,
    f_min: float,
    f_max: float,
    n_mels: int,
    sample_rate: int,
    norm: str | None = None,
    mel_scale: str = "htk",
) -> torch.Tensor:
    """Triangular mel filters ``(n_freqs, n_mels)`` float32, as ``torchaudio.functional.melscale_fbanks``:
    ``spec (..., T, n_freqs) @ fb`` gives mels. ``mel_scale`` is ``"htk"`` or ``"slaney"``,
    ``norm`` is ``None`` or ``"slaney"`` (divide each filter by its bandwidth / 2).

    Computed in float32 like torchaudio (bins on ``linspace(0, sr // 2, n_freqs)``), so the
    buffer matches the one stored in checkpoints to the last bit or so.
    """
    if norm is not None and norm != "slaney":
        raise ValueError('norm must be None or "slaney".')
    if mel_scale not in ("htk", "slaney"):
        raise ValueError('mel_scale must be "htk" or "slaney".')
    bin_freqs = torch.linspace(0, sample_rate // 2, n_freqs, dtype=torch.float32)
    mel_edges = torch.linspace(
        _hz_to_mel_scalar(f_min, mel_scale), _hz_to_mel_scalar(f_max, mel_scale), n_mels + 2, dtype=torch.float32
    )
    edges = _mel_to_hz_f32(mel_edges, mel_scale)
    widths = edges[1:] - edges[:-1]
    offsets = edges[None, :] - bin_freqs[:, None]  # (n_freqs, n_mels + 2)
    rise = (-1.0 * offsets[:, :-2]) / widths[:-1]
    fall = offsets[:, 2:] / widths[1:]
    fb = torch.clamp_min(torch.minimum(rise, fall), 0.0)
    if norm == "slaney":
        fb = fb * (2.0 / (edges[2 : n_mels + 2] - edges[:n_mels]))[None, :]
    if (fb.max(dim=0).values == 0.0).any():
        warnings.warn(
            f"At least one mel filter is all zeros: n_mels={n_mels} is too high for n_freqs={n_freqs}.",
            stacklevel=2,
        )
    return fb


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
    """librosa-compatible filterbank ``(n_mels, 1 + n_fft // 2)`` (``librosa.filters.mel``),
    used by ``AudioProcessor`` and the vocoder front-ends. See
    :func:`TTS.core.audio.spectral.mel_filterbank`."""
    return _librosa_mel_filterbank(sample_rate, n_fft, n_mels, f_min, f_max, htk, norm, dtype)


def _norm_flags(normalized: bool | str) -> tuple[bool, bool]:
    """(divide by sqrt(frame_length) inside stft, divide by the window's L2 norm after)."""
    if isinstance(normalized, str):
        if normalized not in ("frame_length", "window"):
            raise ValueError(f"normalized must be a bool, 'window' or 'frame_length', got {normalized!r}.")
        return normalized == "frame_length", normalized == "window"
    return False, bool(normalized)


def spectrogram(
    waveform: torch.Tensor,
    pad: int,
    window: torch.Tensor,
    n_fft: int,
    hop_length: int,
    win_length: int,
    power: float | None,
    normalized: bool | str,
    center: bool = True,
    pad_mode: str = "reflect",
    onesided: bool = True,
) -> torch.Tensor:
    """``(..., T)`` -> ``(..., n_fft // 2 + 1, frames)``: magnitude to ``power``, or the
    complex STFT when ``power`` is ``None`` (``torchaudio.functional.spectrogram``)."""
    if pad > 0:
        waveform = nn.functional.pad(waveform, (pad, pad), "constant")
    frame_norm, window_norm = _norm_flags(normalized)
    lead = waveform.shape[:-1]
    spec = torch.stft(
        waveform.reshape(-1, waveform.shape[-1]),
        n_fft=n_fft,
        hop_length=hop_length,
        win_length=win_length,
        window=window,
        center=center,
        pad_mode=pad_mode,
        normalized=frame_norm,
        onesided=onesided,
        return_complex=True,
    )
    spec = spec.reshape(lead + spec.shape[-2:])
    if window_norm:
        spec = spec / window.pow(2.0).sum().sqrt()
    if power is None:
        return spec
    magnitude = spec.abs()
    return magnitude if power == 1.0 else magnitude.pow(power)


class Spectrogram(nn.Module):
    """STFT magnitude (or power) spectrogram, ``(..., T)`` -> ``(..., n_fft // 2 + 1, frames)``.

    Same arguments and defaults as ``torchaudio.transforms.Spectrogram``; buffer ``window``.
    """

    def __init__(
        self,
        n_fft: int = 400,
        win_length: int | None = None,
        hop_length: int | None = None,
        pad: int = 0,
        window_fn: Callable[..., torch.Tensor] = torch.hann_window,
        power: float | None = 2.0,
        normalized: bool | str = False,
        wkwargs: dict | None = None,
        center: bool = True,
        pad_mode: str = "reflect",
        onesided: bool = True,
        return_complex: bool | None = None,
    ) -> None:
        super().__init__()
        self.n_fft = n_fft
        self.win_length = n_fft if win_length is None else win_length
        self.hop_length = self.win_length // 2 if hop_length is None else hop_length
        self.register_buffer("window", window_fn(self.win_length, **(wkwargs or {})))
        self.pad = pad
        self.power = power
        self.normalized = normalized
        self.center = center
        self.pad_mode = pad_mode
        self.onesided = onesided

    def forward(self, waveform: torch.Tensor) -> torch.Tensor:
        return spectrogram(
            waveform,
            self.pad,
            self.window,
            self.n_fft,
            self.hop_length,
            self.win_length,
            self.power,
            self.normalized,
            self.center,
            self.pad_mode,
            self.onesided,
        )


class MelScale(nn.Module):
    """Linear-frequency spectrogram ``(..., n_stft, frames)`` -> ``(..., n_mels, frames)``.

    Same arguments and defaults as ``torchaudio.transforms.MelScale``; buffer ``fb``
    ``(n_stft, n_mels)``.
    """

    def __init__(
        self,
        n_mels: int = 128,
        sample_rate: int = 16000,
        f_min: float = 0.0,
        f_max: float | None = None,
        n_stft: int = 201,
        norm: str | None = None,
        mel_scale: str = "htk",
    ) -> None:
        super().__init__()
        self.n_mels = n_mels
        self.sample_rate = sample_rate
        self.f_max = float(sample_rate // 2) if f_max is None else f_max
        self.f_min = f_min
        self.n_stft = n_stft
        self.norm = norm
        self.mel_scale = mel_scale
        if f_min > self.f_max:
            raise ValueError(f"f_min ({f_min}) must not exceed f_max ({self.f_max}).")
        fb = melscale_fbanks(n_stft, self.f_min, self.f_max, n_mels, sample_rate, norm, mel_scale)
        self.register_buffer("fb", fb)

    def forward(self, specgram: torch.Tensor) -> torch.Tensor:
        return torch.matmul(specgram.transpose(-1, -2), self.fb).transpose(-1, -2)


class MelSpectrogram(nn.Module):
    """Waveform ``(..., T)`` -> mel spectrogram ``(..., n_mels, frames)``.

    Same arguments and defaults as ``torchaudio.transforms.MelSpectrogram`` (HTK scale,
    no filter norm, power 2); submodules ``spectrogram`` and ``mel_scale``.
    """

    def __init__(
        self,
        sample_rate: int = 16000,
        n_fft: int = 400,
        win_length: int | None = None,
        hop_length: int | None = None,
        f_min: float = 0.0,
        f_max: float | None = None,
        pad: int = 0,
        n_mels: int = 128,
        window_fn: Callable[..., torch.Tensor] = torch.hann_window,
        power: float = 2.0,
        normalized: bool | str = False,
        wkwargs: dict | None = None,
        center: bool = True,
        pad_mode: str = "reflect",
        onesided: bool | None = None,
        norm: str | None = None,
        mel_scale: str = "htk",
    ) -> None:
        super().__init__()
        self.sample_rate = sample_rate
        self.n_fft = n_fft
        self.win_length = n_fft if win_length is None else win_length
        self.hop_length = self.win_length // 2 if hop_length is None else hop_length
        self.pad = pad
        self.power = power
        self.normalized = normalized
        self.n_mels = n_mels
        self.f_max = f_max
        self.f_min = f_min
        self.spectrogram = Spectrogram(
            n_fft=n_fft,
            win_length=self.win_length,
            hop_length=self.hop_length,
            pad=pad,
            window_fn=window_fn,
            power=power,
            normalized=normalized,
            wkwargs=wkwargs,
            center=center,
            pad_mode=pad_mode,
            onesided=True,
        )
        self.mel_scale = MelScale(n_mels, sample_rate, f_min, f_max, n_fft // 2 + 1, norm, mel_scale)

    def forward(self, waveform: torch.Tensor) -> torch.Tensor:
        return self.mel_scale(self.spectrogram(waveform))
