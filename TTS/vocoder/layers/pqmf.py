"""Pseudo-quadrature mirror filter bank (PQMF): the one sub-band analysis/synthesis implementation.

Multi-band MelGAN predicts ``N`` sub-band signals at ``1/N`` of the sample rate;
:meth:`PQMF.synthesis` upsamples them by ``N`` and sums them through cosine-modulated
copies of a Kaiser-windowed low-pass prototype. The filters are buffers ``H``
(analysis), ``G`` (synthesis) and ``updown_filter`` so state-dict keys match the
released checkpoints (which store them); the values are computed here in float64
at construction and kept in float32.

The filters are applied with functional convs; where the device needs it
(:func:`TTS.core.device.mps_safe_required`, i.e. MPS on macOS < 15.1) they run
time-chunked, so long outputs work on Apple MPS too.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from TTS.core.device import mps_safe_required
from TTS.core.mps import mps_safe_conv1d

__all__ = ["PQMF", "kaiser_lowpass"]


def kaiser_lowpass(num_taps: int, cutoff: float, beta: float) -> np.ndarray:
    """Linear-phase FIR low-pass: windowed sinc with unit DC gain (``scipy.signal.firwin`` semantics).

    ``cutoff`` is relative to the Nyquist frequency (0..1). Returns float64 ``(num_taps,)``.
    """
    centre = (num_taps - 1) / 2.0
    n = np.arange(num_taps, dtype=np.float64) - centre
    ideal = cutoff * np.sinc(cutoff * n)
    taps = ideal * np.kaiser(num_taps, beta)
    return taps / taps.sum()


class PQMF(nn.Module):
    """``N``-band PQMF with a ``taps + 1``-tap prototype.

    ``analysis``: (B, 1, T) -> (B, N, T / N); ``synthesis``: (B, N, T') -> (B, 1, T' * N).
    """

    def __init__(self, N: int = 4, taps: int = 62, cutoff: float = 0.15, beta: float = 9.0) -> None:  # noqa: N803
        super().__init__()
        self.N = N
        self.taps = taps
        self.cutoff = cutoff
        self.beta = beta
        prototype = kaiser_lowpass(taps + 1, cutoff, beta)
        # Band k is centred on (2k + 1) * pi / (2N); the +-pi/4 phases cancel aliasing between neighbours.
        n = np.arange(taps + 1, dtype=np.float64) - (taps - 1) / 2.0
        analysis = np.empty((N, taps + 1))
        synthesis = np.empty((N, taps + 1))
        for k in range(N):
            angle = (2 * k + 1) * np.pi / (2 * N) * n
            phase = (-1) ** k * np.pi / 4
            analysis[k] = 2 * prototype * np.cos(angle + phase)
            synthesis[k] = 2 * prototype * np.cos(angle - phase)
        self.register_buffer("H", torch.from_numpy(analysis[:, None, :].astype(np.float32)))
        self.register_buffer("G", torch.from_numpy(synthesis[None, :, :].astype(np.float32)))
        # Zero-insertion kernel: band k passes to output k through the first of N taps.
        updown = torch.zeros(N, N, N)
        updown[range(N), range(N), 0] = 1.0
        self.register_buffer("updown_filter", updown)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Analysis: (B, 1, T) -> (B, N, T / N)."""
        return self.analysis(x)

    def analysis(self, x: torch.Tensor) -> torch.Tensor:
        """Split (B, 1, T) into ``N`` critically sampled bands (B, N, T / N)."""
        conv = mps_safe_conv1d if mps_safe_required(x.device) else F.conv1d
        return conv(x, self.H, None, stride=self.N, padding=self.taps // 2)

    def synthesis(self, x: torch.Tensor) -> torch.Tensor:
        """Merge ``N`` bands (B, N, T') into a full-band signal (B, 1, T' * N).

        Zero-insertion upsampling by ``N`` (gain ``N``) followed by the synthesis filters is
        computed in polyphase form: output phase ``p`` (samples ``N t + p``) only meets the
        taps ``N j - p + taps // 2`` of each filter, so one small conv at the band rate gives
        all ``N`` phases, skipping the products with inserted zeros; the phases are then
        interleaved. Same sums as the direct form, a quarter of the work, no upsampled copy.
        """
        weight, left, right = self._polyphase_synthesis_filters()
        conv = mps_safe_conv1d if mps_safe_required(x.device) else F.conv1d
        phases = conv(F.pad(x, (left, right)), weight.to(x.dtype), None)  # (B, N, T')
        return phases.transpose(1, 2).reshape(x.shape[0], 1, -1)

    def _polyphase_synthesis_filters(self) -> tuple[torch.Tensor, int, int]:
        """``G`` rearranged as a (N phases, N bands, K) conv weight (gain ``N`` folded in) and its padding."""
        n, centre, num_taps = self.N, self.taps // 2, self.G.shape[-1]
        # Phase p uses tap N*j - p + centre at band-rate offset j, for every j that lands inside the filter.
        j_lo = min(-((centre - p) // n) for p in range(n))
        j_hi = max((num_taps - 1 + p - centre) // n for p in range(n))
        offsets = torch.arange(j_lo, j_hi + 1, device=self.G.device)
        taps = n * offsets[None, :] - torch.arange(n, device=self.G.device)[:, None] + centre  # (N, K)
        valid = (taps >= 0) & (taps < num_taps)
        picked = self.G[0][:, taps.clamp(0, num_taps - 1)]  # (bands, N, K)
        weight = (picked * valid * n).transpose(0, 1).contiguous()  # (N phases, bands, K)
        return weight, -j_lo, j_hi
