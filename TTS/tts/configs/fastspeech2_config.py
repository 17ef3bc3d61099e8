"""FastSpeech2 configuration (``"model": "fastspeech2"``, a ForwardTTS model).

Field names and defaults follow the released ``config.json`` files. Plain data:
nothing here imports a model. The speaker fields are mirrored into ``model_args``.
"""

# No `from __future__ import annotations`: coqpit reads the field types at runtime.
from dataclasses import dataclass, field

from TTS.tts.configs.forward_tts_config import ForwardTTSArgs, ForwardTTSBaseConfig

__all__ = ["Fastspeech2Config"]


def _args() -> ForwardTTSArgs:
    return ForwardTTSArgs(use_pitch=True, use_energy=True)


@dataclass
class Fastspeech2Config(ForwardTTSBaseConfig):
    """FastSpeech2 settings: architecture in ``model_args`` (:class:`ForwardTTSArgs`), loss weights and
    data settings for training, speaker fields (``use_speaker_embedding`` + ``speakers_file``, or
    ``use_d_vector_file`` + ``d_vector_file`` / ``d_vector_dim``).
    """

    model: str = "fastspeech2"
    base_model: str = "forward_tts"
    model_args: ForwardTTSArgs = field(default_factory=_args)

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

    # dataset
    compute_f0: bool = True
    compute_energy: bool = True
    energy_cache_path: str | None = None
