"""Cloned voices kept on disk: ``<voice_dir>/<slug>.pth`` files, as upstream's ``clone_voice`` writes them.

A voice file holds the model's conditioning tensors under their upstream names (XTTS:
``gpt_conditioning_latents`` and ``speaker_embedding``; OpenVoice: ``speaker_embedding``)
and plain ``metadata`` (``model``, ``speaker_id``, ``source_files``, ``created_at``,
``coqui_version``), so it loads with ``weights_only=True``. File names follow upstream
0.28 (``"Ana Florence"`` -> ``Ana_Florence.pth``); files our earlier versions wrote
(``ana-florence.pth``) are still found.
"""

from __future__ import annotations

import datetime
import os
import re
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import torch

from TTS.core.errors import InvalidInputError

__all__ = [
    "find_voice_file",
    "load_stored_voice",
    "load_voice_file",
    "save_voice_file",
    "store_named_voice",
    "target_list",
    "voice_path",
    "voice_slug",
]


def voice_slug(speaker: str) -> str:
    """A speaker name as a file name base: ASCII, ``[^A-Za-z0-9_-]`` runs as one ``_`` (upstream's rule)."""
    ascii_name = unicodedata.normalize("NFKD", str(speaker)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"_+", "_", re.sub(r"[^\w\-]", "_", ascii_name)).strip("_")


def _legacy_slug(speaker: str) -> str:
    """The name our versions before 0.1 wrote: lower case, spaces and dashes as one ``-``."""
    slug = re.sub(r"[^\w\s-]", "", str(speaker).lower()).strip()
    return re.sub(r"[-\s]+", "-", slug) or "voice"


def voice_path(voice_dir: str | os.PathLike[Any], speaker: str) -> Path:
    """``<voice_dir>/<slug>.pth``: where a cloned voice named ``speaker`` is written."""
    return Path(voice_dir) / f"{voice_slug(speaker) or 'voice'}.pth"


def find_voice_file(voice_dir: str | os.PathLike[Any], speaker: str) -> Path | None:
    """The stored voice ``speaker`` in ``voice_dir`` (upstream's name, else our earlier one), or None."""
    for path in (voice_path(voice_dir, speaker), Path(voice_dir) / f"{_legacy_slug(speaker)}.pth"):
        if path.is_file():
            return path
    return None


def save_voice_file(
    path: Path, tensors: Mapping[str, torch.Tensor], model: str | Mapping[str, Any], sources: Sequence[str]
) -> None:
    """Write ``tensors`` (moved to the CPU) and upstream's metadata fields: the ``model`` (a name, or
    upstream's model fields such as ``{"name": "wavlm", "layer": 6}``) and the recordings."""
    from TTS import __version__

    if path.parent.exists() and not path.parent.is_dir():
        raise InvalidInputError(f"voice_dir {path.parent} is a file, not a folder: give a folder to store voices in.")
    path.parent.mkdir(parents=True, exist_ok=True)
    voice: dict[str, Any] = {name: t.detach().cpu() for name, t in tensors.items()}
    voice["metadata"] = {
        "model": {"name": model} if isinstance(model, str) else dict(model),
        "speaker_id": path.stem,
        "source_files": [str(s) for s in sources],
        "created_at": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "coqui_version": f"coqui-tts-ng {__version__}",
    }
    torch.save(voice, path)


def load_voice_file(path: Path) -> dict[str, Any]:
    """A voice file written by :func:`save_voice_file` or by upstream's ``clone_voice`` (safe loader)."""
    from TTS.core.checkpoint import load_checkpoint_file

    return load_checkpoint_file(path, map_location="cpu", mmap=False)


def target_list(targets: Any) -> list[Any]:
    """Target recordings as a list: ``None`` -> ``[]``, one recording -> ``[it]``, a list/tuple as is."""
    if targets is None:
        return []
    return list(targets) if isinstance(targets, (list, tuple)) else [targets]


def load_stored_voice(voice_dir: str | os.PathLike[Any] | None, speaker: str | None, model: str) -> tuple[Path, dict]:
    """The voice ``speaker`` stored in ``voice_dir`` for a converter that got no target recordings.

    Returns ``(path, contents)``; the caller checks the tensors it needs. ``model`` names the
    converter in the messages.
    """
    if speaker is None or voice_dir is None:
        raise InvalidInputError(
            f"{model} converts to the voice of target recordings: pass target_wav (one file or a list), "
            "or the speaker_id of a voice stored in voice_dir."
        )
    path = find_voice_file(voice_dir, speaker)
    if path is None:
        raise InvalidInputError(f"No stored voice {speaker!r} in {voice_dir}: pass target_wav to clone it.")
    contents = load_voice_file(path)
    return path, contents if isinstance(contents, dict) else {}


def store_named_voice(
    voice_dir: str | os.PathLike[Any] | None,
    speaker: str | None,
    targets: Sequence[Any],
    tensors: Mapping[str, torch.Tensor],
    model: str | Mapping[str, Any],
) -> None:
    """Store a voice cloned from ``targets`` as ``<voice_dir>/<speaker>.pth`` when both are given and
    every target is a file, as upstream's ``clone_voice`` does (recordings given as samples are not)."""
    if speaker is None or voice_dir is None or not all(isinstance(t, (str, os.PathLike)) for t in targets):
        return
    save_voice_file(voice_path(voice_dir, speaker), tensors, model, [str(t) for t in targets])
