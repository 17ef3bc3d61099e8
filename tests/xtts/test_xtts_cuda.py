"""XTTS on a CUDA GPU: upstream's CPU references hold there too (marker ``cuda``).

The released-layout tiny folder is loaded, moved with ``model.cuda()`` as users do, and fed the
oracle's inputs. With TF32 off the GPU must give upstream's numbers to the CPU tolerances (codes
exactly); with torch's defaults the audio stays within 1e-2 of them.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tests.gpu.cuda import CUDA_MARKS, as_numpy, exact_fp32, max_abs_err
from tests.xtts import fixture
from tests.xtts.conftest import FixedTokens, tiny_config

pytestmark = CUDA_MARKS


@pytest.fixture(scope="module")
def cuda_model(model_folder):
    from TTS.tts.models.xtts import Xtts

    config = tiny_config()
    model = Xtts.init_from_config(config)
    model.load_checkpoint(config, checkpoint_dir=str(model_folder), eval=True)
    model.cuda()
    assert model.device.type == "cuda"
    return model


def _voice(refs, device="cpu"):
    cond = torch.from_numpy(refs["cond_a_gpt_cond_latent"]).to(device)
    return cond, torch.from_numpy(refs["cond_a_speaker_embedding"]).to(device)


def test_decoder_on_cuda_matches_upstream(cuda_model, refs):
    latents = torch.from_numpy(fixture.fixed_latents(frames=12)).cuda()
    spk = torch.from_numpy(fixture.fixed_speaker_embedding()).cuda()
    with torch.inference_mode(), exact_fp32():
        wav = cuda_model.hifigan_decoder(latents, g=spk)
    assert wav.device.type == "cuda"
    assert max_abs_err(wav, refs["decoder_wav"]) < 1e-4
    with torch.inference_mode():  # torch's defaults (TF32 convolutions)
        assert max_abs_err(cuda_model.hifigan_decoder(latents, g=spk), refs["decoder_wav"]) < 1e-2


def test_conditioning_latents_on_cuda_match_upstream(cuda_model, refs, reference_files):
    ref_a, ref_b = reference_files
    with exact_fp32():
        cond, emb = cuda_model.get_conditioning_latents(str(ref_a), gpt_cond_len=6, gpt_cond_chunk_len=3)
        assert cond.device.type == "cuda" and emb.device.type == "cuda"
        assert max_abs_err(cond, refs["cond_a_gpt_cond_latent"]) < 1e-4
        assert max_abs_err(emb, refs["cond_a_speaker_embedding"]) < 1e-4
        cond, emb = cuda_model.get_conditioning_latents([str(ref_a), str(ref_b)], sound_norm_refs=True)
        assert max_abs_err(cond, refs["cond_ab_gpt_cond_latent"]) < 1e-4
        assert max_abs_err(emb, refs["cond_ab_speaker_embedding"]) < 1e-4


@pytest.mark.parametrize("latents_on", ["cpu", "cuda"])
def test_greedy_inference_on_cuda_matches_upstream(cuda_model, refs, manifest, monkeypatch, captured_codes, latents_on):
    monkeypatch.setattr(cuda_model, "tokenizer", FixedTokens())
    cond, spk = _voice(refs, latents_on)
    with exact_fp32():
        for name, kwargs in manifest["inference_cases"].items():
            captured_codes.clear()
            out = cuda_model.inference("text", "en", cond, spk, **kwargs)
            np.testing.assert_array_equal(as_numpy(captured_codes[0]), refs[f"{name}_codes"], err_msg=name)
            assert isinstance(out["wav"], np.ndarray), name
            assert max_abs_err(out["gpt_latents"], refs[f"{name}_latents"]) < 1e-3, name
            assert max_abs_err(out["wav"], refs.get(f"{name}_wav", refs["greedy_wav"])) < 1e-3, name


def test_streaming_on_cuda_matches_upstream(cuda_model, refs, monkeypatch):
    monkeypatch.setattr(cuda_model, "tokenizer", FixedTokens())
    cond, spk = _voice(refs, "cuda")
    with exact_fp32():
        chunks = list(cuda_model.inference_stream("text", "en", cond, spk, stream_chunk_size=8, top_k=1))
    assert [c.numel() for c in chunks] == refs["stream_chunk_lengths"].tolist()
    assert max_abs_err(torch.cat(chunks), refs["stream_wav"]) < 1e-3


def test_reduced_precision_on_cuda(model_folder, refs, monkeypatch):
    """The opt-in fast mode on a GPU: bf16 decoder where the GPU has it, same length, audio close to fp32."""
    from TTS.tts.models.xtts import Xtts

    config = tiny_config()
    model = Xtts.init_from_config(config)
    model.load_checkpoint(config, checkpoint_dir=str(model_folder), eval=True)
    model.cuda()
    model.enable_reduced_precision()
    monkeypatch.setattr(model, "tokenizer", FixedTokens())
    cond, spk = _voice(refs, "cuda")
    out = model.inference("text", "en", cond, spk, do_sample=True, top_k=1)
    expected = refs["greedy_wav"]
    assert out["wav"].shape == expected.shape
    noise = float(np.sum((out["wav"] - expected) ** 2))
    snr = 10 * np.log10(float(np.sum(expected**2)) / max(noise, 1e-20))
    print(f"XTTS reduced precision on CUDA: SNR {snr:.1f} dB against upstream's fp32 audio")
    assert snr > 20.0
