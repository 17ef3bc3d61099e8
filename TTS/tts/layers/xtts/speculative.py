"""Speculative decoding for the XTTS GPT on the CPU: an int8 draft proposes codes, the fp32 model checks them.

Batch-1 decoding reads all fp32 GPT weights once per code, so a step costs the same
whether it runs one position or a few: it is bound by memory bandwidth. An int8 copy
of the projections (:class:`TTS.core.int8.Int8Linear`, a quarter of the bytes) guesses
the next ``lookahead`` codes one by one; then a single fp32 pass runs all the guessed
positions and decides, position by position, which guesses stand:

- greedy decoding keeps a guess when it is the fp32 model's own choice, and at the
  first miss takes the fp32 choice instead. The codes are the fp32 codes (the checking
  pass runs several positions at once, so its logits can differ from one-position steps
  by float rounding: only an exact tie between the two best codes could flip a choice).
- sampling keeps a guess ``d`` drawn from the draft's distribution ``q`` with
  probability ``min(1, p(d) / q(d))`` under the fp32 distribution ``p``, and after a
  rejection draws from ``max(p - q, 0)`` renormalised. Every code is then distributed
  exactly as fp32 sampling would draw it (Leviathan et al. 2023, Chen et al. 2023),
  but a seeded run draws a different sequence than the plain loop.

Every latent handed to the HiFi-GAN decoder comes from the fp32 pass. Draft and check
share one key/value cache: the draft appends its own keys and values for the guessed
positions and the fp32 pass overwrites them, so the past is always fp32. The layer
norms, embeddings and final norm are shared with the fp32 model; the draft adds the
int8 weights only (about a quarter of the GPT's fp32 size).
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import torch
from torch import nn

from TTS.core.memory import release_free_heap
from TTS.tts.layers.xtts.sampling import SamplingSettings, sampling_logits, select_next
from TTS.tts.layers.xtts.transformer import Conv1DLinear, GPT2Stack, KVCache

if TYPE_CHECKING:
    from TTS.tts.layers.xtts.gpt import GPT

__all__ = [
    "DEFAULT_LOOKAHEAD",
    "Int8Draft",
    "Prefilled",
    "accept_or_resample",
    "attach_int8_draft",
    "detach_draft",
    "draft_for",
    "speculative_stream",
]

logger = logging.getLogger(__name__)

#: Codes the draft guesses per fp32 pass (2-4 were best on the development machine).
DEFAULT_LOOKAHEAD = 3


@dataclass
class Prefilled:
    """The decoding state right after the prefill pass (``generation.prefill``)."""

    cache: KVCache
    seen: torch.Tensor  # (B, V) bool: ids the repetition penalty treats as already generated
    latents: torch.Tensor  # (B, T, D): GPT latents of the positions just run; the last one goes with ``logits``
    logits: torch.Tensor  # (B, V): code logits of the last position


def _shallow_copy(module: nn.Module) -> nn.Module:
    """A new module of the same class sharing every submodule, parameter and buffer (own registries)."""
    clone = module.__class__.__new__(module.__class__)
    clone.__dict__.update(module.__dict__)
    clone._modules = dict(module._modules)
    clone._parameters = dict(module._parameters)
    clone._buffers = dict(module._buffers)
    return clone


class Int8Draft:
    """The fp32 GPT's stack with int8 projections and code head; layer norms and embeddings shared.

    Not an ``nn.Module`` of the model: it is not in the state dict and does not move with ``.to()``
    (:func:`draft_for` only uses it while the GPT is on the CPU).
    """

    def __init__(self, gpt: GPT, lookahead: int = DEFAULT_LOOKAHEAD) -> None:
        from TTS.tts.layers.xtts.quantize import to_int8

        if lookahead < 1:
            raise ValueError(f"lookahead must be at least 1, got {lookahead}")
        stack = _shallow_copy(gpt.gpt)
        blocks = []
        for block in gpt.gpt.h:
            clone = _shallow_copy(block)
            clone.attn = _shallow_copy(block.attn)
            clone.mlp = _shallow_copy(block.mlp)
            for parent in (clone.attn, clone.mlp):
                for name in ("c_attn", "c_fc", "c_proj"):
                    if isinstance(getattr(parent, name, None), Conv1DLinear):
                        setattr(parent, name, to_int8(getattr(parent, name)))
            release_free_heap()  # this block's temporary fp32 copies, before the next block makes more
            blocks.append(clone)
        stack.h = nn.ModuleList(blocks)
        self.stack: GPT2Stack = stack
        self.head = to_int8(gpt.mel_head)
        self.lookahead = int(lookahead)
        self.base = gpt

    @property
    def base(self) -> GPT | None:
        """The model the draft belongs to (held weakly: the model owns the draft, not the reverse)."""
        return self._base()

    @base.setter
    def base(self, gpt: GPT) -> None:
        self._base = weakref.ref(gpt)

    def logits(self, embeds: torch.Tensor, cache: KVCache) -> torch.Tensor:
        """Embeddings (1, 1, D) continuing ``cache`` (which they extend) -> code logits (1, V)."""
        hidden = self.base.final_norm(self.stack(embeds, cache))
        return self.head(hidden[:, -1]).float()


def attach_int8_draft(gpt: GPT, lookahead: int = DEFAULT_LOOKAHEAD) -> Int8Draft:
    """Build the int8 draft of ``gpt`` (fp32, on the CPU) and use it for every later batch-1 generation."""
    if not isinstance(gpt.mel_head, nn.Linear) or not isinstance(gpt.gpt.h[0].mlp.c_fc, Conv1DLinear):
        raise ValueError("speculative decoding needs the fp32 GPT; this one already has reduced-precision weights")
    draft = Int8Draft(gpt, lookahead)
    gpt.speculative_draft = draft
    logger.info("XTTS GPT: speculative decoding with an int8 draft, %d codes per fp32 pass", draft.lookahead)
    return draft


def detach_draft(gpt: GPT) -> None:
    """Stop speculative decoding on ``gpt`` and free the draft's weights."""
    gpt.speculative_draft = None


def draft_for(gpt: GPT, text_tokens: torch.Tensor) -> Int8Draft | None:
    """The attached draft when it applies: one sequence, fp32 weights on the CPU, no autograd."""
    draft = gpt.speculative_draft
    if draft is None or draft.base is not gpt or text_tokens.shape[0] != 1:
        return None
    weight = gpt.final_norm.weight
    if weight.device.type != "cpu" or weight.dtype != torch.float32 or torch.is_grad_enabled():
        return None
    if not isinstance(gpt.mel_head, nn.Linear):  # quantized after the draft was made
        return None
    return draft


def accept_or_resample(
    p: torch.Tensor, q: torch.Tensor, guess: int, generator: torch.Generator | None = None
) -> tuple[bool, int]:
    """The speculative-sampling rule for one guessed id. ``p``, ``q``: (V,) probabilities.

    Returns ``(True, guess)`` with probability ``min(1, p[guess] / q[guess])`` (never where ``p[guess]``
    is 0), else ``(False, id)``
    with ``id`` drawn from ``max(p - q, 0)`` renormalised (from ``p`` where that is all zero). Over
    ``guess ~ q`` the returned id is distributed as ``p``.
    """
    u = torch.rand((), generator=generator, device=p.device)
    if float(u) * float(q[guess]) < float(p[guess]):
        return True, guess
    residual = (p - q).clamp_(min=0.0)
    if float(residual.sum()) <= 0.0:
        residual = p
    return False, int(torch.multinomial(residual, 1, generator=generator))


def _probabilities(logits: torch.Tensor, seen: torch.Tensor, settings: SamplingSettings) -> torch.Tensor:
    """(1, V) logits -> (V,) sampling probabilities after the usual processing."""
    return sampling_logits(logits.float(), seen, settings).softmax(dim=-1)[0]


def speculative_stream(
    gpt: GPT,
    draft: Int8Draft,
    state: Prefilled,
    settings: SamplingSettings,
    max_new: int,
    generator: torch.Generator | None = None,
    first_codes: int | None = None,
) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Yield ``(code (1,), latent (1, D))`` like ``generate_stream`` (batch 1) from a prefilled state.

    ``first_codes``: how many codes the caller needs before it can act (a stream's first chunk);
    passes do not guess beyond that count, so those codes come without waiting for extra guesses.
    """
    if max_new <= 0:
        return
    cache, seen = state.cache, state.seen
    latent, logits = state.latents[:, -1], state.logits
    greedy = settings.greedy
    stop = gpt.stop_audio_token
    produced = 0
    guesses_per_pass = min(2, draft.lookahead)  # adapted below: +1 after a pass that kept every guess, else -1
    chosen: int | None = None  # a code the last check already decided
    while True:
        if chosen is None:
            chosen = int(select_next(logits.float(), seen, settings, generator))
        code = torch.tensor([chosen], device=seen.device)
        yield code, latent
        produced += 1
        if chosen == stop or produced >= max_new:
            return
        seen[0, chosen] = True

        # the draft guesses up to `lookahead` codes after `chosen`
        base = cache.length
        fed, guesses, guess_probs = [chosen], [], []
        draft_seen = seen.clone()
        wanted = min(guesses_per_pass, max_new - produced)
        if first_codes is not None and produced < first_codes:
            wanted = min(wanted, first_codes - produced - 1)
        for i in range(wanted):
            q_logits = draft.logits(gpt.audio_embeddings(torch.tensor([[fed[-1]]]), produced + i), cache)
            if greedy:
                guess = int(select_next(q_logits, draft_seen, settings, generator))
            else:
                q = _probabilities(q_logits, draft_seen, settings)
                guess = int(torch.multinomial(q, 1, generator=generator))
                guess_probs.append(q)
            guesses.append(guess)
            draft_seen[0, guess] = True
            if guess == stop:
                break
            fed.append(guess)

        # one fp32 pass over `chosen` and the guesses, overwriting the draft's keys/values; the last
        # guess is fed too (for the code after it) unless it is the stop code or the final code allowed
        cache.length = base
        last = guesses and (guesses[-1] == stop or produced + len(guesses) >= max_new)
        fed_codes = torch.tensor([fed[: len(guesses) + (0 if last else 1)]], device=seen.device)
        hidden = gpt.final_norm(gpt.gpt(gpt.audio_embeddings(fed_codes, produced), cache))
        all_logits = gpt.mel_head(hidden[0]).float()  # (n, V): row i predicts the code after fed[i]
        accepted, chosen = 0, None
        for i, guess in enumerate(guesses):
            row = all_logits[i : i + 1]
            if greedy:
                decision = int(select_next(row, seen, settings, generator))
                ok = decision == guess
            else:
                ok, decision = accept_or_resample(_probabilities(row, seen, settings), guess_probs[i], guess, generator)
            if not ok:
                chosen = decision
                break
            accepted += 1
            yield torch.tensor([guess], device=seen.device), hidden[:, i]
            produced += 1
            if guess == stop or produced >= max_new:
                return
            seen[0, guess] = True
        if guesses and accepted == len(guesses):
            guesses_per_pass = min(guesses_per_pass + 1, draft.lookahead)
        elif guesses:
            guesses_per_pass = max(guesses_per_pass - 1, 1)
        # positions of `chosen` and the accepted guesses stay cached; the next code comes from row `accepted`
        cache.length = base + accepted + 1
        latent, logits = hidden[:, accepted], all_logits[accepted : accepted + 1]
