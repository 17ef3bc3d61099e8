"""OverFlow configuration (``"model": "Overflow"``).

Field names and defaults follow the released ``config.json`` files. Plain data:
nothing here imports a model. ``mel_statistics_parameter_path`` names the training
statistics file; inference reads the statistics stored in the checkpoint instead.
"""

# No `from __future__ import annotations`: coqpit reads the field types at runtime.
from dataclasses import dataclass, field

from TTS.tts.configs.shared_configs import BaseTTSConfig

__all__ = ["OverflowConfig"]


@dataclass
class OverflowConfig(BaseTTSConfig):
    """OverFlow settings.

    Encoder: ``state_per_phone`` HMM states per token, ``encoder_in_out_features`` width.
    HMM: ``ar_order`` (frames of history), ``prenet_*`` (``prenet_dropout_at_inference``
    keeps dropout on when synthesising), ``memory_rnn_dim``, ``outputnet_size``, ``std_floor``,
    ``flat_start_params`` (training init). Sampling: ``sampling_temp`` (0 emits the means),
    ``deterministic_transition`` + ``duration_threshold`` (leave a state once its staying
    probability product falls below it), ``max_sampling_time`` (frame cap).
    Flow decoder: ``hidden_channels_dec``, ``num_flow_blocks_dec``, ``num_block_layers``, ``kernel_size_dec``,
    ``dilation_rate``, ``num_splits``, ``num_squeeze``, ``sigmoid_scale`` (as Glow-TTS).
    """

    model: str = "Overflow"
    run_eval_steps: int = 100
    save_step: int = 500
    plot_step: int = 1
    model_param_stats: bool = False

    # data parameters
    force_generate_statistics: bool = False
    mel_statistics_parameter_path: str | None = None

    # encoder
    num_chars: int | None = None
    state_per_phone: int = 2
    encoder_in_out_features: int = 512
    encoder_n_convolutions: int = 3

    # HMM
    out_channels: int = 80
    ar_order: int = 1
    sampling_temp: float = 0.334
    deterministic_transition: bool = True
    duration_threshold: float = 0.55
    use_grad_checkpointing: bool = True
    max_sampling_time: int = 1000

    # prenet
    prenet_type: str = "original"
    prenet_dim: int = 256
    prenet_n_layers: int = 2
    prenet_dropout: float = 0.5
    prenet_dropout_at_inference: bool = False
    memory_rnn_dim: int = 1024

    # output net
    outputnet_size: list[int] = field(default_factory=lambda: [1024])
    flat_start_params: dict = field(default_factory=lambda: {"mean": 0.0, "std": 1.0, "transition_p": 0.14})
    std_floor: float = 0.01

    # flow decoder
    hidden_channels_dec: int = 150
    kernel_size_dec: int = 5
    dilation_rate: int = 1
    num_flow_blocks_dec: int = 12
    num_block_layers: int = 4
    dropout_p_dec: float = 0.05
    num_splits: int = 4
    num_squeeze: int = 2
    sigmoid_scale: bool = False
    c_in_channels: int = 0

    # optimizer
    optimizer: str = "Adam"
    optimizer_params: dict = field(default_factory=lambda: {"weight_decay": 1e-6})
    grad_clip: float = 40000.0
    lr: float = 1e-3
    lr_scheduler: str | None = None

    # overrides
    min_text_len: int = 10
    max_text_len: int = 500
    min_audio_len: int = 512

    test_sentences: list[str] | list[list[str]] = field(default_factory=lambda: ["Be a voice, not an echo."])
    r: int = 1
    use_d_vector_file: bool = False
    use_speaker_embedding: bool = False

    def check_values(self) -> None:
        """Raise ``ValueError`` for settings the model cannot run with."""
        if self.ar_order < 1:
            raise ValueError(f"ar_order must be at least 1, got {self.ar_order}.")
        if len(self.outputnet_size) < 1:
            raise ValueError("outputnet_size needs at least one layer.")
        if not 0 < self.flat_start_params["transition_p"] < 1:
            raise ValueError(
                f"flat_start_params.transition_p must be in (0, 1), got {self.flat_start_params['transition_p']}."
            )
