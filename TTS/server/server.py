"""``tts-server``: the HTTP demo server is not part of coqui-tts-ng yet.

The entry point exists so that installing the package keeps the command; it
says so clearly and exits with status 2 instead of failing on an import.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["main"]

MESSAGE = (
    "tts-server: error: the TTS server is not available in coqui-tts-ng yet. "
    "Use the `tts` command or the Python API (from TTS.api import TTS) meanwhile."
)


def main(arg_list: Sequence[str] | None = None) -> None:
    """Entry point of the ``tts-server`` console script: report that the server is not available."""
    del arg_list
    sys.stderr.write(MESSAGE + "\n")
    sys.exit(2)


if __name__ == "__main__":
    main()
