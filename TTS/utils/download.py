"""HTTP downloads that never leave a half file behind, and archive unpacking.

- ``fetch_url`` streams into ``<name>.part`` next to the target, resumes it with an HTTP
  ``Range`` request (guarded by ``If-Range``) after a dropped connection, in this run or the next,
  checks the size and an optional checksum, fsyncs, then renames it into place.
- ``extract_flat`` unpacks a zip or tar release into a folder (flattened, as upstream lays
  model folders out) and turns any corruption into a DownloadError.
- ``publish_folder`` moves a finished staging folder into the model folder so that the model
  becomes complete in one step (a folder rename, or ``config.json`` moved last).

Upstream's helpers (``download_url``, ``validate_file``, ``extract_archive``, ``stream_url``,
``download_kaggle_dataset``) are kept on top of these for the dataset downloaders.
Only the standard library and tqdm are used.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import logging
import os
import shutil
import tarfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from TTS.core.errors import DownloadError

__all__ = [
    "download_kaggle_dataset",
    "download_url",
    "extract_archive",
    "extract_flat",
    "fetch_url",
    "file_digest",
    "file_lock",
    "publish_folder",
    "stream_url",
    "validate_file",
    "verify_checksum",
]

logger = logging.getLogger(__name__)

USER_AGENT = "coqui-tts-ng (+https://github.com/coqui-tts-ng)"
CHUNK_BYTES = 1 << 20
# Attempts per file; between attempts we wait RETRY_BACKOFF_SECONDS * attempt number.
DOWNLOAD_ATTEMPTS = 4
RETRY_BACKOFF_SECONDS = 1.0
TIMEOUT_SECONDS = 60.0
_RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}


class _Retry(Exception):
    """A transient failure: try again (resuming from what is on disk)."""


def _fsync_dir(folder: Path) -> None:
    # Makes a rename durable on POSIX; directories cannot be opened on Windows.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def parse_checksum(spec: str) -> tuple[str, str]:
    """``"sha256:<hex>"`` / ``"md5:<hex>"`` (or a bare sha256 hex) -> ``(algorithm, hex)``."""
    algo, sep, value = spec.partition(":")
    if not sep:
        algo, value = "sha256", spec
    algo = algo.strip().lower()
    if algo not in ("sha256", "md5", "sha1"):
        raise ValueError(f"unsupported checksum algorithm {algo!r} in {spec!r}")
    return algo, value.strip().lower()


def file_digest(path: Path, algo: str = "sha256") -> str:
    """Hex digest of a file, read in chunks."""
    digest = hashlib.new(algo)
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def verify_checksum(path: Path, spec: str, url: str | None = None) -> None:
    """Raise DownloadError when ``path`` does not match ``spec`` (see ``parse_checksum``)."""
    algo, expected = parse_checksum(spec)
    actual = file_digest(path, algo)
    if actual != expected:
        source = f" downloaded from {url}" if url else ""
        raise DownloadError(
            f"Checksum mismatch for {path.name}{source}: expected {algo} {expected}, got {actual}. "
            "The file was discarded; run the command again to download it anew."
        )


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if needed) so two processes never fill one folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as fh:
        try:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - Windows
            import msvcrt

            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_LOCK, 1)
        yield


def _progress(total: int | None, initial: int, name: str, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(
        total=total, initial=initial, desc=name, unit="B", unit_scale=True, unit_divisor=1024, disable=not enabled
    )


def _total_from_content_range(value: str | None) -> int | None:
    # "bytes 100-199/200" or "bytes */200"
    if not value or "/" not in value:
        return None
    total = value.rsplit("/", 1)[1].strip()
    return int(total) if total.isdigit() else None


def _start_from_content_range(value: str | None) -> int | None:
    if not value or not value.startswith("bytes ") or "-" not in value:
        return None
    start = value[6:].split("-", 1)[0].strip()
    return int(start) if start.isdigit() else None


def _attempt(url: str, part: Path, meta: Path, progress_bar: bool, timeout: float) -> None:
    """One request: append to (or restart) ``part``; raises _Retry on transient failures."""
    offset = part.stat().st_size if part.exists() else 0
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    validator = None
    if offset:
        with contextlib.suppress(OSError, ValueError):
            validator = json.loads(meta.read_text(encoding="utf-8")).get("validator")
        headers["Range"] = f"bytes={offset}-"
        if validator:
            headers["If-Range"] = validator
    try:
        response = urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=timeout)
    except urllib.error.HTTPError as err:
        if err.code == 416 and offset:
            total = _total_from_content_range(err.headers.get("Content-Range"))
            if total == offset:
                return  # the part file already holds everything
            part.unlink(missing_ok=True)
            raise _Retry(f"HTTP 416 for a resume at byte {offset}") from err
        if err.code in _RETRY_STATUS:
            raise _Retry(f"HTTP {err.code} {err.reason}") from err
        raise DownloadError(f"{url} answered HTTP {err.code} {err.reason}.") from err
    except (urllib.error.URLError, http.client.HTTPException, OSError) as err:
        reason = getattr(err, "reason", err)
        raise _Retry(f"cannot connect: {reason}") from err

    with response:
        status = getattr(response, "status", 200)
        if status == 206 and _start_from_content_range(response.headers.get("Content-Range")) != offset:
            part.unlink(missing_ok=True)
            raise _Retry("server answered with a different byte range than requested")
        if offset and status == 206:
            total = _total_from_content_range(response.headers.get("Content-Range"))
            mode = "ab"
        else:
            if offset:
                logger.info("Server did not resume %s; starting it again.", part.name[: -len(".part")])
            offset, mode = 0, "wb"
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            etag = response.headers.get("ETag")
            strong = etag if etag and not etag.startswith("W/") else None
            new_validator = strong or response.headers.get("Last-Modified")
            meta.write_text(json.dumps({"url": url, "validator": new_validator}), encoding="utf-8")
        received = offset
        with open(part, mode) as fh, _progress(total, offset, part.name[: -len(".part")], progress_bar) as bar:
            try:
                while chunk := response.read(CHUNK_BYTES):
                    fh.write(chunk)
                    received += len(chunk)
                    bar.update(len(chunk))
            except (OSError, http.client.HTTPException) as err:
                raise _Retry(f"connection lost after {received} bytes: {err}") from err
            finally:
                fh.flush()
                os.fsync(fh.fileno())
    if total is not None and received < total:
        raise _Retry(f"connection closed after {received} of {total} bytes")
    if total is not None and received > total:
        part.unlink(missing_ok=True)
        raise _Retry(f"received {received} bytes, more than the announced {total}")


def fetch_url(
    url: str,
    dest: str | os.PathLike[str],
    *,
    checksum: str | None = None,
    progress_bar: bool = True,
    attempts: int | None = None,
    timeout: float | None = None,
) -> Path:
    """Download ``url`` to ``dest`` atomically; return ``dest``.

    Data goes to ``dest + ".part"`` (same folder), resumed across attempts and runs. After the
    announced size is reached the file is fsynced, checked against ``checksum`` (if given) and
    renamed to ``dest``. Network failures raise DownloadError after ``attempts`` tries and keep the
    part file for the next run; a checksum mismatch deletes it.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    meta = dest.with_name(dest.name + ".part.json")
    with contextlib.suppress(OSError, ValueError):
        if part.exists() and json.loads(meta.read_text(encoding="utf-8")).get("url") != url:
            part.unlink()  # left over from another URL: cannot be resumed
    attempts = attempts or DOWNLOAD_ATTEMPTS
    last_error = ""
    for attempt in range(1, attempts + 1):
        try:
            _attempt(url, part, meta, progress_bar, timeout or TIMEOUT_SECONDS)
            break
        except _Retry as err:
            last_error = str(err)
            logger.warning("Download of %s interrupted (%s); attempt %d of %d.", url, err, attempt, attempts)
            if attempt < attempts:
                time.sleep(RETRY_BACKOFF_SECONDS * attempt)
    else:
        raise DownloadError(f"Could not download {url} ({last_error}).")
    if checksum:
        try:
            verify_checksum(part, checksum, url)
        except DownloadError:
            part.unlink(missing_ok=True)
            meta.unlink(missing_ok=True)
            raise
    os.replace(part, dest)
    meta.unlink(missing_ok=True)
    _fsync_dir(dest.parent)
    return dest


def _skip_member(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return name.startswith("__MACOSX/") or base.startswith("._") or base in ("", ".DS_Store")


def _copy_member(src: IO[bytes], target: Path) -> None:
    with open(target, "wb") as out:
        shutil.copyfileobj(src, out, CHUNK_BYTES)
        out.flush()
        os.fsync(out.fileno())


def extract_flat(archive: str | os.PathLike[str], dest_dir: str | os.PathLike[str]) -> list[Path]:
    """Unpack every file of a zip or tar archive directly into ``dest_dir`` (folders dropped).

    Upstream's release zips hold one folder with the model files; the model folder keeps only
    the files. Raises DownloadError for a corrupt or unknown archive.
    """
    archive, dest_dir = Path(archive), Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    try:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as zf:
                bad = zf.testzip()  # reads every member and checks its CRC
                if bad is not None:
                    raise zipfile.BadZipFile(f"member {bad} is damaged")
                for info in zf.infolist():
                    if info.is_dir() or _skip_member(info.filename):
                        continue
                    target = dest_dir / info.filename.rsplit("/", 1)[-1]
                    with zf.open(info) as src:
                        _copy_member(src, target)
                    written.append(target)
        elif tarfile.is_tarfile(archive):
            with tarfile.open(archive) as tf:
                for member in tf:
                    if not member.isfile() or _skip_member(member.name):
                        continue
                    src = tf.extractfile(member)
                    if src is None:
                        continue
                    target = dest_dir / member.name.rsplit("/", 1)[-1]
                    with src:
                        _copy_member(src, target)
                    written.append(target)
        else:
            raise DownloadError(f"{archive.name} is not a zip or tar archive (corrupt or incomplete download).")
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, zlib.error) as err:
        raise DownloadError(f"{archive.name} is a corrupt archive: {err}.") from err
    if not written:
        raise DownloadError(f"{archive.name} contains no files.")
    return written


def publish_folder(staging: Path, final: Path, last: Iterable[str] = ("config.json",)) -> None:
    """Move the files of ``staging`` into ``final`` so that ``final`` turns complete in one step.

    A new ``final`` is one folder rename. Into an existing (incomplete) folder the files are
    renamed one by one, the ``last`` names at the end, keeping files already there (e.g.
    ``tos_agreed.txt``). ``staging`` is removed.
    """
    staging, final = Path(staging), Path(final)
    if not final.exists():
        os.replace(staging, final)
        _fsync_dir(final.parent)
        return
    last = set(last)
    files = sorted((p for p in staging.rglob("*") if p.is_file()), key=lambda p: (p.name in last, str(p)))
    for src in files:
        target = final / src.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, target)
    _fsync_dir(final)
    shutil.rmtree(staging, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Upstream-compatible helpers (TTS.utils.download), used by the dataset downloaders.


def stream_url(
    url: str, start_byte: int | None = None, block_size: int = 32 * 1024, progress_bar: bool = True
) -> Iterator[bytes]:
    """Yield the body of ``url`` in chunks, from ``start_byte`` when given."""
    headers = {"User-Agent": USER_AGENT}
    if start_byte:
        headers["Range"] = f"bytes={start_byte}-"
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=TIMEOUT_SECONDS) as resp:
        length = resp.headers.get("Content-Length")
        total = int(length) + (start_byte or 0) if length and length.isdigit() else None
        with _progress(total, start_byte or 0, Path(urllib.parse.urlparse(url).path).name, progress_bar) as bar:
            while chunk := resp.read(block_size):
                bar.update(len(chunk))
                yield chunk


def download_url(
    url: str,
    download_folder: str,
    filename: str | None = None,
    hash_value: str | None = None,
    hash_type: str = "sha256",
    progress_bar: bool = True,
    resume: bool = False,
) -> None:
    """Download ``url`` into ``download_folder`` (name from the URL unless ``filename``), checking a hash."""
    name = filename or Path(urllib.parse.unquote(urllib.parse.urlparse(url).path)).name
    target = Path(download_folder) / name
    if target.exists():
        if not resume:
            raise DownloadError(f"{target} already exists. Delete it and retry, or pass resume=True.")
        if hash_value is None or _hash_ok(target, hash_value, hash_type):
            return
        raise DownloadError(f"The hash of {target} does not match. Delete the file and retry.")
    fetch_url(url, target, checksum=f"{hash_type}:{hash_value}" if hash_value else None, progress_bar=progress_bar)


def _hash_ok(path: Path, hash_value: str, hash_type: str = "sha256") -> bool:
    with open(path, "rb") as fh:
        return validate_file(fh, hash_value, hash_type)


def validate_file(file_obj: Any, hash_value: str, hash_type: str = "sha256") -> bool:
    """Whether the content read from ``file_obj`` has ``hash_value`` (``sha256`` or ``md5``)."""
    if hash_type not in ("sha256", "md5"):
        raise ValueError(f"hash_type must be 'sha256' or 'md5', not {hash_type!r}")
    digest = hashlib.new(hash_type)
    while chunk := file_obj.read(CHUNK_BYTES):
        digest.update(chunk)
    return digest.hexdigest() == hash_value


def extract_archive(from_path: str, to_path: str | None = None, overwrite: bool = False) -> list[str]:
    """Unpack a tar or zip archive keeping its folders; returns member paths (upstream semantics)."""
    to_path = to_path or os.path.dirname(from_path)
    root = Path(to_path).resolve()

    def _safe(name: str) -> Path:
        target = (root / name).resolve()
        if root != target and root not in target.parents:
            raise DownloadError(f"{from_path} contains a path outside the target folder: {name}")
        return target

    if tarfile.is_tarfile(from_path):
        files = []
        with tarfile.open(from_path, "r") as tf:
            for member in tf:
                target = _safe(member.name)
                if member.isfile():
                    files.append(os.path.join(to_path, member.name))
                    if target.exists() and not overwrite:
                        continue
                if member.isfile() or member.isdir():
                    tf.extract(member, to_path)
        return files
    if zipfile.is_zipfile(from_path):
        with zipfile.ZipFile(from_path) as zf:
            names = zf.namelist()
            for name in names:
                if _safe(name).exists() and not overwrite:
                    continue
                zf.extract(name, to_path)
        return names
    raise DownloadError(f"{from_path}: only tar (.tar.gz, .tgz) and zip archives are supported.")


def download_kaggle_dataset(dataset_path: str, dataset_name: str, output_path: str) -> None:
    """Download and unzip a Kaggle dataset (needs the ``kaggle`` package and an API token)."""
    try:
        import kaggle  # type: ignore[import-not-found]
    except ImportError as err:
        from TTS.core.errors import MissingDependencyError

        raise MissingDependencyError("Kaggle datasets need the kaggle package: pip install kaggle") from err
    target = os.path.join(output_path, dataset_name)
    try:
        kaggle.api.authenticate()
        logger.info("Downloading %s...", dataset_name)
        kaggle.api.dataset_download_files(dataset_path, path=target, unzip=True)
    except OSError as err:
        token = os.path.join(os.path.expanduser("~"), ".kaggle", "kaggle.json")
        raise DownloadError(f"Kaggle download failed ({err}); put your API token in {token}.") from err
