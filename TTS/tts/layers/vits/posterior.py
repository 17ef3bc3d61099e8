"""VITS posterior side, used by voice conversion: linear spectrogram, posterior encoder, flow forward.

Training maps audio to the latent ``z`` with the posterior encoder and ``z`` to the
prior space with the flow; inference from text only runs the flow backwards. Voice
conversion needs both directions, so these pieces live here, apart from the text path.

Keys of :class:`PosteriorEncoder`: ``pre``, ``enc.*`` (the shared WaveNet stack),
``proj`` -- released checkpoints store them under ``posterior_encoder.`` (Fairseq
and the original VITS under ``enc_q.``).
"""

from __future__ import annotations

import torch
from torch import nn

from TTS.core.audio.mel import spectrogram
from TTS.tts.layers.generic.wavenet import WaveNet
from TTS.tts.layers.vits.flows import ResidualCouplingBlocks
from TTS.tts.utils.helpers import sequence_mask

__all__ = ["PosteriorEncoder", "linear_spectrogram", "flow_forward"]

# Added under the square root of the magnitude, as the VITS recipe trains with it.
_MAGNITUDE_EPS = 1e-6


def linear_spectrogram(wav: torch.Tensor, n_fft: int, hop_length: int, win_length: int) -> torch.Tensor:
    """Magnitude STFT the posterior encoder was trained on: ``(B, T)`` -> ``(B, n_fft // 2 + 1, frames)``.

    The signal is reflect-padded by ``(n_fft - hop_length) // 2`` on both sides and framed
    without centring (so ``frames = T // hop_length`` for the usual sizes); a periodic
    Hann window of ``win_length``; magnitude ``sqrt(re^2 + im^2 + 1e-6)``.
    """
    if wav.dim() == 3:
        wav = wav.squeeze(1)
    side = (n_fft - hop_length) // 2
    if wav.shape[-1] <= side:
        raise ValueError(f"The source audio is too short: {wav.shape[-1]} samples, need more than {side}.")
    padded = nn.functional.pad(wav.unsqueeze(1), (side, side), mode="reflect").squeeze(1)
    window = torch.hann_window(win_length, dtype=wav.dtype, device=wav.device)
    spec = spectrogram(
        padded,
        pad=0,
        window=window,
        n_fft=n_fft,
        hop_length=hop_length,
        win_length=win_length,
        power=None,
        normalized=False,
        center=False,
    )
    return torch.sqrt(spec.real.square() + spec.imag.square() + _MAGNITUDE_EPS)


class PosteriorEncoder(nn.Module):
    """Spectrogram -> latent: 1x1 conv, speaker-conditioned WaveNet, 1x1 conv to mean and log-scale.

    Args:
        in_channels: spectrogram bins (``n_fft // 2 + 1``; ``VitsArgs.out_channels``).
        out_channels: latent channels (``hidden_channels`` in VITS).
        hidden_channels: WaveNet width.
        kernel_size, dilation_rate, num_layers: WaveNet shape.
        cond_channels: speaker conditioning width (0: none).
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        hidden_channels: int,
        kernel_size: int,
        dilation_rate: int,
        num_layers: int,
        cond_channels: int = 0,
    ) -> None:
        super().__init__()
        self.out_channels = out_channels
        self.pre = nn.Conv1d(in_channels, hidden_channels, 1)
        self.enc = WaveNet(hidden_channels, kernel_size, dilation_rate, num_layers, cond_channels=cond_channels)
        self.proj = nn.Conv1d(hidden_channels, 2 * out_channels, 1)

    def forward(
        self,
        spec: torch.Tensor,
        lengths: torch.Tensor,
        g: torch.Tensor | None = None,
        noise_scale: float = 1.0,
        noise: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """Sample ``z = mean + noise * noise_scale * exp(log_scale)`` for a spectrogram.

        Args:
            spec: (B, C_in, T) linear spectrogram.
            lengths: (B,) valid frames.
            g: (B, C_g, 1) speaker conditioning or None.
            noise_scale: 1 samples the posterior as upstream does, 0 takes its mean.
            noise: (B, C_out, T) standard normal draws to use instead of fresh ones.

        Returns:
            ``z``, ``mean``, ``log_scale`` (B, C_out, T) and ``mask`` (B, 1, T).
        """
        mask = sequence_mask(lengths, spec.shape[2]).unsqueeze(1).to(spec.dtype)
        h = self.enc(self.pre(spec) * mask, mask, g=g)
        mean, log_scale = torch.split(self.proj(h) * mask, self.out_channels, dim=1)
        if noise is None:
            noise = torch.randn_like(mean) if noise_scale else torch.zeros_like(mean)
        elif noise.shape != mean.shape:
            raise ValueError(f"noise has shape {tuple(noise.shape)}, expected {tuple(mean.shape)}")
        z = (mean + noise.to(mean) * noise_scale * torch.exp(log_scale)) * mask
        return z, mean, log_scale, mask


def flow_forward(
    flow: ResidualCouplingBlocks, z: torch.Tensor, mask: torch.Tensor, g: torch.Tensor | None = None
) -> torch.Tensor:
    """Latent ``z`` (B, C, T) -> prior space: each mean-only coupling block, then a channel flip.

    The exact inverse of :meth:`ResidualCouplingBlocks.inverse` for the same ``g``.
    """
    for block in flow.flows:
        x0, x1 = torch.split(z, [block.half_channels] * 2, dim=1)
        shift = block.post(block.enc(block.pre(x0) * mask, mask, g=g)) * mask
        z = torch.flip(torch.cat([x0, shift + x1 * mask], dim=1), [1])
    return z
