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
    "resolve_config_paths",
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
    "speaker_ids_file": ("speaker_ids.json", "speaker_ids.pth"),
    "language_ids_file": ("language_ids.json",),
    "speaker_encoder_model_path": ("model_se.pth", "model_se.pth.tar"),
    "speaker_encoder_config_path": ("config_se.json",),
}


def _locations(field: str) -> list[list[str]]:
    """Where a field may live in a config: ``audio.stats_path``, or top level and ``model_args``."""
    if field.startswith("audio."):
        return [field.split(".")]
    return [[field], ["model_args", field]]


def _has(node: Any, key: str) -> bool:
    try:
        return key in node
    except TypeError:
        return False


def _lookup(config: Any, keys: list[str]) -> tuple[Any, bool]:
    """``(value, present)`` of a nested field of a dict or Coqpit config."""
    node = config
    for key in keys:
        if node is None or not _has(node, key):
            return None, False
        node = node[key]
    return node, True


def _assign(config: Any, keys: list[str], value: Any) -> None:
    node = config
    for key in keys[:-1]:
        node = node[key]
    node[keys[-1]] = value


def _local_file(value: Any, model_dirs: list[Path], names: Iterable[str]) -> str | None:
    """``value`` when it names an existing file, else the first of ``names`` found in ``model_dirs``."""
    if value and Path(str(value)).expanduser().is_file():
        return str(value)
    for name in names:
        for folder in model_dirs:
            if name and name not in BOOKKEEPING_FILES and (folder / name).is_file():
                return str(folder / name)
    return None


def resolve_config_paths(
    config: Any, model_dir: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]
) -> dict[str, str]:
    """Point stale file fields of a loaded config at the files shipped in ``model_dir``, in memory only.

    Released configs name side files (``audio.stats_path``, ``speakers_file``, ``d_vector_file``,
    ``speaker_ids_file``, ``language_ids_file``, ``speaker_encoder_model_path``,
    ``speaker_encoder_config_path``, at the top level or under ``model_args``) by absolute paths
    on the machine that trained them. A field whose file does not exist is replaced by the file
    of the same name in ``model_dir``, else by the field's usual file name there (as upstream's
    downloader does). Existing files and absent fields are left alone; a ``d_vector_file`` list is
    resolved item by item. ``config`` is a Coqpit or a dict; nothing is written to disk.
    ``model_dir`` may be several folders, searched in order (e.g. the checkpoint's, then the config's).

    Returns:
        ``{"dotted.field": new value}`` for every field that changed.
    """
    if isinstance(model_dir, str | os.PathLike):
        model_dirs = [Path(model_dir)]
    else:
        model_dirs = list(dict.fromkeys(Path(d) for d in model_dir))
    changed: dict[str, str] = {}
    for field, defaults in _PATH_FIELDS.items():
        present = [(keys, value) for keys in _locations(field) for value, found in [_lookup(config, keys)] if found]
        if not present:
            continue
        stored = [v for _, value in present for v in (value if isinstance(value, list | tuple) else [value]) if v]
        names = [Path(str(v)).name for v in stored] + list(defaults)
        for keys, value in present:
            if isinstance(value, list | tuple):
                items = [_local_file(v, model_dirs, [Path(str(v)).name]) or v for v in value] if value else []
                if not items:
                    local = _local_file(None, model_dirs, names)
                    items = [local] if local else []
                new: Any = items
            else:
                new = _local_file(value, model_dirs, names) or value
            if new != (list(value) if isinstance(value, list | tuple) else value):
                _assign(config, keys, new)
                changed[".".join(keys)] = str(new)
    return changed


def _default_file_mode(path: Path) -> int:
    """The mode a replaced file keeps, or what ``open()`` would give a new one under the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        pass
    return 0o666 & ~_umask()


def _umask() -> int:
    """The process umask; read without changing it where the OS allows (Linux), else set and restored."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` through a fsynced temporary file in the same folder.

    The result has the replaced file's permissions, or a new file's usual ones (not
    ``mkstemp``'s private 0600).
    """
    path = Path(path)
    mode = _default_file_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)  # also replaces a symlink (HF snapshot) without touching its blob
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def update_config_paths(config_path: Path, output_path: Path, files_dir: Path | None = None) -> bool:
    """Rewrite ``config.json`` so its file fields name the files in ``output_path`` (opt-in tool).

    Upstream rewrote configs like this after every download. Nothing in our download or load
    path calls it: user files are never modified, and loading resolves stale paths in memory
    with :func:`resolve_config_paths` instead. Kept for scripts that want a self-contained
    config file. ``files_dir`` is where the files are now when it differs from ``output_path``.
    Returns whether the file changed.
    """
    config_path = Path(config_path)
    files_dir = Path(files_dir or output_path)
    config = json.loads(config_path.read_text(encoding="utf-8"))
    changes = resolve_config_paths(config, files_dir)
    if not changes:
        return False
    if files_dir != Path(output_path):  # name the files where they will be, not where they are now
        for dotted, value in changes.items():
            keys = dotted.split(".")
            old = _lookup(config, keys)[0]
            moved = [str(Path(output_path) / Path(v).name) for v in old] if isinstance(old, list) else None
            _assign(config, keys, moved if moved is not None else str(Path(output_path) / Path(value).name))
    write_atomic(config_path, json.dumps(config, indent=4, ensure_ascii=False) + "\n")
    return True
