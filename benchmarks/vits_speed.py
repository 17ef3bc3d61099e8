"""VITS synthesis speed: ours (torch, ONNX) vs upstream coqui-tts 0.28, full-size vctk-shaped model.

    nice python benchmarks/vits_speed.py --upstream-python /work/oracle/venv/bin/python

Same architecture as ``tts_models/en/vctk/vits`` (192 hidden, 6 text layers, stochastic
duration predictor, 512-channel HiFi-GAN, 109 speakers), deterministic weights from
``tests/parity/weights.py``, a 150-token input, noise scales 0 and a length scale
chosen so the predicted durations give 10 s of audio at 22050 Hz. Real-time factor = synthesis seconds /
audio seconds (median of ``--runs`` after one warm-up). The upstream run happens in
a subprocess of the oracle venv (cwd outside the repo, so its ``TTS`` is upstream's).
The torch fp32 figures of both sides come from two long-lived worker processes whose runs
alternate (``benchmarks/_common.py``), so a slow phase of a shared machine hits both alike.

Also times our opt-in reduced-precision mode (``Vits.enable_reduced_precision()``: bf16
HiFi-GAN decoder where the CPU has native bf16) and reports how far its audio is from our
fp32 audio (relative L2 and SNR in dB).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

REPO = Path(__file__).resolve().parents[1]
SAMPLE_RATE = 22050
HOP = 256
NUM_TOKENS = 150
SECONDS = 10.0
SPEAKERS = [f"p{225 + i}" for i in range(109)]


def _common():
    spec = importlib.util.spec_from_file_location("bench_common", REPO / "benchmarks" / "_common.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _weights_module():
    spec = importlib.util.spec_from_file_location("parity_weights", REPO / "tests" / "parity" / "weights.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _config():
    from TTS.tts.configs.vits_config import VitsArgs, VitsConfig

    args = VitsArgs(
        use_speaker_embedding=True,
        speaker_embedding_channels=256,
        init_discriminator=False,
        num_chars=180,
        inference_noise_scale=0.0,
        inference_noise_scale_dp=0.0,
    )
    config = VitsConfig(model_args=args, use_phonemes=False)
    config.speakers = list(SPEAKERS)
    config.audio.sample_rate = SAMPLE_RATE
    return config


def _inputs() -> torch.Tensor:
    ids = (np.arange(NUM_TOKENS) * 7 + 3) % 40  # inside every default vocabulary
    return torch.from_numpy(ids[None].astype(np.int64))


def _length_scale_for_10s(model, x: torch.Tensor, sid: torch.Tensor) -> float:
    """Bisect the length scale whose ceil'd durations sum to 10 s of frames (ours only)."""
    target = int(round(SECONDS * SAMPLE_RATE / HOP))
    with torch.inference_mode():
        g = model.emb_g(sid).unsqueeze(-1)
        h, _, _, mask = model.text_encoder(x, torch.tensor([x.shape[1]]))
        w = torch.exp(model.duration_predictor(h, mask, g=g, noise_scale=0.0)) * mask
    lo, hi = 0.01, 100.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if torch.ceil(w * mid).sum() < target else (lo, mid)
    return hi * (1 + 1e-4)  # off the ceil boundary, so float noise cannot flip a frame


def _fill(model: torch.nn.Module) -> None:
    weights = _weights_module()
    current = model.state_dict()
    legacy = {
        k.replace(".parametrizations.weight.original0", ".weight_g").replace(
            ".parametrizations.weight.original1", ".weight_v"
        ): k
        for k in current
    }
    filled = weights.deterministic_state_dict({k: list(current[v].shape) for k, v in legacy.items()}, salt="bench")
    model.load_state_dict({legacy[k]: torch.from_numpy(v) for k, v in filled.items()}, strict=False)


def _time(fn, runs: int) -> tuple[float, int]:
    out = fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), int(np.asarray(out).shape[-1])


def audio_difference(wav: np.ndarray, reference: np.ndarray) -> dict:
    """Relative L2 and SNR (dB) of ``wav`` against ``reference`` over their common length."""
    n = min(len(wav), len(reference))
    noise = float(np.sum((wav[:n] - reference[:n]) ** 2))
    signal = float(np.sum(reference[:n] ** 2))
    rel = (noise / signal) ** 0.5 if signal else float("inf")
    snr = 10 * np.log10(signal / noise) if noise else float("inf")
    return {"rel_l2": rel, "snr_db": float(snr), "lengths": [len(wav), len(reference)]}


def _build(length_scale: float | None) -> tuple:
    """The model (this process's ``TTS``), its input and a ``synth()`` returning the waveform."""
    torch.set_num_threads(2)
    torch.manual_seed(0)
    config = _config()
    from TTS.tts.models.vits import Vits

    model = Vits(config).eval()
    _fill(model)
    x = _inputs()
    sid = torch.tensor([3])
    if length_scale is None:
        length_scale = _length_scale_for_10s(model, x, sid)
    model.length_scale = length_scale
    aux = {"x_lengths": torch.tensor([NUM_TOKENS]), "speaker_ids": sid}

    def synth():
        with torch.inference_mode():
            return model.inference(x, aux_input=aux)["model_outputs"][0, 0].numpy()

    return model, x, length_scale, synth


def serve_side(length_scale: float) -> None:
    """Worker: answer each ``run`` line with one timed fp32 synthesis (after one warm-up)."""
    _, _, _, synth = _build(length_scale)
    samples = len(synth())

    def run() -> dict:
        start = time.perf_counter()
        synth()
        return {"seconds": time.perf_counter() - start, "audio_seconds": samples / SAMPLE_RATE}

    _common().serve({"audio_seconds": samples / SAMPLE_RATE}, run)


def interleaved_torch(upstream_python: str, length_scale: float, runs: int) -> dict[str, dict]:
    """Median fp32 torch time of ours and upstream's, from alternating runs of two worker processes."""
    common = _common()
    args = [str(Path(__file__).resolve()), "--serve", "--length-scale", repr(length_scale)]
    with tempfile.TemporaryDirectory() as cwd:
        workers = {"ours": common.Worker([sys.executable, *args], REPO),
                   "upstream": common.Worker([upstream_python, *args], cwd)}  # fmt: skip
        try:
            results = common.interleave(workers, runs)
        finally:
            for worker in workers.values():
                worker.close()
    return {
        name: {"seconds": common.median([r["seconds"] for r in rs]), "audio_seconds": rs[0]["audio_seconds"]}
        for name, rs in results.items()
    }


def run_side(side: str, runs: int, length_scale: float | None = None) -> dict:
    model, x, length_scale, synth = _build(length_scale)

    results: dict = {"length_scale": length_scale}
    if side == "upstream":
        seconds, samples = _time(synth, runs)
        results["torch"] = {"seconds": seconds, "audio_seconds": samples / SAMPLE_RATE}
    else:  # fp32 and reduced precision alternate, so load spikes hit both alike
        reference = synth()  # also the warm-up
        results["torch"] = {"seconds": 0.0, "audio_seconds": len(reference) / SAMPLE_RATE}
        model.enable_reduced_precision()
        reduced = synth()  # also the warm-up
        times: dict[bool, list[float]] = {False: [], True: []}
        for _ in range(runs):
            for bf16 in (False, True):
                model._decoder_bf16 = bf16
                start = time.perf_counter()
                synth()
                times[bf16].append(time.perf_counter() - start)
        model._decoder_bf16 = False
        results["torch"]["seconds"] = statistics.median(times[False])
        results["reduced"] = {"seconds": statistics.median(times[True]), "audio_seconds": len(reduced) / SAMPLE_RATE}
        results["reduced_vs_fp32"] = audio_difference(reduced, reference)
    if side == "ours" and importlib.util.find_spec("onnxruntime") is not None:
        with tempfile.TemporaryDirectory() as tmp:
            model.export_onnx(str(Path(tmp) / "vits.onnx"))
            model.load_onnx(str(Path(tmp) / "vits.onnx"))
            seconds, samples = _time(lambda: model.inference_onnx(x, speaker_id=3), runs)
            results["onnx"] = {"seconds": seconds, "audio_seconds": samples / SAMPLE_RATE}
            # the split export (front end + decoder), with onnxruntime and with OpenVINO (fp32, bf16 decoder)
            split = str(Path(tmp) / "split")
            model.export_onnx(split, split_decoder=True)
            runtimes = [("onnx_split", "onnxruntime", False)]
            if importlib.util.find_spec("openvino") is not None:
                runtimes += [("openvino", "openvino", False), ("openvino_bf16", "openvino", True)]
            for key, runtime, reduced in runtimes:
                model.load_onnx(split, runtime=runtime, reduced_precision=reduced)
                seconds, samples = _time(lambda: model.inference_onnx(x, speaker_id=3), runs)
                results[key] = {"seconds": seconds, "audio_seconds": samples / SAMPLE_RATE,
                                "decoder": model.onnx_sess.decoder_precision}  # fmt: skip
                if reduced:
                    results[key + "_vs_fp32"] = audio_difference(model.inference_onnx(x, speaker_id=3)[0], reference)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upstream-python", default=None, help="python of a venv with coqui-tts 0.28")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--side", choices=["ours", "upstream"], default="ours", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--length-scale", type=float, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve_side(args.length_scale)
        return
    if args.json:
        print(json.dumps(run_side(args.side, args.runs, args.length_scale)))
        return
    ours = run_side("ours", args.runs)
    rows = [("ours (torch)", ours["torch"])]
    if "reduced" in ours:
        rows.append(("ours (reduced precision)", ours["reduced"]))
    if "onnx" in ours:
        rows.append(("ours (ONNX)", ours["onnx"]))
    for key, name in (("onnx_split", "ours (split ONNX, ORT)"), ("openvino", "ours (split ONNX, OpenVINO)")):
        if key in ours:
            rows.append((name, ours[key]))
    if "openvino_bf16" in ours:
        rows.append((f"ours (split ONNX, OpenVINO, {ours['openvino_bf16']['decoder']} decoder)", ours["openvino_bf16"]))
    upstream = None
    if args.upstream_python:
        both = interleaved_torch(args.upstream_python, ours["length_scale"], args.runs)
        rows[0] = ("ours (torch, interleaved with upstream)", both["ours"])
        upstream = both["upstream"]
        rows.append(("upstream 0.28 (torch)", upstream))
    print(f"full-size vctk-shaped VITS, {NUM_TOKENS} tokens, torch threads 2, median of {args.runs}")
    for name, r in rows:
        rtf = r["seconds"] / r["audio_seconds"]
        ratio = f"  {upstream['seconds'] / r['seconds']:.2f}x upstream" if upstream else ""
        print(f"{name:44s} {r['seconds']:7.3f} s for {r['audio_seconds']:5.2f} s audio  RTF {rtf:.3f}{ratio}")
    if "reduced_vs_fp32" in ours:
        d = ours["reduced_vs_fp32"]
        print(
            f"reduced precision vs our fp32 audio: relative L2 {d['rel_l2']:.4f}, SNR {d['snr_db']:.1f} dB "
            f"(lengths {d['lengths'][0]} / {d['lengths'][1]}; bf16 decoder: {_native_bf16()})"
        )
    if "openvino_bf16_vs_fp32" in ours:
        d = ours["openvino_bf16_vs_fp32"]
        print(
            f"split ONNX with OpenVINO, reduced precision, vs our torch fp32 audio: relative L2 {d['rel_l2']:.4f}, "
            f"SNR {d['snr_db']:.1f} dB (lengths {d['lengths'][0]} / {d['lengths'][1]})"
        )


def _native_bf16() -> bool:
    from TTS.core.precision import native_bf16

    return native_bf16("cpu")


if __name__ == "__main__":
    main()
