"""The one HiFi-GAN generator (multi-receptive-field fusion) and its residual blocks.

Used by the HiFi-GAN vocoders, the VITS waveform decoder and the XTTS decoder.
State-dict keys follow the released checkpoints (``conv_pre``, ``ups.i``,
``resblocks.j.convs1.k`` / ``convs2.k`` / ``convs.k``, ``conv_post``,
``cond_layer``, ``conds.i``, ``lin_pre``).

Weight norm is an optimisation aid for training only; at inference it is a
fixed reparametrisation, so these modules hold a plain ``weight`` and the
loader folds legacy ``weight_g``/``weight_v`` (or
``parametrizations.weight.original0/1``) pairs with
:func:`TTS.core.checkpoint.fold_weight_norm` before loading.

All convolutions are plain ``nn.Conv1d`` / ``nn.ConvTranspose1d`` modules so
that :func:`TTS.core.mps.make_mps_safe` can swap in time-chunked versions.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from TTS.core.layers.cl_conv import (
    channels_last_ok,
    conv1d_cl,
    conv_transpose1d_polyphase_cl,
    tiled_cl,
    to_channels_last,
)
from TTS.core.layers.winograd import conv1d_cl_winograd, winograd_applies, winograd_workspace

__all__ = ["LRELU_SLOPE", "get_padding", "ResBlock1", "ResBlock2", "HifiganGenerator"]

LRELU_SLOPE = 0.1
# Time tiles of the residual-block stages (elements per activation). Each tile reads every weight of
# the stage again (11 MB for a 256-channel stage, twice that as Winograd weights), so the tiles are
# larger than TILE_ELEMENTS: 16 MiB of fp32 was about 1.1x faster than 2 MiB for full-size decoders.
STAGE_TILE_ELEMENTS = 1 << 22


def get_padding(kernel_size: int, dilation: int = 1) -> int:
    """'Same' padding for an odd kernel with the given dilation."""
    return (kernel_size * dilation - dilation) // 2


def _conv(conv: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """Apply the ``nn.Conv1d`` ``conv`` to ``x`` (B, C, T), or to ``x`` (B, C, 1, T) in channels-last layout
    (:func:`TTS.core.layers.cl_conv.conv1d_cl`: faster on CPU for the residual blocks' shapes; the wide
    ones run as Winograd convolutions, :mod:`TTS.core.layers.winograd`)."""
    if x.dim() == 3:
        return conv(x)
    if winograd_applies(conv, x):
        return conv1d_cl_winograd(conv, x)
    return conv1d_cl(conv, x)


def _same_conv(channels: int, kernel_size: int, dilation: int) -> nn.Conv1d:
    return nn.Conv1d(channels, channels, kernel_size, 1, dilation=dilation, padding=get_padding(kernel_size, dilation))


class ResBlock1(nn.Module):
    """Residual block with two convolutions per branch (dilated, then undilated).

    For each dilation ``d``: ``x = x + conv2(lrelu(conv1_d(lrelu(x))))``.
    Shape is preserved: ``(B, C, T) -> (B, C, T)``.
    """

    def __init__(self, channels: int, kernel_size: int = 3, dilation: Sequence[int] = (1, 3, 5)) -> None:
        super().__init__()
        self.convs1 = nn.ModuleList(_same_conv(channels, kernel_size, d) for d in dilation)
        self.convs2 = nn.ModuleList(_same_conv(channels, kernel_size, 1) for _ in dilation)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x``: (B, C, T) -> (B, C, T) (or (B, C, 1, T) channels-last, see :func:`_conv`)."""
        for dilated, plain in zip(self.convs1, self.convs2):
            branch = _conv(dilated, F.leaky_relu(x, LRELU_SLOPE))
            branch = _conv(plain, F.leaky_relu(branch, LRELU_SLOPE, inplace=True))
            x = branch.add_(x)  # in place on a fresh conv output: one buffer less per step
        return x

    def remove_weight_norm(self) -> None:
        """No-op: weights are already folded (kept for API compatibility)."""


class ResBlock2(nn.Module):
    """Residual block with one dilated convolution per branch.

    For each dilation ``d``: ``x = x + conv_d(lrelu(x))``. ``(B, C, T) -> (B, C, T)``.
    """

    def __init__(self, channels: int, kernel_size: int = 3, dilation: Sequence[int] = (1, 3)) -> None:
        super().__init__()
        self.convs = nn.ModuleList(_same_conv(channels, kernel_size, d) for d in dilation)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x``: (B, C, T) -> (B, C, T) (or (B, C, 1, T) channels-last, see :func:`_conv`)."""
        for conv in self.convs:
            x = _conv(conv, F.leaky_relu(x, LRELU_SLOPE)).add_(x)
        return x

    def remove_weight_norm(self) -> None:
        """No-op: weights are already folded (kept for API compatibility)."""


class HifiganGenerator(nn.Module):
    """HiFi-GAN generator: features ``(B, in_channels, T)`` to audio ``(B, out_channels, T * prod(upsample_factors))``.

    Each upsampling stage halves the channel count, applies a transposed
    convolution and averages the outputs of ``len(resblock_kernel_sizes)``
    residual blocks. Optional global conditioning ``g`` ``(B, cond_channels, 1)``
    is added after ``conv_pre`` (``cond_layer``) and, when
    ``cond_in_each_up_layer``, after every upsampling (``conds.i``).

    ``conv_pre_weight_norm`` / ``conv_post_weight_norm`` only describe how the
    released checkpoint stores those weights; the module is the same either way.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        resblock_type: str,
        resblock_dilation_sizes: Sequence[Sequence[int]],
        resblock_kernel_sizes: Sequence[int],
        upsample_kernel_sizes: Sequence[int],
        upsample_initial_channel: int,
        upsample_factors: Sequence[int],
        inference_padding: int = 5,
        cond_channels: int = 0,
        conv_pre_weight_norm: bool = True,
        conv_post_weight_norm: bool = True,
        conv_post_bias: bool = True,
        cond_in_each_up_layer: bool = False,
        pre_linear: int | None = None,
    ) -> None:
        super().__init__()
        if str(resblock_type) not in ("1", "2"):
            raise ValueError(f"resblock_type must be '1' or '2', got {resblock_type!r}")
        self.inference_padding = inference_padding
        self.num_kernels = len(resblock_kernel_sizes)
        self.num_upsamples = len(upsample_factors)
        self.cond_in_each_up_layer = cond_in_each_up_layer
        self.conv_pre_weight_norm = conv_pre_weight_norm
        self.conv_post_weight_norm = conv_post_weight_norm

        if pre_linear is not None:
            self.lin_pre = nn.Linear(pre_linear, in_channels)
        self.conv_pre = nn.Conv1d(in_channels, upsample_initial_channel, 7, 1, padding=3)
        block = ResBlock1 if str(resblock_type) == "1" else ResBlock2

        self.ups = nn.ModuleList()
        self.resblocks = nn.ModuleList()
        stage_channels = [upsample_initial_channel // (2 ** (i + 1)) for i in range(self.num_upsamples)]
        ch_in = upsample_initial_channel
        for ch_out, factor, kernel in zip(stage_channels, upsample_factors, upsample_kernel_sizes):
            self.ups.append(nn.ConvTranspose1d(ch_in, ch_out, kernel, factor, padding=(kernel - factor) // 2))
            for k, d in zip(resblock_kernel_sizes, resblock_dilation_sizes):
                self.resblocks.append(block(ch_out, k, d))
            ch_in = ch_out
        self.conv_post = nn.Conv1d(ch_in, out_channels, 7, 1, padding=3, bias=conv_post_bias)
        if cond_channels > 0:
            self.cond_layer = nn.Conv1d(cond_channels, upsample_initial_channel, 1)
        if cond_in_each_up_layer:
            self.conds = nn.ModuleList(nn.Conv1d(cond_channels, ch, 1) for ch in stage_channels)

    def forward(self, x: torch.Tensor, g: torch.Tensor | None = None) -> torch.Tensor:
        """``x``: (B, C_in, T) features (or (B, T, pre_linear) with ``lin_pre``); ``g``: (B, C_cond, 1).

        Returns (B, C_out, T * prod(upsample_factors)), in [-1, 1].
        """
        if hasattr(self, "lin_pre"):
            x = self.lin_pre(x).transpose(1, 2)
        if self._channels_last_ok(x):
            return self._forward_channels_last(x, g)
        # Intermediate tensors below are fresh outputs of convs, so they are updated in place.
        o = self.conv_pre(x)
        if hasattr(self, "cond_layer") and g is not None:
            o.add_(self.cond_layer(g))
        for i, up in enumerate(self.ups):
            o = up(F.leaky_relu(o, LRELU_SLOPE, inplace=True))
            if self.cond_in_each_up_layer and g is not None:
                o.add_(self.conds[i](g))
            o = self._stage_blocks(i, o)
        return self._post(o)

    def _channels_last_ok(self, x: torch.Tensor) -> bool:
        """Take the channels-last path (:func:`TTS.core.layers.cl_conv.channels_last_ok`; fp32 or bf16)."""
        return channels_last_ok(x, [self.ups, self.resblocks], allow_bf16=True)

    def _forward_channels_last(self, x: torch.Tensor, g: torch.Tensor | None) -> torch.Tensor:
        """:meth:`forward` on CPU with the upsampling stages in channels-last layout (same arithmetic).

        The transposed convs run as polyphase convs whose output is already channels-last
        (:func:`TTS.core.layers.cl_conv.conv_transpose1d_polyphase_cl`), so the layout is converted once each way.
        """
        o = self.conv_pre(x)
        if hasattr(self, "cond_layer") and g is not None:
            o.add_(self.cond_layer(g))
        o = to_channels_last(o)
        with winograd_workspace():
            for i, up in enumerate(self.ups):
                o = conv_transpose1d_polyphase_cl(up, F.leaky_relu(o, LRELU_SLOPE, inplace=True))
                if self.cond_in_each_up_layer and g is not None:
                    o = o + self.conds[i](g).unsqueeze(2)  # (B, C, 1, 1) broadcast over time
                o = self._stage_blocks(i, o)
        return self._post(o.squeeze(2).contiguous())

    def _stage_blocks(self, i: int, o: torch.Tensor) -> torch.Tensor:
        """Average of stage ``i``'s residual blocks on ``o`` ((B, C, T) or channels-last (B, C, 1, T)).

        Channels-last at batch 1 runs in time tiles (:func:`TTS.core.layers.cl_conv.tiled_cl`): the
        blocks' 'same' zero padding at a cut only disturbs the halo that the tiling drops.
        """
        blocks = self.resblocks[i * self.num_kernels : (i + 1) * self.num_kernels]
        if o.dim() == 4 and o.shape[0] == 1:
            halo = max(sum(conv.padding[0] for conv in blk.modules() if isinstance(conv, nn.Conv1d)) for blk in blocks)
            average = lambda lo, hi: _average(blocks, o[..., lo:hi])  # noqa: E731
            return tiled_cl(average, o.shape[-1], halo, o.shape[1], STAGE_TILE_ELEMENTS)
        return _average(blocks, o)

    def _post(self, o: torch.Tensor) -> torch.Tensor:
        # The final activation uses torch's default slope (0.01), as the released models were trained with.
        return torch.tanh(self.conv_post(F.leaky_relu(o, inplace=True)))

    @torch.inference_mode()
    def inference(self, c: torch.Tensor, g: torch.Tensor | None = None) -> torch.Tensor:
        """Pad ``c`` (B, C, T) by ``inference_padding`` frames (edge replicate) each side and run the generator."""
        c = c.to(self.conv_pre.weight.device)
        if self.inference_padding > 0:
            c = F.pad(c, (self.inference_padding, self.inference_padding), mode="replicate")
        return self.forward(c, g)

    def remove_weight_norm(self) -> None:
        """No-op: weights are already folded at load time (kept for API compatibility)."""


def _average(blocks: Sequence[nn.Module], o: torch.Tensor) -> torch.Tensor:
    """Mean of ``blocks`` applied to ``o`` (the blocks leave ``o`` unchanged)."""
    acc = blocks[0](o)
    for blk in blocks[1:]:
        acc.add_(blk(o))
    return acc.div_(len(blocks))
