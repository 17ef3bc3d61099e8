"""Base configs shared by every model family: audio, dataset and training settings.

These are plain coqpit dataclasses. Field names, types and defaults follow the
released ``config.json`` files, so those files load unchanged; unknown keys in a
file are ignored by coqpit. Nothing here imports a model or the trainer package.
"""

# No `from __future__ import annotations`: coqpit reads the field types at runtime.
from dataclasses import dataclass, field
from typing import Any, Literal

from coqpit import Coqpit

__all__ = ["BaseAudioConfig", "BaseDatasetConfig", "BaseTrainingConfig", "ModelArgs"]


def _require_range(config: Coqpit, name: str, low: float | None = None, high: float | None = None) -> None:
    """Raise ``ValueError`` when ``config.name`` is set and lies outside ``[low, high]``."""
    value = getattr(config, name)
    if value is None:
        return
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{type(config).__name__}.{name} = {value} is outside the allowed range [{low}, {high}].")


@dataclass
class BaseAudioConfig(Coqpit):
    """Audio settings; they build ``TTS.utils.audio.AudioProcessor``.

    STFT: ``fft_size``, ``win_length``, ``hop_length`` in samples (``frame_shift_ms`` /
    ``frame_length_ms`` set hop/window in milliseconds instead), ``stft_pad_mode``.
    Signal: ``sample_rate`` (Hz), ``resample`` on load, ``preemphasis`` coefficient
    (0 disables it), ``ref_level_db``, ``do_sound_norm``, ``log_func`` for amplitude to dB.
    Trimming: ``do_trim_silence``, ``trim_db``. RMS volume: ``do_rms_norm``, ``db_level``.
    Griffin-Lim: ``power``, ``griffin_lim_iters``. Mel: ``num_mels``, ``mel_fmin``,
    ``mel_fmax`` (Hz), ``spec_gain``, ``do_amp_to_db_linear``, ``do_amp_to_db_mel``.
    Pitch: ``pitch_fmin``, ``pitch_fmax`` (Hz). Normalisation: ``signal_norm``,
    ``min_level_db``, ``symmetric_norm`` (range ``[-max_norm, max_norm]`` instead of
    ``[0, max_norm]``), ``max_norm``, ``clip_norm``, ``stats_path`` (``scale_stats.npy``).
    """

    fft_size: int = 1024
    win_length: int = 1024
    hop_length: int = 256
    frame_shift_ms: int | None = None
    frame_length_ms: int | None = None
    stft_pad_mode: str = "reflect"
    sample_rate: int = 22050
    resample: bool = False
    preemphasis: float = 0.0
    ref_level_db: int = 20
    do_sound_norm: bool = False
    log_func: Literal["np.log", "np.log10"] = "np.log10"
    do_trim_silence: bool = True
    trim_db: int = 45
    do_rms_norm: bool = False
    db_level: float | None = None
    power: float = 1.5
    griffin_lim_iters: int = 60
    num_mels: int = 80
    mel_fmin: float = 0.0
    mel_fmax: float | None = None
    spec_gain: int = 20
    do_amp_to_db_linear: bool = True
    do_amp_to_db_mel: bool = True
    pitch_fmax: float = 640.0
    pitch_fmin: float = 1.0
    signal_norm: bool = True
    min_level_db: int = -100
    symmetric_norm: bool = True
    max_norm: float = 4.0
    clip_norm: bool = True
    stats_path: str | None = None

    def check_values(self) -> None:
        """Reject values no released model uses and the audio code cannot handle."""
        _require_range(self, "num_mels", 10, 2056)
        _require_range(self, "fft_size", 128, 4058)
        _require_range(self, "sample_rate", 512, 100000)
        _require_range(self, "frame_length_ms", 10, 1000)
        _require_range(self, "frame_shift_ms", 1, 1000)
        _require_range(self, "preemphasis", 0, 1)
        _require_range(self, "min_level_db", -1000, 10)
        _require_range(self, "ref_level_db", 0, 1000)
        _require_range(self, "power", 1, 5)
        _require_range(self, "griffin_lim_iters", 10, 1000)
        _require_range(self, "max_norm", 0.1, 1000)
        _require_range(self, "mel_fmin", 0.0, 1000)
        _require_range(self, "mel_fmax", 500.0, None)
        _require_range(self, "spec_gain", 1, 100)


@dataclass
class BaseDatasetConfig(Coqpit):
    """One dataset: ``formatter`` names a function in ``TTS.tts.datasets.formatters``
    that reads ``meta_file_train`` / ``meta_file_val`` under ``path``; ``ignored_speakers``
    are skipped; ``language`` tags every sample; ``phonemizer`` overrides the model's;
    ``meta_file_attn_mask`` points to precomputed attention masks."""

    formatter: str | None = ""
    dataset_name: str | None = ""
    path: str | None = ""
    meta_file_train: str = ""
    ignored_speakers: list[str] | None = None
    language: str = ""
    phonemizer: str = ""
    meta_file_val: str = ""
    meta_file_attn_mask: str = ""

    def check_values(self) -> None:
        """A dataset needs a formatter, a folder and a training metadata file."""
        for name in ("formatter", "path", "meta_file_train"):
            if getattr(self, name) is None:
                raise ValueError(f"BaseDatasetConfig.{name} must be set.")


@dataclass
class BaseTrainingConfig(Coqpit):
    """Training-run settings shared by every model (the fields of the Coqui trainer's config).

    Only the training code reads most of these; inference reads ``model`` (the
    family name that ``TTS.config.load_config`` looks up in ``TTS.families``).
    """

    # run and logging
    output_path: str = "output"
    logger_uri: str | None = None
    run_name: str = "run"
    project_name: str | None = None
    run_description: str = "🐸Coqui trainer run."
    print_step: int = 25
    plot_step: int = 100
    model_param_stats: bool = False
    wandb_entity: str | None = None
    dashboard_logger: str = "tensorboard"
    # checkpointing
    save_on_interrupt: bool = True
    log_model_step: int | None = None
    save_step: int = 10000
    save_n_checkpoints: int = 5
    save_checkpoints: bool = True
    save_all_best: bool = False
    save_best_after: int = 0
    target_loss: str | None = None
    # evaluation
    print_eval: bool = False
    test_delay_epochs: int = 0
    run_eval: bool = True
    run_eval_steps: int | None = None
    # distributed and precision
    distributed_backend: str = "nccl"
    distributed_url: str = "tcp://localhost:54321"
    mixed_precision: bool = False
    precision: str = "fp16"
    # optimisation
    epochs: int = 1000
    batch_size: int = 32
    eval_batch_size: int = 16
    grad_clip: float | list[float] = 0.0
    scheduler_after_epoch: bool = True
    lr: float | list[float] = 0.001
    optimizer: str | list[str] | None = None
    optimizer_params: dict[str, Any] | list[dict[str, Any]] = field(default_factory=dict)
    lr_scheduler: str | list[str] | None = None
    lr_scheduler_params: dict[str, Any] = field(default_factory=dict)
    use_grad_scaler: bool = False
    allow_tf32: bool = False
    cudnn_enable: bool = True
    cudnn_deterministic: bool = False
    cudnn_benchmark: bool = False
    training_seed: int = 54321
    # model and data loading
    model: str | None = None
    num_loader_workers: int = 0
    num_eval_loader_workers: int = 0
    use_noise_augment: bool = False


@dataclass
class ModelArgs(Coqpit):
    """Base class of the per-family ``model_args`` block (e.g. ``VitsArgs``)."""
