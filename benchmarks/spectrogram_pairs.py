"""Glow-TTS + Multi-band MelGAN and FastPitch + HiFi-GAN v2 speed: ours against upstream in one run.

    nice python benchmarks/spectrogram_pairs.py --upstream-python /work/oracle/venv/bin/python

Sizes are the released LJSpeech ones (upstream 0.28 config defaults, which the ljspeech
recipes use): Glow-TTS 192-channel rel-pos transformer encoder (6 layers, 2 heads, FFN 768,
prenet), 12 flow blocks of 4 WaveNet layers (192 channels, kernel 5), 80 mels; FastPitch 384
channels, 6 + 6 FFT layers (1 head, FFN 1024), duration/pitch predictors 256 wide;
Multi-band MelGAN 384 base channels, upsampling 8-4-2 x 4 bands, 4 residual blocks;
HiFi-GAN v2 128 initial channels, upsampling 8-8-2-2, ResBlock1 kernels 3/7/11.

The model folders (config.json + model.pth in the released layout: legacy
``weight_g``/``weight_v`` pairs) are written by upstream's classes in the oracle venv with
weights from ``tests/parity/weights.py``; each side loads them through its own loader.
The input is ``--tokens`` token ids (150 by default, about 10 s of read speech); the length
scale is set so the predicted durations give ``--seconds`` (10) of audio at 22050 Hz, the
same on both sides. One long-lived worker process per side times ``tts.inference`` followed
by ``vocoder.inference``; runs alternate (ours, upstream, upstream, ours, ...) and the
medians are reported (also the median CPU time and the fastest run, which on a shared,
oversubscribed machine is the least disturbed one). Without ``--upstream-python`` only our
side is timed (weights filled on our plain layout).

Three edits to the deterministic weights keep the synthetic models realistic (the same file
is loaded by both sides): the duration predictors' output bias aims at ~6 frames per token,
Glow's invertible 1x1 mixing matrices are made orthogonal and its coupling output layers
scaled by 0.05 (else 12 random flows blow the mel up to ~1e11).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SAMPLE_RATE_HZ = 22050
HOP = 256
SALT = "bench"


def _load_common() -> Any:
    spec = importlib.util.spec_from_file_location("bench_common", HERE / "_common.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


common = _load_common()

AUDIO = {"sample_rate": SAMPLE_RATE_HZ, "num_mels": 80, "fft_size": 1024, "win_length": 1024, "hop_length": HOP,
         "mel_fmin": 0.0, "mel_fmax": 8000.0, "do_trim_silence": False}  # fmt: skip
GRAPHEMES = {
    "pad": "_",
    "eos": "~",
    "bos": "^",
    "blank": None,
    "characters": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "punctuations": "!'(),-.:;? ",
    "phonemes": None,
}
TTS_CONFIGS: dict[str, dict[str, Any]] = {
    # Released ljspeech glow-tts shape = GlowTTSConfig defaults.
    "glow_tts": {"model": "glow_tts", "use_phonemes": False, "text_cleaner": "english_cleaners",
                 "characters": GRAPHEMES, "inference_noise_scale": 0.0, "audio": AUDIO},
    # Released ljspeech fast_pitch shape = ForwardTTSArgs defaults (FFT encoder/decoder, pitch, pos. encoding).
    "fast_pitch": {"model": "fast_pitch", "use_phonemes": False, "text_cleaner": "english_cleaners",
                   "characters": GRAPHEMES, "audio": AUDIO},
}  # fmt: skip
VOCODER_CONFIGS: dict[str, dict[str, Any]] = {
    "multiband_melgan": {"model": "multiband_melgan", "generator_model": "multiband_melgan_generator",
                         "discriminator_model": "melgan_multiscale_discriminator",
                         "generator_model_params": {"upsample_factors": [8, 4, 2], "num_res_blocks": 4},
                         "audio": AUDIO},
    "hifigan_v2": {"model": "hifigan", "generator_model": "hifigan_generator",
                   "discriminator_model": "hifigan_discriminator",
                   "generator_model_params": {"upsample_factors": [8, 8, 2, 2], "upsample_kernel_sizes": [16, 16, 4, 4],
                                              "upsample_initial_channel": 128, "resblock_kernel_sizes": [3, 7, 11],
                                              "resblock_dilation_sizes": [[1, 3, 5], [1, 3, 5], [1, 3, 5]],
                                              "resblock_type": "1"},
                   "audio": AUDIO},
}  # fmt: skip
PAIRS = {
    "glow_tts+multiband_melgan": ("glow_tts", "multiband_melgan"),
    "fast_pitch+hifigan_v2": ("fast_pitch", "hifigan_v2"),
}


# -- folders ---------------------------------------------------------------------------------------
def _legacy_key(key: str) -> str:
    return key.replace(".parametrizations.weight.original0", ".weight_g").replace(
        ".parametrizations.weight.original1", ".weight_v"
    )


def _filled(module: Any) -> dict[str, Any]:
    """Released-layout state dict of ``module``: parameters from weights.py, computed buffers kept."""
    import torch

    weights = common.load_by_path("parity_weights", REPO / "tests" / "parity" / "weights.py")
    params = {name for name, _ in module.named_parameters()}
    state = {}
    for key, value in module.state_dict().items():
        fill = key in params or key.endswith(("running_mean", "running_var"))
        legacy = _legacy_key(key)
        state[legacy] = torch.from_numpy(weights.deterministic_array(legacy, value.shape, SALT)) if fill else value
    for key in state:
        if key.endswith("duration_predictor.proj.bias"):
            # Random predictors give log-durations near 0 (one frame per token): aim at ~6 frames
            # (70 ms) per token instead, as a trained model would; the length scale does the rest.
            state[key] = torch.full_like(state[key], math.log(1.0 + 6.0))
        elif re.search(r"decoder\.flows\.\d+\.end\.", key):
            # Keep 12 random Glow couplings near the identity (trained ones start at zero), else the mel
            # grows to ~1e11; timing does not depend on it, but a sane mel keeps the vocoder realistic.
            state[key] = state[key] * 0.05
        elif re.search(r"decoder\.flows\.\d+\.weight$", key):
            # Invertible 1x1 mixing: orthogonal, as trained ones start (a random matrix may be near singular).
            state[key] = torch.linalg.qr(state[key])[0].contiguous()
    return state


def prepare(root: Path, side: str) -> None:
    """Write every model folder under ``root`` with ``side``'s classes (upstream: the released layout)."""
    import torch

    from TTS.config import load_config

    for name, config in {**TTS_CONFIGS, **VOCODER_CONFIGS}.items():
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "config.json").write_text(json.dumps(config, indent=1))
        loaded = load_config(str(folder / "config.json"))
        if name in VOCODER_CONFIGS:
            model = _build_vocoder(loaded, side).model_g
            checkpoint = {"model": _filled(model), "model_disc": {}, "step": 0}
        else:
            checkpoint = {"model": _filled(_build_tts(loaded, side)), "step": 0}
        torch.save(checkpoint, folder / "model.pth")


def _build_tts(config: Any, side: str) -> Any:
    if side == "upstream":
        from TTS.tts.models import setup_model

        return setup_model(config)
    from TTS.families import get_family

    return get_family(config.model).load_model_class().init_from_config(config)


def _build_vocoder(config: Any, side: str) -> Any:
    from TTS.vocoder.models import setup_model

    return setup_model(config)


# -- worker ----------------------------------------------------------------------------------------
def _frames(log_durations: Any, length_scale: float, kind: str) -> int:
    import torch

    w = (torch.exp(log_durations) - 1) * length_scale
    if kind == "glow_tts":
        return int(torch.clamp_min(torch.ceil(w), 1).sum())
    return int(torch.round(torch.clamp_min(w, 1.0)).sum())


def _length_scale_for(log_durations: Any, kind: str, frames: int) -> float:
    """Smallest length scale (bisected) whose durations reach ``frames`` mel frames."""
    lo, hi = 1e-3, 1e4
    if _frames(log_durations, hi, kind) < frames:
        raise SystemExit("the predicted durations cannot reach the requested length; use more --tokens")
    for _ in range(80):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _frames(log_durations, mid, kind) < frames else (lo, mid)
    return hi * (1 + 1e-5)  # off the rounding boundary, so float noise cannot flip a frame


def worker(args: argparse.Namespace) -> None:
    import numpy as np
    import torch

    torch.set_num_threads(args.threads)
    from TTS.config import load_config

    tts_name, voc_name = PAIRS[args.pair]
    folder = Path(args.folder)
    start = time.perf_counter()
    tts_config = load_config(str(folder / tts_name / "config.json"))
    tts = _build_tts(tts_config, args.worker)
    tts.load_checkpoint(tts_config, str(folder / tts_name / "model.pth"), eval=True)
    voc_config = load_config(str(folder / voc_name / "config.json"))
    vocoder = _build_vocoder(voc_config, args.worker)
    vocoder.load_checkpoint(voc_config, str(folder / voc_name / "model.pth"), eval=True)
    tts.eval()
    vocoder.eval()
    load_s = time.perf_counter() - start

    ids = (np.arange(args.tokens) * 7 + 3) % 40 + 1
    x = torch.from_numpy(ids[None].astype(np.int64))
    aux = {"x_lengths": torch.tensor([args.tokens]), "speaker_ids": None, "d_vectors": None}
    length_scale = args.length_scale
    if length_scale is None:
        with torch.inference_mode():
            log_durations = tts.inference(x, aux_input=dict(aux))["durations_log"].reshape(-1)
        length_scale = _length_scale_for(log_durations, tts_name, round(args.seconds * SAMPLE_RATE_HZ / HOP))
    tts.length_scale = length_scale

    def run() -> dict[str, Any]:
        c0, t0 = time.process_time(), time.perf_counter()
        with torch.inference_mode():
            mel = tts.inference(x, aux_input=dict(aux))["model_outputs"].transpose(1, 2)
            t1 = time.perf_counter()
            wav = vocoder.inference(mel)
        t2, c2 = time.perf_counter(), time.process_time()
        return {"seconds": t2 - t0, "tts_seconds": t1 - t0, "vocoder_seconds": t2 - t1, "cpu_seconds": c2 - c0,
                "samples": int(wav.shape[-1]), "frames": int(mel.shape[-1]),
                "mel_absmax": float(mel.abs().max()), "wav_rms": float(wav.pow(2).mean().sqrt())}  # fmt: skip

    first = run()
    run()  # second warm-up: allocator and oneDNN caches settle
    ready = {"length_scale": length_scale, "load_s": load_s, "torch": torch.__version__, **first}
    common.serve(ready, run)


# -- controller ------------------------------------------------------------------------------------
def _worker_cmd(python: str, side: str, folder: Path, pair: str, args: argparse.Namespace, scale: float | None):
    cmd = [python, str(Path(__file__).resolve()), "--worker", side, "--folder", str(folder), "--pair", pair,
           "--threads", str(args.threads), "--tokens", str(args.tokens), "--seconds", str(args.seconds)]  # fmt: skip
    if scale is not None:
        cmd += ["--length-scale", repr(scale)]
    return cmd


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--upstream-python", default=None, help="python of a venv with coqui-tts 0.28")
    parser.add_argument("--pairs", nargs="+", choices=sorted(PAIRS), default=list(PAIRS))
    parser.add_argument("--rounds", type=int, default=5, help="timed runs per side (interleaved)")
    parser.add_argument("--threads", type=int, default=2, help="torch intra-op threads on each side")
    parser.add_argument("--tokens", type=int, default=150, help="input token count")
    parser.add_argument("--seconds", type=float, default=10.0, help="audio length the durations are scaled to")
    parser.add_argument("--verbose", action="store_true", help="print every run's timings")
    parser.add_argument("--worker", choices=["ours", "upstream"], help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--pair", help=argparse.SUPPRESS)
    parser.add_argument("--length-scale", type=float, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--prepare", nargs=2, metavar=("DIR", "SIDE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(Path(args.prepare[0]), args.prepare[1])
        return
    if args.worker:
        worker(args)
        return

    env = {**os.environ, "OMP_NUM_THREADS": str(args.threads), "MKL_NUM_THREADS": str(args.threads)}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "models"
        outside = Path(tmp)  # upstream runs from here, so its TTS is not shadowed by ours
        if args.upstream_python:
            prep = [args.upstream_python, str(Path(__file__).resolve()), "--prepare", str(root), "upstream"]
            subprocess.run(prep, cwd=outside, env=env, check=True, stdout=subprocess.DEVNULL)
        else:
            subprocess.run([sys.executable, str(Path(__file__).resolve()), "--prepare", str(root), "ours"],
                           cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        print(f"{args.tokens} tokens -> {args.seconds:g} s at {SAMPLE_RATE_HZ} Hz, {args.threads} torch threads, "
              f"median of {args.rounds} interleaved runs per side")  # fmt: skip
        for pair in args.pairs:
            workers = {"ours": common.Worker(_worker_cmd(sys.executable, "ours", root, pair, args, None), REPO, env)}
            scale = workers["ours"].ready["length_scale"]
            if args.upstream_python:
                cmd = _worker_cmd(args.upstream_python, "upstream", root, pair, args, scale)
                workers["upstream"] = common.Worker(cmd, outside, env)
            runs = common.interleave(workers, args.rounds)
            if args.verbose:
                for name, rows in runs.items():
                    cells = " ".join(f"{r['tts_seconds']:.2f}+{r['vocoder_seconds']:.2f}" for r in rows)
                    print(f"    {name:9s} runs (acoustic+vocoder s): {cells}")
            rss = {name: w.close()["peak_rss_mb"] for name, w in workers.items()}
            stats = {}
            for name, rows in runs.items():
                audio_s = rows[0]["samples"] / SAMPLE_RATE_HZ
                stats[name] = {
                    "rtf": common.median([r["seconds"] for r in rows]) / audio_s,
                    "cpu_rtf": common.median([r["cpu_seconds"] for r in rows]) / audio_s,
                    "best_rtf": min(r["seconds"] for r in rows) / audio_s,
                    "tts": common.median([r["tts_seconds"] for r in rows]),
                    "voc": common.median([r["vocoder_seconds"] for r in rows]),
                    "audio_s": audio_s,
                    "rms": rows[0]["wav_rms"],
                }
            ours = stats["ours"]
            line = f"{pair:26s} ours RTF {ours['rtf']:.4f}"
            if "upstream" in stats:
                up = stats["upstream"]
                line += f"  upstream RTF {up['rtf']:.4f}  speed-up {up['rtf'] / ours['rtf']:.2f}x"
                line += f"  (CPU-time RTF {ours['cpu_rtf']:.4f} vs {up['cpu_rtf']:.4f}: {up['cpu_rtf'] / ours['cpu_rtf']:.2f}x;"
                line += f" fastest run {ours['best_rtf']:.4f} vs {up['best_rtf']:.4f}: {up['best_rtf'] / ours['best_rtf']:.2f}x)"
            print(line, flush=True)
            for name, s in stats.items():
                print(f"    {name:9s} {s['audio_s']:.2f} s audio  acoustic {s['tts']:.3f} s  vocoder {s['voc']:.3f} s"
                      f"  wav rms {s['rms']:.5f}  peak RSS {rss[name]:.0f} MiB")  # fmt: skip


if __name__ == "__main__":
    main()
