"""Glow-TTS (inference): text encoder -> durations -> expanded prior -> inverse flow -> mel.

Loads released Coqui Glow-TTS checkpoints (single speaker, speaker-id tables and
d-vectors). Layers live in :mod:`TTS.tts.layers.glow_tts`.
"""

from __future__ import annotations

import logging
from typing import Any

import torch
from torch import nn

from TTS.tts.configs.glow_tts_config import GlowTTSConfig
from TTS.tts.layers.generic.glow_decoder import Decoder
from TTS.tts.layers.glow_tts.encoder import Encoder
from TTS.tts.models.spectrogram_base import SpectrogramTTS
from TTS.tts.utils.helpers import frame_major_randn, generate_path, sequence_mask

__all__ = ["GlowTTS", "GlowTTSConfig"]

logger = logging.getLogger(__name__)


class GlowTTS(SpectrogramTTS):
    """Glow-TTS model. Build with ``GlowTTS(config)`` or ``GlowTTS.init_from_config(config)``.

    Submodules (checkpoint keys): ``encoder``, ``decoder``, ``emb_g`` (speaker table).
    """

    def __init__(
        self, config: GlowTTSConfig, ap: Any = None, tokenizer: Any = None, speaker_manager: Any = None
    ) -> None:
        super().__init__(config)
        if ap is not None:
            self.ap = ap
        if speaker_manager is not None:
            self.speaker_manager = speaker_manager
        config = self.config
        self.length_scale = float(config.length_scale)
        self.inference_noise_scale = float(config.inference_noise_scale)
        self.num_squeeze = int(config.num_squeeze)

        cond_channels = 0
        if self._config_value("use_d_vector_file"):
            cond_channels = int(config.d_vector_dim or 512)
            if self.speaker_manager is not None and self.speaker_manager.embeddings:
                if self.speaker_manager.embedding_dim != cond_channels:
                    raise ValueError(
                        f"d_vector_dim is {cond_channels} in the config but the d-vector file holds "
                        f"{self.speaker_manager.embedding_dim}-dim vectors."
                    )
        elif self._config_value("use_speaker_embedding"):
            cond_channels = int(config.hidden_channels_enc)
            self.emb_g = nn.Embedding(self.num_speakers, cond_channels)
        self.c_in_channels = cond_channels

        self.encoder = Encoder(
            config.num_chars,
            out_channels=config.out_channels,
            hidden_channels=config.hidden_channels_enc,
            hidden_channels_dp=config.hidden_channels_dp,
            encoder_type=config.encoder_type,
            encoder_params=dict(config.encoder_params),
            dropout_p_dp=config.dropout_p_dp,
            mean_only=config.mean_only,
            use_prenet=config.use_encoder_prenet,
            c_in_channels=cond_channels,
        )
        self.decoder = Decoder(
            config.out_channels,
            config.hidden_channels_dec,
            config.kernel_size_dec,
            config.dilation_rate,
            config.num_flow_blocks_dec,
            config.num_block_layers,
            num_splits=config.num_splits,
            num_squeeze=config.num_squeeze,
            sigmoid_scale=config.sigmoid_scale,
            c_in_channels=cond_channels,
        )

    @torch.inference_mode()
    def inference(self, x: torch.Tensor, aux_input: dict[str, Any] | None = None) -> dict[str, Any]:
        """Synthesise from token ids ``x`` (B, T_en).

        ``aux_input``: ``x_lengths`` (B,), ``speaker_ids`` (B,) or ``d_vectors`` (B, D); optional
        ``length_scale`` and ``inference_noise_scale`` override the model's values. The prior is
        sampled with ``torch.randn`` when the noise scale is not 0 (seed torch for repeatable output).

        Returns ``model_outputs`` (B, T_de, C) normalised mel, ``alignments`` (B, T_de, T_en),
        ``durations_log`` (B, T_en, 1), ``y_mean`` / ``y_log_scale`` (B, T_de, C), ``logdet`` (None).
        """
        aux_input = aux_input or {}
        length_scale = float(aux_input.get("length_scale", self.length_scale))
        noise_scale = float(aux_input.get("inference_noise_scale", self.inference_noise_scale))
        x_lengths = aux_input.get("x_lengths")
        if x_lengths is None:
            x_lengths = torch.full((x.shape[0],), x.shape[1], dtype=torch.long, device=x.device)
        g = self._speaker_conditioning(aux_input, normalize=True)

        mean, log_scale, log_durations, x_mask = self.encoder(x, x_lengths, g=g)
        w = (torch.exp(log_durations) - 1) * x_mask * length_scale
        w_ceil = torch.clamp_min(torch.ceil(w), 1)
        y_lengths = torch.clamp_min(w_ceil.sum(dim=(1, 2)), 1).long()
        y_mask = sequence_mask(y_lengths).unsqueeze(1).to(x_mask.dtype)  # (B, 1, T_de)
        attn = generate_path(w_ceil[:, 0], x_mask.transpose(1, 2) * y_mask)  # (B, T_en, T_de)
        y_mean = torch.matmul(mean, attn)  # (B, C, T_de)
        y_log_scale = torch.matmul(log_scale, attn)

        z = y_mean
        if noise_scale:
            z = z + torch.exp(y_log_scale) * frame_major_randn(y_mean) * noise_scale
        y = self.decoder.inverse(z * y_mask, y_mask, g=g)
        return {
            "model_outputs": y.transpose(1, 2),
            "logdet": None,
            "y_mean": y_mean.transpose(1, 2),
            "y_log_scale": y_log_scale.transpose(1, 2),
            "alignments": attn.transpose(1, 2),
            "durations_log": log_durations.transpose(1, 2),
        }

    def store_inverse(self) -> None:
        """Kept for API compatibility: the inverse mixing matrices are computed on the fly."""
