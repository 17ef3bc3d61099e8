"""Glow flow decoder shared by Glow-TTS and OverFlow: squeeze -> [ActNorm, InvConvNear, Coupling] x N -> unsqueeze.

Only the inverse direction (latent -> mel) is needed for inference.
Keys: ``flows.{3i}`` ActNorm (``logs``, ``bias`` (1, C, 1)), ``flows.{3i+1}`` InvConvNear
(``weight`` (S, S)), ``flows.{3i+2}`` CouplingBlock (``start``, ``wn.*`` (WaveNet), ``end``).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from TTS.core.layers.cl_conv import derived_weight, pointwise_conv_sum
from TTS.tts.layers.generic.normalization import ActNorm
from TTS.tts.layers.generic.wavenet import WaveNet, all_ones_mask

__all__ = ["CouplingBlock", "Decoder", "InvConvNear", "squeeze", "unsqueeze"]


class InvConvNear(nn.Module):
    """Invertible channel mixing: channels are cut into groups of ``num_splits`` (half from each
    channel half) and each group is mixed by the same ``(S, S)`` matrix ``weight``.

    Done as a matrix product rather than the reference's 1x1 ``conv2d``, so no convolution
    runs over the (long) time axis.
    """

    def __init__(self, channels: int, num_splits: int = 4) -> None:
        super().__init__()
        if num_splits % 2 or channels % num_splits:
            raise ValueError("num_splits must be even and divide the channel count")
        self.channels = channels
        self.num_splits = num_splits
        self.weight = nn.Parameter(torch.eye(num_splits))

    def _mix(self, x: torch.Tensor, matrix: torch.Tensor, x_mask: torch.Tensor) -> torch.Tensor:
        b, c, t = x.shape
        s = self.num_splits
        # channel c = half * (C/2) + j * (S/2) + k  ->  group index (half, k), member j
        groups = x.view(b, 2, c // s, s // 2, t).permute(0, 1, 3, 2, 4).reshape(b, s, c // s, t)
        mixed = torch.einsum("ij,bjnt->bint", matrix, groups)
        mixed = mixed.view(b, 2, s // 2, c // s, t).permute(0, 1, 3, 2, 4).reshape(b, c, t)
        return mixed * x_mask

    def inverse(self, z: torch.Tensor, x_mask: torch.Tensor, g: torch.Tensor | None = None) -> torch.Tensor:
        """``z``: (B, C, T) -> (B, C, T) through the inverse matrix."""
        inv = torch.linalg.inv(self.weight.float()).to(self.weight.dtype)
        return self._mix(z, inv, x_mask)


class CouplingBlock(nn.Module):
    """Affine coupling: the first channel half drives a WaveNet that predicts shift ``t`` and
    log-scale ``s`` for the second half. ``sigmoid_scale`` uses ``log(sigmoid(s + 2) + 1e-6)``.
    """

    def __init__(
        self,
        in_channels: int,
        hidden_channels: int,
        kernel_size: int,
        dilation_rate: int,
        num_layers: int,
        c_in_channels: int = 0,
        sigmoid_scale: bool = False,
    ) -> None:
        super().__init__()
        self.half = in_channels // 2
        self.sigmoid_scale = sigmoid_scale
        self.start = nn.Conv1d(self.half, hidden_channels, 1)
        self.end = nn.Conv1d(hidden_channels, in_channels, 1)
        self.wn = WaveNet(hidden_channels, kernel_size, dilation_rate, num_layers, cond_channels=c_in_channels)

    def inverse(self, z: torch.Tensor, x_mask: torch.Tensor, g: torch.Tensor | None = None) -> torch.Tensor:
        """``z``: (B, C, T), ``x_mask``: (B, 1, T), ``g``: (B, C_g, 1) -> (B, C, T)."""
        z0, z1 = z[:, : self.half], z[:, self.half :]
        full = all_ones_mask(x_mask)  # then every mask product below is a no-op and is skipped
        h = pointwise_conv_sum([(self.start, z0)])
        first = self._first_layer(z0) if full and type(self.wn.in_layers[0]) is nn.Conv1d else None
        out = pointwise_conv_sum([(self.end, self.wn(h if full else h * x_mask, x_mask, g, first=first))])
        shift, log_scale = out[:, : self.half], out[:, self.half :]
        if self.sigmoid_scale:
            log_scale = torch.log(1e-6 + torch.sigmoid(log_scale + 2))
        x1 = (z1 - shift) * torch.exp(-log_scale)
        return torch.cat([z0, x1 if full else x1 * x_mask], dim=1)

    def _first_layer(self, z0: torch.Tensor) -> torch.Tensor:
        """``wn.in_layers[0](start(z0))`` for unmasked ``z0`` (B, C/2, T) -> (B, 2H, T), as one conv from C/2 channels.

        ``start`` is a 1x1 conv, so it folds into the first WaveNet conv: a conv reading the C/2 input
        channels instead of the H hidden ones (80 vs 192 for the released models, the first of the
        stack's convs at 40% of the work). The 'same' zero padding pads ``start``'s output with zeros,
        not with its bias; the bias therefore enters through a conv over an all-ones row, which gives
        the right sum at the edges too. Same arithmetic up to fp32 rounding.
        """
        conv, start = self.wn.in_layers[0], self.start
        weight = derived_weight(
            conv,
            "glow_start_fold",
            lambda: torch.einsum("omk,mc->ock", conv.weight, start.weight[:, :, 0]),
            (start.weight,),
        )
        h = F.conv1d(z0, weight, conv.bias, padding=conv.padding[0])
        if start.bias is not None:
            bias_taps = derived_weight(
                conv,
                "glow_start_bias",
                lambda: torch.einsum("omk,m->ok", conv.weight, start.bias)[:, None],
                (start.bias,),
            )
            ones = torch.ones(1, 1, z0.shape[-1], dtype=z0.dtype, device=z0.device)
            h.add_(F.conv1d(ones, bias_taps, padding=conv.padding[0]))
        return h


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
