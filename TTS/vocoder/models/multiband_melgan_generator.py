"""Multi-band MelGAN generator: a MelGAN predicting 4 sub-bands, merged by the PQMF synthesis bank.

Keys: the MelGAN ``layers.*`` plus ``pqmf_layer.H`` / ``.G`` / ``.updown_filter``.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from TTS.vocoder.layers.pqmf import PQMF
from TTS.vocoder.models.melgan_generator import MelganGenerator

__all__ = ["MultibandMelganGenerator"]


class MultibandMelganGenerator(MelganGenerator):
    """Mel ``(B, C_mel, T)`` -> sub-bands ``(B, 4, T * prod(upsample_factors))`` -> audio via :meth:`inference`."""

    def __init__(
        self,
        in_channels: int = 80,
        out_channels: int = 4,
        proj_kernel: int = 7,
        base_channels: int = 384,
        upsample_factors: Sequence[int] = (2, 8, 2, 2),
        res_kernel: int = 3,
        num_res_blocks: int = 3,
    ) -> None:
        super().__init__(
            in_channels=in_channels,
            out_channels=out_channels,
            proj_kernel=proj_kernel,
            base_channels=base_channels,
            upsample_factors=upsample_factors,
            res_kernel=res_kernel,
            num_res_blocks=num_res_blocks,
        )
        self.pqmf_layer: nn.Module = PQMF(N=4, taps=62, cutoff=0.15, beta=9.0)

    def pqmf_analysis(self, x: torch.Tensor) -> torch.Tensor:
        """(B, 1, T) -> (B, 4, T / 4)."""
        return self.pqmf_layer.analysis(x)

    def pqmf_synthesis(self, x: torch.Tensor) -> torch.Tensor:
        """(B, 4, T') -> (B, 1, 4 * T')."""
        return self.pqmf_layer.synthesis(x)

    @torch.inference_mode()
    def inference(self, cond_features: torch.Tensor) -> torch.Tensor:
        """Mel (B, C_mel, T) -> audio (B, 1, (T + 4) * hop) (2 edge-replicated frames each side, as upstream)."""
        return self.pqmf_synthesis(self.forward(self._pad_input(cond_features)))
