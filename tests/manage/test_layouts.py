"""Models already on disk (TTS 0.22 folders, coqui-tts 0.28 Hugging Face cache) are used as they are;
Hugging Face repos are fetched into the hub cache (served by a local Hub look-alike)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from TTS.core.errors import DownloadError
from TTS.utils.hf_cache import find_hf_snapshot, verify_hf_snapshot
from TTS.utils.manage import ModelManager

from .conftest import LocalServer

XTTS = "tts_models/multilingual/multi-dataset/xtts_v2"
XTTS_DIR = "tts_models--multilingual--multi-dataset--xtts_v2"
COMMIT = "a" * 40
XTTS_FILES = {
    "config.json": b'{"model": "xtts"}',
    "model.pth": b"checkpoint" * 100,
    "vocab.json": b"{}",
    "speakers_xtts.pth": b"speakers",
}


def make_hf_snapshot(cache: Path, repo_id: str, files: dict[str, bytes], commit: str = COMMIT) -> Path:
    """The layout huggingface_hub writes: refs/main, blobs named by etag, snapshot links."""
    repo = cache / ("models--" + repo_id.replace("/", "--"))
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(commit)
    snapshot = repo / "snapshots" / commit
    for name, data in files.items():
        blob = repo / "blobs" / hashlib.sha256(data).hexdigest()
        blob.parent.mkdir(parents=True, exist_ok=True)
        blob.write_bytes(data)
        link = snapshot / name
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(os.path.relpath(blob, link.parent))
    return snapshot


def test_tts_022_folder_is_used_without_download(isolated: Path, dead_url: str) -> None:
    folder = isolated / "tts" / XTTS_DIR
    folder.mkdir(parents=True)
    for name, data in {**XTTS_FILES, "hash.md5": b"10f92b55c512af7a8d39d650547a15a7"}.items():
        (folder / name).write_bytes(data)
    (folder / "tos_agreed.txt").write_text("I have read, understood and agreed to the Terms and Conditions.")
    checkpoint, config, item = ModelManager(hf_endpoint=dead_url).download_model(XTTS)
    assert (checkpoint, config) == (folder / "model.pth", folder / "config.json")
    assert config.read_bytes() == XTTS_FILES["config.json"]  # nothing rewritten
    assert item["repo_id"] == "tts-hub/XTTS-v2"


def test_coqui_028_hf_snapshot_is_used_without_download(isolated: Path, tmp_path: Path, dead_url: str) -> None:
    # HF_HUB_CACHE points at tmp_path / "hf" (conftest): the cache is found through the environment
    snapshot = make_hf_snapshot(tmp_path / "hf", "tts-hub/XTTS-v2", XTTS_FILES)
    (isolated / "tts" / XTTS_DIR).mkdir(parents=True)
    (isolated / "tts" / XTTS_DIR / "tos_agreed.txt").write_text("agreed")  # 0.28 keeps only this here
    manager = ModelManager(hf_endpoint=dead_url)
    checkpoint, config, _ = manager.download_model(XTTS)
    assert checkpoint == snapshot / "model.pth" and config == snapshot / "config.json"
    assert checkpoint.read_bytes() == XTTS_FILES["model.pth"]
    assert manager.is_downloaded(XTTS)


def test_incomplete_hf_snapshot_is_not_used(tmp_path: Path, dead_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COQUI_TOS_AGREED", "1")
    make_hf_snapshot(tmp_path / "hf", "tts-hub/XTTS-v2", {"config.json": b"{}"})
    with pytest.raises(DownloadError, match="tts-hub/XTTS-v2"):
        ModelManager(hf_endpoint=dead_url).download_model(XTTS)


def test_hf_download_into_hub_cache(server: LocalServer, tmp_path: Path, isolated: Path, monkeypatch) -> None:
    monkeypatch.setenv("COQUI_TOS_AGREED", "1")
    extra = {"dvae.pth": b"training only", "samples/en.wav": b"wav"}
    server.add_hf_repo("tts-hub/XTTS-v2", {**XTTS_FILES, **extra}, commit=COMMIT, lfs=("model.pth", "dvae.pth"))
    checkpoint, config, _ = ModelManager(hf_endpoint=server.url).download_model(XTTS)
    snapshot = tmp_path / "hf" / "models--tts-hub--XTTS-v2" / "snapshots" / COMMIT
    assert checkpoint == snapshot / "model.pth" and config == snapshot / "config.json"
    assert sorted(p.name for p in snapshot.iterdir()) == sorted(XTTS_FILES)  # ignore patterns honoured
    assert (isolated / "tts" / XTTS_DIR / ".hf_snapshot").read_text() == COMMIT
    # later runs use the cache without the network
    before = len(server.requests)
    assert ModelManager(hf_endpoint=server.url).download_model(XTTS)[0] == checkpoint
    assert len(server.requests) == before


def test_hf_offline_error_says_where_to_put_files(dead_url: str, isolated: Path, monkeypatch) -> None:
    monkeypatch.setenv("COQUI_TOS_AGREED", "1")
    with pytest.raises(DownloadError) as err:
        ModelManager(hf_endpoint=dead_url).download_model(XTTS)
    message = str(err.value)
    assert "https://huggingface.co/tts-hub/XTTS-v2/tree/main" in message
    assert "except samples/*, dvae.pth" in message
    assert str(isolated / "tts" / XTTS_DIR) in message


def test_damaged_hf_blob_is_detected_and_removed(tmp_path: Path) -> None:
    snapshot = make_hf_snapshot(tmp_path / "cache", "o/r", XTTS_FILES)
    verify_hf_snapshot(snapshot)  # intact
    blob = (snapshot / "model.pth").resolve()
    blob.write_bytes(b"bit rot")
    with pytest.raises(DownloadError, match="model.pth .* is damaged"):
        verify_hf_snapshot(snapshot)
    assert not blob.exists() and not (snapshot / "model.pth").is_symlink()


def test_find_hf_snapshot_by_branch_and_commit(tmp_path: Path) -> None:
    snapshot = make_hf_snapshot(tmp_path / "c", "tts-hub/XTTS-v2", XTTS_FILES)
    assert find_hf_snapshot("tts-hub/XTTS-v2", cache_dir=tmp_path / "c") == snapshot
    assert find_hf_snapshot("tts-hub/XTTS-v2", COMMIT, cache_dir=tmp_path / "c") == snapshot
    assert find_hf_snapshot("tts-hub/XTTS-v2", "dev", cache_dir=tmp_path / "c") is None
    assert find_hf_snapshot("tts-hub/XTTS-v1", cache_dir=tmp_path / "c") is None


def test_hf_snapshot_config_is_not_rewritten(tmp_path: Path, dead_url: str) -> None:
    config = b'{"model": "tacotron2", "audio": {"stats_path": "/somewhere/else/scale_stats.npy"}}'
    files = {"config.json": config, "model_file.pth": b"w" * 64, "scale_stats.npy": b"stats"}
    snapshot = make_hf_snapshot(tmp_path / "hf", "tts-hub/tacotron2_ddc-es-mai", files)
    blob = (snapshot / "config.json").resolve()
    _, config_path, _ = ModelManager(hf_endpoint=dead_url).download_model("tts_models/es/mai/tacotron2-DDC")
    assert config_path == snapshot / "config.json" and config_path.is_symlink()  # the snapshot link is kept
    assert blob.read_bytes() == config  # the shared blob keeps its content (and its hash)
    from TTS.utils.model_paths import resolve_config_paths

    loaded = json.loads(config_path.read_text())
    assert resolve_config_paths(loaded, config_path.parent) == {"audio.stats_path": str(snapshot / "scale_stats.npy")}
