"""Inference-time packed weights for the Tacotron2 decoder's per-step matrix products.

Batch-1 autoregressive decoding reads every decoder weight once per step, so its speed
is set by how fast those bytes stream through one matrix-vector product. Here each
``nn.LSTMCell`` becomes one product over ``[x, h]`` with ``[W_ih | W_hh]`` stored
transposed, ``(I + H, 4H)`` contiguous (the faster CPU layout for a row vector times a
matrix), with the gates reordered to (i, f, o, g) so one in-place sigmoid covers three of
them. The mel projection and the stop net are folded into one product over
``[hidden, context]`` that only computes the ``r`` frames in use plus the stop logit.

``tanh`` is computed as ``2 * sigmoid(2x) - 1`` (:func:`tanh_via_sigmoid`; the factor 2 of
the g gate is folded into its packed weights, exactly): with two or more torch threads,
``torch.tanh`` on a tensor of up to ~2k elements opens an OpenMP parallel region, which
costs several milliseconds per call on a loaded CPU, while ``sigmoid`` stays on the
calling thread below torch's usual parallel grain (32768 elements).

The results equal the module-by-module computation up to float32 rounding (sums are
reassociated, tanh is rewritten). The packs are rebuilt whenever a source weight changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

__all__ = [
    "DecoderPack",
    "bilstm_inference",
    "fused_lstm_step",
    "pack_lstm_cell",
    "pack_projection_and_stop",
    "serial_matmul",
    "tanh_via_sigmoid",
]


# Below this many elements torch runs an elementwise op or reduction on the calling thread.
_SERIAL_ELEMENTS = 32768


def serial_matmul(x: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """``x`` (..., J) @ ``weight`` (J, A) without opening a thread pool region.

    With one torch thread this is ``torch.matmul``. With more, BLAS would split even this
    small product across threads, and waking them costs milliseconds per call on a loaded
    CPU, once per decoder step; so it is computed as broadcast products and sums in row
    blocks small enough that torch keeps each op on the calling thread.
    """
    if torch.get_num_threads() == 1 or x.device.type != "cpu":
        return torch.matmul(x, weight)
    lead, width = x.shape[:-1], weight.size(1)
    rows = x.reshape(-1, x.size(-1))
    block = max(1, _SERIAL_ELEMENTS // (weight.numel() + 1))
    parts = [(rows[i : i + block, :, None] * weight).sum(1) for i in range(0, rows.size(0), block)]
    return torch.cat(parts).reshape(*lead, width)


@dataclass
class LSTMPack:
    """``weight`` (I + H, 4H) with gate blocks ordered (i, f, o, g); ``bias`` (4H,) = ``b_ih + b_hh``.

    The g block (weight and bias) is doubled, so ``sigmoid`` of it gives ``(tanh(z) + 1) / 2``.
    """

    weight: torch.Tensor
    bias: torch.Tensor
    hidden_size: int


def pack_lstm_cell(cell: nn.LSTMCell) -> LSTMPack:
    """Pack an ``nn.LSTMCell`` (gates i, f, g, o) for :func:`fused_lstm_step`."""
    hidden = cell.hidden_size
    order = torch.cat([torch.arange(k * hidden, (k + 1) * hidden) for k in (0, 1, 3, 2)]).to(cell.weight_ih.device)
    weight = torch.cat((cell.weight_ih, cell.weight_hh), dim=1).detach()[order]
    if cell.bias:
        bias = (cell.bias_ih + cell.bias_hh).detach()[order]
    else:
        bias = weight.new_zeros(4 * hidden)
    weight[3 * hidden :] *= 2  # exact: a power of two
    bias[3 * hidden :] *= 2
    return LSTMPack(weight.t().contiguous(), bias.contiguous(), hidden)


def tanh_via_sigmoid(x: torch.Tensor) -> torch.Tensor:
    """``tanh(x)`` as ``2 * sigmoid(2x) - 1`` (absolute error ~1e-7); a new tensor."""
    return torch.sigmoid(x * 2).mul_(2).sub_(1)


def fused_lstm_step(pack: LSTMPack, xh: torch.Tensor, c: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """One LSTM step from ``xh`` = ``[x, h]`` (B, I + H) and cell ``c`` (B, H) -> ``(h', c')``, each (B, H)."""
    hidden = pack.hidden_size
    gates = torch.addmm(pack.bias, xh, pack.weight).sigmoid_()
    i, f, o, g = gates.split(hidden, dim=1)
    g.mul_(2).sub_(1)  # tanh of the g gate (its pre-activation was doubled in the pack)
    c = torch.addcmul(f * c, i, g)
    return o * tanh_via_sigmoid(c), c


def pack_projection_and_stop(
    projection: nn.Linear, stop: nn.Linear, decoder_dim: int, used_frames: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """Fold the mel projection and the stop net into one product over ``[hidden, context]``.

    The stop net reads ``[hidden, all projected frames]``; since the frames are linear in
    ``[hidden, context]``, its logit is too. Returns ``weight`` (D_h + D_ctx, used_frames + 1)
    and ``bias`` (used_frames + 1,): columns ``[:used_frames]`` are the frames in use, the last
    one the stop logit.
    """
    p_w, p_b = projection.weight.detach(), projection.bias.detach()
    s_w = stop.weight.detach()[0]
    s_b = stop.bias.detach()[0] if stop.bias is not None else s_w.new_zeros(())
    s_hidden, s_frames = s_w[:decoder_dim], s_w[decoder_dim:]
    stop_col = s_frames @ p_w  # (D_h + D_ctx,)
    stop_col[:decoder_dim] += s_hidden
    stop_bias = s_frames @ p_b + s_b
    weight = torch.cat((p_w[:used_frames], stop_col[None]), dim=0).t().contiguous()
    bias = torch.cat((p_b[:used_frames], stop_bias[None]))
    return weight, bias


def _version_key(tensors: list[torch.Tensor]) -> tuple:
    return tuple((t.data_ptr(), t._version, t.device, t.dtype) for t in tensors)


class DecoderPack:
    """Packed decoder weights, cached on the decoder and rebuilt when a source weight changes or ``r`` does."""

    def __init__(self, decoder: nn.Module) -> None:
        self.key = self._key(decoder)
        self.attention_rnn = pack_lstm_cell(decoder.attention_rnn)
        self.decoder_rnn = pack_lstm_cell(decoder.decoder_rnn)
        self.out_weight, self.out_bias = pack_projection_and_stop(
            decoder.linear_projection.linear_layer,
            decoder.stopnet[1].linear_layer,
            decoder.decoder_rnn_dim,
            decoder.r * decoder.frame_channels,
        )

    @staticmethod
    def _key(decoder: nn.Module) -> tuple:
        sources = [
            *decoder.attention_rnn.parameters(),
            *decoder.decoder_rnn.parameters(),
            *decoder.linear_projection.parameters(),
            *decoder.stopnet.parameters(),
        ]
        return (decoder.r, _version_key(sources))

    @classmethod
    def get(cls, decoder: nn.Module) -> DecoderPack:
        """The decoder's current pack (built on first use, reused while the weights are unchanged)."""
        pack = decoder.__dict__.get("_fused_pack")
        if pack is None or pack.key != cls._key(decoder):
            pack = cls(decoder)
            decoder.__dict__["_fused_pack"] = pack
        return pack


def bilstm_inference(lstm: nn.LSTM, x: torch.Tensor) -> torch.Tensor:
    """A one-layer, bidirectional, batch-first ``nn.LSTM`` on ``x`` (B, T, C) -> (B, T, 2H), for CPU inference.

    The input projections of both directions are one matrix product over all steps; each
    step is then one small product and elementwise ops that stay on the calling thread
    (``aten``'s LSTM computes ``tanh`` per step, see the module docstring).
    """
    if lstm.num_layers != 1 or not lstm.bidirectional or not lstm.batch_first or lstm.proj_size:
        raise ValueError("bilstm_inference needs a one-layer, bidirectional, batch-first LSTM without projection")
    hidden = lstm.hidden_size
    scale = x.new_ones(4 * hidden)
    scale[2 * hidden : 3 * hidden] = 2  # g gate (order i, f, g, o): sigmoid(2z) gives (tanh(z) + 1) / 2
    directions = ("", "_reverse")
    w_ih = torch.cat([getattr(lstm, f"weight_ih_l0{s}") * scale[:, None] for s in directions]).t()
    biases = []
    for s in directions:
        b = x.new_zeros(4 * hidden)
        if lstm.bias:
            b = getattr(lstm, f"bias_ih_l0{s}") + getattr(lstm, f"bias_hh_l0{s}")
        biases.append(b * scale)
    batch, steps, _ = x.shape
    projected = torch.addmm(torch.cat(biases), x.reshape(batch * steps, -1), w_ih).view(batch, steps, 2, -1)
    out = x.new_empty(batch, steps, 2, hidden)
    for d, s in enumerate(directions):
        w_hh = (getattr(lstm, f"weight_hh_l0{s}") * scale[:, None]).t().contiguous()
        h = x.new_zeros(batch, hidden)
        c = x.new_zeros(batch, hidden)
        for t in range(steps - 1, -1, -1) if d else range(steps):
            gates = torch.addmm(projected[:, t, d], h, w_hh).sigmoid_()
            i, f, g, o = gates.split(hidden, dim=1)
            g.mul_(2).sub_(1)
            c = torch.addcmul(f * c, i, g)
            h = o * tanh_via_sigmoid(c)
            out[:, t, d] = h
    return out.view(batch, steps, 2 * hidden)
