"""Loading an XTTS model folder: file paths, the vocabulary, and the weights without a second copy.

Weights are read once (:func:`TTS.tts.layers.xtts.checkpoint.read_xtts_state_dict`),
the model is rebuilt on the ``meta`` device (no memory), the keys are checked
strictly, and the loaded tensors are then *assigned* as the parameters, so a
1.8 GB checkpoint is held once. Nothing is ever written back to the file.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch

from TTS.core.errors import InvalidInputError, ModelNotFoundError

if TYPE_CHECKING:
    from TTS.tts.models.xtts import Xtts

__all__ = ["resolve_paths", "read_vocab", "load_weights"]

logger = logging.getLogger(__name__)

PathLike = str | os.PathLike[Any]


def resolve_paths(
    config: Any,
    checkpoint_dir: PathLike | None,
    checkpoint_path: PathLike | None,
    vocab_path: PathLike | None,
    speaker_file_path: PathLike | None,
) -> tuple[Path, Path, Path | None]:
    """(model.pth, vocab.json, speakers_xtts.pth or None) as upstream finds them."""
    if checkpoint_dir is None and checkpoint_path is None:
        raise InvalidInputError("Pass checkpoint_dir=<XTTS model folder> or checkpoint_path=<model.pth>.")
    folder = Path(checkpoint_dir) if checkpoint_dir is not None else Path(checkpoint_path).parent
    if folder.is_file():
        raise InvalidInputError(f"checkpoint_dir={folder} is a file; pass it as checkpoint_path= instead.")
    model_path = Path(checkpoint_path) if checkpoint_path is not None else folder / "model.pth"
    if not model_path.is_file():
        raise ModelNotFoundError(f"XTTS checkpoint not found: {model_path}. Download the model again.")
    if vocab_path is None:
        vocab_path = folder / "vocab.json"
        if not vocab_path.is_file() and config.model_args.tokenizer_file:
            vocab_path = Path(config.model_args.tokenizer_file)
    if not Path(vocab_path).is_file():
        raise ModelNotFoundError(
            f"XTTS vocab.json not found in {folder}. Put it next to model.pth or set model_args.tokenizer_file."
        )
    if speaker_file_path is None:
        candidate = folder / "speakers_xtts.pth"
        speaker_file_path = candidate if candidate.is_file() else None
    return model_path, Path(vocab_path), Path(speaker_file_path) if speaker_file_path is not None else None


def read_vocab(args: Any, vocab_path: PathLike) -> Any:
    """The tokenizer for ``vocab_path``; sets the text-token counts in ``args`` from it (as upstream)."""
    from TTS.tts.layers.xtts.tokenizer import VoiceBpeTokenizer

    tokenizer = VoiceBpeTokenizer(vocab_file=vocab_path)
    vocab = tokenizer.tokenizer
    args.gpt_number_text_tokens = tokenizer.get_number_tokens()
    args.gpt_start_text_token = vocab.token_to_id("[START]")
    args.gpt_stop_text_token = vocab.token_to_id("[STOP]")
    if args.gpt_start_text_token is None or args.gpt_stop_text_token is None:
        raise ModelNotFoundError(f"{vocab_path} has no [START]/[STOP] tokens: it is not an XTTS vocab.json.")
    return tokenizer


def load_weights(model: Xtts, state_dict: dict[str, torch.Tensor], strict: bool = True) -> None:
    """Rebuild ``model``'s layers and load ``state_dict`` (already cleaned) into them.

    strict: every key must match (error names the rest); tensors are adopted, not copied.
    Otherwise mismatches are logged and matching keys are copied into freshly built layers.
    """
    from TTS.core.checkpoint import load_state_dict_strict

    state_dict = {
        k: (v.float() if v.is_floating_point() and v.dtype != torch.float32 else v) for k, v in state_dict.items()
    }
    if not strict:
        model.init_models()
        result = model.load_state_dict(state_dict, strict=False)
        if result.missing_keys or result.unexpected_keys:
            logger.warning(
                "Checkpoint mismatch: missing %s; unexpected %s", result.missing_keys, result.unexpected_keys
            )
        return
    device = model.device
    with torch.device("meta"):  # the GPT holds ~all the weights: build it without memory
        model.build_gpt()
    model.build_decoder()
    with warnings.catch_warnings():  # copies into meta tensors are no-ops by design here
        warnings.simplefilter("ignore", UserWarning)
        load_state_dict_strict(model, state_dict)  # validates names and shapes
    model.load_state_dict(state_dict, strict=True, assign=True)
    if device.type != "cpu":
        model.to(device)
