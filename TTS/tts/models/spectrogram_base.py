"""What the non-autoregressive spectrogram models (Glow-TTS, ForwardTTS, OverFlow, Neural-HMM) share.

Text front-end, audio processor, speakers, the safe checkpoint load and the
``synthesize`` contract (``{"mel": (C, T)}`` denormalised for a vocoder). Each model
class adds its layers and an upstream-compatible ``inference(x, aux_input)`` that
returns ``model_outputs`` (B, T, C) normalised as the model was trained.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from TTS.config import get_from_config_or_model_args
from TTS.core.errors import InvalidInputError
from TTS.tts.utils.speakers import SpeakerManager

__all__ = ["SpectrogramTTS"]

logger = logging.getLogger(__name__)

PathLike = str | os.PathLike[Any]


class SpectrogramTTS(nn.Module):
    """Base of the mel-output TTS models. Subclasses build layers in ``__init__`` after ``super().__init__``."""

    #: checkpoint key prefixes that inference does not use (training-only parts).
    IGNORED_KEY_PREFIXES: ClassVar[tuple[str, ...]] = ()

    def __init__(self, config: Any) -> None:
        super().__init__()
        self.config = config
        self.tokenizer = self._build_tokenizer()
        self.speaker_manager = SpeakerManager.init_from_config(config)
        self._ap: Any = None

    # -- construction -----------------------------------------------------------------
    @classmethod
    def init_from_config(cls, config: Any, samples: Any = None, verbose: bool = True) -> SpectrogramTTS:
        """Build the model (tokenizer, speaker table) from a config."""
        return cls(config)

    def _build_tokenizer(self) -> Any:
        """The config's text front-end; ``num_chars`` follows its vocabulary, as upstream does."""
        from TTS.tts.utils.text.tokenizer import TTSTokenizer

        tokenizer, self.config = TTSTokenizer.init_from_config(self.config)
        num_chars = tokenizer.characters.num_chars
        self.config.num_chars = num_chars
        args = self.config.get("model_args")
        if args is not None and "num_chars" in args:
            args.num_chars = num_chars
        return tokenizer

    @property
    def ap(self) -> Any:
        """The model's :class:`~TTS.utils.audio.AudioProcessor` (built on first use)."""
        if self._ap is None:
            from TTS.utils.audio import AudioProcessor

            self._ap = AudioProcessor.init_from_config(self.config, verbose=False)
        return self._ap

    @ap.setter
    def ap(self, value: Any) -> None:
        self._ap = value

    def _config_value(self, name: str, default: Any = None) -> Any:
        return get_from_config_or_model_args(self.config, name, default)

    # -- queries ----------------------------------------------------------------------
    @property
    def device(self) -> torch.device:
        return next(self.parameters()).device

    @property
    def num_speakers(self) -> int:
        if self.speaker_manager is not None:
            return self.speaker_manager.num_speakers
        return int(self.config.get("num_speakers", 1) or 1)

    @property
    def speaker_names(self) -> list[str]:
        manager = self.speaker_manager
        if manager is None:
            return []
        if self._config_value("use_d_vector_file") and manager.embeddings:
            return manager.embedding_names
        return manager.speaker_names

    @property
    def language_names(self) -> list[str]:
        return []

    @property
    def output_sample_rate(self) -> int:
        return int(self.config.audio["sample_rate"])

    # -- conditioning -----------------------------------------------------------------
    def _speaker_conditioning(self, aux_input: dict[str, Any], normalize: bool) -> torch.Tensor | None:
        """(B, C, 1) from ``speaker_ids`` (rows of ``emb_g``) or ``d_vectors`` (B, D); L2-normalised if asked."""
        sid, d_vectors = aux_input.get("speaker_ids"), aux_input.get("d_vectors")
        if sid is not None and d_vectors is not None:
            raise InvalidInputError("Pass either speaker_ids or d_vectors, not both.")
        g = None
        if d_vectors is not None:
            g = d_vectors.reshape(d_vectors.shape[0], -1)
        elif sid is not None and self._config_value("use_speaker_embedding") and hasattr(self, "emb_g"):
            g = self.emb_g(sid.reshape(-1))
        if g is None:
            return None
        return (F.normalize(g) if normalize else g).unsqueeze(-1)

    def text_to_ids(self, text: str, language: str | None = None) -> list[int]:
        """Token ids of ``text`` through the model's tokenizer."""
        if text is None or not str(text).strip():
            raise InvalidInputError("The text is empty: pass some text to synthesise.")
        return self.tokenizer.text_to_ids(text, language=language)

    # -- synthesis --------------------------------------------------------------------
    def inference(self, x: torch.Tensor, aux_input: dict[str, Any] | None = None) -> dict[str, Any]:
        raise NotImplementedError

    @torch.inference_mode()
    def synthesize(
        self,
        text: str,
        config: Any = None,
        *,
        speaker: str | int | None = None,
        language: str | None = None,
        speaker_wav: PathLike | list[PathLike] | None = None,
        use_griffin_lim: bool = False,
        do_trim_silence: bool = False,
        extra_aux_input: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Text to mel: ``{"mel": float32 (C, T) denormalised, "wav", "alignments", "text_inputs", "outputs"}``.

        ``wav`` is a Griffin-Lim waveform when ``use_griffin_lim`` is set, else None (the
        synthesizer vocodes ``mel``). ``speaker`` is a name or id on multi-speaker models.
        """
        if (speaker_id := kwargs.pop("speaker_id", None)) is not None and speaker is None:
            speaker = speaker_id
        from TTS.tts.utils.voices import resolve_speaker

        ids = self.text_to_ids(text, language=language)
        sid, d_vector = resolve_speaker(
            self.speaker_manager,
            use_speaker_embedding=bool(self._config_value("use_speaker_embedding")),
            use_d_vector_file=bool(self._config_value("use_d_vector_file")),
            speaker=speaker,
            speaker_wav=speaker_wav,
            device=self.device,
        )
        x = torch.as_tensor(ids, dtype=torch.long, device=self.device)[None]
        aux: dict[str, Any] = {
            "x_lengths": torch.tensor([x.shape[1]], device=self.device),
            "speaker_ids": sid,
            "d_vectors": d_vector,
            **(extra_aux_input or {}),
        }
        outputs = self.inference(x, aux_input=aux)
        normalized = outputs["model_outputs"][0].float().cpu().numpy().T  # (C, T)
        mel = np.asarray(self.ap.denormalize(normalized), dtype=np.float32)
        wav = None
        if use_griffin_lim:
            wav = np.asarray(self.ap.inv_melspectrogram(normalized), dtype=np.float32)
            if do_trim_silence:
                wav = wav[: self.ap.find_endpoint(wav)]
        return {"mel": mel, "wav": wav, "alignments": outputs.get("alignments"), "text_inputs": x, "outputs": outputs}

    # -- checkpoints ------------------------------------------------------------------
    def _prepare_state_dict(self, state_dict: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        """Released key layout -> this module's keys (weight norm folded). Subclasses may extend."""
        from TTS.core.checkpoint import fold_weight_norm

        return fold_weight_norm(state_dict)

    def _after_load(self) -> None:
        """Hook run after the weights are in (e.g. cache inverses)."""

    def load_checkpoint(
        self,
        config: Any,
        checkpoint_path: PathLike,
        eval: bool = True,
        strict: bool = True,
        cache: bool = False,
        **kwargs: Any,
    ) -> None:
        """Load a released ``model.pth`` (``{"model": state_dict, ...}``) through the safe loader."""
        from TTS.core.checkpoint import load_checkpoint_file, load_weights

        state = load_checkpoint_file(Path(checkpoint_path))
        state_dict = self._prepare_state_dict(dict(state.get("model", state)))
        load_weights(self, state_dict, strict=strict, ignore_prefixes=self.IGNORED_KEY_PREFIXES)
        self._after_load()
        if eval:
            self.eval()
