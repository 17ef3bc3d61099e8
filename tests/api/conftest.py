from __future__ import annotations

import pytest

from tests.api.tiny_models import build_vits_folder


@pytest.fixture(scope="session")
def vits_single(tmp_path_factory):
    """A single-speaker grapheme VITS folder (no espeak needed)."""
    return build_vits_folder(tmp_path_factory.mktemp("vits"), "graphemes")


@pytest.fixture(scope="session")
def vits_multi(tmp_path_factory):
    """A multi-speaker VITS folder with speakers.pth (p225, p226, p227)."""
    return build_vits_folder(tmp_path_factory.mktemp("vits"), "multispeaker_ids")


@pytest.fixture(scope="session")
def vits_yourtts(tmp_path_factory):
    """A YourTTS-style folder: d-vectors (speakers.json), languages, speaker encoder and ref.wav."""
    return build_vits_folder(tmp_path_factory.mktemp("vits"), "yourtts_dvectors")
