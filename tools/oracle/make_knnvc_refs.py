"""Reference outputs of upstream coqui-tts 0.28 kNN-VC voice conversion for our parity tests.

Run in the oracle venv from a folder outside the repo:

    cd /tmp && /work/oracle/venv/bin/python /work/main/tools/oracle/make_knnvc_refs.py

A tiny WavLM in WavLM-Large's layout (layer-norm feature extractor with the real 320-sample
stride, pre-norm transformer with gated relative position bias, 7 layers so that the default
``wavlm_layer`` 6 exists) is written as ``<TTS_HOME>/wavlm/WavLM-Large.pt`` (``{"cfg", "model"}``,
legacy ``weight_g``/``weight_v`` names), where upstream's ``get_wavlm`` looks for it. A tiny
HiFi-GAN vocoder with a ``pre_linear`` input layer (the ``wavlm-hifigan_prematched`` shape) is
saved in the released layout (``model_g.*``/``model_d.*``). Weights come from
``tests/parity/weights.py``. Upstream's ``Synthesizer`` then converts a 16 kHz source into the
voice of two target recordings (16 kHz and 22.05 kHz, with silence to trim) with the default
``topk`` and with ``topk=2``.

Writes ``tests/data/parity/knnvc/manifest.json`` (configs, key -> shape) and ``refs.npz``
(input recordings, source features, matching set, converted features, audio).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf
import torch

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "tests" / "data" / "parity" / "knnvc"
if Path.cwd().resolve() == REPO or REPO in Path.cwd().resolve().parents:
    sys.exit("Run this from a folder outside the repository (our TTS package would shadow upstream's).")

_spec = importlib.util.spec_from_file_location("parity_weights", REPO / "tests" / "parity" / "weights.py")
weights = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(weights)

SALT = "knnvc"
SSL_DIM = 32
WAVLM_CFG = {
    "extractor_mode": "layer_norm",
    "encoder_layers": 7,
    "encoder_embed_dim": SSL_DIM,
    "encoder_ffn_embed_dim": 64,
    "encoder_attention_heads": 4,
    "activation_fn": "gelu",
    "layer_norm_first": True,
    "conv_feature_layers": "[(32,10,5)] + [(32,3,2)] * 4 + [(32,2,2)] * 2",
    "conv_bias": False,
    "normalize": True,
    "conv_pos": 16,
    "conv_pos_groups": 4,
    "relative_position_embedding": True,
    "num_buckets": 32,
    "max_distance": 100,
    "gru_rel_pos": True,
}
VOCODER_PARAMS = {
    "upsample_factors": [5, 4, 4, 2, 2],
    "upsample_kernel_sizes": [11, 8, 8, 4, 4],
    "upsample_initial_channel": 32,
    "resblock_kernel_sizes": [3, 7, 11],
    "resblock_dilation_sizes": [[1, 3, 5], [1, 3, 5], [1, 3, 5]],
    "resblock_type": "1",
    "pre_linear": SSL_DIM,
    "inference_padding": 0,
}
NUM_MELS = 16
MAX_DISC_KEYS = 2


def voice(rate: int, seconds: float, f0: float, key: str, silence: tuple[float, float] = (0.0, 0.0)) -> np.ndarray:
    """A gliding harmonic tone with a little deterministic noise, padded with near-silence, float32."""
    n = int(rate * seconds)
    t = np.arange(n) / rate
    pitch = f0 + 0.25 * f0 * np.sin(2 * np.pi * 1.3 * t)
    phase = 2 * np.pi * np.cumsum(pitch) / rate
    wav = 0.4 * np.sin(phase) + 0.2 * np.sin(2 * phase + 0.4) + 0.08 * np.sin(3 * phase + 1.1)
    wav *= 0.6 + 0.4 * np.sin(2 * np.pi * 3.0 * t) ** 2  # syllable-like loudness
    wav += 0.4 * weights.deterministic_array(key, (n,))
    lead = 1e-4 * weights.deterministic_array(key + "_lead", (int(rate * silence[0]),))
    tail = 1e-4 * weights.deterministic_array(key + "_tail", (int(rate * silence[1]),))
    return np.clip(np.concatenate([lead, wav, tail]), -1, 1).astype(np.float32)


def filled(model: torch.nn.Module, salt: str) -> tuple[dict[str, torch.Tensor], dict[str, list[int]]]:
    """Deterministic legacy-named state dict for ``model`` and its key -> shape manifest."""
    shapes = weights.legacy_shapes(model.state_dict())
    state = {k: torch.from_numpy(v) for k, v in weights.deterministic_state_dict(shapes, salt=salt).items()}
    return state, shapes


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["TTS_HOME"] = str(work / "home")
        from TTS.utils.synthesizer import Synthesizer
        from TTS.vc.configs.knnvc_config import KNNVCConfig
        from TTS.vc.layers.freevc.wavlm import WavLM, WavLMConfig
        from TTS.vocoder.configs.hifigan_config import HifiganConfig
        from TTS.vocoder.models.gan import GAN

        wavlm_state, wavlm_shapes = filled(WavLM(WavLMConfig(WAVLM_CFG)), SALT + "_wavlm")
        wavlm_file = work / "home" / "tts" / "wavlm" / "WavLM-Large.pt"
        wavlm_file.parent.mkdir(parents=True)
        torch.save({"cfg": WAVLM_CFG, "model": wavlm_state}, wavlm_file)

        vc_dir = work / "knnvc"
        vc_dir.mkdir()
        KNNVCConfig().save_json(str(vc_dir / "config.json"))

        voc_config = HifiganConfig(generator_model_params=VOCODER_PARAMS)
        voc_config.audio.sample_rate = 16000
        voc_config.audio.num_mels = NUM_MELS
        voc_dir = work / "vocoder"
        voc_dir.mkdir()
        (voc_dir / "config.json").write_text(json.dumps(voc_config.to_dict(), indent=1))
        voc_state, voc_shapes = filled(GAN(voc_config), SALT + "_vocoder")
        torch.save({"model": voc_state, "config": voc_config.to_dict()}, voc_dir / "model.pth")
        disc = [k for k in voc_shapes if k.startswith("model_d.")]
        voc_manifest = {
            k: s for k, s in voc_shapes.items() if not k.startswith("model_d.") or k in disc[:MAX_DISC_KEYS]
        }

        inputs = {
            "source": (16000, voice(16000, 1.2, 130.0, "src")),
            "target_a": (16000, voice(16000, 0.9, 210.0, "tgt_a", silence=(0.4, 0.3))),
            "target_b": (22050, voice(22050, 0.8, 250.0, "tgt_b", silence=(0.2, 0.25))),
        }
        paths = {}
        for name, (rate, wav) in inputs.items():
            paths[name] = str(work / f"{name}.wav")
            sf.write(paths[name], wav, rate, subtype="FLOAT")

        synth = Synthesizer(
            vc_checkpoint=str(vc_dir),
            vc_config=str(vc_dir / "config.json"),
            vocoder_checkpoint=str(voc_dir / "model.pth"),
            vocoder_config=str(voc_dir / "config.json"),
        )
        model = synth.vc_model
        targets = [paths["target_a"], paths["target_b"]]
        refs: dict[str, np.ndarray] = {name: wav for name, (_, wav) in inputs.items()}
        with torch.inference_mode():
            refs["source_features"] = model.get_features(paths["source"]).numpy()
            refs["matching_set"] = model.get_matching_set(targets).numpy()
            refs["converted"] = model.voice_conversion(paths["source"], targets).numpy()
            refs["converted_top2"] = model.voice_conversion(paths["source"], targets, topk=2).numpy()
        refs["wav"] = np.asarray(synth.voice_conversion(paths["source"], targets), dtype=np.float32)
        manifest = {
            "salt": SALT,
            "rates": {name: rate for name, (rate, _) in inputs.items()},
            "wavlm_cfg": WAVLM_CFG,
            "wavlm_shapes": wavlm_shapes,
            "knnvc_config": KNNVCConfig().to_dict(),
            "vocoder_config": voc_config.to_dict(),
            "vocoder_shapes": voc_manifest,
        }
        for key, value in refs.items():
            print(key, value.shape)
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    np.savez_compressed(OUT / "refs.npz", **refs)


if __name__ == "__main__":
    main()
