"""The one checkpoint loader: ``weights_only=True`` always, never writes.

Released Coqui checkpoints pickle a few config classes (COMPAT.md). Since torch
2.6 a weights-only load refuses them unless they are allow-listed, and
upstream's answer was to rewrite the user's ``model.pth`` in place. We instead
allow exactly those classes, under the module paths the released pickles name,
and resolve the implementing classes lazily by import string at load time, so
loading a checkpoint never imports a model module.

Anything else that a pickle asks for (``os.system``, ``builtins.eval``, an
unknown class) makes torch's restricted unpickler stop before it is called; we
turn that into a :class:`~TTS.core.errors.CheckpointError` naming the global.
"""

from __future__ import annotations

import errno
import importlib
import io
import logging
import os
import pickle
import pickletools
import re
import threading
import warnings
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any

import torch

from TTS.core.errors import CheckpointError, ModelNotFoundError
from TTS.core.state_dict import fold_weight_norm, load_state_dict_strict, load_weights

__all__ = [
    "CheckpointError",
    "CheckpointNotFoundError",
    "load_checkpoint_file",
    "register_safe_globals",
    "safe_global_names",
    "fold_weight_norm",
    "load_state_dict_strict",
    "load_weights",
]

logger = logging.getLogger(__name__)


class CheckpointNotFoundError(CheckpointError, ModelNotFoundError):
    """A checkpoint path that does not exist (catchable as either parent)."""


# Pickled (legacy) qualified name -> candidate implementations "module:attr", first importable wins.
# Released XTTS v2 `model.pth` names the classes below; coqui-tts 0.28 later moved XttsArgs /
# XttsAudioConfig to the config module, and files it rewrote name them there.
_XTTS_CONFIG = "TTS.tts.configs.xtts_config"
_LAZY_CLASSES: dict[str, tuple[str, ...]] = {
    f"{_XTTS_CONFIG}.XttsConfig": (f"{_XTTS_CONFIG}:XttsConfig",),
    "TTS.tts.models.xtts.XttsArgs": (f"{_XTTS_CONFIG}:XttsArgs",),
    "TTS.tts.models.xtts.XttsAudioConfig": (f"{_XTTS_CONFIG}:XttsAudioConfig",),
    f"{_XTTS_CONFIG}.XttsArgs": (f"{_XTTS_CONFIG}:XttsArgs",),
    f"{_XTTS_CONFIG}.XttsAudioConfig": (f"{_XTTS_CONFIG}:XttsAudioConfig",),
    "TTS.config.shared_configs.BaseDatasetConfig": (
        "TTS.config.shared_configs:BaseDatasetConfig",
        "TTS.tts.configs.shared_configs:BaseDatasetConfig",
    ),
    "TTS.tts.configs.shared_configs.BaseDatasetConfig": (
        "TTS.tts.configs.shared_configs:BaseDatasetConfig",
        "TTS.config.shared_configs:BaseDatasetConfig",
    ),
}

# Classes registered by code at run time: pickled name -> class.
_REGISTERED: dict[str, Any] = {}
# torch's allow-list is a process-wide set that `safe_globals` adds to and removes from;
# serialise our loads so two threads do not remove each other's entries mid-load.
_LOAD_LOCK = threading.RLock()


def register_safe_globals(items: Iterable[tuple[Any, str] | type]) -> None:
    """Allow classes in checkpoints loaded by :func:`load_checkpoint_file`.

    Each item is ``(cls, "pickled.module.Name")`` (the name the pickle uses, which
    may be a legacy path that no longer exists) or a bare class (its own path).
    """
    for item in items:
        if isinstance(item, tuple):
            cls, name = item
        else:
            cls, name = item, f"{item.__module__}.{item.__qualname__}"
        if not isinstance(name, str) or "." not in name:
            raise TypeError(f"expected a qualified name 'module.Name', got {name!r}")
        _REGISTERED[name] = cls


def _numpy_globals() -> list[tuple[Any, str]]:
    """numpy scalars, dtypes and arrays as trainer checkpoints pickle them (numpy 1.x and 2.x names).

    All of these rebuild plain data: a scalar from (dtype, bytes), an array from
    shape/dtype/bytes (object arrays hold items already unpickled by the same
    restricted unpickler).
    """
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy is a requirement
        return []
    core = getattr(np, "_core", None) or np.core
    multiarray = core.multiarray
    items: list[tuple[Any, str]] = []
    for mod in ("numpy.core.multiarray", "numpy._core.multiarray"):
        items += [(multiarray.scalar, f"{mod}.scalar"), (multiarray._reconstruct, f"{mod}._reconstruct")]
    items += [(np.dtype, "numpy.dtype"), (np.ndarray, "numpy.ndarray")]
    dtypes = getattr(np, "dtypes", None)  # numpy >= 1.25 pickles some dtypes via their class
    if dtypes is not None:
        for attr in dir(dtypes):
            cls = getattr(dtypes, attr)
            if isinstance(cls, type) and attr.endswith("DType"):
                items.append((cls, f"numpy.dtypes.{attr}"))
    return items


def _resolve(target: str) -> Any:
    module_name, attr = target.split(":")
    return getattr(importlib.import_module(module_name), attr)


def _lazy_globals() -> tuple[list[tuple[Any, str]], dict[str, str]]:
    """Import the released config classes that exist; return (allowed, {name: why missing})."""
    allowed: list[tuple[Any, str]] = []
    missing: dict[str, str] = {}
    for name, targets in _LAZY_CLASSES.items():
        reasons = []
        for target in targets:
            try:
                allowed.append((_resolve(target), name))
                break
            except (ImportError, AttributeError) as err:
                reasons.append(f"{target}: {err}")
        else:
            missing[name] = "; ".join(reasons)
    return allowed, missing


def safe_global_names() -> list[str]:
    """The pickled names this loader accepts beyond torch's defaults (for docs and debugging)."""
    return sorted({name for _, name in _numpy_globals()} | set(_LAZY_CLASSES) | set(_REGISTERED))


def _open_error_source(f: str | os.PathLike | IO[bytes]) -> str:
    return os.fspath(f) if isinstance(f, (str, os.PathLike)) else getattr(f, "name", "<file object>")


_UNSAFE_PATTERNS = (
    re.compile(r"GLOBAL (\S+) was not an allowed global"),
    re.compile(r"unsupported GLOBAL (\S+) whose module"),
    re.compile(r"reduce for unrecognized function (.+?)(?:\n|$)"),
    re.compile(r"new object for nn\.Parameter or classes allowlisted via `add_safe_globals` but got (.+?)(?:\n|$)"),
)


def _offending_globals(message: str) -> list[str]:
    found = []
    for pattern in _UNSAFE_PATTERNS:
        found += [m.strip() for m in pattern.findall(message)]
    # torch strips "builtins." from names in its message; put it back so the user sees the real global.
    return [name if "." in name else f"builtins.{name}" for name in found]


def _torch_detail(message: str) -> str:
    """torch's own reason, without its advice to turn safe loading off."""
    detail = message.split("WeightsUnpickler error:")[-1]
    detail = re.sub(r"Weights only load failed\..*?trusted source\.", "", detail, flags=re.S)
    detail = re.sub(r"Please file an issue.*?(?:use case:|$)", "", detail, flags=re.S)
    detail = detail.split("Check the documentation")[0]
    return " ".join(detail.split())


def _unpickling_error(
    source: str, err: BaseException, missing: Mapping[str, str], pickled_globals: list[str] | None = None
) -> CheckpointError:
    message = str(err)
    names = _offending_globals(message)
    for name in names:
        if name in missing:
            return CheckpointError(
                f"Checkpoint {source} contains a {name} object, which is allowed, but its class could not be "
                f"imported ({missing[name]}). Install coqui-tts-ng completely (pip install -U coqui-tts-ng)."
            )
    if not names and pickled_globals:
        names = pickled_globals  # torch stopped on an opcode it cannot read before it reached the global
    if names:
        return CheckpointError(
            f"Refusing to load {source}: its pickle asks for {', '.join(names)}, which is not an allowed "
            "class or function for a checkpoint. Nothing from the file was run. If you made this file "
            "yourself from a trusted source, save only tensors and plain Python data (dicts, lists, "
            "numbers, strings) in it, or register the class with TTS.core.checkpoint.register_safe_globals."
        )
    if "Unsupported operand" in message:
        return CheckpointError(
            f"{source} is a pickle written with a newer pickle protocol than torch.save uses, which cannot be "
            "loaded safely. If it is a checkpoint you made, save it again with torch.save(obj, path) "
            "(default protocol), keeping only tensors and plain Python data in it."
        )
    if isinstance(err, EOFError) or any(s in message for s in ("invalid load key", "could not find MARK")):
        return CheckpointError(
            f"{source} is not a PyTorch checkpoint or is truncated ({_torch_detail(message) or type(err).__name__}). "
            "Delete it and download or save the model again."
        )
    return CheckpointError(f"Could not load checkpoint {source} safely: {_torch_detail(message) or message}")


def _allowed_global_names(allowed: Iterable[tuple[Any, str]]) -> set[str]:
    names = {name for _, name in allowed}
    try:
        from torch import _weights_only_unpickler

        names |= set(_weights_only_unpickler._get_allowed_globals())
    except (ImportError, AttributeError, TypeError):  # pragma: no cover - private torch API moved
        pass
    return names


def _pickle_globals(data: bytes) -> list[str]:
    """Every ``module.name`` a pickle stream imports, read with pickletools (nothing is executed).

    Covers GLOBAL/INST and STACK_GLOBAL (protocol 4+: the two strings pushed before it, directly
    or through the memo). Reads consecutive pickles (the legacy torch format writes several).
    """
    found: list[str] = []
    stream = io.BytesIO(data)
    while stream.tell() < len(data):
        memo: dict[int, Any] = {}
        recent: list[Any] = []
        try:
            for opcode, arg, _ in pickletools.genops(stream):
                name = opcode.name
                if name in ("GLOBAL", "INST"):
                    module, _, attr = str(arg).partition(" ")
                    found.append(f"{module}.{attr}")
                elif name == "STACK_GLOBAL":
                    if len(recent) >= 2 and all(isinstance(x, str) for x in recent[-2:]):
                        found.append(f"{recent[-2]}.{recent[-1]}")
                elif name == "MEMOIZE":
                    memo[len(memo)] = recent[-1] if recent else None
                elif name in ("PUT", "BINPUT", "LONG_BINPUT"):
                    memo[int(arg)] = recent[-1] if recent else None
                elif name in ("GET", "BINGET", "LONG_BINGET"):
                    recent.append(memo.get(int(arg)))
                elif name != "FRAME":
                    recent.append(arg if isinstance(arg, str) else None)
                recent = recent[-4:]
        except Exception:  # noqa: BLE001 - a damaged stream: report what was read so far
            break
    return list(dict.fromkeys(found))


def _refused_globals(path: str | os.PathLike | IO[bytes], allowed: Iterable[tuple[Any, str]]) -> list[str]:
    """Globals of the checkpoint's pickle that the loader would refuse (best effort, never raises)."""
    try:
        if isinstance(path, (str, os.PathLike)):
            with open(path, "rb") as fh:
                raw = fh.read(64 * 1024 * 1024)
        else:
            pos = path.tell()
            try:
                raw = path.read(64 * 1024 * 1024)
            finally:
                path.seek(pos)
        if raw[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(io.BytesIO(raw)) as zf:
                member = next((n for n in zf.namelist() if n.endswith("data.pkl")), None)
                raw = zf.read(member) if member else b""
        found = _pickle_globals(raw)
    except Exception:  # noqa: BLE001 - only a diagnosis
        return []
    allowed_names = _allowed_global_names(allowed)
    return [name for name in found if name not in allowed_names]


def _head(f: str | os.PathLike | IO[bytes], size: int = 512) -> bytes:
    if isinstance(f, (str, os.PathLike)):
        with open(f, "rb") as fh:
            return fh.read(size)
    pos = f.tell()
    try:
        return f.read(size)
    finally:
        f.seek(pos)


def _looks_like_tar(head: bytes) -> bool:
    return len(head) >= 262 and head[257:262] == b"ustar"


def load_checkpoint_file(
    path: str | os.PathLike | IO[bytes],
    map_location: str | torch.device | None = "cpu",
    *,
    mmap: bool | None = None,
) -> Any:
    """Load a ``torch.save`` file with ``weights_only=True`` and the released-checkpoint allow-list.

    Args:
        path: a file path or a readable, seekable binary file object. The file is only read.
        map_location: where tensors go (as for ``torch.load``).
        mmap: map the file instead of reading it into memory (default: when ``path`` is a path
            to a zip-format checkpoint). Tensors then share pages with the OS file cache, so a
            1.8 GB state dict is not held twice while a model copies it in. The mapping is
            private: writing to those tensors never changes the file.

    Raises:
        CheckpointNotFoundError: the path does not exist (also a ModelNotFoundError).
        CheckpointError: the file is empty, truncated, not a checkpoint, in torch's legacy
            ``.tar`` format, or its pickle asks for a class or function that is not allowed.
    """
    safe_globals = getattr(torch.serialization, "safe_globals", None)
    if safe_globals is None:  # pragma: no cover - requirements pin torch >= 2.6
        raise CheckpointError(f"torch {torch.__version__} is too old to load checkpoints safely; install torch>=2.6.")
    source = _open_error_source(path)
    is_path = isinstance(path, (str, os.PathLike))
    if is_path:
        p = Path(path)
        if not p.exists():
            raise CheckpointNotFoundError(
                f"Checkpoint file not found: {p}. Download the model again or pass the right path."
            )
        if p.is_dir():
            raise CheckpointError(f"Expected a checkpoint file but {p} is a folder; pass the .pth file inside it.")
        if p.stat().st_size == 0:
            raise CheckpointError(f"Checkpoint {p} is empty. Delete it and download or save the model again.")
    head = _head(path)
    is_zip = head[:4] == b"PK\x03\x04"
    # torch.save writes a zip (torch >= 1.6), a pickle stream starting with PROTO (older), or a tar (torch < 0.4).
    if not is_zip and not head.startswith(b"\x80") and not _looks_like_tar(head):
        raise CheckpointError(
            f"{source} is not a PyTorch checkpoint (it starts with {head[:16]!r}). "
            "Delete it and download or save the model again."
        )
    use_mmap = bool(is_path and is_zip) if mmap is None else bool(mmap and is_path and is_zip)
    allowed, missing = _lazy_globals()
    allowed += _numpy_globals() + [(cls, name) for name, cls in _REGISTERED.items()]
    try:
        return _torch_load(path, map_location, allowed, use_mmap)
    except _LOAD_ERRORS as err:
        failure: BaseException = err
    if use_mmap and isinstance(failure, OSError) and not isinstance(failure, FileNotFoundError | PermissionError):
        # mmap of a cut file fails with a bare EINVAL; a plain read may name the real problem
        # (and works on file systems that cannot map files).
        try:
            return _torch_load(path, map_location, allowed, False)
        except _LOAD_ERRORS as retry_err:
            failure = retry_err
    raise _diagnose(path, source, is_zip, failure, allowed, missing) from (
        None if isinstance(failure, pickle.UnpicklingError | EOFError) else failure
    )


# What torch.load raises for a bad file (anything else is a bug and propagates).
_LOAD_ERRORS = (
    pickle.UnpicklingError,
    EOFError,
    RuntimeError,
    ValueError,
    zipfile.BadZipFile,
    OSError,
    io.UnsupportedOperation,
)


def _torch_load(
    path: str | os.PathLike | IO[bytes], map_location: Any, allowed: list[tuple[Any, str]], use_mmap: bool
) -> Any:
    safe_globals = torch.serialization.safe_globals
    with _LOAD_LOCK, safe_globals(allowed), warnings.catch_warnings():
        # torch warns about pickle protocols > 2 before failing on them; the error below says it all.
        warnings.filterwarnings("ignore", message=r"Detected pickle protocol", category=UserWarning)
        return torch.load(path, map_location=map_location, weights_only=True, mmap=use_mmap)


def _zip_is_intact(path: str | os.PathLike | IO[bytes]) -> bool:
    try:
        if isinstance(path, (str, os.PathLike)):
            return zipfile.is_zipfile(path)
        pos = path.tell()
        try:
            return zipfile.is_zipfile(path)
        finally:
            path.seek(pos)
    except OSError:
        return False


def _diagnose(
    path: str | os.PathLike | IO[bytes],
    source: str,
    is_zip: bool,
    err: BaseException,
    allowed: list[tuple[Any, str]],
    missing: Mapping[str, str],
) -> CheckpointError:
    """A CheckpointError that says what is wrong with the file and what to do."""
    if isinstance(err, CheckpointError):
        return err
    if isinstance(err, pickle.UnpicklingError | EOFError):
        refused = _refused_globals(path, allowed) if "Unsupported operand" in str(err) else []
        return _unpickling_error(source, err, missing, refused)
    message = str(err)
    truncated = CheckpointError(
        f"Checkpoint {source} is truncated or corrupt (the file is incomplete"
        + (f": {message.splitlines()[0].split('. ')[0]}" if message and not isinstance(err, OSError) else "")
        + "). Delete it and download or save the model again."
    )
    if "legacy .tar format" in message:
        return CheckpointError(
            f"{source} is in torch's legacy .tar format (torch < 0.4), which cannot be loaded without "
            "running its pickle. If you trust the file, convert it once in a separate, throw-away environment "
            "with an older torch (load it there with safe loading switched off, then torch.save it to a new "
            "file) and use the new file (keep only tensors and plain data in it). The original file is left "
            "untouched."
        )
    if is_zip and ("zip archive" in message or "central directory" in message or "PytorchStreamReader" in message):
        return truncated
    if is_zip and (
        isinstance(err, zipfile.BadZipFile)
        or (
            isinstance(err, OSError)
            and not isinstance(err, io.UnsupportedOperation | PermissionError)
            and (err.errno == errno.EINVAL or not _zip_is_intact(path))
        )
    ):
        return truncated  # a cut zip makes torch's reader (mmap or not) fail with a bare EINVAL
    if "Invalid magic number" in message or "invalid load key" in message:
        return CheckpointError(
            f"{source} is not a PyTorch checkpoint or is corrupt. Delete it and download or save the model again."
        )
    if "TorchScript" in message:
        return CheckpointError(
            f"{source} is a TorchScript archive, not a checkpoint; load it with torch.jit.load if you trust it."
        )
    if isinstance(err, PermissionError):
        return CheckpointError(f"Cannot read checkpoint {source}: permission denied. Check the file's permissions.")
    return CheckpointError(f"Could not load checkpoint {source}: {_torch_detail(message) or type(err).__name__}")
