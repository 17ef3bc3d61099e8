"""Small helpers that user code imports from ``TTS.utils.generic_utils``.

Only light, dependency-free helpers live here (no torch at import time).
``get_user_data_dir`` decides where downloaded models are kept, exactly as
``TTS`` 0.22 and ``coqui-tts`` 0.28 do, so models they downloaded are found.
"""

from __future__ import annotations

import datetime
import importlib
import logging
import os
import re
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO, TypeVar

__all__ = [
    "ConsoleFormatter",
    "default",
    "exists",
    "find_module",
    "format_aux_input",
    "get_import_path",
    "get_timestamp",
    "get_user_data_dir",
    "import_class",
    "optional_to_str",
    "setup_logger",
    "slugify",
    "to_camel",
]

_T = TypeVar("_T")


def get_user_data_dir(appname: str) -> Path:
    """Return the per-user data folder for ``appname`` (``"tts"`` for the model cache).

    Order: ``$TTS_HOME``, then ``$XDG_DATA_HOME``, then the platform default
    (``~/.local/share`` on Linux, ``~/Library/Application Support`` on macOS,
    Local AppData on Windows), with ``appname`` appended.
    """
    tts_home = os.environ.get("TTS_HOME")
    xdg_data_home = os.environ.get("XDG_DATA_HOME")
    if tts_home is not None:
        base = Path(tts_home).expanduser().resolve(strict=False)
    elif xdg_data_home is not None:
        base = Path(xdg_data_home).expanduser().resolve(strict=False)
    elif sys.platform == "win32":
        base = _windows_local_appdata()
    elif sys.platform == "darwin":
        base = Path("~/Library/Application Support/").expanduser()
    else:
        base = Path.home() / ".local" / "share"
    return base / appname


def _windows_local_appdata() -> Path:
    """Local AppData as the Explorer shell folders registry key reports it (like upstream)."""
    try:
        import winreg

        key = winreg.OpenKey(
            winreg.HKEY_CURRENT_USER, r"Software\Microsoft\Windows\CurrentVersion\Explorer\Shell Folders"
        )
        folder, _ = winreg.QueryValueEx(key, "Local AppData")
        return Path(folder).resolve(strict=False)
    except OSError:  # pragma: no cover - only on unusual Windows setups
        return Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")).resolve(strict=False)


def exists(val: _T | None) -> bool:
    """True when ``val`` is not None."""
    return val is not None


def default(val: _T | None, d: _T | Callable[[], _T]) -> _T:
    """``val`` unless it is None, else ``d`` (called first when it is callable)."""
    if val is not None:
        return val
    return d() if callable(d) else d


def to_camel(text: str) -> str:
    """``"hifigan_generator"`` -> ``"HifiganGenerator"`` (upstream's class-name convention)."""
    text = text.capitalize()
    text = re.sub(r"(?!^)_([a-zA-Z])", lambda m: m.group(1).upper(), text)
    # Acronyms the released class names spell in capitals (``KNNVC``, ``TTS``).
    for plain, caps in (("Tts", "TTS"), ("vc", "VC"), ("Knn", "KNN")):
        text = text.replace(plain, caps)
    return text


def slugify(text: str) -> str:
    """A file-name-safe base name for ``text`` (e.g. a speaker id): ASCII, other characters as ``_``."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\-]", "_", text)
    return re.sub(r"_+", "_", text).strip("_")


def find_module(module_path: str, module_name: str) -> Any:
    """Import ``module_path.module_name`` and return the class named after it in CamelCase."""
    module_name = module_name.lower()
    module = importlib.import_module(f"{module_path}.{module_name}")
    return getattr(module, to_camel(module_name))


def import_class(module_path: str) -> Any:
    """Return the object named by a dotted path, e.g. ``"TTS.tts.models.vits.Vits"``."""
    module_name, _, class_name = module_path.rpartition(".")
    return getattr(importlib.import_module(module_name), class_name)


def get_import_path(obj: object) -> str:
    """The dotted import path of ``obj``'s class (``module.ClassName``)."""
    cls = type(obj)
    return f"{cls.__module__}.{cls.__name__}"


def format_aux_input(def_args: dict, kwargs: dict) -> dict:
    """Fill the keys missing (or None) in ``kwargs`` from ``def_args``; returns a new dict."""
    merged = dict(kwargs)
    for name, value in def_args.items():
        if merged.get(name) is None:
            merged[name] = value
    return merged


def get_timestamp() -> str:
    """Local time as ``yymmdd-HHMMSS`` (used in log and run folder names)."""
    return datetime.datetime.now().strftime("%y%m%d-%H%M%S")


def optional_to_str(x: Any | None) -> str:
    """``str(x)``, or an empty string for None."""
    return "" if x is None else str(x)


class ConsoleFormatter(logging.Formatter):
    """INFO records as the bare message, other levels as ``LEVEL: message`` (the CLI's look)."""

    def format(self, record: logging.LogRecord) -> str:
        fmt = "%(message)s" if record.levelno == logging.INFO else "%(levelname)s: %(message)s"
        self._style._fmt = fmt
        return super().format(record)


def setup_logger(
    logger_name: str,
    level: int = logging.INFO,
    *,
    formatter: logging.Formatter | None = None,
    stream: TextIO | None = None,
    log_dir: str | os.PathLike[Any] | None = None,
    log_name: str = "log",
) -> None:
    """Configure ``logger_name``: level, and a stream and/or a timestamped file handler."""
    logger = logging.getLogger(logger_name)
    logger.setLevel(level)
    if formatter is None:
        formatter = logging.Formatter(
            "%(asctime)s.%(msecs)03d - %(levelname)-8s - %(name)s: %(message)s", datefmt="%y-%m-%d %H:%M:%S"
        )
    if log_dir is not None:
        Path(log_dir).mkdir(parents=True, exist_ok=True)
        file_handler = logging.FileHandler(Path(log_dir) / f"{log_name}_{get_timestamp()}.log", mode="w")
        file_handler.setFormatter(formatter)
        logger.addHandler(file_handler)
    if stream is not None:
        stream_handler = logging.StreamHandler(stream)
        stream_handler.setFormatter(formatter)
        logger.addHandler(stream_handler)
