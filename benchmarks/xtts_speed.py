"""XTTS v2 speed and memory: ours against upstream coqui-tts in the same run.

    python benchmarks/xtts_speed.py --upstream-python /work/oracle/venv/bin/python

Builds the full-size v2 architecture (30 layers x 1024, 16 heads, perceiver,
1026 audio codes) with deterministic weights (``tests/parity/weights.py``) in
the released file layout, then runs each implementation in its own process
(upstream's from a folder outside the repo). The stop code is suppressed and
the generation limit set so both generate exactly ``--tokens`` codes greedily.
Prints one line per figure: ours, upstream, ours/upstream and the speed-up.
``--repeats N`` interleaves N runs of each and prints medians (use it on a shared
machine); ``--threads 1`` is far less noisy there than 2 threads.

Three modes of ours run: the default fp32 loop, fp32 with an int8 draft
(``Xtts.enable_speculative_decoding()``: the same codes and fp32 latents, so the audio
difference it prints should be float noise), and the reduced-precision mode
(``enable_reduced_precision()``: int8 GPT, bf16 decoder), whose audio difference is real.

First-audio figures time the first chunk that holds samples (upstream yields an
empty first chunk at ``stream_chunk_size=1``).

The fp32 HiFi-GAN decoder is bound by FMA throughput: 25 latents (1.15 s of
audio) are 67 GFLOP of direct convolution (~532 GFLOP for 9.1 s). On the
2-core AMD EPYC (Zen 4, AVX-512, no AMX) development machine, one thread did
~108 GFLOP per CPU-second at best on a single conv; upstream's decoder ran at
~85 and ours at ~91 (CPU time, 1 thread). Halving upstream's time with direct
convolutions would take ~170 GFLOP/s, above the core's fp32 peak. Our wide
residual-block convs therefore run as Winograd convolutions (about half the
multiplies, ``TTS.core.layers.winograd``), which brought the decoder from 0.75x
to 0.66x of upstream's time, and to 0.58x once the Winograd products ran as one
grouped oneDNN convolution instead of batched BLAS products; the 32-channel
stage and the 3-tap convs below 256 channels stay direct. The 2x faster decoder
is the bf16 one (``Xtts.enable_reduced_precision()``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEXT_TOKENS = [29, 310, 59, 2, 178, 81, 33, 120, 2, 211, 62, 140, 2, 55, 301, 44, 2, 12, 99, 150] * 2
FULL_ARGS = {
    "gpt_use_perceiver_resampler": True,
    "gpt_num_audio_tokens": 1026,
    "gpt_start_audio_token": 1024,
    "gpt_stop_audio_token": 1025,
    "gpt_number_text_tokens": 6681,
    "gpt_start_text_token": 261,
    "gpt_stop_text_token": 0,
}
CHUNK_SIZES = (1, 2, 4, 8, 20)


def _load_by_path(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def vocab_json(size: int, start: int) -> str:
    vocab = {f"t{i}": i for i in range(size)}
    names = {0: "[STOP]", 1: "[UNK]", 2: "[SPACE]", start: "[START]"}
    for i, name in names.items():
        vocab.pop(f"t{i}")
        vocab[name] = i
    added = [{"id": i, "content": n, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False,
              "special": True} for i, n in names.items()]  # fmt: skip
    model = {"type": "BPE", "dropout": None, "unk_token": "[UNK]", "continuing_subword_prefix": None,
             "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "vocab": vocab, "merges": []}  # fmt: skip
    return json.dumps({"version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
                       "normalizer": None, "pre_tokenizer": {"type": "Whitespace"}, "post_processor": None,
                       "decoder": None, "model": model})  # fmt: skip


def build_checkpoint(folder: Path, tokens: int) -> None:
    """Write model.pth (released layout, legacy weight norm), config.json and vocab.json."""
    import numpy as np
    import torch

    from TTS.tts.configs.xtts_config import XttsConfig
    from TTS.tts.models.xtts import Xtts

    fixture = _load_by_path("xtts_fixture", REPO / "tests" / "xtts" / "fixture.py")
    config = XttsConfig()
    for key, value in {**FULL_ARGS, "gpt_max_audio_tokens": tokens + 3}.items():
        setattr(config.model_args, key, value)
    with torch.device("meta"):
        model = Xtts.__new__(Xtts)
        torch.nn.Module.__init__(model)
        model.config, model.args = config, config.model_args
        model.build_gpt()
    model.build_decoder()
    model.register_buffer("mel_stats", torch.ones(80))
    shapes, computed = {}, {}
    for key, value in model.state_dict().items():
        wn = key.startswith(("hifigan_decoder.waveform_decoder.ups.", "hifigan_decoder.waveform_decoder.resblocks."))
        if wn and key.endswith(".weight"):
            base = key[: -len(".weight")]
            shapes[base + ".weight_g"] = [value.shape[0]] + [1] * (value.dim() - 1)
            shapes[base + ".weight_v"] = list(value.shape)
        else:
            shapes[key] = list(value.shape)
            if value.device.type != "meta":
                computed[key] = value.numpy()
    state = {k: torch.from_numpy(np.array(v)) for k, v in fixture.fixture_state_dict(shapes, computed).items()}
    state["gpt.mel_head.bias"][config.model_args.gpt_stop_audio_token] = -1e4  # generate exactly `tokens` codes
    torch.save({"model": state}, folder / "model.pth")
    del state
    (folder / "config.json").write_text(json.dumps(config.to_dict()))
    (folder / "vocab.json").write_text(vocab_json(6681, 261))


def first_audio(stream) -> None:
    """Consume ``stream`` up to its first chunk that holds samples, then close it.

    Upstream yields an empty chunk when a decode is shorter than the cross-fade (the first one at
    ``stream_chunk_size=1``); the figure is the time to first audio for both implementations.
    """
    for chunk in stream:
        if chunk.numel():
            break
    stream.close()


def worker(impl: str, folder: Path, mode: str, result_path: Path) -> None:
    """Run one implementation (imported as ``TTS``) and write its figures as JSON."""
    import torch

    torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "2")))
    from TTS.config import load_config
    from TTS.tts.models.xtts import Xtts

    class FixedTokens:
        char_limits = {"en": 250}

        def encode(self, txt, lang):
            return list(TEXT_TOKENS)

    results: dict[str, float] = {}
    t0 = time.perf_counter()
    config = load_config(str(folder / "config.json"))
    model = Xtts.init_from_config(config)
    model.load_checkpoint(config, checkpoint_dir=str(folder), eval=True)
    results["load_s"] = time.perf_counter() - t0
    if mode == "fast":
        model.enable_reduced_precision()
        results["int8_kernel"] = getattr(model.gpt.mel_head, "kernel", "int8pack")
    elif mode == "speculative":
        model.enable_speculative_decoding()
    model.tokenizer = FixedTokens()
    torch.manual_seed(0)
    cond = torch.randn(1, 32, 1024) * 0.5
    spk = torch.nn.functional.normalize(torch.randn(1, 512, 1), dim=1)
    greedy = {"do_sample": True, "top_k": 1, "temperature": 0.75, "repetition_penalty": 10.0}

    gen_time = [0.0]
    gpt = model.gpt
    if impl == "upstream":
        original = gpt.generate

        def timed(*a, **k):
            t = time.perf_counter()
            r = original(*a, **k)
            gen_time[0] += time.perf_counter() - t
            return r

        gpt.generate = timed
    else:
        import TTS.tts.models.xtts as module

        original = module.generate

        def timed(*a, **k):
            t = time.perf_counter()
            r = original(*a, **k)
            gen_time[0] += time.perf_counter() - t
            return r

        module.generate = timed
    with torch.inference_mode():
        model.inference("x", "en", cond, spk, **greedy)  # warm-up
        gen_time[0] = 0.0
        t = time.perf_counter()
        out = model.inference("x", "en", cond, spk, **greedy)
        total = time.perf_counter() - t
        n_tokens = int(out["gpt_latents"].shape[1])
        results.update(e2e_s_per_token=total / n_tokens, gpt_s_per_token=gen_time[0] / n_tokens, tokens=n_tokens)
        results["audio_s"] = len(out["wav"]) / 24000
        import numpy as np

        np.save(os.environ["BENCH_WAV"], np.asarray(out["wav"], dtype="float32"))
        np.save(os.environ["BENCH_WAV"] + ".latents.npy", np.asarray(out["gpt_latents"], dtype="float32"))
        reference_latents = os.environ.get("BENCH_REFERENCE_LATENTS")
        if impl == "ours" and reference_latents and os.path.isfile(reference_latents):
            # the fp32 run's latents through this run's decoder: the decoder's own share of the difference
            wav = model._decode(torch.from_numpy(np.load(reference_latents)), spk)
            np.save(os.environ["BENCH_WAV"] + ".decoder_only.npy", wav.reshape(-1).numpy())
        first_audio(model.inference_stream("x", "en", cond, spk, stream_chunk_size=2, **greedy))  # warm-up
        for size in CHUNK_SIZES:
            t = time.perf_counter()
            first_audio(model.inference_stream("x", "en", cond, spk, stream_chunk_size=size, **greedy))
            results[f"first_chunk_{size}_s"] = time.perf_counter() - t
        latents = torch.from_numpy(np.asarray(out["gpt_latents"]))
        t = time.perf_counter()
        if impl == "ours":
            wav = model._decode(latents, spk)
        else:
            wav = model.hifigan_decoder(latents, g=spk)
        results["decoder_rtf"] = (time.perf_counter() - t) / (wav.numel() / 24000)
    results["peak_rss_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    result_path.write_text(json.dumps(results))


def run_worker(python: str, impl: str, folder: Path, mode: str, tmp: Path) -> dict:
    out, wav = tmp / f"{impl}_{mode}.json", tmp / f"{impl}_{mode}.npy"
    env = {**os.environ, "BENCH_WAV": str(wav), "PYTHONWARNINGS": "ignore"}
    env["BENCH_REFERENCE_LATENTS"] = str(tmp / "ours_fp32.npy.latents.npy")
    cwd = str(tmp) if impl == "upstream" else str(REPO)
    cmd = ["nice", python, str(Path(__file__).resolve()), "--worker", impl, "--folder", str(folder), "--mode", mode,
           "--out", str(out)]  # fmt: skip
    subprocess.run(cmd, cwd=cwd, env=env, check=True)
    return {**json.loads(out.read_text()), "wav": str(wav)}


def median_of(results: list[dict]) -> dict:
    """Per-key median of the numeric figures of several runs (other values from the last run)."""
    import statistics

    if not results:
        return {}
    merged = dict(results[-1])
    for key, value in merged.items():
        if isinstance(value, (int, float)):
            merged[key] = statistics.median(r[key] for r in results)
    return merged


def difference(a, b) -> str:
    import numpy as np

    n = min(len(a), len(b))
    noise = max(float(np.sum((a[:n] - b[:n]) ** 2)), 1e-20)
    snr = 10 * np.log10(float(np.sum(a[:n] ** 2)) / noise)
    return f"max |diff| {np.abs(a[:n] - b[:n]).max():.4f}, SNR {snr:.1f} dB, lengths {len(a)} / {len(b)}"


def line(name: str, ours: float | None, upstream: float | None, unit: str, higher_better: bool = False) -> None:
    """One figure: ours, upstream, ours/upstream, and the speed-up (>1 means ours is better)."""
    if ours is None:
        return
    if upstream is None:
        print(f"{name:<40} ours {ours:8.3f} {unit}")
        return
    speed_up = (ours / upstream) if higher_better else (upstream / ours)
    print(
        f"{name:<40} ours {ours:8.3f} {unit:<6} upstream {upstream:8.3f} {unit:<6} "
        f"ours/upstream {ours / upstream:5.2f}  speed-up x{speed_up:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--upstream-python", help="python of a venv with coqui-tts installed")
    parser.add_argument("--tokens", type=int, default=197)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=1, help="interleaved runs per implementation (medians)")
    parser.add_argument("--worker", choices=["ours", "upstream"])
    parser.add_argument("--folder")
    parser.add_argument("--mode", default="fp32", choices=["fp32", "fast", "speculative"])
    parser.add_argument("--out")
    parser.add_argument("--checkpoint-dir", help="reuse (or create) the deterministic checkpoint here")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, Path(args.folder), args.mode, Path(args.out))
        return

    os.environ["BENCH_THREADS"] = str(args.threads)
    import numpy as np

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        folder = Path(args.checkpoint_dir) if args.checkpoint_dir else tmp / "xtts_v2_deterministic"
        if not (folder / "model.pth").is_file():
            folder.mkdir(parents=True, exist_ok=True)
            t = time.perf_counter()
            build_checkpoint(folder, args.tokens)
            print(f"built a full-size deterministic checkpoint in {time.perf_counter() - t:.1f} s")
        runs: dict[str, list[dict]] = {"ours": [], "upstream": [], "fast": [], "speculative": []}
        for _ in range(args.repeats):  # interleaved, so that load changes on a shared machine hit both
            runs["ours"].append(run_worker(sys.executable, "ours", folder, "fp32", tmp))
            if args.upstream_python:
                runs["upstream"].append(run_worker(args.upstream_python, "upstream", folder, "fp32", tmp))
            runs["speculative"].append(run_worker(sys.executable, "ours", folder, "speculative", tmp))
            runs["fast"].append(run_worker(sys.executable, "ours", folder, "fast", tmp))
        ours, fast, up, spec = (median_of(runs[k]) for k in ("ours", "fast", "upstream", "speculative"))
        g = up.get
        print(
            f"threads {args.threads}, {ours['tokens']} codes, {ours['audio_s']:.2f} s of audio, "
            f"medians of {args.repeats} interleaved run(s)"
        )
        modes = (("fp32", ours), ("fp32 + int8 draft", spec), ("fast", fast))
        for name, figures in modes:
            line(
                f"{name} tokens/s (end to end)",
                1 / figures["e2e_s_per_token"],
                g("e2e_s_per_token") and 1 / g("e2e_s_per_token"),
                "tok/s",
                True,
            )
            line(f"{name} GPT s/token", figures["gpt_s_per_token"], g("gpt_s_per_token"), "s")
        for name, figures in modes:
            for size in CHUNK_SIZES:
                key = f"first_chunk_{size}_s"
                line(f"{name} first audio, chunk size {size}", figures[key], g(key), "s")
        line("fp32 HiFi-GAN decoder RTF", ours["decoder_rtf"], g("decoder_rtf"), "")
        line("bf16 HiFi-GAN decoder RTF", fast["decoder_rtf"], g("decoder_rtf"), "")
        line("peak RSS (load + inference)", ours["peak_rss_gb"], g("peak_rss_gb"), "GB")
        line("peak RSS, fp32 + int8 draft", spec["peak_rss_gb"], g("peak_rss_gb"), "GB")
        a, b = np.load(ours["wav"]), np.load(fast["wav"])
        print(f"fp32 + int8 draft (speculative) vs fp32 audio: {difference(a, np.load(spec['wav']))}")
        print(f"fast mode ({fast.get('int8_kernel', '?')} int8 GPT, bf16 decoder) vs fp32 audio: {difference(a, b)}")
        decoder_only = Path(fast["wav"] + ".decoder_only.npy")
        if decoder_only.is_file():
            print(f"bf16 decoder alone (fp32 latents) vs fp32 audio: {difference(a, np.load(decoder_only))}")
        if up:
            c = np.load(up["wav"])
            n = min(len(a), len(c))
            print(
                f"ours fp32 vs upstream audio: max |diff| {np.abs(a[:n] - c[:n]).max():.2e}, lengths {len(a)} / {len(c)}"
            )


if __name__ == "__main__":
    main()
