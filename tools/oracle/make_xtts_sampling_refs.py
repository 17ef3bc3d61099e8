"""Seeded sampling references of upstream coqui-tts 0.28 XTTS for our parity tests.

Run in the oracle venv from a folder outside the repo (after ``make_xtts_refs.py``):

    cd /tmp && /work/oracle/venv/bin/python /work/main/tools/oracle/make_xtts_sampling_refs.py

Same tiny model and voice as ``make_xtts_refs.py``. For each case the global torch
seed is set, then ``inference`` samples (``do_sample=True``); the codes it draws
are recorded. Our loop must consume the random stream the same way (one
``multinomial`` draw per code over the processed distribution) to give the same
codes. One seeded sampled ``inference_stream`` run is recorded as audio.
Writes ``tests/data/parity/xtts/refs_sampling.npz`` and ``sampling_cases.json``.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import torch

REPO = Path(__file__).resolve().parents[2]
if Path.cwd().resolve() == REPO or REPO in Path.cwd().resolve().parents:
    sys.exit("Run this from a folder outside the repository (our TTS package would shadow upstream's).")

_spec = importlib.util.spec_from_file_location("make_xtts_refs", REPO / "tools" / "oracle" / "make_xtts_refs.py")
base = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(base)

# name -> (seed, inference kwargs)
CASES: dict[str, tuple[int, dict]] = {
    "defaults_seed0": (0, {}),
    "defaults_seed7": (7, {}),
    "plain_seed3": (3, {"temperature": 1.0, "top_k": 0, "top_p": 1.0, "repetition_penalty": 1.0}),
    "tight_seed11": (11, {"temperature": 0.3, "top_k": 5, "top_p": 0.5, "repetition_penalty": 2.0}),
    "hot_seed5": (5, {"temperature": 1.7, "top_k": 200, "top_p": 0.95, "repetition_penalty": 1.3}),
}
STREAM_SEED = 3


def main() -> None:
    from TTS.tts.configs.xtts_config import XttsConfig
    from TTS.tts.models.xtts import Xtts

    fixture = base.fixture
    manifest = json.loads((base.OUT / "manifest.json").read_text())
    config = XttsConfig()
    for key, value in fixture.TINY_ARGS.items():
        setattr(config.model_args, key, value)
    model = Xtts(config)
    names = {base.released_name(k): k for k in model.state_dict()}
    computed = {base.released_name(k): v.numpy() for k, v in model.state_dict().items()}
    state = fixture.fixture_state_dict(manifest["keys"], computed)
    model.load_state_dict({names[k]: torch.from_numpy(np.asarray(v)) for k, v in state.items()}, strict=True)
    model.eval()
    model.tokenizer = base.FixedTokens()
    with np.load(base.OUT / "refs.npz") as data:
        cond = torch.from_numpy(data["cond_a_gpt_cond_latent"])
        emb = torch.from_numpy(data["cond_a_speaker_embedding"])

    captured = base.capture_generate(model)
    out: dict[str, np.ndarray] = {}
    with torch.inference_mode():
        for name, (seed, kwargs) in CASES.items():
            captured.clear()
            torch.manual_seed(seed)
            result = model.inference("text", "en", cond, emb, do_sample=True, **kwargs)
            out[f"{name}_codes"] = captured[0].numpy()
            if name == "defaults_seed0":  # one set of latents; the codes carry the rest
                out[f"{name}_latents"] = np.asarray(result["gpt_latents"])
        torch.manual_seed(STREAM_SEED)
        chunks = list(model.inference_stream("text", "en", cond, emb, stream_chunk_size=6, do_sample=True))
    out["stream_wav"] = torch.cat([c.reshape(-1) for c in chunks]).numpy()
    out["stream_chunk_lengths"] = np.array([c.numel() for c in chunks])
    np.savez_compressed(base.OUT / "refs_sampling.npz", **out)
    cases = {name: {"seed": seed, "kwargs": kwargs} for name, (seed, kwargs) in CASES.items()}
    meta = {"generated_by": "tools/oracle/make_xtts_sampling_refs.py with coqui-tts 0.28", "cases": cases,
            "stream": {"seed": STREAM_SEED, "stream_chunk_size": 6}}  # fmt: skip
    (base.OUT / "sampling_cases.json").write_text(json.dumps(meta, indent=1) + "\n")
    for k, v in out.items():
        print(k, v.shape, v.reshape(-1)[:12])


if __name__ == "__main__":
    main()
