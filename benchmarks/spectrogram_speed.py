"""Tacotron2-DDC + HiFi-GAN v2 speed: ours against upstream coqui-tts in the same run.

    nice python benchmarks/spectrogram_speed.py --upstream-python /work/oracle/venv/bin/python

Writes the CLI default pair (``tacotron2-DDC`` + ``hifigan_v2``) at their released sizes
with deterministic weights (``tests/parity/weights.py``) in the released folder layout,
then times each implementation's ``Synthesizer.tts`` in its own process (upstream's from
a folder outside the repo). The stop token is silenced and ``max_decoder_steps`` set so
both decode exactly the same 10 s of audio. The processes run interleaved (ours, upstream, ours,
...) for ``--rounds`` rounds; prints the median real-time factors and their ratio, and with
``--int8`` also for our opt-in int8 decoder (``TTS_TACOTRON_INT8=1``, not bit-exact).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE_RATE_HZ = 22050
HOP = 256
TEXT = "The quick brown fox jumps over the lazy dog while the band plays on."


def _load_by_path(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tacotron_config(steps: int) -> dict:
    """The released tacotron2-DDC settings that shape the computation (graphemes, r=2 of 6, DDC)."""
    return {
        "model": "tacotron2",
        "text_cleaner": "english_cleaners",
        "use_phonemes": False,
        "characters": {
            "pad": "_",
            "eos": "~",
            "bos": "^",
            "characters": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
            "punctuations": "!'(),-.:;? ",
            "phonemes": None,
        },
        "r": 6,
        "double_decoder_consistency": True,
        "ddc_r": 6,
        "attention_type": "original",
        "attention_norm": "sigmoid",
        "location_attn": True,
        "prenet_type": "original",
        "prenet_dropout": True,
        "max_decoder_steps": steps,
        "audio": {"sample_rate": SAMPLE_RATE_HZ, "num_mels": 80, "fft_size": 1024, "win_length": 1024,
                  "hop_length": HOP, "mel_fmin": 50.0, "mel_fmax": 7600.0, "spec_gain": 1, "do_trim_silence": False,
                  "signal_norm": True, "symmetric_norm": True, "max_norm": 4.0, "clip_norm": True},
    }  # fmt: skip


def vocoder_config() -> dict:
    return {
        "model": "hifigan",
        "generator_model": "hifigan_generator",
        "discriminator_model": "hifigan_discriminator",
        "generator_model_params": {
            "upsample_factors": [8, 8, 2, 2],
            "upsample_kernel_sizes": [16, 16, 4, 4],
            "upsample_initial_channel": 128,
            "resblock_kernel_sizes": [3, 7, 11],
            "resblock_dilation_sizes": [[1, 3, 5], [1, 3, 5], [1, 3, 5]],
            "resblock_type": "1",
        },
        "audio": {"sample_rate": SAMPLE_RATE_HZ, "num_mels": 80, "fft_size": 1024, "win_length": 1024,
                  "hop_length": HOP, "mel_fmin": 0.0, "mel_fmax": 8000.0, "signal_norm": False, "log_func": "np.log"},
    }  # fmt: skip


def build_folders(root: Path, steps: int) -> tuple[Path, Path]:
    """Write both model folders (released layout, deterministic weights); uses our package for key names."""
    import torch

    weights = _load_by_path("parity_weights", REPO / "tests" / "parity" / "weights.py")
    sys.path.insert(0, str(REPO))
    from TTS.config import load_config
    from TTS.tts.models.tacotron2 import Tacotron2
    from TTS.vocoder.models import setup_model

    tts_dir, voc_dir = root / "tacotron2-DDC", root / "hifigan_v2"
    for folder, config in ((tts_dir, tacotron_config(steps)), (voc_dir, vocoder_config())):
        folder.mkdir(parents=True)
        (folder / "config.json").write_text(json.dumps(config, indent=1))
    model = Tacotron2.init_from_config(load_config(tts_dir / "config.json"))
    shapes = {k: v.shape for k, v in model.state_dict().items()}
    state = {k: torch.from_numpy(v) for k, v in weights.deterministic_state_dict(shapes, salt="bench").items()}
    state.update({k: v for k, v in model.state_dict().items() if k not in state})
    state["decoder.stopnet.1.linear_layer.bias"] = torch.full((1,), -40.0)  # decode to max_decoder_steps
    torch.save({"model": state, "r": 2, "step": 1}, tts_dir / "model_file.pth")
    vocoder = setup_model(load_config(voc_dir / "config.json"))
    # The released hifigan_v2 file: bare generator keys with legacy weight_g / weight_v pairs.
    shapes = {}
    for key, value in vocoder.model_g.state_dict().items():
        if key.endswith(".weight") and value.dim() == 3:
            shapes[key[: -len("weight")] + "weight_g"] = (value.shape[0], 1, 1)
            shapes[key[: -len("weight")] + "weight_v"] = value.shape
        else:
            shapes[key] = value.shape
    generator = {k: torch.from_numpy(v) for k, v in weights.deterministic_state_dict(shapes, salt="bench").items()}
    torch.save({"model": generator, "model_disc": {}, "step": 1}, voc_dir / "model_file.pth")
    return tts_dir, voc_dir


def worker(tts_dir: Path, voc_dir: Path, repeats: int, threads: int) -> dict:
    """Run in the process of the implementation under test; returns timings."""
    import numpy as np
    import torch

    torch.set_num_threads(threads)
    from TTS.utils.synthesizer import Synthesizer

    start = time.perf_counter()
    synth = Synthesizer(
        tts_checkpoint=tts_dir / "model_file.pth",
        tts_config_path=tts_dir / "config.json",
        vocoder_checkpoint=voc_dir / "model_file.pth",
        vocoder_config=voc_dir / "config.json",
    )
    load_s = time.perf_counter() - start
    steps = synth.tts_model.decoder.max_decoder_steps
    synth.tts_model.decoder.max_decoder_steps = 8
    synth.tts("Warm up.")
    synth.tts_model.decoder.max_decoder_steps = steps
    times, samples = [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        wav = synth.tts(TEXT)
        times.append(time.perf_counter() - start)
        samples = len(wav) - 10000  # minus the silence appended after the sentence
    audio_s = samples / SAMPLE_RATE_HZ
    return {"load_s": load_s, "synth_s": min(times), "audio_s": audio_s, "rtf": min(times) / audio_s,
            "torch": torch.__version__, "wav_rms": float(np.sqrt(np.mean(np.square(wav))))}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--upstream-python", default=None, help="python of a venv with coqui-tts (upstream)")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the utterance")
    parser.add_argument("--repeats", type=int, default=2, help="timed syntheses per process (the fastest counts)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (ours, upstream, ...); medians")
    parser.add_argument("--threads", default="2", help="torch intra-op threads, e.g. 2 or 1,2")
    parser.add_argument("--int8", action="store_true", help="also time the opt-in int8 decoder")
    parser.add_argument("--worker", nargs=2, metavar=("TTS_DIR", "VOCODER_DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(Path(args.worker[0]), Path(args.worker[1]), args.repeats, int(args.threads))))
        return

    # r=2 frames per step; the vocoder pads 5 frames each side.
    steps = round(args.seconds * SAMPLE_RATE_HZ / HOP / 2) - 5
    with tempfile.TemporaryDirectory() as tmp:
        tts_dir, voc_dir = build_folders(Path(tmp), steps)
        runs = {"ours": (sys.executable, REPO, {})}
        if args.upstream_python:
            runs["upstream"] = (args.upstream_python, Path(tmp), {})  # cwd outside the repo: upstream's TTS
        if args.int8:  # opt-in, not bit-exact: weight-only int8 decoder LSTMs
            runs["ours-int8"] = (sys.executable, REPO, {"TTS_TACOTRON_INT8": "1"})
        for threads in [int(t) for t in args.threads.split(",")]:
            results: dict[str, list[dict]] = {name: [] for name in runs}
            for _ in range(args.rounds):
                for name, (python, cwd, env) in runs.items():
                    cmd = [python, str(Path(__file__).resolve()), "--worker", str(tts_dir), str(voc_dir),
                           "--repeats", str(args.repeats), "--threads", str(threads)]  # fmt: skip
                    proc = subprocess.run(
                        cmd, cwd=cwd, capture_output=True, text=True, check=False, env={**os.environ, **env}
                    )
                    if proc.returncode != 0:
                        print(f"{name} failed:\n{proc.stderr[-3000:]}")
                        continue
                    results[name].append(json.loads(proc.stdout.strip().splitlines()[-1]))
            _report(args.seconds, threads, results)


def _report(seconds: float, threads: int, results: dict[str, list[dict]]) -> None:
    print(f"Tacotron2-DDC + HiFi-GAN v2, {seconds:.0f} s utterance, {threads} torch threads (medians of rounds)")
    rtf = {}
    for name, rs in results.items():
        if not rs:
            continue
        rtf[name] = statistics.median(r["rtf"] for r in rs)
        synth = statistics.median(r["synth_s"] for r in rs)
        each = " ".join(f"{r['rtf']:.3f}" for r in rs)
        print(f"  {name:9s} torch {rs[0]['torch']:12s} synth {synth:6.2f} s for {rs[0]['audio_s']:5.2f} s of audio"
              f"  RTF {rtf[name]:.3f}  (rounds: {each})")  # fmt: skip
    if "upstream" in rtf:
        for name in rtf:
            if name != "upstream":
                print(f"  speed-up {name} (upstream RTF / our RTF): {rtf['upstream'] / rtf[name]:.2f}x")


if __name__ == "__main__":
    main()
