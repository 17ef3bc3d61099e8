"""Language name <-> id table of multilingual TTS models (``language_ids.json``)."""

from __future__ import annotations

import logging
import os
from typing import Any

from TTS.tts.utils.speakers import read_id_file, write_id_file

__all__ = ["LanguageManager", "normalize_language"]

logger = logging.getLogger(__name__)


def normalize_language(language: str | None) -> str | None:
    """Drop a region suffix: ``"en-US"`` -> ``"en"``."""
    return None if language is None else language.split("-")[0]


class LanguageManager:
    """Maps language names to the row of the model's language embedding.

    ``LanguageManager("language_ids.json")`` or ``LanguageManager.init_from_config(config)``.
    """

    def __init__(self, language_ids_file_path: str | os.PathLike[Any] = "", config: Any = None) -> None:
        self.name_to_id: dict[str, int] = {}
        if language_ids_file_path:
            self.load_ids_from_file(language_ids_file_path)
        elif config is not None:
            self.name_to_id = self.parse_language_ids_from_config(config)

    @property
    def num_languages(self) -> int:
        return len(self.name_to_id)

    @property
    def language_names(self) -> list[str]:
        return sorted(self.name_to_id)

    @property
    def id_to_name(self) -> dict[int, str]:
        return {i: name for name, i in self.name_to_id.items()}

    def load_ids_from_file(self, file_path: str | os.PathLike[Any]) -> None:
        self.name_to_id = dict(read_id_file(file_path))

    def save_ids_to_file(self, file_path: str | os.PathLike[Any]) -> None:
        write_id_file(self.name_to_id, file_path)

    @staticmethod
    def parse_language_ids_from_config(config: Any) -> dict[str, int]:
        """``config.languages``, else the datasets' languages (sorted), else ``phoneme_language``, else ``en``."""
        languages = list(config.get("languages") or [])
        if not languages:
            found = {d.get("language") for d in (config.get("datasets") or []) if d.get("language")}
            languages = sorted(found)
        if not languages and config.get("phoneme_language"):
            languages = [config.phoneme_language]
        if not languages:
            languages = ["en"]
        return {name: i for i, name in enumerate(languages)}

    @staticmethod
    def init_from_config(config: Any) -> LanguageManager:
        """Read ``model_args.language_ids_file`` when the model has a language embedding, else the config."""
        args = config.get("model_args") or {}
        path = args.get("language_ids_file") if args else None
        if path and args.get("use_language_embedding"):
            manager = LanguageManager(path)
        else:
            manager = LanguageManager(config=config)
        # Keep the table order so name_to_id can be rebuilt from the config.
        if "languages" in config:
            config.languages = list(manager.name_to_id)
        return manager
