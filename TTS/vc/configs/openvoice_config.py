"""OpenVoice converter configuration: ``OpenVoiceConfig``, ``OpenVoiceArgs``, ``OpenVoiceAudioConfig``.

Field names and defaults are those of the released converters (v1 and v2: 192-wide
latents, a 512-channel HiFi-GAN, 256-wide tone-colour embeddings). The released folders
ship OpenVoice's own ``config.json`` (sections ``data`` and ``model``), not a Coqui one;
:meth:`OpenVoiceConfig.from_original` reads that format.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from coqpit import Coqpit

from TTS.config.shared_configs import ModelArgs
from TTS.vc.configs.shared_configs import BaseVCConfig

__all__ = ["OpenVoiceArgs", "OpenVoiceAudioConfig", "OpenVoiceConfig", "is_original_openvoice_config"]


@dataclass
class OpenVoiceAudioConfig(Coqpit):
    """Sample rates (Hz) and the linear spectrogram's STFT size, hop and window (samples)."""

    input_sample_rate: int = 22050
    output_sample_rate: int = 22050
    fft_size: int = 1024
    hop_length: int = 256
    win_length: int = 1024


@dataclass
class OpenVoiceArgs(ModelArgs):
    """Converter architecture.

    ``inter_channels`` (latent width), ``hidden_channels`` (WaveNet width of the posterior
    encoder and the flow), ``gin_channels`` (tone-colour embedding), the ``resblock*`` /
    ``upsample*`` fields of the HiFi-GAN decoder (the product of ``upsample_rates`` is the
    hop length), ``zero_g`` (the posterior encoder and the decoder get a zero embedding;
    only the flow sees the voices) and ``tau`` (scale of the posterior sample's noise).
    ``filter_channels``, ``n_heads``, ``n_layers``, ``kernel_size``, ``p_dropout``,
    ``n_layers_q`` and ``use_spectral_norm`` describe parts the converter does not have
    and are kept so configs round-trip.
    """

    zero_g: bool = True
    inter_channels: int = 192
    hidden_channels: int = 192
    filter_channels: int = 768
    n_heads: int = 2
    n_layers: int = 6
    kernel_size: int = 3
    p_dropout: float = 0.1
    resblock: str = "1"
    resblock_kernel_sizes: list[int] = field(default_factory=lambda: [3, 7, 11])
    resblock_dilation_sizes: list[list[int]] = field(default_factory=lambda: [[1, 3, 5], [1, 3, 5], [1, 3, 5]])
    upsample_rates: list[int] = field(default_factory=lambda: [8, 8, 2, 2])
    upsample_initial_channel: int = 512
    upsample_kernel_sizes: list[int] = field(default_factory=lambda: [16, 16, 4, 4])
    n_layers_q: int = 3
    use_spectral_norm: bool = False
    gin_channels: int = 256
    tau: float = 0.3


@dataclass
class OpenVoiceConfig(BaseVCConfig):
    """Config of an OpenVoice tone-colour converter (``model = "openvoice"``)."""

    model: str = "openvoice"
    model_args: OpenVoiceArgs = field(default_factory=OpenVoiceArgs)
    audio: OpenVoiceAudioConfig = field(default_factory=OpenVoiceAudioConfig)
    return_wav: bool = True
    compute_linear_spec: bool = True
    use_weighted_sampler: bool = False
    weighted_sampler_attrs: dict = field(default_factory=dict)
    weighted_sampler_multipliers: dict = field(default_factory=dict)
    r: int = 1
    add_blank: bool = True

    @classmethod
    def from_original(cls, original: dict[str, Any]) -> OpenVoiceConfig:
        """A config from OpenVoice's own ``config.json`` dict (``data``: audio; ``model``: architecture)."""
        data = original.get("data") or {}
        config = cls()
        for ours, theirs in (
            ("input_sample_rate", "sampling_rate"),
            ("output_sample_rate", "sampling_rate"),
            ("fft_size", "filter_length"),
            ("hop_length", "hop_length"),
            ("win_length", "win_length"),
        ):
            if theirs in data:
                setattr(config.audio, ours, int(data[theirs]))
        model = original.get("model") or {}
        for f in fields(OpenVoiceArgs):
            if f.name in model:
                setattr(config.model_args, f.name, model[f.name])
        return config


def is_original_openvoice_config(config: dict[str, Any]) -> bool:
    """True for OpenVoice's own ``config.json`` format (a ``data`` section and ``model`` as a section)."""
    return isinstance(config.get("data"), dict) and isinstance(config.get("model"), dict)
