"""Full-band MelGAN vocoder config (``"model": "fullband_melgan"``).

Inference reads ``generator_model`` and ``generator_model_params``
(``upsample_factors``, whose product is the hop length, and ``num_res_blocks``);
the rest is training-only and kept so released ``config.json`` files round-trip.
"""

# No `from __future__ import annotations`: coqpit reads the field types at runtime.
from dataclasses import dataclass, field

from TTS.vocoder.configs.melgan_config import MelganConfig

__all__ = ["FullbandMelganConfig"]


@dataclass
class FullbandMelganConfig(MelganConfig):
    """Full-band MelGAN: the MelGAN settings (:class:`MelganConfig`) with 4 residual units per stage
    and a smaller discriminator.

    Upstream's default ``generator_model`` is ``"melgan_generator"``; the released
    models name ``"fullband_melgan_generator"`` (the same network).
    """

    model: str = "fullband_melgan"
    discriminator_model_params: dict = field(
        default_factory=lambda: {"base_channels": 16, "max_channels": 512, "downsample_factors": [4, 4, 4]}
    )
    generator_model_params: dict = field(
        default_factory=lambda: {"upsample_factors": [8, 8, 2, 2], "num_res_blocks": 4}
    )
