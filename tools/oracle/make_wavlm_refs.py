"""Reference outputs of upstream coqui-tts 0.28 WavLM for our parity tests.

Run in the oracle venv from a folder outside the repo:

    cd /tmp && /work/oracle/venv/bin/python /work/main/tools/oracle/make_wavlm_refs.py

Each case is a tiny WavLM built with upstream's ``WavLMConfig``/``WavLM``; its state dict, in
the released layout (positional conv weight-normed as ``weight_g``/``weight_v``), is filled
from the key names (``tests/parity/weights.py``) and loaded back, as ``get_wavlm`` loads
``WavLM-Large.pt``. For two 16 kHz waveforms of different lengths we record:

- ``extract_features(wav)[0]`` (all layers, final norm of pre-norm models);
- ``extract_features(wav, output_layer=MID, ret_layer_results=True)`` (features and the
  per-layer results, stacked) for the short waveform, and the features for the long one;
- ``extract_features(wav, ret_conv=True)[0]`` for the short waveform;
- a padded batch of both with a ``padding_mask``: features and the frame mask.

Writes ``tests/data/parity/wavlm/manifest.json`` (config dict and key -> shape per case) and
``refs.npz``.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import torch

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "tests" / "data" / "parity" / "wavlm"
if Path.cwd().resolve() == REPO or REPO in Path.cwd().resolve().parents:
    sys.exit("Run this from a folder outside the repository (our TTS package would shadow upstream's).")

_spec = importlib.util.spec_from_file_location("parity_weights", REPO / "tests" / "parity" / "weights.py")
weights = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(weights)

from TTS.vc.layers.freevc.wavlm import WavLM, WavLMConfig  # noqa: E402

RATE = 16000
SALT = "wavlm"
MID = 2  # output_layer (1-based) read in the intermediate-layer references
# The released stride layout (320 samples per frame) at a tiny width.
CONV = "[(32,10,5)] + [(32,3,2)] * 4 + [(32,2,2)] * 2"
TINY = {
    "conv_feature_layers": CONV,
    "encoder_ffn_embed_dim": 64,
    "encoder_attention_heads": 4,
    "conv_pos": 16,
    "conv_pos_groups": 4,
    "num_buckets": 16,
    "max_distance": 24,
}
CASES = {
    # WavLM-Large's layout: layer norms in the extractor, pre-norm, gated relative bias, projection 32 -> 48.
    "large_like": {
        **TINY,
        "extractor_mode": "layer_norm",
        "layer_norm_first": True,
        "normalize": True,
        "relative_position_embedding": True,
        "gru_rel_pos": True,
        "encoder_layers": 3,
        "encoder_embed_dim": 48,
    },
    # WavLM Base+: group norm extractor, post-norm, gated relative bias, no projection.
    "base_like": {
        **TINY,
        "extractor_mode": "default",
        "layer_norm_first": False,
        "relative_position_embedding": True,
        "gru_rel_pos": True,
        "encoder_layers": 3,
        "encoder_embed_dim": 32,
    },
    # No relative bias at all, conv bias, ReLU feed-forward.
    "plain": {
        **TINY,
        "extractor_mode": "default",
        "layer_norm_first": False,
        "conv_bias": True,
        "activation_fn": "relu",
        "encoder_layers": 2,
        "encoder_embed_dim": 32,
    },
}


def voice(seconds: float, f0: float, key: str) -> np.ndarray:
    """A gliding harmonic tone with a little deterministic noise, float32 in [-1, 1]."""
    n = int(round(RATE * seconds))
    t = np.arange(n) / RATE
    pitch = f0 * (1.0 + 0.15 * np.sin(2 * np.pi * 2.3 * t))
    phase = 2 * np.pi * np.cumsum(pitch) / RATE
    wav = 0.3 * np.sin(phase) + 0.12 * np.sin(2 * phase + 0.5) + 0.05 * np.sin(3 * phase + 1.3)
    wav = wav * np.clip(t / 0.02, 0.0, 1.0) + 0.4 * weights.deterministic_array(key, (n,))
    return np.clip(wav, -1, 1).astype(np.float32)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    wavs = {"short": voice(0.5, 130.0, "wav_short"), "long": voice(0.83, 210.0, "wav_long")}
    refs: dict[str, np.ndarray] = {f"wav_{name}": wav for name, wav in wavs.items()}
    batch = np.zeros((2, len(wavs["long"])), dtype=np.float32)
    batch[0, : len(wavs["short"])] = wavs["short"]
    batch[1] = wavs["long"]
    pad = np.zeros(batch.shape, dtype=bool)
    pad[0, len(wavs["short"]) :] = True
    manifest: dict = {"rate": RATE, "salt": SALT, "mid_layer": MID, "cases": {}}
    for case, cfg_dict in CASES.items():
        torch.manual_seed(0)
        model = WavLM(WavLMConfig(cfg_dict))
        shapes = weights.legacy_shapes(model.state_dict())
        state = {k: torch.from_numpy(v) for k, v in weights.deterministic_state_dict(shapes, salt=SALT).items()}
        model.load_state_dict(state, strict=True)  # weight_norm's hook maps weight_g/weight_v
        model.eval()
        with torch.no_grad():
            for name, wav in wavs.items():
                x = torch.from_numpy(wav)[None]
                refs[f"{case}_{name}_final"] = model.extract_features(x)[0].numpy()
                (mid, layer_results), _ = model.extract_features(x, output_layer=MID, ret_layer_results=True)
                refs[f"{case}_{name}_mid"] = mid.numpy()
                if name == "short":
                    refs[f"{case}_{name}_layers"] = torch.stack([h for h, _ in layer_results]).numpy()
                    assert all(z is None for _, z in layer_results)
                    refs[f"{case}_{name}_conv"] = model.extract_features(x, ret_conv=True)[0].numpy()
            feats, frame_mask = model.extract_features(torch.from_numpy(batch), padding_mask=torch.from_numpy(pad))
            refs[f"{case}_batch_final"] = feats.numpy()
            refs[f"{case}_batch_mask"] = frame_mask.numpy()
        manifest["cases"][case] = {"cfg": cfg_dict, "shapes": shapes}
        print(case, {k: v.shape for k, v in refs.items() if k.startswith(case)})
    refs["batch_padding_mask"] = pad
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=1))
    np.savez_compressed(OUT / "refs.npz", **refs)


if __name__ == "__main__":
    main()
