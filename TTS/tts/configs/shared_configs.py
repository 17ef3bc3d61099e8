"""Configs shared by the TTS model families: the base TTS config and its sub-blocks.

Plain coqpit dataclasses with the field names and defaults of the released
``config.json`` files. They import nothing from models.
"""

# No `from __future__ import annotations`: coqpit reads the field types at runtime.
from dataclasses import dataclass, field
from pathlib import Path

from coqpit import Coqpit

from TTS.config.shared_configs import BaseAudioConfig, BaseDatasetConfig, BaseTrainingConfig, ModelArgs

__all__ = [
    "BaseAudioConfig",
    "BaseDatasetConfig",
    "BaseTTSConfig",
    "BaseTrainingConfig",
    "CapacitronVAEConfig",
    "CharactersConfig",
    "GSTConfig",
    "ModelArgs",
]


@dataclass
class GSTConfig(Coqpit):
    """Global Style Tokens: a reference encoder attending over ``gst_num_style_tokens``
    learned tokens with ``gst_num_heads`` heads, giving a ``gst_embedding_dim`` style
    vector. ``gst_style_input_wav`` / ``gst_style_input_weights`` pick the style at
    inference (a wav, or ``{token_index: weight}``)."""

    gst_style_input_wav: str | None = None
    gst_style_input_weights: dict | None = None
    gst_embedding_dim: int = 256
    gst_use_speaker_embedding: bool = False
    gst_num_heads: int = 4
    gst_num_style_tokens: int = 10

    def check_values(self) -> None:
        """Heads and tokens must be in the range the layer supports."""
        if not 0 <= self.gst_embedding_dim <= 1000:
            raise ValueError(f"GSTConfig.gst_embedding_dim = {self.gst_embedding_dim} must be in [0, 1000].")
        if not 2 <= self.gst_num_heads <= 10:
            raise ValueError(f"GSTConfig.gst_num_heads = {self.gst_num_heads} must be in [2, 10].")
        if not 1 <= self.gst_num_style_tokens <= 1000:
            raise ValueError(f"GSTConfig.gst_num_style_tokens = {self.gst_num_style_tokens} must be in [1, 1000].")


@dataclass
class CapacitronVAEConfig(Coqpit):
    """Capacitron prosody VAE: posterior of ``capacitron_VAE_embedding_dim`` dims, its
    KL capacity target ``capacitron_capacity`` (nats), optional text-summary and speaker
    conditioning, and the loss weights / gradient clip used in training."""

    capacitron_loss_alpha: int = 1
    capacitron_capacity: int = 150
    capacitron_VAE_embedding_dim: int = 128
    capacitron_use_text_summary_embeddings: bool = True
    capacitron_text_summary_embedding_dim: int = 128
    capacitron_use_speaker_embedding: bool = False
    capacitron_VAE_loss_alpha: float = 0.25
    capacitron_grad_clip: float = 5.0

    def check_values(self) -> None:
        """Capacity and embedding sizes must be in the range the layer supports."""
        if not 10 <= self.capacitron_capacity <= 500:
            raise ValueError(
                f"CapacitronVAEConfig.capacitron_capacity = {self.capacitron_capacity} must be in [10, 500]."
            )
        if not 16 <= self.capacitron_VAE_embedding_dim <= 1024:
            raise ValueError(
                f"CapacitronVAEConfig.capacitron_VAE_embedding_dim = {self.capacitron_VAE_embedding_dim} "
                "must be in [16, 1024]."
            )


@dataclass
class CharactersConfig(Coqpit):
    """The model's symbol set.

    ``characters_class`` is the import path of the characters class (``None``: graphemes
    or phonemes depending on ``use_phonemes``). Either ``vocab_dict`` lists the symbols
    directly, or they are built from ``pad``, ``eos``, ``bos``, ``blank``,
    ``characters``, ``punctuations`` and ``phonemes``. ``is_unique`` drops duplicate
    symbols and ``is_sorted`` sorts them (old models were trained without either).
    """

    characters_class: str | None = None
    vocab_dict: list[str] | None = None
    pad: str | None = "<PAD>"
    eos: str | None = None
    bos: str | None = None
    blank: str | None = None
    characters: str | None = None
    punctuations: str | None = None
    phonemes: str | None = None
    is_unique: bool = True
    is_sorted: bool = True


@dataclass
class BaseTTSConfig(BaseTrainingConfig):
    """Settings every TTS model shares: audio, text front-end, speakers/languages, data loading.

    Text: ``use_phonemes``, ``phonemizer``, ``phoneme_language``, ``text_cleaner``,
    ``enable_eos_bos_chars``, ``characters``, ``add_blank`` (a blank between symbols).
    Speakers and languages known to the model: ``speakers``, ``languages``. The rest
    drives training data loading, samplers and evaluation.
    """

    audio: BaseAudioConfig = field(default_factory=BaseAudioConfig)
    model_args: ModelArgs = field(default_factory=ModelArgs)
    _supports_cloning: bool = False
    languages: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    # text front-end
    use_phonemes: bool = False
    phonemizer: str | None = None
    phoneme_language: str | None = None
    compute_input_seq_cache: bool = False
    text_cleaner: str | None = None
    enable_eos_bos_chars: bool = False
    test_sentences_file: str = ""
    phoneme_cache_path: str | None = None
    characters: CharactersConfig | None = None
    add_blank: bool = False
    # training data
    batch_group_size: int = 0
    loss_masking: bool | None = None
    min_audio_len: int = 1
    max_audio_len: int = float("inf")  # type: ignore[assignment]  # "no limit", as in released configs
    min_text_len: int = 1
    max_text_len: int = float("inf")  # type: ignore[assignment]
    compute_f0: bool = False
    compute_energy: bool = False
    compute_linear_spec: bool = False
    precompute_num_workers: int = 0
    use_noise_augment: bool = False
    start_by_longest: bool = False
    shuffle: bool = False
    drop_last: bool = False
    datasets: list[BaseDatasetConfig] = field(default_factory=list)
    # TTS models default to RAdam instead of the trainer's "no optimiser".
    optimizer: str = "radam"
    optimizer_params: dict | None = None
    lr_scheduler: str | None = None
    lr_scheduler_params: dict = field(default_factory=dict)
    test_sentences: list[str] | list[list[str]] = field(default_factory=list)
    eval_split_max_size: int | None = None
    eval_split_size: float = 0.01
    use_speaker_weighted_sampler: bool = False
    speaker_weighted_sampler_alpha: float = 1.0
    use_language_weighted_sampler: bool = False
    language_weighted_sampler_alpha: float = 1.0
    use_length_weighted_sampler: bool = False
    length_weighted_sampler_alpha: float = 1.0

    @property
    def supports_cloning(self) -> bool:
        """True when the model can clone a voice from reference audio."""
        if self._supports_cloning:
            return True
        encoder_model = self.model_args.get("speaker_encoder_model_path", "") or ""
        encoder_config = self.model_args.get("speaker_encoder_config_path", "") or ""
        return (
            bool(encoder_model and encoder_config) and Path(encoder_model).is_file() and Path(encoder_config).is_file()
        )
