"""XTTS v2 and VITS speed on a CUDA GPU (ours only; upstream is not installed on the GPU machine).

    python benchmarks/gpu_speed.py [--tokens 197] [--out results.json]

Full-size deterministic checkpoints as in ``xtts_speed.py`` and ``vits_speed.py``. XTTS: greedy
decoding of ``--tokens`` codes, tokens/s end to end, first streaming audio per chunk size, the
HiFi-GAN decoder's real-time factor, in fp32 (TF32 off), with torch's defaults (TF32 on) and in
the reduced-precision mode (bf16 decoder), plus the bf16 audio's SNR against fp32. VITS: a 10 s
utterance. Every time is a median of ``--runs`` runs after a warm-up, with the GPU synchronised.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
CHUNK_SIZES = (1, 4, 8, 20)


def load_by_path(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def tf32(enabled: bool) -> Iterator[None]:
    import torch

    saved = (torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32)
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = enabled
    try:
        yield
    finally:
        torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = saved


def timed(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    import torch

    out = fn()  # warm-up
    torch.cuda.synchronize()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def snr_db(wav, reference) -> float:
    import numpy as np

    n = min(len(wav), len(reference))
    noise = float(np.sum((wav[:n] - reference[:n]) ** 2))
    return float(10 * np.log10(float(np.sum(reference[:n] ** 2)) / max(noise, 1e-20)))


def xtts(tokens: int, runs: int) -> dict:
    import numpy as np
    import torch

    from TTS.config import load_config
    from TTS.tts.models.xtts import Xtts

    bench = load_by_path("xtts_speed", REPO / "benchmarks" / "xtts_speed.py")
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        bench.build_checkpoint(folder, tokens)
        results["build_s"] = time.perf_counter() - start
        config = load_config(str(folder / "config.json"))
        model = Xtts.init_from_config(config)
        start = time.perf_counter()
        model.load_checkpoint(config, checkpoint_dir=str(folder), eval=True)
        model.cuda()
        torch.cuda.synchronize()
        results["load_s"] = time.perf_counter() - start

    class FixedTokens:
        char_limits = {"en": 250}

        def encode(self, txt: str, lang: str) -> list[int]:
            return list(bench.TEXT_TOKENS)

    model.tokenizer = FixedTokens()
    torch.manual_seed(0)
    cond = (torch.randn(1, 32, 1024) * 0.5).cuda()
    spk = torch.nn.functional.normalize(torch.randn(1, 512, 1), dim=1).cuda()
    greedy = {"do_sample": True, "top_k": 1, "temperature": 0.75, "repetition_penalty": 10.0}
    wavs = {}
    for mode in ("fp32", "tf32", "bf16_decoder"):
        if mode == "bf16_decoder":
            model.enable_reduced_precision()
        with tf32(mode != "fp32"), torch.inference_mode():
            seconds, out = timed(lambda: model.inference("x", "en", cond, spk, **greedy), runs)
            n = int(out["gpt_latents"].shape[1])
            wavs[mode] = out["wav"]
            row = {"tokens": n, "tokens_per_s": n / seconds, "rtf": seconds / (len(out["wav"]) / 24000)}
            for size in CHUNK_SIZES:
                row[f"first_audio_chunk_{size}_s"], _ = timed(
                    lambda size=size: bench.first_audio(
                        model.inference_stream("x", "en", cond, spk, stream_chunk_size=size, **greedy)
                    ),
                    runs,
                )
            latents = torch.from_numpy(np.asarray(out["gpt_latents"])).cuda()
            seconds, wav = timed(lambda latents=latents: model._decode(latents, spk), runs)
            row["decoder_rtf"] = seconds / (wav.numel() / 24000)
        results[mode] = row
    results["tf32_vs_fp32_snr_db"] = snr_db(wavs["tf32"], wavs["fp32"])
    results["bf16_decoder_vs_fp32_snr_db"] = snr_db(wavs["bf16_decoder"], wavs["fp32"])
    results["peak_gpu_memory_gb"] = torch.cuda.max_memory_allocated() / 1e9
    return results


def vits(runs: int) -> dict:
    import torch

    bench = load_by_path("vits_speed", REPO / "benchmarks" / "vits_speed.py")
    from TTS.tts.models.vits import Vits

    model = Vits(bench._config()).eval()
    bench._fill(model)
    x, sid = bench._inputs(), torch.tensor([3])
    model.length_scale = bench._length_scale_for_10s(model, x, sid)
    model.cuda()
    aux = {"x_lengths": torch.tensor([x.shape[1]]).cuda(), "speaker_ids": sid.cuda()}
    x = x.cuda()
    results = {}
    for mode in ("fp32", "tf32"):
        with tf32(mode != "fp32"), torch.inference_mode():
            seconds, out = timed(lambda: model.inference(x, aux_input=aux)["model_outputs"], runs)
        results[mode] = {"seconds": seconds, "rtf": seconds / (out.shape[-1] / bench.SAMPLE_RATE)}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tokens", type=int, default=197)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", help="also write the figures as JSON here")
    args = parser.parse_args()
    import torch

    if not torch.cuda.is_available():
        raise SystemExit("no CUDA device: this benchmark needs an NVIDIA GPU")
    results = {"device": torch.cuda.get_device_name(), "torch": torch.__version__}
    results["vits"] = vits(args.runs)
    results["xtts"] = xtts(args.tokens, args.runs)
    print(json.dumps(results, indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
