"""Downloads against a real HTTP server on 127.0.0.1: zip releases, file lists, failures."""

from __future__ import annotations

import hashlib
import io
import json
import random
import tarfile
import zipfile
from pathlib import Path

import pytest

import TTS.utils.manage as manage
from TTS.core.errors import DownloadError
from TTS.utils.download import fetch_url
from TTS.utils.manage import ModelManager

from .conftest import LocalServer, write_registry

NAME = "tts_models/en/test/vits"
FOLDER = "tts_models--en--test--vits"
CONFIG = {"model": "vits", "audio": {"stats_path": "/old/place/scale_stats.npy"}, "speakers_file": None}
CHECKPOINT = random.Random(0).randbytes(200_000)  # incompressible, several chunks


def make_zip(files: dict[str, bytes], folder: str = FOLDER) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(f"{folder}/{name}", data)
        zf.writestr(f"__MACOSX/{folder}/._model_file.pth", b"junk")
    return buf.getvalue()


def model_files() -> dict[str, bytes]:
    return {
        "model_file.pth": CHECKPOINT,
        "config.json": json.dumps(CONFIG).encode(),
        "scale_stats.npy": b"stats",
    }


def manager_for(tmp_path: Path, entry: dict, name: str = NAME) -> ModelManager:
    registry = write_registry(tmp_path / "models.json", {name: entry})
    return ModelManager(models_file=registry, progress_bar=False)


def test_zip_release(server: LocalServer, tmp_path: Path, isolated: Path) -> None:
    url = server.add(f"/rel/{FOLDER}.zip", make_zip(model_files()))
    manager = manager_for(tmp_path, {"github_rls_url": url, "license": "MIT"})
    checkpoint, config, item = manager.download_model(NAME)
    folder = isolated / "tts" / FOLDER
    assert checkpoint == folder / "model_file.pth" and checkpoint.read_bytes() == CHECKPOINT
    assert config == folder / "config.json"
    assert sorted(p.name for p in folder.iterdir()) == ["config.json", "model_file.pth", "scale_stats.npy"]
    # the config is kept as shipped (upstream rewrote it); stale paths are resolved in memory at load time
    assert json.loads(config.read_text()) == CONFIG
    assert item["model_type"] == "tts_models" and item["model_name"] == NAME
    assert not list((isolated / "tts").glob(".*.partial"))
    # second call: found, no request
    before = len(server.requests)
    assert manager.download_model(NAME)[0] == checkpoint
    assert len(server.requests) == before
    assert manager.is_downloaded(NAME)


def test_file_list_release(server: LocalServer, tmp_path: Path, isolated: Path) -> None:
    urls = [server.add(f"/files/{name}", data) for name, data in model_files().items()]
    for field in ("github_rls_url", "hf_url"):
        manager = manager_for(tmp_path, {field: urls})
        checkpoint, config, _ = manager.download_model(NAME)
        assert checkpoint.read_bytes() == CHECKPOINT and config.name == "config.json"
        assert manager.is_downloaded(NAME)
        # a folder missing one listed file is incomplete and gets completed
        (checkpoint.parent / "scale_stats.npy").unlink()
        assert not manager.is_downloaded(NAME)
        manager.download_model(NAME)
        assert (checkpoint.parent / "scale_stats.npy").read_bytes() == b"stats"
        (isolated / "tts" / FOLDER / "config.json").unlink()


def test_interrupted_transfer_resumes(server: LocalServer, tmp_path: Path) -> None:
    url = server.add(f"/rel/{FOLDER}.zip", make_zip(model_files()), cut_after=5000, cut_times=2)
    manager = manager_for(tmp_path, {"github_rls_url": url})
    checkpoint, _, _ = manager.download_model(NAME)
    assert checkpoint.read_bytes() == CHECKPOINT
    gets = server.gets(".zip")
    assert len(gets) == 3
    assert "Range" not in gets[0]
    assert gets[1]["Range"] == "bytes=5000-" and gets[2]["Range"] == "bytes=10000-"
    assert gets[1]["If-Range"]  # resumes only the same content


def test_interrupted_every_time_then_resumed_next_run(server: LocalServer, tmp_path: Path, isolated: Path) -> None:
    url = server.add(f"/rel/{FOLDER}.zip", make_zip(model_files()), cut_after=3000, cut_times=-1)
    manager = manager_for(tmp_path, {"github_rls_url": url})
    with pytest.raises(DownloadError) as err:
        manager.download_model(NAME)
    message = str(err.value)
    assert url in message and str(isolated / "tts" / FOLDER) in message and "connection closed" in message
    assert not (isolated / "tts" / FOLDER).exists()  # nothing a later run could load
    parts = list((isolated / "tts").glob(f".{FOLDER}.partial/downloads/*.part"))
    assert len(parts) == 1 and parts[0].stat().st_size == 4 * 3000
    server.blob(f"/rel/{FOLDER}.zip").cut_times = 0
    checkpoint, _, _ = manager.download_model(NAME)
    assert checkpoint.read_bytes() == CHECKPOINT
    assert server.gets(".zip")[-1]["Range"] == "bytes=12000-"
    assert not list((isolated / "tts").glob(".*.partial"))


def test_server_ignoring_range_restarts_cleanly(server: LocalServer, tmp_path: Path) -> None:
    url = server.add(f"/rel/{FOLDER}.zip", make_zip(model_files()), cut_after=4000, cut_times=1, no_range=True)
    checkpoint, _, _ = manager_for(tmp_path, {"github_rls_url": url}).download_model(NAME)
    assert checkpoint.read_bytes() == CHECKPOINT


def test_transient_503_is_retried(server: LocalServer, tmp_path: Path) -> None:
    url = server.add(f"/rel/{FOLDER}.zip", make_zip(model_files()), fail_times=2)
    checkpoint, _, _ = manager_for(tmp_path, {"github_rls_url": url}).download_model(NAME)
    assert checkpoint.read_bytes() == CHECKPOINT


def test_404_fails_at_once(server: LocalServer, tmp_path: Path, isolated: Path) -> None:
    url = server.url + "/missing.zip"
    with pytest.raises(DownloadError, match="HTTP 404"):
        manager_for(tmp_path, {"github_rls_url": url}).download_model(NAME)
    assert len(server.gets("/missing.zip")) == 1
    assert not (isolated / "tts" / FOLDER).exists()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "crc"])
def test_corrupt_archive(server: LocalServer, tmp_path: Path, isolated: Path, damage: str) -> None:
    good = make_zip(model_files())
    if damage == "garbage":
        data = b"this is not a zip" * 100
    elif damage == "truncated":
        data = good[: len(good) // 2]
    else:  # flip bytes inside the compressed checkpoint: the central directory is intact
        data = bytearray(good)
        data[200:210] = bytes(b ^ 0xFF for b in data[200:210])
        data = bytes(data)
    url = server.add(f"/rel/{FOLDER}.zip", data)
    manager = manager_for(tmp_path, {"github_rls_url": url})
    with pytest.raises(DownloadError, match="corrupt|not a zip") as err:
        manager.download_model(NAME)
    assert str(isolated / "tts" / FOLDER) in str(err.value)
    assert not (isolated / "tts" / FOLDER).exists()
    assert not list((isolated / "tts").rglob("*.zip*"))  # the bad archive is not kept for resuming
    server.add(f"/rel/{FOLDER}.zip", good)
    assert manager.download_model(NAME)[0].read_bytes() == CHECKPOINT


def test_checksum_verified(server: LocalServer, tmp_path: Path, isolated: Path) -> None:
    data = make_zip(model_files())
    url = server.add(f"/rel/{FOLDER}.zip", data)
    wrong = {"checksums": {f"{FOLDER}.zip": "sha256:" + "0" * 64}}
    with pytest.raises(DownloadError, match="Checksum mismatch"):
        manager_for(tmp_path, {"github_rls_url": url, **wrong}).download_model(NAME)
    assert not (isolated / "tts" / FOLDER).exists()
    assert not list((isolated / "tts").rglob("*.part"))
    right = {"checksums": {f"{FOLDER}.zip": "sha256:" + hashlib.sha256(data).hexdigest()}}
    assert manager_for(tmp_path, {"github_rls_url": url, **right}).download_model(NAME)[0].is_file()


def test_per_file_checksum(server: LocalServer, tmp_path: Path, isolated: Path) -> None:
    urls = [server.add(f"/files/{name}", data) for name, data in model_files().items()]
    sums = {"model_file.pth": "md5:" + hashlib.md5(b"other").hexdigest()}
    with pytest.raises(DownloadError, match="Checksum mismatch for model_file.pth"):
        manager_for(tmp_path, {"github_rls_url": urls, "checksums": sums}).download_model(NAME)
    assert not (isolated / "tts" / FOLDER).exists()


def test_offline_error_names_files_urls_and_folder(dead_url: str, tmp_path: Path, isolated: Path) -> None:
    urls = [f"{dead_url}/files/model_file.pth", f"{dead_url}/files/config.json"]
    with pytest.raises(DownloadError) as err:
        manager_for(tmp_path, {"github_rls_url": urls}).download_model(NAME)
    message = str(err.value)
    assert all(u in message for u in urls)
    assert str(isolated / "tts" / FOLDER) in message and "put the files" in message


def test_incomplete_folder_is_completed_keeping_agreement(server: LocalServer, tmp_path: Path, isolated: Path) -> None:
    folder = isolated / "tts" / FOLDER
    folder.mkdir(parents=True)
    (folder / "tos_agreed.txt").write_text("agreed")
    (folder / "model_file.pth").write_bytes(b"half")  # what an interrupted upstream download leaves
    url = server.add(f"/rel/{FOLDER}.zip", make_zip(model_files()))
    checkpoint, _, _ = manager_for(tmp_path, {"github_rls_url": url}).download_model(NAME)
    assert checkpoint.read_bytes() == CHECKPOINT
    assert (folder / "tos_agreed.txt").read_text() == "agreed"


def test_fairseq_tar(server: LocalServer, tmp_path: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for name, data in {"G_100000.pth": CHECKPOINT, "config.json": b"{}", "vocab.txt": b"a"}.items():
            info = tarfile.TarInfo(f"eng/{name}")
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    server.add("/mms/eng.tar.gz", buf.getvalue())
    monkeypatch.setattr(manage, "FAIRSEQ_URL", server.url + "/mms/{lang}.tar.gz")
    checkpoint, config, item = ModelManager().download_model("tts_models/eng/fairseq/vits")
    assert checkpoint == isolated / "tts" / "tts_models--eng--fairseq--vits" / "G_100000.pth"
    assert config.read_text() == "{}" and item["author"] == "fairseq"


def test_fetch_url_resume_416_and_changed_url(server: LocalServer, tmp_path: Path) -> None:
    data = b"abc" * 1000
    url = server.add("/blob.bin", data)
    dest = tmp_path / "blob.bin"
    # a part file that already holds everything: the server answers 416 and we keep it
    (tmp_path / "blob.bin.part").write_bytes(data)
    (tmp_path / "blob.bin.part.json").write_text(json.dumps({"url": url, "validator": None}))
    assert fetch_url(url, dest, progress_bar=False).read_bytes() == data
    # a part file from another URL is not resumed
    (tmp_path / "other.part").write_bytes(b"zzz")
    (tmp_path / "other.part.json").write_text(json.dumps({"url": url + "?old", "validator": None}))
    assert fetch_url(url, tmp_path / "other", progress_bar=False).read_bytes() == data
