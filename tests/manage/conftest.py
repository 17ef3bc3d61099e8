"""A real HTTP server on 127.0.0.1 for the model manager tests, and an isolated model cache.

The server serves byte blobs by path and can misbehave on purpose: cut a body short
(``cut_after``), answer 503 a few times (``fail_times``), ignore ``Range`` (``no_range``).
``add_hf_repo`` emulates the part of the Hugging Face Hub API that ``snapshot_download`` uses.
"""

from __future__ import annotations

import hashlib
import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import TTS.utils.download as download


@dataclass
class Blob:
    data: bytes
    cut_after: int | None = None  # send only this many body bytes, then drop the connection
    cut_times: int = 0  # ... for this many GET requests (-1: always)
    fail_times: int = 0  # answer 503 this many times first
    no_range: bool = False  # ignore Range headers (always 200 with the whole body)
    headers: dict[str, str] = field(default_factory=dict)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # keep pytest output quiet
        pass

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _serve(self, head: bool) -> None:
        path = self.path.split("?", 1)[0]
        self.server.log.append((self.command, path, dict(self.headers)))
        blob = self.server.blobs.get(path)
        if blob is None:
            self._reply(404, b"not found", {})
            return
        if blob.fail_times > 0 and not head:
            blob.fail_times -= 1
            self._reply(503, b"busy", {})
            return
        data, status, extra = blob.data, 200, dict(blob.headers)
        extra.setdefault("ETag", '"' + hashlib.sha1(blob.data).hexdigest() + '"')
        rng = self.headers.get("Range")
        if rng and not blob.no_range and not head:
            start = int(rng.split("=", 1)[1].split("-", 1)[0])
            if start >= len(data):
                self._reply(416, b"", {"Content-Range": f"bytes */{len(data)}"})
                return
            status, data = 206, data[start:]
            extra["Content-Range"] = f"bytes {start}-{len(blob.data) - 1}/{len(blob.data)}"
        cut = None
        if not head and blob.cut_after is not None and blob.cut_times != 0:
            blob.cut_times -= 1
            cut = blob.cut_after
        self.send_response(status)
        extra.setdefault("Content-Length", str(len(data)))
        for key, value in extra.items():
            self.send_header(key, value)
        if cut is not None:
            self.send_header("Connection", "close")
        self.end_headers()
        if head:
            return
        if cut is not None:
            self.wfile.write(data[:cut])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(data)

    def _reply(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    blobs: dict[str, Blob]
    log: list[tuple[str, str, dict[str, str]]]


class LocalServer:
    """Handle on the running server: ``url``, ``add``, ``add_hf_repo``, ``requests``."""

    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.blobs, self._server.log = {}, []
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()

    def add(self, path: str, data: bytes, **behaviour: Any) -> str:
        self._server.blobs[path] = Blob(data, **behaviour)
        return self.url + path

    def blob(self, path: str) -> Blob:
        return self._server.blobs[path]

    @property
    def requests(self) -> list[tuple[str, str, dict[str, str]]]:
        return self._server.log

    def gets(self, suffix: str = "") -> list[dict[str, str]]:
        return [h for m, p, h in self._server.log if m == "GET" and p.endswith(suffix)]

    def add_hf_repo(self, repo_id: str, files: dict[str, bytes], commit: str = "c" * 40, lfs: tuple[str, ...] = ()):
        """Serve ``repo_id`` like the Hub: revision info plus ``resolve`` URLs with commit/etag headers."""
        siblings = [{"rfilename": name} for name in files]
        info = {"id": repo_id, "modelId": repo_id, "sha": commit, "siblings": siblings, "private": False}
        tree = []
        for name, data in files.items():
            entry = {"type": "file", "path": name, "size": len(data), "oid": hashlib.sha1(data).hexdigest()}
            if name in lfs:
                entry["lfs"] = {"oid": hashlib.sha256(data).hexdigest(), "size": len(data), "pointerSize": 130}
            tree.append(entry)
        for rev in ("main", commit):
            self.add(f"/api/models/{repo_id}/revision/{rev}", json.dumps(info).encode())
            self.add(f"/api/models/{repo_id}/tree/{rev}", json.dumps(tree).encode())
        for name, data in files.items():
            if name in lfs:
                etag = hashlib.sha256(data).hexdigest()
                headers = {"X-Linked-Etag": f'"{etag}"', "X-Linked-Size": str(len(data))}
            else:
                etag = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
                headers = {}
            headers.update({"X-Repo-Commit": commit, "ETag": f'"{etag}"'})
            for rev in ("main", commit):
                self.add(f"/{repo_id}/resolve/{rev}/{name}", data, headers=dict(headers))

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def server():
    srv = LocalServer()
    yield srv
    srv.close()


@pytest.fixture
def dead_url() -> str:
    """A URL nobody listens on (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Model cache and HF cache under tmp_path; no agreement, no retry delays."""
    home = tmp_path / "home"
    monkeypatch.setenv("TTS_HOME", str(home))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf"))
    for var in ("XDG_DATA_HOME", "COQUI_TOS_AGREED", "HF_HUB_OFFLINE", "HF_ENDPOINT", "HUGGINGFACE_HUB_CACHE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(download, "RETRY_BACKOFF_SECONDS", 0.0)
    monkeypatch.setattr(download, "TIMEOUT_SECONDS", 5.0)
    return home


def write_registry(path: Path, entries: dict[str, dict[str, Any]]) -> Path:
    """A models.json with ``{"type/lang/dataset/model": entry}``."""
    registry: dict[str, Any] = {}
    for name, entry in entries.items():
        mtype, lang, dataset, model = name.split("/")
        registry.setdefault(mtype, {}).setdefault(lang, {}).setdefault(dataset, {})[model] = entry
    path.write_text(json.dumps(registry), encoding="utf-8")
    return path
