"""Turning user choices (speaker name / id / reference audio, language) into model conditioning inputs (VITS, spectrogram models)."""

from __future__ import annotations

import logging
import os
from typing import Any

import torch

from TTS.core.errors import InvalidInputError
from TTS.tts.utils.languages import LanguageManager
from TTS.tts.utils.speakers import SpeakerManager

__all__ = ["resolve_language", "resolve_speaker"]

logger = logging.getLogger(__name__)


def resolve_language(manager: LanguageManager | None, language: str | int | None) -> tuple[int | None, str | None]:
    """(language id, language name) for a name, id or ``None``.

    A single-language table needs no choice; several require one.
    """
    if manager is None or manager.num_languages == 0:
        return None, language if isinstance(language, str) else None
    names = manager.language_names
    if language is None:
        if manager.num_languages == 1:
            name = next(iter(manager.name_to_id))
            return int(manager.name_to_id[name]), name
        raise InvalidInputError(f"This model is multilingual: pass a language, one of {', '.join(names)}.")
    if isinstance(language, str) and language in manager.name_to_id:
        return int(manager.name_to_id[language]), language
    if isinstance(language, int) or (isinstance(language, str) and language.isdigit()):
        by_id = manager.id_to_name
        if int(language) in by_id:
            return int(language), by_id[int(language)]
    if manager.num_languages == 1:  # a one-language table is not a choice (upstream ignores the value too)
        name = next(iter(manager.name_to_id))
        logger.warning("This model only speaks %r; ignoring language %r.", name, language)
        return int(manager.name_to_id[name]), name
    raise InvalidInputError(f"Unknown language {language!r}. Valid languages: {', '.join(names)}.")


def resolve_speaker(
    manager: SpeakerManager | None,
    *,
    use_speaker_embedding: bool,
    use_d_vector_file: bool,
    speaker: str | int | None,
    speaker_wav: str | os.PathLike[Any] | list[str | os.PathLike[Any]] | None,
    device: torch.device,
) -> tuple[torch.Tensor | None, torch.Tensor | None]:
    """(speaker ids (1,), d-vectors (1, D)); at most one is set.

    Order as upstream: a known speaker name first, then the speaker encoder on
    ``speaker_wav``; single-speaker tables need no choice.
    """
    if manager is None:
        return None, None
    if use_d_vector_file and manager.embeddings:
        if speaker is None and speaker_wav is None and len(manager.embedding_names) == 1:
            speaker = manager.embedding_names[0]
        if speaker is not None and speaker in manager.embeddings_by_names:
            vector = torch.as_tensor(manager.get_mean_embedding(speaker), dtype=torch.float32, device=device)
            return None, vector[None]
    if use_speaker_embedding and manager.num_speakers > 0:
        if speaker is None and manager.num_speakers == 1:
            return torch.tensor([int(next(iter(manager.name_to_id.values())))], device=device), None
        if speaker is not None and (speaker_wav is None or speaker in manager.name_to_id):
            return torch.tensor([manager.resolve_id(speaker)], device=device), None
    if manager.encoder is not None and speaker_wav is not None:
        vector = torch.as_tensor(manager.compute_embedding_from_clip(speaker_wav), dtype=torch.float32, device=device)
        return None, vector[None]
    valid = manager.embedding_names if use_d_vector_file else manager.speaker_names
    listing = ", ".join(str(v) for v in valid[:50]) + (" ..." if len(valid) > 50 else "")
    if speaker is not None:
        raise InvalidInputError(f"Unknown speaker {speaker!r}. Valid speakers: {listing}.")
    hint = " or a reference audio file (speaker_wav)" if manager.encoder is not None else ""
    raise InvalidInputError(f"This model has several speakers: pass a speaker name{hint}. Valid speakers: {listing}.")
