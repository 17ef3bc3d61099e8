"""Tacotron (v1, with GST, Capacitron, DDC options) at inference: text -> normalised linear spectrogram.

The decoder predicts mel frames (``decoder_outputs``); the CBHG postnet and a final
linear layer turn them into a linear spectrogram of ``out_channels = fft_size // 2 + 1``
bins (``model_outputs``), which upstream's pipeline turns into audio with Griffin-Lim.
Checkpoint keys follow the released layout: ``embedding``, ``encoder``, ``decoder``,
``postnet``, ``last_linear`` and, when configured, ``gst_layer``,
``capacitron_vae_layer``, ``coarse_decoder`` and ``decoder_backward`` (the last two
only matter in training).
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from TTS.tts.configs.tacotron_config import TacotronConfig
from TTS.tts.layers.tacotron.tacotron import Decoder, Encoder, PostCBHG
from TTS.tts.models.base_tacotron import BaseTacotron
from TTS.tts.utils.helpers import sequence_mask

__all__ = ["Tacotron", "TacotronConfig"]

_EMBEDDING_DIM = 256  # fixed by the architecture; the encoder prenet reads it


class Tacotron(BaseTacotron):
    """Tacotron spectrogram model. Build with ``Tacotron(config)`` or ``Tacotron.init_from_config(config)``."""

    LINEAR_OUTPUT = True

    def __init__(self, config: Any, ap: Any = None, tokenizer: Any = None, speaker_manager: Any = None) -> None:
        super().__init__(config, ap, tokenizer, speaker_manager)
        c = self.config
        self.out_channels = int(c.out_channels)
        self.decoder_output_dim = int(c.decoder_output_dim)
        self.embedding = nn.Embedding(int(c.num_chars), _EMBEDDING_DIM, padding_idx=0)
        self.encoder = Encoder(int(c.encoder_in_features))
        self.decoder = self._make_decoder(int(c.r))
        self.postnet = PostCBHG(self.decoder_output_dim)
        self.last_linear = nn.Linear(2 * self.postnet.cbhg.gru_features, self.out_channels)
        self.decoder.prenet.dropout_at_inference = bool(c.prenet_dropout_at_inference)
        self._build_style_and_extra_decoders(self.decoder_output_dim, self._make_decoder)

    def _make_decoder(self, r: int) -> Decoder:
        c = self.config
        return Decoder(
            self.decoder_in_features,
            self.decoder_output_dim,
            r,
            int(c.memory_size),
            c.attention_type,
            c.windowing,  # Tacotron v1 reads `windowing`, not `attention_win`
            c.attention_norm,
            c.prenet_type,
            c.prenet_dropout,
            c.use_forward_attn,
            c.transition_agent,
            c.forward_attn_mask,
            c.location_attn,
            c.attention_heads,
            c.separate_stopnet,
            c.max_decoder_steps,
        )

    def postprocess(self, decoder_outputs: torch.Tensor) -> torch.Tensor:
        """Decoder mel frames (B, C_mel, T) -> linear spectrogram (B, T, out_channels) via the CBHG postnet."""
        return self.last_linear(self.postnet(decoder_outputs))

    def _outputs(
        self, decoder_outputs: torch.Tensor, alignments: torch.Tensor, stop_tokens: torch.Tensor
    ) -> dict[str, torch.Tensor]:
        return {
            "model_outputs": self.postprocess(decoder_outputs),
            "decoder_outputs": decoder_outputs.transpose(1, 2),
            "alignments": alignments,
            "stop_tokens": stop_tokens,
        }

    @torch.inference_mode()
    def inference(self, text: torch.Tensor, aux_input: dict[str, Any] | None = None) -> dict[str, torch.Tensor]:
        """Free-running synthesis of token ids ``text`` (1, T_in).

        ``aux_input`` may hold ``style_mel`` / ``style_text`` (GST, Capacitron). Returns
        ``model_outputs`` (1, T, out_channels) linear spectrogram, ``decoder_outputs``
        (1, T, C_mel), ``alignments`` (1, T / r, T_in) and ``stop_tokens`` (1, T / r, 1), all normalised.
        """
        aux = dict(aux_input or {})
        encoder_outputs = self._add_style(self.encoder(self.embedding(text)), aux)
        return self._outputs(*self.decoder.inference(encoder_outputs))

    def forward(
        self,
        text: torch.Tensor,
        text_lengths: torch.Tensor,
        mel_specs: torch.Tensor,
        mel_lengths: torch.Tensor | None = None,
        aux_input: dict[str, Any] | None = None,
    ) -> dict[str, torch.Tensor]:
        """Teacher-forced pass (no GST/Capacitron): ``text`` (B, T_in), ``mel_specs`` (B, T_mel, C), T_mel % r == 0."""
        input_mask = sequence_mask(text_lengths)
        encoder_outputs = self.encoder(self.embedding(text)) * input_mask.unsqueeze(2)
        return self._outputs(*self.decoder(encoder_outputs, mel_specs, input_mask))
