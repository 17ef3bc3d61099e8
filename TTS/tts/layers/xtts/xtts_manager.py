"""Built-in XTTS voices: ``speakers_xtts.pth`` maps a name to its ``gpt_cond_latent`` and ``speaker_embedding``."""

from __future__ import annotations

import difflib
import os
from typing import Any

import torch

from TTS.core.errors import InvalidInputError

__all__ = ["SpeakerManager"]


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
