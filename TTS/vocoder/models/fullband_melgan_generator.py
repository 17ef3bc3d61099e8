"""Full-band MelGAN generator: the MelGAN network with the Full-band defaults (4 residual units per stage)."""

from __future__ import annotations

from collections.abc import Sequence

from TTS.vocoder.models.melgan_generator import MelganGenerator

__all__ = ["FullbandMelganGenerator"]


class FullbandMelganGenerator(MelganGenerator):
    """Mel ``(B, C_mel, T)`` -> audio ``(B, 1, T * prod(upsample_factors))``; same keys as MelGAN."""

    def __init__(
        self,
        in_channels: int = 80,
        out_channels: int = 1,
        proj_kernel: int = 7,
        base_channels: int = 512,
        upsample_factors: Sequence[int] = (2, 8, 2, 2),
        res_kernel: int = 3,
        num_res_blocks: int = 4,
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
