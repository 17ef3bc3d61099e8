"""Seeded test recordings for the VAD parity test, rendered from small JSON recipes.

Loaded by file path both by ``tools/oracle/make_vad_refs.py`` (oracle venv) and by
``tests/core/test_vad_parity.py``, so that only the recipes, not the samples, are
committed. NumPy only. Recordings are quantised to 16-bit PCM so that a last-bit
difference in ``np.sin`` cannot change the input.

A recipe is ``{"rate": Hz, "channels": [channel, ...]}``; a channel is
``{"segments": [segment, ...], "floor": amplitude, "floor_seed": int}`` (the floor is
white noise under the whole channel; channels are zero-padded to the longest). A
segment is ``{"kind": ..., "seconds": ...}`` plus, by kind:

- ``silence``: nothing else;
- ``tone``: ``freq``, ``amp``;
- ``voiced``: ``f0``, ``amp`` (five harmonics, vibrato and tremolo);
- ``noise``: ``amp``, ``seed`` (white);
- ``am_noise``: ``amp``, ``seed``, ``syllable_hz`` (white noise under a syllable envelope).

:func:`random_case` draws a whole case (recipe, sample dtype, VAD options) from a seed,
for the fuzzed part of the parity test.
"""

from __future__ import annotations

import random

import numpy as np

__all__ = ["render_pcm", "random_case"]

_FADE_SECONDS = 0.01


def _fade(x: np.ndarray, rate: int) -> np.ndarray:
    n = min(int(rate * _FADE_SECONDS), len(x) // 2)
    if n > 0:
        ramp = np.linspace(0.0, 1.0, n, endpoint=False)
        x[:n] *= ramp
        x[-n:] *= ramp[::-1]
    return x


def _segment(seg: dict, rate: int) -> np.ndarray:
    n = int(round(seg["seconds"] * rate))
    t = np.arange(n, dtype=np.float64) / rate
    kind = seg["kind"]
    if kind == "silence":
        return np.zeros(n)
    if kind == "tone":
        return _fade(seg["amp"] * np.sin(2 * np.pi * seg["freq"] * t), rate)
    if kind == "voiced":
        f0 = seg["f0"] * (1.0 + 0.1 * np.sin(2 * np.pi * 3.0 * t))
        phase = 2 * np.pi * np.cumsum(f0) / rate
        harmonics = sum(np.sin(k * phase) / k for k in range(1, 6))
        return _fade(seg["amp"] * harmonics * (0.8 + 0.2 * np.sin(2 * np.pi * 5.0 * t)), rate)
    rng = np.random.default_rng(seg["seed"])
    if kind == "noise":
        return seg["amp"] * rng.standard_normal(n)
    if kind == "am_noise":
        envelope = np.clip(np.sin(2 * np.pi * seg["syllable_hz"] * t), 0.0, None) ** 2
        return _fade(seg["amp"] * envelope * rng.standard_normal(n), rate)
    raise ValueError(f"unknown segment kind {kind!r}")


def render_pcm(recipe: dict) -> np.ndarray:
    """The recording of ``recipe`` as int16 PCM, shape ``(channels, T)``."""
    rate = recipe["rate"]
    channels = [np.concatenate([_segment(s, rate) for s in ch["segments"]]) for ch in recipe["channels"]]
    length = max(len(c) for c in channels)
    out = np.zeros((len(channels), length))
    for i, (ch, samples) in enumerate(zip(recipe["channels"], channels, strict=True)):
        out[i, : len(samples)] = samples
        if ch.get("floor", 0.0) > 0:
            out[i] += ch["floor"] * np.random.default_rng(ch["floor_seed"]).standard_normal(length)
    return np.clip(np.round(out * 32767.0), -32768, 32767).astype(np.int16)


# option, low, high: each is drawn with probability 0.4 in half of the fuzzed cases
_FUZZ_OPTIONS = [
    ("trigger_time", 0.05, 0.5),
    ("search_time", 0.2, 2.0),
    ("allowed_gap", 0.0, 0.5),
    ("pre_trigger_time", 0.0, 0.4),
    ("boot_time", 0.0, 0.6),
    ("noise_up_time", 0.05, 0.3),
    ("noise_down_time", 0.005, 0.05),
    ("noise_reduction_amount", 0.0, 2.0),
    ("measure_freq", 10.0, 40.0),
    ("measure_smooth_time", 0.1, 0.8),
]


def _random_segment(rng: random.Random) -> dict:
    kind = rng.choice(["silence", "silence", "voiced", "voiced", "tone", "noise", "am_noise"])
    seg = {"kind": kind, "seconds": round(rng.uniform(0.02, 1.2), 3)}
    if kind == "voiced":
        seg.update(f0=round(rng.uniform(80, 300), 1), amp=round(10 ** rng.uniform(-3, -0.3), 5))
    elif kind == "tone":
        seg.update(freq=round(rng.uniform(60, 3000), 1), amp=round(10 ** rng.uniform(-3, -0.3), 5))
    elif kind == "noise":
        seg.update(amp=round(10 ** rng.uniform(-3, -1), 5), seed=rng.randrange(1000))
    elif kind == "am_noise":
        seg.update(amp=round(10 ** rng.uniform(-2, -0.5), 5), seed=rng.randrange(1000))
        seg["syllable_hz"] = round(rng.uniform(2, 8), 2)
    return seg


def random_case(seed: int) -> tuple[dict, str, str, dict]:
    """A random case: ``(recipe, dtype, layout, vad keyword arguments)``.

    Sample rates 8-48 kHz, one to three channels (``layout`` ``"mono"`` for one, else
    ``"channels"``), float32 mostly, sometimes float64 or int16.
    """
    rng = random.Random(seed)
    rate = rng.choice([8000, 16000, 22050, 24000, 44100, 48000])
    channels = [
        {
            "segments": [_random_segment(rng) for _ in range(rng.randint(1, 6))],
            "floor": rng.choice([0.0, 1e-4, 1e-3, 1e-2, 3e-2]),
            "floor_seed": rng.randrange(1000),
        }
        for _ in range(rng.choice([1, 1, 1, 2, 3]))
    ]
    kwargs = {"trigger_level": rng.choice([1.0, 3.0, 5.0, 6.3, 7.0, 8.5, 10.0, 12.0])}
    if rng.random() < 0.5:
        for name, low, high in _FUZZ_OPTIONS:
            if rng.random() < 0.4:
                kwargs[name] = round(rng.uniform(low, high), 3)
    dtype = rng.choice(["float32"] * 6 + ["float64", "int16"])
    return {"rate": rate, "channels": channels}, dtype, "mono" if len(channels) == 1 else "channels", kwargs
