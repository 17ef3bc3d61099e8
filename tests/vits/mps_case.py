"""MPS emulation cases for VITS: >= 6 s of audio through the whole model, and >= 6 s of voice
conversion (STFT, lazily built posterior encoder, flow both ways, decoder); see tests/mps/README.md."""

from __future__ import annotations

import torch

from tests.mps.cases import MpsCase
from tests.parity.weights import deterministic_state_dict

SAMPLE_RATE = 22050
NUM_TOKENS = 40
FRAMES_PER_TOKEN = 13  # 520 frames * 256 = 133120 samples = 6.04 s


def _make_model() -> torch.nn.Module:
    from TTS.tts.configs.vits_config import VitsArgs, VitsConfig
    from TTS.tts.models.vits import Vits

    args = VitsArgs(
        hidden_channels=16,
        hidden_channels_ffn_text_encoder=32,
        num_layers_text_encoder=1,
        num_layers_flow=1,
        upsample_initial_channel_decoder=32,
        resblock_kernel_sizes_decoder=[3],
        resblock_dilation_sizes_decoder=[[1, 3, 5]],
        use_speaker_embedding=True,
        speaker_embedding_channels=8,
        inference_noise_scale=0.0,
        inference_noise_scale_dp=0.0,
    )
    config = VitsConfig(model_args=args, speakers=["a", "b"], use_phonemes=False)
    model = Vits(config)
    shapes = {k: v.shape for k, v in model.state_dict().items()}
    state = {k: torch.from_numpy(v) for k, v in deterministic_state_dict(shapes, salt="vits-mps").items()}
    model.load_state_dict(state, strict=True)
    return model.eval()


def _run(model: torch.nn.Module, device: str | torch.device) -> torch.Tensor:
    x = (torch.arange(NUM_TOKENS) * 5 % 30)[None].to(device)
    durations = torch.full((1, NUM_TOKENS), float(FRAMES_PER_TOKEN), device=device)
    aux = {"speaker_ids": torch.tensor([1], device=device), "durations": durations}
    out = model.inference(x, aux_input=aux)["model_outputs"]
    # and once through the stochastic duration predictor (noise 0: deterministic)
    short = model.inference(x[:, :8], aux_input={"speaker_ids": torch.tensor([0], device=device)})["model_outputs"]
    return torch.cat([out[0, 0], short[0, 0]])


def _make_vc_model() -> torch.nn.Module:
    """The same tiny model plus posterior-encoder weights, kept aside as ``load_checkpoint`` does."""
    from TTS.tts.layers.vits.posterior import PosteriorEncoder
    from TTS.tts.layers.vits.voice_conversion import keep_posterior_state

    model = _make_model()
    args = model.args
    args.num_layers_posterior_encoder = 2
    encoder = PosteriorEncoder(
        args.out_channels,
        args.hidden_channels,
        args.hidden_channels,
        args.kernel_size_posterior_encoder,
        args.dilation_rate_posterior_encoder,
        args.num_layers_posterior_encoder,
        cond_channels=model.embedded_speaker_dim,
    )
    shapes = {f"posterior_encoder.{k}": v.shape for k, v in encoder.state_dict().items()}
    state = {k: torch.from_numpy(v) for k, v in deterministic_state_dict(shapes, salt="vits-mps").items()}
    keep_posterior_state(model, state)
    return model


def _run_vc(model: torch.nn.Module, device: str | torch.device) -> torch.Tensor:
    from TTS.tts.layers.vits.posterior import linear_spectrogram
    from TTS.tts.layers.vits.voice_conversion import convert_spectrogram

    t = torch.arange(int(6.1 * SAMPLE_RATE), dtype=torch.float32) / SAMPLE_RATE
    source = (0.4 * torch.sin(2 * torch.pi * 150 * t) + 0.1 * torch.sin(2 * torch.pi * 420 * t)).to(device)
    spec = linear_spectrogram(source[None], 1024, 256, 1024)
    lengths = torch.tensor([spec.shape[-1]], device=device)
    with torch.inference_mode():
        g_src = model.emb_g(torch.tensor([0], device=device)).unsqueeze(-1)
        g_tgt = model.emb_g(torch.tensor([1], device=device)).unsqueeze(-1)
        # posterior mean (noise_scale 0): CPU and MPS would draw different noise
        wav, _, _ = convert_spectrogram(model, spec, lengths, g_src, g_tgt, noise_scale=0.0)
    return wav[0, 0]


def mps_cases() -> list[MpsCase]:
    return [
        MpsCase.from_module("vits-6s", _make_model, _run, min_output_samples=6 * SAMPLE_RATE),
        MpsCase.from_module("vits-vc-6s", _make_vc_model, _run_vc, min_output_samples=6 * SAMPLE_RATE),
    ]
