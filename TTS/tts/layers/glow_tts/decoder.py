"""Glow-TTS flow decoder (also OverFlow's): squeeze -> [ActNorm, InvConvNear, Coupling] x N -> unsqueeze.

Keys: ``flows.{3i}`` ActNorm, ``flows.{3i+1}`` InvConvNear, ``flows.{3i+2}`` CouplingBlock.
"""

from __future__ import annotations

import torch
from torch import nn

from TTS.tts.layers.glow_tts.glow import ActNorm, CouplingBlock, InvConvNear

__all__ = ["Decoder", "squeeze", "unsqueeze"]


def squeeze(x: torch.Tensor, x_mask: torch.Tensor, num_sqz: int = 2) -> tuple[torch.Tensor, torch.Tensor]:
    """Fold ``num_sqz`` consecutive frames into channels: (B, C, T) -> (B, C * n, T // n).

    Output channel ``k * C + c`` holds frame ``n * t + k`` of channel ``c``. The mask keeps
    the last frame of each group.
    """
    b, c, t = x.shape
    t = (t // num_sqz) * num_sqz
    folded = x[:, :, :t].reshape(b, c, t // num_sqz, num_sqz).permute(0, 3, 1, 2).reshape(b, c * num_sqz, -1)
    mask = x_mask[:, :, num_sqz - 1 :: num_sqz]
    return folded * mask, mask


def unsqueeze(x: torch.Tensor, x_mask: torch.Tensor, num_sqz: int = 2) -> tuple[torch.Tensor, torch.Tensor]:
    """Inverse of :func:`squeeze`: (B, C * n, T) -> (B, C, T * n)."""
    b, c, t = x.shape
    unfolded = x.reshape(b, num_sqz, c // num_sqz, t).permute(0, 2, 3, 1).reshape(b, c // num_sqz, t * num_sqz)
    mask = x_mask.unsqueeze(-1).expand(b, 1, t, num_sqz).reshape(b, 1, t * num_sqz)
    return unfolded * mask, mask


class Decoder(nn.Module):
    """Stack of ``num_flow_blocks`` glow steps on squeezed mel frames; inverse only.

    ``inverse(z, mask, g)``: latent (B, C, T) -> mel (B, C, T'), T' = T rounded down to ``num_squeeze``.
    """

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
        channels = in_channels * num_squeeze
        self.flows = nn.ModuleList()
        for _ in range(num_flow_blocks):
            self.flows.append(ActNorm(channels))
            self.flows.append(InvConvNear(channels, num_splits=num_splits))
            self.flows.append(
                CouplingBlock(
                    channels,
                    hidden_channels,
                    kernel_size,
                    dilation_rate,
                    num_coupling_layers,
                    c_in_channels=c_in_channels,
                    sigmoid_scale=sigmoid_scale,
                )
            )

    def inverse(self, z: torch.Tensor, x_mask: torch.Tensor, g: torch.Tensor | None = None) -> torch.Tensor:
        """``z``: (B, C, T), ``x_mask``: (B, 1, T), ``g``: (B, C_g, 1) -> (B, C, T')."""
        if self.num_squeeze > 1:
            z, x_mask = squeeze(z, x_mask, self.num_squeeze)
        for flow in reversed(self.flows):
            z = flow.inverse(z, x_mask, g=g)
        if self.num_squeeze > 1:
            z, x_mask = unsqueeze(z, x_mask, self.num_squeeze)
        return z
