"""coqui-tts-ng: a maintained drop-in distribution of Coqui TTS.

Importing ``TTS`` is cheap: it loads no torch. Heavy modules are imported by
the entry points that need them (``TTS.api``, ``TTS.utils.synthesizer``).
"""

from __future__ import annotations

import logging
from pathlib import Path

from TTS._conflicts import warn_conflicting_distributions

__version__ = (Path(__file__).parent / "VERSION").read_text(encoding="utf-8").strip()

logging.getLogger(__name__).addHandler(logging.NullHandler())

warn_conflicting_distributions()
