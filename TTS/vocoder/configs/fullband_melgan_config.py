"""Full-band MelGAN vocoder config (``"model": "fullband_melgan"``).

Inference reads ``generator_model`` and ``generator_model_params``
(``upsample_factors``, whose product is the hop length, and ``num_res_blocks``);
the rest is training-only and kept so released ``config.json`` files round-trip.
"""

# No `from __future__ import annotations`: coqpit reads the field types at runtime.
from dataclasses import dataclass, field

from TTS.vocoder.configs.shared_configs import BaseGANVocoderConfig

__all__ = ["FullbandMelganConfig"]


@dataclass
class FullbandMelganConfig(BaseGANVocoderConfig):
    """Full-band MelGAN: a 512-channel MelGAN generator with 4 residual units per stage.

    Upstream's default ``generator_model`` is ``"melgan_generator"``; the released
    models name ``"fullband_melgan_generator"`` (the same network).
    """

    model: str = "fullband_melgan"
    discriminator_model: str = "melgan_multiscale_discriminator"
    discriminator_model_params: dict = field(
        default_factory=lambda: {"base_channels": 16, "max_channels": 512, "downsample_factors": [4, 4, 4]}
    )
    generator_model: str = "melgan_generator"
    generator_model_params: dict = field(
        default_factory=lambda: {"upsample_factors": [8, 8, 2, 2], "num_res_blocks": 4}
    )
    batch_size: int = 16
    seq_len: int = 8192
    pad_short: int = 2000
    use_noise_augment: bool = True
    use_cache: bool = True
    use_stft_loss: bool = True
    use_subband_stft_loss: bool = False
    use_mse_gan_loss: bool = True
    use_hinge_gan_loss: bool = False
    use_feat_match_loss: bool = True
    use_l1_spec_loss: bool = False
    stft_loss_params: dict = field(
        default_factory=lambda: {
            "n_ffts": [1024, 2048, 512],
            "hop_lengths": [120, 240, 50],
            "win_lengths": [600, 1200, 240],
        }
    )
    stft_loss_weight: float = 0.5
    subband_stft_loss_weight: float = 0
    mse_G_loss_weight: float = 2.5
    hinge_G_loss_weight: float = 0
    feat_match_loss_weight: float = 108
    l1_spec_loss_weight: float = 0
