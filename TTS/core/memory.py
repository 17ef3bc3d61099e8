"""Hand freed heap memory back to the operating system after a one-off weight conversion.

Converting a model's weights in place (packing them for oneDNN, quantizing them to int8)
allocates a new copy of each weight and frees the old one. glibc keeps such freed blocks
in its heap for reuse instead of returning them, so the process keeps the old copies'
size in resident memory for good: about 0.47 GB after the XTTS GPT's first pass. One
``malloc_trim(0)`` after the conversion returns them. Elsewhere (macOS, Windows, musl)
this does nothing.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import sys
from collections.abc import Callable

__all__ = ["release_free_heap"]

logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim = ctypes.CDLL(None).malloc_trim  # the C library this process runs with
    except (OSError, AttributeError):  # not glibc
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release_free_heap() -> bool:
    """Return free heap pages to the OS where the C library can (glibc); True when some were released."""
    trim = _malloc_trim()
    if trim is None:
        return False
    released = bool(trim(0))
    logger.debug("malloc_trim: %s", "memory released" if released else "nothing to release")
    return released
