"""Tacotron2 configuration (``"model": "tacotron2"``): ``TacotronConfig`` with mel outputs and 512-wide layers."""

# No `from __future__ import annotations`: coqpit reads the field types at runtime.
from dataclasses import dataclass

from TTS.tts.configs.tacotron_config import TacotronConfig

__all__ = ["Tacotron2Config"]


@dataclass
class Tacotron2Config(TacotronConfig):
    """Tacotron2: predicts ``out_channels`` mel bins; encoder and decoder inputs are 512 wide."""

    model: str = "tacotron2"
    out_channels: int = 80
    encoder_in_features: int = 512
    decoder_in_features: int = 512
