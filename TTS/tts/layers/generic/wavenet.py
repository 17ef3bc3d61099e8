"""Non-causal WaveNet stack (gated dilated convolutions): VITS flows, Glow coupling blocks, ForwardTTS decoder.

Keys: ``in_layers.i``, ``res_skip_layers.i``, optional ``cond_layer``. Weights are
plain; checkpoints' weight-norm pairs are folded by the loader.
"""

from __future__ import annotations

import torch
from torch import nn

from TTS.core.layers.cl_conv import pointwise_conv_sum, tracing

__all__ = ["WaveNet", "all_ones_mask"]


class WaveNet(nn.Module):
    """Gated residual stack: ``(B, C, T)`` hidden -> ``(B, C, T)`` summed skip output.

    Layer ``i`` uses dilation ``dilation_rate ** i``. A global condition ``g``
    ``(B, cond_channels, 1)`` is projected once to ``2 * C`` channels per layer.
    """

    def __init__(
        self,
        hidden_channels: int,
        kernel_size: int,
        dilation_rate: int,
        num_layers: int,
        cond_channels: int = 0,
    ) -> None:
        super().__init__()
        if kernel_size % 2 != 1:
            raise ValueError("WaveNet kernel_size must be odd")
        self.hidden_channels = hidden_channels
        self.num_layers = num_layers
        if cond_channels > 0:
            self.cond_layer = nn.Conv1d(cond_channels, 2 * hidden_channels * num_layers, 1)
        self.in_layers = nn.ModuleList()
        self.res_skip_layers = nn.ModuleList()
        for i in range(num_layers):
            dilation = dilation_rate**i
            pad = (kernel_size - 1) * dilation // 2
            self.in_layers.append(
                nn.Conv1d(hidden_channels, 2 * hidden_channels, kernel_size, dilation=dilation, padding=pad)
            )
            out = hidden_channels if i == num_layers - 1 else 2 * hidden_channels
            self.res_skip_layers.append(nn.Conv1d(hidden_channels, out, 1))

    def forward(
        self, x: torch.Tensor, x_mask: torch.Tensor, g: torch.Tensor | None = None, first: torch.Tensor | None = None
    ) -> torch.Tensor:
        """``x``: (B, C, T), ``x_mask``: (B, 1, T), ``g``: (B, C_g, 1) or None -> (B, C, T).

        ``first``: ``in_layers[0](x)`` (B, 2C, T) when the caller has it already (computed more cheaply).
        """
        c = self.hidden_channels
        cond = self.cond_layer(g) if g is not None else None
        mask = None if all_ones_mask(x_mask) else x_mask  # multiplying by an all-ones mask changes nothing
        skip = None
        last = self.num_layers - 1
        for i, (in_layer, res_skip) in enumerate(zip(self.in_layers, self.res_skip_layers)):
            h = first if i == 0 and first is not None else in_layer(x)
            if cond is not None:
                h = h + cond[:, 2 * c * i : 2 * c * (i + 1)]
            out = pointwise_conv_sum([(res_skip, _gate(h, c))])
            if i < last:
                x = x + out[:, :c]
                if mask is not None:
                    x = x * mask
                out = out[:, c:]
            skip = out if skip is None else skip + out
        return skip if mask is None else skip * mask


def all_ones_mask(x_mask: torch.Tensor) -> bool:
    """True for a CPU mask with no padded frames (every value 1), so masking it is a no-op.

    Other devices answer False without looking, to avoid a host sync; so does tracing (ONNX export),
    where the answer would be frozen into the graph.
    """
    return x_mask.device.type == "cpu" and not tracing() and bool(x_mask.eq(1).all())


def _gate(h: torch.Tensor, c: int) -> torch.Tensor:
    """``tanh(h[:, :c]) * sigmoid(h[:, c:])`` for (B, 2C, T) ``h`` -> (B, C, T); ``h`` may be overwritten.

    On CPU without autograd, ``tanh(a) = 2 * sigmoid(2 a) - 1`` is used: torch's CPU tanh kernel is
    several times slower than its sigmoid, and one in-place sigmoid then covers both halves.
    """
    if h.device.type != "cpu" or torch.is_grad_enabled() or tracing():
        return torch.tanh(h[:, :c]) * torch.sigmoid(h[:, c:])
    h[:, :c].mul_(2)
    torch.sigmoid_(h)
    return h[:, :c].mul(2).sub_(1).mul_(h[:, c:])
