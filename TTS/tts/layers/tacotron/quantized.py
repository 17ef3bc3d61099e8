"""Int8 LSTM cells for the Tacotron2 decoder (``Tacotron2.enable_reduced_precision()``), CPU only.

Batch-1 autoregressive decoding reads both decoder LSTMs' weights (about 70 MB in
float32) at every step, so its speed is set by memory bandwidth. Each cell's gate
product ``[x, h] @ [W_ih | W_hh].T`` runs through the shared
:class:`TTS.core.int8.Int8Linear` (a quarter of the bytes), the gates themselves in
float32. The mel differs slightly from fp32 (no longer bit-comparable with
upstream), so it is never on by default.
"""

from __future__ import annotations

import torch
from torch import nn

from TTS.core.int8 import Int8Linear, Kernel, int8_supported

__all__ = ["Int8LSTMCell", "int8_matmul_available", "quantize_decoder_rnns"]


def int8_matmul_available() -> bool:
    """Whether this torch build has a CPU int8 matmul kernel (alias of :func:`TTS.core.int8.int8_supported`)."""
    return int8_supported()


class Int8LSTMCell(nn.Module):
    """Inference-only replacement of an ``nn.LSTMCell`` with int8 ``[W_ih | W_hh]``.

    ``forward(x (B, I), (h (B, H), c (B, H)))`` -> ``(h', c')`` in float32, gate order (i, f, g, o)
    as in ``nn.LSTMCell``.
    """

    def __init__(self, cell: nn.LSTMCell, kernel: Kernel = "auto") -> None:
        super().__init__()
        weight = torch.cat((cell.weight_ih, cell.weight_hh), dim=1)
        bias = (cell.bias_ih + cell.bias_hh) if cell.bias else torch.zeros(weight.shape[0], device=weight.device)
        self.gates = Int8Linear(weight, bias, kernel=kernel)
        self.hidden_size = cell.hidden_size

    def forward(self, x: torch.Tensor, state: tuple[torch.Tensor, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
        h, c = state
        i, f, g, o = self.gates(torch.cat((x, h), dim=1)).chunk(4, dim=1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        return torch.sigmoid(o) * torch.tanh(c), c


def quantize_decoder_rnns(decoder: nn.Module, kernel: Kernel = "auto") -> bool:
    """Swap the decoder's ``attention_rnn`` and ``decoder_rnn`` LSTM cells for :class:`Int8LSTMCell`.

    Call after loading the checkpoint (the quantized decoder has other state-dict keys).
    Returns False, changing nothing, when there is no CPU int8 kernel, the decoder is not
    on the CPU, or its cells are not LSTM cells (Tacotron v1's GRUs). Calling it twice is harmless.
    """
    cells = (getattr(decoder, "attention_rnn", None), getattr(decoder, "decoder_rnn", None))
    if all(isinstance(cell, Int8LSTMCell) for cell in cells):
        return True
    if not all(isinstance(cell, nn.LSTMCell) for cell in cells):
        return False
    if not int8_supported() or cells[0].weight_ih.device.type != "cpu":
        return False
    with torch.no_grad():
        decoder.attention_rnn = Int8LSTMCell(cells[0], kernel)
        decoder.decoder_rnn = Int8LSTMCell(cells[1], kernel)
    return True
