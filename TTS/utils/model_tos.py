"""Terms of service for models that require an explicit agreement (XTTS: the Coqui CPML).

An agreement is ``COQUI_TOS_AGREED=1`` in the environment or a ``tos_agreed.txt`` in the
model folder (what ``TTS`` 0.22 and ``coqui-tts`` 0.28 write, so their agreements carry
over). Without one we ask on the terminal; with no terminal we fail with how to agree.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from TTS.core.errors import InvalidInputError
from TTS.utils.model_paths import write_atomic

__all__ = ["CPML_URL", "TOS_FILE", "ask_tos", "ensure_tos", "tos_agreed"]

TOS_FILE = "tos_agreed.txt"
CPML_URL = "https://tts-hub.github.io/cpml"
_AGREEMENT = "I have read, understood and agreed to the Terms and Conditions."


def tos_agreed(model_item: Mapping[str, Any], model_full_path: str | os.PathLike[str]) -> bool:
    """Whether no agreement is needed, or the environment / ``tos_agreed.txt`` gives it."""
    if not model_item.get("tos_required"):
        return True
    return os.environ.get("COQUI_TOS_AGREED") == "1" or (Path(model_full_path) / TOS_FILE).is_file()


def ask_tos(model_full_path: str | os.PathLike[str]) -> bool:
    """Ask on the terminal to accept the CPML; on "y" record it in ``tos_agreed.txt``."""
    sys.stderr.write(
        "You must confirm the following:\n"
        ' "I have purchased a commercial license from Coqui: licensing@coqui.ai"\n'
        f' "Otherwise, I agree to the terms of the non-commercial CPML: {CPML_URL}" - [y/n]\n'
        "   > "
    )
    sys.stderr.flush()
    if sys.stdin.readline().strip().lower() != "y":
        return False
    folder = Path(model_full_path)
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / TOS_FILE, _AGREEMENT)
    return True


def ensure_tos(model_name: str, model_item: Mapping[str, Any], model_full_path: str | os.PathLike[str]) -> None:
    """Return when agreed (asking if a terminal is attached); raise InvalidInputError otherwise."""
    if tos_agreed(model_item, model_full_path):
        return
    how = f"set COQUI_TOS_AGREED=1, or create {Path(model_full_path) / TOS_FILE}"
    licence = model_item.get("license") or "licence"
    if sys.stdin is None or not sys.stdin.isatty():
        raise InvalidInputError(
            f"{model_name} requires accepting the {licence} terms ({CPML_URL}), and there is no terminal to ask. "
            f"To agree, {how}."
        )
    if not ask_tos(model_full_path):
        raise InvalidInputError(f"You must agree to the terms of service to use {model_name} ({how}).")
