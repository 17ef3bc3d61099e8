"""MPS emulation cases for Tacotron2 and Tacotron (v1), each feeding a HiFi-GAN vocoder, >= 6 s of audio.

Tacotron2: text -> Tacotron2 (full released architecture) -> HiFi-GAN v2. Its own
convolutions stay far below the MPS limit (its longest conv output is the postnet over the
mel frames); the long conv outputs come from the vocoder it feeds. The decoder runs 54
steps of 10 frames (stop token silenced) through both models, each moved with
``prepare_model``.

Tacotron (v1): text -> Tacotron (full architecture, r=7) -> linear spectrogram -> a small
HiFi-GAN generator that takes the 513 linear bins (the synthesizer accepts a vocoder whose
input channels equal the model's ``out_channels``; no released one does, so it is built
here). The decoder runs 75 steps of 7 frames; the CBHG postnet's convolutions run over
all 525 frames under emulation, the vocoder's convolutions go past the limit.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

from tests.mps.cases import MpsCase
from tests.tacotron.fixtures import build_vocoder_folder
from TTS.config import load_config
from TTS.core.device import prepare_model
from TTS.core.layers.hifigan import HifiganGenerator
from TTS.tts.configs.tacotron2_config import Tacotron2Config
from TTS.tts.configs.tacotron_config import TacotronConfig
from TTS.tts.models.tacotron import Tacotron
from TTS.tts.models.tacotron2 import Tacotron2
from TTS.vocoder.models import setup_model

SAMPLE_RATE_HZ = 22050
STEPS = 54  # x 10 frames x 256 samples = 138240 samples = 6.3 s


def _tacotron() -> Tacotron2:
    torch.manual_seed(0)
    config = Tacotron2Config(text_cleaner="english_cleaners", r=10, max_decoder_steps=STEPS)
    model = Tacotron2(config).eval()
    with torch.no_grad():
        model.decoder.stopnet[1].linear_layer.bias.fill_(-40.0)  # never stop: run to max_decoder_steps
    return model


def _build(device: str = "cpu") -> Callable[[], Any]:
    with tempfile.TemporaryDirectory() as tmp:
        checkpoint, config_path = build_vocoder_folder(Path(tmp))
        config = load_config(config_path)
        vocoder = setup_model(config)
        vocoder.load_checkpoint(config, checkpoint, eval=True)
    vocoder = prepare_model(vocoder, device)
    tacotron = prepare_model(_tacotron(), device)
    target = next(tacotron.parameters()).device
    ids = torch.tensor([tacotron.tokenizer.text_to_ids("Hello world, this is a long test.")], device=target)

    def run() -> dict[str, torch.Tensor]:
        threads = torch.get_num_threads()
        torch.set_num_threads(1)  # batch-1 decoding: tiny ops, threads only wait on a loaded machine
        try:
            mel = tacotron.inference(ids)["model_outputs"].transpose(1, 2)  # (1, C, T)
            return {"mel": mel, "wav": vocoder.inference(mel)}
        finally:
            torch.set_num_threads(threads)

    return run


V1_STEPS = 74  # Tacotron v1 decodes max_decoder_steps + 1 = 75 steps x 7 frames x 256 samples = 6.1 s


def _build_v1(device: str = "cpu") -> Callable[[], Any]:
    torch.manual_seed(0)
    tacotron = Tacotron(TacotronConfig(text_cleaner="english_cleaners", r=7, max_decoder_steps=V1_STEPS)).eval()
    with torch.no_grad():
        tacotron.decoder.stopnet.linear.bias.fill_(-40.0)  # never stop: run to the bound
    vocoder = HifiganGenerator(
        in_channels=tacotron.out_channels,
        out_channels=1,
        resblock_type="2",
        resblock_dilation_sizes=[[1, 3]],
        resblock_kernel_sizes=[3],
        upsample_kernel_sizes=[16, 16, 4, 4],
        upsample_initial_channel=32,
        upsample_factors=[8, 8, 2, 2],
    ).eval()
    tacotron, vocoder = prepare_model(tacotron, device), prepare_model(vocoder, device)
    target = next(tacotron.parameters()).device
    ids = torch.tensor([tacotron.tokenizer.text_to_ids("Hello world, this is a long test.")], device=target)

    def run() -> dict[str, torch.Tensor]:
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            linear = tacotron.inference(ids)["model_outputs"].transpose(1, 2)  # (1, 513, T)
            with torch.inference_mode():
                return {"linear": linear, "wav": vocoder.inference(linear)}
        finally:
            torch.set_num_threads(threads)

    return run


def mps_cases() -> list[MpsCase]:
    return [
        MpsCase("tacotron2-hifigan-6.3s", _build, min_output_samples=6 * SAMPLE_RATE_HZ, atol=2e-3, rtol=2e-3),
        MpsCase(
            "tacotron1-linear-hifigan-6.1s", _build_v1, min_output_samples=6 * SAMPLE_RATE_HZ, atol=2e-3, rtol=2e-3
        ),
    ]
