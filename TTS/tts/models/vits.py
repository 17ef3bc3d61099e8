"""VITS end-to-end TTS (inference): text -> prior -> durations -> flow -> HiFi-GAN waveform.

Loads every released Coqui VITS / YourTTS checkpoint and Fairseq MMS voices. Layers live
in :mod:`TTS.tts.layers.vits`; the waveform decoder is the shared
:class:`TTS.core.layers.hifigan.HifiganGenerator`. ``VitsArgs``, ``VitsAudioConfig``
and ``VitsCharacters`` are re-exported here because released configs and pickles
name them at this path.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from TTS.core.errors import InvalidInputError
from TTS.core.layers.hifigan import HifiganGenerator
from TTS.core.precision import bf16_autocast, native_bf16
from TTS.tts.configs.vits_config import VitsArgs, VitsAudioConfig, VitsConfig
from TTS.tts.layers.generic.duration_predictor import DurationPredictor
from TTS.tts.layers.vits.checkpoint import checkpoint_file, clean_state_dict
from TTS.tts.layers.vits.duration_predictors import StochasticDurationPredictor
from TTS.tts.layers.vits.flows import ResidualCouplingBlocks
from TTS.tts.layers.vits.text_encoder import TextEncoder
from TTS.tts.utils.helpers import frame_major_randn, generate_path, sequence_mask
from TTS.tts.utils.languages import LanguageManager
from TTS.tts.utils.speakers import SpeakerManager
from TTS.tts.utils.text.characters import FairseqVocab, VitsCharacters
from TTS.tts.utils.voices import resolve_language, resolve_speaker

__all__ = ["Vits", "VitsArgs", "VitsAudioConfig", "VitsCharacters", "VitsConfig", "FairseqVocab"]

logger = logging.getLogger(__name__)


def _config_flag(config: Any, name: str) -> Any:
    args = config.get("model_args")
    if args is not None and name in args:
        return args[name]
    return config.get(name)


class Vits(nn.Module):
    """VITS model. Build with ``Vits(config)`` or ``Vits.init_from_config(config)``.

    Submodules (checkpoint keys): ``text_encoder``, ``duration_predictor``, ``flow``,
    ``waveform_decoder``, ``emb_g`` (speaker table), ``emb_l`` (language table).
    """

    def __init__(
        self,
        config: VitsConfig,
        ap: Any = None,
        tokenizer: Any = None,
        speaker_manager: Any = None,
        language_manager: Any = None,
    ) -> None:
        super().__init__()
        self.config = config
        self.args: VitsArgs = config.model_args
        self.ap = ap
        self.tokenizer = tokenizer if tokenizer is not None else self._build_tokenizer()
        self.speaker_manager = (
            speaker_manager if speaker_manager is not None else SpeakerManager.init_from_config(self.config)
        )
        self.language_manager = language_manager or LanguageManager.init_from_config(self.config)
        args = self.args
        self.length_scale = args.length_scale
        self.inference_noise_scale = args.inference_noise_scale
        self.inference_noise_scale_dp = args.inference_noise_scale_dp
        self.max_inference_len = args.max_inference_len

        self.embedded_speaker_dim = 0
        if _config_flag(self.config, "use_d_vector_file"):
            self.embedded_speaker_dim = args.d_vector_dim or self.config.get("d_vector_dim") or 512
        elif _config_flag(self.config, "use_speaker_embedding") and self.num_speakers > 0:
            self.embedded_speaker_dim = args.speaker_embedding_channels
            self.emb_g = nn.Embedding(self.num_speakers, self.embedded_speaker_dim)
        self.embedded_language_dim = 0
        if args.use_language_embedding and self.language_manager.num_languages > 0:
            self.embedded_language_dim = args.embedded_language_dim
            self.emb_l = nn.Embedding(self.language_manager.num_languages, self.embedded_language_dim)

        hidden = args.hidden_channels
        self.text_encoder = TextEncoder(
            args.num_chars,
            hidden,
            hidden,
            args.hidden_channels_ffn_text_encoder,
            args.num_heads_text_encoder,
            args.num_layers_text_encoder,
            args.kernel_size_text_encoder,
            language_emb_dim=self.embedded_language_dim,
        )
        self.flow = ResidualCouplingBlocks(
            hidden,
            hidden,
            args.kernel_size_flow,
            args.dilation_rate_flow,
            args.num_layers_flow,
            cond_channels=self.embedded_speaker_dim,
        )
        if args.use_sdp:
            self.duration_predictor = StochasticDurationPredictor(
                hidden,
                192,
                3,
                num_flows=4,
                cond_channels=self.embedded_speaker_dim if args.condition_dp_on_speaker else 0,
                language_emb_dim=self.embedded_language_dim,
            )
        else:
            self.duration_predictor = DurationPredictor(
                hidden, 256, 3, cond_channels=self.embedded_speaker_dim, language_emb_dim=self.embedded_language_dim
            )
        self.waveform_decoder = HifiganGenerator(
            hidden,
            1,
            args.resblock_type_decoder,
            args.resblock_dilation_sizes_decoder,
            args.resblock_kernel_sizes_decoder,
            args.upsample_kernel_sizes_decoder,
            args.upsample_initial_channel_decoder,
            args.upsample_rates_decoder,
            inference_padding=0,
            cond_channels=self.embedded_speaker_dim,
            conv_pre_weight_norm=False,
            conv_post_weight_norm=False,
            conv_post_bias=False,
        )
        self.onnx_sess = None
        self._decoder_bf16 = False  # enable_reduced_precision()

    # -- construction ---------------------------------------------------------------
    @classmethod
    def init_from_config(cls, config: VitsConfig, samples: Any = None, verbose: bool = True) -> Vits:
        """Build the model (tokenizer, speaker and language tables) from a config."""
        return cls(config)

    def _build_tokenizer(self) -> Any:
        """The config's text front-end; ``num_chars`` follows its vocabulary as upstream does."""
        try:
            from TTS.tts.utils.text.tokenizer import TTSTokenizer
        except ImportError:  # text front-end not installed: ids only
            logger.warning("TTS.tts.utils.text.tokenizer is unavailable; only token ids can be synthesised.")
            return None
        tokenizer, self.config = TTSTokenizer.init_from_config(self.config)
        self.args = self.config.model_args
        num_chars = tokenizer.characters.num_chars
        self.config.model_args.num_chars = num_chars
        if "num_chars" in self.config:
            self.config.num_chars = num_chars
        return tokenizer

    @property
    def device(self) -> torch.device:
        return next(self.parameters()).device

    @property
    def num_speakers(self) -> int:
        return self.speaker_manager.num_speakers if self.speaker_manager is not None else 0

    @property
    def speaker_names(self) -> list[str]:
        if self.speaker_manager is None:
            return []
        if _config_flag(self.config, "use_d_vector_file") and self.speaker_manager.embeddings:
            return self.speaker_manager.embedding_names
        return self.speaker_manager.speaker_names

    @property
    def language_names(self) -> list[str]:
        if not self.args.use_language_embedding:
            return []
        return self.language_manager.language_names

    @property
    def output_sample_rate(self) -> int:
        return int(self.config.audio["sample_rate"])

    # -- inference ------------------------------------------------------------------
    def _speaker_conditioning(self, aux_input: dict[str, Any]) -> torch.Tensor | None:
        """(B, C_spk, 1) from ``speaker_ids`` (table rows) or ``d_vectors`` (L2-normalised)."""
        sid, d_vectors = aux_input.get("speaker_ids"), aux_input.get("d_vectors")
        if sid is not None and d_vectors is not None:
            raise InvalidInputError("Pass either speaker_ids or d_vectors, not both.")
        if d_vectors is not None:
            return F.normalize(d_vectors.reshape(d_vectors.shape[0], -1)).unsqueeze(-1)
        if sid is not None and hasattr(self, "emb_g"):
            return self.emb_g(sid.reshape(-1)).unsqueeze(-1)
        return None

    @torch.inference_mode()
    def inference(self, x: torch.Tensor, aux_input: dict[str, Any] | None = None) -> dict[str, torch.Tensor]:
        """Synthesise from token ids ``x`` (B, T_en).

        ``aux_input``: ``x_lengths`` (B,), ``speaker_ids`` (B,), ``d_vectors`` (B, D),
        ``language_ids`` (B,), ``durations`` (B, T_en) frames per token (skips the
        duration predictor); optional ``length_scale``, ``inference_noise_scale``,
        ``inference_noise_scale_dp`` override the model's values.

        Returns ``model_outputs`` (B, 1, T_wav), ``alignments`` (B, T_en, T_de),
        ``durations`` (B, 1, T_en), ``z``/``z_p``/``m_p``/``logs_p`` (B, C, T_de), ``y_mask`` (B, 1, T_de).
        """
        aux_input = aux_input or {}
        length_scale = aux_input.get("length_scale", self.length_scale)
        noise_scale = aux_input.get("inference_noise_scale", self.inference_noise_scale)
        noise_scale_dp = aux_input.get("inference_noise_scale_dp", self.inference_noise_scale_dp)
        g = self._speaker_conditioning(aux_input)
        x_lengths = aux_input.get("x_lengths")
        if x_lengths is None:
            x_lengths = torch.full((x.shape[0],), x.shape[1], dtype=torch.long, device=x.device)
        lang_emb = None
        lid = aux_input.get("language_ids")
        if lid is not None and hasattr(self, "emb_l"):
            lang_emb = self.emb_l(lid.reshape(-1)).unsqueeze(-1)

        h, m_p, logs_p, x_mask = self.text_encoder(x, x_lengths, lang_emb=lang_emb)
        durations = aux_input.get("durations")
        if durations is None:
            g_dp = g if self.args.condition_dp_on_speaker else None
            logw = self.duration_predictor(h, x_mask, g=g_dp, lang_emb=lang_emb, noise_scale=noise_scale_dp)
            w = torch.exp(logw) * x_mask * length_scale
        else:
            w = durations.reshape(x.shape[0], 1, -1).to(x_mask.dtype)
        w_ceil = torch.ceil(w)
        y_lengths = torch.clamp_min(w_ceil.sum(dim=(1, 2)), 1).long()
        y_mask = sequence_mask(y_lengths).unsqueeze(1).to(x_mask.dtype)  # (B, 1, T_de)
        attn_mask = x_mask.transpose(1, 2) * y_mask  # (B, T_en, T_de)
        attn = generate_path(w_ceil[:, 0], attn_mask)
        m_p = torch.matmul(m_p, attn)  # (B, C, T_en) @ (B, T_en, T_de)
        logs_p = torch.matmul(logs_p, attn)

        z_p = m_p + frame_major_randn(m_p) * torch.exp(logs_p) * noise_scale  # upstream's draw order
        z = self.flow.inverse(z_p, y_mask, g=g)
        z, y_mask = self._upsample_latent(z, y_lengths, y_mask)
        with bf16_autocast(z.device, enabled=self._decoder_bf16):
            o = self.waveform_decoder((z * y_mask)[:, :, : self.max_inference_len], g=g).float()
        return {
            "model_outputs": o,
            "alignments": attn,
            "durations": w_ceil,
            "z": z,
            "z_p": z_p,
            "m_p": m_p,
            "logs_p": logs_p,
            "y_mask": y_mask,
        }

    def _upsample_latent(
        self, z: torch.Tensor, y_lengths: torch.Tensor, y_mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Models trained at a lower ``encoder_sample_rate`` stretch the latent to the decoder rate."""
        if not self.args.encoder_sample_rate or not self.args.interpolate_z:
            return z, y_mask
        factor = self.config.audio["sample_rate"] / self.args.encoder_sample_rate
        z = F.interpolate(z, scale_factor=[factor], mode="linear")
        y_mask = sequence_mask((y_lengths * factor).long(), z.shape[2]).unsqueeze(1).to(z.dtype)
        return z, y_mask

    def text_to_ids(self, text: str, language: str | None = None) -> list[int]:
        """Token ids of ``text`` through the model's tokenizer."""
        if text is None or not str(text).strip():
            raise InvalidInputError("The text is empty: pass some text to synthesise.")
        if self.tokenizer is None:
            raise InvalidInputError("This model has no text front-end; pass token ids to inference().")
        ids = self.tokenizer.text_to_ids(text, language=language)
        if len(ids) == 0:
            raise InvalidInputError(f"Nothing to synthesise: no character of {text!r} is known to this model.")
        return ids

    @torch.inference_mode()
    def synthesize(
        self,
        text: str,
        config: Any = None,
        *,
        speaker: str | int | None = None,
        language: str | int | None = None,
        speaker_wav: str | os.PathLike[Any] | list[str | os.PathLike[Any]] | None = None,
        length_scale: float | None = None,
        inference_noise_scale: float | None = None,
        inference_noise_scale_dp: float | None = None,
        speed: float | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Text to waveform: ``{"wav": float32 (T,), "alignments", "text_inputs", "outputs"}``.

        ``speaker``/``language`` by name or id; ``speaker_wav`` clones a voice on
        models with a speaker encoder (YourTTS). ``speed`` is ``1 / length_scale``.
        """
        if (speaker_id := kwargs.pop("speaker_id", None)) is not None and speaker is None:
            speaker = speaker_id
        language_id, language_name = resolve_language(self.language_manager, language)
        if not self.args.use_language_embedding:
            language_id = None
        ids = self.text_to_ids(text, language=language_name)
        sid, d_vector = resolve_speaker(
            self.speaker_manager,
            use_speaker_embedding=bool(_config_flag(self.config, "use_speaker_embedding")),
            use_d_vector_file=bool(_config_flag(self.config, "use_d_vector_file")),
            speaker=speaker,
            speaker_wav=speaker_wav,
            device=self.device,
        )
        x = torch.as_tensor(ids, dtype=torch.long, device=self.device)[None]
        aux: dict[str, Any] = {
            "x_lengths": torch.tensor([x.shape[1]], device=self.device),
            "speaker_ids": sid,
            "d_vectors": d_vector,
        }
        if language_id is not None:
            aux["language_ids"] = torch.tensor([language_id], device=self.device)
        if speed is not None and length_scale is None:
            length_scale = 1.0 / float(speed)
        for name, value in (
            ("length_scale", length_scale),
            ("inference_noise_scale", inference_noise_scale),
            ("inference_noise_scale_dp", inference_noise_scale_dp),
        ):
            if value is not None:
                aux[name] = value
        aux.update(kwargs.get("extra_aux_input") or {})
        outputs = self.inference(x, aux_input=aux)
        wav = outputs["model_outputs"][0, 0].float().cpu().numpy().astype(np.float32)
        return {"wav": wav, "alignments": outputs["alignments"], "text_inputs": x, "outputs": outputs}

    def enable_reduced_precision(self) -> bool:
        """Opt-in fast mode: the HiFi-GAN waveform decoder (most of the time) computes in bf16.

        Only where the device has native bf16 (AVX-512 BF16/AMX CPUs, Ampere+ GPUs; never MPS),
        checked at each call; elsewhere it stays fp32. The text encoder, durations and flow stay
        fp32, so the timing is unchanged and the audio differs slightly (relative L2 about 1-2%,
        see ``benchmarks/vits_speed.py``). Returns whether bf16 applies on the current device.
        """
        self._decoder_bf16 = True
        if not native_bf16(self.device):
            logger.info("VITS reduced precision: no native bf16 on %s, the decoder stays fp32.", self.device)
            return False
        return True

    # -- checkpoints ----------------------------------------------------------------
    def load_checkpoint(
        self,
        config: Any,
        checkpoint_path: str | os.PathLike[Any] | None = None,
        eval: bool = True,
        strict: bool = True,
        cache: bool = False,
        checkpoint_dir: str | os.PathLike[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        """Load a released ``model.pth`` (``{"model": state_dict, ...}``) through the safe loader.

        Training-only parts are ignored by name; weight-norm pairs are folded. A
        folder may be given instead (``checkpoint_dir``). A Fairseq MMS voice
        (``vocab.txt`` beside the checkpoint) is detected and converted.
        """
        from TTS.core.checkpoint import load_checkpoint_file, load_weights

        path = checkpoint_file(checkpoint_path, checkpoint_dir)
        if (path.parent / "vocab.txt").is_file() and not (path.parent / "model.pth").exists():
            self.load_fairseq_checkpoint(config, path, eval=eval, strict=strict)
            return
        state = load_checkpoint_file(path)
        state_dict = clean_state_dict(state.get("model", state))
        from TTS.tts.layers.vits.voice_conversion import keep_posterior_state

        keep_posterior_state(self, state.get("model", state))  # voice conversion builds it on first use
        load_weights(self, state_dict, strict=strict)
        if eval:
            self.eval()

    def load_fairseq_checkpoint(
        self,
        config: Any,
        checkpoint_path: str | os.PathLike[Any] | None = None,
        eval: bool = True,
        strict: bool = True,
        checkpoint_dir: str | os.PathLike[Any] | None = None,
    ) -> None:
        """Load a Fairseq MMS VITS voice: ``G_*.pth`` with ``config.json`` and ``vocab.txt`` beside it."""
        from TTS.tts.layers.vits.fairseq import fairseq_setup

        fairseq_setup(self, checkpoint_file(checkpoint_path, checkpoint_dir), strict=strict)
        if eval:
            self.eval()

    @torch.inference_mode()
    def voice_conversion(
        self,
        source_wav: str | os.PathLike[Any],
        target_wav: str | os.PathLike[Any] | list[str | os.PathLike[Any]] | None = None,
        *,
        source_speaker: str | int | None = None,
        speaker: str | int | None = None,
        voice_dir: str | os.PathLike[Any] | None = None,
        noise_scale: float = 1.0,
    ) -> torch.Tensor:
        """Convert the recording ``source_wav`` into another voice; returns the waveform (T,).

        Target: ``speaker`` (name or id) or ``target_wav`` (YourTTS: through the speaker
        encoder). Source: ``source_speaker``, or ``source_wav`` itself through the speaker
        encoder. ``noise_scale`` scales the posterior sample (0: its mean). ``voice_dir`` is
        accepted for the synthesizer and not used (VITS keeps no voice cache).
        See :mod:`TTS.tts.layers.vits.voice_conversion`.
        """
        from TTS.tts.layers.vits.voice_conversion import voice_conversion

        return voice_conversion(
            self, source_wav, target_wav, source_speaker=source_speaker, speaker=speaker, noise_scale=noise_scale
        )

    @torch.inference_mode()
    def inference_voice_conversion(
        self, y: torch.Tensor, y_lengths: torch.Tensor, speaker_cond_src: Any, speaker_cond_tgt: Any
    ) -> tuple[torch.Tensor, torch.Tensor, tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
        """Upstream's spectrogram-level conversion: ``y`` (B, 513, T) linear spectrograms, speaker ids or
        d-vectors -> (waveform (B, 1, T_wav), mask (B, 1, T), (z, z_p, z_hat))."""
        from TTS.tts.layers.vits.voice_conversion import inference_voice_conversion

        return inference_voice_conversion(self, y, y_lengths, speaker_cond_src, speaker_cond_tgt)

    # -- ONNX -----------------------------------------------------------------------
    def export_onnx(
        self, output_path: str = "coqui_vits.onnx", verbose: bool = False, split_decoder: bool = False
    ) -> None:
        """Export to ONNX (inputs ``input``, ``input_lengths``, ``scales``[, ``sid``][, ``langid``]).

        ``split_decoder=True`` writes a folder ``output_path`` with ``frontend.onnx`` and ``decoder.onnx``
        (:mod:`TTS.tts.export.onnx_split`), whose decoder can run in bf16 with OpenVINO.
        """
        if split_decoder:
            from TTS.tts.export.onnx_split import export_onnx_split

            export_onnx_split(self, output_path, verbose=verbose)
            return
        from TTS.tts.export.onnx import export_onnx

        export_onnx(self, output_path, verbose=verbose)

    def load_onnx(
        self, model_path: str, cuda: bool = False, runtime: str = "onnxruntime", reduced_precision: bool = False
    ) -> None:
        """Open an exported model (a file, or a split folder) with onnxruntime (the ``onnx`` extra) or, for a
        split folder, OpenVINO (``runtime="openvino"``, the ``openvino`` extra; ``reduced_precision`` runs its
        decoder in bf16 where the CPU has it)."""
        from TTS.tts.export.onnx import load_onnx

        self.onnx_sess = load_onnx(model_path, cuda=cuda, runtime=runtime, reduced_precision=reduced_precision)

    def inference_onnx(
        self,
        x: Any,
        x_lengths: Any = None,
        speaker_id: int | None = None,
        language_id: int | None = None,
        d_vector: Any = None,
    ) -> np.ndarray:
        """Run the loaded ONNX session; returns audio (B, T) float32."""
        from TTS.tts.export.onnx import inference_onnx

        return inference_onnx(self, x, x_lengths, speaker_id, language_id, d_vector)
