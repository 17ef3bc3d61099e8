"""What Tacotron and Tacotron2 share at inference: text front-end, checkpoint loading, style inputs, synthesis.

A Tacotron model predicts normalised spectrogram frames; :meth:`BaseTacotron.synthesize`
returns them denormalised as ``{"mel": (C, T)}`` for the synthesizer's vocoder (or
Griffin-Lim). Style: GST (a reference wav, or ``{token_index: weight}``) and Capacitron
(a reference wav and optionally its transcript).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import torch
from torch import nn

from TTS.core.checkpoint import load_checkpoint_file, load_state_dict_strict
from TTS.core.errors import CheckpointError, InvalidInputError
from TTS.tts.layers.tacotron.capacitron_layers import CapacitronVAE
from TTS.tts.layers.tacotron.gst_layers import GST
from TTS.tts.layers.tacotron.quantized import Int8LSTMCell

__all__ = ["BaseTacotron"]

logger = logging.getLogger(__name__)


def _concat_along_time(outputs: torch.Tensor, extra: torch.Tensor) -> torch.Tensor:
    """Append ``extra`` (B or 1, 1, D) to every time step of ``outputs`` (B, T, C) -> (B, T, C + D)."""
    return torch.cat([outputs, extra.expand(outputs.size(0), outputs.size(1), -1)], dim=-1)


class BaseTacotron(nn.Module):
    """Shared parts of :class:`~TTS.tts.models.tacotron.Tacotron` and :class:`~TTS.tts.models.tacotron2.Tacotron2`.

    Subclasses build ``embedding``, ``encoder``, ``decoder``, ``postnet`` (and the
    optional ``gst_layer``, ``capacitron_vae_layer``, ``coarse_decoder``,
    ``decoder_backward``) and implement ``inference(text, aux_input)``.
    """

    MODEL_TYPE = "tts"
    #: True when ``model_outputs`` is a linear spectrogram (Tacotron v1) rather than a mel.
    LINEAR_OUTPUT = False

    def __init__(self, config: Any, ap: Any = None, tokenizer: Any = None, speaker_manager: Any = None) -> None:
        super().__init__()
        from TTS.tts.utils.text.tokenizer import TTSTokenizer

        if tokenizer is None:
            tokenizer, config = TTSTokenizer.init_from_config(config)
        self.tokenizer = tokenizer
        self.config = config
        if tokenizer is not None and hasattr(tokenizer, "characters"):
            config.num_chars = tokenizer.characters.num_chars
        if config.get("use_speaker_embedding") or config.get("use_d_vector_file"):
            raise InvalidInputError(
                "Multi-speaker Tacotron models (use_speaker_embedding / use_d_vector_file) are not supported by "
                "coqui-tts-ng yet; no released Tacotron model needs them."
            )
        self._ap = ap
        self.use_gst = bool(config.use_gst and config.gst)
        self.use_capacitron_vae = bool(config.use_capacitron_vae and config.capacitron_vae)
        self.decoder_in_features = int(config.decoder_in_features)
        if self.use_gst:
            self.decoder_in_features += int(config.gst.gst_embedding_dim)
        if self.use_capacitron_vae:
            self.decoder_in_features += int(config.capacitron_vae.capacitron_VAE_embedding_dim)

    # ------------------------------------------------------------------ contract

    @classmethod
    def init_from_config(cls, config: Any, samples: Any = None, verbose: bool = True) -> BaseTacotron:
        """Build the model from its config (``samples`` / ``verbose`` kept for upstream compatibility)."""
        return cls(config)

    @property
    def ap(self) -> Any:
        """The ``AudioProcessor`` of the model's ``audio`` settings (normalisation, Griffin-Lim)."""
        if self._ap is None:
            from TTS.utils.audio import AudioProcessor

            self._ap = AudioProcessor(**dict(self.config.audio), verbose=False)
        return self._ap

    @ap.setter
    def ap(self, value: Any) -> None:
        self._ap = value

    @property
    def device(self) -> torch.device:
        return next(self.parameters()).device

    @property
    def speaker_names(self) -> list[str]:
        return []

    @property
    def language_names(self) -> list[str]:
        return []

    @property
    def output_sample_rate(self) -> int:
        return int(self.config.audio["sample_rate"])

    def load_checkpoint(
        self,
        config: Any,
        checkpoint_path: str | os.PathLike[str],
        *,
        eval: bool = False,  # noqa: A002 - upstream's keyword
        cache: bool = False,
        **kwargs: Any,
    ) -> None:
        """Load a released or trainer checkpoint (``{"model": state_dict, "r"?, "config"?}``) safely.

        The decoder's frames per step come from the checkpoint's ``r`` (older files),
        else its stored config's ``r``, else ``config.r``.
        """
        del cache, kwargs
        state = load_checkpoint_file(checkpoint_path, map_location="cpu")
        if not isinstance(state, Mapping) or not isinstance(state.get("model"), Mapping):
            raise CheckpointError(f"{checkpoint_path} is not a Tacotron checkpoint (no 'model' state dict in it).")
        weights = dict(state["model"])
        # Files saved before BatchNorm counted batches lack these counters; they do not affect inference.
        for key, value in self.state_dict().items():
            if key.endswith("num_batches_tracked") and key not in weights:
                weights[key] = value
        try:
            load_state_dict_strict(self, weights)
        except CheckpointError as err:
            raise CheckpointError(f"Tacotron checkpoint {checkpoint_path}: {err}") from None
        r = state.get("r")
        if r is None and isinstance(state.get("config"), Mapping):
            r = state["config"].get("r")
        if r is None:
            r = config.r
        self.decoder.set_r(int(r))
        if eval:
            self.eval()
            logger.info("Decoder frames per step (r): %d", self.decoder.r)
            if os.environ.get("TTS_TACOTRON_INT8", "") == "1":
                self.enable_int8_decoder()

    def enable_int8_decoder(self) -> bool:
        """Opt-in fast mode (Tacotron2): int8 weights in the decoder's two LSTM cells, on the CPU.

        The gate products run through :class:`TTS.core.int8.Int8Linear` (about 2x faster decoding);
        the encoder, attention, postnet and everything else stay fp32, and the mel differs slightly
        (relative L2 well under 1% at full size). Also enabled by ``TTS_TACOTRON_INT8=1`` when a
        checkpoint is loaded for inference. Returns whether it was applied (it needs a CPU model and
        torch's int8 kernel); cannot be undone, reload to go back.
        """
        from TTS.tts.layers.tacotron.quantized import quantize_decoder_rnns

        applied = quantize_decoder_rnns(self.decoder)
        if applied:
            logger.info("Decoder LSTMs use int8 weights.")
        else:
            logger.warning("int8 decoder requested but unavailable here (needs a CPU model and torch's int8 kernel).")
        return applied

    @property
    def enable_reduced_precision(self) -> Callable[[], bool]:
        """Tacotron2's reduced-precision mode, :meth:`enable_int8_decoder` (same name on every model).

        Tacotron v1 has none (its decoder GRUs are small enough to stay in cache, int8 does
        not pay), so there the attribute does not exist and ``hasattr`` is False.
        """
        if not isinstance(getattr(self.decoder, "decoder_rnn", None), nn.LSTMCell | Int8LSTMCell):
            raise AttributeError(f"{type(self).__name__} has no reduced-precision mode")
        return self.enable_int8_decoder

    # --------------------------------------------------------------- style inputs

    def _build_style_and_extra_decoders(
        self, num_frame_channels: int, make_decoder: Callable[[int], nn.Module]
    ) -> None:
        """The optional parts both Tacotrons share, under the released keys: ``gst_layer``,
        ``capacitron_vae_layer``, ``decoder_backward`` and ``coarse_decoder`` (DDC).

        ``num_frame_channels``: channels of the decoder's frames (the style encoders read them);
        ``make_decoder(r)`` builds a decoder of the model's kind.
        """
        c = self.config
        if self.use_gst:
            self.gst_layer = GST(
                num_mel=num_frame_channels,
                num_heads=c.gst.gst_num_heads,
                num_style_tokens=c.gst.gst_num_style_tokens,
                gst_embedding_dim=c.gst.gst_embedding_dim,
            )
        if self.use_capacitron_vae:
            vae = c.capacitron_vae
            self.capacitron_vae_layer = CapacitronVAE(
                num_mel=num_frame_channels,
                encoder_output_dim=int(c.encoder_in_features),
                capacitron_VAE_embedding_dim=vae.capacitron_VAE_embedding_dim,
                speaker_embedding_dim=None,
                text_summary_embedding_dim=(
                    vae.capacitron_text_summary_embedding_dim if vae.capacitron_use_text_summary_embeddings else None
                ),
            )
        if c.bidirectional_decoder:
            self.decoder_backward = make_decoder(int(c.r))
        if c.double_decoder_consistency:
            self.coarse_decoder = make_decoder(int(c.ddc_r))

    def compute_gst(
        self, inputs: torch.Tensor, style_input: Any, speaker_embedding: torch.Tensor | None = None
    ) -> torch.Tensor:
        """Append the GST style embedding to encoder outputs ``inputs`` (B, T, C).

        ``style_input``: a reference mel tensor, ``{token_index: weight}``, or None (a zero style).
        """
        dim = int(self.config.gst.gst_embedding_dim)
        if isinstance(style_input, Mapping):
            query = inputs.new_zeros(1, 1, dim // 2)
            if speaker_embedding is not None:
                query = torch.cat([query, speaker_embedding.reshape(1, 1, -1)], dim=-1)
            tokens = torch.tanh(self.gst_layer.style_token_layer.style_tokens)
            style = inputs.new_zeros(1, 1, dim)
            for index, weight in style_input.items():
                key = tokens[int(index)].reshape(1, 1, -1)
                style = style + self.gst_layer.style_token_layer.attention(query, key) * float(weight)
        elif style_input is None:
            style = inputs.new_zeros(1, 1, dim)
        else:
            style = self.gst_layer(style_input, speaker_embedding)
        return _concat_along_time(inputs, style)

    def compute_capacitron_VAE_embedding(  # noqa: N802 - upstream's name
        self,
        inputs: torch.Tensor,
        reference_mel_info: Any,
        text_info: Any = None,
        speaker_embedding: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, Any, Any, torch.Tensor]:
        """Append the Capacitron embedding to ``inputs`` (B, T, C); also returns posterior, prior and beta."""
        embedding, posterior, prior, beta = self.capacitron_vae_layer(reference_mel_info, text_info, speaker_embedding)
        return _concat_along_time(inputs, embedding.to(inputs.device)), posterior, prior, beta

    def _add_style(self, encoder_outputs: torch.Tensor, aux: dict[str, Any]) -> torch.Tensor:
        """Append the GST and/or Capacitron embeddings of ``aux["style_mel"]`` / ``aux["style_text"]``."""
        if self.use_gst:
            encoder_outputs = self.compute_gst(encoder_outputs, aux.get("style_mel"), aux.get("d_vectors"))
        if self.use_capacitron_vae:
            style_mel, style_text = aux.get("style_mel"), aux.get("style_text")
            device = encoder_outputs.device
            text_info = None
            if style_text is not None:
                embedded = self.embedding(style_text)
                text_info = [embedded, torch.tensor([embedded.size(1)], dtype=torch.int64, device=device)]
            mel_info = None
            if style_mel is not None:
                mel_info = [style_mel, torch.tensor([style_mel.size(1)], dtype=torch.int64, device=device)]
            encoder_outputs, *_ = self.compute_capacitron_VAE_embedding(encoder_outputs, mel_info, text_info)
        return encoder_outputs

    # ----------------------------------------------------------------- synthesis

    def _style_mel(self, style_wav: str | os.PathLike[str]) -> torch.Tensor:
        """(1, T, C) normalised mel of a reference wav, at the model's sample rate.

        Both style encoders read frames first, as in training. (Upstream passes GST a
        (1, C, T) mel, which its reference encoder then reads as scrambled frames.)
        """
        ap = self.ap
        mel = np.asarray(ap.melspectrogram(ap.load_wav(str(style_wav), sr=ap.sample_rate)), dtype=np.float32)
        return torch.from_numpy(np.ascontiguousarray(mel.T)).to(self.device).unsqueeze(0)

    def _style_inputs(self, style_wav: Any, style_text: str | None, language: str | None) -> dict[str, Any]:
        style_mel: Any = None
        if self.use_gst and style_wav is not None:
            style_mel = style_wav if isinstance(style_wav, Mapping) else self._style_mel(style_wav)
        if self.use_capacitron_vae and style_wav is not None:
            style_mel = self._style_mel(style_wav)
        text_ids = None
        if not isinstance(style_mel, Mapping) and style_text is not None:
            ids = self.tokenizer.text_to_ids(style_text, language=language)
            text_ids = torch.tensor(ids, dtype=torch.long, device=self.device).unsqueeze(0)
        return {"style_mel": style_mel, "style_text": text_ids}

    @torch.inference_mode()
    def synthesize(
        self,
        text: str,
        config: Any = None,
        *,
        speaker: str | None = None,
        speaker_wav: Any = None,
        language: str | None = None,
        style_wav: Any = None,
        style_text: str | None = None,
        use_griffin_lim: bool = False,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Text to a denormalised spectrogram: ``{"mel": (C, T) float32, "alignments", "stop_tokens"}``.

        ``style_wav``: GST reference wav or ``{token_index: weight}``, or the Capacitron
        reference wav; ``style_text``: the Capacitron reference transcript. Models whose
        output is a linear spectrogram (:attr:`LINEAR_OUTPUT`, Tacotron v1) return it under
        ``"mel"`` too, plus ``"wav"`` (Griffin-Lim) when ``use_griffin_lim``, as upstream.
        """
        del config, speaker_wav, kwargs
        if speaker:
            raise InvalidInputError(f"This model has a single speaker; speaker '{speaker}' cannot be chosen.")
        if not (text or "").strip():
            raise InvalidInputError("The text is empty: give some text to synthesise.")
        ids = self.tokenizer.text_to_ids(text, language=language)
        if not ids:
            raise InvalidInputError(f"Nothing in {text!r} can be spoken by this model (no known characters).")
        tokens = torch.tensor(ids, dtype=torch.long, device=self.device).unsqueeze(0)
        aux = {"speaker_ids": None, "d_vectors": None, **self._style_inputs(style_wav, style_text, language)}
        outputs = self.inference(tokens, aux_input=aux)
        frames = outputs["model_outputs"][0].float().cpu().numpy()  # (T, C) normalised
        mel = np.asarray(self.ap.denormalize(frames.T), dtype=np.float32)
        wav = None
        if self.LINEAR_OUTPUT and use_griffin_lim:
            wav = np.asarray(self.ap.inv_spectrogram(frames.T), dtype=np.float32)
        return {
            "wav": wav,
            "mel": mel,
            "alignments": outputs["alignments"],
            "stop_tokens": outputs["stop_tokens"],
            "text_inputs": tokens,
            "outputs": outputs,
        }
