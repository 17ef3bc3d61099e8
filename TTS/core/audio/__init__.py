"""The shared audio front-end: file I/O, the resampler and the mel front-end.

Submodules are imported on first use so that ``import TTS.core.audio`` stays cheap
(no torch): ``io`` (``load_audio``, ``save_wav``, ``wav_to_bytes``), ``resample``
(``resample``; import it as ``from TTS.core.audio.resample import resample``, the
package attribute of that name is the submodule), ``mel`` (``MelSpectrogram``, ``Spectrogram``, ``MelScale``,
``melscale_fbanks``, ``mel_filterbank``), ``spectral`` (NumPy STFT helpers) and ``vad``
(``Vad``, ``trim_silence_both_ends``; the function ``vad`` is imported as
``from TTS.core.audio.vad import vad`` for the same reason as ``resample``).
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "AudioLoadError",
    "load_audio",
    "save_wav",
    "wav_to_bytes",
    "write_wav",
    "MelSpectrogram",
    "Spectrogram",
    "MelScale",
    "melscale_fbanks",
    "mel_filterbank",
    "Vad",
    "trim_silence_both_ends",
]

_HOME = {
    "AudioLoadError": "TTS.core.errors",
    "load_audio": "TTS.core.audio.io",
    "save_wav": "TTS.core.audio.io",
    "wav_to_bytes": "TTS.core.audio.io",
    "write_wav": "TTS.core.audio.io",
    "MelSpectrogram": "TTS.core.audio.mel",
    "Spectrogram": "TTS.core.audio.mel",
    "MelScale": "TTS.core.audio.mel",
    "melscale_fbanks": "TTS.core.audio.mel",
    "mel_filterbank": "TTS.core.audio.mel",
    "Vad": "TTS.core.audio.vad",
    "trim_silence_both_ends": "TTS.core.audio.vad",
}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(importlib.import_module(_HOME[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
