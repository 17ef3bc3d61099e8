"""SpeedySpeech configuration (``"model": "speedy_speech"``, a ForwardTTS model).

Field names and defaults follow the released ``config.json`` files. Plain data:
nothing here imports a model. The speaker fields are mirrored into ``model_args``.
"""

# No `from __future__ import annotations`: coqpit reads the field types at runtime.
from dataclasses import dataclass, field

from TTS.tts.configs.forward_tts_config import ForwardTTSArgs, ForwardTTSBaseConfig

__all__ = ["SpeedySpeechConfig"]


def _args() -> ForwardTTSArgs:
    return ForwardTTSArgs(
        use_pitch=False,
        encoder_type="residual_conv_bn",
        encoder_params={"kernel_size": 4, "dilations": 4 * [1, 2, 4] + [1], "num_conv_blocks": 2, "num_res_blocks": 13},
        decoder_type="residual_conv_bn",
        decoder_params={
            "kernel_size": 4,
            "dilations": 4 * [1, 2, 4, 8] + [1],
            "num_conv_blocks": 2,
            "num_res_blocks": 17,
        },
        out_channels=80,
        hidden_channels=128,
        positional_encoding=True,
        detach_duration_predictor=True,
    )


@dataclass
class SpeedySpeechConfig(ForwardTTSBaseConfig):
    """SpeedySpeech settings: architecture in ``model_args`` (:class:`ForwardTTSArgs`), loss weights and
    data settings for training, speaker fields (``use_speaker_embedding`` + ``speakers_file``, or
    ``use_d_vector_file`` + ``d_vector_file`` / ``d_vector_dim``).
    """

    model: str = "speedy_speech"
    base_model: str = "forward_tts"
    model_args: ForwardTTSArgs = field(default_factory=_args)

    # losses
    spec_loss_type: str = "l1"
    duration_loss_type: str = "huber"
    use_ssim_loss: bool = False
    ssim_loss_alpha: float = 1.0
    dur_loss_alpha: float = 1.0
    spec_loss_alpha: float = 1.0
    aligner_loss_alpha: float = 1.0
    binary_align_loss_alpha: float = 0.3
    binary_loss_warmup_epochs: int = 150

    # dataset
    compute_f0: bool = False
