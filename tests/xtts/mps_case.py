"""MPS emulation case for XTTS: a 10 s reference through both conditioning paths and >= 6 s of decoder output.

See tests/mps/README.md. The speaker encoder's pre-emphasis is not a convolution
in our implementation, so the 10 s reference never hits the limit there; the
HiFi-GAN decoder's convolutions do at 6 s of output unless they are chunked.
"""

from __future__ import annotations

import numpy as np
import torch

from tests.mps.cases import MpsCase
from tests.xtts import fixture

OUTPUT_RATE = 24000
LATENT_FRAMES = 136  # 136 * 4 * 24000 / 22050 * 256 = 151,552 samples = 6.3 s


def _make_model() -> torch.nn.Module:
    from TTS.tts.configs.xtts_config import XttsConfig
    from TTS.tts.layers.xtts.hifigan_decoder import HifiDecoder
    from TTS.tts.models.xtts import Xtts

    config = XttsConfig()
    for key, value in fixture.TINY_ARGS.items():
        setattr(config.model_args, key, value)
    model = Xtts(config)
    # a narrow decoder keeps the case fast; the layers and the upsampling are the real ones
    model.hifigan_decoder = HifiDecoder(
        decoder_input_dim=256, upsample_initial_channel_decoder=32, resblock_kernel_sizes_decoder=[3, 7],
        resblock_dilation_sizes_decoder=[[1, 3, 5], [1, 3, 5]],
    )  # fmt: skip
    own = model.state_dict()
    shapes = {k: tuple(v.shape) for k, v in own.items()}
    computed = {k: v.numpy() for k, v in own.items()}
    state = fixture.fixture_state_dict(shapes, computed)
    model.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in state.items()}, strict=True)
    return model.eval()


def _run(model: torch.nn.Module, device: torch.device) -> dict[str, torch.Tensor]:
    reference = torch.from_numpy(fixture.reference_audio(10.0, 22050)).unsqueeze(0).to(device)
    speaker = model.get_speaker_embedding(reference, 22050)
    cond = model.get_gpt_cond_latents(reference, 22050, length=10, chunk_length=5)
    latents = torch.from_numpy(fixture.fixed_latents(frames=LATENT_FRAMES)).to(device)
    with torch.inference_mode():
        wav = model.hifigan_decoder(latents, g=speaker)
    return {"wav": wav.reshape(-1), "gpt_cond_latent": cond, "speaker_embedding": speaker}


def mps_cases() -> list[MpsCase]:
    return [MpsCase.from_module("xtts-10s-reference-6s-output", _make_model, _run, min_output_samples=6 * OUTPUT_RATE)]
