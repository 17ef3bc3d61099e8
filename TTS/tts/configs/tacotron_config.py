"""Tacotron configuration (``"model": "tacotron"``), also the base of ``Tacotron2Config``.

Field names and defaults follow the released ``config.json`` files. Plain data:
nothing here imports a model. GST and Capacitron blocks come from
:mod:`TTS.tts.configs.shared_configs`.
"""

# No `from __future__ import annotations`: coqpit reads the field types at runtime.
from dataclasses import dataclass, field

from TTS.tts.configs.shared_configs import BaseTTSConfig, CapacitronVAEConfig, GSTConfig

__all__ = ["TacotronConfig"]


def _test_sentences() -> list[str]:
    return [
        "It took me quite a long time to develop a voice, and now that I have it I'm not going to be silent.",
        "Be a voice, not an echo.",
        "I'm sorry Dave. I'm afraid I can't do that.",
        "This cake is great. It's so delicious and moist.",
        "Prior to November 22, 1963.",
    ]


@dataclass
class TacotronConfig(BaseTTSConfig):
    """Tacotron / Tacotron2 settings.

    Style: ``use_gst`` + ``gst`` (global style tokens), ``use_capacitron_vae`` +
    ``capacitron_vae``. Decoder: ``r`` frames per step (the checkpoint may override it),
    ``prenet_type`` ("original" or "bn"), ``prenet_dropout`` and
    ``prenet_dropout_at_inference``, ``separate_stopnet``, ``max_decoder_steps`` (the
    bound on autoregressive steps). Sizes: ``encoder_in_features``,
    ``decoder_in_features``, ``decoder_output_dim``, ``out_channels`` (mel bins for
    Tacotron2, linear bins for Tacotron). Attention: ``attention_type`` ("original",
    "graves", "dynamic_convolution"), ``attention_heads`` (Graves mixtures),
    ``attention_norm`` ("sigmoid"/"softmax"), ``attention_win`` (inference windowing),
    ``use_forward_attn``, ``forward_attn_mask``, ``transition_agent``, ``location_attn``.
    Extra decoders: ``bidirectional_decoder``, ``double_decoder_consistency`` with a coarse
    decoder at ``ddc_r``. Speakers: ``use_speaker_embedding``, ``use_d_vector_file``.
    The remaining fields are training settings.
    """

    model: str = "tacotron"
    use_gst: bool = False
    gst: GSTConfig | None = None
    gst_style_input: str | None = None
    use_capacitron_vae: bool = False
    capacitron_vae: CapacitronVAEConfig | None = None
    num_chars: int = 0
    r: int = 2
    gradual_training: list[list[int]] | None = None
    memory_size: int = -1
    prenet_type: str = "original"
    prenet_dropout: bool = True
    prenet_dropout_at_inference: bool = False
    stopnet: bool = True
    separate_stopnet: bool = True
    stopnet_pos_weight: float = 0.2
    max_decoder_steps: int = 10000
    encoder_in_features: int = 256
    decoder_in_features: int = 256
    decoder_output_dim: int = 80
    out_channels: int = 513
    attention_type: str = "original"
    attention_heads: int | None = None
    attention_norm: str = "sigmoid"
    attention_win: bool = False
    windowing: bool = False
    use_forward_attn: bool = False
    forward_attn_mask: bool = False
    transition_agent: bool = False
    location_attn: bool = True
    bidirectional_decoder: bool = False
    double_decoder_consistency: bool = False
    ddc_r: int = 6
    speakers_file: str | None = None
    use_speaker_embedding: bool = False
    speaker_embedding_dim: int = 512
    use_d_vector_file: bool = False
    d_vector_file: str | None = None
    d_vector_dim: int | None = None
    optimizer: str = "RAdam"
    optimizer_params: dict = field(default_factory=lambda: {"betas": [0.9, 0.998], "weight_decay": 1e-6})
    lr_scheduler: str = "NoamLR"
    lr_scheduler_params: dict = field(default_factory=lambda: {"warmup_steps": 4000})
    lr: float = 1e-4
    grad_clip: float = 5.0
    seq_len_norm: bool = False
    loss_masking: bool = True
    decoder_loss_alpha: float = 0.25
    postnet_loss_alpha: float = 0.25
    postnet_diff_spec_alpha: float = 0.25
    decoder_diff_spec_alpha: float = 0.25
    decoder_ssim_alpha: float = 0.25
    postnet_ssim_alpha: float = 0.25
    ga_alpha: float = 5.0
    test_sentences: list[str] | list[list[str]] = field(default_factory=_test_sentences)

    def check_values(self) -> None:
        """The first gradual-training ``r`` must equal ``r``; ``out_channels`` must fit the audio settings."""
        if self.gradual_training and self.gradual_training[0][1] != self.r:
            raise ValueError(f"The first gradual_training r ({self.gradual_training[0][1]}) must equal r ({self.r}).")
        if self.audio is None:
            return
        model = str(self.model).lower()
        if model == "tacotron" and self.out_channels != self.audio.fft_size // 2 + 1:
            raise ValueError(f"out_channels ({self.out_channels}) must be fft_size // 2 + 1 for Tacotron.")
        if model == "tacotron2" and self.out_channels != self.audio.num_mels:
            raise ValueError(f"out_channels ({self.out_channels}) must equal audio.num_mels for Tacotron2.")
