"""Where downloaded models live, and how to tell that a model folder is usable.

Two layouts exist on users' disks and both are honoured:

- the model folder ``<output_prefix>/<type>--<lang>--<dataset>--<model>`` (``TTS`` 0.22 for
  every model, ``coqui-tts`` 0.28 for GitHub-release models, and ours);
- the Hugging Face hub cache (``coqui-tts`` 0.28 for models with a ``repo_id``, e.g. XTTS:
  ``<hub cache>/models--tts-hub--XTTS-v2/snapshots/<commit>/...``).

Nothing here imports torch or huggingface_hub, so listing models stays fast.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from TTS.core.errors import ModelNotFoundError
from TTS.utils.generic_utils import get_user_data_dir

__all__ = [
    "BOOKKEEPING_FILES",
    "MODEL_FILE_NAMES",
    "NO_CHECKPOINT_MODELS",
    "default_output_prefix",
    "find_model_files",
    "is_model_dir_complete",
    "model_dir_name",
    "split_model_name",
    "update_config_paths",
    "write_atomic",
]

# Checkpoint names looked for first, in this order of preference.
MODEL_FILE_NAMES = ("model_file.pth", "model_file.pth.tar", "model.pth", "checkpoint.pth")
# Models whose folder holds several checkpoints and no single model file (upstream returns the folder).
NO_CHECKPOINT_MODELS = ("tortoise-v2", "bark", "knnvc")
# Files that say something about a folder but are not part of the model.
BOOKKEEPING_FILES = ("tos_agreed.txt", ".hf_snapshot")


def default_output_prefix() -> Path:
    """The model cache folder: ``$TTS_HOME/tts``, ``$XDG_DATA_HOME/tts`` or the platform default."""
    return get_user_data_dir("tts")


def split_model_name(model_name: str) -> tuple[str, str, str, str]:
    """``"tts_models/en/ljspeech/vits"`` -> its four parts; raises ModelNotFoundError otherwise."""
    parts = model_name.strip().split("/")
    if len(parts) != 4 or not all(parts):
        raise ModelNotFoundError(
            f"{model_name!r} is not a model name: use type/language/dataset/model, "
            "e.g. tts_models/en/ljspeech/vits (see `tts --list_models`)."
        )
    return parts[0], parts[1], parts[2], parts[3]


def model_dir_name(model_name: str) -> str:
    """The folder name of a model: its name with ``/`` replaced by ``--``."""
    return "--".join(split_model_name(model_name))


def _shallowest(paths: Iterable[Path]) -> Path | None:
    return min(paths, key=lambda p: (len(p.parts), str(p)), default=None)


def find_model_files(folder: Path, *, require_checkpoint: bool = True) -> tuple[Path, Path]:
    """Return ``(checkpoint, config.json)`` inside a model folder.

    The checkpoint is one of MODEL_FILE_NAMES at the top, else the only ``*.pt*`` file below;
    the config is the shallowest ``config.json``. Raises ModelNotFoundError naming what is missing.
    With ``require_checkpoint=False`` the folder itself stands for the checkpoint.
    """
    folder = Path(folder)
    checkpoint: Path | None = folder if not require_checkpoint else None
    if require_checkpoint:
        for name in MODEL_FILE_NAMES:
            if (folder / name).is_file():
                checkpoint = folder / name
                break
        if checkpoint is None:
            candidates = [p for p in folder.rglob("*.pt*") if p.is_file() and not p.name.endswith(".part")]
            if len(candidates) == 1:
                checkpoint = candidates[0]
            else:
                raise ModelNotFoundError(
                    f"No model checkpoint in {folder}: expected one of {', '.join(MODEL_FILE_NAMES)} "
                    f"or a single *.pth file (found {len(candidates)}). Delete the folder to download it again."
                )
    config = _shallowest(p for p in folder.rglob("config.json") if p.is_file())
    if config is None:
        raise ModelNotFoundError(f"No config.json in {folder}. Delete the folder to download it again.")
    assert checkpoint is not None
    return checkpoint, config


def is_model_dir_complete(folder: Path, *, expected_files: Iterable[str] = (), require_checkpoint: bool = True) -> bool:
    """Whether ``folder`` holds a usable model.

    With ``expected_files`` (names relative to the folder, e.g. from a per-file release list)
    every one of them must be a non-empty file. Otherwise the folder must hold a config and a
    checkpoint as ``find_model_files`` finds them. Folders written by our downloader only ever
    appear complete (files are moved in last-file-decides order), so this also recognises
    folders left by ``TTS`` 0.22 / ``coqui-tts`` 0.28 and folders filled by hand.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return False
    expected = list(expected_files)
    if expected:
        return all(_non_empty_file(folder / name) for name in expected)
    if not require_checkpoint:
        # Multi-file models (tortoise, bark): any payload file will do; a config may be generated later.
        return any(p.name not in BOOKKEEPING_FILES and _non_empty_file(p) for p in folder.rglob("*"))
    try:
        checkpoint, config = find_model_files(folder)
    except ModelNotFoundError:
        return False
    return _non_empty_file(config) and _non_empty_file(checkpoint)


def _non_empty_file(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_size > 0
    except OSError:
        return False


# Config fields that name files shipped beside the model, and the usual names of those files.
_PATH_FIELDS: dict[str, tuple[str, ...]] = {
    "audio.stats_path": ("scale_stats.npy",),
    "d_vector_file": ("speakers.json", "speakers.pth"),
    "speakers_file": ("speaker_ids.json", "speaker_ids.pth"),
    "language_ids_file": ("language_ids.json",),
    "speaker_encoder_model_path": ("model_se.pth", "model_se.pth.tar"),
    "speaker_encoder_config_path": ("config_se.json",),
}


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` through a fsynced temporary file in the same folder."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)  # also replaces a symlink (HF snapshot) without touching its blob
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def update_config_paths(config_path: Path, output_path: Path, files_dir: Path | None = None) -> bool:
    """Point file fields of ``config.json`` (stats, speakers, ...) at the files in ``output_path``.

    Upstream does this after every download so that configs name the files beside them.
    Only fields present in the JSON are set. ``files_dir`` is where the files are now (a staging folder) when it differs. The file is
    rewritten atomically and only when something changes.
    """
    files_dir = Path(files_dir or output_path)
    config = json.loads(Path(config_path).read_text(encoding="utf-8"))
    changed = False
    for field, defaults in _PATH_FIELDS.items():
        locations = [field.split(".")]
        if not field.startswith("audio."):
            locations.append(["model_args", field])
        current = [_get(config, loc) for loc in locations]
        names = [Path(v[0] if isinstance(v, list) else v).name for v in current if v] + list(defaults)
        name = next((n for n in names if n and n not in BOOKKEEPING_FILES and (files_dir / n).is_file()), None)
        if name is None:
            continue
        for loc in locations:
            changed |= _set(config, loc, str(Path(output_path) / name))
    if changed:
        write_atomic(Path(config_path), json.dumps(config, indent=4, ensure_ascii=False) + "\n")
    return changed


def _get(config: dict[str, Any], keys: list[str]) -> Any:
    for key in keys:
        if not isinstance(config, dict) or key not in config:
            return None
        config = config[key]
    return config


def _set(config: dict[str, Any], keys: list[str], value: str) -> bool:
    """Set an existing field (never adds one); a list field becomes ``[value]``."""
    parent = _get(config, keys[:-1]) if len(keys) > 1 else config
    if not isinstance(parent, dict) or keys[-1] not in parent:
        return False
    old = parent[keys[-1]]
    first = old[0] if isinstance(old, list) and old else old
    if first and Path(first) == Path(value):
        return False
    parent[keys[-1]] = [value] if isinstance(old, list) else value
    return True
