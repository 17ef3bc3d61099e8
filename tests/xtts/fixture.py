"""The tiny XTTS parity fixture, shared by ``tools/oracle/make_xtts_refs.py`` and our tests.

numpy only (the oracle venv imports this file by path). A 2-layer x 256 GPT with
4 heads and the perceiver resampler, the real HiFi-GAN decoder and ResNet speaker
encoder, 1026 audio codes (start 1024, stop 1025), and a generation limit of 30
codes so a greedy run stays short.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "data" / "parity" / "xtts"
SALT = "xtts"

N_TEXT_TOKENS = 48
START_TEXT_TOKEN = 47
STOP_TEXT_TOKEN = 0
TINY_ARGS: dict[str, object] = {
    "gpt_layers": 2,
    "gpt_n_model_channels": 256,
    "gpt_n_heads": 4,
    "gpt_use_perceiver_resampler": True,
    "gpt_num_audio_tokens": 1026,
    "gpt_start_audio_token": 1024,
    "gpt_stop_audio_token": 1025,
    "gpt_max_audio_tokens": 33,  # at most 30 generated codes
    "gpt_max_text_tokens": 402,
    "gpt_number_text_tokens": N_TEXT_TOKENS,
    "gpt_start_text_token": START_TEXT_TOKEN,
    "gpt_stop_text_token": STOP_TEXT_TOKEN,
    "decoder_input_dim": 256,
}
TEXT_TOKENS: list[int] = [29, 10, 5, 2, 17, 8, 3, 12, 2, 21, 6, 14]
REFERENCE_RATE_HZ = 44100


def _weights_module():
    spec = importlib.util.spec_from_file_location("parity_weights", HERE.parent / "parity" / "weights.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def vocab_tokens() -> dict[str, int]:
    """The tiny vocabulary: ``[STOP] [UNK] [SPACE]``, a-z, a few language tags, ``[START]`` last."""
    vocab = {"[STOP]": 0, "[UNK]": 1, "[SPACE]": 2}
    for i, ch in enumerate("abcdefghijklmnopqrstuvwxyz"):
        vocab[ch] = 3 + i
    for i, tag in enumerate(["[en]", "[es]", "[fr]", "[de]", "[it]", "[pt]", "[pl]", "[tr]", "[ru]", "[nl]"]):
        vocab[tag] = 29 + i
    for i in range(39, START_TEXT_TOKEN):
        vocab[f"{chr(0x3B1 + i - 39)}"] = i
    vocab["[START]"] = START_TEXT_TOKEN
    return vocab


def vocab_json() -> str:
    """A ``tokenizers`` JSON file (BPE without merges) for :func:`vocab_tokens`."""
    specials = ["[STOP]", "[UNK]", "[SPACE]", "[START]"]
    vocab = vocab_tokens()
    doc = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": vocab[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True}
            for t in specials
        ] + [
            {"id": vocab[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True}
            for t in vocab if t.startswith("[") and t not in specials
        ],
        "normalizer": None,
        "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": None,
        "decoder": None,
        "model": {"type": "BPE", "dropout": None, "unk_token": "[UNK]", "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "vocab": vocab,
                  "merges": []},
    }  # fmt: skip
    return json.dumps(doc)


def reference_audio(seconds: float, rate_hz: int = REFERENCE_RATE_HZ, seed: int = 7) -> np.ndarray:
    """A deterministic voice-like signal (T,) float32: a gliding harmonic tone with vibrato, noise and pauses."""
    t = np.arange(int(seconds * rate_hz), dtype=np.float64) / rate_hz
    f0 = 140.0 + 30.0 * np.sin(2 * np.pi * 0.5 * t) + 4.0 * np.sin(2 * np.pi * 5.5 * t)
    phase = 2 * np.pi * np.cumsum(f0) / rate_hz
    voiced = sum(np.sin(k * phase) / k for k in range(1, 12))
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 1.7 * t) ** 2
    noise = np.random.Generator(np.random.PCG64(seed)).standard_normal(t.shape)
    x = 0.25 * envelope * voiced + 0.01 * noise
    x[(t % 1.3) > 1.1] *= 0.05  # short pauses
    return (x / np.abs(x).max() * 0.8).astype(np.float32)


def fixed_latents(frames: int = 20, dim: int = 256) -> np.ndarray:
    """GPT latents (1, frames, dim) for the decoder-only case."""
    return np.random.Generator(np.random.PCG64(11)).standard_normal((1, frames, dim)).astype(np.float32)


def fixed_speaker_embedding(dim: int = 512) -> np.ndarray:
    """A unit-norm speaker embedding (1, dim, 1)."""
    e = np.random.Generator(np.random.PCG64(12)).standard_normal(dim)
    return (e / np.linalg.norm(e)).astype(np.float32).reshape(1, dim, 1)


def fixture_state_dict(
    shapes: Mapping[str, Sequence[int]], computed: Mapping[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Released-layout weights for ``shapes``: deterministic, with realistic values where the model needs them.

    ``computed`` supplies the buffers each side computes itself (mel windows and filterbanks, counters).
    """
    weights = _weights_module()
    state = weights.deterministic_state_dict(shapes, salt=SALT)
    for key, shape in shapes.items():
        if key.endswith(weights.COMPUTED_BUFFER_SUFFIXES):
            state[key] = np.asarray(computed[key]).reshape(shape)
        elif key.endswith("torch_spec.0.filter"):  # the pre-emphasis taps
            state[key] = np.array([[[-0.97, 1.0]]], dtype=np.float32)
        elif key == "mel_stats":  # per-bin log-mel scales of a real model are a few units
            state[key] = (3.0 + 2.0 * np.abs(weights.deterministic_array(key, shape, SALT) * 20.0)).astype(np.float32)
    return state
