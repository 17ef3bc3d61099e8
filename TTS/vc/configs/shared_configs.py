"""``BaseVCConfig``: what every voice conversion config shares (the training fields of ``BaseTrainingConfig``)."""

from dataclasses import dataclass, field

from TTS.config.shared_configs import BaseAudioConfig, BaseTrainingConfig, ModelArgs

__all__ = ["BaseVCConfig"]


@dataclass
class BaseVCConfig(BaseTrainingConfig):
    """Base of the voice conversion configs: ``audio`` and ``model_args`` blocks plus data-loading fields."""

    audio: BaseAudioConfig = field(default_factory=BaseAudioConfig)
    model_args: ModelArgs = field(default_factory=ModelArgs)
    batch_group_size: int = 0
    loss_masking: bool | None = None
    min_audio_len: int = 1
    max_audio_len: float = float("inf")
    compute_linear_spec: bool = False
    use_noise_augment: bool = False
    shuffle: bool = False
    drop_last: bool = False
