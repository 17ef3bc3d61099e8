"""Our autoregressive loop for the XTTS GPT (key/value cache, no ``transformers.generate``).

One prefill pass runs ``[cond latents, text, START_A]``; then each step feeds
the chosen code back at the next audio position. Every step yields the chosen
code together with the GPT latent of the position that produced it, so the
latents of a finished generation are available without a second pass.

The conditioning latents come first and attention is causal, so their
keys/values depend on the voice only: they are computed once per voice and
reused (``gpt.cond_prefix_cache``), which shortens the prefill of every later
sentence or stream with that voice.

The repetition penalty sees the same ids as upstream's ``generate()`` input:
upstream feeds placeholder ids ``1`` for the whole prefix plus ``START_A``, so
code ``1`` and ``START_A`` count as already generated from the first step on.
We keep that so greedy decoding gives upstream's codes exactly.
"""

from __future__ import annotations

from collections.abc import Iterator

import torch

from TTS.tts.layers.xtts.gpt import GPT
from TTS.tts.layers.xtts.sampling import SamplingSettings, select_next
from TTS.tts.layers.xtts.speculative import Prefilled, draft_for, speculative_stream
from TTS.tts.layers.xtts.transformer import KVCache

__all__ = ["PREFIX_PLACEHOLDER_ID", "Prefilled", "generate", "generate_stream", "prefill"]

#: The id upstream uses for every prefix position of its ``generate()`` input.
PREFIX_PLACEHOLDER_ID = 1


def prefill(gpt: GPT, cond_latents: torch.Tensor, text_tokens: torch.Tensor, max_new: int) -> Prefilled:
    """Run ``[cond latents, text, START_A]`` into a fresh cache with room for ``max_new`` more positions."""
    batch = text_tokens.shape[0]
    prefix = gpt.prefix_embeddings(cond_latents, text_tokens)
    start = torch.full((batch, 1), gpt.start_audio_token, dtype=torch.long, device=text_tokens.device)
    embeds = torch.cat([prefix, gpt.audio_embeddings(start, 0)], dim=1)

    cache = gpt.new_cache(batch, embeds.shape[1] + max_new, prefix.dtype)
    n_cond = _fill_cond_prefix(gpt, cond_latents, cache)
    seen = torch.zeros(batch, gpt.num_audio_tokens, dtype=torch.bool, device=text_tokens.device)
    seen[:, gpt.start_audio_token] = True
    if prefix.shape[1] > 0 and PREFIX_PLACEHOLDER_ID < gpt.num_audio_tokens:
        seen[:, PREFIX_PLACEHOLDER_ID] = True
    latents, logits = gpt.step(embeds[:, n_cond:], cache)
    return Prefilled(cache, seen, latents, logits)


def generate_stream(
    gpt: GPT,
    cond_latents: torch.Tensor,
    text_tokens: torch.Tensor,
    settings: SamplingSettings,
    max_new_tokens: int | None = None,
    generator: torch.Generator | None = None,
    first_codes: int | None = None,
) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Yield ``(codes (B,), latents (B, D))`` per step until every row chose the stop code.

    ``cond_latents``: (1 or B, N, D); ``text_tokens``: (B, T) ids. Rows that
    already stopped keep yielding the stop code. At most ``max_new_tokens``
    (default ``gpt.max_gen_mel_tokens``) steps. With a speculative draft attached
    to ``gpt`` (:mod:`TTS.tts.layers.xtts.speculative`), a batch of one runs the
    speculative loop instead; ``first_codes`` (the codes a stream's first chunk needs) keeps
    its guesses from delaying those.
    """
    max_new = gpt.max_gen_mel_tokens if max_new_tokens is None else int(max_new_tokens)
    batch = text_tokens.shape[0]
    state = prefill(gpt, cond_latents, text_tokens, max_new)
    draft = draft_for(gpt, text_tokens)
    if draft is not None:
        yield from speculative_stream(gpt, draft, state, settings, max_new, generator, first_codes)
        return
    cache, seen, latents, logits = state.cache, state.seen, state.latents, state.logits
    finished = torch.zeros(batch, dtype=torch.bool, device=text_tokens.device)
    stop = gpt.stop_audio_token
    for step in range(max_new):
        codes = select_next(logits.float(), seen, settings, generator)
        codes = torch.where(finished, torch.full_like(codes, stop), codes)
        yield codes, latents[:, -1]
        finished |= codes == stop
        if bool(finished.all()) or step == max_new - 1:
            return
        seen[torch.arange(batch, device=seen.device), codes] = True
        latents, logits = gpt.step(gpt.audio_embeddings(codes[:, None], step + 1), cache)


def _fill_cond_prefix(gpt: GPT, cond_latents: torch.Tensor, cache: KVCache) -> int:
    """Put the conditioning positions' keys/values into ``cache`` (cached per voice); returns their count."""
    cond = cond_latents[:1].to(gpt.final_norm.weight.dtype)
    if cond_latents.shape[0] != 1 and not bool((cond_latents == cond).all()):
        return 0  # different voices in one batch: no shared prefix
    cached = getattr(gpt, "cond_prefix_cache", None)
    stale = cached is None or cached[0].shape != cond.shape or cached[0].device != cond.device
    if stale or not torch.equal(cached[0], cond):
        scratch = gpt.new_cache(1, cond.shape[1], cond.dtype)
        gpt.gpt(cond, scratch)
        cached = (cond.clone(), *scratch.prefix())
        gpt.cond_prefix_cache = cached
    cache.load_prefix(cached[1], cached[2])
    return cond.shape[1]


def generate(
    gpt: GPT,
    cond_latents: torch.Tensor,
    text_tokens: torch.Tensor,
    settings: SamplingSettings,
    max_new_tokens: int | None = None,
    generator: torch.Generator | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Run :func:`generate_stream` to the end: returns codes (B, n) (stop code included) and latents (B, n, D)."""
    codes, latents = [], []
    for step_codes, step_latents in generate_stream(
        gpt, cond_latents, text_tokens, settings, max_new_tokens, generator
    ):
        codes.append(step_codes)
        latents.append(step_latents)
    return torch.stack(codes, dim=1), torch.stack(latents, dim=1)
