"""Speculative decoding (int8 draft, fp32 check): fp32 codes when greedy, fp32 distribution when sampling."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tests.xtts.conftest import FixedTokens, tiny_config
from tests.xtts.test_xtts_generation import tiny_gpt
from TTS.tts.layers.xtts.generation import generate, generate_stream
from TTS.tts.layers.xtts.quantize import int8_supported
from TTS.tts.layers.xtts.sampling import SamplingSettings, sampling_logits
from TTS.tts.layers.xtts.speculative import Int8Draft, accept_or_resample, attach_int8_draft, detach_draft, draft_for

pytestmark = pytest.mark.skipif(not int8_supported(), reason="this torch build has no int8 kernel")

COND = torch.randn(1, 32, 64, generator=torch.Generator().manual_seed(5))
TEXT = torch.tensor([[3, 5, 7, 9, 2]])


def foreign_draft(gpt, lookahead: int, stop_bias: float = 0.0, noise: float = 1.0) -> Int8Draft:
    """A draft made from other weights (it guesses badly), attached to ``gpt``: exercises rejections."""
    other = tiny_gpt()
    with torch.no_grad():
        for p in other.parameters():
            p.add_(noise * torch.randn_like(p, generator=torch.Generator().manual_seed(p.numel())))
        other.mel_head.bias[other.stop_audio_token] += stop_bias
    draft = Int8Draft(other, lookahead)
    draft.base = gpt
    gpt.speculative_draft = draft
    return draft


@pytest.mark.parametrize("lookahead", [1, 2, 3, 5])
@pytest.mark.parametrize("which", ["own", "foreign", "guesses_stop"])
def test_greedy_codes_equal_the_plain_loop(lookahead, which):
    gpt = tiny_gpt()
    settings = SamplingSettings(do_sample=False, repetition_penalty=1.5)
    with torch.inference_mode():
        plain_codes, plain_latents = generate(gpt, COND, TEXT, settings)
        if which == "own":
            attach_int8_draft(gpt, lookahead)
        else:
            foreign_draft(gpt, lookahead, stop_bias=1e4 if which == "guesses_stop" else 0.0)
        assert draft_for(gpt, TEXT) is not None
        codes, latents = generate(gpt, COND, TEXT, settings)
    assert torch.equal(codes, plain_codes)
    torch.testing.assert_close(latents, plain_latents, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("limit", [1, 2, 4, 7])
def test_stops_at_the_limit_and_at_the_stop_code(limit):
    gpt = tiny_gpt()
    settings = SamplingSettings(do_sample=False)
    with torch.inference_mode():
        plain = generate(gpt, COND, TEXT, settings, max_new_tokens=limit)[0]
        attach_int8_draft(gpt, 3)
        assert torch.equal(generate(gpt, COND, TEXT, settings, max_new_tokens=limit)[0], plain)
        assert plain.shape[1] <= limit
        gpt.mel_head.bias[gpt.stop_audio_token] = 1e4  # the fp32 model stops at once; the draft is unchanged
        assert generate(gpt, COND, TEXT, settings, max_new_tokens=limit)[0].tolist() == [[gpt.stop_audio_token]]


def test_the_rule_draws_from_p_whatever_the_draft():
    gen = torch.Generator().manual_seed(0)
    p = torch.tensor([0.5, 0.3, 0.15, 0.05, 0.0])
    q = torch.tensor([0.05, 0.05, 0.1, 0.4, 0.4])  # a poor draft: most guesses are wrong
    n = 20000
    counts = torch.zeros(5)
    accepted = 0
    for _ in range(n):
        guess = int(torch.multinomial(q, 1, generator=gen))
        ok, code = accept_or_resample(p, q, guess, gen)
        accepted += ok
        counts[code] += 1
    freq = counts / n
    assert float((freq - p).abs().sum()) / 2 < 0.015  # total variation from p
    assert float((freq - q).abs().sum()) / 2 > 0.5  # (far from q: the check can fail)
    assert counts[4] == 0  # never an id p excludes
    assert abs(accepted / n - float(torch.minimum(p, q).sum())) < 0.015  # acceptance rate = sum min(p, q)


def _exact_code_distribution(gpt, settings, length):
    """Probability of every code sequence of ``length`` codes (or ending at the stop code) under fp32 sampling."""
    leaves = {}

    def grow(prefix, prob):
        if len(prefix) == length or (prefix and prefix[-1] == gpt.stop_audio_token):
            leaves[tuple(prefix)] = prob
            return
        codes = torch.tensor([[gpt.start_audio_token, *prefix]])
        embeds = torch.cat([gpt.prefix_embeddings(COND, TEXT), gpt.audio_embeddings(codes, 0)], dim=1)
        seen = torch.zeros(1, gpt.num_audio_tokens, dtype=torch.bool)
        seen[0, [1, gpt.start_audio_token, *prefix]] = True  # as the loop's repetition penalty sees them
        p = sampling_logits(gpt.step(embeds)[1], seen, settings).softmax(-1)[0]
        for code in (p > 0).nonzero()[:, 0].tolist():
            grow([*prefix, code], prob * float(p[code]))

    grow([], 1.0)
    return leaves


@pytest.mark.parametrize("which", ["own", "foreign"])
def test_sampled_codes_follow_the_fp32_distribution(which):
    """The joint distribution of the first four codes equals fp32 sampling's, whatever the draft proposes.

    Four codes with a repetition penalty cover accepted guesses (``seen`` must grow), rejections
    (resampling from the remainder), a code after a fully accepted pass and the per-guess ``q``.
    """
    gpt = tiny_gpt()
    settings = SamplingSettings(temperature=1.0, top_k=2, top_p=1.0, repetition_penalty=3.0)
    runs, length = 2000, 4
    with torch.inference_mode():
        exact = _exact_code_distribution(gpt, settings, length)
        attach_int8_draft(gpt, 3) if which == "own" else foreign_draft(gpt, 3, noise=0.1)  # near, yet wrong
        counts: dict[tuple[int, ...], int] = {}
        for seed in range(runs):
            gen = torch.Generator().manual_seed(seed)
            codes = tuple(generate(gpt, COND, TEXT, settings, max_new_tokens=length, generator=gen)[0][0].tolist())
            counts[codes] = counts.get(codes, 0) + 1
    assert set(counts) <= set(exact), set(counts) - set(exact)  # nothing fp32 sampling could not draw
    tv = sum(abs(counts.get(k, 0) / runs - p) for k, p in exact.items()) / 2
    noise = sum((p * (1 - p) / runs) ** 0.5 for p in exact.values()) * (2 / np.pi) ** 0.5 / 2  # expected TV
    assert tv < 1.6 * noise, (tv, noise)


@pytest.mark.parametrize("which", ["own", "foreign"])
def test_each_check_gets_the_processed_distributions_of_its_own_position(which, monkeypatch):
    """``p`` and ``q`` handed to the rule are filtered sampling distributions that hold the guess."""
    import TTS.tts.layers.xtts.speculative as speculative

    checks = []
    rule = speculative.accept_or_resample
    monkeypatch.setattr(
        speculative,
        "accept_or_resample",
        lambda p, q, guess, gen: checks.append((p, q, guess)) or rule(p, q, guess, gen),
    )
    gpt = tiny_gpt()
    settings = SamplingSettings(temperature=0.8, top_k=3, top_p=1.0, repetition_penalty=3.0)
    with torch.inference_mode():
        attach_int8_draft(gpt, 4) if which == "own" else foreign_draft(gpt, 4, noise=0.5)
        for seed in range(40):
            generate(gpt, COND, TEXT, settings, max_new_tokens=12, generator=torch.Generator().manual_seed(seed))
    assert len(checks) > 100
    for p, q, guess in checks:
        for dist in (p, q):
            assert 1 <= int((dist > 0).sum()) <= 3  # after top-k, not a raw softmax
            torch.testing.assert_close(dist.sum(), torch.tensor(1.0))
        assert q[guess] > 0  # the distribution the guess was drawn from


def test_only_for_one_fp32_sequence_on_the_cpu():
    gpt = tiny_gpt()
    attach_int8_draft(gpt, 2)
    with torch.inference_mode():
        assert draft_for(gpt, TEXT) is not None
        assert draft_for(gpt, TEXT.expand(2, -1)) is None  # batches use the default loop
        two = generate(gpt, COND, TEXT.expand(2, -1), SamplingSettings(do_sample=False), max_new_tokens=4)[0]
    assert two.shape[0] == 2
    assert draft_for(gpt, TEXT) is None  # autograd on
    assert not any("speculative" in k for k in gpt.state_dict())  # not part of the checkpoint
    detach_draft(gpt)
    with torch.inference_mode():
        assert draft_for(gpt, TEXT) is None


@pytest.fixture
def speculative_model(model_folder):
    from TTS.tts.models.xtts import Xtts

    config = tiny_config()
    model = Xtts.init_from_config(config)
    model.load_checkpoint(config, checkpoint_dir=str(model_folder), eval=True)
    assert model.enable_speculative_decoding(lookahead=3)
    return model


def test_greedy_inference_still_matches_upstream(speculative_model, refs, manifest, monkeypatch, captured_codes):
    monkeypatch.setattr(speculative_model, "tokenizer", FixedTokens())
    cond = torch.from_numpy(refs["cond_a_gpt_cond_latent"])
    spk = torch.from_numpy(refs["cond_a_speaker_embedding"])
    for name, kwargs in manifest["inference_cases"].items():
        captured_codes.clear()
        out = speculative_model.inference("text", "en", cond, spk, **kwargs)
        np.testing.assert_array_equal(captured_codes[0].numpy(), refs[f"{name}_codes"], err_msg=name)
        np.testing.assert_allclose(out["gpt_latents"], refs[f"{name}_latents"], atol=1e-4, rtol=0, err_msg=name)
        np.testing.assert_allclose(out["wav"], refs.get(f"{name}_wav", refs["greedy_wav"]), atol=1e-3, rtol=0)
    chunks = list(speculative_model.inference_stream("text", "en", cond, spk, stream_chunk_size=8, do_sample=False))
    assert [c.numel() for c in chunks] == refs["stream_chunk_lengths"].tolist()
    np.testing.assert_allclose(torch.cat(chunks).numpy(), refs["stream_wav"], atol=1e-3, rtol=0)


def test_switching_modes(speculative_model, model_folder):
    gpt = speculative_model.gpt
    assert gpt.speculative_draft is not None
    assert not speculative_model.enable_speculative_decoding(lookahead=0)  # off again
    assert gpt.speculative_draft is None
    assert speculative_model.enable_speculative_decoding()
    speculative_model.load_checkpoint(tiny_config(), checkpoint_dir=str(model_folder), eval=True)
    assert getattr(speculative_model.gpt, "speculative_draft", None) is None  # made from the old weights
    assert speculative_model.enable_speculative_decoding()
    speculative_model.enable_reduced_precision(decoder_bf16=False)  # the GPT itself becomes int8
    assert speculative_model.gpt.speculative_draft is None
    assert not speculative_model.enable_speculative_decoding()
    with pytest.raises(ValueError, match="fp32 GPT"):
        attach_int8_draft(speculative_model.gpt)
    with pytest.raises(ValueError, match="lookahead"):
        Int8Draft(tiny_gpt(), 0)


def test_environment_switch_and_leaving_the_cpu(model_folder, monkeypatch):
    from TTS.tts.models.xtts import Xtts

    config = tiny_config()
    monkeypatch.setenv("TTS_XTTS_SPECULATIVE", "1")
    model = Xtts.init_from_config(config)
    model.load_checkpoint(config, checkpoint_dir=str(model_folder), eval=True)
    assert model.gpt.speculative_draft is not None
    model.to("meta")  # any device other than the CPU
    assert model.gpt.speculative_draft is None
    monkeypatch.setenv("TTS_XTTS_SPECULATIVE", "0")
    model = Xtts.init_from_config(config)
    model.load_checkpoint(config, checkpoint_dir=str(model_folder), eval=True)
    assert getattr(model.gpt, "speculative_draft", None) is None


@pytest.mark.parametrize("first_codes", [1, 2, 4])
def test_guesses_do_not_delay_the_first_chunk(first_codes):
    gpt = tiny_gpt()
    settings = SamplingSettings(do_sample=False)
    with torch.inference_mode():
        plain = generate(gpt, COND, TEXT, settings, max_new_tokens=12)[0]
        draft = attach_int8_draft(gpt, 4)
        guessed = []  # the number (1-based) of the code each draft call guesses
        first_pass = COND.shape[1] + TEXT.shape[1] + 3  # cache positions after the prefill
        inner = draft.logits
        draft.logits = lambda embeds, cache: guessed.append(cache.length - first_pass + 2) or inner(embeds, cache)
        stream = generate_stream(gpt, COND, TEXT, settings, max_new_tokens=12, first_codes=first_codes)
        codes = [int(next(stream)[0]) for _ in range(first_codes)]
        assert all(n < first_codes for n in guessed), guessed  # no guess beyond the first chunk's codes
        codes += [int(c) for c, _ in stream]
        assert guessed and max(guessed) > first_codes  # later passes guess ahead again
    assert codes == plain[0].tolist()


def test_no_codes_asked_and_the_last_position_embedding():
    gpt = tiny_gpt()
    settings = SamplingSettings(do_sample=False)
    with torch.inference_mode():
        gpt.mel_head.bias[gpt.stop_audio_token] = -1e4  # never stops: runs to the limit
        limit = gpt.mel_pos_embedding.seq_len  # every audio position the model has
        plain = generate(gpt, COND, TEXT, settings, max_new_tokens=limit)[0]
        attach_int8_draft(gpt, 3)
        assert list(generate_stream(gpt, COND, TEXT, settings, max_new_tokens=0)) == []
        assert torch.equal(generate(gpt, COND, TEXT, settings, max_new_tokens=limit)[0], plain)


def test_the_draft_is_dropped_with_the_weights_it_was_made_from():
    import io
    import pickle

    gpt = tiny_gpt()
    plain_size = len(pickle.dumps(gpt))
    attach_int8_draft(gpt)
    assert len(pickle.dumps(gpt)) == plain_size  # never pickled or saved with the model
    assert pickle.loads(pickle.dumps(gpt)).speculative_draft is None
    buffer = io.BytesIO()
    torch.save(gpt, buffer)
    gpt.load_state_dict(gpt.state_dict())
    assert gpt.speculative_draft is None  # new weights: the draft would be stale
    attach_int8_draft(gpt)
    gpt.double()
    assert gpt.speculative_draft is None  # not fp32 any more
    gpt.float()
    draft = attach_int8_draft(gpt)
    del gpt
    import gc

    gc.collect()
    assert draft.base is None  # the draft does not keep its model alive
