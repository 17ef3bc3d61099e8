"""MPS emulation case for the GAN vocoders: HiFi-GAN v2 (released size) vocoding 6.5 s of mel frames.

The model goes through the real loading path (``config.json`` + legacy-layout checkpoint,
``GAN.load_checkpoint``) and is moved with ``prepare_model``, as the synthesizer does.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch

from tests.mps.cases import MpsCase
from tests.parity.weights import deterministic_array
from tests.tacotron.fixtures import build_vocoder_folder
from TTS.config import load_config
from TTS.core.device import prepare_model
from TTS.vocoder.models import setup_model

SAMPLE_RATE_HZ = 22050
FRAMES = 560  # 560 * 256 = 143360 samples = 6.5 s at 22.05 kHz


def _build(device: str = "cpu") -> Callable[[], Any]:
    with tempfile.TemporaryDirectory() as tmp:
        checkpoint, config_path = build_vocoder_folder(Path(tmp))
        config = load_config(config_path)
        model = setup_model(config)
        model.load_checkpoint(config, checkpoint, eval=True)
    model = prepare_model(model, device)
    target = next(model.parameters()).device
    mel = deterministic_array("mps.vocoder_mel", (1, 80, FRAMES)).astype(np.float32) * 2.0

    def run() -> torch.Tensor:
        threads = torch.get_num_threads()
        torch.set_num_threads(1)  # the shared test machine is oversubscribed; threads mostly wait
        try:
            return model.inference(torch.from_numpy(mel).to(target))
        finally:
            torch.set_num_threads(threads)

    return run


def mps_cases() -> list[MpsCase]:
    return [MpsCase("hifigan-v2-6.5s", _build, min_output_samples=6 * SAMPLE_RATE_HZ)]
