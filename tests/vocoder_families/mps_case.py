"""MPS emulation cases for the vocoder families (see tests/mps/README.md): >= 6 s of output each.

Tiny channel counts, real layer code; noise inputs are passed explicitly so CPU
and MPS runs see the same numbers.
"""

from __future__ import annotations

import torch
from torch import nn

from tests.mps.cases import MpsCase
from tests.parity.weights import COMPUTED_BUFFER_SUFFIXES, deterministic_array

SAMPLE_RATE_HZ = 22050
SECONDS = 6
MIN_SAMPLES = SECONDS * SAMPLE_RATE_HZ
NUM_MELS = 80
HOP = 64
FRAMES = MIN_SAMPLES // HOP + 8


def _fill(model: nn.Module, salt: str) -> nn.Module:
    """Deterministic weights for every parameter/buffer except computed ones (PQMF filters, counters)."""
    state = model.state_dict()
    for key, value in state.items():
        if key.endswith(COMPUTED_BUFFER_SUFFIXES) or ".pqmf_layer." in key or not value.is_floating_point():
            continue
        value.copy_(torch.from_numpy(deterministic_array(key, tuple(value.shape), salt)))
    return model.eval()


def _mel(frames: int = FRAMES, channels: int = NUM_MELS) -> torch.Tensor:
    return torch.randn(1, channels, frames, generator=torch.Generator().manual_seed(0))


def _melgan() -> nn.Module:
    from TTS.vocoder.models.melgan_generator import MelganGenerator

    return _fill(MelganGenerator(NUM_MELS, 1, base_channels=16, upsample_factors=(8, 8), num_res_blocks=2), "mps")


def _fullband() -> nn.Module:
    from TTS.vocoder.models.fullband_melgan_generator import FullbandMelganGenerator

    return _fill(FullbandMelganGenerator(NUM_MELS, base_channels=16, upsample_factors=(8, 8), num_res_blocks=2), "mps")


def _multiband() -> nn.Module:
    from TTS.vocoder.models.multiband_melgan_generator import MultibandMelganGenerator

    # x64 per frame: the band-rate signal itself passes the limit, so the (polyphase) PQMF synthesis conv meets it.
    model = MultibandMelganGenerator(NUM_MELS, base_channels=16, upsample_factors=(8, 8), num_res_blocks=2)
    return _fill(model, "mps")


def _pwgan() -> nn.Module:
    from TTS.vocoder.models.parallel_wavegan_generator import ParallelWaveganGenerator

    model = ParallelWaveganGenerator(
        num_res_blocks=1, stacks=1, res_channels=8, gate_channels=8, skip_channels=8, upsample_factors=[8, 8]
    )
    return _fill(model, "mps")


def _univnet() -> nn.Module:
    from TTS.vocoder.models.univnet_generator import UnivnetGenerator

    model = UnivnetGenerator(
        in_channels=4,
        out_channels=1,
        hidden_channels=4,
        cond_channels=NUM_MELS,
        upsample_factors=[8, 8],
        lvc_layers_each_block=1,
        lvc_kernel_size=3,
        kpnet_hidden_channels=4,
        kpnet_conv_size=3,
        dropout=0.0,
    )
    return _fill(model, "mps")


def _wavegrad() -> nn.Module:
    from TTS.vocoder.configs.wavegrad_config import WavegradArgs, WavegradConfig
    from TTS.vocoder.models.wavegrad import Wavegrad

    args = WavegradArgs(
        in_channels=NUM_MELS,
        y_conv_channels=2,
        x_conv_channels=4,
        dblock_out_channels=[2, 2],
        ublock_out_channels=[4, 2, 2],
        upsample_factors=[4, 4, 4],
        upsample_dilations=[[1, 2, 1, 2], [1, 2, 4, 8], [1, 2, 4, 8]],
    )
    config = WavegradConfig(model_params=args, test_noise_schedule={"min_val": 1e-4, "max_val": 0.05, "num_steps": 1})
    model = _fill(Wavegrad(config), "mps")
    model.set_noise_schedule(config.test_noise_schedule)  # one step: no per-step noise, so CPU == MPS
    return model


def _wavernn() -> nn.Module:
    from TTS.vocoder.configs.wavernn_config import WavernnArgs, WavernnConfig
    from TTS.vocoder.models.wavernn import Wavernn

    args = WavernnArgs(rnn_dims=8, fc_dims=8, compute_dims=4, res_out_dims=4, num_res_blocks=1, upsample_factors=[8, 8])
    config = WavernnConfig(model_args=args)
    config.audio["hop_length"] = HOP
    return _fill(Wavernn(config), "mps")


def _run_generator(model: nn.Module, device: torch.device):
    return model.inference(_mel().to(device))


def _run_with_noise(model: nn.Module, device: torch.device):
    mel = _mel().to(device)
    padded = getattr(model, "inference_padding", 0)
    steps = (FRAMES + 2 * padded) * getattr(model, "upsample_scale", 1)
    channels = model.in_channels
    if hasattr(model, "lvc_blocks"):  # UnivNet noise is at the frame rate
        steps = FRAMES
    noise = torch.randn(1, channels, steps, generator=torch.Generator().manual_seed(1)).to(device)
    return model.inference(mel, noise=noise)


def _run_wavegrad(model: nn.Module, device: torch.device):
    mel = _mel().to(device)
    start = torch.randn(1, 1, FRAMES * model.hop_len, generator=torch.Generator().manual_seed(1)).to(device)
    return model.inference(mel, y_n=start)


def _run_wavernn_conditioning(model: nn.Module, device: torch.device):
    # The sample loop is an RNN; the conv path that meets the MPS limit is the conditioning upsampler.
    with torch.inference_mode():
        cond, aux = model.upsample(torch.nn.functional.pad(_mel().to(device), (2, 2)))
    return {"cond": cond.transpose(1, 2), "aux": aux.transpose(1, 2)}


def mps_cases() -> list[MpsCase]:
    specs = [
        ("melgan", _melgan, _run_generator),
        ("fullband-melgan", _fullband, _run_generator),
        ("multiband-melgan-pqmf", _multiband, _run_generator),
        ("parallel-wavegan", _pwgan, _run_with_noise),
        ("univnet", _univnet, _run_with_noise),
        ("wavegrad", _wavegrad, _run_wavegrad),
        ("wavernn-conditioning", _wavernn, _run_wavernn_conditioning),
    ]
    return [MpsCase.from_module(name, make, run, min_output_samples=MIN_SAMPLES) for name, make, run in specs]
