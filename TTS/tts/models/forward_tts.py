"""ForwardTTS (inference): FastPitch, FastSpeech, FastSpeech2 and SpeedySpeech.

token embedding -> encoder (+ speaker) -> duration / pitch / energy predictors ->
duration expansion (+ positional encoding) -> decoder -> mel. Layers live in
:mod:`TTS.tts.layers.feed_forward` and :mod:`TTS.tts.layers.generic`.
``ForwardTTSArgs`` is re-exported here because 0.22-era code imports it from this path.
"""

from __future__ import annotations

import logging
from typing import Any

import torch
from torch import nn

from TTS.tts.configs.forward_tts_config import ForwardTTSArgs
from TTS.tts.layers.feed_forward.decoder import Decoder
from TTS.tts.layers.feed_forward.encoder import Encoder
from TTS.tts.layers.generic.duration_predictor import DurationPredictor
from TTS.tts.layers.generic.pos_encoding import PositionalEncoding
from TTS.tts.models.spectrogram_base import SpectrogramTTS
from TTS.tts.utils.helpers import generate_path, sequence_mask

__all__ = ["ForwardTTS", "ForwardTTSArgs"]

logger = logging.getLogger(__name__)


class ForwardTTS(SpectrogramTTS):
    """One class for the four ForwardTTS configs (``fast_pitch``, ``fast_speech``, ``fastspeech2``,
    ``speedy_speech``); ``config.model_args`` decides the layers.

    Submodules (checkpoint keys): ``emb``, ``encoder``, ``pos_encoder``, ``decoder``,
    ``duration_predictor``, ``pitch_predictor``/``pitch_emb``, ``energy_predictor``/``energy_emb``,
    ``emb_g`` (speaker table) or ``proj_g`` (d-vector projection). ``aligner.*`` keys in
    released checkpoints are training-only and skipped.
    """

    IGNORED_KEY_PREFIXES = ("aligner.",)

    def __init__(self, config: Any, ap: Any = None, tokenizer: Any = None, speaker_manager: Any = None) -> None:
        super().__init__(config)
        if ap is not None:
            self.ap = ap
        if speaker_manager is not None:
            self.speaker_manager = speaker_manager
        self.args: ForwardTTSArgs = self.config.model_args
        args = self.args
        self.length_scale = float(args.length_scale)
        self.use_pitch = bool(args.use_pitch)
        self.use_energy = bool(args.use_energy)
        hidden = args.hidden_channels

        cond_channels = 0
        if args.use_d_vector_file:
            cond_channels = int(self.config.get("d_vector_dim") or args.d_vector_dim or 0)
            if args.d_vector_dim != hidden:
                self.proj_g = nn.Linear(args.d_vector_dim, hidden)
        elif args.use_speaker_embedding:
            self.emb_g = nn.Embedding(self.num_speakers, hidden)

        self.emb = nn.Embedding(args.num_chars, hidden)
        self.encoder = Encoder(hidden, hidden, args.encoder_type, args.encoder_params, cond_channels)
        if args.positional_encoding:
            self.pos_encoder = PositionalEncoding(hidden)
        self.decoder = Decoder(args.out_channels, hidden, args.decoder_type, args.decoder_params)
        self.duration_predictor = DurationPredictor(
            hidden, args.duration_predictor_hidden_channels, args.duration_predictor_kernel_size
        )
        if args.use_pitch:
            self.pitch_predictor = DurationPredictor(
                hidden, args.pitch_predictor_hidden_channels, args.pitch_predictor_kernel_size
            )
            self.pitch_emb = nn.Conv1d(
                1, hidden, args.pitch_embedding_kernel_size, padding=(args.pitch_embedding_kernel_size - 1) // 2
            )
        if args.use_energy:
            self.energy_predictor = DurationPredictor(
                hidden, args.energy_predictor_hidden_channels, args.energy_predictor_kernel_size
            )
            self.energy_emb = nn.Conv1d(
                1, hidden, args.energy_embedding_kernel_size, padding=(args.energy_embedding_kernel_size - 1) // 2
            )

    def format_durations(self, o_dr_log: torch.Tensor, x_mask: torch.Tensor, length_scale: float) -> torch.Tensor:
        """Log durations (B, 1, T_en) -> whole frames per token, at least 1: ``round(max(1, (e^d - 1) * s))``."""
        durations = (torch.exp(o_dr_log) - 1) * x_mask * length_scale
        return torch.round(torch.clamp_min(durations, 1.0))

    @torch.inference_mode()
    def inference(self, x: torch.Tensor, aux_input: dict[str, Any] | None = None) -> dict[str, Any]:
        """Synthesise from token ids ``x`` (B, T_en), all of them valid (no padding).

        ``aux_input``: ``speaker_ids`` (B,) or ``d_vectors`` (B, D); optional ``length_scale``;
        ``durations`` (B, T_en) frames per token replaces the duration predictor.

        Returns ``model_outputs`` (B, T_de, C) normalised mel, ``alignments`` (B, T_de, T_en),
        ``durations`` (B, T_en), ``durations_log`` (B, 1, T_en), ``pitch``/``energy`` (B, 1, T_en) or None.
        """
        aux_input = aux_input or {}
        length_scale = float(aux_input.get("length_scale", self.length_scale))
        g = self._speaker_conditioning(aux_input, normalize=False)
        b, t_en = x.shape
        x_mask = torch.ones(b, 1, t_en, dtype=torch.float32, device=x.device)

        h = self.encoder(self.emb(x).transpose(1, 2), x_mask, g)  # (B, C, T_en)
        if g is not None:
            if hasattr(self, "proj_g"):
                g = self.proj_g(g.reshape(b, -1)).unsqueeze(-1)
            h = h + g
        o_dr_log = self.duration_predictor(h, x_mask)
        durations = aux_input.get("durations")
        if durations is None:
            durations = self.format_durations(o_dr_log, x_mask, length_scale)[:, 0]
        else:
            durations = durations.reshape(b, t_en).to(h.dtype)
        o_pitch = o_energy = None
        if self.use_pitch:
            o_pitch = self.pitch_predictor(h, x_mask)
            h = h + self.pitch_emb(o_pitch)
        if self.use_energy:
            o_energy = self.energy_predictor(h, x_mask)
            h = h + self.energy_emb(o_energy)

        y_lengths = torch.clamp_min(durations.sum(1).long(), 1)
        y_mask = sequence_mask(y_lengths).unsqueeze(1).to(h.dtype)  # (B, 1, T_de)
        attn = generate_path(durations, x_mask.transpose(1, 2) * y_mask)  # (B, T_en, T_de)
        expanded = torch.matmul(h, attn)  # (B, C, T_de)
        if hasattr(self, "pos_encoder"):
            expanded = self.pos_encoder(expanded, y_mask)
        mel = self.decoder(expanded, y_mask)
        return {
            "model_outputs": mel.transpose(1, 2),
            "alignments": attn.transpose(1, 2),
            "durations": durations,
            "pitch": o_pitch,
            "energy": o_energy,
            "durations_log": o_dr_log,
        }
