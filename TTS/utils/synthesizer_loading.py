"""Loading for :class:`TTS.utils.synthesizer.Synthesizer`: the TTS, vocoder and voice conversion models.

Each loader checks that the checkpoint and its ``config.json`` exist, that the config names a
model of the expected kind (a vocoder passed as the TTS model is refused with advice), points
stale side-file paths at the files shipped beside the checkpoint (in memory only), and places
the model on the synthesizer's device.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from torch import nn

from TTS.config import load_config
from TTS.core.errors import InvalidInputError, ModelNotFoundError
from TTS.families import get_family

__all__ = ["ModelLoading"]

logger = logging.getLogger(__name__)


def _load_weights(model: Any, config: Any, checkpoint: Path) -> None:
    """``model.load_checkpoint`` for a model folder or a single checkpoint file, in eval mode."""
    if checkpoint.is_dir():
        model.load_checkpoint(config, checkpoint_dir=str(checkpoint), eval=True)
    else:
        model.load_checkpoint(config, checkpoint_path=str(checkpoint), eval=True)


class ModelLoading:
    """Mixin of the synthesizer's model loaders; the synthesizer holds the state they fill in."""

    _device: Any
    tts_model: Any
    tts_config: Any
    vocoder_model: Any
    vocoder_config: Any
    vc_model: Any
    vc_config: Any

    @staticmethod
    def _resolve_files(checkpoint: Path, config_path: str | None, what: str) -> tuple[Path, Path]:
        """Return ``(checkpoint_dir, config_path)`` after checking both exist."""
        if not checkpoint.exists():
            raise ModelNotFoundError(f"{what} checkpoint not found: {checkpoint}. Check the path.")
        checkpoint_dir = checkpoint if checkpoint.is_dir() else checkpoint.parent
        config = Path(config_path) if config_path else checkpoint_dir / "config.json"
        if not config.is_file():
            raise ModelNotFoundError(
                f"{what} config not found: {config}. Pass the config.json that came with the checkpoint."
            )
        return checkpoint_dir, config

    @staticmethod
    def _resolve_side_files(config: Any, checkpoint_dir: Path, config_file: Path | None = None) -> None:
        """Point stale side-file paths of ``config`` (stats, speakers, d-vectors, language ids, speaker
        encoder) at the files shipped beside the checkpoint (or beside its config).

        Only the in-memory config changes; the user's files are never rewritten.
        """
        from TTS.utils.model_paths import resolve_config_paths

        folders = [checkpoint_dir] + ([Path(config_file).parent] if config_file is not None else [])
        for field, value in resolve_config_paths(config, folders).items():
            logger.debug("Using %s for %s (the stored path does not exist).", value, field)

    def _place(self, model: nn.Module) -> nn.Module:
        from TTS.core.device import prepare_model

        return prepare_model(model, self._device)

    def _load_tts(self, checkpoint: Path, config_path: str | None) -> Path:
        checkpoint_dir, config_file = self._resolve_files(checkpoint, config_path, "TTS model")
        config = load_config(config_file)
        family = get_family(config.model)
        if family.kind != "tts":
            raise InvalidInputError(
                f"{config_file} describes a '{config.model}' {family.kind} model, not a TTS model"
                + {
                    "vocoder": ": pass it as the vocoder (vocoder_path / --vocoder_path).",
                    "vc": ": load it by name (tts --model_name voice_conversion_models/...) or as "
                    "Synthesizer(vc_checkpoint=..., vc_config=...).",
                }.get(family.kind, ".")
            )
        self._resolve_side_files(config, checkpoint_dir, config_file)
        self._apply_speaker_files(config)
        model_class = family.load_model_class()
        model = model_class.init_from_config(config)
        if "fairseq" in str(checkpoint) and hasattr(model, "load_fairseq_checkpoint"):
            model.load_fairseq_checkpoint(config, checkpoint_dir=str(checkpoint_dir), eval=True)
            config = getattr(model, "config", config)
        else:
            _load_weights(model, config, checkpoint)
        self.tts_model = self._place(model)
        self.tts_config = config
        self._tts_family = family
        self._init_speaker_encoder(config)
        self.output_sample_rate = self._model_sample_rate(model, config)
        return checkpoint_dir

    def _apply_speaker_files(self, config: Any) -> None:
        """Pass ``tts_speakers_file`` / ``tts_languages_file`` to the model through its config."""
        targets = [config]
        if config.get("model_args") is not None:
            targets.append(config.model_args)
        for path, keys in (
            (self.tts_speakers_file, ("speakers_file", "d_vector_file")),
            (self.tts_languages_file, ("language_ids_file",)),
        ):
            if not path:
                continue
            if not Path(path).is_file():
                raise ModelNotFoundError(f"File not found: {path}.")
            for target in targets:
                for key in keys:
                    if key in target:
                        target[key] = [path] if key == "d_vector_file" and isinstance(target[key], list) else path

    def _init_speaker_encoder(self, config: Any) -> None:
        """Attach a user-given speaker encoder (``encoder_checkpoint``) to the model's speaker manager.

        The encoder named in the model's own config is loaded by the model itself.
        """
        model_args = config.get("model_args") or {}
        if not self.encoder_checkpoint:
            self.encoder_checkpoint = model_args.get("speaker_encoder_model_path") or ""
            self.encoder_config = model_args.get("speaker_encoder_config_path") or ""
            return
        manager = getattr(self.tts_model, "speaker_manager", None)
        if manager is None or not hasattr(manager, "init_encoder"):
            raise InvalidInputError(
                "This model does not use a speaker encoder; drop encoder_checkpoint/--encoder_path."
            )
        manager.init_encoder(self.encoder_checkpoint, self.encoder_config, self._device.type == "cuda")
        register = getattr(self.tts_model, "_register_speaker_encoder", None)
        if register is not None:
            register()

    @staticmethod
    def _model_sample_rate(model: Any, config: Any) -> int:
        rate = getattr(model, "output_sample_rate", None)
        if rate:
            return int(rate)
        audio = config.get("audio") or {}
        return int(audio.get("output_sample_rate") or audio.get("sample_rate") or 22050)

    def _load_vocoder(self, checkpoint: Path, config_path: str | None) -> None:
        from TTS.utils.audio import AudioProcessor

        checkpoint_dir, config_file = self._resolve_files(checkpoint, config_path, "Vocoder")
        config = load_config(config_file)
        family = get_family(config.model if config.get("model") else config.get("generator_model", ""))
        if family.kind != "vocoder":
            raise InvalidInputError(f"{config_file} describes a '{config.model}' model, not a vocoder.")
        self._resolve_side_files(config, checkpoint_dir, config_file)
        self._check_vocoder_channels(config)
        model = family.load_model_class().init_from_config(config)
        model.load_checkpoint(config, checkpoint_path=str(checkpoint), eval=True)
        self.vocoder_model = self._place(model)
        self.vocoder_config = config
        self.vocoder_ap = AudioProcessor(**{**dict(config.audio), "verbose": False})
        self.output_sample_rate = int(config.audio["sample_rate"])

    def _check_vocoder_channels(self, vocoder_config: Any) -> None:
        """A spectrogram model's mel bins must be what its vocoder takes in."""
        if self.tts_config is None or self._tts_family is None or not self._tts_family.needs_vocoder:
            return
        params = vocoder_config.get("generator_model_params") or {}
        vocoder_mels = params.get("in_channels") or vocoder_config.audio.get("num_mels")
        tts_mels = self.tts_config.audio.get("num_mels")
        if getattr(self.tts_model, "LINEAR_OUTPUT", False):  # Tacotron v1: a linear spectrogram, not a mel
            tts_mels = self.tts_config.get("out_channels")
            if vocoder_mels and tts_mels and int(vocoder_mels) != int(tts_mels):
                raise InvalidInputError(
                    f"This Tacotron model predicts a linear spectrogram ({tts_mels} bins) but the vocoder takes "
                    f"{vocoder_mels} mel channels: use it without a vocoder (Griffin-Lim)."
                )
        if vocoder_mels and tts_mels and int(vocoder_mels) != int(tts_mels):
            raise InvalidInputError(
                f"The vocoder takes {vocoder_mels} mel channels but the TTS model makes {tts_mels} (num_mels): "
                "use the vocoder released with this model (its default_vocoder), or none for Griffin-Lim."
            )

    def _load_vc(self, checkpoint: Path, config_path: str | None) -> Path:
        checkpoint_dir, config_file = self._resolve_files(checkpoint, config_path, "Voice conversion model")
        config = load_config(config_file)
        family = get_family(config.model)
        if family.kind != "vc":
            raise InvalidInputError(f"{config_file} describes a '{config.model}' model, not a voice conversion model.")
        self._resolve_side_files(config, checkpoint_dir, config_file)
        model = family.load_model_class().init_from_config(config)
        _load_weights(model, config, checkpoint)
        self.vc_model = self._place(model)
        self.vc_config = config
        self.output_sample_rate = self._model_sample_rate(model, config)
        return checkpoint_dir
