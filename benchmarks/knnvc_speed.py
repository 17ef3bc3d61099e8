"""kNN-VC voice conversion speed: ours vs upstream coqui-tts 0.28, full-size WavLM-Large and vocoder.

    nice python benchmarks/knnvc_speed.py --upstream-python /work/oracle/venv/bin/python

Both sides build WavLM-Large (24 layers x 1024, gated relative position bias, layer-norm conv
front end) and a HiFi-GAN vocoder shaped like the prematched kNN-VC one (a 1024 -> 512 input
layer, 512 channels, strides 5, 4, 4, 2, 2 for 16 kHz), with deterministic weights from their
own key names (``tests/parity/weights.py``), loaded through each side's own
``load_checkpoint(eval=True)``. The audio is not compared here (``tests/vc/test_knnvc_parity.py``
does that). Each run converts a 10 s, 16 kHz source to the voice of one 5 s target with silence
at both ends, given as a file: WavLM on both, the silence trimming, the kNN matching and the
vocoder. The two sides run in long-lived worker processes whose runs alternate
(``benchmarks/_common.py``); real-time factor = seconds / audio seconds, medians. Our worker also
times the opt-in reduced-precision mode (bf16 WavLM and vocoder where the CPU has native bf16)
in each run and reports its audio's SNR against our fp32 audio.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE_RATE = 16000
WAVLM_LARGE = {
    "extractor_mode": "layer_norm",
    "encoder_layers": 24,
    "encoder_embed_dim": 1024,
    "encoder_ffn_embed_dim": 4096,
    "encoder_attention_heads": 16,
    "activation_fn": "gelu",
    "layer_norm_first": True,
    "conv_feature_layers": "[(512,10,5)] + [(512,3,2)] * 4 + [(512,2,2)] * 2",
    "conv_bias": False,
    "normalize": True,
    "conv_pos": 128,
    "conv_pos_groups": 16,
    "relative_position_embedding": True,
    "num_buckets": 320,
    "max_distance": 800,
    "gru_rel_pos": True,
}
VOCODER_PARAMS = {
    "upsample_factors": [5, 4, 4, 2, 2],
    "upsample_kernel_sizes": [11, 8, 8, 4, 4],
    "upsample_initial_channel": 512,
    "resblock_kernel_sizes": [3, 7, 11],
    "resblock_dilation_sizes": [[1, 3, 5], [1, 3, 5], [1, 3, 5]],
    "resblock_type": "1",
    "pre_linear": 1024,
    "inference_padding": 0,
}


def _common():
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_common", REPO / "benchmarks" / "_common.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _voice(seconds: float, f0: float, silence: float = 0.0):
    import numpy as np

    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    pitch = f0 * (1 + 0.1 * np.sin(2 * np.pi * 1.3 * t))
    phase = 2 * np.pi * np.cumsum(pitch) / SAMPLE_RATE
    wav = (0.4 * np.sin(phase) + 0.1 * np.sin(3 * phase)) * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t) ** 2)
    pad = np.zeros(int(silence * SAMPLE_RATE))
    return np.concatenate([pad, wav, pad]).astype(np.float32)


def serve_side(folder: Path) -> None:
    """Worker (this process's ``TTS``): answer each ``run`` line with one timed conversion."""
    import torch

    torch.set_num_threads(2)
    from TTS.vc.configs.knnvc_config import KNNVCConfig
    from TTS.vc.layers.freevc.wavlm import WavLM, WavLMConfig
    from TTS.vc.models.knnvc import KNNVC
    from TTS.vocoder.configs.hifigan_config import HifiganConfig
    from TTS.vocoder.models import setup_model

    weights = _common().load_by_path("parity_weights", REPO / "tests" / "parity" / "weights.py")

    def fill(module: torch.nn.Module, salt: str) -> dict:
        shapes = weights.legacy_shapes(module.state_dict())
        return {k: torch.from_numpy(v) for k, v in weights.deterministic_state_dict(shapes, salt=salt).items()}

    wavlm = WavLM(WavLMConfig(dict(WAVLM_LARGE)))
    wavlm.load_state_dict(fill(wavlm, "bench_wavlm"))
    wavlm.eval()
    config = HifiganConfig(generator_model_params=dict(VOCODER_PARAMS))
    config.audio.sample_rate, config.audio.num_mels = SAMPLE_RATE, 512
    vocoder = setup_model(config)
    checkpoint = folder / f"vocoder_{id(vocoder)}.pth"
    torch.save({"model": fill(vocoder, "bench_vocoder")}, checkpoint)
    vocoder.load_checkpoint(config, str(checkpoint), eval=True)
    checkpoint.unlink()

    import TTS.vc.models.knnvc as knnvc_module

    knnvc_module.get_wavlm = lambda device="cpu": wavlm  # upstream loads WavLM through this name
    model = KNNVC(KNNVCConfig())
    model.wavlm = wavlm
    model.eval()
    source, target = str(folder / "source.wav"), str(folder / "target.wav")

    def convert():
        with torch.inference_mode():
            return vocoder.inference(model.voice_conversion(source, [target]))

    reference = convert()  # warm-up
    samples = int(reference.shape[-1])
    ready: dict = {"audio_seconds": samples / SAMPLE_RATE}
    fast_mode = hasattr(model, "enable_reduced_precision")  # ours: bf16 WavLM + bf16 vocoder, opt-in
    if fast_mode:
        model.enable_reduced_precision()
        vocoder.enable_reduced_precision()
        fast = convert()
        noise = float(((fast - reference) ** 2).sum())
        ready["reduced_snr_db"] = 10 * float(torch.log10((reference**2).sum() / noise)) if noise else float("inf")

    def set_fast(on: bool) -> None:
        model._wavlm_bf16 = vocoder._generator_bf16 = on

    def run() -> dict:
        if fast_mode:
            set_fast(False)
        start = time.perf_counter()
        convert()
        result = {"seconds": time.perf_counter() - start, "audio_seconds": samples / SAMPLE_RATE}
        if fast_mode:
            set_fast(True)
            start = time.perf_counter()
            convert()
            result["reduced_seconds"] = time.perf_counter() - start
        return result

    _common().serve(ready, run)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upstream-python", required=True, help="python of a venv with coqui-tts 0.28")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--serve", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve_side(Path(args.serve))
        return
    import soundfile as sf

    common = _common()
    with tempfile.TemporaryDirectory() as work, tempfile.TemporaryDirectory() as cwd:
        sf.write(Path(work) / "source.wav", _voice(10.0, 140.0), SAMPLE_RATE, subtype="FLOAT")
        sf.write(Path(work) / "target.wav", _voice(5.0, 230.0, silence=0.5), SAMPLE_RATE, subtype="FLOAT")
        cmd = [str(Path(__file__).resolve()), "--serve", work, "--upstream-python", args.upstream_python]
        workers = {"ours": common.Worker([sys.executable, *cmd], REPO),
                   "upstream": common.Worker([args.upstream_python, *cmd], cwd)}  # fmt: skip
        try:
            results = common.interleave(workers, args.runs)
        finally:
            rss = {name: worker.close().get("peak_rss_mb", 0.0) for name, worker in workers.items()}
    audio = results["ours"][0]["audio_seconds"]
    rtf = {name: common.median([r["seconds"] for r in rs]) / audio for name, rs in results.items()}
    print(
        f"kNN-VC (WavLM-Large, 512-channel vocoder), {audio:.2f} s converted, 2 threads, median of {args.runs} alternating runs"
    )
    for name in ("ours", "upstream"):
        speed_up = rtf["upstream"] / rtf[name]
        print(f"{name:<10} RTF {rtf[name]:.3f}  peak RSS {rss[name]:7.0f} MiB  speed-up x{speed_up:.2f}")
    reduced = [r["reduced_seconds"] for r in results["ours"] if "reduced_seconds" in r]
    if reduced:
        fast = common.median(reduced) / audio
        snr = workers["ours"].ready.get("reduced_snr_db", float("nan"))
        print(f"ours, reduced precision (bf16 WavLM + vocoder): RTF {fast:.3f}  speed-up x{rtf['upstream'] / fast:.2f}"
              f"  audio vs our fp32: SNR {snr:.1f} dB")  # fmt: skip


if __name__ == "__main__":
    main()
