"""XTTS v1/v2: multilingual zero-shot voice cloning TTS (inference).

Public API as upstream's ``TTS.tts.models.xtts.Xtts``: ``init_from_config``,
``load_checkpoint``, ``get_conditioning_latents``, ``inference``,
``inference_stream``, ``full_inference``, ``synthesize``. The model code is
ours (:mod:`TTS.tts.layers.xtts`); ``transformers`` is not used.

``XttsArgs`` and ``XttsAudioConfig`` are re-exported here because released
checkpoints pickle them under this module's path.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Iterator
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from TTS.core.errors import InvalidInputError, ModelNotFoundError
from TTS.core.precision import bf16_autocast, native_bf16
from TTS.tts.configs.xtts_config import XttsArgs, XttsAudioConfig, XttsConfig
from TTS.tts.layers.xtts import cloning
from TTS.tts.layers.xtts.checkpoint import read_xtts_state_dict
from TTS.tts.layers.xtts.generation import generate, generate_stream
from TTS.tts.layers.xtts.gpt import GPT
from TTS.tts.layers.xtts.hifigan_decoder import HifiDecoder
from TTS.tts.layers.xtts.sampling import SamplingSettings
from TTS.tts.layers.xtts.speculative import DEFAULT_LOOKAHEAD
from TTS.tts.layers.xtts.streaming import CrossFader
from TTS.tts.layers.xtts.xtts_manager import ReferenceCache

__all__ = ["Xtts", "XttsArgs", "XttsAudioConfig", "XttsConfig"]

logger = logging.getLogger(__name__)


class Xtts(nn.Module):
    """XTTS model. ``Xtts.init_from_config(config)`` then ``load_checkpoint(config, checkpoint_dir=...)``."""

    def __init__(self, config: XttsConfig, *, gpt_on_meta: bool = False) -> None:
        super().__init__()
        self.config = config
        self.args: XttsArgs = config.model_args
        self.tokenizer: Any = None
        self.speaker_manager: Any = None
        self.gpt: GPT | None = None
        self.gpt_batch_size = self.args.gpt_batch_size
        self._frontends: dict[str, nn.Module] = {}  # not submodules: no state-dict keys
        self._decoder_bf16 = False
        self._reference_cache = ReferenceCache()
        if gpt_on_meta:  # shapes only: no memory, no random init (loading replaces the GPT anyway)
            with torch.device("meta"):
                self.build_gpt()
        else:
            self.build_gpt()
        self.build_decoder()
        self.register_buffer("mel_stats", torch.ones(80))

    @staticmethod
    def init_from_config(config: XttsConfig, **kwargs: Any) -> Xtts:
        """A model to :meth:`load_checkpoint` into (its GPT has no weights until then; ``Xtts(config)`` has random ones)."""
        return Xtts(config, gpt_on_meta=True)

    def init_models(self) -> None:
        """(Re)build the GPT (when the text vocabulary size is known) and the decoder from ``self.args``."""
        self.build_gpt()
        self.build_decoder()

    def build_gpt(self) -> None:
        """(Re)build the GPT from ``self.args`` when the text vocabulary size is known."""
        a = self.args
        if a.gpt_number_text_tokens:
            self.gpt = GPT(
                layers=a.gpt_layers,
                model_dim=a.gpt_n_model_channels,
                start_text_token=a.gpt_start_text_token,
                stop_text_token=a.gpt_stop_text_token,
                heads=a.gpt_n_heads,
                max_text_tokens=a.gpt_max_text_tokens,
                max_mel_tokens=a.gpt_max_audio_tokens,
                max_prompt_tokens=a.gpt_max_prompt_tokens,
                number_text_tokens=a.gpt_number_text_tokens,
                num_audio_tokens=a.gpt_num_audio_tokens,
                start_audio_token=a.gpt_start_audio_token,
                stop_audio_token=a.gpt_stop_audio_token,
                use_perceiver_resampler=a.gpt_use_perceiver_resampler,
                code_stride_len=a.gpt_code_stride_len,
            )

    def build_decoder(self) -> None:
        """(Re)build the HiFi-GAN decoder and speaker encoder from ``self.args``."""
        a = self.args
        self.hifigan_decoder = HifiDecoder(
            input_sample_rate=a.input_sample_rate,
            output_sample_rate=a.output_sample_rate,
            output_hop_length=a.output_hop_length,
            ar_mel_length_compression=a.gpt_code_stride_len,
            decoder_input_dim=a.decoder_input_dim,
            d_vector_dim=a.d_vector_dim,
            cond_d_vector_in_each_upsampling_layer=a.cond_d_vector_in_each_upsampling_layer,
        )

    # ------------------------------------------------------------------ properties
    @property
    def device(self) -> torch.device:
        return self.mel_stats.device

    @property
    def speaker_names(self) -> list[str]:
        return self.speaker_manager.speaker_names if self.speaker_manager is not None else []

    @property
    def language_names(self) -> list[str]:
        return list(self.config.languages)

    @property
    def output_sample_rate(self) -> int:
        return int(self.args.output_sample_rate)

    def _require_gpt(self) -> GPT:
        if self.gpt is None or self.gpt.final_norm.weight.is_meta:
            raise ModelNotFoundError("The XTTS model has no weights yet: call load_checkpoint() first.")
        return self.gpt

    # ------------------------------------------------------------------ conditioning
    @torch.inference_mode()
    def get_gpt_cond_latents(
        self, audio: torch.Tensor, sr: int, length: int = 30, chunk_length: int = 6
    ) -> torch.Tensor:
        """GPT conditioning from reference audio (1, T) at ``sr`` Hz -> (1, 32, D) (v2) or (1, frames, D) (v1).

        Uses the first ``length`` seconds (all if ``length <= 0``); with the perceiver the audio is cut into
        ``chunk_length`` s chunks (shorter than 0.33 s ones skipped) whose latents are averaged.
        """
        if "cond_mel" not in self._frontends:
            self._frontends["cond_mel"] = cloning.conditioning_mel_transform()
        mel = self._frontends["cond_mel"] = self._frontends["cond_mel"].to(self.device)
        return cloning.gpt_cond_latents(
            self._require_gpt(), mel, self.mel_stats, audio.to(self.device), sr, length, chunk_length
        )

    @torch.inference_mode()
    def get_speaker_embedding(self, audio: torch.Tensor, sr: int) -> torch.Tensor:
        """Speaker embedding (1, 512, 1) of reference audio (1, T) at ``sr`` Hz (resampled to 16 kHz)."""
        return cloning.speaker_embedding(self.hifigan_decoder.speaker_encoder, audio.to(self.device), sr)

    @torch.inference_mode()
    def get_conditioning_latents(
        self,
        audio_path: str | os.PathLike[Any] | list[str | os.PathLike[Any]],
        max_ref_length: int = 30,
        gpt_cond_len: int = 6,
        gpt_cond_chunk_len: int = 6,
        librosa_trim_db: int | None = None,
        sound_norm_refs: bool = False,
        load_sr: int = 22050,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """``(gpt_cond_latent (1, N, D), speaker_embedding (1, 512, 1))`` from one or several reference files.

        The speaker embedding is the mean over references; the GPT latents use the references concatenated.
        """
        paths = list(audio_path) if isinstance(audio_path, (list, tuple)) else [audio_path]
        if not paths:
            raise InvalidInputError("No reference audio given: pass speaker_wav=<path to a 3-10 s recording>.")
        audios, embeddings = [], []
        for path in paths:
            audio = cloning.load_reference(path, load_sr, max_ref_length, sound_norm_refs, librosa_trim_db)
            audio = audio.to(self.device)
            embeddings.append(self.get_speaker_embedding(audio, load_sr))
            audios.append(audio)
        gpt_cond_latents = self.get_gpt_cond_latents(
            torch.cat(audios, dim=-1), load_sr, length=gpt_cond_len, chunk_length=gpt_cond_chunk_len
        )
        return gpt_cond_latents, torch.stack(embeddings).mean(dim=0)

    # ------------------------------------------------------------------ text
    def _language(self, language: str | None) -> str:
        if not language:
            raise InvalidInputError(f"XTTS needs a language: pass language= one of {', '.join(self.language_names)}.")
        lang = "zh-cn" if language == "zh" else language
        if lang not in self.config.languages:
            raise InvalidInputError(
                f"Language {language!r} is not supported by this XTTS model. Use one of: "
                f"{', '.join(self.language_names)}."
            )
        return lang.split("-")[0]

    def _sentences(self, text: str, language: str, enable_text_splitting: bool) -> list[str]:
        if not isinstance(text, str) or not text.strip():
            raise InvalidInputError("The text to speak is empty: give at least one word.")
        limit = getattr(self.tokenizer, "char_limits", {}).get(language, 250)
        if enable_text_splitting:
            from TTS.tts.layers.xtts.tokenizer import split_sentence

            pieces = split_sentence(text, language, limit)
        else:
            pieces = [text]
        return [p.strip().lower() for p in pieces if p.strip()]

    def _encode(self, sentence: str, language: str) -> torch.Tensor:
        if self.tokenizer is None:
            raise ModelNotFoundError("No XTTS tokenizer loaded: call load_checkpoint() with the model's vocab.json.")
        ids = self.tokenizer.encode(sentence, lang=language)
        if len(ids) >= self.args.gpt_max_text_tokens:
            raise InvalidInputError(
                f"The text is too long for XTTS ({len(ids)} tokens, the limit is {self.args.gpt_max_text_tokens - 1}). "
                "Pass enable_text_splitting=True (split_sentences=True in the API) or shorten it."
            )
        return torch.tensor([ids], dtype=torch.long, device=self.device)

    # ------------------------------------------------------------------ synthesis
    def _scale(self, latents: torch.Tensor, speed: float) -> torch.Tensor:
        """Stretch latents (B, n, D) in time by ``1 / speed`` (linear interpolation), as upstream."""
        length_scale = 1.0 / max(float(speed), 0.05)
        if length_scale == 1.0:
            return latents
        return F.interpolate(latents.transpose(1, 2), scale_factor=length_scale, mode="linear").transpose(1, 2)

    @staticmethod
    def _scaled_length(num_latents: int, speed: float) -> int:
        """Number of latents after :meth:`_scale` (``floor(n / speed)``, as ``F.interpolate`` computes it)."""
        length_scale = 1.0 / max(float(speed), 0.05)
        return num_latents if length_scale == 1.0 else math.floor(num_latents * length_scale)

    def _decode(self, latents: torch.Tensor, speaker_embedding: torch.Tensor, speed: float = 1.0) -> torch.Tensor:
        latents = self._scale(latents, speed)
        with bf16_autocast(latents.device, enabled=self._decoder_bf16):
            return self.hifigan_decoder(latents, g=speaker_embedding).float()

    def enable_reduced_precision(self, decoder_bf16: bool = True) -> bool:
        """Opt-in fast mode; returns whether anything changed. Cannot be undone: reload to go back.

        On the CPU the GPT's projections and code head get int8 weights (:mod:`TTS.core.int8`,
        about 2x faster per code); the HiFi-GAN decoder computes in bf16 wherever the device has
        native bf16 (AVX-512 BF16/AMX CPUs, Ampere+ GPUs; never MPS), checked at each call, so
        it follows the model to another device. On a GPU only the bf16 decoder applies. The audio
        differs slightly from the default fp32 mode (``benchmarks/xtts_speed.py`` reports how much).
        """
        from TTS.tts.layers.xtts.quantize import int8_supported, quantize_gpt_int8

        changed = False
        device = self.device
        if device.type != "cpu":
            logger.info("XTTS reduced precision: the GPT stays fp32 on %s (int8 weights are a CPU mode).", device)
        elif not int8_supported():
            logger.warning("XTTS reduced precision: this torch build has no int8 kernel; the GPT stays fp32.")
        else:
            quantize_gpt_int8(self._require_gpt())
            changed = True
        self._decoder_bf16 = decoder_bf16
        if decoder_bf16 and native_bf16(device):
            changed = True
        elif decoder_bf16:
            logger.info("XTTS reduced precision: no native bf16 on %s, the decoder stays fp32 there.", device)
        return changed

    def enable_speculative_decoding(self, lookahead: int = DEFAULT_LOOKAHEAD) -> bool:
        """Opt-in faster fp32 decoding on the CPU; returns whether it is on. Off again with ``lookahead=0``.

        ``TTS_XTTS_SPECULATIVE=1`` turns it on in :meth:`load_checkpoint` (so also for ``tts`` and
        ``tts-server``) when the model loads on the CPU.

        An int8 copy of the GPT's projections guesses the next ``lookahead`` codes and one fp32
        pass checks them (:mod:`TTS.tts.layers.xtts.speculative`). Greedy decoding gives the
        fp32 codes (barring float rounding on an exact tie), sampling draws from the fp32 distribution (a given seed draws other codes
        than the default loop), and the decoder always gets fp32 latents. Costs about a quarter
        of the GPT's fp32 size in extra memory. Batch-1 CPU generation only; elsewhere the
        default loop runs. Not combined with :meth:`enable_reduced_precision` (its GPT is int8).
        """
        from TTS.tts.layers.xtts.quantize import int8_supported
        from TTS.tts.layers.xtts.speculative import attach_int8_draft, detach_draft

        gpt = self._require_gpt()
        detach_draft(gpt)
        if lookahead <= 0:
            return False
        if self.device.type != "cpu":
            logger.info("XTTS speculative decoding is a CPU mode; on %s the default loop runs.", self.device)
            return False
        if not int8_supported():
            logger.warning("XTTS speculative decoding: this torch build has no int8 kernel; the default loop runs.")
            return False
        if not isinstance(gpt.mel_head, nn.Linear):
            logger.info("XTTS speculative decoding: the GPT already has int8 weights (reduced precision); not needed.")
            return False
        attach_int8_draft(gpt, lookahead)
        return True

    @torch.inference_mode()
    def inference_tokens(
        self,
        text_tokens: torch.Tensor,
        gpt_cond_latent: torch.Tensor,
        speaker_embedding: torch.Tensor,
        settings: SamplingSettings,
        speed: float = 1.0,
        generator: torch.Generator | None = None,
    ) -> dict[str, torch.Tensor]:
        """One sentence of token ids (1, T) -> ``{"wav": (T',), "codes": (1, n), "gpt_latents": (1, n / speed, D)}``."""
        gpt = self._require_gpt()
        cond = gpt_cond_latent.to(self.device, torch.float32)
        codes, latents = generate(gpt, cond, text_tokens.to(self.device), settings, generator=generator)
        wav = self._decode(latents, speaker_embedding.to(self.device, torch.float32), speed)
        return {"wav": wav.reshape(-1), "codes": codes, "gpt_latents": self._scale(latents, speed)}

    @torch.inference_mode()
    def inference(
        self,
        text: str,
        language: str,
        gpt_cond_latent: torch.Tensor,
        speaker_embedding: torch.Tensor,
        temperature: float = 0.75,
        length_penalty: float = 1.0,
        repetition_penalty: float = 10.0,
        top_k: int = 50,
        top_p: float = 0.85,
        do_sample: bool = True,
        num_beams: int = 1,
        speed: float = 1.0,
        enable_text_splitting: bool = False,
        **hf_generate_kwargs: Any,
    ) -> dict[str, Any]:
        """Speak ``text`` with the given voice. Returns ``{"wav": np.ndarray (T,) at 24 kHz, "gpt_latents", "speaker_embedding"}``."""
        if num_beams != 1:
            logger.warning("XTTS inference uses sampling/greedy decoding; num_beams=%s is ignored.", num_beams)
        if hf_generate_kwargs:
            logger.debug("Ignoring generation options %s", sorted(hf_generate_kwargs))
        lang = self._language(language)
        settings = SamplingSettings(temperature, top_k, top_p, repetition_penalty, do_sample, length_penalty)
        wavs, latents = [], []
        for sentence in self._sentences(text, lang, enable_text_splitting):
            out = self.inference_tokens(
                self._encode(sentence, lang), gpt_cond_latent, speaker_embedding, settings, speed
            )
            wavs.append(out["wav"].cpu())
            latents.append(out["gpt_latents"].cpu())
        return {
            "wav": torch.cat(wavs).numpy(),
            "gpt_latents": torch.cat(latents, dim=1).numpy(),
            "speaker_embedding": speaker_embedding,
        }

    @torch.inference_mode()
    def stream_tokens(
        self,
        text_tokens: torch.Tensor,
        gpt_cond_latent: torch.Tensor,
        speaker_embedding: torch.Tensor,
        settings: SamplingSettings,
        stream_chunk_size: int = 20,
        overlap_wav_len: int = 1024,
        speed: float = 1.0,
    ) -> Iterator[torch.Tensor]:
        """Stream one sentence of token ids (1, T): yields cross-faded audio chunks (T_i,)."""
        gpt = self._require_gpt()
        cond = gpt_cond_latent.to(self.device, torch.float32)
        spk = speaker_embedding.to(self.device, torch.float32)
        fader = CrossFader(overlap_wav_len)
        latents: list[torch.Tensor] = []
        pending = 0
        first = self._first_chunk_codes(fader, stream_chunk_size, speed)
        for _, latent in generate_stream(gpt, cond, text_tokens.to(self.device), settings, first_codes=first):
            latents.append(latent)
            pending += 1
            # A decode whose audio would all be held back (shorter than the cross-fade) is skipped:
            # the chunk comes with the next code instead of costing a decode that yields nothing.
            if (
                stream_chunk_size > 0
                and pending >= stream_chunk_size
                and fader.would_emit(self.hifigan_decoder.num_samples(self._scaled_length(len(latents), speed)))
            ):
                pending = 0
                chunk = fader.push(self._decode(torch.stack(latents, dim=1), spk, speed).reshape(-1))
                if chunk.numel():
                    yield chunk
        chunk = fader.push(self._decode(torch.stack(latents, dim=1), spk, speed).reshape(-1), is_final=True)
        if chunk.numel():
            yield chunk

    def _first_chunk_codes(self, fader: CrossFader, stream_chunk_size: int, speed: float) -> int | None:
        """How many codes the first streamed chunk waits for (None: the stream is one chunk)."""
        if stream_chunk_size <= 0:
            return None
        n = stream_chunk_size
        while n < self._require_gpt().max_gen_mel_tokens and not fader.would_emit(
            self.hifigan_decoder.num_samples(self._scaled_length(n, speed))
        ):
            n += 1
        return n

    @torch.inference_mode()
    def inference_stream(
        self,
        text: str,
        language: str,
        gpt_cond_latent: torch.Tensor,
        speaker_embedding: torch.Tensor,
        stream_chunk_size: int = 20,
        overlap_wav_len: int = 1024,
        temperature: float = 0.75,
        length_penalty: float = 1.0,
        repetition_penalty: float = 10.0,
        top_k: int = 50,
        top_p: float = 0.85,
        do_sample: bool = True,
        speed: float = 1.0,
        enable_text_splitting: bool = False,
        **hf_generate_kwargs: Any,
    ) -> Iterator[torch.Tensor]:
        """Yield audio chunks (tensors (T_i,) at 24 kHz) as codes are generated, ``stream_chunk_size`` codes per chunk.

        Each chunk re-decodes all latents so far and is cross-faded over ``overlap_wav_len`` samples with the
        previous one (:class:`~TTS.tts.layers.xtts.streaming.CrossFader`). ``do_sample=False`` decodes greedily,
        as :meth:`inference` does (upstream's streaming path sampled from the unfiltered distribution then).
        """
        lang = self._language(language)
        settings = SamplingSettings(temperature, top_k, top_p, repetition_penalty, do_sample, length_penalty)
        for sentence in self._sentences(text, lang, enable_text_splitting):
            yield from self.stream_tokens(
                self._encode(sentence, lang),
                gpt_cond_latent,
                speaker_embedding,
                settings,
                stream_chunk_size,
                overlap_wav_len,
                speed,
            )

    @torch.inference_mode()
    def full_inference(
        self,
        text: str,
        ref_audio_path: str | os.PathLike[Any] | list[str | os.PathLike[Any]],
        language: str,
        temperature: float = 0.75,
        length_penalty: float = 1.0,
        repetition_penalty: float = 10.0,
        top_k: int = 50,
        top_p: float = 0.85,
        do_sample: bool = True,
        gpt_cond_len: int = 30,
        gpt_cond_chunk_len: int = 6,
        max_ref_len: int = 10,
        sound_norm_refs: bool = False,
        **hf_generate_kwargs: Any,
    ) -> dict[str, Any]:
        """Clone the voice of ``ref_audio_path`` and speak ``text`` (see :meth:`inference`)."""
        gpt_cond_latent, speaker_embedding = self.get_conditioning_latents(
            ref_audio_path,
            max_ref_length=max_ref_len,
            gpt_cond_len=gpt_cond_len,
            gpt_cond_chunk_len=gpt_cond_chunk_len,
            sound_norm_refs=sound_norm_refs,
        )
        return self.inference(
            text, language, gpt_cond_latent, speaker_embedding, temperature, length_penalty,
            repetition_penalty, top_k, top_p, do_sample, **hf_generate_kwargs,
        )  # fmt: skip

    def synthesize(
        self,
        text: str,
        config: Any = None,
        *,
        speaker: str | None = None,
        speaker_wav: str | os.PathLike[Any] | list[str | os.PathLike[Any]] | None = None,
        language: str | None = None,
        voice_dir: str | os.PathLike[Any] | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Speak ``text`` with a built-in ``speaker`` or a voice cloned from ``speaker_wav``; returns ``{"wav": ...}``."""
        speaker, language, settings = self._synthesis_options(speaker, language, kwargs)
        gpt_cond_latent, speaker_embedding = self._voice(speaker, speaker_wav, voice_dir, settings.pop("_voice"))
        return self.inference(text, language, gpt_cond_latent, speaker_embedding, **settings)

    def synthesize_stream(
        self,
        text: str,
        config: Any = None,
        *,
        speaker: str | None = None,
        speaker_wav: str | os.PathLike[Any] | list[str | os.PathLike[Any]] | None = None,
        language: str | None = None,
        voice_dir: str | os.PathLike[Any] | None = None,
        stream_chunk_size: int = 20,
        **kwargs: Any,
    ) -> Iterator[torch.Tensor]:
        """:meth:`synthesize` as :meth:`inference_stream` chunks (tensors (T_i,)), every ``stream_chunk_size`` codes.

        Same voice and settings as :meth:`synthesize`; the joined chunks differ from its audio only where the
        chunks are cross-faded. The voice is prepared (and checked) before this returns.
        """
        speaker, language, settings = self._synthesis_options(speaker, language, kwargs)
        gpt_cond_latent, speaker_embedding = self._voice(speaker, speaker_wav, voice_dir, settings.pop("_voice"))
        return self.inference_stream(
            text, language, gpt_cond_latent, speaker_embedding, stream_chunk_size=stream_chunk_size, **settings
        )

    def _synthesis_options(
        self, speaker: str | None, language: str | None, kwargs: dict[str, Any]
    ) -> tuple[str | None, str | None, dict[str, Any]]:
        """``synthesize``'s keyword arguments -> speaker, language (checked), and the sampling settings (the
        config's, overridden by ``kwargs``) with the voice options under ``"_voice"``."""
        speaker = kwargs.pop("speaker_id", None) or speaker
        language = kwargs.pop("language_id", None) or language
        for key in ("use_griffin_lim", "do_trim_silence", "extra_aux_input", "d_vector", "reference_wav"):
            kwargs.pop(key, None)
        self._language(language)
        voice = {
            key: kwargs.pop(key, self.config[key]) for key in ("gpt_cond_len", "gpt_cond_chunk_len", "sound_norm_refs")
        }
        voice["max_ref_length"] = kwargs.pop("max_ref_len", self.config.max_ref_len)
        settings: dict[str, Any] = {
            key: self.config[key] for key in ("temperature", "length_penalty", "repetition_penalty", "top_k", "top_p")
        }
        settings.update(kwargs)
        settings["_voice"] = voice
        return speaker, language, settings

    def _voice(
        self, speaker: str | None, speaker_wav: Any, voice_dir: Any, settings: dict[str, Any]
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Conditioning for ``synthesize``: cloned from ``speaker_wav`` (cached; saved to ``voice_dir`` under
        ``speaker``), a voice saved in ``voice_dir``, or a built-in speaker."""
        from TTS.tts.layers.xtts import xtts_manager
        from TTS.utils.voices import find_voice_file

        if speaker_wav:
            paths = list(speaker_wav) if isinstance(speaker_wav, (list, tuple)) else [speaker_wav]
            voice = self._reference_cache.get(paths, settings, lambda: self.get_conditioning_latents(paths, **settings))
            if speaker is not None and voice_dir is not None:
                xtts_manager.save_voice(xtts_manager.voice_path(voice_dir, speaker), *voice, [str(p) for p in paths])
            return voice
        if speaker is None:
            raise InvalidInputError(
                "XTTS needs a voice: pass speaker=<built-in name> or speaker_wav=<reference audio>."
            )
        stored = None if voice_dir is None else find_voice_file(voice_dir, speaker)
        if stored is not None:
            return xtts_manager.load_voice(stored)
        if self.speaker_manager is None:
            raise InvalidInputError(
                f"Unknown XTTS voice {speaker!r}: this model has no built-in speakers; pass speaker_wav=<reference audio>."
            )
        return self.speaker_manager.get(speaker)

    # ------------------------------------------------------------------ loading
    def load_checkpoint(
        self,
        config: XttsConfig,
        checkpoint_dir: str | os.PathLike[Any] | None = None,
        checkpoint_path: str | os.PathLike[Any] | None = None,
        vocab_path: str | os.PathLike[Any] | None = None,
        eval: bool = True,
        strict: bool = True,
        use_deepspeed: bool = False,
        speaker_file_path: str | os.PathLike[Any] | None = None,
    ) -> None:
        """Load a released model folder (or trainer checkpoint). Files are only read, never modified."""
        from TTS.tts.layers.xtts.loading import load_weights, read_vocab, resolve_paths

        if use_deepspeed:
            logger.warning("use_deepspeed is not supported and is ignored.")
        self.config = config
        self.args = config.model_args
        model_path, vocab_path, speaker_file_path = resolve_paths(
            config, checkpoint_dir, checkpoint_path, vocab_path, speaker_file_path
        )
        self.tokenizer = read_vocab(self.args, vocab_path)
        if speaker_file_path is not None:
            from TTS.tts.layers.xtts.xtts_manager import SpeakerManager

            self.speaker_manager = SpeakerManager(speaker_file_path)
        load_weights(self, read_xtts_state_dict(model_path), strict=strict)
        if eval:
            self.eval()
        if os.environ.get("TTS_XTTS_SPECULATIVE", "") == "1" and self.device.type == "cpu":
            self.enable_speculative_decoding()
