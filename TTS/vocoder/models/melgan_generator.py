"""MelGAN generator: mel frames ``(B, C_mel, T)`` to audio ``(B, out_channels, T * prod(upsample_factors))``.

The network is one ``nn.Sequential`` named ``layers`` whose indices match the
released checkpoints: ``layers.1`` input conv, then per upsampling stage a
LeakyReLU, a transposed conv and a :class:`~TTS.vocoder.layers.melgan.ResidualStack`,
then LeakyReLU, reflection pad, output conv and tanh. Weight-norm pairs are folded
by the loader, so every conv holds a plain ``weight``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from TTS.core.layers.cl_conv import (
    channels_last_ok,
    conv1d_cl,
    conv_transpose1d_length,
    conv_transpose1d_polyphase,
    conv_transpose1d_polyphase_cl,
    leaky_relu_reflect_pad_cl,
    tiled_cl,
    to_channels_last,
)
from TTS.vocoder.layers.melgan import ResidualStack

__all__ = ["MelganGenerator", "generator_from_config"]

_SLOPE = 0.2


class MelganGenerator(nn.Module):
    """MelGAN generator; each upsampling stage halves the channel count."""

    def __init__(
        self,
        in_channels: int = 80,
        out_channels: int = 1,
        proj_kernel: int = 7,
        base_channels: int = 512,
        upsample_factors: Sequence[int] = (8, 8, 2, 2),
        res_kernel: int = 3,
        num_res_blocks: int = 3,
    ) -> None:
        super().__init__()
        if proj_kernel % 2 != 1:
            raise ValueError(f"proj_kernel must be odd, got {proj_kernel}")
        edge = (proj_kernel - 1) // 2
        self.inference_padding = 2
        layers: list[nn.Module] = [
            nn.ReflectionPad1d(edge),
            nn.Conv1d(in_channels, base_channels, proj_kernel),
        ]
        channels = base_channels
        for factor in upsample_factors:
            out = channels // 2
            odd = factor % 2
            layers += [
                nn.LeakyReLU(_SLOPE),
                nn.ConvTranspose1d(
                    channels, out, 2 * factor, stride=factor, padding=factor // 2 + odd, output_padding=odd
                ),
                ResidualStack(out, num_res_blocks=num_res_blocks, kernel_size=res_kernel),
            ]
            channels = out
        layers += [
            nn.LeakyReLU(_SLOPE),
            nn.ReflectionPad1d(edge),
            nn.Conv1d(channels, out_channels, proj_kernel),
            nn.Tanh(),
        ]
        self.layers = nn.Sequential(*layers)

    def forward(self, c: torch.Tensor) -> torch.Tensor:
        """``c``: (B, C_mel, T) -> (B, out_channels, T * hop)."""
        if channels_last_ok(c, [self]):
            return self._forward_channels_last(c)
        x = c
        for layer in self.layers:
            if type(layer) is nn.ConvTranspose1d:  # an MPS-safe subclass keeps its own chunked forward
                x = conv_transpose1d_polyphase(
                    x, layer.weight, layer.bias, layer.stride[0], layer.padding[0], layer.output_padding[0]
                )
            elif isinstance(layer, nn.LeakyReLU) and x is not c:
                x = F.leaky_relu(x, layer.negative_slope, inplace=True)  # x is a fresh intermediate here
            else:
                x = layer(x)
        return x

    def _forward_channels_last(self, c: torch.Tensor) -> torch.Tensor:
        """:meth:`forward` on CPU with every stage after the input conv in channels-last layout.

        Same layers and arithmetic (see :mod:`TTS.core.layers.cl_conv`). At batch 1 each stage
        (upsampling, residual stack, and for the last one the output layers) runs in time tiles
        (:func:`~TTS.core.layers.cl_conv.tiled_cl`), so only stage outputs are full-size.
        """
        layers = self.layers
        x = to_channels_last(layers[1](layers[0](c)))  # the input conv is small; the rest runs (B, C, 1, T)
        starts = range(2, len(layers) - 4, 3)
        for i in starts:
            up, stack, last = layers[i + 1], layers[i + 2], i == starts[-1]
            x = F.leaky_relu(x, layers[i].negative_slope, inplace=True)
            stage = functools.partial(self._stage_span, up, stack, x, last)
            if c.shape[0] == 1:
                halo = stack.halo + (self.layers[-3].padding[0] if last else 0)
                x = tiled_cl(stage, conv_transpose1d_length(up, x.shape[-1]), halo, up.weight.shape[1])
            else:
                x = stage(0, conv_transpose1d_length(up, x.shape[-1]))
        return x.squeeze(2).contiguous()

    def _stage_span(
        self, up: nn.ConvTranspose1d, stack: ResidualStack, x: torch.Tensor, last: bool, lo: int, hi: int
    ) -> torch.Tensor:
        """Output samples ``lo..hi-1`` of one stage on CL ``x`` (the edges of the span treated as signal edges).

        The last stage includes the output layers (activation, reflection pad, conv, tanh).
        """
        y = stack.units_cl(conv_transpose1d_polyphase_cl(up, x, span=(lo, hi)))
        if not last:
            return y
        pad, conv = self.layers[-3].padding[0], self.layers[-2]
        return torch.tanh_(conv1d_cl(conv, leaky_relu_reflect_pad_cl(y, pad, self.layers[-4].negative_slope)))

    def _pad_input(self, c: torch.Tensor) -> torch.Tensor:
        c = c.to(self.layers[1].weight.device)
        return F.pad(c, (self.inference_padding, self.inference_padding), mode="replicate")

    @torch.inference_mode()
    def inference(self, c: torch.Tensor) -> torch.Tensor:
        """Edge-pad ``c`` (B, C_mel, T) by ``inference_padding`` frames each side and run the network.

        Returns (B, out_channels, (T + 2 * inference_padding) * hop), as upstream.
        """
        return self.forward(self._pad_input(c))

    def remove_weight_norm(self) -> None:
        """No-op: weights are folded at load time (kept for API compatibility)."""

    def load_checkpoint(self, config: Any, checkpoint_path: str, eval: bool = False, cache: bool = False) -> None:
        """Load a bare generator checkpoint ``{"model": state_dict}`` (weight-norm pairs folded)."""
        from TTS.core.checkpoint import fold_weight_norm, load_checkpoint_file, load_state_dict_strict

        state = load_checkpoint_file(checkpoint_path)
        load_state_dict_strict(self, fold_weight_norm(state.get("model", state)))
        if eval:
            self.eval()


def generator_from_config(config: Any) -> nn.Module:
    """The generator a GAN vocoder config names in ``generator_model``, built as upstream's ``setup_generator``.

    The MelGAN variants take only ``upsample_factors`` and ``num_res_blocks`` from
    ``generator_model_params``; their other sizes are fixed per variant.
    """
    name = str(config.generator_model).lower()
    params = config.generator_model_params or {}
    num_mels = config.audio["num_mels"]
    common = {
        "in_channels": num_mels,
        "proj_kernel": 7,
        "res_kernel": 3,
        "upsample_factors": params["upsample_factors"],
        "num_res_blocks": params["num_res_blocks"],
    }
    if name == "melgan_generator":
        return MelganGenerator(out_channels=1, base_channels=512, **common)
    if name == "multiband_melgan_generator":
        from TTS.vocoder.models.multiband_melgan_generator import MultibandMelganGenerator

        return MultibandMelganGenerator(out_channels=4, base_channels=384, **common)
    if name == "fullband_melgan_generator":
        from TTS.vocoder.models.fullband_melgan_generator import FullbandMelganGenerator

        return FullbandMelganGenerator(out_channels=1, base_channels=512, **common)
    if name == "melgan_fb_generator":
        from TTS.core.errors import InvalidInputError

        raise InvalidInputError(
            "generator_model 'melgan_fb_generator' was renamed: set it to 'fullband_melgan_generator' in config.json."
        )
    raise ValueError(f"not a MelGAN generator: {config.generator_model!r}")
