"""MPS emulation case for Tacotron2: text -> Tacotron2 (full released architecture) -> HiFi-GAN v2, >= 6 s.

Tacotron2's own convolutions stay far below the MPS limit (its longest conv output is the
postnet over the mel frames); the long conv outputs come from the vocoder it feeds. The
decoder runs 54 steps of 10 frames (stop token silenced) through both models, each moved
with ``prepare_model``.
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
from TTS.tts.configs.tacotron2_config import Tacotron2Config
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


def mps_cases() -> list[MpsCase]:
    return [MpsCase("tacotron2-hifigan-6.3s", _build, min_output_samples=6 * SAMPLE_RATE_HZ, atol=2e-3, rtol=2e-3)]
