"""kNN-VC voice conversion (``voice_conversion_models/multilingual/multi-dataset/knnvc``).

Each 20 ms frame of the source recording, as WavLM sees it (the output of transformer layer
``wavlm_layer``), is replaced by the mean of its ``topk`` nearest frames (cosine distance) among
the frames of the target recordings, the *matching set*. A vocoder trained on WavLM features
(``vocoder_models/en/librispeech100/wavlm-hifigan_prematched``, loaded with the model by
``TTS(...)``, the ``Synthesizer`` and ``tts``) turns the converted frames into 16 kHz audio, so
:meth:`KNNVC.voice_conversion` returns features, not samples.

The model has no weights of its own. WavLM-Large is fetched once into
``<user data dir>/tts/wavlm/WavLM-Large.pt`` (:func:`TTS.vc.layers.freevc.wavlm.get_wavlm`), the
same file upstream uses, and loaded when the model is built.

Target recordings are trimmed of leading and trailing silence (:mod:`TTS.core.audio.vad`, trigger
level 7) before matching; the source is not.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from TTS.core.errors import InvalidInputError
from TTS.core.precision import bf16_autocast, native_bf16
from TTS.vc.configs.knnvc_config import KNNVCConfig
from TTS.vc.layers.freevc.wavlm import get_wavlm

__all__ = ["KNNVC"]

logger = logging.getLogger(__name__)

PathLike = str | os.PathLike[Any]
AudioInput = PathLike | np.ndarray | torch.Tensor | list[float]

HOP_LENGTH = 320  # WavLM frames: 20 ms at 16 kHz (the feature extractor's total stride)
MIN_SAMPLES = 400  # WavLM's convolutional front end needs 25 ms for its first frame
TARGET_VAD_TRIGGER_LEVEL = 7.0
SILENT_PEAK = 1e-4  # a recording whose loudest sample is below this holds no voice to match


class KNNVC(nn.Module):
    """kNN-VC. ``KNNVC.init_from_config(config)``, ``load_checkpoint``, ``voice_conversion`` -> features.

    ``wavlm`` may be given (any module with WavLM's ``extract_features``); otherwise WavLM-Large is
    loaded (and downloaded once) when the model is built, as upstream does.
    """

    needs_vocoder = True  # the output is WavLM features (1, frames, ssl_dim) for a vocoder
    hop_length = HOP_LENGTH
    _wavlm_bf16 = False  # enable_reduced_precision()

    def __init__(self, config: KNNVCConfig, wavlm: nn.Module | None = None) -> None:
        super().__init__()
        self.config = config
        self.args = config.model_args
        self.ssl_dim = int(self.args.ssl_dim)
        if wavlm is None:
            wavlm = get_wavlm()  # fetched once into the user data folder, as upstream does
        self.wavlm = wavlm

    @staticmethod
    def init_from_config(config: KNNVCConfig, **kwargs: Any) -> KNNVC:
        return KNNVC(config, wavlm=kwargs.get("wavlm"))

    @property
    def device(self) -> torch.device:
        return next(self.wavlm.parameters(), torch.zeros(0)).device

    @property
    def output_sample_rate(self) -> int:
        return int(self.config.audio.sample_rate)

    def load_checkpoint(
        self,
        config: KNNVCConfig,
        checkpoint_path: PathLike | None = None,
        *,
        eval: bool = False,
        strict: bool = True,
        cache: bool = False,
        checkpoint_dir: PathLike | None = None,
    ) -> None:
        """kNN-VC has no checkpoint of its own (WavLM-Large was loaded when the model was built)."""
        self.config = config
        if eval:
            self.eval()

    # ------------------------------------------------------------------ features
    def _load(self, audio: AudioInput, role: str) -> torch.Tensor:
        """A path (mixed to mono, resampled to 16 kHz) or samples at 16 kHz -> (1, T) float32 on the model's device.

        Samples may be (T,) or a few channels (C, T) / (T, C), which are averaged (``mono_samples``).
        """
        from TTS.core.audio.io import load_samples

        wav = load_samples(audio, int(self.config.audio.sample_rate), f"{role} audio")
        return wav.unsqueeze(0).to(self.device)

    @torch.inference_mode()
    def get_features(self, audio: AudioInput, vad_trigger_level: float = 0, role: str = "source") -> torch.Tensor:
        """WavLM layer ``config.wavlm_layer`` features of a recording: (frames, ssl_dim).

        With ``vad_trigger_level`` above 0.001 leading and trailing silence is trimmed first.
        """
        wav = self._load(audio, role)
        if vad_trigger_level > 1e-3:
            wav = self._trim_silence(wav, float(vad_trigger_level), role, audio)
        if wav.shape[-1] < MIN_SAMPLES:
            what = " after trimming its silence" if vad_trigger_level > 1e-3 else ""
            raise InvalidInputError(
                f"The {role} recording{_name(audio)} is too short{what}: {wav.shape[-1]} samples at "
                f"{self.config.audio.sample_rate} Hz, kNN-VC needs at least {MIN_SAMPLES} (0.025 s) of speech."
            )
        with bf16_autocast(self.device, enabled=self._wavlm_bf16):
            features = self.wavlm.extract_features(
                wav, output_layer=int(self.config.wavlm_layer), ret_layer_results=False
            )
        return features[0].squeeze(0).float()

    def enable_reduced_precision(self) -> bool:
        """Opt-in fast mode: WavLM's matrix products and convolutions in bf16 where the device has it
        natively (about 1.45x for WavLM-Large on an AVX-512 BF16 CPU; features within about 1% relative
        L2 of fp32). Returns whether bf16 applies on the current device; elsewhere it stays fp32.
        The vocoder has its own mode (the synthesizer's ``reduced_precision`` switches both)."""
        self._wavlm_bf16 = True
        on = native_bf16(self.device)
        if not on:
            logger.info("kNN-VC reduced precision: no native bf16 on %s, WavLM stays fp32.", self.device)
        return on

    def _trim_silence(self, wav: torch.Tensor, level: float, role: str, audio: AudioInput) -> torch.Tensor:
        """Leading and trailing silence of ``wav`` (1, T) cut off (:func:`TTS.core.audio.vad.trim_silence_both_ends`).

        Speech that runs to the last sample (the backwards pass never triggers) is kept to the end, with
        a warning; a recording where the detector never triggers at all is refused. The reference
        implementation fails on both.
        """
        from TTS.core.audio.vad import NoVoiceActivityError, trim_silence_both_ends

        if float(wav.abs().max()) < SILENT_PEAK:
            raise InvalidInputError(f"The {role} recording{_name(audio)} is silent: record the target voice speaking.")
        rate = int(self.config.audio.sample_rate)
        try:
            return trim_silence_both_ends(
                wav, rate, level, keep_untrimmed_end=True, what=f"{role} recording{_name(audio)}"
            )
        except NoVoiceActivityError as err:
            raise InvalidInputError(
                f"No speech found in the {role} recording{_name(audio)} (silence detector, trigger level {level:g}): "
                "it is noise only, or the speech starts at its very first sample. Give a recording that starts "
                "with a moment of silence."
            ) from err

    def get_matching_set(
        self, wavs: Sequence[AudioInput], vad_trigger_level: float = TARGET_VAD_TRIGGER_LEVEL
    ) -> torch.Tensor:
        """The target recordings' features, silence-trimmed and concatenated: (frames, ssl_dim) on the CPU."""
        if not wavs:
            raise InvalidInputError("Give at least one target recording (target_wav).")
        feats = [self.get_features(w, vad_trigger_level=vad_trigger_level, role="target") for w in wavs]
        return torch.cat(feats, dim=0).cpu()

    # ------------------------------------------------------------------ matching
    @staticmethod
    def fast_cosine_dist(source_feats: torch.Tensor, matching_pool: torch.Tensor) -> torch.Tensor:
        """Cosine distances (N1, N2) between rows of ``source_feats`` (N1, D) and ``matching_pool`` (N2, D).

        The dot products come from the Euclidean distances (``|a|^2 + |b|^2 - |a - b|^2 = 2 a.b``): the
        reference implementation's arithmetic, so that near ties between frames resolve the same way.
        """
        norm_a = torch.linalg.vector_norm(source_feats, ord=2, dim=-1)
        norm_b = torch.linalg.vector_norm(matching_pool, ord=2, dim=-1)
        squared = torch.cdist(source_feats[None], matching_pool[None], p=2)[0] ** 2
        dot = (-squared + norm_a[:, None] ** 2 + norm_b[None] ** 2) / 2
        return 1 - dot / (norm_a[:, None] * norm_b[None])

    @torch.inference_mode()
    def match(
        self,
        query_seq: torch.Tensor,
        matching_set: torch.Tensor,
        synth_set: torch.Tensor | None = None,
        topk: int | None = None,
        target_duration: float | None = None,
    ) -> torch.Tensor:
        """kNN regression: each row of ``query_seq`` (N1, D) becomes the mean of the ``synth_set`` rows
        (N2, D; by default ``matching_set``) at its ``topk`` nearest ``matching_set`` rows.

        ``target_duration`` (seconds) first stretches the query linearly to that many frames.
        Returns (1, N1', D).
        """
        k = self.config.topk if topk is None else topk
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise InvalidInputError(f"topk must be a whole number of at least 1, got {k!r}.")
        matching_set = matching_set.to(self.device)
        synth_set = matching_set if synth_set is None else synth_set.to(self.device)
        if synth_set.shape[0] != matching_set.shape[0]:
            raise InvalidInputError(
                f"synth_set has {synth_set.shape[0]} frames but matching_set {matching_set.shape[0]}: they must pair up."
            )
        if matching_set.shape[0] < k:
            raise InvalidInputError(
                f"The target recordings give {matching_set.shape[0]} WavLM frames, fewer than topk={k}: "
                "give longer target recordings or a smaller topk."
            )
        query_seq = query_seq.to(self.device)
        if target_duration is not None:
            if not target_duration > 0:
                raise InvalidInputError(
                    f"target_duration must be a positive number of seconds, got {target_duration!r}."
                )
            frames = target_duration * int(self.config.audio.sample_rate) / self.hop_length
            if int(frames) < 1:
                raise InvalidInputError(
                    f"target_duration={target_duration} s is shorter than one frame ({self.hop_length} samples)."
                )
            query_seq = F.interpolate(query_seq.T[None], scale_factor=frames / query_seq.shape[0], mode="linear")[0].T
        nearest = self.fast_cosine_dist(query_seq, matching_set).topk(k=k, largest=False, dim=-1).indices
        return synth_set[nearest].mean(dim=1).unsqueeze(0)

    # ------------------------------------------------------------------ voices
    def clone_voice(
        self,
        speaker_wav: AudioInput | Sequence[AudioInput] | None,
        speaker_id: str | None = None,
        voice_dir: PathLike | None = None,
    ) -> dict[str, torch.Tensor]:
        """The target voice ``{"matching_set": (frames, ssl_dim)}`` from recordings, stored as
        ``<voice_dir>/<speaker_id>.pth`` when both are given; or, without recordings, the stored voice."""
        from TTS.utils.voices import load_stored_voice, store_named_voice, target_list

        targets = target_list(speaker_wav)
        if not targets:
            path, stored = load_stored_voice(voice_dir, speaker_id, "kNN-VC")
            matching_set = stored.get("matching_set")
            if (
                not isinstance(matching_set, torch.Tensor)
                or matching_set.dim() != 2
                or not torch.isfinite(matching_set).all()
            ):
                raise InvalidInputError(
                    f"{path} is not a kNN-VC voice (no (frames, features) matching_set); it was stored by another "
                    "model. Clone the voice again with target_wav."
                )
            return {"matching_set": matching_set.float()}
        matching_set = self.get_matching_set(targets)
        model_info = {"name": "wavlm", "layer": int(self.config.wavlm_layer)}
        store_named_voice(voice_dir, speaker_id, targets, {"matching_set": matching_set}, model_info)
        return {"matching_set": matching_set}

    @torch.inference_mode()
    def voice_conversion(
        self,
        source: AudioInput,
        target: AudioInput | Sequence[AudioInput] | None = None,
        *,
        speaker_id: str | None = None,
        voice_dir: PathLike | None = None,
        topk: int | None = None,
    ) -> torch.Tensor:
        """``source`` in the voice of the ``target`` recording(s) (or a stored voice): WavLM features
        (1, frames, ssl_dim) for the vocoder."""
        source_features = self.get_features(source)
        matching_set = self.clone_voice(target, speaker_id, voice_dir)["matching_set"]
        if matching_set.shape[1] != source_features.shape[1]:
            raise InvalidInputError(
                f"The target voice has {matching_set.shape[1]}-wide features but this WavLM makes "
                f"{source_features.shape[1]}: it was stored with another model. Clone the voice again with target_wav."
            )
        return self.match(source_features, matching_set, topk=topk)

    def forward(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError("kNN-VC has no forward pass to train: use voice_conversion().")

    def inference(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError("kNN-VC converts with voice_conversion(source, target).")


def _name(audio: AudioInput) -> str:
    return f" {audio}" if isinstance(audio, (str, os.PathLike)) else ""
