"""CPML agreement (env var, file, prompt, no terminal) and the cache folder rules."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from TTS.core.errors import InvalidInputError
from TTS.utils.generic_utils import get_user_data_dir
from TTS.utils.hf_cache import hf_hub_cache_dir
from TTS.utils.manage import ModelManager
from TTS.utils.model_paths import model_dir_name
from TTS.utils.model_tos import ensure_tos

from .conftest import LocalServer
from .test_layouts import XTTS, XTTS_DIR, XTTS_FILES

CPML = {"tos_required": True, "license": "CPML"}


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _legacy_xtts(home: Path, agreed: bool) -> Path:
    folder = home / "tts" / XTTS_DIR
    folder.mkdir(parents=True)
    for name, data in XTTS_FILES.items():
        (folder / name).write_bytes(data)
    if agreed:
        (folder / "tos_agreed.txt").write_text("agreed")
    return folder


def test_no_terminal_and_no_agreement_fails_clearly(server: LocalServer, isolated: Path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    with pytest.raises(InvalidInputError) as err:
        ModelManager(hf_endpoint=server.url).download_model(XTTS)
    message = str(err.value)
    assert "COQUI_TOS_AGREED=1" in message and str(isolated / "tts" / XTTS_DIR / "tos_agreed.txt") in message
    assert "https://tts-hub.github.io/cpml" in message
    assert server.requests == []  # nothing downloaded before agreeing


def test_env_var_agrees(isolated: Path, dead_url: str, monkeypatch) -> None:
    _legacy_xtts(isolated, agreed=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.setenv("COQUI_TOS_AGREED", "1")
    assert ModelManager(hf_endpoint=dead_url).download_model(XTTS)[0].name == "model.pth"
    monkeypatch.setenv("COQUI_TOS_AGREED", "0")
    with pytest.raises(InvalidInputError):
        ModelManager(hf_endpoint=dead_url).download_model(XTTS)


def test_tos_file_agrees(isolated: Path, dead_url: str, monkeypatch) -> None:
    _legacy_xtts(isolated, agreed=True)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert ModelManager(hf_endpoint=dead_url).download_model(XTTS)[0].name == "model.pth"


def test_prompt_yes_records_agreement(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(sys, "stdin", _Terminal("y\n"))
    ensure_tos("m", CPML, tmp_path / "model")
    assert (tmp_path / "model" / "tos_agreed.txt").is_file()
    assert "CPML" in capsys.readouterr().err
    assert ModelManager.tos_agreed(CPML, tmp_path / "model")


def test_prompt_no_refuses(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", _Terminal("n\n"))
    with pytest.raises(InvalidInputError, match="You must agree"):
        ensure_tos("m", CPML, tmp_path / "model")
    assert not (tmp_path / "model" / "tos_agreed.txt").exists()


def test_models_without_tos_need_nothing(tmp_path: Path) -> None:
    assert ModelManager.tos_agreed({"license": "MIT"}, tmp_path)


def test_user_data_dir_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTS_HOME", str(tmp_path / "a"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "b"))
    assert get_user_data_dir("tts") == tmp_path / "a" / "tts"
    monkeypatch.delenv("TTS_HOME")
    assert get_user_data_dir("tts") == tmp_path / "b" / "tts"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "h"))
    if sys.platform.startswith("linux"):
        assert get_user_data_dir("tts") == tmp_path / "h" / ".local" / "share" / "tts"
        monkeypatch.setattr(sys, "platform", "darwin")
        assert get_user_data_dir("tts") == tmp_path / "h" / "Library" / "Application Support" / "tts"
    assert ModelManager().output_prefix == get_user_data_dir("tts")
    assert ModelManager(output_prefix=tmp_path / "p").output_prefix == tmp_path / "p" / "tts"


def test_hf_cache_dir_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert hf_hub_cache_dir() == tmp_path / ".cache" / "huggingface" / "hub"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert hf_hub_cache_dir() == tmp_path / "x" / "huggingface" / "hub"
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    assert hf_hub_cache_dir() == tmp_path / "hf" / "hub"
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "direct"))
    assert hf_hub_cache_dir() == tmp_path / "direct"


def test_model_dir_name() -> None:
    assert model_dir_name(XTTS) == XTTS_DIR
