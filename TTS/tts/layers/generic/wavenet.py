"""Non-causal WaveNet stack (gated dilated convolutions): VITS flows, Glow coupling blocks, ForwardTTS decoder.

Keys: ``in_layers.i``, ``res_skip_layers.i``, optional ``cond_layer``. Weights are
plain; checkpoints' weight-norm pairs are folded by the loader.
"""

from __future__ import annotations

import torch
from torch import nn

__all__ = ["WaveNet"]


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

    def forward(self, x: torch.Tensor, x_mask: torch.Tensor, g: torch.Tensor | None = None) -> torch.Tensor:
        """``x``: (B, C, T), ``x_mask``: (B, 1, T), ``g``: (B, C_g, 1) or None -> (B, C, T)."""
        c = self.hidden_channels
        cond = self.cond_layer(g) if g is not None else None
        skip = torch.zeros_like(x)
        for i, (in_layer, res_skip) in enumerate(zip(self.in_layers, self.res_skip_layers)):
            h = in_layer(x)
            if cond is not None:
                h = h + cond[:, 2 * c * i : 2 * c * (i + 1)]
            gated = torch.tanh(h[:, :c]) * torch.sigmoid(h[:, c:])
            out = res_skip(gated)
            if i < self.num_layers - 1:
                x = (x + out[:, :c]) * x_mask
                skip = skip + out[:, c:]
            else:
                skip = skip + out
        return skip * x_mask
