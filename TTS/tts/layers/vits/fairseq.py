"""Fairseq MMS VITS voices (``tts_models/<iso>/fairseq/vits``): vocabulary, cleaners, weights.

A voice folder holds ``G_100000.pth`` (original-VITS key names), the training
``config.json`` (sample rate, blank insertion, uroman data) and ``vocab.txt``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from torch import nn

from TTS.core.errors import ModelNotFoundError
from TTS.tts.layers.vits.checkpoint import clean_state_dict, rename_fairseq_keys

if TYPE_CHECKING:
    from TTS.tts.models.vits import Vits

__all__ = ["fairseq_setup"]


def fairseq_setup(model: Vits, checkpoint_path: Path, strict: bool = True) -> None:
    """Give ``model`` the voice's tokenizer, embedding size, sample rate and weights."""
    from TTS.core.checkpoint import load_checkpoint_file, load_state_dict_strict
    from TTS.tts.utils.text import cleaners
    from TTS.tts.utils.text.characters import FairseqVocab
    from TTS.tts.utils.text.tokenizer import TTSTokenizer

    folder = checkpoint_path.parent
    config_file, vocab_file = folder / "config.json", folder / "vocab.txt"
    for f in (config_file, vocab_file):
        if not f.is_file():
            raise ModelNotFoundError(f"{f} is missing: a Fairseq MMS voice needs config.json and vocab.txt.")
    with config_file.open(encoding="utf-8") as f:
        data = json.load(f)["data"]
    model.config.audio["sample_rate"] = data["sampling_rate"]
    # Voices trained on romanised text (training file "*.uroman") need uroman at inference too.
    is_uroman = str(data.get("training_files", "")).endswith("uroman")
    vocab = FairseqVocab.init_from_vocab_file(vocab_file)
    model.text_encoder.emb = nn.Embedding(vocab.num_chars, model.args.hidden_channels)
    model.args.num_chars = vocab.num_chars
    model.tokenizer = TTSTokenizer(
        use_phonemes=False,
        text_cleaner=cleaners.uroman_cleaners if is_uroman else cleaners.basic_cleaners,
        characters=vocab,
        phonemizer=None,
        add_blank=bool(data.get("add_blank", True)),
        use_eos_bos=False,
    )
    state = load_checkpoint_file(checkpoint_path)
    state_dict = clean_state_dict(rename_fairseq_keys(state.get("model", state)))
    if strict:
        load_state_dict_strict(model, state_dict)
    else:
        model.load_state_dict(state_dict, strict=False)
