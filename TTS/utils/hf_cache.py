"""The Hugging Face hub cache, where ``coqui-tts`` 0.28 keeps models that have a ``repo_id``.

Layout (huggingface_hub's): ``<cache>/models--owner--name/refs/<branch>`` holds a commit,
``snapshots/<commit>/<file>`` links to ``blobs/<etag>``; an LFS blob is named by the sha256
of its content. Finding a snapshot needs no huggingface_hub import; downloading uses it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from TTS.core.errors import DownloadError

__all__ = ["find_hf_snapshot", "hf_hub_cache_dir", "hf_repo_cache_dir", "hf_snapshot_download", "verify_hf_snapshot"]

_COMMIT_RE = re.compile(r"^[0-9a-f]{40}$")


def hf_hub_cache_dir() -> Path:
    """The Hugging Face hub cache, resolved from the environment the way huggingface_hub does."""
    for var in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        if os.environ.get(var):
            return Path(os.path.expandvars(os.environ[var])).expanduser()
    if os.environ.get("HF_HOME"):
        hf_home = Path(os.path.expandvars(os.environ["HF_HOME"])).expanduser()
    else:
        xdg_cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        hf_home = Path(xdg_cache) / "huggingface"
    return hf_home / "hub"


def hf_repo_cache_dir(repo_id: str, cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """``<cache>/models--owner--name`` for a model repository."""
    root = Path(cache_dir) if cache_dir is not None else hf_hub_cache_dir()
    return root / ("models--" + repo_id.replace("/", "--"))


def find_hf_snapshot(
    repo_id: str, revision: str | None = None, cache_dir: str | os.PathLike[str] | None = None
) -> Path | None:
    """The snapshot folder of ``repo_id`` at ``revision`` (default ``main``) in the hub cache, if any.

    A branch name is resolved through ``refs/<branch>``; a 40-hex commit is used directly.
    Files appear in a snapshot only once fully downloaded (huggingface_hub links them at the end),
    but a snapshot can still lack files when a download was interrupted: see ``is_model_dir_complete``.
    """
    repo_dir = hf_repo_cache_dir(repo_id, cache_dir)
    revision = revision or "main"
    if _COMMIT_RE.match(revision):
        commit = revision
    else:
        ref = repo_dir / "refs" / revision
        try:
            commit = ref.read_text(encoding="utf-8").strip()
        except OSError:
            return None
    snapshot = repo_dir / "snapshots" / commit
    return snapshot if snapshot.is_dir() else None


def hf_snapshot_download(
    repo_id: str,
    *,
    revision: str | None = None,
    allow_patterns: list[str] | None = None,
    ignore_patterns: list[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    endpoint: str | None = None,
    progress_bar: bool = True,
) -> Path:
    """Fetch a repository snapshot into the hub cache with huggingface_hub; return its folder.

    huggingface_hub writes each file as ``blobs/<etag>.incomplete`` and links it into the
    snapshot only when complete, and resumes interrupted files. We then check the content of
    every LFS file against its sha256 (the blob's name), see ``verify_hf_snapshot``.
    """
    try:
        from huggingface_hub import snapshot_download
        from huggingface_hub.utils import disable_progress_bars, enable_progress_bars
    except ImportError as err:
        from TTS.core.errors import MissingDependencyError

        raise MissingDependencyError(
            f"{repo_id} is hosted on the Hugging Face Hub: pip install huggingface-hub"
        ) from err
    kwargs: dict[str, Any] = {
        "revision": revision,
        "allow_patterns": allow_patterns,
        "ignore_patterns": ignore_patterns,
    }
    # Always explicit: huggingface_hub reads its cache location once at import, we read it now,
    # so that where we look and where it writes cannot differ.
    kwargs["cache_dir"] = str(cache_dir if cache_dir is not None else hf_hub_cache_dir())
    if endpoint is not None:
        kwargs["endpoint"] = endpoint
    if not progress_bar:
        disable_progress_bars()
    try:
        folder = Path(snapshot_download(repo_id, **kwargs))
    except Exception as err:  # huggingface_hub raises many types (HTTP, offline, OS); all mean "not fetched"
        raise DownloadError(
            f"Could not download {repo_id} from the Hugging Face Hub ({type(err).__name__}: {err})."
        ) from err
    finally:
        if not progress_bar:
            enable_progress_bars()
    verify_hf_snapshot(folder)
    return folder


def verify_hf_snapshot(snapshot: Path) -> None:
    """Check each snapshot file whose blob is named by a sha256 (LFS files) against its content.

    A damaged blob is deleted with its link, so the next run downloads it again; raises DownloadError.
    """
    from TTS.utils.download import file_digest

    for link in sorted(Path(snapshot).rglob("*")):
        if not link.is_symlink():
            continue  # copies (no symlink support) carry no checksum in their name
        blob = link.resolve()
        name = blob.name
        if len(name) != 64 or any(c not in "0123456789abcdef" for c in name) or not blob.is_file():
            continue
        actual = file_digest(blob, "sha256")
        if actual != name:
            link.unlink(missing_ok=True)
            blob.unlink(missing_ok=True)
            raise DownloadError(
                f"{link.relative_to(snapshot)} in {snapshot} is damaged (sha256 {actual}, expected {name}); "
                "it was removed, run the command again to download it anew."
            )
