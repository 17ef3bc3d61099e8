"""Vocoder configs, one module per family (``<family>_config.py``) plus the shared bases.

``from TTS.vocoder.configs import HifiganConfig`` works as upstream; families not
implemented yet are simply absent.
"""

from TTS.vocoder.configs.hifigan_config import HifiganConfig
from TTS.vocoder.configs.shared_configs import BaseGANVocoderConfig, BaseVocoderConfig

__all__ = ["BaseGANVocoderConfig", "BaseVocoderConfig", "HifiganConfig"]
