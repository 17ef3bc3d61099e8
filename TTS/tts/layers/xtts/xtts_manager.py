"""Built-in XTTS voices: ``speakers_xtts.pth`` maps a name to its ``gpt_cond_latent`` and ``speaker_embedding``."""

from __future__ import annotations

import difflib
import os
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import torch

from TTS.core.errors import InvalidInputError
from TTS.utils.voices import load_voice_file, save_voice_file, voice_path

__all__ = ["SpeakerManager", "ReferenceCache", "voice_path", "save_voice", "load_voice"]


class SpeakerManager:
    """Read-only table of built-in voices (loaded with ``weights_only=True``)."""

    def __init__(self, speaker_file_path: str | os.PathLike[Any]) -> None:
        from TTS.core.checkpoint import load_checkpoint_file

        self.speakers: dict[str, dict[str, torch.Tensor]] = dict(
            load_checkpoint_file(speaker_file_path, map_location="cpu", mmap=False)
        )

    @property
    def name_to_id(self) -> dict[str, dict[str, torch.Tensor]]:
        return self.speakers

    @property
    def num_speakers(self) -> int:
        return len(self.speakers)

    @property
    def speaker_names(self) -> list[str]:
        return list(self.speakers)

    def get(self, name: str) -> tuple[torch.Tensor, torch.Tensor]:
        """``(gpt_cond_latent (1, N, D), speaker_embedding (1, C, 1))`` of a built-in voice.

        Raises :class:`InvalidInputError` with the closest names when ``name`` is unknown.
        """
        entry = self.speakers.get(name)
        if entry is None:
            lowered = {n.lower(): n for n in self.speakers}
            entry = self.speakers.get(lowered.get(str(name).lower(), ""), None)
        if entry is None:
            close = difflib.get_close_matches(str(name), self.speaker_names, n=3, cutoff=0.5)
            hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise InvalidInputError(
                f"Unknown XTTS speaker {name!r}.{hint} List the {self.num_speakers} built-in voices with "
                "`tts --model_name <xtts model> --list_speaker_idxs`, or clone a voice with speaker_wav."
            )
        return entry["gpt_cond_latent"], entry["speaker_embedding"]


def save_voice(
    path: Path, gpt_cond_latent: torch.Tensor, speaker_embedding: torch.Tensor, sources: Sequence[str]
) -> None:
    """Store a cloned XTTS voice (tensors and plain metadata only, loadable with ``weights_only=True``)."""
    tensors = {"gpt_conditioning_latents": gpt_cond_latent, "speaker_embedding": speaker_embedding}
    save_voice_file(path, tensors, "xtts", sources)


def load_voice(path: Path) -> tuple[torch.Tensor, torch.Tensor]:
    """A voice saved by :func:`save_voice` (or by upstream's ``clone_voice``)."""
    voice = load_voice_file(path)
    return voice["gpt_conditioning_latents"], voice["speaker_embedding"]


class ReferenceCache:
    """The last few cloned voices, keyed by the reference files (path, size, mtime) and the cloning settings.

    The synthesizer calls ``synthesize`` once per sentence; this keeps it from re-reading
    and re-encoding the same reference audio every time.
    """

    def __init__(self, size: int = 4) -> None:
        self.size = size
        self._items: OrderedDict[tuple, tuple[torch.Tensor, torch.Tensor]] = OrderedDict()

    @staticmethod
    def key(paths: Sequence[Any], settings: dict[str, Any]) -> tuple | None:
        stats = []
        for p in paths:
            try:
                st = os.stat(p)
            except (OSError, TypeError):
                return None  # not a plain file: do not cache
            stats.append((os.path.abspath(p), st.st_size, st.st_mtime_ns))
        return (tuple(stats), tuple(sorted(settings.items())))

    def get(
        self, paths: Sequence[Any], settings: dict[str, Any], compute: Callable[[], tuple[torch.Tensor, torch.Tensor]]
    ):
        key = self.key(paths, settings)
        if key is not None and key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        value = compute()
        if key is not None:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value
