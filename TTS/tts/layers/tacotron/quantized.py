"""Opt-in weight-only int8 LSTM cells for the Tacotron2 decoder on CPU.

Batch-1 autoregressive decoding reads both decoder LSTMs' weights (about 70 MB in
float32) at every step, so its speed is set by memory bandwidth. Storing them as int8
with one scale per output row (a quarter of the bytes) and multiplying with bfloat16
activations makes the decoder about twice as fast on CPU, at the cost of small
numerical differences (the output is no longer bit-comparable with upstream). It is
never enabled by default: call :func:`quantize_decoder_rnns`.
"""

from __future__ import annotations

import torch
from torch import nn

__all__ = ["Int8LSTMCell", "int8_matmul_available", "quantize_decoder_rnns"]


def int8_matmul_available() -> bool:
    """Whether this torch build has the CPU weight-only int8 matmul kernel."""
    op = getattr(torch.ops.aten, "_weight_int8pack_mm", None)
    if op is None:
        return False
    try:
        op(
            torch.zeros(1, 8, dtype=torch.bfloat16),
            torch.zeros(4, 8, dtype=torch.int8),
            torch.ones(4, dtype=torch.bfloat16),
        )
    except (RuntimeError, NotImplementedError):
        return False
    return True


class Int8LSTMCell(nn.Module):
    """Inference-only replacement of an ``nn.LSTMCell``: int8 ``[W_ih | W_hh]`` with per-row scales.

    ``forward(x (B, I), (h (B, H), c (B, H)))`` -> ``(h', c')`` in float32, gate order (i, f, g, o)
    as in ``nn.LSTMCell``.
    """

    def __init__(self, cell: nn.LSTMCell) -> None:
        super().__init__()
        weight = torch.cat((cell.weight_ih, cell.weight_hh), dim=1).detach().float()
        scales = weight.abs().amax(dim=1).clamp_min(1e-12) / 127.0
        self.register_buffer("weight", torch.round(weight / scales[:, None]).clamp(-127, 127).to(torch.int8))
        self.register_buffer("scales", scales.to(torch.bfloat16))
        bias = torch.zeros(weight.shape[0])
        if cell.bias:
            bias = (cell.bias_ih + cell.bias_hh).detach().float()
        self.register_buffer("bias", bias)
        self.hidden_size = cell.hidden_size

    def forward(self, x: torch.Tensor, state: tuple[torch.Tensor, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
        h, c = state
        inputs = torch.cat((x, h), dim=1).to(torch.bfloat16)
        gates = torch.ops.aten._weight_int8pack_mm(inputs, self.weight, self.scales).float() + self.bias
        i, f, g, o = gates.chunk(4, dim=1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        return torch.sigmoid(o) * torch.tanh(c), c


def quantize_decoder_rnns(decoder: nn.Module) -> bool:
    """Swap the decoder's ``attention_rnn`` and ``decoder_rnn`` for :class:`Int8LSTMCell` (CPU only).

    Call after loading the checkpoint (the quantized decoder has other state-dict keys).
    Returns False, changing nothing, when the int8 kernel is unavailable or the decoder is
    not on the CPU.
    """
    if not int8_matmul_available() or decoder.attention_rnn.weight_ih.device.type != "cpu":
        return False
    decoder.attention_rnn = Int8LSTMCell(decoder.attention_rnn)
    decoder.decoder_rnn = Int8LSTMCell(decoder.decoder_rnn)
    return True
