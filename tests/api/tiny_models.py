"""Tiny released-layout VITS model folders for end-to-end API and CLI tests.

They are rebuilt from the VITS parity manifests (tests/data/parity/vits) with the
deterministic weight filler, so nothing is downloaded. Tests skip while the VITS
family is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest


def build_vits_folder(root: Path, case: str) -> Path:
    """Write ``config.json`` + ``model.pth`` (+ side files) of parity case ``case`` into ``root/case``."""
    pytest.importorskip("TTS.tts.models.vits")
    fixtures = pytest.importorskip("tests.vits.fixtures")
    manifest, _ = fixtures.load_case(case)
    folder = root / case
    folder.mkdir(parents=True, exist_ok=True)
    fixtures.build_folder(manifest, folder)
    return folder
