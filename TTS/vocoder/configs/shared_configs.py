"""Configs shared by the vocoder families: ``BaseVocoderConfig`` and ``BaseGANVocoderConfig``.

Plain coqpit dataclasses with the field names and defaults of the released
vocoder ``config.json`` files; training-only fields are kept so those files
round-trip. Nothing here imports a model.
"""

# No `from __future__ import annotations`: coqpit reads the field types at runtime.
from dataclasses import dataclass, field

from TTS.config.shared_configs import BaseAudioConfig, BaseTrainingConfig

__all__ = ["BaseGANVocoderConfig", "BaseVocoderConfig"]


def _mel_loss_params() -> dict:
    return {
        "use_mel": True,
        "sample_rate": 22050,
        "n_fft": 1024,
        "hop_length": 256,
        "win_length": 1024,
        "n_mels": 80,
        "mel_fmin": 0.0,
        "mel_fmax": None,
    }


@dataclass
class BaseVocoderConfig(BaseTrainingConfig):
    """Settings every vocoder shares.

    ``audio`` describes the mel frames the vocoder expects (its normalisation and
    ``scale_stats.npy``) and the output sample rate. The data fields
    (``data_path``, ``feature_path``, ``seq_len`` in samples, ``pad_short``,
    ``conv_pad``, ``use_cache``, ``use_noise_augment``, ``eval_split_size``) and the
    optimiser fields only matter for training.
    """

    audio: BaseAudioConfig = field(default_factory=BaseAudioConfig)
    use_noise_augment: bool = False
    eval_split_size: int = 10
    data_path: str = ""
    feature_path: str | None = None
    seq_len: int = 1000
    pad_short: int = 0
    conv_pad: int = 0
    use_cache: bool = False
    epochs: int = 10000
    wd: float = 0.0
    optimizer: str = "AdamW"
    optimizer_params: dict = field(default_factory=lambda: {"betas": [0.8, 0.99], "weight_decay": 0.0})


@dataclass
class BaseGANVocoderConfig(BaseVocoderConfig):
    """Settings of the GAN vocoders (a generator trained against a discriminator).

    Inference reads ``generator_model`` / ``generator_model_params`` (set by each
    family's config); the loss weights, learning rates and schedulers are training-only.
    """

    model: str = "gan"
    use_stft_loss: bool = True
    use_subband_stft_loss: bool = True
    use_mse_gan_loss: bool = True
    use_hinge_gan_loss: bool = True
    use_feat_match_loss: bool = True
    use_l1_spec_loss: bool = True
    stft_loss_weight: float = 0
    subband_stft_loss_weight: float = 0
    mse_G_loss_weight: float = 1
    hinge_G_loss_weight: float = 0
    feat_match_loss_weight: float = 100
    l1_spec_loss_weight: float = 45
    stft_loss_params: dict = field(
        default_factory=lambda: {
            "n_ffts": [1024, 2048, 512],
            "hop_lengths": [120, 240, 50],
            "win_lengths": [600, 1200, 240],
        }
    )
    l1_spec_loss_params: dict = field(default_factory=_mel_loss_params)
    target_loss: str = "loss_0"
    grad_clip: float | list[float] = field(default_factory=lambda: [5, 5])
    lr_gen: float = 0.0002
    lr_disc: float = 0.0002
    lr_scheduler_gen: str = "ExponentialLR"
    lr_scheduler_gen_params: dict = field(default_factory=lambda: {"gamma": 0.999, "last_epoch": -1})
    lr_scheduler_disc: str = "ExponentialLR"
    lr_scheduler_disc_params: dict = field(default_factory=lambda: {"gamma": 0.999, "last_epoch": -1})
    scheduler_after_epoch: bool = True
    use_pqmf: bool = False
    steps_to_start_discriminator: int = 0
    diff_samples_for_G_and_D: bool = False
