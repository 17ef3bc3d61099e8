"""Reference trims of ``torchaudio.functional.vad`` for ``tests/core/test_vad_parity.py``.

Run with the oracle venv (torchaudio) from a directory outside the repo::

    cd /tmp && /work/oracle/venv/bin/python /work/main/tools/oracle/make_vad_refs.py

Inputs are seeded recipes rendered to 16-bit PCM by ``tests/data/parity/vad/signals.py``
(loaded by file path; the test renders them the same way). For each case this runs
``torchaudio.functional.vad`` with the case's options, and the front/flip/front/flip
trim that upstream kNN-VC applies with ``torchaudio.transforms.Vad(sample_rate,
trigger_level)`` (recorded as an error where the first pass leaves nothing: torchaudio
cannot take an empty tensor). Both outputs are slices of the input, so each is stored
as its start, length, first and last samples and a SHA-256 of its bytes. Then
``FUZZ_CASES`` random cases (``signals.random_case(seed)``: any of six sample rates, one
to three channels, three dtypes, random options) store only start and length. Writes
``tests/data/parity/vad/refs.json``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import sys
from pathlib import Path

import numpy as np
import torch
import torchaudio

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "tests" / "data" / "parity" / "vad"
if Path.cwd().resolve() == REPO or REPO in Path.cwd().resolve().parents:
    sys.exit("Run this from a folder outside the repository (our TTS package would shadow upstream's).")

_spec = importlib.util.spec_from_file_location("vad_signals", OUT / "signals.py")
signals = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(signals)

EDGE = 8  # samples stored from each end of an output
FUZZ_CASES = 60  # seeds 0..FUZZ_CASES-1 of signals.random_case; only start and length are stored


def silence(seconds):
    return {"kind": "silence", "seconds": seconds}


def voiced(seconds, f0=140.0, amp=0.4):
    return {"kind": "voiced", "seconds": seconds, "f0": f0, "amp": amp}


def tone(seconds, freq=440.0, amp=0.3):
    return {"kind": "tone", "seconds": seconds, "freq": freq, "amp": amp}


def noise(seconds, amp, seed):
    return {"kind": "noise", "seconds": seconds, "amp": amp, "seed": seed}


def am_noise(seconds, amp, seed, syllable_hz=4.0):
    return {"kind": "am_noise", "seconds": seconds, "amp": amp, "seed": seed, "syllable_hz": syllable_hz}


def channel(*segments, floor=0.0, floor_seed=0):
    return {"segments": list(segments), "floor": floor, "floor_seed": floor_seed}


def recipe(rate, *channels):
    return {"rate": rate, "channels": list(channels)}


VOICED_16K = recipe(
    16000,
    channel(silence(0.6), voiced(0.8, 130), silence(0.3), voiced(0.5, 180), silence(0.9), floor=3e-4, floor_seed=1),
)
NOISY_22K = recipe(22050, channel(silence(0.8), voiced(1.0, 110, 0.3), silence(0.7), floor=0.01, floor_seed=2))
AM_NOISE_24K = recipe(24000, channel(silence(1.2), am_noise(1.5, 0.3, 11), silence(0.2), floor=1e-3, floor_seed=3))
BURSTS = [silence(0.7), tone(0.06), silence(0.15), tone(0.06, 300), silence(0.15), voiced(0.8), silence(0.5)]
STEREO_16K = recipe(
    16000,
    channel(silence(1.0), voiced(0.6), silence(0.4), floor=2e-4, floor_seed=5),
    channel(silence(0.6), voiced(0.5, 200), silence(0.9), floor=2e-4, floor_seed=6),
)
CUSTOM = {
    "trigger_level": 5.0,
    "trigger_time": 0.1,
    "search_time": 0.5,
    "allowed_gap": 0.1,
    "pre_trigger_time": 0.1,
    "boot_time": 0.2,
    "noise_up_time": 0.2,
    "noise_down_time": 0.02,
    "noise_reduction_amount": 0.5,
    "measure_freq": 25.0,
    "measure_duration": 0.05,
    "measure_smooth_time": 0.2,
    "hp_filter_freq": 100.0,
    "lp_filter_freq": 4000.0,
    "hp_lifter_freq": 100.0,
    "lp_lifter_freq": 1000.0,
}

# name, recipe, dtype, layout (mono / channels / 3d), vad keyword arguments
CASES = [
    *[(f"voiced_16k_lv{lv}", VOICED_16K, "float32", "mono", {"trigger_level": lv}) for lv in (3.0, 7.0, 10.0)],
    ("voiced_16k_lv6.3", VOICED_16K, "float32", "mono", {"trigger_level": 6.3}),
    *[(f"noisy_voiced_22k_lv{lv}", NOISY_22K, "float32", "mono", {"trigger_level": lv}) for lv in (3.0, 7.0, 10.0)],
    (
        "very_noisy_22k_lv7",
        recipe(22050, channel(silence(0.5), voiced(0.8, 150, 0.2), silence(0.5), floor=0.05, floor_seed=4)),
        "float32",
        "mono",
        {"trigger_level": 7.0},
    ),
    *[(f"am_noise_24k_lv{lv}", AM_NOISE_24K, "float32", "mono", {"trigger_level": lv}) for lv in (3.0, 7.0)],
    (
        "speechlike_24k_lv7",
        recipe(
            24000,
            channel(
                silence(0.4),
                voiced(0.3, 120),
                silence(0.1),
                voiced(0.4, 200, 0.3),
                silence(0.15),
                voiced(0.3, 160),
                am_noise(0.2, 0.05, 12, 8.0),
                silence(0.6),
                floor=5e-4,
                floor_seed=7,
            ),
        ),
        "float32",
        "mono",
        {"trigger_level": 7.0},
    ),
    ("long_lead_16k_lv7", recipe(16000, channel(silence(2.5), voiced(0.7), silence(0.05))), "float32", "mono", {}),
    (
        "no_lead_22k_lv7",
        recipe(22050, channel(voiced(0.9, 170), silence(1.5), floor=1e-4, floor_seed=8)),
        "float32",
        "mono",
        {},
    ),
    ("all_silence_16k", recipe(16000, channel(silence(1.5))), "float32", "mono", {}),
    ("noise_only_24k", recipe(24000, channel(noise(2.0, 0.05, 13))), "float32", "mono", {}),
    ("noise_only_24k_lv10", recipe(24000, channel(noise(2.0, 0.05, 13))), "float32", "mono", {"trigger_level": 10.0}),
    ("tone_bursts_16k_lv7", recipe(16000, channel(*BURSTS, floor=2e-4, floor_seed=9)), "float32", "mono", {}),
    ("tone_bursts_22k_custom", recipe(22050, channel(*BURSTS, floor=2e-4, floor_seed=9)), "float32", "mono", CUSTOM),
    ("stereo_16k_lv7", STEREO_16K, "float32", "channels", {}),
    (
        "stereo_swapped_16k_lv3",
        recipe(16000, STEREO_16K["channels"][1], STEREO_16K["channels"][0]),
        "float32",
        "channels",
        {"trigger_level": 3.0},
    ),
    ("batch3d_16k_lv7", STEREO_16K, "float32", "3d", {}),
    ("short_16k", recipe(16000, channel(silence(0.02), voiced(0.05))), "float32", "mono", {}),
    ("pre_trigger_16k", VOICED_16K, "float32", "mono", {"pre_trigger_time": 0.3}),
    ("silence_pre_trigger_16k", recipe(16000, channel(silence(1.0))), "float32", "mono", {"pre_trigger_time": 0.2}),
    ("short_pre_trigger_16k", recipe(16000, channel(silence(0.3))), "float32", "mono", {"pre_trigger_time": 0.5}),
    # 25600 samples = frame (1600) + 30 hops (800): the frame ending at the last sample is skipped
    ("end_aligned_16k", recipe(16000, channel(silence(1.0), voiced(0.6))), "float32", "mono", {}),
    ("float64_16k_lv7", VOICED_16K, "float64", "mono", {}),
    ("int16_16k_lv7", VOICED_16K, "int16", "mono", {}),
]


def make_input(pcm: np.ndarray, dtype: str, layout: str) -> torch.Tensor:
    """``pcm``: int16 ``(C, T)`` -> the tensor handed to vad."""
    if dtype == "int16":
        x = torch.from_numpy(pcm.copy())
    else:
        x = torch.from_numpy(pcm.astype(np.float32) / 32768.0).to(getattr(torch, dtype))
    if layout == "mono":
        return x[0]
    if layout == "3d":
        return x[:, None]
    return x


def describe(out: torch.Tensor, start: int) -> dict:
    flat = out.reshape(math.prod(out.shape[:-1]), out.shape[-1])
    return {
        "start": start,
        "length": out.shape[-1],
        "shape": list(out.shape),
        "head": flat[:, :EDGE].double().tolist(),
        "tail": flat[:, -EDGE:].double().tolist() if out.shape[-1] else [[] for _ in flat],
        "sha256": hashlib.sha256(out.contiguous().numpy().tobytes()).hexdigest(),
    }


def main() -> None:
    cases = []
    for name, rec, dtype, layout, kwargs in CASES:
        pcm = signals.render_pcm(rec)
        x = make_input(pcm, dtype, layout)
        total = x.shape[-1]
        rate = rec["rate"]
        front = torchaudio.functional.vad(x, rate, **kwargs)
        # vad returns a view of its input, so the offset of that view is where the kept part starts
        front_start = front.storage_offset() - x.storage_offset()
        assert torch.equal(front, x[..., front_start : front_start + front.shape[-1]]), name
        level = kwargs.get("trigger_level", 7.0)
        transform = torchaudio.transforms.Vad(sample_rate=rate, trigger_level=level)
        step = transform(x)
        try:
            both = torch.flip(transform(torch.flip(step, (-1,))), (-1,))
        except RuntimeError as exc:  # torchaudio cannot take the empty result of the first pass
            both_ends = {"trigger_level": level, "error": f"{type(exc).__name__}: {exc}"}
        else:
            # the second pass only shortens the end, so both ends start where the first pass did
            both_start = step.storage_offset() - x.storage_offset()
            assert torch.equal(both, x[..., both_start : both_start + both.shape[-1]]), name
            both_ends = {"trigger_level": level, **describe(both, both_start)}
        cases.append(
            {
                "name": name,
                "recipe": rec,
                "dtype": dtype,
                "layout": layout,
                "kwargs": kwargs,
                "input_length": total,
                "pcm_sha256": hashlib.sha256(pcm.tobytes()).hexdigest(),
                "vad": describe(front, front_start),
                "both_ends": both_ends,
            }
        )
        both_text = both_ends.get("error", "").split(":")[0] or f"start={both_start:6d} len={both.shape[-1]:6d}"
        print(f"{name:28s} T={total:6d} vad start={front_start:6d} len={front.shape[-1]:6d} both {both_text}")
    fuzz = []
    for seed in range(FUZZ_CASES):
        rec, dtype, layout, kwargs = signals.random_case(seed)
        pcm = signals.render_pcm(rec)
        x = make_input(pcm, dtype, layout)
        out = torchaudio.functional.vad(x, rec["rate"], **kwargs)
        fuzz.append(
            {
                "seed": seed,
                "pcm_sha256": hashlib.sha256(pcm.tobytes()).hexdigest(),
                "start": out.storage_offset() - x.storage_offset(),
                "length": out.shape[-1],
            }
        )
    trimmed = sum(f["start"] > 0 for f in fuzz)
    print(f"fuzz: {len(fuzz)} cases, {trimmed} trimmed at the front, {sum(f['length'] == 0 for f in fuzz)} empty")
    refs = {
        "torch": torch.__version__,
        "torchaudio": torchaudio.__version__,
        "edge": EDGE,
        "cases": cases,
        "fuzz": fuzz,
    }
    path = OUT / "refs.json"
    path.write_text(json.dumps(refs, indent=1) + "\n")
    print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
