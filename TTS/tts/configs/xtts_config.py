"""XTTS configuration: plain coqpit dataclasses with upstream's field names and defaults.

Released XTTS v2 checkpoints pickle these classes (``XttsArgs`` and
``XttsAudioConfig`` under the legacy ``TTS.tts.models.xtts`` path, which
re-exports them); :mod:`TTS.core.checkpoint` allow-lists exactly those names.
This module imports nothing from the model code.
"""

# No `from __future__ import annotations`: coqpit needs real type objects to deserialise.
from dataclasses import dataclass, field

from coqpit import Coqpit

from TTS.config.shared_configs import ModelArgs
from TTS.tts.configs.shared_configs import BaseTTSConfig

__all__ = ["XTTS_LANGUAGES", "XttsAudioConfig", "XttsArgs", "XttsConfig"]

#: Languages of the released XTTS v2 model, in the order of its config.
XTTS_LANGUAGES: tuple[str, ...] = (
    "en", "es", "fr", "de", "it", "pt", "pl", "tr", "ru", "nl", "cs", "ar", "zh-cn", "hu", "ko", "ja", "hi",
)  # fmt: skip


@dataclass
class XttsAudioConfig(Coqpit):
    """Sample rates of the XTTS model.

    Args:
        sample_rate: rate (Hz) at which the GPT conditioning audio is processed.
        output_sample_rate: rate (Hz) of the generated waveform.
        dvae_sample_rate: rate (Hz) of the discrete VAE (training only).
    """

    sample_rate: int = 22050
    output_sample_rate: int = 24000
    dvae_sample_rate: int = 22050


@dataclass
class XttsArgs(ModelArgs):
    """XTTS architecture arguments.

    GPT: ``gpt_layers`` x ``gpt_n_model_channels`` with ``gpt_n_heads`` heads;
    ``gpt_number_text_tokens``/``gpt_start_text_token``/``gpt_stop_text_token``
    come from the vocabulary when it is loaded; audio codes ``0 ..
    gpt_num_audio_tokens - 1`` with start/stop codes; one code per
    ``gpt_code_stride_len`` samples; ``gpt_use_perceiver_resampler`` is True for
    v2 (32 conditioning latents) and False for v1.

    Decoder: HiFi-GAN from ``decoder_input_dim`` GPT latents at
    ``input_sample_rate`` to audio at ``output_sample_rate`` with
    ``output_hop_length``, conditioned on a ``d_vector_dim`` speaker embedding.
    """

    gpt_batch_size: int = 1
    enable_redaction: bool = False
    kv_cache: bool = True
    gpt_checkpoint: str | None = None
    clvp_checkpoint: str | None = None
    decoder_checkpoint: str | None = None
    num_chars: int = 255

    # GPT
    tokenizer_file: str = ""
    gpt_max_audio_tokens: int = 605
    gpt_max_text_tokens: int = 402
    gpt_max_prompt_tokens: int = 70
    gpt_layers: int = 30
    gpt_n_model_channels: int = 1024
    gpt_n_heads: int = 16
    gpt_number_text_tokens: int | None = None
    gpt_start_text_token: int | None = None
    gpt_stop_text_token: int | None = None
    gpt_num_audio_tokens: int = 8194
    gpt_start_audio_token: int = 8192
    gpt_stop_audio_token: int = 8193
    gpt_code_stride_len: int = 1024
    gpt_use_masking_gt_prompt_approach: bool = True
    gpt_use_perceiver_resampler: bool = False

    # HiFi-GAN decoder
    input_sample_rate: int = 22050
    output_sample_rate: int = 24000
    output_hop_length: int = 256
    decoder_input_dim: int = 1024
    d_vector_dim: int = 512
    cond_d_vector_in_each_upsampling_layer: bool = True

    # constants
    duration_const: int = 102400


@dataclass
class XttsConfig(BaseTTSConfig):
    """XTTS model config.

    Args:
        model: family name, ``"xtts"``.
        model_args: architecture (:class:`XttsArgs`).
        audio: sample rates (:class:`XttsAudioConfig`).
        languages: supported language codes.
        temperature: softmax temperature for sampling audio codes.
        length_penalty: only meaningful for beam search; accepted and ignored otherwise (as upstream).
        repetition_penalty: penalty (> 1 discourages) for codes already in the sequence.
        top_k: keep only the ``top_k`` most likely codes when sampling (0 disables).
        top_p: nucleus sampling mass (1.0 disables).
        num_gpt_outputs: number of sequences sampled (only 1 is used at inference).
        gpt_cond_len: seconds of reference audio used for the GPT conditioning latents.
        gpt_cond_chunk_len: chunk length (s) averaged for the conditioning latents (<= ``gpt_cond_len``).
        max_ref_len: seconds of each reference used for the speaker embedding.
        sound_norm_refs: peak-normalise reference audio to 0.75 first.
    """

    model: str = "xtts"
    _supports_cloning: bool = True
    model_args: XttsArgs = field(default_factory=XttsArgs)
    audio: XttsAudioConfig = field(default_factory=XttsAudioConfig)
    languages: list[str] = field(default_factory=lambda: list(XTTS_LANGUAGES))

    # inference
    temperature: float = 0.85
    length_penalty: float = 1.0
    repetition_penalty: float = 2.0
    top_k: int = 50
    top_p: float = 0.85
    num_gpt_outputs: int = 1

    # cloning
    gpt_cond_len: int = 12
    gpt_cond_chunk_len: int = 4
    max_ref_len: int = 10
    sound_norm_refs: bool = False
