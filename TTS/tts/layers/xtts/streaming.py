"""Cross-faded chunking of streamed XTTS audio.

While streaming, every chunk re-decodes all latents generated so far (the
decoder is not causal, so the end of the audio changes as more latents
arrive). :class:`CrossFader` emits only the samples that are new since the
previous chunk, holding back the last ``overlap`` samples of each decode; the
first ``overlap`` samples of the next chunk are a linear cross-fade between
the held-back tail of the previous decode and the new decode.

The concatenated chunks therefore have exactly the length of the last full
decode. (Upstream's chunker does the same in the normal case; when a chunk
brings fewer new samples than ``overlap`` it skipped the cross-fade and later
repeated samples. Here such a chunk waits until enough samples arrived.)
"""

from __future__ import annotations

import torch

__all__ = ["CrossFader"]


class CrossFader:
    """Turn successive full decodes (T_i,) into non-overlapping, cross-faded chunks."""

    def __init__(self, overlap: int = 1024) -> None:
        self.overlap = max(int(overlap), 0)
        self.emitted = 0  # samples already returned
        self.tail: torch.Tensor | None = None  # held-back samples of the previous decode, from `emitted` on

    def would_emit(self, length: int, is_final: bool = False) -> bool:
        """Whether :meth:`push` of a decode of ``length`` samples would return any audio.

        Lets the caller skip decodes that could only be thrown away (e.g. the first one at
        ``stream_chunk_size=1``, shorter than the overlap).
        """
        fresh = (length if is_final else length - self.overlap) - self.emitted
        return fresh > 0 and (is_final or self.tail is None or fresh >= self.overlap)

    def push(self, wav: torch.Tensor, is_final: bool = False) -> torch.Tensor:
        """Take the full decode so far (T,) and return the next chunk (possibly empty)."""
        end = wav.shape[0] if is_final else wav.shape[0] - self.overlap
        fresh = end - self.emitted
        if fresh <= 0 or (not is_final and self.tail is not None and fresh < self.overlap):
            return wav[:0]  # not enough new audio yet for a full cross-fade
        chunk = wav[self.emitted : end].clone()
        if self.tail is not None:
            n = min(self.overlap, self.tail.shape[0], chunk.shape[0])
            ramp = torch.linspace(0.0, 1.0, self.overlap, device=wav.device, dtype=wav.dtype)[:n]
            chunk[:n] = self.tail[:n] * (1.0 - ramp) + chunk[:n] * ramp
        self.emitted = end
        self.tail = None if is_final else wav[end:].clone()
        return chunk
