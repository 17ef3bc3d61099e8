"""XTTS against upstream coqui-tts 0.28 (references from tools/oracle/make_xtts_refs.py)."""

from __future__ import annotations

import numpy as np
import torch

from tests.xtts import fixture
from tests.xtts.conftest import FixedTokens


def test_decoder_waveform_matches_upstream(loaded_model, refs):
    latents = torch.from_numpy(fixture.fixed_latents(frames=12))
    spk = torch.from_numpy(fixture.fixed_speaker_embedding())
    with torch.inference_mode():
        wav = loaded_model.hifigan_decoder(latents, g=spk).numpy()
    assert wav.shape == refs["decoder_wav"].shape
    np.testing.assert_allclose(wav, refs["decoder_wav"], atol=1e-4, rtol=0)


def test_conditioning_latents_match_upstream(loaded_model, refs, reference_files):
    ref_a, ref_b = reference_files
    cond, emb = loaded_model.get_conditioning_latents(str(ref_a), gpt_cond_len=6, gpt_cond_chunk_len=3)
    np.testing.assert_allclose(cond.numpy(), refs["cond_a_gpt_cond_latent"], atol=1e-4, rtol=0)
    np.testing.assert_allclose(emb.numpy(), refs["cond_a_speaker_embedding"], atol=1e-4, rtol=0)
    cond, emb = loaded_model.get_conditioning_latents([str(ref_a), str(ref_b)], sound_norm_refs=True)
    np.testing.assert_allclose(cond.numpy(), refs["cond_ab_gpt_cond_latent"], atol=1e-4, rtol=0)
    np.testing.assert_allclose(emb.numpy(), refs["cond_ab_speaker_embedding"], atol=1e-4, rtol=0)


def _voice(refs):
    return torch.from_numpy(refs["cond_a_gpt_cond_latent"]), torch.from_numpy(refs["cond_a_speaker_embedding"])


def test_greedy_inference_matches_upstream(loaded_model, refs, manifest, monkeypatch, captured_codes):
    captured = captured_codes
    monkeypatch.setattr(loaded_model, "tokenizer", FixedTokens())
    cond, spk = _voice(refs)
    for name, kwargs in manifest["inference_cases"].items():
        captured.clear()
        out = loaded_model.inference("text", "en", cond, spk, **kwargs)
        np.testing.assert_array_equal(captured[0].numpy(), refs[f"{name}_codes"], err_msg=name)
        np.testing.assert_allclose(out["gpt_latents"], refs[f"{name}_latents"], atol=1e-4, rtol=0, err_msg=name)
        expected = refs.get(f"{name}_wav", refs["greedy_wav"])
        assert out["wav"].shape == expected.shape, name
        np.testing.assert_allclose(out["wav"], expected, atol=1e-3, rtol=0, err_msg=name)


def test_streaming_matches_upstream_and_non_streaming(loaded_model, refs, monkeypatch):
    monkeypatch.setattr(loaded_model, "tokenizer", FixedTokens())
    cond, spk = _voice(refs)
    chunks = list(loaded_model.inference_stream("text", "en", cond, spk, stream_chunk_size=8, do_sample=True, top_k=1))
    lengths = [c.numel() for c in chunks]
    assert lengths == refs["stream_chunk_lengths"].tolist()
    stream = torch.cat(chunks).numpy()
    np.testing.assert_allclose(stream, refs["stream_wav"], atol=1e-3, rtol=0)
    # The streamed audio has the full decode's length and the same samples away from the cross-fades.
    full = refs["greedy_wav"]
    assert stream.shape == full.shape
    np.testing.assert_allclose(stream[-2048:], full[-2048:], atol=1e-3, rtol=0)
