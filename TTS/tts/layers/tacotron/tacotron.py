"""Tacotron (v1) layers: CBHG encoder, attention decoder emitting ``r`` frames per step, CBHG postnet.

Layer sizes are fixed as in the released architecture (256-wide decoder GRUs and
attention query, 128-wide CBHG banks and highways, 128-unit bidirectional GRUs);
the config only chooses the input width, the mel channels, ``r``, the decoder
memory and the attention options. Submodule names match released checkpoints.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from TTS.tts.layers.generic.decoder_blocks import Prenet
from TTS.tts.layers.tacotron.attentions import init_attn

__all__ = ["CBHG", "BatchNormConv1d", "Decoder", "Encoder", "EncoderCBHG", "Highway", "PostCBHG", "StopNet"]

logger = logging.getLogger(__name__)


class BatchNormConv1d(nn.Module):
    """Bias-free Conv1d -> BatchNorm (eps 1e-3) -> optional activation: ``(B, C_in, T)`` -> ``(B, C_out, T')``.

    ``padding`` is ``(left, right)`` zero padding applied before the convolution.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int,
        stride: int = 1,
        padding: Sequence[int] = (0, 0),
        activation: nn.Module | None = None,
    ) -> None:
        super().__init__()
        self.padding = (int(padding[0]), int(padding[1]))
        self.conv1d = nn.Conv1d(in_channels, out_channels, kernel_size, stride=stride, padding=0, bias=False)
        self.bn = nn.BatchNorm1d(out_channels, momentum=0.99, eps=1e-3)
        self.activation = activation

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.bn(self.conv1d(F.pad(x, self.padding)))
        return x if self.activation is None else self.activation(x)


class Highway(nn.Module):
    """Highway layer ``relu(H x) * g + x * (1 - g)`` with gate ``g = sigmoid(T x)``: ``(..., C)`` -> ``(..., C)``."""

    def __init__(self, in_features: int, out_feature: int) -> None:
        super().__init__()
        self.H = nn.Linear(in_features, out_feature)  # noqa: N815 - released checkpoint name
        self.T = nn.Linear(in_features, out_feature)  # noqa: N815 - released checkpoint name
        nn.init.zeros_(self.H.bias)
        nn.init.constant_(self.T.bias, -1.0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gate = torch.sigmoid(self.T(x))
        return x + gate * (F.relu(self.H(x)) - x)


class CBHG(nn.Module):
    """Conv bank (kernels 1..K), conv projections with a residual, highways, bidirectional GRU.

    ``(B, in_features, T)`` -> ``(B, T, 2 * gru_features)``. The last projection must
    have ``in_features`` channels (it is added to the input).
    """

    def __init__(
        self,
        in_features: int,
        K: int = 16,  # noqa: N803 - upstream's argument name
        conv_bank_features: int = 128,
        conv_projections: Sequence[int] | None = None,
        highway_features: int = 128,
        gru_features: int = 128,
        num_highways: int = 4,
    ) -> None:
        super().__init__()
        projections = list(conv_projections) if conv_projections is not None else [128, 128]
        if projections[-1] != in_features:
            raise ValueError(f"the last conv projection ({projections[-1]}) must equal in_features ({in_features})")
        self.in_features = in_features
        self.conv_bank_features = conv_bank_features
        self.highway_features = highway_features
        self.gru_features = gru_features
        self.conv_projections = projections
        relu = nn.ReLU()
        # Even kernels pad one more on the right, so every bank output keeps length T.
        self.conv1d_banks = nn.ModuleList(
            BatchNormConv1d(in_features, conv_bank_features, k, padding=((k - 1) // 2, k // 2), activation=relu)
            for k in range(1, K + 1)
        )
        widths = [K * conv_bank_features, *projections]
        self.conv1d_projections = nn.ModuleList(
            BatchNormConv1d(
                widths[i], widths[i + 1], 3, padding=(1, 1), activation=relu if i < len(projections) - 1 else None
            )
            for i in range(len(projections))
        )
        if highway_features != projections[-1]:
            self.pre_highway = nn.Linear(projections[-1], highway_features, bias=False)
        self.highways = nn.ModuleList(Highway(highway_features, highway_features) for _ in range(num_highways))
        self.gru = nn.GRU(gru_features, gru_features, 1, batch_first=True, bidirectional=True)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        x = torch.cat([bank(inputs) for bank in self.conv1d_banks], dim=1)
        for projection in self.conv1d_projections:
            x = projection(x)
        x = (x + inputs).transpose(1, 2)
        if hasattr(self, "pre_highway"):
            x = self.pre_highway(x)
        for highway in self.highways:
            x = highway(x)
        return self.gru(x)[0]


class EncoderCBHG(nn.Module):
    """The encoder's CBHG (128 channels in, K=16): ``(B, 128, T)`` -> ``(B, T, 256)``."""

    def __init__(self) -> None:
        super().__init__()
        self.cbhg = CBHG(128, K=16, conv_bank_features=128, conv_projections=[128, 128])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.cbhg(x)


class Encoder(nn.Module):
    """Prenet (-> 256 -> 128) and CBHG: character embeddings ``(B, T, in_features)`` -> ``(B, T, 256)``."""

    def __init__(self, in_features: int) -> None:
        super().__init__()
        self.prenet = Prenet(in_features, out_features=[256, 128])
        self.cbhg = EncoderCBHG()

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        return self.cbhg(self.prenet(inputs).transpose(1, 2))


class PostCBHG(nn.Module):
    """The postnet CBHG over decoder frames (K=8): ``(B, mel_dim, T)`` -> ``(B, T, 256)``."""

    def __init__(self, mel_dim: int) -> None:
        super().__init__()
        self.cbhg = CBHG(mel_dim, K=8, conv_bank_features=128, conv_projections=[256, mel_dim])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.cbhg(x)


class StopNet(nn.Module):
    """Stop-token logit from ``[decoder output, projected frames]``: ``(B, in_features)`` -> ``(B, 1)``."""

    def __init__(self, in_features: int) -> None:
        super().__init__()
        self.dropout = nn.Dropout(0.1)
        self.linear = nn.Linear(in_features, 1)
        nn.init.xavier_uniform_(self.linear.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(self.dropout(x))


@dataclass
class _DecoderState:
    """What one decoder step hands to the next (each ``(B, D)``; ``rnn`` holds one per decoder GRU)."""

    memory: torch.Tensor
    query: torch.Tensor
    rnn: list[torch.Tensor]
    context: torch.Tensor


class Decoder(nn.Module):
    """Tacotron decoder: prenet -> attention GRU -> attention -> two residual GRUs -> ``r`` frames + stop logit.

    The prenet reads the last predicted frame, or with ``memory_size > 0`` a queue of
    the last ``memory_size`` frames. ``r`` can be lowered after construction with
    :meth:`set_r` (checkpoints store the value they were trained down to); the
    projection keeps ``r_init`` frames and the stop net always sees all of them.
    """

    QUERY_DIM = 256
    RNN_DIM = 256
    PRENET_DIMS = (256, 128)
    ATTENTION_DIM = 128
    STOP_THRESHOLD = 0.6

    def __init__(
        self,
        in_channels: int,
        frame_channels: int,
        r: int,
        memory_size: int,
        attn_type: str,
        attn_windowing: bool,
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
        self.r_init = r
        self.r = r
        self.in_channels = in_channels
        self.frame_channels = frame_channels
        self.max_decoder_steps = max_decoder_steps
        self.use_memory_queue = memory_size > 0
        self.memory_size = memory_size if memory_size > 0 else r
        self.separate_stopnet = separate_stopnet
        self.query_dim = self.QUERY_DIM
        memory_width = frame_channels * (self.memory_size if self.use_memory_queue else 1)
        self.prenet = Prenet(memory_width, prenet_type, prenet_dropout, out_features=list(self.PRENET_DIMS))
        self.attention_rnn = nn.GRUCell(in_channels + self.PRENET_DIMS[-1], self.QUERY_DIM)
        self.attention = init_attn(
            attn_type=attn_type,
            query_dim=self.QUERY_DIM,
            embedding_dim=in_channels,
            attention_dim=self.ATTENTION_DIM,
            location_attention=location_attn,
            attention_location_n_filters=32,
            attention_location_kernel_size=31,
            windowing=attn_windowing,
            norm=attn_norm,
            forward_attn=forward_attn,
            trans_agent=trans_agent,
            forward_attn_mask=forward_attn_mask,
            attn_K=attn_K,
        )
        self.project_to_decoder_in = nn.Linear(self.QUERY_DIM + in_channels, self.RNN_DIM)
        self.decoder_rnns = nn.ModuleList(nn.GRUCell(self.RNN_DIM, self.RNN_DIM) for _ in range(2))
        self.proj_to_mel = nn.Linear(self.RNN_DIM, frame_channels * r)
        self.stopnet = StopNet(self.RNN_DIM + frame_channels * r)

    def set_r(self, new_r: int) -> None:
        """Emit ``new_r`` (<= ``r_init``) frames per step."""
        self.r = int(new_r)

    def _initial_state(self, inputs: torch.Tensor) -> _DecoderState:
        batch = inputs.size(0)
        width = self.frame_channels * (self.memory_size if self.use_memory_queue else 1)
        return _DecoderState(
            memory=inputs.new_zeros(batch, width),
            query=inputs.new_zeros(batch, self.QUERY_DIM),
            rnn=[inputs.new_zeros(batch, self.RNN_DIM) for _ in self.decoder_rnns],
            context=inputs.new_zeros(batch, self.in_channels),
        )

    def _next_memory(self, memory: torch.Tensor, frames: torch.Tensor) -> torch.Tensor:
        """Prenet input after a step that produced ``frames`` (B, r * C)."""
        channels = self.frame_channels
        if not self.use_memory_queue:
            return frames[:, channels * (self.r - 1) :]  # the newest frame only
        if self.memory_size > self.r:  # newest r frames first, then the older ones that still fit
            return torch.cat([frames, memory[:, : (self.memory_size - self.r) * channels]], dim=-1)
        return frames[:, : self.memory_size * channels]

    def _step(
        self, state: _DecoderState, inputs: torch.Tensor, processed: torch.Tensor | None, mask: torch.Tensor | None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """One decoder step; returns (frames (B, r * C), stop logit (B, 1))."""
        state.query = self.attention_rnn(torch.cat((self.prenet(state.memory), state.context), -1), state.query)
        state.context = self.attention(state.query, inputs, processed, mask)
        x = self.project_to_decoder_in(torch.cat((state.query, state.context), -1))
        for i, rnn in enumerate(self.decoder_rnns):
            state.rnn[i] = rnn(x, state.rnn[i])
            x = x + state.rnn[i]
        frames = self.proj_to_mel(x)
        stop_input = torch.cat((x, frames), dim=-1)
        stop_logit = self.stopnet(stop_input.detach() if self.separate_stopnet else stop_input)
        return frames[:, : self.r * self.frame_channels], stop_logit

    def _start(self, inputs: torch.Tensor) -> tuple[_DecoderState, torch.Tensor | None]:
        state = self._initial_state(inputs)
        processed = self.attention.preprocess_inputs(inputs)
        self.attention.init_states(inputs)
        return state, processed

    def _stack(
        self, outputs: list[torch.Tensor], stops: list[torch.Tensor], alignments: list[torch.Tensor]
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        frames = torch.stack(outputs, dim=1)  # (B, steps, r*C)
        frames = frames.reshape(frames.size(0), -1, self.frame_channels).transpose(1, 2)
        return frames, torch.stack(alignments, dim=1), torch.stack(stops, dim=1)

    def forward(
        self, inputs: torch.Tensor, memory: torch.Tensor, mask: torch.Tensor | None
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Teacher forcing: ``inputs`` (B, T_en, D_en), ``memory`` (B, T_mel, C) with T_mel a multiple of r.

        Returns frames (B, C, T_mel), alignments (B, T_mel / r, T_en), stop logits (B, T_mel / r).
        """
        if memory.size(-1) == self.frame_channels:
            memory = memory.reshape(memory.size(0), memory.size(1) // self.r, -1)
        state, processed = self._start(inputs)
        outputs, stops, alignments = [], [], []
        for step in range(memory.size(1)):
            if step > 0:
                state.memory = self._next_memory(state.memory, memory[:, step - 1])
            out, stop = self._step(state, inputs, processed, mask)
            outputs.append(out)
            stops.append(stop.squeeze(1))
            alignments.append(self.attention.attention_weights)
        return self._stack(outputs, stops, alignments)

    def inference(self, inputs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Free-running decoding of encoder outputs ``inputs`` (B, T_en, D_en).

        After more than ``T_en / 4`` steps it stops once the stop probability, or the
        attention on the last input, exceeds 0.6; otherwise after ``max_decoder_steps + 1``
        steps (the released models' count), with a warning. Returns frames (B, C, steps * r),
        alignments (B, steps, T_en), stop probabilities (B, steps, 1).
        """
        state, processed = self._start(inputs)
        outputs, stops, alignments = [], [], []
        min_steps = inputs.size(1) / 4
        while True:
            if outputs:
                state.memory = self._next_memory(state.memory, outputs[-1])
            out, stop_logit = self._step(state, inputs, processed, None)
            stop = torch.sigmoid(stop_logit)
            weights = self.attention.attention_weights
            outputs.append(out)
            stops.append(stop)
            alignments.append(weights)
            if len(outputs) > min_steps and (
                bool((stop > self.STOP_THRESHOLD).all()) or bool((weights[:, -1] > self.STOP_THRESHOLD).all())
            ):
                break
            if len(outputs) > self.max_decoder_steps:
                logger.warning(
                    "The decoder did not stop within max_decoder_steps=%d steps (%d frames): the output is cut "
                    "there. Raise max_decoder_steps in the config if the text is long.",
                    self.max_decoder_steps,
                    len(outputs) * self.r,
                )
                break
        return self._stack(outputs, stops, alignments)
