"""WaveRNN vocoder: an autoregressive GRU that emits one sample per step, conditioned on upsampled mel frames.

``inference`` generates sample by sample with GRU cells sharing the GRU weights.
With ``batched=True`` the conditioning is folded into overlapping segments of
``target`` samples (plus ``overlap`` on each side) that are generated in parallel
and cross-faded back together, as upstream does.

Sampling (modes ``"mold"``, ``"gauss"`` and ``bits``) draws from the global
``torch`` generator in upstream's order, so ``torch.manual_seed(s)`` before
``inference`` reproduces upstream's audio for ``"mold"`` and bits modes.
"""

from __future__ import annotations

import logging
import math
import os
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from TTS.vocoder.layers.wavernn import (
    MelResNet,
    ResBlock,
    Upsample,
    UpsampleNetwork,
    sample_from_discretized_mix_logistic,
    sample_from_gaussian,
    sample_from_softmax,
)
from TTS.vocoder.models.base_vocoder import BaseVocoder

__all__ = ["Wavernn", "ResBlock", "MelResNet", "UpsampleNetwork", "Upsample"]

logger = logging.getLogger(__name__)


def _bits(mode: Any) -> int | None:
    """The number of bits for an integer mode (``9`` or ``"9"``), None for "mold"/"gauss"."""
    if isinstance(mode, int):
        return mode
    if isinstance(mode, str) and mode.isdigit():
        return int(mode)
    return None


class Wavernn(BaseVocoder):
    """WaveRNN (https://arxiv.org/abs/1802.08435); sizes from ``config.model_args``."""

    def __init__(self, config: Any) -> None:
        super().__init__(config)
        args = config.model_args
        self.args = args
        self.bits = _bits(args.mode)
        if self.bits is not None:
            self.n_classes = 2**self.bits
        elif args.mode == "mold":
            self.n_classes = 3 * 10
        elif args.mode == "gauss":
            self.n_classes = 2
        else:
            raise ValueError(f"Unknown WaveRNN mode {args.mode!r}: use 'mold', 'gauss' or a number of bits.")
        self.aux_dims = args.res_out_dims // 4
        hop = int(config.audio["hop_length"])
        if args.use_upsample_net:
            if math.prod(args.upsample_factors) != hop:
                raise ValueError(
                    f"the product of upsample_factors {list(args.upsample_factors)} must equal hop_length {hop}"
                )
            self.upsample: nn.Module = UpsampleNetwork(
                args.feat_dims,
                args.upsample_factors,
                args.compute_dims,
                args.num_res_blocks,
                args.res_out_dims,
                args.pad,
                args.use_aux_net,
            )
        else:
            self.upsample = Upsample(
                hop,
                args.pad,
                args.num_res_blocks,
                args.feat_dims,
                args.compute_dims,
                args.res_out_dims,
                args.use_aux_net,
            )
        aux = self.aux_dims if args.use_aux_net else 0
        rnn, fc = args.rnn_dims, args.fc_dims
        self.I = nn.Linear(args.feat_dims + aux + 1, rnn)
        self.rnn1 = nn.GRU(rnn, rnn, batch_first=True)
        self.rnn2 = nn.GRU(rnn + aux, rnn, batch_first=True)
        self.fc1 = nn.Linear(rnn + aux, fc)
        self.fc2 = nn.Linear(fc + aux, fc)
        self.fc3 = nn.Linear(fc, self.n_classes)

    def _aux_split(self, aux: torch.Tensor | None) -> list[torch.Tensor | None]:
        if aux is None:
            return [None] * 4
        d = self.aux_dims
        return [aux[..., d * i : d * (i + 1)] for i in range(4)]

    @staticmethod
    def _cat(x: torch.Tensor, a: torch.Tensor | None) -> torch.Tensor:
        return x if a is None else torch.cat([x, a], dim=-1)

    def forward(self, x: torch.Tensor, mels: torch.Tensor) -> torch.Tensor:
        """Teacher-forced logits.

        Args:
            x: previous samples (B, T * hop).
            mels: mel frames with ``pad`` context frames each side (B, C_mel, T + 2 pad).
        Returns:
            (B, T * hop, n_classes).
        """
        mels, aux = self.upsample(mels)
        a1, a2, a3, a4 = self._aux_split(aux)
        h = self.I(self._cat(torch.cat([x.unsqueeze(-1), mels], dim=2), a1))
        res = h
        h = self.rnn1(h)[0] + res
        res = h
        h = self.rnn2(self._cat(h, a2))[0] + res
        h = F.relu(self.fc1(self._cat(h, a3)))
        h = F.relu(self.fc2(self._cat(h, a4)))
        return self.fc3(h)

    @staticmethod
    def get_gru_cell(gru: nn.GRU) -> nn.GRUCell:
        """A ``GRUCell`` sharing the (single-layer) GRU's weights."""
        cell = nn.GRUCell(gru.input_size, gru.hidden_size).to(gru.weight_hh_l0.device)
        cell.weight_hh = gru.weight_hh_l0
        cell.weight_ih = gru.weight_ih_l0
        cell.bias_hh = gru.bias_hh_l0
        cell.bias_ih = gru.bias_ih_l0
        return cell

    def _sample(self, logits: torch.Tensor) -> torch.Tensor:
        """logits (B, n_classes) -> samples (B,) in [-1, 1] (bits modes: still mu-law coded)."""
        if self.args.mode == "mold":
            return sample_from_discretized_mix_logistic(logits.unsqueeze(0).transpose(1, 2)).view(-1)
        if self.args.mode == "gauss":
            return sample_from_gaussian(logits.unsqueeze(0)).view(-1)
        return 2 * sample_from_softmax(logits).float() / (self.n_classes - 1.0) - 1.0

    @torch.inference_mode()
    def inference(
        self,
        mels: torch.Tensor | np.ndarray,
        batched: bool | None = None,
        target: int | None = None,
        overlap: int | None = None,
    ) -> torch.Tensor:
        """Generate audio from mel frames ``(C_mel, T)`` or ``(1, C_mel, T)``.

        Args:
            batched: fold into segments of ``target`` samples with ``overlap`` samples of
                cross-fade and warm-up, generated in parallel (as upstream: off unless asked).
        Returns:
            A 1-D float32 CPU tensor of ``(T - 1) * hop`` samples; the last ``20 * hop`` fade out.
        """
        was_training = self.training
        self.eval()
        device = next(self.parameters()).device
        mels = torch.as_tensor(mels, dtype=torch.float32).to(device)
        if mels.dim() == 2:
            mels = mels.unsqueeze(0)
        hop = int(self.config.audio["hop_length"])
        wave_len = (mels.shape[-1] - 1) * hop
        mels = F.pad(mels, (self.args.pad, self.args.pad))
        cond, aux = self.upsample(mels)
        if batched:
            if cond.shape[0] != 1:
                raise ValueError("batched WaveRNN generation takes one utterance at a time")
            cond = fold_with_overlap(cond, target, overlap)
            aux = fold_with_overlap(aux, target, overlap) if aux is not None else None
        batch, steps, _ = cond.shape
        rnn1, rnn2 = self.get_gru_cell(self.rnn1), self.get_gru_cell(self.rnn2)
        h1 = cond.new_zeros(batch, self.args.rnn_dims)
        h2 = cond.new_zeros(batch, self.args.rnn_dims)
        x = cond.new_zeros(batch, 1)
        a1, a2, a3, a4 = self._aux_split(aux)
        samples = []
        for i in range(steps):
            pick = lambda a, i=i: None if a is None else a[:, i]  # noqa: E731
            h = self.I(self._cat(torch.cat([x, cond[:, i]], dim=1), pick(a1)))
            h1 = rnn1(h, h1)
            h = h + h1
            h2 = rnn2(self._cat(h, pick(a2)), h2)
            h = h + h2
            h = F.relu(self.fc1(self._cat(h, pick(a3))))
            h = F.relu(self.fc2(self._cat(h, pick(a4))))
            sample = self._sample(self.fc3(h))
            samples.append(sample)
            x = sample.unsqueeze(-1).to(cond.dtype)
            if i % 1000 == 0:
                logger.debug("WaveRNN: step %d/%d (batch %d)", i, steps, batch)
        output = torch.stack(samples, dim=1).float().cpu()
        output = xfade_and_unfold(output, overlap) if batched else output[0]
        if self.bits is not None and self.args.mulaw:
            mu = 2**self.bits - 1
            output = torch.sign(output) / mu * ((1 + mu) ** output.abs() - 1)
        output = output[:wave_len].clone()
        fade = 20 * hop
        if wave_len > fade:
            output[-fade:] *= torch.linspace(1, 0, fade)
        self.train(was_training)
        return output

    def load_checkpoint(
        self,
        config: Any,
        checkpoint_path: str | os.PathLike[str],
        *,
        eval: bool = False,
        strict: bool = True,
        cache: bool = False,
        **kwargs: Any,
    ) -> None:
        """Load a released ``model.pth`` (``{"model": state_dict, ...}``) through the safe loader."""
        from TTS.core.checkpoint import load_checkpoint_file, load_weights

        state = load_checkpoint_file(checkpoint_path)
        state_dict = state.get("model", state)
        load_weights(self, state_dict, strict=strict)
        if eval:
            self.eval()

    # Upstream exposed these as methods; kept as aliases of the module-level functions.
    @staticmethod
    def fold_with_overlap(x: torch.Tensor, target: int, overlap: int) -> torch.Tensor:
        """See :func:`fold_with_overlap`."""
        return fold_with_overlap(x, target, overlap)

    @staticmethod
    def xfade_and_unfold(y: torch.Tensor, target: int, overlap: int) -> torch.Tensor:
        """See :func:`xfade_and_unfold`."""
        return xfade_and_unfold(torch.as_tensor(y), overlap)


def fold_with_overlap(x: torch.Tensor, target: int, overlap: int) -> torch.Tensor:
    """Cut (1, T, C) into overlapping segments (folds, target + 2 * overlap, C); the last one is zero-padded.

    Segment ``i`` starts at ``i * (target + overlap)``, so neighbours share ``overlap`` steps.
    """
    _, total, channels = x.shape
    step = target + overlap
    folds = (total - overlap) // step
    if total != folds * step + overlap:
        folds += 1
        x = F.pad(x, (0, 0, 0, folds * step + overlap - total))
    return torch.stack([x[0, i * step : i * step + target + 2 * overlap] for i in range(folds)])


def xfade_and_unfold(y: torch.Tensor, overlap: int) -> torch.Tensor:
    """Join segments (folds, target + 2 * overlap) into one signal with equal-power cross-fades.

    The first half of each overlap is silence (the segment's RNN warm-up); the rest fades.
    """
    folds, length = y.shape
    target = length - 2 * overlap
    silence = overlap // 2
    fade_len = overlap - silence
    t = torch.linspace(-1, 1, fade_len)
    fade_in = torch.cat([torch.zeros(silence), torch.sqrt(0.5 * (1 + t))])
    fade_out = torch.cat([torch.sqrt(0.5 * (1 - t)), torch.zeros(silence)])
    y = y.clone()
    y[:, :overlap] *= fade_in
    y[:, -overlap:] *= fade_out
    out = torch.zeros(folds * (target + overlap) + overlap)
    for i in range(folds):
        start = i * (target + overlap)
        out[start : start + length] += y[i]
    return out
