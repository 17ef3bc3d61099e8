"""Next-code selection for the XTTS GPT: logits processing and sampling.

The order and semantics follow what upstream XTTS gets from ``transformers``'
``generate()``, so that greedy decoding reproduces upstream's codes exactly:

1. repetition penalty over every id already in the sequence (a logit ``s`` of a
   seen id becomes ``s / p`` if ``s > 0`` else ``s * p``);
2. only when sampling: temperature (``s / T``), then top-k (drop logits below
   the k-th largest, ties kept), then top-p (drop the least likely ids whose
   cumulative probability, in ascending order, is ``<= 1 - top_p``; the most
   likely id is always kept);
3. sample from the softmax, or take the argmax when not sampling.

``length_penalty`` only matters for beam search, which XTTS does not use; it
is accepted and has no effect (as upstream).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

__all__ = [
    "SamplingSettings",
    "apply_repetition_penalty",
    "apply_top_k",
    "apply_top_p",
    "sampling_logits",
    "select_next",
]


@dataclass
class SamplingSettings:
    """How the next audio code is chosen (see the module docstring for the order)."""

    temperature: float = 0.75
    top_k: int = 50
    top_p: float = 0.85
    repetition_penalty: float = 10.0
    do_sample: bool = True
    length_penalty: float = 1.0

    @property
    def greedy(self) -> bool:
        """True when the choice is deterministic: no sampling, top_k == 1 or temperature 0."""
        return (not self.do_sample) or self.top_k == 1 or self.temperature == 0


def apply_repetition_penalty(logits: torch.Tensor, seen: torch.Tensor, penalty: float) -> torch.Tensor:
    """Penalise ids marked in ``seen`` (B, V) bool. ``logits``: (B, V) -> (B, V)."""
    if penalty == 1.0:
        return logits
    penalised = torch.where(logits < 0, logits * penalty, logits / penalty)
    return torch.where(seen, penalised, logits)


def apply_top_k(logits: torch.Tensor, top_k: int) -> torch.Tensor:
    """Keep logits >= the ``top_k``-th largest of each row (others -inf). (B, V) -> (B, V)."""
    k = min(max(int(top_k), 1), logits.shape[-1])
    kth = torch.topk(logits, k, dim=-1).values[..., -1:]
    return logits.masked_fill(logits < kth, float("-inf"))


def apply_top_p(logits: torch.Tensor, top_p: float) -> torch.Tensor:
    """Nucleus filter: remove the low-probability tail holding at most ``1 - top_p`` of the mass. (B, V) -> (B, V)."""
    ascending, order = torch.sort(logits, dim=-1, descending=False)
    cumulative = ascending.softmax(dim=-1).cumsum(dim=-1)
    drop_sorted = cumulative <= (1.0 - top_p)
    drop_sorted[..., -1] = False  # always keep the most likely id
    drop = torch.zeros_like(drop_sorted).scatter(-1, order, drop_sorted)
    return logits.masked_fill(drop, float("-inf"))


def sampling_logits(logits: torch.Tensor, seen: torch.Tensor, settings: SamplingSettings) -> torch.Tensor:
    """Steps 1-2 for a sampling choice: penalty, temperature, top-k, top-p. (B, V) -> (B, V), -inf where dropped."""
    logits = apply_repetition_penalty(logits, seen, settings.repetition_penalty)
    if settings.temperature != 1.0:
        logits = logits / settings.temperature
    if settings.top_k:
        logits = apply_top_k(logits, settings.top_k)
    if settings.top_p is not None and settings.top_p < 1.0:
        logits = apply_top_p(logits, settings.top_p)
    return logits


def select_next(
    logits: torch.Tensor,
    seen: torch.Tensor,
    settings: SamplingSettings,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """Choose one id per row. ``logits``: (B, V) float32; ``seen``: (B, V) bool. Returns (B,) long."""
    if not settings.do_sample or settings.temperature == 0:
        return apply_repetition_penalty(logits, seen, settings.repetition_penalty).argmax(dim=-1)
    logits = sampling_logits(logits, seen, settings)
    if settings.top_k == 1:
        return logits.argmax(dim=-1)
    probs = logits.softmax(dim=-1)
    return torch.multinomial(probs, num_samples=1, generator=generator).squeeze(1)
