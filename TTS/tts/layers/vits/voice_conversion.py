"""Voice conversion with a multi-speaker VITS / YourTTS model.

A source recording goes through the posterior encoder (conditioned on the source
speaker) to the latent ``z``, forward through the flow into the speaker-independent
prior space, back through the flow with the target speaker, and into the HiFi-GAN
decoder with the target speaker. Speakers are chosen by name or id (speaker tables,
d-vector files) or from audio through the model's speaker encoder (YourTTS).

The posterior encoder is only needed here, so its weights are kept aside when a
checkpoint is loaded (:func:`keep_posterior_state`) and the module is built on the
first conversion (:func:`posterior_encoder`); text-to-speech never touches it.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import torch

from TTS.core.errors import InvalidInputError
from TTS.tts.layers.vits.checkpoint import posterior_state_dict
from TTS.tts.layers.vits.posterior import PosteriorEncoder, flow_forward, linear_spectrogram
from TTS.tts.utils.voices import resolve_speaker

__all__ = [
    "keep_posterior_state",
    "posterior_encoder",
    "speaker_condition",
    "convert_spectrogram",
    "inference_voice_conversion",
    "voice_conversion",
]

logger = logging.getLogger(__name__)

PathLike = str | os.PathLike[Any]
_HOLDER = "_vc_posterior"  # plain attribute: a dict, so the module is not registered in the model


def _config_flag(config: Any, name: str) -> bool:
    args = config.get("model_args")
    if args is not None and name in args:
        return bool(args[name])
    return bool(config.get(name))


def keep_posterior_state(model: Any, state_dict: dict[str, torch.Tensor]) -> None:
    """Set the posterior-encoder weights of a loaded checkpoint aside on ``model`` (CPU, folded)."""
    state = posterior_state_dict(state_dict)
    setattr(model, _HOLDER, {"state": state or None, "module": None, "ap": None})


def _no_vc_reason(model: Any) -> str | None:
    if not getattr(model, "embedded_speaker_dim", 0):
        return (
            "This VITS model has a single voice and no speaker conditioning, so it cannot convert voices. "
            "Use a multi-speaker VITS (e.g. tts_models/en/vctk/vits), YourTTS "
            "(tts_models/multilingual/multi-dataset/your_tts) or a voice conversion model "
            "(voice_conversion_models/multilingual/vctk/freevc24)."
        )
    return None


def posterior_encoder(model: Any) -> PosteriorEncoder:
    """The model's posterior encoder, built from the kept weights on first use, on the model's device and dtype."""
    if (reason := _no_vc_reason(model)) is not None:
        raise InvalidInputError(reason)
    holder = getattr(model, _HOLDER, None)
    if holder is None or (holder["module"] is None and holder["state"] is None):
        raise InvalidInputError(
            "This model has no posterior encoder weights, which voice conversion needs: load a full released "
            "checkpoint (model.pth with posterior_encoder.* keys) with Vits.load_checkpoint()."
        )
    if holder["module"] is None:
        from TTS.core.checkpoint import load_state_dict_strict

        args = model.args
        module = PosteriorEncoder(
            args.out_channels,
            args.hidden_channels,
            args.hidden_channels,
            args.kernel_size_posterior_encoder,
            args.dilation_rate_posterior_encoder,
            args.num_layers_posterior_encoder,
            cond_channels=model.embedded_speaker_dim,
        )
        load_state_dict_strict(module, holder["state"])
        holder["module"], holder["state"] = module.eval(), None
    module = holder["module"]
    reference = next(model.flow.parameters())
    current = next(module.parameters())
    if current.device != reference.device or current.dtype != reference.dtype:
        from TTS.core.device import prepare_model

        module = prepare_model(module.to(dtype=reference.dtype), reference.device)
        holder["module"] = module
    return module


def speaker_condition(
    model: Any,
    speaker: str | int | None,
    wav: PathLike | list[PathLike] | None,
    *,
    role: str,
) -> torch.Tensor:
    """Conditioning ``(1, C_spk, 1)`` of the ``role`` ("source" or "target") speaker.

    A known speaker name or id wins; otherwise the speaker encoder embeds ``wav``.
    """
    manager = model.speaker_manager
    has_encoder = manager is not None and manager.encoder is not None
    if speaker is None and not (has_encoder and wav is not None) and len(model.speaker_names) != 1:
        if role == "source":
            how = "source_speaker=<name> (tts --reference_speaker_idx)"
            if has_encoder:
                how += " or a readable source recording"
        else:
            how = "speaker=<name> (tts --speaker_idx)"
            if has_encoder:
                how += " or target_wav=<reference audio> (tts --speaker_wav / --target_wav)"
        names = model.speaker_names
        listing = ", ".join(str(n) for n in names[:50]) + (" ..." if len(names) > 50 else "")
        raise InvalidInputError(f"Voice conversion needs the {role} speaker: pass {how}. Valid speakers: {listing}.")
    sid, d_vector = resolve_speaker(
        manager,
        use_speaker_embedding=_config_flag(model.config, "use_speaker_embedding"),
        use_d_vector_file=_config_flag(model.config, "use_d_vector_file"),
        speaker=speaker,
        speaker_wav=wav if has_encoder else None,
        device=model.device,
    )
    g = model._speaker_conditioning({"speaker_ids": sid, "d_vectors": d_vector})
    if g is None:
        raise InvalidInputError(f"Could not find the {role} speaker's conditioning for voice conversion.")
    return g


def _conditioning_from_upstream_args(model: Any, cond: Any) -> torch.Tensor:
    """Upstream's ``speaker_cond_*``: speaker ids (int / (B,)) or d-vectors (B, D) -> (B, C, 1)."""
    if hasattr(model, "emb_g"):
        ids = torch.as_tensor(cond, dtype=torch.long, device=model.device).reshape(-1)
        return model._speaker_conditioning({"speaker_ids": ids})
    vectors = torch.as_tensor(cond, dtype=torch.float32, device=model.device)
    return model._speaker_conditioning({"d_vectors": vectors.reshape(vectors.shape[0] if vectors.dim() > 1 else 1, -1)})


def convert_spectrogram(
    model: Any,
    spec: torch.Tensor,
    lengths: torch.Tensor,
    g_src: torch.Tensor,
    g_tgt: torch.Tensor,
    noise_scale: float = 1.0,
    noise: torch.Tensor | None = None,
) -> tuple[torch.Tensor, torch.Tensor, tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    """Convert source spectrograms ``spec`` (B, C_spec, T) of ``lengths`` (B,) frames.

    ``g_src``/``g_tgt``: (B, C_spk, 1). Returns the waveform (B, 1, T_wav), the frame
    mask (B, 1, T) and the latents ``(z, z_p, z_hat)`` (B, C, T).
    """
    encoder = posterior_encoder(model)
    dtype = next(encoder.parameters()).dtype
    spec, g_src, g_tgt = spec.to(dtype), g_src.to(dtype), g_tgt.to(dtype)
    expected = encoder.pre.in_channels
    if spec.shape[1] != expected:
        raise InvalidInputError(
            f"The source spectrogram has {spec.shape[1]} bins but the posterior encoder takes {expected}: "
            "the config's audio.fft_size does not match model_args.out_channels."
        )
    z, _, _, mask = encoder(spec, lengths, g=g_src, noise_scale=noise_scale, noise=noise)
    z_p = flow_forward(model.flow, z, mask, g=g_src)
    z_hat = model.flow.inverse(z_p, mask, g=g_tgt)
    z_dec, mask_dec = model._upsample_latent(z_hat, lengths, mask)  # identity unless encoder_sample_rate is set
    from TTS.core.precision import bf16_autocast

    # the decoder follows Vits.enable_reduced_precision() as in text-to-speech
    with bf16_autocast(z_dec.device, enabled=bool(getattr(model, "_decoder_bf16", False))):
        wav = model.waveform_decoder(z_dec * mask_dec, g=g_tgt).float()
    return wav, mask, (z, z_p, z_hat)


def inference_voice_conversion(
    model: Any, y: torch.Tensor, y_lengths: torch.Tensor, speaker_cond_src: Any, speaker_cond_tgt: Any
) -> tuple[torch.Tensor, torch.Tensor, tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    """Upstream's interface: spectrograms ``y`` (B, C, T), speaker ids or d-vectors for source and target."""
    if (reason := _no_vc_reason(model)) is not None:
        raise InvalidInputError(reason)
    g_src = _conditioning_from_upstream_args(model, speaker_cond_src)
    g_tgt = _conditioning_from_upstream_args(model, speaker_cond_tgt)
    lengths = torch.as_tensor(y_lengths, dtype=torch.long, device=y.device).reshape(-1)
    return convert_spectrogram(model, y, lengths, g_src, g_tgt)


def _audio_processor(model: Any) -> Any:
    """The model's audio processor (upstream's loading: resample, silence trim, volume norms from the config)."""
    if getattr(model, "ap", None) is not None:
        return model.ap
    holder = getattr(model, _HOLDER)
    if holder["ap"] is None:
        from TTS.utils.audio import AudioProcessor

        holder["ap"] = AudioProcessor.init_from_config(model.config, verbose=False)
    return holder["ap"]


def source_spectrogram(model: Any, source_wav: PathLike) -> torch.Tensor:
    """Load ``source_wav`` at the model's (encoder) rate and return its linear spectrogram (1, C, T)."""
    if source_wav is None:
        raise InvalidInputError("Voice conversion needs a source recording (source_wav / tts --source_wav).")
    ap = _audio_processor(model)
    rate = int(model.args.encoder_sample_rate or ap.sample_rate)
    wav = torch.as_tensor(ap.load_wav(source_wav, sr=rate), dtype=torch.float32, device=model.device)
    audio = model.config.audio
    n_fft, hop, win = int(audio["fft_size"]), int(audio["hop_length"]), int(audio["win_length"])
    if wav.numel() < n_fft:
        raise InvalidInputError(
            f"The source recording {source_wav} has {wav.numel()} samples after silence trimming; "
            f"voice conversion needs at least {n_fft} ({n_fft / rate:.2f} s) of sound."
        )
    return linear_spectrogram(wav[None], n_fft, hop, win)


def voice_conversion(
    model: Any,
    source_wav: PathLike,
    target_wav: PathLike | list[PathLike] | None = None,
    *,
    source_speaker: str | int | None = None,
    speaker: str | int | None = None,
    noise_scale: float = 1.0,
) -> torch.Tensor:
    """Convert the recording ``source_wav`` into the target voice; returns the waveform (T,).

    Target: ``speaker`` (name or id) or ``target_wav`` through the speaker encoder.
    Source: ``source_speaker`` or ``source_wav`` itself through the speaker encoder.
    ``noise_scale`` scales the posterior sample (1 as upstream, 0 for its mean).
    """
    if (reason := _no_vc_reason(model)) is not None:
        raise InvalidInputError(reason)
    posterior_encoder(model)  # fail on missing weights before loading any audio
    spec = source_spectrogram(model, source_wav)
    g_tgt = speaker_condition(model, speaker, target_wav, role="target")
    g_src = speaker_condition(model, source_speaker, source_wav, role="source")
    lengths = torch.tensor([spec.shape[-1]], device=spec.device)
    wav, _, _ = convert_spectrogram(model, spec, lengths, g_src, g_tgt, noise_scale=noise_scale)
    return wav.reshape(-1)
