"""The MelGAN residual stack, shared by the MelGAN, Multi-band and Full-band MelGAN generators.

State-dict keys follow the released checkpoints: ``blocks.i.2`` (dilated conv),
``blocks.i.4`` (1x1 conv) and ``shortcuts.i`` (1x1 conv). The released weights are
weight-normed; the loader folds them (:func:`TTS.core.checkpoint.fold_weight_norm`),
so the modules here hold a plain ``weight``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["ResidualStack", "conv_transpose1d_polyphase"]

_SLOPE = 0.2


class ResidualStack(nn.Module):
    """``num_res_blocks`` residual units with dilations ``kernel_size ** i``.

    Each unit: ``x = shortcut(x) + conv1x1(lrelu(conv_dilated(reflect_pad(lrelu(x)))))``.
    ``(B, C, T) -> (B, C, T)``.
    """

    def __init__(self, channels: int, num_res_blocks: int, kernel_size: int) -> None:
        super().__init__()
        if kernel_size % 2 != 1:
            raise ValueError(f"kernel_size must be odd, got {kernel_size}")
        half = (kernel_size - 1) // 2
        self.blocks = nn.ModuleList()
        for i in range(num_res_blocks):
            dilation = kernel_size**i
            # Indices 0..4 match the released keys (blocks.i.2 and blocks.i.4 hold weights).
            self.blocks.append(
                nn.Sequential(
                    nn.LeakyReLU(_SLOPE),
                    nn.ReflectionPad1d(half * dilation),
                    nn.Conv1d(channels, channels, kernel_size, dilation=dilation),
                    nn.LeakyReLU(_SLOPE),
                    nn.Conv1d(channels, channels, 1),
                )
            )
        self.shortcuts = nn.ModuleList(nn.Conv1d(channels, channels, 1) for _ in range(num_res_blocks))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x``: (B, C, T) -> (B, C, T)."""
        for block, shortcut in zip(self.blocks, self.shortcuts):
            # LeakyReLU commutes with the reflection pad, so pad first and activate the fresh copy in place.
            h = F.leaky_relu(block[1](x), _SLOPE, inplace=True)
            h = F.leaky_relu(block[2](h), _SLOPE, inplace=True)
            x = _two_pointwise(shortcut, x, block[4], h)
        return x

    def remove_weight_norm(self) -> None:
        """No-op: weights are folded at load time (kept for API compatibility)."""


def _two_pointwise(conv_a: nn.Conv1d, a: torch.Tensor, conv_b: nn.Conv1d, b: torch.Tensor) -> torch.Tensor:
    """``conv_a(a) + conv_b(b)`` for two 1x1 convs, as two accumulating matrix products.

    (B, C_in, T) inputs -> (B, C_out, T). A 1x1 conv over a long time axis is a plain GEMM, which
    the BLAS runs several times faster than the convolution kernels at batch 1, and the
    second product accumulates into the first's output instead of a separate sum.
    """
    w_a, w_b = conv_a.weight[:, :, 0], conv_b.weight[:, :, 0]
    bias = None
    for extra in (conv_a.bias, conv_b.bias):
        if extra is not None:
            bias = extra if bias is None else bias + extra
    outs = []
    for i in range(a.shape[0]):  # batch 1 at inference; a loop keeps each product a 2-D GEMM
        if bias is None:
            out = torch.mm(w_a, a[i])
        else:
            out = torch.addmm(bias.unsqueeze(1), w_a, a[i])
        outs.append(out.addmm_(w_b, b[i]))
    return outs[0].unsqueeze(0) if len(outs) == 1 else torch.stack(outs)


def conv_transpose1d_polyphase(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None,
    stride: int,
    padding: int = 0,
    output_padding: int = 0,
) -> torch.Tensor:
    """``F.conv_transpose1d`` (groups 1, dilation 1) as one ordinary conv that computes every output phase.

    ``x``: (B, C_in, T), ``weight``: (C_in, C_out, K) -> (B, C_out, (T - 1) * stride - 2 * padding + K + output_padding).
    Output sample ``stride * q + p`` only meets the taps ``stride * d + p + padding`` applied to
    input frame ``q - d``; stacking the ``stride`` phases as output channels turns the transposed
    conv into a short conv at the input rate (which the CPU kernels run much faster than the
    transposed one), followed by an interleave of the phases.
    """
    c_in, c_out, k = weight.shape
    t_in = x.shape[-1]
    t_out = (t_in - 1) * stride - 2 * padding + k + output_padding
    frames = -(-t_out // stride)  # output frames per phase
    d_lo = min(-((p + padding) // stride) for p in range(stride))
    d_hi = max((k - 1 - p - padding) // stride for p in range(stride))
    span = d_hi - d_lo + 1
    # taps[p, j]: the kernel tap phase p applies at conv offset j (input frame q - d_hi + j).
    offsets = d_hi - torch.arange(span, device=weight.device)
    taps = stride * offsets[None, :] + torch.arange(stride, device=weight.device)[:, None] + padding
    valid = ((taps >= 0) & (taps < k)).to(weight.dtype)
    picked = weight[:, :, taps.clamp(0, k - 1)] * valid  # (C_in, C_out, stride, span)
    phase_weight = picked.permute(2, 1, 0, 3).reshape(stride * c_out, c_in, span)
    phase_bias = None if bias is None else bias.repeat(stride)
    padded = F.pad(x, (d_hi, frames - t_in - d_lo))
    phases = F.conv1d(padded, phase_weight, phase_bias)  # (B, stride * C_out, frames)
    b = x.shape[0]
    out = phases.view(b, stride, c_out, frames).permute(0, 2, 3, 1).reshape(b, c_out, frames * stride)
    return out if frames * stride == t_out else out[:, :, :t_out]
