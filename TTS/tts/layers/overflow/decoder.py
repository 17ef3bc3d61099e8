"""OverFlow's flow post-net: the shared Glow flow decoder applied to HMM samples (keys ``glow_decoder.flows.*``)."""

from __future__ import annotations

import torch
from torch import nn

from TTS.tts.layers.generic.glow_decoder import Decoder as GlowDecoder
from TTS.tts.utils.helpers import sequence_mask

__all__ = ["Decoder"]


class Decoder(nn.Module):
    """Inverse Glow flow over (B, C, T) frames with lengths (B,); lengths are floored to ``num_squeeze``."""

    def __init__(
        self,
        in_channels: int,
        hidden_channels: int,
        kernel_size: int,
        dilation_rate: int,
        num_flow_blocks: int,
        num_coupling_layers: int,
        dropout_p: float = 0.0,
        num_splits: int = 4,
        num_squeeze: int = 2,
        sigmoid_scale: bool = False,
        c_in_channels: int = 0,
    ) -> None:
        super().__init__()
        self.num_squeeze = num_squeeze
        self.glow_decoder = GlowDecoder(
            in_channels,
            hidden_channels,
            kernel_size,
            dilation_rate,
            num_flow_blocks,
            num_coupling_layers,
            num_splits=num_splits,
            num_squeeze=num_squeeze,
            sigmoid_scale=sigmoid_scale,
            c_in_channels=c_in_channels,
        )

    def inverse(self, z: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """``z``: (B, C, T), ``lengths``: (B,) -> mel (B, C, T'), lengths (B,)."""
        n = self.num_squeeze
        lengths = torch.div(lengths, n, rounding_mode="floor") * n
        max_len = (z.shape[2] // n) * n
        z = z[:, :, :max_len]
        mask = sequence_mask(lengths, max_len).unsqueeze(1).to(z.dtype)
        return self.glow_decoder.inverse(z, mask), lengths
