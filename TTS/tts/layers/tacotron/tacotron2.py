"""Tacotron2 encoder, autoregressive decoder and postnet.

Sizes the released models were trained with are fixed here (1024-wide attention
and decoder RNNs, 256-wide prenet, 128-wide attention, 512-wide convolutions);
the config gives the encoder width, the mel channels and the decoder options.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from TTS.tts.layers.generic.decoder_blocks import ConvBNBlock, Linear, Prenet
from TTS.tts.layers.tacotron.attentions import init_attn
from TTS.tts.layers.tacotron.fused import DecoderPack, bilstm_inference, fused_lstm_step

__all__ = ["ConvBNBlock", "Decoder", "Encoder", "Postnet"]

logger = logging.getLogger(__name__)


class Postnet(nn.Module):
    """Five 5-wide conv blocks predicting a residual for the decoder's mel: ``(B, C, T)`` -> ``(B, C, T)``."""

    def __init__(self, in_out_channels: int, num_convs: int = 5) -> None:
        super().__init__()
        widths = [in_out_channels] + [512] * (num_convs - 1) + [in_out_channels]
        self.convolutions = nn.ModuleList(
            ConvBNBlock(widths[i], widths[i + 1], 5, "tanh" if i < num_convs - 1 else None) for i in range(num_convs)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for block in self.convolutions:
            x = block(x)
        return x


class Encoder(nn.Module):
    """Three conv blocks and a bidirectional LSTM: embeddings ``(B, C, T)`` -> ``(B, T, C)``."""

    def __init__(self, in_out_channels: int = 512) -> None:
        super().__init__()
        self.convolutions = nn.ModuleList(ConvBNBlock(in_out_channels, in_out_channels, 5, "relu") for _ in range(3))
        self.lstm = nn.LSTM(in_out_channels, in_out_channels // 2, num_layers=1, batch_first=True, bidirectional=True)

    def _convs(self, x: torch.Tensor) -> torch.Tensor:
        for block in self.convolutions:
            x = block(x)
        return x.transpose(1, 2)

    def forward(self, x: torch.Tensor, input_lengths: torch.Tensor) -> torch.Tensor:
        """Padded batch: ``x`` (B, C, T), ``input_lengths`` (B,) sorted descending -> (B, T_max, C)."""
        packed = nn.utils.rnn.pack_padded_sequence(self._convs(x), input_lengths.cpu(), batch_first=True)
        out, _ = self.lstm(packed)
        return nn.utils.rnn.pad_packed_sequence(out, batch_first=True)[0]

    def inference(self, x: torch.Tensor) -> torch.Tensor:
        """Unpadded input: ``x`` (B, C, T) -> (B, T, C)."""
        x = self._convs(x)
        lstm = self.lstm
        if not self.training and not torch.is_grad_enabled() and x.device.type == "cpu" and lstm.bidirectional:
            return bilstm_inference(lstm, x)  # same up to float32 rounding, no thread pool region per step
        return lstm(x)[0]


@dataclass
class _DecoderState:
    """Recurrent state carried from one decoder step to the next (each ``(B, D)``)."""

    query: torch.Tensor
    attention_cell: torch.Tensor
    hidden: torch.Tensor
    cell: torch.Tensor
    context: torch.Tensor


class Decoder(nn.Module):
    """Tacotron2 decoder: prenet -> attention LSTM -> attention -> decoder LSTM -> ``r`` mel frames + stop logit.

    ``r`` (frames per step) can be lowered after construction with :meth:`set_r`
    (checkpoints store the value they were trained down to); the projection keeps
    ``r_init`` frames and the stop net always sees all of them.

    Args mirror the config: ``in_channels`` (encoder width, plus style/speaker dims),
    ``frame_channels`` (mel bins), ``attn_*`` / ``forward_attn`` / ``location_attn``
    (attention options), ``prenet_type`` / ``prenet_dropout``, ``separate_stopnet``
    (training only) and ``max_decoder_steps`` (the inference bound).
    """

    QUERY_DIM = 1024
    DECODER_RNN_DIM = 1024
    PRENET_DIM = 256
    ATTENTION_DIM = 128
    STOP_THRESHOLD = 0.5

    def __init__(
        self,
        in_channels: int,
        frame_channels: int,
        r: int,
        attn_type: str,
        attn_win: bool,
        attn_norm: str,
        prenet_type: str,
        prenet_dropout: bool,
        forward_attn: bool,
        trans_agent: bool,
        forward_attn_mask: bool,
        location_attn: bool,
        attn_K: int | None,  # noqa: N803 - upstream's argument name
        separate_stopnet: bool,
        max_decoder_steps: int,
    ) -> None:
        super().__init__()
        self.frame_channels = frame_channels
        self.r_init = r
        self.r = r
        self.encoder_embedding_dim = in_channels
        self.separate_stopnet = separate_stopnet
        self.max_decoder_steps = max_decoder_steps
        self.stop_threshold = self.STOP_THRESHOLD
        self.query_dim = self.QUERY_DIM
        self.decoder_rnn_dim = self.DECODER_RNN_DIM
        self.p_attention_dropout = 0.1
        self.p_decoder_dropout = 0.1

        self.prenet = Prenet(
            frame_channels, prenet_type, prenet_dropout, out_features=[self.PRENET_DIM, self.PRENET_DIM], bias=False
        )
        self.attention_rnn = nn.LSTMCell(self.PRENET_DIM + in_channels, self.QUERY_DIM)
        self.attention = init_attn(
            attn_type=attn_type,
            query_dim=self.QUERY_DIM,
            embedding_dim=in_channels,
            attention_dim=self.ATTENTION_DIM,
            location_attention=location_attn,
            attention_location_n_filters=32,
            attention_location_kernel_size=31,
            windowing=attn_win,
            norm=attn_norm,
            forward_attn=forward_attn,
            trans_agent=trans_agent,
            forward_attn_mask=forward_attn_mask,
            attn_K=attn_K,
        )
        self.decoder_rnn = nn.LSTMCell(self.QUERY_DIM + in_channels, self.DECODER_RNN_DIM)
        self.linear_projection = Linear(self.DECODER_RNN_DIM + in_channels, frame_channels * r)
        self.stopnet = nn.Sequential(
            nn.Dropout(0.1), Linear(self.DECODER_RNN_DIM + frame_channels * r, 1, bias=True, init_gain="sigmoid")
        )

    def set_r(self, new_r: int) -> None:
        """Emit ``new_r`` (<= ``r_init``) frames per step."""
        self.r = int(new_r)

    def _initial_state(self, inputs: torch.Tensor) -> _DecoderState:
        batch = inputs.size(0)

        def zeros(width: int) -> torch.Tensor:
            return inputs.new_zeros(batch, width)

        return _DecoderState(
            zeros(self.QUERY_DIM),
            zeros(self.QUERY_DIM),
            zeros(self.DECODER_RNN_DIM),
            zeros(self.DECODER_RNN_DIM),
            zeros(self.encoder_embedding_dim),
        )

    def _step(
        self,
        state: _DecoderState,
        frame: torch.Tensor,
        inputs: torch.Tensor,
        processed_inputs: torch.Tensor | None,
        mask: torch.Tensor | None,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """One decoder step from the prenet output ``frame`` (B, 256); returns (frames (B, r*C), stop logit (B, 1))."""
        query, attention_cell = self.attention_rnn(
            torch.cat((frame, state.context), -1), (state.query, state.attention_cell)
        )
        state.query = F.dropout(query, self.p_attention_dropout, self.training)
        state.attention_cell = F.dropout(attention_cell, self.p_attention_dropout, self.training)
        state.context = self.attention(state.query, inputs, processed_inputs, mask)
        hidden, state.cell = self.decoder_rnn(torch.cat((state.query, state.context), -1), (state.hidden, state.cell))
        state.hidden = F.dropout(hidden, self.p_decoder_dropout, self.training)
        frames = self.linear_projection(torch.cat((state.hidden, state.context), dim=1))
        stop_input = torch.cat((state.hidden, frames), dim=1)
        stop_logit = self.stopnet(stop_input.detach() if self.separate_stopnet else stop_input)
        return frames[:, : self.r * self.frame_channels], stop_logit

    def _can_fuse(self) -> bool:
        return (
            not self.training
            and type(self.attention_rnn) is nn.LSTMCell
            and type(self.decoder_rnn) is nn.LSTMCell
            and self.attention_rnn.weight_ih.dtype == torch.float32
        )

    def _fused_step(
        self, pack: DecoderPack, state: _DecoderState, frame: torch.Tensor, inputs: torch.Tensor, processed: Any
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Inference-only :meth:`_step` on packed weights (same results up to float32 rounding)."""
        state.query, state.attention_cell = fused_lstm_step(
            pack.attention_rnn, torch.cat((frame, state.context, state.query), 1), state.attention_cell
        )
        state.context = self.attention(state.query, inputs, processed, None)
        state.hidden, state.cell = fused_lstm_step(
            pack.decoder_rnn, torch.cat((state.query, state.context, state.hidden), 1), state.cell
        )
        out = torch.addmm(pack.out_bias, torch.cat((state.hidden, state.context), 1), pack.out_weight)
        return out[:, :-1], out[:, -1:]

    def _last_frame(self, frames: torch.Tensor) -> torch.Tensor:
        return frames[..., self.frame_channels * (self.r - 1) :]

    def _stack(
        self, outputs: list[torch.Tensor], stops: list[torch.Tensor], alignments: list[torch.Tensor]
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        mel = torch.stack(outputs, dim=1)  # (B, steps, r*C)
        mel = mel.reshape(mel.size(0), -1, self.frame_channels).transpose(1, 2)
        return mel, torch.stack(alignments, dim=1), torch.stack(stops, dim=1)

    def forward(
        self, inputs: torch.Tensor, memories: torch.Tensor, mask: torch.Tensor | None
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Teacher forcing: ``inputs`` (B, T_en, D_en), ``memories`` (B, T_mel, C) with T_mel a multiple of r.

        Returns mel (B, C, T_mel), alignments (B, T_mel / r, T_en), stop logits (B, T_mel / r).
        """
        batch = inputs.size(0)
        if memories.size(-1) == self.frame_channels:
            memories = memories.reshape(batch, memories.size(1) // self.r, -1)
        memories = memories.transpose(0, 1)  # (steps, B, r*C)
        go = inputs.new_zeros(1, batch, memories.size(-1))
        frames = self.prenet(self._last_frame(torch.cat((go, memories), dim=0)))
        state = self._initial_state(inputs)
        processed = self.attention.preprocess_inputs(inputs)
        self.attention.init_states(inputs)
        outputs, stops, alignments = [], [], []
        for step in range(memories.size(0)):
            out, stop = self._step(state, frames[step], inputs, processed, mask)
            outputs.append(out)
            stops.append(stop.squeeze(1))
            alignments.append(self.attention.attention_weights)
        return self._stack(outputs, stops, alignments)

    def inference(self, inputs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Free-running decoding of encoder outputs ``inputs`` (1, T_en, D_en) until the stop token fires.

        Stops when the stop probability exceeds 0.5 (from the second step on) or after
        ``max_decoder_steps`` steps, with a warning. Returns mel (1, C, steps * r),
        alignments (1, steps, T_en), stop probabilities (1, steps, 1).
        """
        batch = inputs.size(0)
        last = inputs.new_zeros(batch, self.frame_channels)
        state = self._initial_state(inputs)
        processed = self.attention.preprocess_inputs(inputs)
        self.attention.init_states(inputs)
        outputs, stops, alignments = [], [], []
        # The released models stop on the first confident stop token after step `batch // 2`.
        min_steps = batch // 2
        pack = DecoderPack.get(self) if self._can_fuse() else None
        while True:
            if pack is not None:
                out, stop_logit = self._fused_step(pack, state, self.prenet(last), inputs, processed)
            else:
                out, stop_logit = self._step(state, self.prenet(last), inputs, processed, None)
            stop = torch.sigmoid(stop_logit)
            outputs.append(out)
            stops.append(stop)
            alignments.append(self.attention.attention_weights)
            if len(outputs) - 1 > min_steps and bool(stop.min() > self.stop_threshold):
                break
            if len(outputs) >= self.max_decoder_steps:
                logger.warning(
                    "The decoder did not stop within max_decoder_steps=%d steps (%d frames): the output is cut "
                    "there. Raise max_decoder_steps in the config if the text is long.",
                    self.max_decoder_steps,
                    len(outputs) * self.r,
                )
                break
            last = self._last_frame(out)
        return self._stack(outputs, stops, alignments)
