"""WavLM under upstream's import path, and the released WavLM-Large weights.

``get_wavlm()`` downloads ``WavLM-Large.pt`` once into the user data folder
(``<data dir>/tts/wavlm/WavLM-Large.pt``, the place upstream uses, so a file it downloaded is
reused) and loads it safely. An existing file is only ever read.
"""

from __future__ import annotations

import logging
from pathlib import Path

import torch

from TTS.core.errors import CheckpointError, DownloadError
from TTS.utils.generic_utils import get_user_data_dir
from TTS.vc.layers.wavlm import WavLM, WavLMConfig, load_wavlm

__all__ = ["WAVLM_URL", "WavLM", "WavLMConfig", "get_wavlm", "model_uri", "wavlm_path"]

logger = logging.getLogger(__name__)

WAVLM_URL = "https://github.com/coqui-ai/TTS/releases/download/v0.13.0_models/WavLM-Large.pt"
#: Upstream's name for the same URL.
model_uri = WAVLM_URL


def wavlm_path() -> Path:
    """Where ``get_wavlm`` keeps WavLM-Large: ``get_user_data_dir("tts") / "wavlm" / "WavLM-Large.pt"``."""
    return get_user_data_dir("tts") / "wavlm" / "WavLM-Large.pt"


def _download(path: Path) -> None:
    """Fetch the released file to ``path`` (atomically; another process waits for the first)."""
    from TTS.utils.download import fetch_url, file_lock

    with file_lock(path.parent / ".locks" / f"{path.name}.lock"):
        if path.exists():  # another process finished it while we waited
            return
        logger.info("Downloading WavLM model to %s ...", path)
        try:
            fetch_url(WAVLM_URL, path)
        except DownloadError as err:
            raise DownloadError(f"{err} Download {WAVLM_URL} yourself and save it as {path}, then retry.") from err


def get_wavlm(device: str | torch.device = "cpu") -> WavLM:
    """WavLM-Large in eval mode on ``device``, downloaded on first use.

    Raises:
        DownloadError: the file is missing and could not be downloaded.
        CheckpointError: the file is corrupt, truncated or unsafe; delete it to download it again.
    """
    path = wavlm_path()
    if not path.exists():
        _download(path)
    try:
        return load_wavlm(path, device)
    except CheckpointError as err:
        raise type(err)(
            f"{err} (WavLM-Large is read from {path}; once the file is deleted, get_wavlm() downloads it again.)"
        ) from err
