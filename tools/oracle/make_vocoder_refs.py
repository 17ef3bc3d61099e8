"""Reference outputs of upstream coqui-tts 0.28 vocoders (all but HiFi-GAN) for our parity tests.

Run in the oracle venv from a folder outside the repo:

    cd /tmp && /work/oracle/venv/bin/python /work/main/tools/oracle/make_vocoder_refs.py

For each family a tiny config in the released layout is saved with a ``model.pth``
whose keys are the released ones (``model_g.*`` / ``model_d.*`` for GAN vocoders,
legacy ``weight_g``/``weight_v`` for weight norm), filled by ``tests/parity/weights.py``.
Upstream loads it through its own ``load_config`` / ``setup_model`` /
``load_checkpoint(eval=True)`` and vocodes a fixed mel. Noise-driven families
(ParallelWaveGAN, UnivNet, WaveGrad, WaveRNN) run after ``torch.manual_seed``.

Writes ``tests/data/parity/vocoders/<case>.json`` (config, key -> shape manifest,
seed) and ``<case>.npz`` (mel input and reference outputs). The manifest lists at
most a few discriminator keys (training-only; our loader must drop them).
"""

from __future__ import annotations

import importlib.util
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "tests" / "data" / "parity" / "vocoders"
if Path.cwd().resolve() == REPO or REPO in Path.cwd().resolve().parents:
    sys.exit("Run this from a folder outside the repository (our TTS package would shadow upstream's).")

_spec = importlib.util.spec_from_file_location("parity_weights", REPO / "tests" / "parity" / "weights.py")
weights = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(weights)

from TTS.config import BaseAudioConfig, load_config  # noqa: E402
from TTS.vocoder.configs import (  # noqa: E402
    FullbandMelganConfig,
    MelganConfig,
    MultibandMelganConfig,
    ParallelWaveganConfig,
    UnivnetConfig,
    WavegradArgs,
    WavegradConfig,
    WavernnArgs,
    WavernnConfig,
)
from TTS.vocoder.models import setup_model  # noqa: E402

NUM_MELS = 80
FRAMES = 12
MAX_DISC_KEYS = 4
SEED = 1234
# Buffers computed from the config (PQMF filters) come from the model on each side.
COMPUTED = (".pqmf_layer.H", ".pqmf_layer.G", ".pqmf_layer.updown_filter")

MELGAN_DISC = {"base_channels": 4, "max_channels": 16, "downsample_factors": [2, 2]}


def cases() -> dict:
    base = {"num_mels": NUM_MELS, "hop_length": 16, "win_length": 256, "fft_size": 256, "sample_rate": 16000}

    def audio(**kw) -> BaseAudioConfig:
        return BaseAudioConfig(**{**base, **kw})

    out = {
        "melgan": MelganConfig(
            audio=audio(),
            generator_model_params={"upsample_factors": [2, 2], "num_res_blocks": 2},
            discriminator_model_params=MELGAN_DISC,
        ),
        "multiband_melgan": MultibandMelganConfig(
            audio=audio(),
            generator_model_params={"upsample_factors": [2, 2], "num_res_blocks": 2},
            discriminator_model_params=MELGAN_DISC,
        ),
        "fullband_melgan": FullbandMelganConfig(
            audio=audio(),
            generator_model="fullband_melgan_generator",
            generator_model_params={"upsample_factors": [2, 2], "num_res_blocks": 3},
            discriminator_model_params=MELGAN_DISC,
        ),
        "parallel_wavegan": ParallelWaveganConfig(
            audio=audio(),
            generator_model_params={"upsample_factors": [2, 2], "stacks": 2, "num_res_blocks": 4},
            discriminator_model_params={"num_layers": 3},
        ),
        "univnet": UnivnetConfig(
            audio=audio(),
            generator_model_params={
                "in_channels": 8,
                "out_channels": 1,
                "hidden_channels": 8,
                "cond_channels": NUM_MELS,
                "upsample_factors": [2, 3],
                "lvc_layers_each_block": 2,
                "lvc_kernel_size": 3,
                "kpnet_hidden_channels": 8,
                "kpnet_conv_size": 3,
                "dropout": 0.0,
            },
        ),
        "wavegrad": WavegradConfig(
            audio=audio(hop_length=8),
            model_params=WavegradArgs(
                **{
                    "in_channels": NUM_MELS,
                    "out_channels": 1,
                    "use_weight_norm": True,
                    "y_conv_channels": 4,
                    "x_conv_channels": 16,
                    "dblock_out_channels": [4, 8],
                    "ublock_out_channels": [16, 8, 4],
                    "upsample_factors": [2, 2, 2],
                    "upsample_dilations": [[1, 2, 1, 2], [1, 2, 4, 8], [1, 2, 4, 8]],
                }
            ),
            test_noise_schedule={"min_val": 1e-4, "max_val": 0.05, "num_steps": 4},
        ),
        "wavernn": WavernnConfig(
            audio=audio(hop_length=8),
            model_args=WavernnArgs(
                **{
                    "rnn_dims": 16,
                    "fc_dims": 16,
                    "compute_dims": 8,
                    "res_out_dims": 8,
                    "num_res_blocks": 1,
                    "use_aux_net": True,
                    "use_upsample_net": True,
                    "upsample_factors": [2, 4],
                    "mode": "mold",
                    "mulaw": True,
                    "pad": 2,
                    "feat_dims": NUM_MELS,
                }
            ),
            batched=True,
            target_samples=48,
            overlap_samples=8,
        ),
    }
    bits = WavernnConfig(**{**out["wavernn"].to_dict(), "audio": audio(hop_length=8)})
    bits.model_args = WavernnArgs(**{**out["wavernn"].model_args.to_dict(), "mode": 9, "use_upsample_net": False})
    out["wavernn_bits"] = bits
    return out


def legacy_key(key: str) -> str:
    """Upstream 0.28 names weight norm by parametrization; the released files use weight_g / weight_v."""
    return key.replace(".parametrizations.weight.original0", ".weight_g").replace(
        ".parametrizations.weight.original1", ".weight_v"
    )


def released_state(model: torch.nn.Module, name: str) -> tuple[dict, dict, list]:
    """(full legacy state dict for upstream, manifest key -> shape, computed keys)."""
    shapes = {legacy_key(k): list(v.shape) for k, v in model.state_dict().items()}
    computed = [k for k in shapes if k.endswith(COMPUTED)]
    filled = weights.deterministic_state_dict(shapes, skip=computed, salt=name)
    state = {k: torch.from_numpy(v) for k, v in filled.items()}
    own = model.state_dict()
    for k in shapes:
        if k not in state:  # computed buffers (PQMF filters, num_batches_tracked) from the model
            state[k] = own[k].clone()
    disc = [k for k in shapes if k.startswith("model_d.")]
    manifest = {k: s for k, s in shapes.items() if not k.startswith("model_d.") or k in disc[:MAX_DISC_KEYS]}
    return state, manifest, computed


def _json_safe(config) -> bool:
    return not isinstance(getattr(getattr(config, "model_args", None), "mode", None), int)


def load_upstream(config, state: dict, folder: Path):
    config_path = folder / "config.json"
    config_path.write_text(json.dumps(config.to_dict(), indent=2))
    ckpt = folder / "model.pth"
    torch.save({"model": state, "config": config.to_dict(), "step": 1, "epoch": 0}, ckpt)
    if not _json_safe(config):
        # Upstream's config.json cannot carry an int WaveRNN mode (coqpit drops the whole model_args): use the object.
        model = setup_model(config)
        model.load_checkpoint(config, str(ckpt), eval=True)
        model.eval()
        return config, model
    config = load_config(str(config_path))
    model = setup_model(config)
    model.load_checkpoint(config, str(ckpt), eval=True)
    model.eval()
    return config, model


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    mel_short = rng.standard_normal((1, NUM_MELS, FRAMES)).astype(np.float32)
    mel_long = rng.standard_normal((1, NUM_MELS, 3 * FRAMES)).astype(np.float32)  # reaches WaveRNN's fade-out
    for name, config in cases().items():
        torch.manual_seed(0)
        model = setup_model(config)
        state, manifest, computed = released_state(model, name)
        with tempfile.TemporaryDirectory() as tmp:
            config, model = load_upstream(config, state, Path(tmp))
        mel = mel_long if name.startswith("wavernn") else mel_short
        refs = {"mel": mel}
        x = torch.from_numpy(mel)
        with torch.no_grad():
            if name.startswith("wavernn"):
                refs.update(wavernn_refs(model, config, x))
            else:
                torch.manual_seed(SEED)
                refs["wav"] = model.inference(x).numpy()
                if name in ("parallel_wavegan", "univnet", "wavegrad"):
                    torch.manual_seed(SEED + 1)
                    refs["wav_seed2"] = model.inference(x).numpy()
        np.savez_compressed(OUT / f"{name}.npz", **refs)
        config_dict = config.to_dict()
        if not _json_safe(config):
            config_dict["model_args"]["mode"] = str(config.model_args.mode)  # what our config.json can carry
        info = {
            "case": name,
            "config": config_dict,
            "salt": name,
            "seed": SEED,
            "computed_keys": computed,
            "shapes": manifest,
        }
        (OUT / f"{name}.json").write_text(json.dumps(info, indent=1) + "\n")
        print(name, {k: v.shape for k, v in refs.items()}, f"{len(manifest)} keys")


def wavernn_refs(model, config, x: torch.Tensor) -> dict:
    refs = {}
    # Deterministic parts: the upsampler and the teacher-forced logits.
    padded = torch.nn.functional.pad(x, (config.model_args.pad, config.model_args.pad))
    cond, aux = model.upsample(padded)
    keep = 48  # leading steps kept for the deterministic references (keeps the files small)
    refs["cond"], refs["aux"] = cond[:, :keep].numpy(), aux[:, :keep].numpy()
    prev = torch.from_numpy(np.random.default_rng(1).uniform(-1, 1, (1, cond.shape[1])).astype(np.float32))
    refs["prev"] = prev.numpy()
    refs["logits"] = model.forward(prev, padded)[:, :keep].numpy()
    torch.manual_seed(SEED)
    refs["wav"] = np.asarray(model.inference(x[0]), dtype=np.float32)
    torch.manual_seed(SEED)
    refs["wav_batched"] = np.asarray(
        model.inference(x[0], True, config.target_samples, config.overlap_samples), dtype=np.float32
    )
    return refs


if __name__ == "__main__":
    main()
