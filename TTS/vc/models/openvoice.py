"""OpenVoice tone-colour converter (``voice_conversion_models/multilingual/multi-dataset/openvoice_v1|v2``).

Conversion keeps what is said and how (content, rhythm, intonation) and swaps the
timbre: the source's linear spectrogram goes through the VITS posterior encoder to a
latent, forward through the flow conditioned on the *source* voice embedding into a
voice-independent space, back through the flow conditioned on the *target* embedding,
and into the HiFi-GAN decoder. The embeddings come from :class:`ReferenceEncoder` on
each recording's spectrogram (several target recordings are averaged). With ``zero_g``
(the released converters) the posterior encoder and the decoder see a zero embedding.

The posterior encoder, flow and HiFi-GAN are the shared VITS / core blocks. Released
checkpoint keys (``enc_q``, ``flow.flows.{0,2,4,6}``, ``dec`` with ``dec.cond``,
``ref_enc``; legacy weight norm) are mapped at load.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from TTS.core.errors import InvalidInputError, ModelNotFoundError
from TTS.core.layers.hifigan import HifiganGenerator
from TTS.tts.layers.vits.flows import ResidualCouplingBlocks
from TTS.tts.layers.vits.posterior import PosteriorEncoder, flow_forward, linear_spectrogram
from TTS.vc.configs.openvoice_config import OpenVoiceConfig
from TTS.vc.layers.reference_encoder import ReferenceEncoder

__all__ = ["OpenVoice"]

logger = logging.getLogger(__name__)

PathLike = str | os.PathLike[Any]
AudioInput = PathLike | np.ndarray | torch.Tensor | list[float]


def _released_keys(state_dict: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Released key names -> ours, when ``state_dict`` uses them (our own state dicts pass unchanged).

    The released flow keeps its channel flips as list entries, so its coupling layers sit at
    ``flow.flows.0, 2, 4, 6``; ours are ``0 .. 3``. The decoder's ``dec.cond`` is our ``cond_layer``.
    """
    released = any(re.match(r"flow\.flows\.[4-7]\.", k) or k.startswith("dec.cond.") for k in state_dict)
    if not released:
        return dict(state_dict)
    out = {}
    for key, value in state_dict.items():
        match = re.match(r"flow\.flows\.(\d+)\.", key)
        if match:
            key = f"flow.flows.{int(match.group(1)) // 2}." + key[match.end() :]
        elif key.startswith("dec.cond."):
            key = "dec.cond_layer." + key[len("dec.cond.") :]
        out[key] = value
    return out


class OpenVoice(nn.Module):
    """OpenVoice converter. ``OpenVoice.init_from_config(config)``, ``load_checkpoint``, ``voice_conversion``."""

    def __init__(self, config: OpenVoiceConfig) -> None:
        super().__init__()
        self.config = config
        self.args = args = config.model_args
        self.spec_channels = int(config.audio.fft_size) // 2 + 1
        gin = int(args.gin_channels)
        self.enc_q = PosteriorEncoder(
            self.spec_channels, args.inter_channels, args.hidden_channels, 5, 1, 16, cond_channels=gin
        )
        self.flow = ResidualCouplingBlocks(
            args.inter_channels, args.hidden_channels, 5, 1, 4, num_flows=4, cond_channels=gin
        )
        self.dec = HifiganGenerator(
            args.inter_channels,
            1,
            args.resblock,
            args.resblock_dilation_sizes,
            args.resblock_kernel_sizes,
            args.upsample_kernel_sizes,
            args.upsample_initial_channel,
            args.upsample_rates,
            inference_padding=0,
            cond_channels=gin,
            conv_pre_weight_norm=False,
            conv_post_weight_norm=False,
            conv_post_bias=False,
        )
        self.ref_enc = ReferenceEncoder(self.spec_channels, gin)

    @staticmethod
    def init_from_config(config: OpenVoiceConfig, **kwargs: Any) -> OpenVoice:
        return OpenVoice(config)

    @property
    def device(self) -> torch.device:
        return self.dec.conv_pre.weight.device

    @property
    def output_sample_rate(self) -> int:
        return int(self.config.audio.output_sample_rate)

    # ------------------------------------------------------------------ loading
    def load_checkpoint(
        self,
        config: OpenVoiceConfig,
        checkpoint_path: PathLike | None = None,
        *,
        checkpoint_dir: PathLike | None = None,
        eval: bool = True,
        strict: bool = True,
        **kwargs: Any,
    ) -> None:
        """Load a released converter: ``checkpoint.pth`` with OpenVoice's ``config.json`` beside it.

        The audio settings of that ``config.json`` (``data``) are applied; they must fit the
        spectrogram size the model was built with. Files are only read.
        """
        from TTS.config import load_config
        from TTS.core.checkpoint import fold_weight_norm, load_checkpoint_file, load_weights

        path = _checkpoint_file(checkpoint_path, checkpoint_dir)
        beside = path.parent / "config.json"
        if beside.is_file():
            original = load_config(beside)  # OpenVoice's own format is read there (ConfigFormatError if damaged)
            if isinstance(original, OpenVoiceConfig):
                self._apply_original(original, beside)
        state = load_checkpoint_file(path)
        state = state.get("model", state) if isinstance(state, Mapping) else state
        state_dict = _released_keys(fold_weight_norm(state))
        load_weights(self, state_dict, strict=strict)
        if eval:
            self.eval()

    def _apply_original(self, original: OpenVoiceConfig, source: Path) -> None:
        """The audio settings and ``zero_g`` of the converter's own config (sizes must fit the built model)."""
        if int(original.audio.fft_size) // 2 + 1 != self.spec_channels:
            raise InvalidInputError(
                f"{source} sets filter_length {original.audio.fft_size}, but this model was built for "
                f"{self.config.audio.fft_size}: build it from that file (OpenVoiceConfig.from_original)."
            )
        self.config.audio = original.audio
        self.args.zero_g = original.model_args.zero_g

    # ------------------------------------------------------------------ inference
    def load_audio(self, wav: AudioInput) -> torch.Tensor:
        """A file path (mixed to mono, resampled to the model's input rate) or samples -> (1, T) float32.

        Samples may be (T,), (1, T), (T, 1), or a few channels as (C, T) or (T, C), which are averaged.
        """
        from TTS.core.audio.io import load_samples

        out = load_samples(wav, int(self.config.audio.input_sample_rate))
        return out.to(self.device, torch.float32).unsqueeze(0)

    def extract_se(self, audio: AudioInput, role: str = "source") -> tuple[torch.Tensor, torch.Tensor]:
        """A recording's tone-colour embedding (1, gin, 1) and its linear spectrogram (1, n_bins, frames)."""
        wav = self.load_audio(audio)
        a = self.config.audio
        n_fft, hop, win = int(a.fft_size), int(a.hop_length), int(a.win_length)
        shortest = max((n_fft - hop) // 2 + 1, hop)
        if wav.shape[-1] < shortest:
            name = f" {audio}" if isinstance(audio, (str, os.PathLike)) else ""
            raise InvalidInputError(
                f"The {role} recording{name} is too short: {wav.shape[-1]} samples, OpenVoice needs at least "
                f"{shortest} ({shortest / int(a.input_sample_rate):.3f} s)."
            )
        spec = linear_spectrogram(wav, n_fft, hop, win)
        with torch.inference_mode():
            embedding = self.ref_enc(spec.transpose(1, 2)).unsqueeze(-1)
        return embedding, spec

    def target_embedding(self, targets: Sequence[AudioInput]) -> torch.Tensor:
        """The mean embedding (1, gin, 1) of the target recordings."""
        if not targets:
            raise InvalidInputError("Give at least one target recording (target_wav).")
        return torch.stack([self.extract_se(t, "target")[0] for t in targets]).mean(dim=0)

    @torch.inference_mode()
    def inference(self, x: torch.Tensor, aux_input: Mapping[str, torch.Tensor | None]) -> dict[str, torch.Tensor]:
        """Convert a spectrogram. ``x``: (B, n_bins, T); ``aux_input``: ``g_src``, ``g_tgt`` (B, gin, 1), ``x_lengths``.

        Returns ``model_outputs`` (B, 1, T * hop), ``y_mask`` (B, 1, T) and the latents ``z``,
        ``z_p`` (voice-independent) and ``z_hat`` (B, inter, T). The posterior sample draws
        ``randn_like`` once, scaled by ``tau``.
        """
        g_src, g_tgt = aux_input.get("g_src"), aux_input.get("g_tgt")
        if g_src is None or g_tgt is None:
            raise InvalidInputError("OpenVoice.inference needs aux_input['g_src'] and aux_input['g_tgt'].")
        lengths = aux_input.get("x_lengths")
        if lengths is None:
            lengths = torch.full((x.shape[0],), x.shape[-1], dtype=torch.long, device=x.device)
        zero_g = bool(self.args.zero_g)
        z, _, _, mask = self.enc_q(
            x, lengths, g=torch.zeros_like(g_src) if zero_g else g_src, noise_scale=float(self.args.tau)
        )
        z_p = flow_forward(self.flow, z, mask, g=g_src)
        z_hat = self.flow.inverse(z_p, mask, g=g_tgt)
        out = self.dec(z_hat * mask, g=torch.zeros_like(g_tgt) if zero_g else g_tgt)
        return {"model_outputs": out, "y_mask": mask, "z": z, "z_p": z_p, "z_hat": z_hat}

    def _target_voice(
        self, tgt: AudioInput | Sequence[AudioInput] | None, speaker_id: str | None, voice_dir: PathLike | None
    ) -> torch.Tensor:
        """The target embedding (1, gin, 1): from the recordings (stored when named), or a stored voice."""
        from TTS.utils.voices import load_stored_voice, store_named_voice, target_list

        targets = target_list(tgt)
        if not targets:
            path, stored = load_stored_voice(voice_dir, speaker_id, "OpenVoice")
            embedding = stored.get("speaker_embedding")
            expected = (1, int(self.args.gin_channels), 1)
            if not isinstance(embedding, torch.Tensor) or tuple(embedding.shape) != expected:
                shape = tuple(embedding.shape) if isinstance(embedding, torch.Tensor) else None
                raise InvalidInputError(
                    f"{path} is not an OpenVoice voice (speaker_embedding {shape}, expected {expected}); "
                    "it was stored by another model. Clone the voice again with target_wav."
                )
            return embedding.to(self.device, torch.float32)
        embedding = self.target_embedding(targets)
        store_named_voice(voice_dir, speaker_id, targets, {"speaker_embedding": embedding}, "openvoice")
        return embedding

    @torch.inference_mode()
    def voice_conversion(
        self,
        src: AudioInput,
        tgt: AudioInput | Sequence[AudioInput] | None = None,
        *,
        speaker_id: str | None = None,
        voice_dir: PathLike | None = None,
    ) -> np.ndarray:
        """Say ``src`` in the voice of the ``tgt`` recording(s). Returns float32 samples at the output rate.

        With ``speaker_id`` and ``voice_dir`` the target voice is stored as ``<voice_dir>/<speaker_id>.pth``
        (as upstream's ``clone_voice`` does) and later conversions may name it instead of giving ``tgt``.
        """
        g_tgt = self._target_voice(tgt, speaker_id, voice_dir)
        g_src, spec = self.extract_se(src)
        out = self.inference(spec, {"g_src": g_src, "g_tgt": g_tgt})
        return out["model_outputs"][0, 0].float().cpu().numpy()


def _checkpoint_file(checkpoint_path: PathLike | None, checkpoint_dir: PathLike | None) -> Path:
    if checkpoint_path:
        path = Path(checkpoint_path)
    elif checkpoint_dir:
        path = Path(checkpoint_dir) / "checkpoint.pth"
    else:
        raise InvalidInputError("Give checkpoint_path (checkpoint.pth) or checkpoint_dir.")
    if not path.is_file():
        raise ModelNotFoundError(f"OpenVoice checkpoint not found: {path}. Check the path or download the model again.")
    return path
