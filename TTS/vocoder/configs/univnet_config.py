"""UnivNet vocoder config (``"model": "univnet"``).

Inference passes ``generator_model_params`` straight to ``UnivnetGenerator``;
the rest is training-only.
"""

# No `from __future__ import annotations`: coqpit reads the field types at runtime.
from dataclasses import dataclass, field

from TTS.vocoder.configs.shared_configs import BaseGANVocoderConfig, _mel_loss_params

__all__ = ["UnivnetConfig"]


def _generator() -> dict:
    return {
        "in_channels": 64,
        "out_channels": 1,
        "hidden_channels": 32,
        "cond_channels": 80,
        "upsample_factors": [8, 8, 4],
        "lvc_layers_each_block": 4,
        "lvc_kernel_size": 3,
        "kpnet_hidden_channels": 64,
        "kpnet_conv_size": 3,
        "dropout": 0.0,
    }


@dataclass
class UnivnetConfig(BaseGANVocoderConfig):
    """UnivNet: location-variable convolutions whose kernels are predicted from the mel frames."""

    model: str = "univnet"
    batch_size: int = 32
    discriminator_model: str = "univnet_discriminator"
    generator_model: str = "univnet_generator"
    generator_model_params: dict = field(default_factory=_generator)
    use_stft_loss: bool = True
    use_subband_stft_loss: bool = False
    use_mse_gan_loss: bool = True
    use_hinge_gan_loss: bool = False
    use_feat_match_loss: bool = False
    use_l1_spec_loss: bool = False
    stft_loss_weight: float = 2.5
    stft_loss_params: dict = field(
        default_factory=lambda: {
            "n_ffts": [1024, 2048, 512],
            "hop_lengths": [120, 240, 50],
            "win_lengths": [600, 1200, 240],
        }
    )
    subband_stft_loss_weight: float = 0
    mse_G_loss_weight: float = 1
    hinge_G_loss_weight: float = 0
    feat_match_loss_weight: float = 0
    l1_spec_loss_weight: float = 0
    l1_spec_loss_params: dict = field(default_factory=_mel_loss_params)
    lr_gen: float = 1e-4
    lr_disc: float = 1e-4
    lr_scheduler_gen: str | None = None
    lr_scheduler_disc: str | None = None
    optimizer_params: dict = field(default_factory=lambda: {"betas": [0.5, 0.9], "weight_decay": 0.0})
    steps_to_start_discriminator: int = 200000

    def __post_init__(self) -> None:
        parent = getattr(super(), "__post_init__", None)
        if parent is not None:
            parent()
        # As upstream: the kernel predictor always reads the config's mel channels.
        self.generator_model_params["cond_channels"] = self.audio["num_mels"]
