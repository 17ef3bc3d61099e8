"""A downloaded model is loaded without writing anything: stale side-file paths in its config are
resolved in memory, and a read-only cache (read-only dirs and files) works."""

from __future__ import annotations

import builtins
import errno
import hashlib
import io
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from TTS.utils import model_paths
from TTS.utils.manage import ModelManager

from .conftest import LocalServer, write_registry
from .test_download import make_zip

STALE = "/home/someone/.local/share/tts/old_machine"


def _snapshot(root: Path) -> dict[str, tuple[str, int, int]]:
    """path -> (sha256, mode, mtime) of every file and folder under ``root``."""
    state = {}
    for path in sorted([root, *root.rglob("*")]):
        info = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        state[str(path)] = (digest, stat.S_IMODE(info.st_mode), info.st_mtime_ns)
    return state


def _make_stale(folder: Path, built_in: Path | None = None) -> None:
    """Rewrite the fixture's absolute side-file paths as another machine's (as released configs have them)."""
    text = (folder / "config.json").read_text(encoding="utf-8").replace(str(built_in or folder), STALE)
    (folder / "config.json").write_text(text, encoding="utf-8")


@pytest.fixture
def read_only(monkeypatch: pytest.MonkeyPatch) -> Iterator:
    """``read_only(root)``: chmod the tree 0555/0444 and refuse every write under it, even for root."""
    roots: list[Path] = []

    def under(path: object) -> bool:
        try:
            target = Path(os.fsdecode(path)).absolute()
        except TypeError:
            return False
        return any(target == r or r in target.parents for r in roots)

    def refuse(path: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted (read-only test cache)", os.fsdecode(path))

    real_open, real_os_open = builtins.open, os.open
    real_replace, real_mkstemp = os.replace, tempfile.mkstemp

    def guarded_open(file, mode="r", *args, **kwargs):
        if isinstance(file, str | bytes | os.PathLike) and any(c in mode for c in "wax+") and under(file):
            refuse(file)
        return real_open(file, mode, *args, **kwargs)

    def guarded_os_open(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC) and under(path):
            refuse(path)
        return real_os_open(path, flags, *args, **kwargs)

    def guarded_move(src, dst, *args, **kwargs):
        if under(src) or under(dst):
            refuse(dst)
        return real_replace(src, dst, *args, **kwargs)

    def guarded_mkstemp(*args, **kwargs):
        folder = kwargs.get("dir") or (args[2] if len(args) > 2 else None)
        if folder is not None and under(folder):
            refuse(folder)
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)
    monkeypatch.setattr(os, "open", guarded_os_open)
    monkeypatch.setattr(os, "replace", guarded_move)
    monkeypatch.setattr(os, "rename", guarded_move)
    monkeypatch.setattr(tempfile, "mkstemp", guarded_mkstemp)

    def apply(root: Path) -> None:
        for path in [root, *root.rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        roots.append(root.absolute())

    yield apply
    roots.clear()


def _make_writable(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


@pytest.mark.parametrize("case", ["yourtts_dvectors", "multispeaker_ids"])
def test_released_model_in_read_only_cache_loads_without_writes(
    case: str, tmp_path: Path, isolated: Path, dead_url: str, read_only
) -> None:
    from tests.api.tiny_models import build_vits_folder
    from TTS.utils.synthesizer import Synthesizer

    name = f"tts_models/en/test/{case}"
    folder = isolated / "tts" / model_paths.model_dir_name(name)
    folder.parent.mkdir(parents=True)
    built = build_vits_folder(tmp_path / "build", case)
    shutil.move(built, folder)
    _make_stale(folder, built)
    registry = write_registry(tmp_path / "models.json", {name: {"github_rls_url": f"{dead_url}/{case}.zip"}})
    before = _snapshot(isolated)
    read_only(isolated)
    try:
        checkpoint, config_path, _ = ModelManager(models_file=registry, progress_bar=False).download_model(name)
        assert config_path == folder / "config.json"
        synthesizer = Synthesizer(tts_checkpoint=checkpoint, tts_config_path=config_path)
        config = synthesizer.tts_config
        args = config.model_args
        if case == "yourtts_dvectors":
            assert config.d_vector_file == [str(folder / "speakers.json")] == args.d_vector_file
            assert args.language_ids_file == str(folder / "language_ids.json")
            assert args.speaker_encoder_model_path == str(folder / "model_se.pth")
            assert args.speaker_encoder_config_path == str(folder / "config_se.json")
            speaker, language = synthesizer.speaker_names[0], synthesizer.language_names[0]
            wav = synthesizer.tts("Hello.", speaker_name=speaker, language_name=language)
            assert synthesizer.tts_model.speaker_manager.encoder is not None
        else:
            assert config.speakers_file == str(folder / "speakers.pth") == args.speakers_file
            wav = synthesizer.tts("Hello.", speaker_name=synthesizer.speaker_names[-1])
        assert len(wav) > 0
        assert STALE in config_path.read_text()  # the file still says what it said
    finally:
        _make_writable(isolated)
    after = _snapshot(isolated)
    for path, (digest, mode, mtime) in before.items():
        assert after[path] == (digest, mode, mtime), path
    assert set(after) == set(before), "files were created in the cache"


def test_download_keeps_config_as_shipped_and_it_loads(server: LocalServer, tmp_path: Path, isolated: Path) -> None:
    """Our download writes the files it downloads as they are; loading resolves the paths in memory."""
    from tests.api.tiny_models import build_vits_folder
    from TTS.config import load_config

    build = build_vits_folder(tmp_path / "build", "multispeaker_ids")
    _make_stale(build)
    files = {p.name: p.read_bytes() for p in build.iterdir() if p.is_file()}
    name = "tts_models/en/test/vits"
    url = server.add("/rel/model.zip", make_zip(files, folder="tts_models--en--test--vits"))
    registry = write_registry(tmp_path / "models.json", {name: {"github_rls_url": url}})
    checkpoint, config_path, _ = ModelManager(models_file=registry, progress_bar=False).download_model(name)
    assert config_path.read_bytes() == files["config.json"]
    assert stat.S_IMODE(config_path.stat().st_mode) & 0o044 == 0o044 or os.name == "nt"
    config = load_config(config_path)
    assert config.speakers_file.startswith(STALE)  # what the file says ...
    from TTS.utils.synthesizer import Synthesizer

    synthesizer = Synthesizer(tts_checkpoint=checkpoint, tts_config_path=config_path)
    assert synthesizer.tts_config.speakers_file == str(config_path.parent / "speakers.pth")  # ... and what is used
    assert synthesizer.speaker_names


def test_resolve_config_paths_in_memory(tmp_path: Path) -> None:
    for name in ("scale_stats.npy", "speakers.json", "speaker_ids.json", "config_se.json", "model_se.pth"):
        (tmp_path / name).write_bytes(b"x")
    keep = tmp_path / "elsewhere.json"
    keep.write_text("{}")
    config = {
        "audio": {"stats_path": "/gone/scale_stats.npy"},
        "d_vector_file": ["/gone/speakers.json", str(keep)],
        "speakers_file": "/gone/renamed_ids.json",  # not there by its name: the usual name is used
        "speaker_ids_file": None,
        "language_ids_file": str(keep),  # exists: kept
        "model_args": {
            "d_vector_file": "/gone/speakers.json",
            "speaker_encoder_model_path": "/gone/model_se.pth",
            "speaker_encoder_config_path": "/gone/config_se.json",
        },
    }
    changed = model_paths.resolve_config_paths(config, tmp_path)
    assert config["audio"]["stats_path"] == str(tmp_path / "scale_stats.npy")
    assert config["d_vector_file"] == [str(tmp_path / "speakers.json"), str(keep)]
    assert config["speakers_file"] == str(tmp_path / "speaker_ids.json")
    assert config["speaker_ids_file"] == str(tmp_path / "speaker_ids.json")
    assert config["language_ids_file"] == str(keep)
    assert config["model_args"]["d_vector_file"] == str(tmp_path / "speakers.json")
    assert config["model_args"]["speaker_encoder_model_path"] == str(tmp_path / "model_se.pth")
    assert config["model_args"]["speaker_encoder_config_path"] == str(tmp_path / "config_se.json")
    assert "language_ids_file" not in changed and "model_args.language_ids_file" not in config["model_args"]
    assert model_paths.resolve_config_paths(config, tmp_path) == {}


def test_write_atomic_gives_normal_permissions(tmp_path: Path) -> None:
    new = tmp_path / "new.txt"
    mask = os.umask(0o022)
    try:
        model_paths.write_atomic(new, "a")
    finally:
        os.umask(mask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o644
    old = tmp_path / "old.txt"
    old.write_text("x")
    old.chmod(0o664)
    model_paths.write_atomic(old, "b")
    assert old.read_text() == "b" and stat.S_IMODE(old.stat().st_mode) == 0o664
