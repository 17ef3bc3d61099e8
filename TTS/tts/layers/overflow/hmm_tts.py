"""What OverFlow and Neural-HMM TTS share: encoder + neural HMM sampler + mel (de)normalisation.

Keys: ``encoder.*``, ``neural_hmm.*``, buffers ``mean`` / ``std`` (the data statistics the
model was trained on; at inference they come from the checkpoint, never from the
``mel_statistics`` file, which only serves training).
"""

from __future__ import annotations

from typing import Any

import torch

from TTS.tts.layers.overflow.common_layers import Encoder
from TTS.tts.layers.overflow.neural_hmm import NeuralHMM
from TTS.tts.models.spectrogram_base import SpectrogramTTS

__all__ = ["NeuralHMMTTSBase"]

_SAMPLING_KEYS = ("sampling_temp", "max_sampling_time", "duration_threshold")


class NeuralHMMTTSBase(SpectrogramTTS):
    """Builds ``encoder``, ``neural_hmm`` and the stats buffers from an OverFlow / Neural-HMM config."""

    def __init__(self, config: Any) -> None:
        super().__init__(config)
        config = self.config
        self.sampling_temp = float(config.sampling_temp)
        self.max_sampling_time = int(config.max_sampling_time)
        self.duration_threshold = float(config.duration_threshold)
        # Three conv blocks whatever ``encoder_n_convolutions`` says: the reference never passed it on,
        # so every released checkpoint has three.
        self.encoder = Encoder(config.num_chars, config.state_per_phone, config.encoder_in_out_features)
        self.neural_hmm = NeuralHMM(
            frame_channels=config.out_channels,
            ar_order=config.ar_order,
            deterministic_transition=config.deterministic_transition,
            encoder_dim=config.encoder_in_out_features,
            prenet_type=config.prenet_type,
            prenet_dim=config.prenet_dim,
            prenet_n_layers=config.prenet_n_layers,
            prenet_dropout=config.prenet_dropout,
            prenet_dropout_at_inference=config.prenet_dropout_at_inference,
            memory_rnn_dim=config.memory_rnn_dim,
            outputnet_size=list(config.outputnet_size),
            std_floor=config.std_floor,
        )
        # float32 on purpose: the reference keeps integer buffers here, which truncates the
        # trained statistics when a checkpoint is loaded (see docs/upstream/acoustic-overflow-stats.md).
        self.register_buffer("mean", torch.tensor(0.0))
        self.register_buffer("std", torch.tensor(1.0))

    def inverse_normalize(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.std + self.mean

    def _sample(self, text: torch.Tensor, aux_input: dict[str, Any] | None) -> dict[str, Any]:
        """Encoder + HMM sampling; ``aux_input`` may override ``sampling_temp``, ``max_sampling_time``,
        ``duration_threshold`` and give ``x_lengths`` (default: count of non-zero ids)."""
        aux = dict(aux_input or {})
        for key in _SAMPLING_KEYS:
            if aux.get(key) is None:
                aux[key] = getattr(self, key)
        lengths = aux.get("x_lengths")
        if lengths is None:
            lengths = torch.sum(text != 0, dim=1)
        states, state_lengths = self.encoder.inference(text, lengths)
        return self.neural_hmm.inference(
            states,
            state_lengths,
            sampling_temp=float(aux["sampling_temp"]),
            max_sampling_time=int(aux["max_sampling_time"]),
            duration_threshold=float(aux["duration_threshold"]),
        )
