"""What a loaded model accepts: speakers, languages, cloning, styles and keyword options.

:class:`SynthesisInputChecks` is mixed into :class:`TTS.utils.synthesizer.Synthesizer`; it reads
``self.tts_model``, ``self.tts_config``, ``self.voice_dir`` and ``self._warned``. Unknown
speakers and languages are errors that list the valid ones; inputs a model would ignore
warn once (:class:`IgnoredInputWarning`).
"""

from __future__ import annotations

import difflib
import inspect
import warnings
from pathlib import Path
from typing import Any

import torch

from TTS.core.errors import InvalidInputError

__all__ = ["IgnoredInputWarning", "SynthesisInputChecks"]


class IgnoredInputWarning(UserWarning):
    """An input (argument, reference audio, style) that the loaded model does not use."""


# Keyword arguments the pipeline itself hands to a model's ``synthesize`` (models drop what they do not use).
_PIPELINE_KWARGS = frozenset({"voice_dir", "use_griffin_lim", "style_wav", "style_text"})
# Options models read from ``**kwargs`` although their signatures do not name them.
_MODEL_KWARGS = frozenset({"speaker_id", "language_id", "extra_aux_input", "d_vector", "do_trim_silence"})
# Voice settings ``Xtts.synthesize`` reads from ``**kwargs``.
_XTTS_VOICE_KWARGS = ("gpt_cond_len", "gpt_cond_chunk_len", "sound_norm_refs", "max_ref_len")


def _caller_stacklevel() -> int:
    """``stacklevel`` for ``warnings.warn`` called by our caller: the first frame outside TTS and torch."""
    import sys

    inside = (str(Path(__file__).parents[1]), str(Path(torch.__file__).parent))
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_code.co_filename.startswith(inside):
        frame, level = frame.f_back, level + 1
    return level


def _suggest(name: str, choices: list[str]) -> str:
    """`` Did you mean ...?`` for the choices closest to ``name`` (case-insensitive), or ``""``."""
    folded = {choice.lower(): choice for choice in choices}
    if name.lower() in folded:
        return f" Did you mean {folded[name.lower()]!r}?"
    close = difflib.get_close_matches(name.lower(), list(folded), n=3, cutoff=0.6)
    return f" Did you mean {' or '.join(repr(folded[c]) for c in close)}?" if close else ""


def _keyword_parameters(fn: Any) -> list[str]:
    """Names ``fn`` accepts as keyword arguments (not ``*args``/``**kwargs``)."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return []
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    return [p.name for p in params if p.kind in kinds]


class SynthesisInputChecks:
    """Input checks shared by the synthesis entry points (see the module docstring)."""

    @property
    def speaker_names(self) -> list[str]:
        """Speakers the TTS model knows (empty for single-speaker models)."""
        return list(getattr(self.tts_model, "speaker_names", None) or [])

    @property
    def language_names(self) -> list[str]:
        """Languages the TTS model knows (empty for monolingual models)."""
        return list(getattr(self.tts_model, "language_names", None) or [])

    def _cached_voices(self, voice_dir: Path | None) -> list[str]:
        if voice_dir is None or not Path(voice_dir).is_dir():
            return []
        return sorted(p.stem for p in Path(voice_dir).iterdir() if p.is_file())

    @property
    def supports_cloning(self) -> bool:
        """Whether the TTS model can take the voice of reference audio (``speaker_wav``)."""
        try:
            if self.tts_config is not None and self.tts_config.supports_cloning:
                return True
        except (AttributeError, KeyError, TypeError):
            pass
        manager = getattr(self.tts_model, "speaker_manager", None)
        return getattr(manager, "encoder", None) is not None

    def canonical_language(self, language_name: str | None) -> str | None:
        """The model's own spelling of ``language_name`` ("EN" -> "en", "zh" -> "zh-cn"), else it unchanged."""
        languages = self.language_names
        if not language_name or not languages or language_name in languages:
            return language_name
        folded = {name.lower(): name for name in languages}
        key = language_name.strip().lower().replace("_", "-")
        if key == "zh" and "zh-cn" in folded:  # XTTS takes "zh" for "zh-cn"
            key = "zh-cn"
        return folded.get(key, language_name)

    def check_speaker_and_language(
        self,
        speaker_name: str | None,
        language_name: str | None,
        speaker_wav: Any = None,
        voice_dir: Path | None = None,
    ) -> None:
        """Raise :class:`InvalidInputError` naming the valid choices for an unknown speaker or language."""
        speakers = self.speaker_names
        if speaker_name and speaker_wav is None:
            known = speakers + self._cached_voices(voice_dir if voice_dir is not None else self.voice_dir)
            if not known and self.supports_cloning:
                raise InvalidInputError(
                    f"This model has no built-in speaker {speaker_name!r}: its speakers file (speakers_xtts.pth for "
                    "XTTS) is missing or empty. Pass speaker_wav=<reference audio> to clone a voice, or put the "
                    "released speakers file next to the checkpoint."
                )
            if not known:
                raise InvalidInputError(
                    f"This model has a single speaker; speaker {speaker_name!r} cannot be chosen: remove speaker=."
                )
            if speaker_name not in known:
                listing = ", ".join(known[:60]) + (f" ... ({len(known)} in all)" if len(known) > 60 else "")
                raise InvalidInputError(
                    f"Unknown speaker '{speaker_name}'.{_suggest(speaker_name, known)} Valid speakers: {listing}."
                )
        languages = self.language_names
        language = self.canonical_language(language_name)
        if language and languages and language not in languages:
            base = language.lower().replace("_", "-").split("-")[0]
            close = [name for name in languages if name.lower().split("-")[0] == base]
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise InvalidInputError(
                f"Unknown language {language_name!r}. Valid languages: {', '.join(languages)}.{hint}"
            )

    def _check_voice_given(self, speaker_name: str | None, speaker_wav: Any) -> None:
        """A multi-speaker model needs a speaker (or reference audio when it clones)."""
        speakers = self.speaker_names
        if speaker_name or speaker_wav or len(speakers) <= 1:
            return
        listing = ", ".join(speakers[:50]) + (" ..." if len(speakers) > 50 else "")
        clone = " (or speaker_wav=<reference audio> to clone a voice)" if self.supports_cloning else ""
        raise InvalidInputError(f"This model has several speakers: pass speaker=<name>{clone}, one of: {listing}.")

    def _warn_once(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
            warnings.warn(message, IgnoredInputWarning, stacklevel=_caller_stacklevel())

    def _uses_style(self) -> tuple[bool, bool]:
        """(takes a GST style, takes a Capacitron prosody reference)."""
        model, config = self.tts_model, self.tts_config
        gst = getattr(model, "use_gst", None)
        capacitron = getattr(model, "use_capacitron_vae", None)
        if gst is None:
            gst = bool(config is not None and config.get("use_gst") and config.get("gst"))
        if capacitron is None:
            capacitron = bool(config is not None and config.get("use_capacitron_vae") and config.get("capacitron_vae"))
        return bool(gst), bool(capacitron)

    def _model_options(self) -> tuple[set[str], bool]:
        """(keyword options the TTS model reads, whether others are errors rather than ignored).

        XTTS hands its options to ``inference`` and would silently drop misspelt ones there,
        so for XTTS an unknown option is an error.
        """
        model = self.tts_model
        taken = {"self", "text", "config", "speaker", "language", "speaker_wav"}
        options = set(_keyword_parameters(model.synthesize)) - taken
        options |= _MODEL_KWARGS
        is_xtts = self.tts_config is not None and str(self.tts_config.get("model", "")).lower() == "xtts"
        if is_xtts and hasattr(model, "inference"):
            skip = {"gpt_cond_latent", "speaker_embedding"}
            options |= (set(_keyword_parameters(model.inference)) - taken - skip) | set(_XTTS_VOICE_KWARGS)
        return options, is_xtts

    def _check_inputs(self, speaker_wav: Any, style_wav: Any, style_text: Any, kwargs: dict[str, Any]) -> None:
        """Warn (once each) about inputs the model would ignore; XTTS rejects unknown options."""
        options, strict = self._model_options()
        unknown = sorted(k for k in kwargs if k not in options and k not in _PIPELINE_KWARGS)
        valid = ", ".join(sorted(options - _MODEL_KWARGS)) or "none"
        if unknown and strict:
            raise InvalidInputError(
                f"Unknown XTTS option{'s' if len(unknown) > 1 else ''} {', '.join(f'{k}=' for k in unknown)}. "
                f"Valid options: {valid}."
            )
        model_name = str(self.tts_config.get("model", "")) if self.tts_config is not None else "this"
        for key in unknown:
            self._warn_once(f"Ignoring {key}=: the {model_name} model does not use it (its options: {valid}).")
        if speaker_wav and not self.supports_cloning:
            self._warn_once(
                "Ignoring speaker_wav=: this model cannot clone a voice (it has no speaker encoder)"
                + ("; choose one of its speakers with speaker=." if len(self.speaker_names) > 1 else ".")
            )
        gst, capacitron = self._uses_style()
        if style_wav is not None and not (gst or capacitron):
            self._warn_once("Ignoring style_wav=: this model has no GST or Capacitron style encoder.")
        if style_text is not None and not capacitron:
            self._warn_once("Ignoring style_text=: only Capacitron models use a style transcript.")
