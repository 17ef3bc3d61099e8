"""OpenVoice voice conversion speed: ours vs upstream coqui-tts 0.28, released converter size.

    nice python benchmarks/openvoice_speed.py --upstream-python /work/oracle/venv/bin/python

Both sides build the released v1/v2 architecture (1024-point STFT, 192-wide latents, 512-channel
HiFi-GAN, 256-wide tone-colour embeddings) with deterministic weights from their own key names
(``tests/parity/weights.py``), so the work is the same shape on both sides. The audio is not
compared here (the parity tests do that on released-layout checkpoints). Each run converts a
10 s, 22.05 kHz source to the voice of one 3 s target given as samples. It includes both
spectrograms, both tone-colour embeddings, the posterior encoder, the flow both ways and the
decoder, with ``tau`` 0.3 and a fixed seed. The two sides run in long-lived worker processes
whose runs alternate (``benchmarks/_common.py``); real-time factor = seconds / audio seconds,
medians.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE_RATE = 22050


def _common():
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_common", REPO / "benchmarks" / "_common.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tone(seconds: float, f0: float):
    import numpy as np

    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    pitch = f0 * (1 + 0.1 * np.sin(2 * np.pi * 1.3 * t))
    phase = 2 * np.pi * np.cumsum(pitch) / SAMPLE_RATE
    return (0.4 * np.sin(phase) + 0.1 * np.sin(3 * phase)).astype(np.float32)


def serve_side() -> None:
    """Worker (this process's ``TTS``): answer each ``run`` line with one timed conversion."""
    import torch

    torch.set_num_threads(2)
    from TTS.vc.configs.openvoice_config import OpenVoiceConfig
    from TTS.vc.models.openvoice import OpenVoice

    weights = _common().load_by_path("parity_weights", REPO / "tests" / "parity" / "weights.py")
    model = OpenVoice(OpenVoiceConfig()).eval()
    shapes = {k: list(v.shape) for k, v in model.state_dict().items()}
    state = {k: torch.from_numpy(v) for k, v in weights.deterministic_state_dict(shapes, salt="bench").items()}
    model.load_state_dict(state, strict=True)
    source, target = _tone(10.0, 140.0), _tone(3.0, 230.0)

    def convert():
        torch.manual_seed(0)
        with torch.inference_mode():
            return model.voice_conversion(source, [target])

    samples = len(convert())  # warm-up

    def run() -> dict:
        start = time.perf_counter()
        convert()
        return {"seconds": time.perf_counter() - start, "audio_seconds": samples / SAMPLE_RATE}

    _common().serve({"audio_seconds": samples / SAMPLE_RATE}, run)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upstream-python", required=True, help="python of a venv with coqui-tts 0.28")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve_side()
        return
    common = _common()
    cmd = [str(Path(__file__).resolve()), "--serve", "--upstream-python", args.upstream_python]
    with tempfile.TemporaryDirectory() as cwd:
        workers = {"ours": common.Worker([sys.executable, *cmd], REPO),
                   "upstream": common.Worker([args.upstream_python, *cmd], cwd)}  # fmt: skip
        try:
            results = common.interleave(workers, args.runs)
        finally:
            rss = {name: worker.close().get("peak_rss_mb", 0.0) for name, worker in workers.items()}
    audio = results["ours"][0]["audio_seconds"]
    rtf = {name: common.median([r["seconds"] for r in rs]) / audio for name, rs in results.items()}
    print(f"OpenVoice (released size), {audio:.2f} s converted, 2 threads, median of {args.runs} alternating runs")
    for name in ("ours", "upstream"):
        speed_up = rtf["upstream"] / rtf[name]
        print(f"{name:<10} RTF {rtf[name]:.3f}  peak RSS {rss[name]:7.0f} MiB  speed-up x{speed_up:.2f}")


if __name__ == "__main__":
    main()
