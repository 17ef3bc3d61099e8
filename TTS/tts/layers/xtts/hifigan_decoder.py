"""XTTS waveform decoder: GPT latents + speaker embedding -> 24 kHz audio.

The latents (one per 1024 input samples at 22.05 kHz) are linearly
interpolated to the HiFi-GAN frame rate (``ar_mel_length_compression /
output_hop_length`` frames per latent, then by ``output_sample_rate /
input_sample_rate``) and decoded by the shared
:class:`~TTS.core.layers.hifigan.HifiganGenerator`, conditioned on the
speaker embedding in every upsampling stage. The ResNet speaker encoder that
computes that embedding lives here too (keys ``waveform_decoder.*`` and
``speaker_encoder.*``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from TTS.core.layers.hifigan import HifiganGenerator
from TTS.core.layers.speaker_encoder import ResNetSpeakerEncoder

__all__ = ["DEFAULT_SPEAKER_ENCODER_AUDIO", "HifiDecoder"]

#: Front-end of the speaker encoder: 16 kHz, 64 mel bins, 25 ms / 10 ms frames.
DEFAULT_SPEAKER_ENCODER_AUDIO: dict[str, Any] = {
    "fft_size": 512,
    "win_length": 400,
    "hop_length": 160,
    "sample_rate": 16000,
    "preemphasis": 0.97,
    "num_mels": 64,
}


class HifiDecoder(nn.Module):
    """Latents (B, T, decoder_input_dim) and speaker embedding (B, d_vector_dim, 1) -> waveform (B, 1, T')."""

    def __init__(
        self,
        input_sample_rate: int = 22050,
        output_sample_rate: int = 24000,
        output_hop_length: int = 256,
        ar_mel_length_compression: int = 1024,
        decoder_input_dim: int = 1024,
        resblock_type_decoder: str = "1",
        resblock_dilation_sizes_decoder: Sequence[Sequence[int]] | None = None,
        resblock_kernel_sizes_decoder: Sequence[int] | None = None,
        upsample_rates_decoder: Sequence[int] | None = None,
        upsample_initial_channel_decoder: int = 512,
        upsample_kernel_sizes_decoder: Sequence[int] | None = None,
        d_vector_dim: int = 512,
        cond_d_vector_in_each_upsampling_layer: bool = True,
        speaker_encoder_audio_config: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.input_sample_rate = input_sample_rate
        self.output_sample_rate = output_sample_rate
        self.output_hop_length = output_hop_length
        self.ar_mel_length_compression = ar_mel_length_compression
        self.speaker_encoder_audio_config = dict(speaker_encoder_audio_config or DEFAULT_SPEAKER_ENCODER_AUDIO)
        self.waveform_decoder = HifiganGenerator(
            decoder_input_dim,
            1,
            resblock_type_decoder,
            resblock_dilation_sizes_decoder or [[1, 3, 5], [1, 3, 5], [1, 3, 5]],
            resblock_kernel_sizes_decoder or [3, 7, 11],
            upsample_kernel_sizes_decoder or [16, 16, 4, 4],
            upsample_initial_channel_decoder,
            upsample_rates_decoder or [8, 8, 2, 2],
            inference_padding=0,
            cond_channels=d_vector_dim,
            conv_pre_weight_norm=False,
            conv_post_weight_norm=False,
            conv_post_bias=False,
            cond_in_each_up_layer=cond_d_vector_in_each_upsampling_layer,
        )
        self._upsample_factors = tuple(upsample_rates_decoder or [8, 8, 2, 2])
        self.speaker_encoder = ResNetSpeakerEncoder(
            input_dim=64,
            proj_dim=512,
            log_input=True,
            use_torch_spec=True,
            audio_config=self.speaker_encoder_audio_config,
        )

    @property
    def device(self) -> torch.device:
        return self.waveform_decoder.conv_pre.weight.device

    def upsample_latents(self, latents: torch.Tensor) -> torch.Tensor:
        """(B, T, C) GPT latents -> (B, C, T'') decoder frames (linear interpolation, twice)."""
        z = F.interpolate(
            latents.transpose(1, 2),
            scale_factor=[self.ar_mel_length_compression / self.output_hop_length],
            mode="linear",
        )
        if self.output_sample_rate != self.input_sample_rate:
            z = F.interpolate(z, scale_factor=[self.output_sample_rate / self.input_sample_rate], mode="linear")
        return z

    def num_samples(self, num_latents: int) -> int:
        """Length of the waveform :meth:`forward` makes from ``num_latents`` latents (without running it).

        ``F.interpolate`` with a scale factor gives ``floor(size * scale)`` frames (computed in double).
        """
        frames = math.floor(num_latents * (self.ar_mel_length_compression / self.output_hop_length))
        if self.output_sample_rate != self.input_sample_rate:
            frames = math.floor(frames * (self.output_sample_rate / self.input_sample_rate))
        return frames * math.prod(self._upsample_factors)

    def forward(self, latents: torch.Tensor, g: torch.Tensor | None = None) -> torch.Tensor:
        """``latents``: (B, T, C); ``g``: (B, d_vector_dim, 1). Returns (B, 1, T')."""
        return self.waveform_decoder(self.upsample_latents(latents), g=g)

    @torch.inference_mode()
    def inference(self, c: torch.Tensor, g: torch.Tensor | None) -> torch.Tensor:
        """See :meth:`forward`."""
        return self.forward(c, g=g)
