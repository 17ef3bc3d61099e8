"""Loading WavLM from a released ``{"cfg": dict, "model": state_dict}`` file, safely.

The file is read with the one checkpoint loader (``weights_only=True``, allow-list) and never
written. The model is built on the ``meta`` device and takes the file's tensors directly, so the
300M-parameter WavLM-Large is neither randomly initialised nor held twice in memory.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import torch

from TTS.core.checkpoint import load_checkpoint_file
from TTS.core.errors import CheckpointError
from TTS.core.state_dict import fold_weight_norm, load_state_dict_strict
from TTS.vc.layers.wavlm.config import WavLMConfig
from TTS.vc.layers.wavlm.encoder import POS_CONV_NORM_DIM
from TTS.vc.layers.wavlm.model import WavLM

__all__ = ["load_wavlm", "wavlm_from_state_dict", "wavlm_state_dict"]

logger = logging.getLogger(__name__)

_POS_CONV = "encoder.pos_conv.0"


def wavlm_state_dict(state_dict: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """A released (weight-normed) WavLM state dict -> our key set (a new dict; input untouched)."""
    return fold_weight_norm(state_dict, {_POS_CONV: POS_CONV_NORM_DIM})


def wavlm_from_state_dict(
    cfg: WavLMConfig | Mapping[str, Any], state_dict: Mapping[str, torch.Tensor], device: str | torch.device = "cpu"
) -> WavLM:
    """Build a WavLM for ``cfg`` holding exactly ``state_dict`` (strict), in eval mode on ``device``.

    Raises:
        CheckpointError: naming missing, unexpected or mis-shaped keys.
    """
    config = cfg if isinstance(cfg, WavLMConfig) else WavLMConfig(cfg)
    with torch.device("meta"):
        model = WavLM(config)
    load_state_dict_strict(model, wavlm_state_dict(state_dict), assign=True)
    if any(t.is_floating_point() and t.dtype != torch.float32 for t in model.state_dict().values()):
        model.float()  # upstream copies the file's tensors into float32 parameters
    return model.to(device).eval()


def load_wavlm(path: str | os.PathLike[str], device: str | torch.device = "cpu") -> WavLM:
    """Load a ``WavLM-Large.pt``-style file (``{"cfg": dict, "model": state_dict}``).

    Raises:
        CheckpointNotFoundError: no file at ``path``.
        CheckpointError: the file is corrupt, unsafe, not a WavLM checkpoint, or does not match
            its own config; the message says what to do.
    """
    path = Path(path)
    checkpoint = load_checkpoint_file(path, map_location="cpu")
    if not isinstance(checkpoint, Mapping) or not isinstance(checkpoint.get("cfg"), Mapping):
        found = sorted(checkpoint) if isinstance(checkpoint, Mapping) else type(checkpoint).__name__
        raise CheckpointError(
            f"{path} is not a WavLM checkpoint: expected a dict with 'cfg' (a dict of settings) and 'model' "
            f"(the weights), found {found}. Delete it and download WavLM-Large.pt again."
        )
    if not isinstance(checkpoint.get("model"), Mapping):
        raise CheckpointError(f"{path} holds no WavLM weights ('model'). Delete it and download WavLM-Large.pt again.")
    logger.info("Loading WavLM from %s", path)
    try:
        config = WavLMConfig(checkpoint["cfg"])
        config.conv_layers  # noqa: B018 - validate the layer expression before building
    except (TypeError, ValueError) as err:
        raise CheckpointError(f"{path} has an invalid WavLM config ({err}). Delete it and download it again.") from err
    return wavlm_from_state_dict(config, checkpoint["model"], device)
