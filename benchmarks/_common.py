"""Helpers shared by the benchmark scripts: loading by path, peak RSS, interleaved worker timing.

A benchmark that compares us with upstream runs each side in its own long-lived worker
process (upstream's from a folder outside the repo, so its ``TTS`` is upstream's). The
controller sends ``run`` lines to the workers in turn (ours, upstream, ours, upstream, ...),
so slow phases of a shared, noisy machine hit both sides alike, and reports medians.

Protocol: a worker prints one JSON line when it is ready, then answers each ``run`` line
on stdin with one JSON line (at least ``{"seconds": float}``); ``quit`` ends it. Anything
else the worker prints must go to stderr. Only the standard library is used here, so the
upstream venv can import this file by path too.
"""

from __future__ import annotations

import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

__all__ = ["load_by_path", "peak_rss_mb", "Worker", "interleave", "serve", "median"]


def load_by_path(name: str, path: str | os.PathLike[str]) -> ModuleType:
    """Import the Python file at ``path`` as module ``name`` (no sys.path changes)."""
    spec = importlib.util.spec_from_file_location(name, str(path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


class Worker:
    """A benchmark worker subprocess speaking the line protocol above."""

    def __init__(
        self, cmd: Sequence[str], cwd: str | os.PathLike[str], env: dict[str, str] | None = None, nice: int = 0
    ) -> None:
        full = ["nice", "-n", str(nice), *cmd] if nice else list(cmd)
        self.proc = subprocess.Popen(
            full,
            cwd=str(cwd),
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=sys.stderr,
            text=True,
            bufsize=1,
        )
        self.ready = self._read()

    def _read(self) -> dict[str, Any]:
        line = self.proc.stdout.readline()
        if not line:
            code = self.proc.wait()
            raise RuntimeError(f"benchmark worker exited with code {code} (its stderr is above)")
        return json.loads(line)

    def request(self, command: str = "run") -> dict[str, Any]:
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self) -> dict[str, Any]:
        """Stop the worker; returns its final report (e.g. peak RSS)."""
        try:
            final = self.request("quit")
        finally:
            self.proc.stdin.close()
            self.proc.wait(timeout=60)
        return final


def interleave(workers: dict[str, Worker], rounds: int) -> dict[str, list[dict[str, Any]]]:
    """Run every worker once per round, alternating which goes first; returns their answers per name."""
    names = list(workers)
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    for r in range(rounds):
        order = names if r % 2 == 0 else names[::-1]
        for name in order:
            results[name].append(workers[name].request("run"))
    return results


def serve(ready: dict[str, Any], run: Callable[[], dict[str, Any]]) -> None:
    """Worker side: announce ``ready``, then answer ``run`` lines until ``quit`` or EOF."""
    out = sys.stdout
    sys.stdout = sys.stderr  # stray prints of the code under test must not break the protocol
    print(json.dumps(ready), file=out, flush=True)
    for line in sys.stdin:
        command = line.strip()
        if command == "run":
            print(json.dumps(run()), file=out, flush=True)
        elif command == "quit":
            print(json.dumps({"peak_rss_mb": peak_rss_mb()}), file=out, flush=True)
            return
