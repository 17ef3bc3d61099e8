"""WaveGrad vocoder config (``"model": "wavegrad"``) and its network sizes (``WavegradArgs``).

At inference the reverse diffusion runs over ``test_noise_schedule``: ``num_steps``
betas spaced linearly from ``min_val`` to ``max_val``. The training schedule and the
optimiser fields are kept so released ``config.json`` files round-trip.
"""

# No `from __future__ import annotations`: coqpit reads the field types at runtime.
from dataclasses import dataclass, field

from TTS.config.shared_configs import ModelArgs
from TTS.vocoder.configs.shared_configs import BaseVocoderConfig

__all__ = ["WavegradArgs", "WavegradConfig"]


@dataclass
class WavegradArgs(ModelArgs):
    """WaveGrad sizes: ``in_channels`` mel channels, ``upsample_factors`` (product = hop length) with one
    ``upsample_dilations`` list of 4 per upsampling block, ``ublock_out_channels`` per upsampling block,
    ``dblock_out_channels`` per downsampling block, ``x_conv_channels`` / ``y_conv_channels`` for the
    mel and waveform input convs, and ``use_weight_norm`` (how the checkpoint stores the conv weights)."""

    in_channels: int = 80
    out_channels: int = 1
    use_weight_norm: bool = False
    y_conv_channels: int = 32
    x_conv_channels: int = 768
    dblock_out_channels: list[int] = field(default_factory=lambda: [128, 128, 256, 512])
    ublock_out_channels: list[int] = field(default_factory=lambda: [512, 512, 256, 128, 128])
    upsample_factors: list[int] = field(default_factory=lambda: [4, 4, 4, 2, 2])
    upsample_dilations: list[list[int]] = field(
        default_factory=lambda: [[1, 2, 1, 2], [1, 2, 1, 2], [1, 2, 4, 8], [1, 2, 4, 8], [1, 2, 4, 8]]
    )


@dataclass
class WavegradConfig(BaseVocoderConfig):
    """WaveGrad: ``model_params`` holds the network sizes; ``test_noise_schedule`` drives inference."""

    model: str = "wavegrad"
    generator_model: str = "wavegrad"
    model_params: WavegradArgs = field(default_factory=WavegradArgs)
    target_loss: str = "loss"
    epochs: int = 10000
    batch_size: int = 96
    seq_len: int = 6144
    use_cache: bool = True
    mixed_precision: bool = True
    eval_split_size: int = 50
    train_noise_schedule: dict = field(default_factory=lambda: {"min_val": 1e-6, "max_val": 1e-2, "num_steps": 1000})
    test_noise_schedule: dict = field(default_factory=lambda: {"min_val": 1e-6, "max_val": 1e-2, "num_steps": 50})
    grad_clip: float = 1.0
    lr: float = 1e-4
    lr_scheduler: str = "MultiStepLR"
    lr_scheduler_params: dict = field(
        default_factory=lambda: {"gamma": 0.5, "milestones": [100000, 200000, 300000, 400000, 500000, 600000]}
    )
