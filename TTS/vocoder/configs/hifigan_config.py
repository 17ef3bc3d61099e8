"""HiFi-GAN vocoder config (``"model": "hifigan"``).

The generator is described by ``generator_model_params``; the defaults are the
HiFi-GAN V1 sizes. The released ``hifigan_v2`` configs set
``upsample_initial_channel`` to 128.
"""

# No `from __future__ import annotations`: coqpit reads the field types at runtime.
from dataclasses import dataclass, field

from TTS.vocoder.configs.shared_configs import BaseGANVocoderConfig, _mel_loss_params

__all__ = ["HifiganConfig"]


def _v1_generator() -> dict:
    return {
        "upsample_factors": [8, 8, 2, 2],
        "upsample_kernel_sizes": [16, 16, 4, 4],
        "upsample_initial_channel": 512,
        "resblock_kernel_sizes": [3, 7, 11],
        "resblock_dilation_sizes": [[1, 3, 5], [1, 3, 5], [1, 3, 5]],
        "resblock_type": "1",
    }


@dataclass
class HifiganConfig(BaseGANVocoderConfig):
    """HiFi-GAN: ``generator_model_params`` holds the ``HifiganGenerator`` arguments
    (``upsample_factors`` whose product is the hop length, ``upsample_kernel_sizes``,
    ``upsample_initial_channel``, ``resblock_kernel_sizes``, ``resblock_dilation_sizes``,
    ``resblock_type`` "1" or "2"); ``in_channels`` defaults to ``audio.num_mels``."""

    model: str = "hifigan"
    discriminator_model: str = "hifigan_discriminator"
    generator_model: str = "hifigan_generator"
    generator_model_params: dict = field(default_factory=_v1_generator)
    use_stft_loss: bool = False
    use_subband_stft_loss: bool = False
    use_mse_gan_loss: bool = True
    use_hinge_gan_loss: bool = False
    use_feat_match_loss: bool = True
    use_l1_spec_loss: bool = True
    stft_loss_weight: float = 0
    subband_stft_loss_weight: float = 0
    mse_G_loss_weight: float = 1
    hinge_G_loss_weight: float = 0
    feat_match_loss_weight: float = 108
    l1_spec_loss_weight: float = 45
    l1_spec_loss_params: dict = field(default_factory=_mel_loss_params)
    lr: float = 1e-4
    wd: float = 1e-6
