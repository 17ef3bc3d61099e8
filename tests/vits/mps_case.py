"""MPS emulation case for VITS: >= 6 s of audio through the whole model (see tests/mps/README.md)."""

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


def mps_cases() -> list[MpsCase]:
    return [MpsCase.from_module("vits-6s", _make_model, _run, min_output_samples=6 * SAMPLE_RATE)]
