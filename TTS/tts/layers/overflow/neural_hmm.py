"""Neural HMM sampler (inference only): left-to-right states, autoregressive emissions.

Keys: ``prenet.linear_layers.i`` (bias-free), ``memory_rnn`` (LSTMCell), ``output_net.*``,
buffer ``go_tokens`` (ar_order, 1).

Sampling follows the reference step by step so that, with the same torch seed, the same
random draws happen in the same order: prenet dropout (when enabled at inference) and then
one ``torch.normal`` per frame (``sampling_temp > 0``); ``sampling_temp == 0`` emits the means
and is fully deterministic. With ``deterministic_transition`` a state is left once the product
of its staying probabilities falls below ``duration_threshold``; otherwise the next state is drawn.
"""

from __future__ import annotations

import logging

import torch
import torch.nn.functional as F
from torch import nn

from TTS.tts.layers.generic.decoder_blocks import Prenet
from TTS.tts.layers.overflow.common_layers import Outputnet

__all__ = ["NeuralHMM", "pad_alignments"]

logger = logging.getLogger(__name__)


def pad_alignments(alignments: list[torch.Tensor]) -> torch.Tensor:
    """One-hot state paths (T_i, N_i) of several items -> (B, max T, max N), zero padded."""
    width = max(a.shape[1] for a in alignments)
    return nn.utils.rnn.pad_sequence([F.pad(a, (0, width - a.shape[1])) for a in alignments], batch_first=True)


class NeuralHMM(nn.Module):
    """HMM over encoder states whose emissions depend on the previously emitted frames."""

    def __init__(
        self,
        frame_channels: int,
        ar_order: int,
        deterministic_transition: bool,
        encoder_dim: int,
        prenet_type: str,
        prenet_dim: int,
        prenet_n_layers: int,
        prenet_dropout: float,
        prenet_dropout_at_inference: bool,
        memory_rnn_dim: int,
        outputnet_size: list[int],
        std_floor: float,
    ) -> None:
        super().__init__()
        if ar_order < 1:
            raise ValueError("ar_order must be at least 1")
        self.frame_channels = frame_channels
        self.ar_order = ar_order
        self.deterministic_transition = deterministic_transition
        self.memory_rnn_dim = memory_rnn_dim
        self.prenet = Prenet(
            in_features=frame_channels * ar_order,
            prenet_type=prenet_type,
            prenet_dropout=bool(prenet_dropout),
            dropout_at_inference=prenet_dropout_at_inference,
            out_features=[prenet_dim] * prenet_n_layers,
            bias=False,
        )
        self.memory_rnn = nn.LSTMCell(input_size=prenet_dim, hidden_size=memory_rnn_dim)
        self.output_net = Outputnet(encoder_dim, memory_rnn_dim, frame_channels, outputnet_size, std_floor)
        self.register_buffer("go_tokens", torch.zeros(ar_order, 1))

    @torch.inference_mode()
    def inference(
        self,
        inputs: torch.Tensor,
        input_lens: torch.Tensor,
        sampling_temp: float,
        max_sampling_time: int,
        duration_threshold: float,
    ) -> dict[str, torch.Tensor]:
        """``inputs``: (B, N, E) state vectors, ``input_lens``: (B,).

        Returns ``hmm_outputs`` (B, T, C), ``hmm_outputs_len`` (B,), ``alignments`` (B, T + 1, N)
        one-hot state paths.
        """
        frames, lengths, paths = [], [], []
        for i in range(inputs.shape[0]):
            out, path = self.sample(
                inputs[i : i + 1], input_lens[i], sampling_temp, max_sampling_time, duration_threshold
            )
            frames.append(out)
            lengths.append(out.shape[0])
            paths.append(path)
        return {
            "hmm_outputs": nn.utils.rnn.pad_sequence(frames, batch_first=True),
            "hmm_outputs_len": torch.tensor(lengths, dtype=input_lens.dtype, device=input_lens.device),
            "alignments": pad_alignments(paths),
        }

    @torch.inference_mode()
    def sample(
        self,
        inputs: torch.Tensor,
        input_len: torch.Tensor,
        sampling_temp: float,
        max_sampling_time: int,
        duration_threshold: float,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """One item: ``inputs`` (1, N, E) -> frames (T, C) and its one-hot state path (T + 1, N)."""
        num_states = int(input_len)
        state = 0
        path = [state]
        history = self.go_tokens.unsqueeze(0).expand(1, self.ar_order, self.frame_channels)
        h = inputs.new_zeros(1, self.memory_rnn_dim)
        c = inputs.new_zeros(1, self.memory_rnn_dim)
        frames = []
        stay_product = None
        t = 0
        while True:
            h, c = self.memory_rnn(self.prenet(history.reshape(1, -1)), (h, c))
            mean, std, transition = self.output_net(h, inputs[:, state].unsqueeze(1))
            logit = transition.reshape(-1)
            leave_p, stay_p = torch.sigmoid(logit), torch.sigmoid(-logit)
            frame = torch.normal(mean, std * sampling_temp) if sampling_temp > 0 else mean  # (1, 1, C)
            history = torch.cat((history, frame), dim=1)[:, 1:]
            frames.append(frame.reshape(-1))
            stay_product = stay_p if stay_product is None else stay_product * stay_p
            if self.deterministic_transition:
                advance = bool(stay_product < duration_threshold)
            else:
                advance = bool(torch.cat((stay_p, leave_p)).multinomial(1)[0].item())
            if advance:
                state += 1
                stay_product = None
            path.append(state)
            if state == num_states:
                break
            if max_sampling_time and t == max_sampling_time - 1:
                logger.warning(
                    "Stopped sampling at max_sampling_time=%d frames before the last state.", max_sampling_time
                )
                break
            t += 1
        one_hot = F.one_hot(torch.tensor(path, device=inputs.device))
        return torch.stack(frames), one_hot
