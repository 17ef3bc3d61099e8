"""FastSpeech2 configuration (``"model": "fastspeech2"``, a ForwardTTS model).

Field names and defaults follow the released ``config.json`` files. Plain data:
nothing here imports a model. The speaker fields are mirrored into ``model_args``.
"""

# No `from __future__ import annotations`: coqpit reads the field types at runtime.
from dataclasses import dataclass, field

from TTS.tts.configs.forward_tts_config import ForwardTTSArgs, _test_sentences
from TTS.tts.configs.shared_configs import BaseTTSConfig

__all__ = ["Fastspeech2Config"]


def _args() -> ForwardTTSArgs:
    return ForwardTTSArgs(use_pitch=True, use_energy=True)


@dataclass
class Fastspeech2Config(BaseTTSConfig):
    """FastSpeech2 settings: architecture in ``model_args`` (:class:`ForwardTTSArgs`), loss weights and
    data settings for training, speaker fields (``use_speaker_embedding`` + ``speakers_file``, or
    ``use_d_vector_file`` + ``d_vector_file`` / ``d_vector_dim``).
    """

    model: str = "fastspeech2"
    base_model: str = "forward_tts"
    model_args: ForwardTTSArgs = field(default_factory=_args)

    # multi-speaker
    speakers_file: str | None = None
    use_speaker_embedding: bool = False
    use_d_vector_file: bool = False
    d_vector_file: str | None = None
    d_vector_dim: int = 0

    # optimizer
    optimizer: str = "Adam"
    optimizer_params: dict = field(default_factory=lambda: {"betas": [0.9, 0.998], "weight_decay": 1e-6})
    lr_scheduler: str = "NoamLR"
    lr_scheduler_params: dict = field(default_factory=lambda: {"warmup_steps": 4000})
    lr: float = 1e-4
    grad_clip: float = 5.0

    # losses
    spec_loss_type: str = "mse"
    duration_loss_type: str = "mse"
    use_ssim_loss: bool = True
    ssim_loss_alpha: float = 1.0
    spec_loss_alpha: float = 1.0
    aligner_loss_alpha: float = 1.0
    pitch_loss_alpha: float = 0.1
    energy_loss_alpha: float = 0.1
    dur_loss_alpha: float = 0.1
    binary_align_loss_alpha: float = 0.1
    binary_loss_warmup_epochs: int = 150

    # overrides
    min_seq_len: int = 13
    max_seq_len: int = 200
    r: int = 1

    # dataset
    compute_f0: bool = True
    f0_cache_path: str | None = None
    compute_energy: bool = True
    energy_cache_path: str | None = None

    test_sentences: list[str] | list[list[str]] = field(default_factory=_test_sentences)

    def __post_init__(self) -> None:
        super().__post_init__()
        args = self.model_args
        if self.use_speaker_embedding:
            args.use_speaker_embedding = True
        if self.speakers_file:
            args.speakers_file = self.speakers_file
        if self.use_d_vector_file:
            args.use_d_vector_file = True
        if self.d_vector_dim is not None and self.d_vector_dim > 0:
            args.d_vector_dim = self.d_vector_dim
        if self.d_vector_file:
            args.d_vector_file = self.d_vector_file
