"""The synthesis pipeline: a TTS (or voice conversion) model, an optional vocoder, text -> wav.

Any family registered in :mod:`TTS.families` loads through the model contract
(``init_from_config``, ``load_checkpoint``, ``synthesize``). Spectrogram models
are paired with a vocoder (``mel -> vocoder``, renormalised with the vocoder's
``scale_stats.npy`` and stretched in time when the sample rates differ) or fall
back to Griffin-Lim.
"""

from __future__ import annotations

import inspect
import logging
import math
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from TTS.core.errors import InvalidInputError
from TTS.core.text import segment_sentences
from TTS.families import Family
from TTS.utils.synthesis_inputs import IgnoredInputWarning, SynthesisInputChecks
from TTS.utils.synthesizer_loading import ModelLoading

__all__ = ["PAD_SILENCE_SAMPLES", "IgnoredInputWarning", "Synthesizer"]

logger = logging.getLogger(__name__)

# Silence appended after every sentence (samples), as the original pipeline does.
PAD_SILENCE_SAMPLES = 10000

PathLike = str | os.PathLike[Any]


def _optional_path(value: PathLike | None) -> str:
    return "" if value is None else str(value)


def _to_numpy(x: Any) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        x = x.detach().float().cpu().numpy()
    return np.asarray(x, dtype=np.float32)


# Numeric synthesis options: (lowest allowed, whether the lowest itself is allowed, highest allowed, what it means).
_OPTION_RANGES: dict[str, tuple[float, bool, float, str]] = {
    "speed": (0.0, False, math.inf, "1.0 is normal, 1.5 faster, 0.75 slower"),
    "length_scale": (0.0, False, math.inf, "1.0 is normal, larger is slower"),
    "inference_noise_scale": (0.0, True, math.inf, "0 gives the mean output"),
    "inference_noise_scale_dp": (0.0, True, math.inf, "0 gives the mean duration"),
    "temperature": (0.0, True, math.inf, "lower is more stable; 0 picks the likeliest token"),
    "top_k": (0.0, True, math.inf, "the number of likeliest tokens to sample from; 0 turns it off"),
    "top_p": (0.0, True, 1.0, "a probability between 0 and 1"),
    "repetition_penalty": (0.0, False, math.inf, "1.0 turns it off, larger repeats less"),
    "length_penalty": (-math.inf, True, math.inf, "1.0 is neutral"),
    "gpt_cond_len": (0.0, False, math.inf, "seconds of reference audio"),
    "gpt_cond_chunk_len": (0.0, False, math.inf, "seconds per conditioning chunk"),
    "max_ref_len": (0.0, False, math.inf, "seconds of reference audio"),
}


def _check_option_values(kwargs: dict[str, Any]) -> None:
    """Raise :class:`InvalidInputError` for a numeric option that is not a finite number in its range."""
    for key, (low, low_ok, high, meaning) in _OPTION_RANGES.items():
        value = kwargs.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
            raise InvalidInputError(f"{key}= must be a number ({meaning}), got {value!r}.")
        number = float(value)
        in_range = low <= number <= high and (low_ok or number > low)
        if not math.isfinite(number) or not in_range:
            bounds = [f">= {low:g}" if low_ok else f"> {low:g}"] if math.isfinite(low) else []
            bounds += [f"<= {high:g}"] if math.isfinite(high) else []
            bound = " and ".join(bounds) or "finite"
            raise InvalidInputError(f"{key}={value!r} is out of range: it must be {bound} ({meaning}).")


def _call_with_supported(fn: Any, extras: dict[str, Any], /, *args: Any, **kwargs: Any) -> Any:
    """Call ``fn(*args, **kwargs, **extras)``, dropping the ``extras`` that ``fn`` does not accept."""
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        params = {}
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    accepted = {k: v for k, v in extras.items() if takes_any or k in params}
    return fn(*args, **kwargs, **accepted)


class Synthesizer(ModelLoading, SynthesisInputChecks, nn.Module):
    """Load a TTS or voice conversion model (plus vocoder / speaker encoder) and synthesise speech.

    Arguments may be given positionally in the original order. ``model_dir`` loads a
    model folder (``config.json`` plus checkpoint files, e.g. XTTS). ``device``
    (``"cpu"``, ``"cuda"``, ``"mps"``, ``"auto"``) overrides ``use_cuda``.
    ``reduced_precision=True`` switches every loaded model that has one to its opt-in
    fast mode (``enable_reduced_precision()``: int8 weights on the CPU, bf16 decoders
    where the device has native bf16), on the device given here; see :meth:`apply_reduced_precision`.
    """

    def __init__(
        self,
        tts_checkpoint: PathLike | None = "",
        tts_config_path: PathLike | None = "",
        tts_speakers_file: PathLike | None = "",
        tts_languages_file: PathLike | None = "",
        vocoder_checkpoint: PathLike | None = "",
        vocoder_config: PathLike | None = "",
        encoder_checkpoint: PathLike | None = "",
        encoder_config: PathLike | None = "",
        vc_checkpoint: PathLike | None = "",
        vc_config: PathLike | None = "",
        model_dir: PathLike | None = "",
        voice_dir: PathLike | None = None,
        use_cuda: bool = False,
        *,
        device: str | torch.device | None = None,
        reduced_precision: bool = False,
    ) -> None:
        super().__init__()
        from TTS.core.device import resolve_device

        self.tts_checkpoint = _optional_path(tts_checkpoint)
        self.tts_config_path = _optional_path(tts_config_path)
        self.tts_speakers_file = _optional_path(tts_speakers_file)
        self.tts_languages_file = _optional_path(tts_languages_file)
        self.vocoder_checkpoint = _optional_path(vocoder_checkpoint)
        self.vocoder_config_path = _optional_path(vocoder_config)
        self.encoder_checkpoint = _optional_path(encoder_checkpoint)
        self.encoder_config = _optional_path(encoder_config)
        self.vc_checkpoint = _optional_path(vc_checkpoint)
        self.vc_config_path = _optional_path(vc_config)
        self.model_dir = _optional_path(model_dir)
        self.use_cuda = use_cuda
        self.reduced_precision = bool(reduced_precision)

        self.tts_model: nn.Module | None = None
        self.tts_config: Any = None
        self.vocoder_model: nn.Module | None = None
        self.vocoder_config: Any = None
        self.vocoder_ap: Any = None
        self.vc_model: nn.Module | None = None
        self.vc_config: Any = None
        self._tts_family: Family | None = None
        self._tts_ap: Any = None
        self._warned: set[str] = set()
        self.output_sample_rate: int = 0

        self._device = resolve_device(device if device is not None else ("cuda" if use_cuda else "cpu"))

        checkpoint_dir: Path | None = None
        if self.model_dir and not self.tts_checkpoint:
            self.tts_checkpoint = self.model_dir
        if self.tts_checkpoint:
            checkpoint_dir = self._load_tts(Path(self.tts_checkpoint), self.tts_config_path or None)
        if self.vc_checkpoint:
            checkpoint_dir = self._load_vc(Path(self.vc_checkpoint), self.vc_config_path or None)
        if checkpoint_dir is None:
            raise InvalidInputError("No model given: pass tts_checkpoint (or model_dir) or vc_checkpoint.")
        if self.vocoder_checkpoint:
            self._load_vocoder(Path(self.vocoder_checkpoint), self.vocoder_config_path or None)
        self.voice_dir = Path(voice_dir) if voice_dir is not None else checkpoint_dir / "voices"
        if self.reduced_precision:
            self.apply_reduced_precision()

    def apply_reduced_precision(self) -> list[str]:
        """Call ``enable_reduced_precision()`` on the loaded models that have it; returns their roles.

        Applied on the current device: int8 weights are made only on the CPU (models moved to
        a GPU later keep them, computed as bf16 products there); bf16 decoders follow the model,
        used wherever the device has native bf16. When no loaded model has such a mode, one
        warning says so and everything stays fp32.
        """
        loaded = {"TTS model": self.tts_model, "vocoder": self.vocoder_model, "voice conversion model": self.vc_model}
        applied = [role for role, model in loaded.items() if hasattr(model, "enable_reduced_precision")]
        names = ", ".join(f"{role} {type(m).__name__}" for role, m in loaded.items() if m is not None)
        if not applied:
            logger.warning(
                "reduced_precision has no effect here: no loaded model (%s) has a reduced-precision mode; "
                "they run in fp32.",
                names,
            )
            return []
        for role in applied:
            loaded[role].enable_reduced_precision()
            logger.info("Reduced precision on for the %s (%s).", role, type(loaded[role]).__name__)
        return applied

    # ----------------------------------------------------------------- queries

    @property
    def device(self) -> torch.device:
        """The device the models run on."""
        return self._device

    def set_device(self, device: str | torch.device) -> None:
        """Move every loaded model to ``device`` (``"auto"`` allowed) through the device policy."""
        from TTS.core.device import resolve_device

        self._device = resolve_device(device)
        for name in ("tts_model", "vocoder_model", "vc_model"):
            model = getattr(self, name)
            if model is not None:
                setattr(self, name, self._place(model))

    # -------------------------------------------------------------- synthesis

    def split_into_sentences(self, text: str, language: str | None = None) -> list[str]:
        """Split ``text`` into the sentences synthesised one by one (:func:`TTS.core.text.segment_sentences`,
        as upstream). ``language`` defaults to the first, alphabetically, of the model's languages: those it
        was trained on, else its config's ``languages``, its datasets' languages or ``phoneme_language``."""
        if language is None:
            languages = sorted(self.language_names)
            if not languages and self.tts_config is not None:
                from TTS.tts.utils.languages import LanguageManager

                languages = sorted(LanguageManager.parse_language_ids_from_config(self.tts_config))
            language = languages[0] if languages else "en"
        return segment_sentences(text, language)

    def _tts_audio_processor(self) -> Any:
        ap = getattr(self.tts_model, "ap", None)
        if ap is not None:
            return ap
        if self._tts_ap is None:
            from TTS.utils.audio import AudioProcessor

            self._tts_ap = AudioProcessor(**{**dict(self.tts_config.audio), "verbose": False})
        return self._tts_ap

    @torch.inference_mode()
    def _run_vocoder(self, mel: Any) -> np.ndarray:
        """Vocode a denormalised mel ``(C, T)`` from the TTS model; returns ``(T',)`` float32."""
        vocoder_input = np.asarray(self.vocoder_ap.normalize(_to_numpy(mel)), dtype=np.float32)
        spec = torch.from_numpy(vocoder_input)
        tts_rate = int(self.tts_config.audio["sample_rate"])
        ratio = float(self.vocoder_config.audio["sample_rate"]) / tts_rate
        if ratio != 1.0:
            logger.warning(
                "Stretching the mel by %.4f: the vocoder's sample rate (%d Hz) differs from the TTS model's (%d Hz).",
                ratio,
                int(self.vocoder_config.audio["sample_rate"]),
                tts_rate,
            )
            spec = torch.nn.functional.interpolate(
                spec[None, None],
                scale_factor=(1.0, ratio),
                mode="bilinear",
                align_corners=False,
                recompute_scale_factor=True,
            )[0]
        else:
            spec = spec[None]
        device = next(self.vocoder_model.parameters()).device
        return _to_numpy(self.vocoder_model.inference(spec.to(device))).reshape(-1)

    def _waveform_from_outputs(self, outputs: dict[str, Any]) -> np.ndarray:
        if outputs.get("wav") is not None:
            return _to_numpy(outputs["wav"]).reshape(-1)
        mel = outputs.get("mel")
        if mel is None:
            raise RuntimeError("The model returned neither 'wav' nor 'mel'.")
        mel = _to_numpy(mel)
        if self.vocoder_model is not None:
            return self._run_vocoder(mel)
        ap = self._tts_audio_processor()
        return _to_numpy(ap.inv_melspectrogram(ap.normalize(mel))).reshape(-1)

    @torch.inference_mode()
    def tts(
        self,
        text: str = "",
        speaker_name: str | None = "",
        language_name: str | None = "",
        speaker_wav: PathLike | list[PathLike] | None = None,
        style_wav: Any = None,
        style_text: str | None = None,
        reference_wav: PathLike | None = None,
        reference_speaker_name: str | None = None,
        split_sentences: bool = True,
        **kwargs: Any,
    ) -> list[float] | dict[str, Any]:
        """Synthesise ``text`` and return the waveform as a list of floats at :attr:`output_sample_rate`.

        ``reference_wav`` (alias ``source_wav``) converts that recording into the
        target voice instead, with models that support it. ``return_dict=True``
        returns ``{"wav", "text", "segments"}`` with per-sentence timings.
        Other keyword arguments go to the model's ``synthesize``.
        """
        reference_wav = kwargs.pop("source_wav", None) or reference_wav
        reference_speaker_name = kwargs.pop("source_speaker_name", None) or reference_speaker_name
        return_dict = bool(kwargs.pop("return_dict", False))
        speaker_name, language_name, voice_dir = self._checked_request(
            text, speaker_name, language_name, speaker_wav, kwargs, needs_text=not reference_wav
        )

        start = time.perf_counter()
        if reference_wav:
            outputs = self.tts_model.voice_conversion(
                reference_wav,
                speaker_wav,
                source_speaker=reference_speaker_name,
                speaker=speaker_name,
                voice_dir=voice_dir,
            )
            wav = _waveform_from_any(outputs, self)
            return {"wav": wav.tolist(), "text": "", "segments": []} if return_dict else wav.tolist()

        rate = self.output_sample_rate
        pieces: list[np.ndarray] = []
        segments: list[dict[str, Any]] = []
        now = 0.0
        for sentence, wav in self._sentence_waveforms(
            text, speaker_name, language_name, speaker_wav, style_wav, style_text, split_sentences, voice_dir, kwargs
        ):
            pieces.append(wav)
            duration = (len(wav) - PAD_SILENCE_SAMPLES) / rate
            segments.append({"id": len(segments), "start": now, "end": now + duration, "text": sentence})
            now += duration + PAD_SILENCE_SAMPLES / rate
        waveform = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
        elapsed = time.perf_counter() - start
        if len(waveform):
            logger.info("Processing time: %.3f s, real-time factor: %.3f", elapsed, elapsed / (len(waveform) / rate))
        if return_dict:
            return {"wav": waveform.tolist(), "text": text, "segments": segments}
        return waveform.tolist()

    def tts_sentences(
        self,
        text: str,
        speaker_name: str | None = "",
        language_name: str | None = "",
        speaker_wav: PathLike | list[PathLike] | None = None,
        style_wav: Any = None,
        style_text: str | None = None,
        split_sentences: bool = True,
        stream_chunk_size: int | None = None,
        **kwargs: Any,
    ) -> Iterator[tuple[str, np.ndarray]]:
        """:meth:`tts` one sentence at a time: yields ``(sentence, samples (N,))`` as each is ready.

        Each sentence is followed by the :data:`PAD_SILENCE_SAMPLES` pause that :meth:`tts` puts after
        it, so the pieces joined are :meth:`tts`'s waveform. With ``stream_chunk_size``, models that
        stream within a sentence (XTTS: ``synthesize_stream``) yield a piece every that many codes
        (cross-faded, so the joined audio differs from :meth:`tts`'s only around the joins), then the
        pause as a piece of its own. The input is checked before anything is synthesised. Used by
        ``tts-server`` to stream.
        """
        speaker_name, language_name, voice_dir = self._checked_request(
            text, speaker_name, language_name, speaker_wav, kwargs, needs_text=True
        )
        return self._sentence_waveforms(
            text, speaker_name, language_name, speaker_wav, style_wav, style_text, split_sentences, voice_dir, kwargs,
            stream_chunk_size,
        )  # fmt: skip

    def _checked_request(
        self,
        text: Any,
        speaker_name: str | None,
        language_name: str | None,
        speaker_wav: Any,
        kwargs: dict[str, Any],
        needs_text: bool,
    ) -> tuple[str | None, str | None, Path | None]:
        """The checks every synthesis request starts with; pops ``voice_dir`` from ``kwargs``.

        Returns the speaker (None for ""), the canonical language and the voice folder to use.
        """
        if self.tts_model is None:
            raise InvalidInputError(
                "No text-to-speech model is loaded (this synthesizer holds a voice conversion model)."
            )
        voice_dir = kwargs.pop("voice_dir", None)
        voice_dir = Path(voice_dir) if voice_dir is not None else self.voice_dir
        speaker_name = speaker_name or None
        if text is not None and not isinstance(text, str):
            raise InvalidInputError(f"text must be a string, got {type(text).__name__}: {text!r:.80}.")
        if needs_text and not (text or "").strip():
            raise InvalidInputError("The text is empty: give some text to synthesise.")
        self.check_speaker_and_language(speaker_name, language_name or None, speaker_wav, voice_dir)
        return speaker_name, self.canonical_language(language_name or None), voice_dir

    def _sentence_waveforms(
        self,
        text: str,
        speaker_name: str | None,
        language_name: str | None,
        speaker_wav: PathLike | list[PathLike] | None,
        style_wav: Any,
        style_text: str | None,
        split_sentences: bool,
        voice_dir: Path | None,
        kwargs: dict[str, Any],
        stream_chunk_size: int | None = None,
    ) -> Iterator[tuple[str, np.ndarray]]:
        """Check the voice and options, then yield each sentence's samples followed by the pause (a generator:
        the checks run here, before this returns, and the synthesis lazily)."""
        self._check_voice_given(speaker_name or kwargs.get("speaker_id"), speaker_wav)
        self._check_inputs(speaker_wav, style_wav, style_text, kwargs)
        used, is_xtts = self._model_options()  # options the model ignores were warned about above
        _check_option_values({key: value for key, value in kwargs.items() if key in used})
        if split_sentences and is_xtts:
            # XTTS also splits a sentence longer than its text limit (the CLI has no flag for this)
            kwargs.setdefault("enable_text_splitting", True)
        sentences = self.split_into_sentences(text, language_name) if split_sentences else [text]
        logger.info("Input: %s", sentences)
        extras: dict[str, Any] = {"voice_dir": voice_dir, "use_griffin_lim": self.vocoder_model is None}
        if style_wav is not None:
            extras["style_wav"] = style_wav
        if style_text is not None:
            extras["style_text"] = style_text
        trim = bool(self.tts_config.audio.get("do_trim_silence", False)) if self.tts_config is not None else False

        streams = stream_chunk_size is not None and hasattr(self.tts_model, "synthesize_stream")

        def generate() -> Iterator[tuple[str, np.ndarray]]:
            silence = np.zeros(PAD_SILENCE_SAMPLES, dtype=np.float32)
            for sentence in sentences:
                if streams:
                    chunks = _call_with_supported(
                        self.tts_model.synthesize_stream,
                        extras,
                        sentence,
                        speaker=speaker_name,
                        language=language_name,
                        speaker_wav=speaker_wav,
                        stream_chunk_size=stream_chunk_size,
                        **kwargs,
                    )
                    for chunk in chunks:
                        yield sentence, _to_numpy(chunk).reshape(-1)
                    yield sentence, silence
                    continue
                outputs = _call_with_supported(
                    self.tts_model.synthesize,
                    extras,
                    sentence,
                    speaker=speaker_name,
                    language=language_name,
                    speaker_wav=speaker_wav,
                    **kwargs,
                )
                wav = self._waveform_from_outputs(outputs)
                if trim:
                    wav = wav[: self._tts_audio_processor().find_endpoint(wav)]
                yield sentence, np.concatenate([wav, silence])

        return generate()

    def voice_conversion(
        self,
        source_wav: PathLike,
        target_wav: PathLike | list[PathLike] | None = None,
        *,
        speaker_id: str | None = None,
        voice_dir: PathLike | None = None,
        **kwargs: Any,
    ) -> list[float]:
        """Convert ``source_wav`` into the voice of ``target_wav`` (or the cached voice ``speaker_id``)."""
        if self.vc_model is None:
            raise InvalidInputError("No voice conversion model is loaded.")
        if target_wav is None and speaker_id is None:
            raise InvalidInputError("Give target_wav (reference recordings) or a cached speaker name.")
        if getattr(self.vc_model, "needs_vocoder", False) and self.vocoder_model is None:
            raise InvalidInputError(
                f"{type(self.vc_model).__name__} makes features for a vocoder, not audio: load it by name "
                "(its default vocoder comes with it) or pass vocoder_checkpoint/vocoder_config "
                "(kNN-VC: vocoder_models/en/librispeech100/wavlm-hifigan_prematched)."
            )
        if target_wav is not None and not isinstance(target_wav, list):
            target_wav = [target_wav]
        voice_dir = Path(voice_dir) if voice_dir is not None else self.voice_dir
        with torch.inference_mode():
            output = _call_with_supported(
                self.vc_model.voice_conversion,
                {"speaker_id": speaker_id, "voice_dir": voice_dir},
                source_wav,
                target_wav,
                **kwargs,
            )
            if self.vocoder_model is not None:
                output = self.vocoder_model.inference(output)
        return _to_numpy(output).reshape(-1).tolist()

    def save_wav(self, wav: list[float] | np.ndarray | torch.Tensor, path: PathLike, pipe_out: Any = None) -> None:
        """Write ``wav`` as 16-bit PCM at :attr:`output_sample_rate`; also to ``pipe_out`` (e.g. ``sys.stdout``)."""
        from TTS.core.audio.io import save_wav

        save_wav(_to_numpy(wav).reshape(-1), path, self.output_sample_rate, pipe_out=pipe_out)


def _waveform_from_any(outputs: Any, synthesizer: Synthesizer) -> np.ndarray:
    """A waveform from a model output that is a dict (``wav``/``mel``), a tensor or an array."""
    if isinstance(outputs, dict):
        return synthesizer._waveform_from_outputs(outputs)
    if isinstance(outputs, list | tuple) and outputs and not np.isscalar(outputs[0]):
        outputs = outputs[0]
    return _to_numpy(outputs).reshape(-1)
