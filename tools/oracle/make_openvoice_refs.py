"""Reference outputs of upstream coqui-tts 0.28 OpenVoice voice conversion for our parity tests.

Run in the oracle venv from a folder outside the repo:

    cd /tmp && /work/oracle/venv/bin/python /work/main/tools/oracle/make_openvoice_refs.py

For each case a tiny OpenVoice converter in the released layout (``config.json`` in
OpenVoice's own format with ``data`` and ``model`` sections, ``checkpoint.pth`` holding
``{"model": state_dict}`` with legacy ``weight_g``/``weight_v`` weight-norm names) gets
deterministic weights from the key names (``tests/parity/weights.py``). Upstream builds
the model from ``OpenVoiceConfig`` (model arguments as given here; audio settings read
from the ``data`` section), then converts a 22.05 kHz source recording to the voice of
two target recordings with ``torch.manual_seed(SEED)`` set just before the call (the
posterior sample draws ``randn_like`` once).

Writes ``tests/data/parity/openvoice/manifest.json`` (cases: model arguments, original
config, key -> shape) and ``refs.npz`` (input PCM, speaker embeddings, spectrogram,
output waveform per case).
"""

from __future__ import annotations

import importlib.util
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf
import torch

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "tests" / "data" / "parity" / "openvoice"
if Path.cwd().resolve() == REPO or REPO in Path.cwd().resolve().parents:
    sys.exit("Run this from a folder outside the repository (our TTS package would shadow upstream's).")

_spec = importlib.util.spec_from_file_location("parity_weights", REPO / "tests" / "parity" / "weights.py")
weights = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(weights)

from TTS.vc.configs.openvoice_config import OpenVoiceArgs, OpenVoiceAudioConfig, OpenVoiceConfig  # noqa: E402
from TTS.vc.models.openvoice import OpenVoice  # noqa: E402

RATE = 22050
SEED = 1234
SALT = "openvoice"
TINY = {
    "inter_channels": 16,
    "hidden_channels": 16,
    "filter_channels": 32,
    "gin_channels": 24,
    "resblock": "1",
    "resblock_kernel_sizes": [3, 7, 11],
    "resblock_dilation_sizes": [[1, 3, 5], [1, 3, 5], [1, 3, 5]],
    "upsample_rates": [4, 4, 2, 2],
    "upsample_initial_channel": 32,
    "upsample_kernel_sizes": [8, 8, 4, 4],
}
DATA = {"sampling_rate": RATE, "filter_length": 256, "hop_length": 64, "win_length": 256}
CASES = {
    "zero_g": {**TINY, "zero_g": True, "tau": 0.3},
    "conditioned": {**TINY, "zero_g": False, "tau": 0.7},
}


def voice(seconds: float, f0: float, key: str) -> np.ndarray:
    """A gliding harmonic tone with a little deterministic noise, float32 in [-1, 1]."""
    n = int(RATE * seconds)
    t = np.arange(n) / RATE
    pitch = f0 + 0.2 * f0 * np.sin(2 * np.pi * 1.7 * t)
    phase = 2 * np.pi * np.cumsum(pitch) / RATE
    wav = 0.35 * np.sin(phase) + 0.15 * np.sin(2 * phase + 0.4) + 0.05 * np.sin(4 * phase + 1.1)
    wav = wav * np.clip(t / 0.02, 0.0, 1.0) + 0.05 * weights.deterministic_array(key, (n,)) / 0.05 * 0.02
    return np.clip(wav, -1, 1).astype(np.float32)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    inputs = {
        "source": voice(0.8, 140.0, "src"),
        "target_a": voice(0.6, 220.0, "tgt_a"),
        "target_b": voice(0.5, 260.0, "tgt_b"),
    }
    manifest: dict = {"rate": RATE, "seed": SEED, "salt": SALT, "data": DATA, "cases": {}}
    refs: dict[str, np.ndarray] = {k: v for k, v in inputs.items()}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        paths = {}
        for name, wav in inputs.items():
            paths[name] = work / f"{name}.wav"
            sf.write(paths[name], wav, RATE, subtype="FLOAT")
        for case, args in CASES.items():
            folder = work / case / "converter"
            folder.mkdir(parents=True)
            original = {"_version_": "v2", "data": DATA, "model": {k: v for k, v in args.items() if k != "tau"}}
            (folder / "config.json").write_text(json.dumps(original))
            audio = OpenVoiceAudioConfig(
                input_sample_rate=RATE,
                output_sample_rate=RATE,
                fft_size=DATA["filter_length"],
                hop_length=DATA["hop_length"],
                win_length=DATA["win_length"],
            )  # the model's spectrogram size is fixed when it is built, before load_checkpoint reads `data`
            model = OpenVoice(OpenVoiceConfig(model_args=OpenVoiceArgs(**args), audio=audio))
            shapes = weights.legacy_shapes(model.state_dict())
            state = {k: torch.from_numpy(v) for k, v in weights.deterministic_state_dict(shapes, salt=SALT).items()}
            torch.save({"model": state}, folder / "checkpoint.pth")
            model.load_checkpoint(model.config, folder / "checkpoint.pth", eval=True)
            with torch.inference_mode():
                g_src, spec = model.extract_se(str(paths["source"]))
                g_tgt = model._extract_target_se([str(paths["target_a"]), str(paths["target_b"])])
                torch.manual_seed(SEED)
                wav = model.voice_conversion(str(paths["source"]), [str(paths["target_a"]), str(paths["target_b"])])
            refs[f"{case}_g_src"] = g_src.numpy()
            refs[f"{case}_g_tgt"] = g_tgt.numpy()
            refs["spec"] = spec.numpy()  # the same for every case (no weights involved)
            refs[f"{case}_wav"] = np.asarray(wav, dtype=np.float32)
            manifest["cases"][case] = {"args": args, "original_config": original, "shapes": shapes}
            print(case, "wav", wav.shape, "g", tuple(g_src.shape), "spec", tuple(spec.shape))
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=1))
    np.savez_compressed(OUT / "refs.npz", **refs)


if __name__ == "__main__":
    main()
