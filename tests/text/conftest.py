"""Shared helpers for the text front-end tests."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from TTS.config.shared_configs import BaseDatasetConfig
from TTS.tts.configs.shared_configs import BaseTTSConfig, CharactersConfig

REFS = Path(__file__).resolve().parents[1] / "data" / "parity" / "text"
HAS_ESPEAK = shutil.which("espeak-ng") is not None

needs_espeak = pytest.mark.skipif(not HAS_ESPEAK, reason="espeak-ng is not installed (apt-get install espeak-ng)")


def load_refs(name: str) -> dict:
    return json.loads((REFS / name).read_text(encoding="utf-8"))


def build_config(fields: dict) -> BaseTTSConfig:
    """Our config from the plain field dict an oracle case was built from."""
    fields = dict(fields)
    chars = fields.pop("characters", None)
    datasets = fields.pop("datasets", None)
    config = BaseTTSConfig(**fields)
    if chars is not None:
        config.characters = CharactersConfig(**chars)
    if datasets is not None:
        config.datasets = [BaseDatasetConfig(**d) for d in datasets]
    return config
