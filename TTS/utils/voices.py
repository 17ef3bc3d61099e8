"""Cloned voices kept on disk: ``<voice_dir>/<slug>.pth`` files, as upstream's ``clone_voice`` writes them.

A voice file holds the model's conditioning tensors under their upstream names (XTTS:
``gpt_conditioning_latents`` and ``speaker_embedding``; OpenVoice: ``speaker_embedding``)
and plain ``metadata``, so it loads with ``weights_only=True``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import torch

__all__ = ["load_voice_file", "save_voice_file", "voice_path"]


def voice_path(voice_dir: str | os.PathLike[Any], speaker: str) -> Path:
    """``<voice_dir>/<slug>.pth`` for a cloned voice named ``speaker`` (as upstream names them)."""
    slug = re.sub(r"[^\w\s-]", "", str(speaker).lower()).strip()
    slug = re.sub(r"[-\s]+", "-", slug) or "voice"
    return Path(voice_dir) / f"{slug}.pth"


def save_voice_file(path: Path, tensors: Mapping[str, torch.Tensor], model: str, sources: Sequence[str]) -> None:
    """Write ``tensors`` (moved to the CPU) and metadata naming ``model`` and the reference recordings."""
    path.parent.mkdir(parents=True, exist_ok=True)
    voice: dict[str, Any] = {name: t.detach().cpu() for name, t in tensors.items()}
    voice["metadata"] = {"model": model, "name": path.stem, "speaker_wav": [str(s) for s in sources]}
    torch.save(voice, path)


def load_voice_file(path: Path) -> dict[str, Any]:
    """A voice file written by :func:`save_voice_file` or by upstream's ``clone_voice`` (safe loader)."""
    from TTS.core.checkpoint import load_checkpoint_file

    return load_checkpoint_file(path, map_location="cpu", mmap=False)
