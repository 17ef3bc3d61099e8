"""Reference outputs of upstream coqui-tts 0.28 XTTS for our parity tests.

Run in the oracle venv from a folder outside the repo:

    cd /tmp && /work/oracle/venv/bin/python /work/main/tools/oracle/make_xtts_refs.py

Builds the tiny XTTS of ``tests/xtts/fixture.py`` (2 GPT layers x 256, 4 heads,
perceiver on, the real HiFi-GAN decoder and speaker encoder), fills it with the
deterministic released-layout weights (legacy ``weight_g``/``weight_v``), and
records:

- ``manifest.json``: the released key -> shape table, the model args, the inputs;
- ``refs.npz``: decoder waveform from fixed latents; ``gpt_cond_latent`` and
  ``speaker_embedding`` from a synthetic 44.1 kHz reference (and from two
  references); greedy codes and latents of ``inference`` for fixed token ids;
- ``refs_wav.npz``: the waveforms of those runs (speed 1.0 and 1.3);
- ``refs_stream.npz``: streamed chunks with ``stream_chunk_size=8``.
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
OUT = REPO / "tests" / "data" / "parity" / "xtts"
if Path.cwd().resolve() == REPO or REPO in Path.cwd().resolve().parents:
    sys.exit("Run this from a folder outside the repository (our TTS package would shadow upstream's).")

_spec = importlib.util.spec_from_file_location("xtts_fixture", REPO / "tests" / "xtts" / "fixture.py")
fixture = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixture)

from TTS.tts.configs.xtts_config import XttsConfig  # noqa: E402
from TTS.tts.models.xtts import Xtts  # noqa: E402

WN = (".parametrizations.weight.original0", ".parametrizations.weight.original1")


def released_name(key: str) -> str:
    """Upstream 0.28's parametrization keys -> the legacy weight-norm keys released files use."""
    if key.endswith(WN[0]):
        return key[: -len(WN[0])] + ".weight_g"
    if key.endswith(WN[1]):
        return key[: -len(WN[1])] + ".weight_v"
    return key


class FixedTokens:
    """Stands in for the tokenizer: every sentence becomes the fixture's token ids."""

    char_limits = {"en": 250}

    def encode(self, txt: str, lang: str) -> list[int]:
        return list(fixture.TEXT_TOKENS)


def capture_generate(model: Xtts) -> list[torch.Tensor]:
    """Record the codes of every ``model.gpt.generate`` call into the returned list."""
    captured: list[torch.Tensor] = []
    generate = model.gpt.generate

    def capture(*args, **kwargs):
        codes = generate(*args, **kwargs)
        captured.append(codes)
        return codes

    model.gpt.generate = capture
    return captured


def main() -> None:
    torch.manual_seed(0)
    config = XttsConfig()
    for key, value in fixture.TINY_ARGS.items():
        setattr(config.model_args, key, value)
    model = Xtts(config)
    upstream_sd = model.state_dict()
    shapes = {released_name(k): list(v.shape) for k, v in upstream_sd.items()}
    computed = {released_name(k): v.numpy() for k, v in upstream_sd.items()}
    state = fixture.fixture_state_dict(shapes, computed)
    model.load_state_dict({k: torch.from_numpy(np.asarray(v)) for k, v in state.items()}, strict=True)
    model.eval()

    refs: dict[str, np.ndarray] = {}
    wavs: dict[str, np.ndarray] = {}
    stream: dict[str, np.ndarray] = {}
    with torch.inference_mode():
        latents = torch.from_numpy(fixture.fixed_latents(frames=12))
        spk = torch.from_numpy(fixture.fixed_speaker_embedding())
        refs["decoder_wav"] = model.hifigan_decoder(latents, g=spk).numpy()

    tmp = Path(tempfile.mkdtemp())
    ref_a, ref_b = tmp / "ref_a.wav", tmp / "ref_b.wav"
    sf.write(ref_a, fixture.reference_audio(4.5), fixture.REFERENCE_RATE_HZ, subtype="FLOAT")
    sf.write(ref_b, fixture.reference_audio(1.5, 16000, seed=8), 16000, subtype="FLOAT")
    cond, emb = model.get_conditioning_latents(str(ref_a), gpt_cond_len=6, gpt_cond_chunk_len=3)
    refs["cond_a_gpt_cond_latent"], refs["cond_a_speaker_embedding"] = cond.numpy(), emb.numpy()
    cond2, emb2 = model.get_conditioning_latents([str(ref_a), str(ref_b)], sound_norm_refs=True)
    refs["cond_ab_gpt_cond_latent"], refs["cond_ab_speaker_embedding"] = cond2.numpy(), emb2.numpy()

    model.tokenizer = FixedTokens()
    captured = capture_generate(model)
    cases = {
        "greedy": {"do_sample": False},
        "topk1": {"do_sample": True, "top_k": 1, "temperature": 0.6, "repetition_penalty": 2.0},
        "greedy_speed": {"do_sample": False, "speed": 1.3, "repetition_penalty": 5.0},
    }
    for name, kwargs in cases.items():
        captured.clear()
        out = model.inference("text", "en", cond, emb, **kwargs)
        refs[f"{name}_codes"] = captured[0].numpy()
        if name != "topk1":  # same codes as "greedy"
            wavs[f"{name}_wav"] = np.asarray(out["wav"])
        refs[f"{name}_latents"] = np.asarray(out["gpt_latents"])
    chunks = list(
        model.inference_stream(
            "text", "en", cond, emb, stream_chunk_size=8, overlap_wav_len=1024, do_sample=True, top_k=1
        )
    )
    stream["stream_wav"] = torch.cat([c.reshape(-1) for c in chunks]).numpy()
    stream["stream_chunk_lengths"] = np.array([c.numel() for c in chunks])

    OUT.mkdir(parents=True, exist_ok=True)
    manifest = {
        "generated_by": "tools/oracle/make_xtts_refs.py with coqui-tts 0.28",
        "model_args": fixture.TINY_ARGS,
        "inference_cases": cases,
        "keys": shapes,
    }
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    np.savez_compressed(OUT / "refs.npz", **refs)
    np.savez_compressed(OUT / "refs_wav.npz", **wavs)
    np.savez_compressed(OUT / "refs_stream.npz", **stream)
    for k, v in {**refs, **wavs, **stream}.items():
        print(f"{k}: {v.shape} {v.dtype}")


if __name__ == "__main__":
    main()
