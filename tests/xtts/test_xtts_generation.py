"""Our XTTS decoding loop: logits processing, key/value cache, stopping, cross-fades."""

from __future__ import annotations

import pytest
import torch

from TTS.tts.layers.xtts.generation import generate, generate_stream
from TTS.tts.layers.xtts.gpt import GPT
from TTS.tts.layers.xtts.sampling import SamplingSettings, apply_top_k, apply_top_p, select_next
from TTS.tts.layers.xtts.streaming import CrossFader


def tiny_gpt() -> GPT:
    torch.manual_seed(0)
    gpt = GPT(
        start_text_token=30, stop_text_token=0, layers=2, model_dim=64, heads=4, max_text_tokens=40,
        max_mel_tokens=40, number_text_tokens=32, num_audio_tokens=50, start_audio_token=48,
        stop_audio_token=49, use_perceiver_resampler=True,
    )  # fmt: skip
    with torch.no_grad():
        for p in gpt.parameters():
            p.normal_(0, 0.3)
    return gpt.eval()


def test_processing_matches_transformers():
    transformers = pytest.importorskip("transformers")
    from transformers.generation import logits_process as lp

    torch.manual_seed(1)
    logits = torch.randn(3, 200) * 3
    seen_ids = torch.randint(0, 200, (3, 30))
    seen = torch.zeros(3, 200, dtype=torch.bool).scatter_(1, seen_ids, True)
    chain = [
        lp.RepetitionPenaltyLogitsProcessor(penalty=2.5),
        lp.TemperatureLogitsWarper(0.7),
        lp.TopKLogitsWarper(top_k=20),
        lp.TopPLogitsWarper(top_p=0.8),
    ]
    expected = logits.clone()
    for proc in chain:
        expected = proc(seen_ids, expected)
    from TTS.tts.layers.xtts.sampling import apply_repetition_penalty

    got = apply_top_p(apply_top_k(apply_repetition_penalty(logits.clone(), seen, 2.5) / 0.7, 20), 0.8)
    assert torch.equal(torch.isinf(got), torch.isinf(expected))
    torch.testing.assert_close(got[~torch.isinf(got)], expected[~torch.isinf(expected)])
    assert transformers.__version__


def test_greedy_choices():
    logits = torch.tensor([[1.0, 3.0, 2.9, -1.0]])
    seen = torch.tensor([[False, True, False, False]])
    # 3.0 / 2 = 1.5 < 2.9: the penalty moves the choice to id 2
    assert select_next(logits.clone(), seen, SamplingSettings(do_sample=False, repetition_penalty=2.0)).item() == 2
    settings = SamplingSettings(do_sample=True, top_k=1, temperature=0.3, repetition_penalty=1.0)
    assert select_next(logits.clone(), seen, settings).item() == 1


def test_kv_cache_latents_equal_a_full_pass():
    gpt = tiny_gpt()
    cond = torch.randn(1, 32, 64)
    text = torch.tensor([[3, 5, 7, 9, 2]])
    with torch.inference_mode():
        codes, latents = generate(gpt, cond, text, SamplingSettings(do_sample=False, repetition_penalty=1.5))
        assert codes.shape[1] == latents.shape[1] <= gpt.max_gen_mel_tokens
        full = gpt.latents_from_codes(cond, text, codes)
    torch.testing.assert_close(latents, full, atol=1e-5, rtol=1e-5)


def test_stops_at_the_stop_code_and_at_the_limit():
    gpt = tiny_gpt()
    cond, text = torch.randn(1, 32, 64), torch.tensor([[3, 5]])
    with torch.inference_mode():
        gpt.mel_head.bias[gpt.stop_audio_token] = 1e4
        codes, latents = generate(gpt, cond, text, SamplingSettings(do_sample=False))
        assert codes.tolist() == [[gpt.stop_audio_token]] and latents.shape == (1, 1, 64)
        gpt.mel_head.bias[gpt.stop_audio_token] = -1e4
        steps = list(generate_stream(gpt, cond, text, SamplingSettings(do_sample=False), max_new_tokens=7))
        assert len(steps) == 7


def test_crossfader_emits_the_final_length_once():
    torch.manual_seed(0)
    fader = CrossFader(overlap=100)
    decodes = [torch.randn(n) for n in (1000, 1700, 1750, 2600)]
    chunks = [fader.push(w) for w in decodes[:-1]] + [fader.push(decodes[-1], is_final=True)]
    assert chunks[2].numel() == 0  # 50 new samples < overlap: wait for more
    out = torch.cat(chunks)
    assert out.numel() == 2600
    torch.testing.assert_close(out[:900], decodes[0][:900])
    # first sample of a cross-fade comes from the previous decode, the end of the last chunk from the final one
    torch.testing.assert_close(out[900], decodes[0][900])
    torch.testing.assert_close(out[1700:], decodes[-1][1700:])


@pytest.mark.parametrize("kernel", ["fbgemm", "int8pack"])
def test_int8_mode_tracks_fp32(kernel):
    from TTS.core import int8
    from TTS.tts.layers.xtts.quantize import quantize_gpt_int8

    if kernel == "fbgemm" and not int8.fbgemm_available():
        pytest.skip("no fbgemm engine in this torch build")
    if kernel == "int8pack" and not int8._int8pack_cpu():
        pytest.skip("no weight-only int8 kernel in this torch build")
    gpt = tiny_gpt()
    cond, text = torch.randn(1, 32, 64), torch.tensor([[3, 5, 7]])
    with torch.inference_mode():
        embeds = gpt.prefix_embeddings(cond, text)
        ref_latents, ref_logits = gpt.step(embeds)
        assert quantize_gpt_int8(gpt, kernel=kernel) == 2 * 4 + 1
        assert gpt.mel_head.kernel == kernel
        latents, logits = gpt.step(embeds)
        codes, _ = generate(gpt, cond, text, SamplingSettings(do_sample=False), max_new_tokens=5)
    assert codes.shape == (1, 5) or gpt.stop_audio_token in codes
    rel = (logits - ref_logits).norm() / ref_logits.norm()
    assert rel < 0.05, rel


def test_crossfader_would_emit_predicts_push():
    """``would_emit`` must say exactly when ``push`` returns audio (it lets streaming skip decodes)."""
    gen = torch.Generator().manual_seed(0)
    for overlap in (1, 16, 100):
        fader, probe, length = CrossFader(overlap), CrossFader(overlap), 0
        for step in range(40):
            length += int(torch.randint(0, 60, (1,), generator=gen))
            final = step == 39
            wav = torch.randn(length, generator=gen)
            predicted = probe.would_emit(length, is_final=final)
            got = fader.push(wav, is_final=final)
            assert predicted == (got.numel() > 0), (overlap, step, length)
            probe.push(wav, is_final=final)


@pytest.mark.parametrize("rates", [(22050, 24000), (22050, 22050), (16000, 24000)])
def test_decoder_num_samples_matches_a_real_decode(rates):
    from TTS.tts.layers.xtts.hifigan_decoder import HifiDecoder

    input_rate, output_rate = rates
    decoder = HifiDecoder(
        input_sample_rate=input_rate,
        output_sample_rate=output_rate,
        decoder_input_dim=8,
        upsample_rates_decoder=[4, 4],
        upsample_kernel_sizes_decoder=[8, 8],
        upsample_initial_channel_decoder=8,
        resblock_kernel_sizes_decoder=[3],
        resblock_dilation_sizes_decoder=[[1, 3]],
        output_hop_length=16,
        ar_mel_length_compression=64,
        d_vector_dim=4,
    ).eval()
    g = torch.zeros(1, 4, 1)
    for n in (1, 2, 7, 20, 33):
        with torch.inference_mode():
            wav = decoder(torch.randn(1, n, 8), g=g)
        assert wav.shape[-1] == decoder.num_samples(n), n
