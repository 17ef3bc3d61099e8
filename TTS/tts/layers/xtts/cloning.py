"""Reference audio for XTTS voice cloning: loading, checks, and the GPT conditioning mel.

``gpt_cond_latent`` comes from a log-mel of the reference at 22.05 kHz
(2048-point FFT, 1024-sample window, hop 256, 80 Slaney-normalised HTK-scale
bins up to 8 kHz), divided by the checkpoint's ``mel_stats``. The speaker
embedding comes from the decoder's speaker encoder at 16 kHz.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import torch
from torch import nn

from TTS.core.audio.io import MIN_REFERENCE_SECONDS, check_reference_audio
from TTS.core.errors import AudioLoadError

__all__ = [
    "MIN_REFERENCE_SECONDS",
    "CONDITIONING_SAMPLE_RATE",
    "conditioning_mel_transform",
    "load_reference",
    "check_reference",
    "gpt_cond_latents",
    "speaker_embedding",
]

logger = logging.getLogger(__name__)

#: Rate of the GPT conditioning front-end.
CONDITIONING_SAMPLE_RATE = 22050


def conditioning_mel_transform() -> nn.Module:
    """The mel front-end of the GPT conditioning: (B, T) at 22.05 kHz -> power mel (B, 80, T // 256 + 1)."""
    from TTS.core.audio.mel import MelSpectrogram

    return MelSpectrogram(
        sample_rate=CONDITIONING_SAMPLE_RATE,
        n_fft=2048,
        win_length=1024,
        hop_length=256,
        f_min=0.0,
        f_max=8000.0,
        n_mels=80,
        power=2.0,
        normalized=False,
        norm="slaney",
    )


def check_reference(audio: torch.Tensor, sample_rate_hz: int, source: Any) -> None:
    """Raise :class:`AudioLoadError` when ``audio`` (1, T) is silent or shorter than 0.33 s (the shared check)."""
    check_reference_audio(audio, sample_rate_hz, source)


def load_reference(
    path: str | os.PathLike[Any],
    load_sr: int,
    max_ref_length: float,
    sound_norm_refs: bool = False,
    librosa_trim_db: float | None = None,
) -> torch.Tensor:
    """Load one reference as (1, T) float32 at ``load_sr`` Hz, clipped to [-1, 1], checked.

    Keeps the first ``max_ref_length`` seconds, optionally peak-normalises to
    0.75 and trims leading/trailing silence quieter than ``librosa_trim_db``.
    """
    from TTS.core.audio.io import load_audio

    audio = load_audio(path, sample_rate_hz=load_sr).float().clamp_(-1.0, 1.0)
    audio = audio[:, : int(load_sr * max_ref_length)]
    check_reference_audio(audio, load_sr, path)  # before normalising: a silent file must not divide by ~0
    if sound_norm_refs:
        audio = audio / audio.abs().max() * 0.75
    if librosa_trim_db is not None:
        import librosa

        trimmed, _ = librosa.effects.trim(audio.numpy(), top_db=librosa_trim_db)
        audio = torch.from_numpy(trimmed.copy())
    check_reference(audio, load_sr, path)
    return audio


def gpt_cond_latents(
    gpt: nn.Module,
    mel_transform: nn.Module,
    mel_stats: torch.Tensor,
    audio: torch.Tensor,
    sr: int,
    length: float = 30,
    chunk_length: float = 6,
) -> torch.Tensor:
    """Conditioning latents (1, N, D) of ``audio`` (1, T) at ``sr`` Hz (see ``Xtts.get_gpt_cond_latents``)."""
    from TTS.core.audio.resample import resample

    rate = CONDITIONING_SAMPLE_RATE
    audio = audio.float()
    if sr != rate:
        audio = resample(audio, sr, rate)
    if length > 0:
        audio = audio[:, : int(rate * length)]
    scale = mel_stats[None, :, None]

    def style(chunk: torch.Tensor) -> torch.Tensor:
        mel = torch.log(mel_transform(chunk).clamp(min=1e-5)) / scale
        return gpt.get_style_emb(mel)

    if not gpt.use_perceiver_resampler:
        return style(audio).transpose(1, 2)
    step = int(rate * chunk_length)
    chunks = [audio[:, i : i + step] for i in range(0, audio.shape[1], step)]
    embs = [style(c) for c in chunks if c.shape[1] >= rate * MIN_REFERENCE_SECONDS]
    if not embs:
        raise AudioLoadError(
            f"Reference audio too short: at least {MIN_REFERENCE_SECONDS} s is needed (3-10 s works best)."
        )
    return torch.stack(embs).mean(dim=0).transpose(1, 2)


def speaker_embedding(encoder: nn.Module, audio: torch.Tensor, sr: int) -> torch.Tensor:
    """L2-normalised speaker embedding (1, C, 1) of ``audio`` (1, T) at ``sr`` Hz."""
    from TTS.core.audio.resample import resample

    audio_16k = resample(audio.float(), sr, encoder.audio_config["sample_rate"])
    return encoder(audio_16k, l2_norm=True).unsqueeze(-1)
