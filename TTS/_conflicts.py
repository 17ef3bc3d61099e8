"""Detect the original ``TTS``/``coqui-tts``/``coqpit`` distributions installed beside us.

They install into the same import names (``TTS``, ``coqpit``), so files of one
can shadow the other. We warn once, with the command that fixes it.
"""

from __future__ import annotations

import warnings
from importlib import metadata

__all__ = ["conflicting_distributions", "warn_conflicting_distributions"]

# distribution name -> why it conflicts
_CONFLICTS: dict[str, str] = {
    "TTS": "the original Coqui TTS also installs the `TTS` package",
    "coqui-tts": "the coqui-tts fork also installs the `TTS` package",
    "coqpit": "the original coqpit installs `coqpit`, which coqpit-config replaces",
}

_warned = False


def conflicting_distributions() -> dict[str, str]:
    """Return ``{distribution: version}`` for every conflicting distribution installed."""
    found: dict[str, str] = {}
    for name in _CONFLICTS:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        # importlib.metadata normalises lookups; make sure it is really that project.
        real = (dist.metadata["Name"] or "").lower().replace("_", "-")
        if real == name.lower():
            found[name] = dist.version
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
    details = "; ".join(f"{n} {v} ({_CONFLICTS[n]})" for n, v in sorted(found.items()))
    reinstall = "coqpit-config coqui-tts-ng" if "coqpit" in found else "coqui-tts-ng"
    warnings.warn(
        f"coqui-tts-ng: conflicting packages are installed: {details}. Fix it with: "
        f"pip uninstall -y {names} && pip install --force-reinstall --no-deps {reinstall}",
        RuntimeWarning,
        stacklevel=3,
    )
