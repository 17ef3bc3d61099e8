"""Speakers of multi-speaker TTS models: id tables, d-vector files and the YourTTS speaker encoder.

Three cases, as in released models:

1. speaker-embedding models: ``speakers.pth`` / ``speaker_ids.json`` map names to ids;
2. d-vector models: a file ``{clip: {"name": speaker, "embedding": [...]}}``;
3. a speaker encoder (``config_se.json`` + ``model_se.pth``) computes d-vectors from audio.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

import numpy as np

from TTS.core.errors import CheckpointError, InvalidInputError, ModelNotFoundError

__all__ = ["SpeakerManager", "read_id_file", "write_id_file"]

logger = logging.getLogger(__name__)

PathLike = str | os.PathLike[Any]


def read_id_file(path: PathLike) -> Any:
    """Load a ``.json`` file, or a ``.pth`` file through the safe checkpoint loader."""
    path = Path(path)
    if not path.is_file():
        raise ModelNotFoundError(f"File not found: {path}. Check the path in the model config or pass the file.")
    if path.suffix == ".json":
        with path.open(encoding="utf-8") as f:
            return json.load(f)
    if path.suffix in (".pth", ".pt", ".tar"):
        from TTS.core.checkpoint import load_checkpoint_file

        return load_checkpoint_file(path)
    raise CheckpointError(f"Unsupported file type {path.suffix!r} for {path}: use .json or .pth.")


def write_id_file(obj: Any, path: PathLike) -> None:
    """Save ids or embeddings as ``.json`` (or ``.pth``)."""
    path = Path(path)
    if path.suffix == ".json":
        with path.open("w", encoding="utf-8") as f:
            json.dump(obj, f, indent=4)
        return
    import torch

    torch.save(obj, path)


def _config_value(config: Any, name: str, default: Any = None) -> Any:
    """``config.model_args.<name>`` if present, else ``config.<name>``."""
    args = config.get("model_args") if hasattr(config, "get") else None
    if args is not None and name in args:
        return args[name]
    return config.get(name, default) if hasattr(config, "get") else getattr(config, name, default)


class SpeakerManager:
    """Speaker names, ids, d-vectors and (optionally) the encoder that makes new d-vectors."""

    def __init__(
        self,
        data_items: list[dict[str, Any]] | None = None,
        d_vectors_file_path: PathLike | list[PathLike] | None = None,
        speaker_id_file_path: PathLike = "",
        encoder_model_path: PathLike = "",
        encoder_config_path: PathLike = "",
        use_cuda: bool = False,
    ) -> None:
        self.name_to_id: dict[str, int] = {}
        self.embeddings: dict[str, dict[str, Any]] = {}
        self.embeddings_by_names: dict[str, list[list[float]]] = {}
        self.clip_ids: list[str] = []
        self.encoder = None
        self.encoder_config: dict[str, Any] | None = None
        self.use_cuda = use_cuda
        if data_items:
            self.name_to_id = {n: i for i, n in enumerate(sorted({it["speaker_name"] for it in data_items}))}
        if d_vectors_file_path:
            files = d_vectors_file_path if isinstance(d_vectors_file_path, list) else [d_vectors_file_path]
            self.load_embeddings_from_list_of_files(files)
        if speaker_id_file_path:
            self.load_ids_from_file(speaker_id_file_path)
        if encoder_model_path and encoder_config_path:
            self.init_encoder(encoder_model_path, encoder_config_path, use_cuda)

    # -- names and ids -------------------------------------------------------------
    @property
    def num_speakers(self) -> int:
        return len(self.name_to_id)

    @property
    def speaker_names(self) -> list[str]:
        return list(self.name_to_id)

    def load_ids_from_file(self, file_path: PathLike) -> None:
        self.name_to_id = dict(read_id_file(file_path))

    def save_ids_to_file(self, file_path: PathLike) -> None:
        write_id_file(self.name_to_id, file_path)

    def resolve_id(self, speaker: str | int) -> int:
        """Speaker id from a name (or an id given as int / digit string); lists valid names otherwise."""
        if isinstance(speaker, str) and speaker in self.name_to_id:
            return int(self.name_to_id[speaker])
        if isinstance(speaker, int) or (isinstance(speaker, str) and speaker.isdigit()):
            idx = int(speaker)
            if 0 <= idx < self.num_speakers:
                return idx
        raise InvalidInputError(f"Unknown speaker {speaker!r}. Valid speakers: {', '.join(self.speaker_names)}.")

    # -- d-vectors -------------------------------------------------------------------
    @property
    def num_embeddings(self) -> int:
        return len(self.embeddings)

    @property
    def embedding_dim(self) -> int:
        if not self.embeddings:
            return 0
        return len(next(iter(self.embeddings.values()))["embedding"])

    @property
    def embedding_names(self) -> list[str]:
        return list(self.embeddings_by_names)

    def load_embeddings_from_file(self, file_path: PathLike) -> None:
        self.load_embeddings_from_list_of_files([file_path])

    def load_embeddings_from_list_of_files(self, file_paths: list[PathLike]) -> None:
        """Merge d-vector files; speaker ids follow sorted names within each file, files in order."""
        names: list[str] = []
        self.embeddings, self.embeddings_by_names, self.clip_ids = {}, {}, []
        for path in file_paths:
            data = read_id_file(path)
            duplicates = set(self.embeddings) & set(data)
            if duplicates:
                raise InvalidInputError(f"Duplicate clip names {sorted(duplicates)[:5]} in {path}.")
            self.embeddings.update(data)
            self.clip_ids.extend(data)
            for name in sorted({x["name"] for x in data.values()}):
                if name not in names:
                    names.append(name)
            for entry in data.values():
                self.embeddings_by_names.setdefault(entry["name"], []).append(entry["embedding"])
        self.name_to_id = {name: i for i, name in enumerate(names)}

    def get_embedding_by_clip(self, clip_idx: str) -> list[float]:
        return self.embeddings[clip_idx]["embedding"]

    def get_embeddings_by_name(self, idx: str) -> list[list[float]]:
        return self.embeddings_by_names[idx]

    def get_mean_embedding(self, idx: str, num_samples: int | None = None, randomize: bool = False) -> np.ndarray:
        """Mean d-vector of a speaker (first ``num_samples`` clips, or random ones)."""
        if idx not in self.embeddings_by_names:
            raise InvalidInputError(f"Unknown speaker {idx!r}. Valid speakers: {', '.join(self.embedding_names)}.")
        vectors = self.embeddings_by_names[idx]
        if num_samples is not None:
            if randomize:
                rng = np.random.default_rng()
                vectors = [vectors[i] for i in rng.integers(0, len(vectors), num_samples)]
            else:
                vectors = vectors[:num_samples]
        return np.asarray(vectors, dtype=np.float32).mean(axis=0)

    def get_clips(self) -> list[str]:
        return sorted(self.embeddings)

    # -- speaker encoder ------------------------------------------------------------
    def init_encoder(self, model_path: PathLike, config_path: PathLike, use_cuda: bool = False) -> None:
        """Load a ResNet speaker encoder from ``config_se.json`` + ``model_se.pth``."""
        with Path(config_path).open(encoding="utf-8") as f:
            self.encoder_config = json.load(f)
        self.encoder = _load_speaker_encoder(self.encoder_config, model_path)
        if use_cuda:
            self.encoder = self.encoder.cuda()

    def compute_embedding_from_clip(self, wav_file: PathLike | list[PathLike]) -> list[float]:
        """d-vector of one clip, or the mean over several clips, as a list of floats."""
        if self.encoder is None or self.encoder_config is None:
            raise InvalidInputError("This model has no speaker encoder: pass a speaker name instead of speaker_wav.")
        files = wav_file if isinstance(wav_file, list | tuple) else [wav_file]
        vectors = [_embed_clip(self.encoder, self.encoder_config, f) for f in files]
        return np.mean(np.stack(vectors), axis=0).tolist()

    def compute_embeddings(self, feats: Any) -> Any:
        """d-vector (1, D) of an encoder input batch (waveform for torch-spec encoders)."""
        import torch

        if self.encoder is None:
            raise InvalidInputError("This model has no speaker encoder: call init_encoder() first.")
        feats = torch.as_tensor(feats)
        if feats.ndim == 1:
            feats = feats.unsqueeze(0)
        return self.encoder.compute_embedding(feats)

    @staticmethod
    def init_from_config(config: Any) -> SpeakerManager | None:
        """Build from a model config; ``None`` for single-speaker models without an encoder."""
        manager = None
        if _config_value(config, "use_speaker_embedding"):
            if config.get("speakers"):
                manager = SpeakerManager()
                manager.name_to_id = {name: i for i, name in enumerate(config.speakers)}
            elif path := (_config_value(config, "speaker_file") or _config_value(config, "speakers_file")):
                manager = SpeakerManager(speaker_id_file_path=path)
        elif _config_value(config, "use_d_vector_file"):
            manager = SpeakerManager(d_vectors_file_path=_config_value(config, "d_vector_file") or None)
        args = config.get("model_args") or {}
        if encoder_path := args.get("speaker_encoder_model_path"):
            manager = manager or SpeakerManager()
            manager.init_encoder(encoder_path, args.get("speaker_encoder_config_path"))
        return manager


def _load_speaker_encoder(config: dict[str, Any], model_path: PathLike) -> Any:
    """Build the shared ResNet speaker encoder from ``config_se.json`` values and load its weights."""
    from TTS.core.layers.speaker_encoder import ResNetSpeakerEncoder

    params = config.get("model_params", {})
    if str(params.get("model_name", "resnet")).lower() != "resnet" or not params.get("use_torch_spec", False):
        raise CheckpointError(
            f"Unsupported speaker encoder {params.get('model_name')!r} (use_torch_spec="
            f"{params.get('use_torch_spec')}): only the waveform-input ResNet encoder of YourTTS is supported."
        )
    encoder = ResNetSpeakerEncoder(
        input_dim=params["input_dim"],
        proj_dim=params["proj_dim"],
        log_input=params.get("log_input", False),
        use_torch_spec=True,
        audio_config=config["audio"],
    )
    encoder.load_checkpoint(config, str(model_path), eval=True)
    return encoder


def _embed_clip(encoder: Any, config: dict[str, Any], path: PathLike) -> np.ndarray:
    """d-vector (D,) of one audio file, loaded as the encoder's audio config says."""
    import torch

    from TTS.core.audio.io import check_reference_audio, load_audio

    audio = config["audio"]
    sample_rate = int(audio["sample_rate"])
    wav = load_audio(path, sample_rate_hz=sample_rate).numpy()[0]
    check_reference_audio(wav, sample_rate, path)
    if audio.get("do_trim_silence", False):
        import librosa

        margin = int(sample_rate * 0.01)
        wav = wav[margin:-margin]
        wav = librosa.effects.trim(
            wav, top_db=audio.get("trim_db", 45), frame_length=audio["win_length"], hop_length=audio["hop_length"]
        )[0]
        check_reference_audio(wav, sample_rate, path)  # what is left after trimming must still be speech
    if audio.get("do_sound_norm", False):
        wav = wav / np.abs(wav).max() * 0.95
    device = next(encoder.parameters()).device
    x = torch.from_numpy(np.ascontiguousarray(wav, dtype=np.float32))[None].to(device)
    return encoder.compute_embedding(x)[0].cpu().numpy()
