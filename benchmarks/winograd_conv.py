"""Winograd vs direct convolution, per HiFi-GAN conv shape and for whole decoders (ours only, CPU).

    python benchmarks/winograd_conv.py [--threads 2] [--rounds 8]

Per shape: one 'same' conv (channels x channels, kernel 3/7/11, dilation 1/3/5) on a time tile of
the length the decoders use, through the channels-last direct kernel (oneDNN) and through
``TTS.core.layers.winograd``; minimum of ``--rounds`` alternating timings, and the largest
difference. Then the full-size XTTS HiFi-GAN decoder (4.6 s of audio) and the vctk-shaped VITS
waveform decoder (10 s) with ``TTS_WINOGRAD=1`` and ``=0``, alternating.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import time
from collections.abc import Callable
from pathlib import Path

import torch
from torch import nn

REPO = Path(__file__).resolve().parents[1]
SHAPES = ((256, 1800), (128, 4060), (64, 8000))  # (channels, frames per time tile)


def best_of(fns: dict[str, Callable[[], object]], rounds: int, reps: int = 3) -> dict[str, float]:
    """Minimum seconds per call of each function, timed in alternation."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for fn in fns.values():
        fn()
    for _ in range(rounds):
        for name, fn in fns.items():
            start = time.perf_counter()
            for _ in range(reps):
                fn()
            times[name].append((time.perf_counter() - start) / reps)
    return {name: min(values) for name, values in times.items()}


def per_shape(rounds: int) -> None:
    from TTS.core.layers.cl_conv import conv1d_cl, to_channels_last
    from TTS.core.layers.winograd import conv1d_cl_winograd, winograd_applies, winograd_workspace

    for channels, frames in SHAPES:
        for kernel in (3, 7, 11):
            for dilation in (1, 3, 5):
                conv = nn.Conv1d(channels, channels, kernel, dilation=dilation, padding=dilation * (kernel - 1) // 2)
                x = to_channels_last(torch.randn(1, channels, frames))
                with torch.inference_mode(), winograd_workspace():
                    t = best_of({"direct": lambda c=conv, x=x: conv1d_cl(c, x),
                                 "winograd": lambda c=conv, x=x: conv1d_cl_winograd(c, x)}, rounds)  # fmt: skip
                    diff = float((conv1d_cl(conv, x) - conv1d_cl_winograd(conv, x)).abs().max())
                    used = "used" if winograd_applies(conv, x) else "not used"
                print(f"C={channels:3d} k={kernel:2d} d={dilation}: direct {t['direct'] * 1e3:6.2f} ms  "
                      f"winograd {t['winograd'] * 1e3:6.2f} ms  x{t['direct'] / t['winograd']:.2f}  "
                      f"max diff {diff:.1e}  ({used} by default)", flush=True)  # fmt: skip


def decoders(rounds: int) -> None:
    from TTS.tts.layers.xtts.hifigan_decoder import HifiDecoder
    from TTS.tts.models.vits import Vits

    spec = importlib.util.spec_from_file_location("vits_speed", REPO / "benchmarks" / "vits_speed.py")
    vits_speed = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(vits_speed)
    torch.manual_seed(0)
    xtts = HifiDecoder().eval()
    for p in xtts.parameters():
        p.data.normal_(0, 0.02)
    vits = Vits(vits_speed._config()).eval()
    vits_speed._fill(vits)
    latents, g = torch.randn(1, 100, 1024), torch.randn(1, 512, 1)
    z, g_vits = torch.randn(1, 192, 862), torch.randn(1, 256, 1)
    cases = {"XTTS HiFi-GAN decoder, 4.6 s": lambda: xtts(latents, g=g),
             "VITS waveform decoder, 10 s": lambda: vits.waveform_decoder(z, g=g_vits)}  # fmt: skip

    def with_flag(fn: Callable[[], object], flag: str) -> Callable[[], object]:
        def run() -> object:
            os.environ["TTS_WINOGRAD"] = flag
            return fn()

        return run

    with torch.inference_mode():
        for name, fn in cases.items():
            t = best_of({"direct": with_flag(fn, "0"), "winograd": with_flag(fn, "1")}, rounds, reps=1)
            print(f"{name}: direct {t['direct']:.3f} s  winograd {t['winograd']:.3f} s  "
                  f"x{t['direct'] / t['winograd']:.2f}", flush=True)  # fmt: skip
    os.environ.pop("TTS_WINOGRAD", None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--decoders-only", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if not args.decoders_only:
        per_shape(args.rounds)
    decoders(max(3, args.rounds // 2))


if __name__ == "__main__":
    main()
