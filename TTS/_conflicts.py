"""Detect the original ``TTS``/``coqui-tts``/``coqpit`` distributions installed beside us.

They install into the same import names (``TTS``, ``coqpit``), so files of one
can shadow the other. We warn once, with the command that fixes it. The check
scans ``sys.path`` for ``*.dist-info``/``*.egg-info`` folders rather than using
``importlib.metadata``, which costs ~0.1 s on every ``import TTS``.
"""

from __future__ import annotations

import os
import sys
import warnings

__all__ = ["conflicting_distributions", "warn_conflicting_distributions"]

# normalised distribution name -> why it conflicts
_CONFLICTS: dict[str, str] = {
    "tts": "the original Coqui TTS also installs the `TTS` package",
    "coqui-tts": "the coqui-tts fork also installs the `TTS` package",
    "coqpit": "the original coqpit installs `coqpit`, which coqpit-config replaces",
}
_DISPLAY = {"tts": "TTS", "coqui-tts": "coqui-tts", "coqpit": "coqpit"}
_SUFFIXES = (".dist-info", ".egg-info")

_warned = False


def _parse(entry: str) -> tuple[str, str] | None:
    """``"coqui_tts-0.28.0.dist-info"`` -> ``("coqui-tts", "0.28.0")``."""
    for suffix in _SUFFIXES:
        if entry.endswith(suffix):
            stem = entry[: -len(suffix)]
            name, _, version = stem.partition("-")
            return name.lower().replace("_", "-").replace(".", "-"), version.split("-")[0] or "?"
    return None


def conflicting_distributions(paths: list[str] | None = None) -> dict[str, str]:
    """Return ``{distribution: version}`` for every conflicting distribution on ``paths``."""
    found: dict[str, str] = {}
    for folder in sys.path if paths is None else paths:
        try:
            entries = os.scandir(folder or ".")
        except OSError:
            continue
        with entries:
            for entry in entries:
                parsed = _parse(entry.name)
                if parsed and parsed[0] in _CONFLICTS:
                    found.setdefault(_DISPLAY[parsed[0]], parsed[1])
    return found


def warn_conflicting_distributions() -> None:
    """Warn once when a conflicting distribution is installed in this environment."""
    global _warned
    if _warned:
        return
    _warned = True
    found = conflicting_distributions()
    if not found:
        return
    names = " ".join(sorted(found))
    details = "; ".join(f"{n} {v} ({_CONFLICTS[n.lower()]})" for n, v in sorted(found.items()))
    reinstall = "coqpit-config coqui-tts-ng" if "coqpit" in found else "coqui-tts-ng"
    warnings.warn(
        f"coqui-tts-ng: conflicting packages are installed: {details}. Fix it with: "
        f"pip uninstall -y {names} && pip install --force-reinstall --no-deps {reinstall}",
        RuntimeWarning,
        stacklevel=3,
    )
