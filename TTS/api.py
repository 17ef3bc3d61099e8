"""The Python API: ``from TTS.api import TTS``.

``TTS`` loads a released model by name (downloading it through the model
manager) or a local checkpoint, and synthesises to a list of samples or a wav
file. It is an ``nn.Module``: ``TTS(...).to("cuda")`` moves the models through
the one device policy (``"auto"`` picks cuda, then mps, then cpu).
"""

from __future__ import annotations

import logging
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

import torch
from torch import nn

from TTS.config import load_config
from TTS.core.errors import InvalidInputError
from TTS.families import check_released_model
from TTS.utils.manage import ModelManager
from TTS.utils.synthesizer import Synthesizer

__all__ = ["TTS", "check_output_path"]

logger = logging.getLogger(__name__)

PathLike = str | os.PathLike[Any]

# Output names whose extension promises a format other than the WAV that is written.
_OTHER_AUDIO_SUFFIXES = frozenset({".mp3", ".flac", ".ogg", ".opus", ".m4a", ".aac", ".aiff", ".wma"})

_DEFAULT_VC_MODEL = "voice_conversion_models/multilingual/vctk/freevc24"


def _same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name the same file (through links, ``..`` and relative paths)."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return a.resolve() == b.resolve()
    except (OSError, ValueError):
        return False


def _input_paths(value: Any) -> list[Path]:
    """The file paths in an input argument (a path, a list of paths, or anything else: none)."""
    values = value if isinstance(value, list | tuple) else [value]
    return [Path(v) for v in values if isinstance(v, str | os.PathLike) and str(v)]


def check_output_path(path: PathLike | Any, inputs: dict[str, Any] | None = None) -> Any:
    """Raise :class:`InvalidInputError` unless ``path`` can be written (checked before synthesising).

    ``inputs`` maps a description (e.g. ``"the reference audio (speaker_wav=)"``) to the input
    path(s) it names; writing the output over any of them is refused, so a user's reference
    recording, model or config is never overwritten.
    """
    if hasattr(path, "write") and not isinstance(path, str | os.PathLike):
        return path  # a binary file object (e.g. io.BytesIO): save_wav writes into it
    if not isinstance(path, str | os.PathLike):
        raise InvalidInputError(
            f"file_path must be a file name such as 'output.wav' (or a binary file object), got {type(path).__name__}."
        )
    out = Path(path)
    if not str(path).strip():
        raise InvalidInputError("The output file name is empty: give a file name such as 'output.wav'.")
    for what, value in (inputs or {}).items():
        for source in _input_paths(value):
            if _same_file(out, source):
                raise InvalidInputError(
                    f"Output path {out} is {what}: writing the output there would overwrite it. "
                    "Choose another output file."
                )
    if out.is_dir():
        raise InvalidInputError(f"Output path {out} is a folder: give a file name such as {out / 'output.wav'}.")
    if out.suffix.lower() in _OTHER_AUDIO_SUFFIXES:
        logger.warning("%s will hold WAV data (16-bit PCM) despite its name: name it .wav or convert it.", out)
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise InvalidInputError(f"Cannot write {out}: the folder {parent} does not exist.")
    if out.exists() and not os.access(out, os.W_OK):
        raise InvalidInputError(f"Cannot write {out}: the file is not writable.")
    if not out.exists() and not os.access(parent, os.W_OK | os.X_OK):
        raise InvalidInputError(f"Cannot write {out}: the folder {parent} is not writable.")
    return out


def _device_from_to_args(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, tuple[Any, ...]]:
    """Split ``nn.Module.to`` arguments into (device or None, remaining positional args)."""
    device = kwargs.pop("device", None)
    rest = list(args)
    if rest and isinstance(rest[0], str | torch.device | int) and not isinstance(rest[0], bool):
        device = rest.pop(0)
    elif rest and isinstance(rest[0], torch.Tensor):
        tensor = rest.pop(0)
        device = tensor.device
        kwargs.setdefault("dtype", tensor.dtype)
    if isinstance(device, int):
        device = torch.device("cuda", device)
    return device, tuple(rest)


class TTS(nn.Module):
    """Load a model by name or path and synthesise speech.

    The first seven arguments may be given positionally, in the order the original
    0.22 API used: ``TTS(model_name, model_path, config_path, vocoder_path,
    vocoder_config_path, progress_bar, gpu)``.

    ``reduced_precision=True`` turns on the opt-in fast CPU mode of the loaded models
    that have one (int8 weights for the XTTS GPT and the Tacotron2 decoder, bf16 waveform
    decoders where the CPU or GPU has native bf16); the audio then differs slightly from
    the default fp32. Models without such a mode log one warning and run in fp32.
    """

    def __init__(
        self,
        model_name: str = "",
        model_path: PathLike | None = None,
        config_path: PathLike | None = None,
        vocoder_path: PathLike | None = None,
        vocoder_config_path: PathLike | None = None,
        progress_bar: bool = True,
        gpu: bool = False,
        *,
        vocoder_name: str | None = None,
        encoder_path: PathLike | None = None,
        encoder_config_path: PathLike | None = None,
        speakers_file_path: PathLike | None = None,
        language_ids_file_path: PathLike | None = None,
        cs_api_model: str | None = None,
        reduced_precision: bool = False,
    ) -> None:
        super().__init__()
        if cs_api_model is not None:
            warnings.warn("`cs_api_model` is ignored: Coqui Studio no longer exists.", DeprecationWarning, stacklevel=2)
        self.manager = ModelManager(progress_bar=progress_bar)
        self.config = load_config(config_path) if config_path else None
        self.synthesizer: Synthesizer | None = None
        self.voice_converter: Synthesizer | None = None
        self.model_name = ""
        self.voice_dir: Path | None = None
        self.vocoder_name = vocoder_name
        self.vocoder_path = vocoder_path
        self.vocoder_config_path = vocoder_config_path
        self.encoder_path = encoder_path
        self.encoder_config_path = encoder_config_path
        self.speakers_file_path = speakers_file_path
        self.language_ids_file_path = language_ids_file_path
        # Opt-in fast mode of the models that have one (see Synthesizer.apply_reduced_precision).
        self.reduced_precision = bool(reduced_precision)
        if gpu:
            warnings.warn("`gpu` is deprecated: use `TTS(...).to('cuda')` instead.", DeprecationWarning, stacklevel=2)
            from TTS.core.device import cuda_problem

            problem = cuda_problem()
            if problem:
                raise InvalidInputError(
                    f"gpu=True asks for CUDA, but {problem}. Remove gpu=True to run on the CPU "
                    '(or call .to("auto") to use the best available device).'
                )

        if model_name is not None and not isinstance(model_name, str):
            raise InvalidInputError(
                f"model_name must be a released model name such as 'tts_models/en/ljspeech/vits', got "
                f"{type(model_name).__name__} {model_name!r:.80}; for your own files use "
                "TTS(model_path=..., config_path=...)."
            )
        if model_name:
            if "vocoder_models" in model_name:
                raise InvalidInputError(
                    f"'{model_name}' is a vocoder; it only works together with a TTS model, "
                    f"e.g. TTS('tts_models/en/ljspeech/tacotron2-DDC', vocoder_name='{model_name}')."
                )
            prefix = getattr(self.manager, "output_prefix", None)
            if prefix is not None:
                self.voice_dir = Path(prefix) / model_name / "voices"
            if "voice_conversion_models" in model_name:
                self.load_vc_model_by_name(model_name, vocoder_name, gpu=gpu)
            else:
                self.load_tts_model_by_name(model_name, vocoder_name, gpu=gpu)
        if model_path:
            self.load_tts_model_by_path(model_path, config_path, gpu=gpu)

    # ------------------------------------------------------------- devices

    def to(self, *args: Any, **kwargs: Any) -> TTS:  # type: ignore[override]
        """Move the loaded models; accepts everything ``nn.Module.to`` does, plus ``"auto"``."""
        device, rest = _device_from_to_args(args, kwargs)
        if device is not None:
            for synthesizer in (self.synthesizer, self.voice_converter):
                if synthesizer is not None:
                    synthesizer.set_device(device)
        if rest or kwargs.get("dtype") is not None:
            kwargs.pop("non_blocking", None)
            super().to(*rest, **kwargs)
        return self

    @property
    def device(self) -> torch.device:
        """The device of the loaded model (cpu when nothing is loaded)."""
        for synthesizer in (self.synthesizer, self.voice_converter):
            if synthesizer is not None:
                return synthesizer.device
        return torch.device("cpu")

    # ------------------------------------------------------------- properties

    @property
    def models(self) -> list[str]:
        """Names of the released TTS models."""
        return self.manager.list_tts_models()

    def _supports_cloning(self) -> bool:
        return self.synthesizer is not None and self.synthesizer.supports_cloning

    @property
    def is_multi_speaker(self) -> bool:
        """True for models with several speakers or that clone voices."""
        if self.synthesizer is None:
            return False
        return self._supports_cloning() or len(self.synthesizer.speaker_names) > 1

    @property
    def is_multi_lingual(self) -> bool:
        """True for models that take a ``language``."""
        if isinstance(self.model_name, str) and "xtts" in self.model_name:
            return True
        if self.config is not None and (
            "xtts" in str(self.config.get("model", "")) or len(self.config.get("languages") or []) > 1
        ):
            return True
        return self.synthesizer is not None and len(self.synthesizer.language_names) > 1

    @property
    def speakers(self) -> list[str] | None:
        """Speaker names (built-in and cached voices), or None for single-speaker models."""
        if not self.is_multi_speaker or self.synthesizer is None:
            return None
        names = list(self.synthesizer.speaker_names)
        names += [v for v in self.synthesizer._cached_voices(self.synthesizer.voice_dir) if v not in names]
        return names

    @property
    def languages(self) -> list[str] | None:
        """Language codes, or None for monolingual models."""
        if not self.is_multi_lingual or self.synthesizer is None:
            return None
        return self.synthesizer.language_names

    # ------------------------------------------------------------- loading

    @staticmethod
    def list_models() -> list[str]:
        """Names of every released model."""
        return ModelManager(progress_bar=False).list_models()

    @staticmethod
    def get_models_file_path() -> Path:
        """The bundled model registry (``TTS/.models.json``)."""
        return Path(__file__).parent / ".models.json"

    def download_model_by_name(
        self, model_name: str, vocoder_name: str | None = None
    ) -> tuple[Path | None, Path | None, Path | None, Path | None]:
        """Download (or find in the cache) a model and its vocoder; return their checkpoint and config paths."""
        entry = check_released_model(model_name)
        has_local_vocoder = self.vocoder_path is not None and self.vocoder_config_path is not None
        vocoder_name = vocoder_name or entry.get("default_vocoder")
        if vocoder_name and not has_local_vocoder:
            check_released_model(vocoder_name)
        model_path, config_path, model_item = self.manager.download_model(model_name)
        if has_local_vocoder:  # a local vocoder given to the constructor wins
            return model_path, config_path, Path(self.vocoder_path), Path(self.vocoder_config_path)
        vocoder_name = vocoder_name or (model_item or {}).get("default_vocoder")
        if not vocoder_name:
            return model_path, config_path, None, None
        vocoder_path, vocoder_config_path, _ = self.manager.download_model(vocoder_name)
        return model_path, config_path, vocoder_path, vocoder_config_path

    def load_model_by_name(self, model_name: str, vocoder_name: str | None = None, *, gpu: bool = False) -> None:
        """Load a released TTS model by name."""
        self.load_tts_model_by_name(model_name, vocoder_name, gpu=gpu)

    def load_vc_model_by_name(self, model_name: str, vocoder_name: str | None = None, *, gpu: bool = False) -> None:
        """Load a released voice conversion model by name."""
        self.model_name = model_name
        model_path, config_path, vocoder_path, vocoder_config_path = self.download_model_by_name(
            model_name, vocoder_name
        )
        self.voice_converter = Synthesizer(
            vc_checkpoint=model_path,
            vc_config=config_path,
            vocoder_checkpoint=vocoder_path,
            vocoder_config=vocoder_config_path,
            voice_dir=self.voice_dir,
            use_cuda=gpu,
            # not for the helper VC model that tts_with_vc() loads beside a TTS model
            reduced_precision=self.reduced_precision and self.synthesizer is None,
        )

    def load_tts_model_by_name(self, model_name: str, vocoder_name: str | None = None, *, gpu: bool = False) -> None:
        """Load a released TTS model (and its default or the named vocoder) by name."""
        self.synthesizer = None
        self.model_name = model_name
        model_path, config_path, vocoder_path, vocoder_config_path = self.download_model_by_name(
            model_name, vocoder_name
        )
        self.synthesizer = Synthesizer(
            tts_checkpoint=model_path,
            tts_config_path=config_path,
            vocoder_checkpoint=vocoder_path,
            vocoder_config=vocoder_config_path,
            encoder_checkpoint=self.encoder_path,
            encoder_config=self.encoder_config_path,
            voice_dir=self.voice_dir,
            use_cuda=gpu,
            reduced_precision=self.reduced_precision,
        )

    def load_tts_model_by_path(
        self,
        model_path: PathLike,
        config_path: PathLike | None = None,
        vocoder_path: PathLike | None = None,
        vocoder_config: PathLike | None = None,
        *,
        gpu: bool = False,
    ) -> None:
        """Load a local TTS checkpoint (file or folder) with its config (default: ``config.json`` beside it).

        A released vocoder named by ``vocoder_name`` is used when no local vocoder is given.
        """
        vocoder_path = vocoder_path or self.vocoder_path
        vocoder_config = vocoder_config or self.vocoder_config_path
        if not vocoder_path and self.vocoder_name:
            check_released_model(self.vocoder_name)
            vocoder_path, vocoder_config, _ = self.manager.download_model(self.vocoder_name)
        self.synthesizer = Synthesizer(
            tts_checkpoint=model_path,
            tts_config_path=config_path,
            tts_speakers_file=self.speakers_file_path,
            tts_languages_file=self.language_ids_file_path,
            vocoder_checkpoint=vocoder_path,
            vocoder_config=vocoder_config,
            encoder_checkpoint=self.encoder_path,
            encoder_config=self.encoder_config_path,
            use_cuda=gpu,
            reduced_precision=self.reduced_precision,
        )
        self.voice_dir = self.synthesizer.voice_dir
        if self.config is None:
            self.config = self.synthesizer.tts_config

    # ------------------------------------------------------------- synthesis

    def _model_files(self) -> list[Path]:
        """Files of the loaded models (checkpoints, configs, side files) that an output must not replace.

        Besides the files named, every existing non-wav file in a checkpoint's folder counts
        (``config.json``, ``vocab.json``, speakers files, stats).
        """
        files: list[Path] = []
        for synthesizer in (self.synthesizer, self.voice_converter):
            if synthesizer is None:
                continue
            for attr in (
                "tts_checkpoint",
                "tts_config_path",
                "tts_speakers_file",
                "tts_languages_file",
                "vocoder_checkpoint",
                "vocoder_config_path",
                "encoder_checkpoint",
                "encoder_config",
                "vc_checkpoint",
                "vc_config_path",
            ):
                value = getattr(synthesizer, attr, "")
                if not value:
                    continue
                path = Path(value)
                files.append(path)
                folder = path if path.is_dir() else path.parent
                if attr.endswith(("checkpoint", "config_path")) and folder.is_dir():
                    files += [f for f in folder.iterdir() if f.is_file() and f.suffix.lower() != ".wav"]
        return files

    def _check_output(self, file_path: PathLike, **inputs: Any) -> None:
        """:func:`check_output_path` guarding the given inputs (argument name -> path(s)) and the model files."""
        described = {f"the input {name}=": value for name, value in inputs.items()}
        described["a file of the loaded model"] = self._model_files()
        check_output_path(file_path, described)

    def _check_arguments(
        self,
        speaker: str | None = None,
        language: str | None = None,
        speaker_wav: Any = None,
        emotion: str | None = None,
        **kwargs: Any,
    ) -> None:
        """Raise :class:`InvalidInputError` when the arguments do not fit the loaded model."""
        if emotion is not None:
            raise InvalidInputError("`emotion` only worked with Coqui Studio models, which no longer exist.")
        if self.synthesizer is None:
            return
        languages = self.synthesizer.language_names
        if self.is_multi_lingual and not language:
            raise InvalidInputError(
                "This model is multilingual: pass `language`"
                + (f", one of: {', '.join(languages)}." if languages else ".")
            )
        if speaker is not None and not self.is_multi_speaker:
            raise InvalidInputError("This model has a single speaker: do not pass `speaker`.")
        if language and not self.is_multi_lingual and self.synthesizer.canonical_language(language) not in languages:
            raise InvalidInputError("This model is monolingual: do not pass `language`.")
        self.synthesizer.check_speaker_and_language(speaker, language, speaker_wav, kwargs.get("voice_dir"))

    def tts(
        self,
        text: str,
        speaker: str | None = None,
        language: str | None = None,
        speaker_wav: PathLike | list[PathLike] | None = None,
        emotion: str | None = None,
        split_sentences: bool = True,
        **kwargs: Any,
    ) -> list[float]:
        """Synthesise ``text``; return the samples at ``self.synthesizer.output_sample_rate``."""
        if self.synthesizer is None:
            what = "a voice conversion model is loaded" if self.voice_converter is not None else "no model is loaded"
            raise InvalidInputError(
                f"Cannot synthesise text: {what}. Load one with TTS(model_name) or TTS(model_path=..., config_path=...)."
            )
        if "speed" in kwargs and kwargs["speed"] is None:  # 0.22 passed speed=None by default
            del kwargs["speed"]
        self._check_arguments(speaker=speaker, language=language, speaker_wav=speaker_wav, emotion=emotion, **kwargs)
        return self.synthesizer.tts(
            text=text,
            speaker_name=speaker,
            language_name=language,
            speaker_wav=speaker_wav,
            split_sentences=split_sentences,
            **kwargs,
        )

    def tts_to_file(
        self,
        text: str,
        speaker: str | None = None,
        language: str | None = None,
        speaker_wav: PathLike | list[PathLike] | None = None,
        emotion: str | None = None,
        pipe_out: Any = None,
        file_path: PathLike = "output.wav",
        split_sentences: bool = True,
        **kwargs: Any,
    ) -> str:
        """Synthesise ``text`` into the wav file ``file_path`` (and ``pipe_out``); return the path."""
        self._check_output(
            file_path, speaker_wav=speaker_wav, style_wav=kwargs.get("style_wav"), voice_dir=kwargs.get("voice_dir")
        )
        wav = self.tts(
            text=text,
            speaker=speaker,
            language=language,
            speaker_wav=speaker_wav,
            emotion=emotion,
            split_sentences=split_sentences,
            **kwargs,
        )
        self.synthesizer.save_wav(wav=wav, path=file_path, pipe_out=pipe_out)
        return str(file_path)

    def voice_conversion(
        self,
        source_wav: PathLike,
        target_wav: PathLike | list[PathLike] | None = None,
        *,
        speaker: str | None = None,
        voice_dir: PathLike | None = None,
        source_speaker: str | None = None,
        **kwargs: Any,
    ) -> list[float]:
        """Convert ``source_wav`` into the voice of ``target_wav`` (or of the cached ``speaker``)."""
        if self.voice_converter is not None:
            return self.voice_converter.voice_conversion(
                source_wav=source_wav, target_wav=target_wav, speaker_id=speaker, voice_dir=voice_dir, **kwargs
            )
        if self.synthesizer is not None and hasattr(self.synthesizer.tts_model, "voice_conversion"):
            return self.synthesizer.tts(
                reference_wav=source_wav,
                reference_speaker_name=source_speaker,
                speaker_wav=target_wav,
                speaker_name=speaker,
                voice_dir=voice_dir,
                **kwargs,
            )
        loaded = type(self.synthesizer.tts_model).__name__ if self.synthesizer is not None else "no model"
        raise InvalidInputError(
            f"The loaded model ({loaded}) cannot convert voices. Load one that can: YourTTS "
            "(tts_models/multilingual/multi-dataset/your_tts), a multi-speaker VITS such as tts_models/en/vctk/vits, "
            "or a voice conversion model (tts --list_models)."
        )

    def voice_conversion_to_file(
        self,
        source_wav: PathLike,
        target_wav: PathLike | list[PathLike] | None = None,
        *,
        file_path: PathLike = "output.wav",
        speaker: str | None = None,
        voice_dir: PathLike | None = None,
        source_speaker: str | None = None,
        pipe_out: Any = None,
        **kwargs: Any,
    ) -> str:
        """Voice conversion into the wav file ``file_path``; return the path."""
        self._check_output(file_path, source_wav=source_wav, target_wav=target_wav)
        wav = self.voice_conversion(
            source_wav=source_wav,
            target_wav=target_wav,
            speaker=speaker,
            voice_dir=voice_dir,
            source_speaker=source_speaker,
            **kwargs,
        )
        writer = self.voice_converter if self.voice_converter is not None else self.synthesizer
        writer.save_wav(wav=wav, path=file_path, pipe_out=pipe_out)
        return str(file_path)

    def tts_with_vc(
        self,
        text: str,
        *,
        language: str | None = None,
        speaker_wav: PathLike | list[PathLike],
        speaker: str | None = None,
        split_sentences: bool = True,
    ) -> list[float]:
        """Synthesise ``text`` with the TTS model, then convert it into the voice of ``speaker_wav``."""
        if self._supports_cloning():
            warnings.warn(
                "This model clones voices itself: tts(..., speaker_wav=...) gives better quality.", stacklevel=2
            )
        with tempfile.TemporaryDirectory() as tmp:
            tmp_wav = Path(tmp) / "tts.wav"
            self.tts_to_file(
                text=text, speaker=speaker, language=language, file_path=tmp_wav, split_sentences=split_sentences
            )
            if self.voice_converter is None:
                self.load_vc_model_by_name(_DEFAULT_VC_MODEL)
            return self.voice_converter.voice_conversion(source_wav=tmp_wav, target_wav=speaker_wav)

    def tts_with_vc_to_file(
        self,
        text: str,
        *,
        language: str | None = None,
        speaker_wav: PathLike | list[PathLike],
        file_path: PathLike = "output.wav",
        speaker: str | None = None,
        split_sentences: bool = True,
        pipe_out: Any = None,
    ) -> str:
        """:meth:`tts_with_vc` into the wav file ``file_path``; return the path."""
        self._check_output(file_path, speaker_wav=speaker_wav)
        wav = self.tts_with_vc(
            text=text, language=language, speaker_wav=speaker_wav, speaker=speaker, split_sentences=split_sentences
        )
        self.voice_converter.save_wav(wav=wav, path=file_path, pipe_out=pipe_out)
        return str(file_path)
