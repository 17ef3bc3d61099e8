"""Glow-TTS configuration (``"model": "glow_tts"``).

Field names and defaults follow the released ``config.json`` files. Plain data:
nothing here imports a model.
"""

# No `from __future__ import annotations`: coqpit reads the field types at runtime.
from dataclasses import dataclass, field

from TTS.tts.configs.shared_configs import BaseTTSConfig

__all__ = ["GlowTTSConfig"]


def _encoder_params() -> dict:
    return {
        "kernel_size": 3,
        "dropout_p": 0.1,
        "num_layers": 6,
        "num_heads": 2,
        "hidden_channels_ffn": 768,
        "input_length": None,
    }


def _test_sentences() -> list[str]:
    return [
        "It took me quite a long time to develop a voice, and now that I have it I'm not going to be silent.",
        "Be a voice, not an echo.",
        "I'm sorry Dave. I'm afraid I can't do that.",
        "This cake is great. It's so delicious and moist.",
        "Prior to November 22, 1963.",
    ]


@dataclass
class GlowTTSConfig(BaseTTSConfig):
    """Glow-TTS settings.

    Encoder: ``encoder_type`` ("rel_pos_transformer" or "residual_conv_bn"), ``encoder_params``
    (transformer: ``kernel_size``, ``num_layers``, ``num_heads``, ``hidden_channels_ffn``,
    optional ``rel_attn_window_size`` / ``input_length``), ``use_encoder_prenet``,
    ``hidden_channels_enc``, ``mean_only`` (constant prior variance).
    Duration predictor: ``hidden_channels_dp``. Flow decoder: ``hidden_channels_dec``,
    ``num_flow_blocks_dec``, ``num_block_layers`` (WaveNet layers per block), ``kernel_size_dec``,
    ``dilation_rate``, ``num_splits`` (1x1 mixing group size), ``num_squeeze`` (frames folded into
    channels), ``sigmoid_scale``. ``out_channels``: mel bins.
    Inference: ``inference_noise_scale`` (prior sampling temperature), ``length_scale`` (> 1 slower).
    Speakers: ``use_speaker_embedding`` + ``speakers_file``, or ``use_d_vector_file`` +
    ``d_vector_file`` / ``d_vector_dim``.
    """

    model: str = "glow_tts"
    num_chars: int | None = None
    use_encoder_prenet: bool = True
    hidden_channels_enc: int = 192
    hidden_channels_dec: int = 192
    hidden_channels_dp: int = 256
    dropout_p_dp: float = 0.1
    dropout_p_dec: float = 0.05
    mean_only: bool = True
    out_channels: int = 80
    num_flow_blocks_dec: int = 12
    kernel_size_dec: int = 5
    dilation_rate: int = 1
    num_block_layers: int = 4
    c_in_channels: int = 0
    num_splits: int = 4
    num_squeeze: int = 2
    sigmoid_scale: bool = False
    encoder_type: str = "rel_pos_transformer"
    encoder_params: dict = field(default_factory=_encoder_params)
    d_vector_dim: int = 0

    # training
    data_dep_init_steps: int = 10

    # inference
    style_wav_for_test: str | None = None
    inference_noise_scale: float = 0.0
    length_scale: float = 1.0

    # speakers
    use_speaker_embedding: bool = False
    speakers_file: str | None = None
    use_d_vector_file: bool = False
    d_vector_file: str | None = None

    # optimizer
    optimizer: str = "RAdam"
    optimizer_params: dict = field(default_factory=lambda: {"betas": [0.9, 0.998], "weight_decay": 1e-6})
    lr_scheduler: str = "NoamLR"
    lr_scheduler_params: dict = field(default_factory=lambda: {"warmup_steps": 4000})
    grad_clip: float = 5.0
    lr: float = 1e-3

    # overrides
    min_seq_len: int = 3
    max_seq_len: int = 500
    r: int = 1

    test_sentences: list[str] | list[list[str]] = field(default_factory=_test_sentences)
