"""``model_args`` of the ForwardTTS family (FastPitch, FastSpeech, FastSpeech2, SpeedySpeech).

Field names (including the released misspelling ``poisitonal_encoding_use_scale``) and
defaults follow the released ``config.json`` files. Plain data.
"""

# No `from __future__ import annotations`: coqpit reads the field types at runtime.
from dataclasses import dataclass, field

from TTS.config.shared_configs import ModelArgs
from TTS.tts.configs.shared_configs import BaseTTSConfig

__all__ = ["ForwardTTSArgs", "ForwardTTSBaseConfig"]


def _fft_params() -> dict:
    return {"hidden_channels_ffn": 1024, "num_heads": 1, "num_layers": 6, "dropout_p": 0.1}


@dataclass
class ForwardTTSArgs(ModelArgs):
    """Architecture of a ForwardTTS model.

    ``hidden_channels``: token embedding / encoder width; ``out_channels``: mel bins.
    ``encoder_type`` / ``decoder_type``: "fftransformer", "residual_conv_bn",
    "relative_position_transformer" (decoder also "wavenet"), with ``*_params``.
    Predictors (conv + layer norm): duration (always), pitch (``use_pitch``), energy
    (``use_energy``), each with hidden channels, kernel size and an embedding conv kernel.
    ``positional_encoding`` adds a sinusoid table after duration expansion. ``length_scale``
    stretches durations; ``max_duration`` caps them in training. ``use_aligner``: the model
    was trained with an alignment network (its weights are unused at inference).
    Speakers: ``use_speaker_embedding`` + ``speakers_file``, or ``use_d_vector_file`` + ``d_vector_dim``.
    """

    num_chars: int | None = None
    out_channels: int = 80
    hidden_channels: int = 384
    use_aligner: bool = True
    use_pitch: bool = True
    pitch_predictor_hidden_channels: int = 256
    pitch_predictor_kernel_size: int = 3
    pitch_predictor_dropout_p: float = 0.1
    pitch_embedding_kernel_size: int = 3
    use_energy: bool = False
    energy_predictor_hidden_channels: int = 256
    energy_predictor_kernel_size: int = 3
    energy_predictor_dropout_p: float = 0.1
    energy_embedding_kernel_size: int = 3
    duration_predictor_hidden_channels: int = 256
    duration_predictor_kernel_size: int = 3
    duration_predictor_dropout_p: float = 0.1
    positional_encoding: bool = True
    poisitonal_encoding_use_scale: bool = True
    length_scale: int = 1
    encoder_type: str = "fftransformer"
    encoder_params: dict = field(default_factory=_fft_params)
    decoder_type: str = "fftransformer"
    decoder_params: dict = field(default_factory=_fft_params)
    detach_duration_predictor: bool = False
    max_duration: int = 75
    use_speaker_embedding: bool = False
    speakers_file: str | None = None
    use_d_vector_file: bool = False
    d_vector_dim: int | None = None
    d_vector_file: str | None = None


def _test_sentences() -> list[str]:
    return [
        "It took me quite a long time to develop a voice, and now that I have it I'm not going to be silent.",
        "Be a voice, not an echo.",
        "I'm sorry Dave. I'm afraid I can't do that.",
        "This cake is great. It's so delicious and moist.",
        "Prior to November 22, 1963.",
    ]


@dataclass
class ForwardTTSBaseConfig(BaseTTSConfig):
    """What every ForwardTTS config (FastPitch, FastSpeech, FastSpeech2, SpeedySpeech) shares:
    speaker fields mirrored into ``model_args``, optimizer and schedule, sequence limits and test
    sentences. Each model's config adds its ``model`` name, architecture defaults and loss weights.
    """

    model_args: ForwardTTSArgs = field(default_factory=ForwardTTSArgs)

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

    # overrides
    min_seq_len: int = 13
    max_seq_len: int = 200
    r: int = 1

    # dataset
    f0_cache_path: str | None = None

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
