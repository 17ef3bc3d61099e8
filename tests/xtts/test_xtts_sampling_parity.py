"""Seeded sampling against upstream coqui-tts 0.28 (references from tools/oracle/make_xtts_sampling_refs.py).

With the same global seed, our generation loop must draw the same codes as upstream's
``generate()``: the same logits processing, then one ``multinomial`` draw per code.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from tests.xtts import fixture
from tests.xtts.conftest import FixedTokens

META = json.loads((fixture.DATA / "sampling_cases.json").read_text())


@pytest.fixture(scope="module")
def sampling_refs() -> dict[str, np.ndarray]:
    with np.load(fixture.DATA / "refs_sampling.npz") as data:
        return {k: data[k] for k in data.files}


def _voice(refs):
    return torch.from_numpy(refs["cond_a_gpt_cond_latent"]), torch.from_numpy(refs["cond_a_speaker_embedding"])


@pytest.mark.parametrize("name", sorted(META["cases"]))
def test_seeded_sampling_draws_upstreams_codes(name, loaded_model, refs, sampling_refs, monkeypatch, captured_codes):
    captured = captured_codes
    monkeypatch.setattr(loaded_model, "tokenizer", FixedTokens())
    # only the codes and latents are compared here; the waveform decode is covered elsewhere
    monkeypatch.setattr(loaded_model, "_decode", lambda latents, *a, **k: torch.zeros(1, 1, 1024 * latents.shape[1]))
    case = META["cases"][name]
    cond, spk = _voice(refs)
    torch.manual_seed(case["seed"])
    out = loaded_model.inference("text", "en", cond, spk, do_sample=True, **case["kwargs"])
    np.testing.assert_array_equal(captured[0].numpy(), sampling_refs[f"{name}_codes"])
    if f"{name}_latents" in sampling_refs:
        np.testing.assert_allclose(out["gpt_latents"], sampling_refs[f"{name}_latents"], atol=1e-4, rtol=0)


def test_seeded_sampled_stream_matches_upstream(loaded_model, refs, sampling_refs, monkeypatch):
    monkeypatch.setattr(loaded_model, "tokenizer", FixedTokens())
    cond, spk = _voice(refs)
    stream = META["stream"]
    torch.manual_seed(stream["seed"])
    chunks = list(
        loaded_model.inference_stream(
            "text", "en", cond, spk, stream_chunk_size=stream["stream_chunk_size"], do_sample=True
        )
    )
    assert [c.numel() for c in chunks] == sampling_refs["stream_chunk_lengths"].tolist()
    np.testing.assert_allclose(torch.cat(chunks).numpy(), sampling_refs["stream_wav"], atol=1e-3, rtol=0)
