"""Tacotron2 (with DDC, DCA, GST and Capacitron options) at inference: text -> normalised mel frames.

Checkpoint keys follow the released models: ``embedding``, ``encoder``, ``decoder``,
``postnet`` and, when configured, ``gst_layer``, ``capacitron_vae_layer``,
``coarse_decoder`` (double decoder consistency) and ``decoder_backward``. The extra
decoders only matter in training; inference runs ``decoder``.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from TTS.tts.configs.tacotron2_config import Tacotron2Config
from TTS.tts.layers.tacotron.tacotron2 import Decoder, Encoder, Postnet
from TTS.tts.models.base_tacotron import BaseTacotron
from TTS.tts.utils.helpers import sequence_mask

__all__ = ["Tacotron2", "Tacotron2Config"]

_EMBEDDING_DIM = 512  # the released models embed characters in 512 dims whatever the config says


class Tacotron2(BaseTacotron):
    """Tacotron2 spectrogram model. Build with ``Tacotron2(config)`` or ``Tacotron2.init_from_config(config)``."""

    def __init__(self, config: Any, ap: Any = None, tokenizer: Any = None, speaker_manager: Any = None) -> None:
        super().__init__(config, ap, tokenizer, speaker_manager)
        c = self.config
        self.out_channels = int(c.out_channels)
        self.decoder_output_dim = self.out_channels
        self.embedding = nn.Embedding(int(c.num_chars), _EMBEDDING_DIM, padding_idx=0)
        self.encoder = Encoder(int(c.encoder_in_features))
        self.decoder = self._make_decoder(int(c.r))
        self.postnet = Postnet(self.out_channels)
        self.decoder.prenet.dropout_at_inference = bool(c.prenet_dropout_at_inference)
        self._build_style_and_extra_decoders(self.out_channels, self._make_decoder)

    def _make_decoder(self, r: int) -> Decoder:
        c = self.config
        return Decoder(
            self.decoder_in_features,
            self.out_channels,
            r,
            c.attention_type,
            c.attention_win,
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

    @staticmethod
    def shape_outputs(
        mel_outputs: torch.Tensor, mel_outputs_postnet: torch.Tensor, alignments: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(B, C, T) mels -> (B, T, C); alignments unchanged."""
        return mel_outputs.transpose(1, 2), mel_outputs_postnet.transpose(1, 2), alignments

    @torch.inference_mode()
    def inference(self, text: torch.Tensor, aux_input: dict[str, Any] | None = None) -> dict[str, torch.Tensor]:
        """Free-running synthesis of token ids ``text`` (1, T_in).

        ``aux_input`` may hold ``style_mel`` / ``style_text`` (GST, Capacitron). Returns
        ``model_outputs`` (1, T, C) after the postnet, ``decoder_outputs`` (1, T, C),
        ``alignments`` (1, T / r, T_in) and ``stop_tokens`` (1, T / r, 1), all normalised.
        """
        aux = dict(aux_input or {})
        embedded = self.embedding(text).transpose(1, 2)
        encoder_outputs = self._add_style(self.encoder.inference(embedded), aux)
        decoder_outputs, alignments, stop_tokens = self.decoder.inference(encoder_outputs)
        postnet_outputs = decoder_outputs + self.postnet(decoder_outputs)
        decoder_outputs, postnet_outputs, alignments = self.shape_outputs(decoder_outputs, postnet_outputs, alignments)
        return {
            "model_outputs": postnet_outputs,
            "decoder_outputs": decoder_outputs,
            "alignments": alignments,
            "stop_tokens": stop_tokens,
        }

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
        embedded = self.embedding(text).transpose(1, 2)
        encoder_outputs = self.encoder(embedded, text_lengths)
        encoder_outputs = encoder_outputs * input_mask.unsqueeze(2)
        decoder_outputs, alignments, stop_tokens = self.decoder(encoder_outputs, mel_specs, input_mask)
        postnet_outputs = decoder_outputs + self.postnet(decoder_outputs)
        decoder_outputs, postnet_outputs, alignments = self.shape_outputs(decoder_outputs, postnet_outputs, alignments)
        return {
            "model_outputs": postnet_outputs,
            "decoder_outputs": decoder_outputs,
            "alignments": alignments,
            "stop_tokens": stop_tokens,
        }
