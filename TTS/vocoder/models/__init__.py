"""Vocoder models: ``setup_model`` builds the model a vocoder config describes.

``setup_generator`` builds a GAN vocoder's generator from ``generator_model`` /
``generator_model_params``. Families are looked up in :mod:`TTS.families`.
"""

from __future__ import annotations

import logging
from typing import Any

from torch import nn

from TTS.core.errors import InvalidInputError

__all__ = ["setup_generator", "setup_model"]

logger = logging.getLogger(__name__)


def setup_model(config: Any) -> nn.Module:
    """The vocoder model for ``config`` (its ``model`` or ``generator_model`` field picks the family)."""
    from TTS.families import family_name_from_config_dict, get_family

    name = family_name_from_config_dict(config)
    family = get_family(name)
    if family.kind != "vocoder":
        raise InvalidInputError(f"The config describes a '{name}' model, not a vocoder.")
    logger.info("Vocoder model: %s", name)
    return family.load_model_class().init_from_config(config)


def _hifigan(config: Any) -> nn.Module:
    from TTS.core.layers.hifigan import HifiganGenerator

    params = dict(config.generator_model_params or {})
    params.setdefault("in_channels", config.audio["num_mels"])
    params.setdefault("out_channels", 1)
    return HifiganGenerator(**params)


def _from_module(module: str) -> Any:
    """Builder of a generator whose module provides ``generator_from_config(config)``."""

    def build(config: Any) -> nn.Module:
        import importlib

        return importlib.import_module(f"TTS.vocoder.models.{module}").generator_from_config(config)

    return build


_GENERATORS = {
    "hifigan_generator": _hifigan,
    "melgan_generator": _from_module("melgan_generator"),
    "multiband_melgan_generator": _from_module("melgan_generator"),
    "fullband_melgan_generator": _from_module("melgan_generator"),
    "melgan_fb_generator": _from_module("melgan_generator"),
    "parallel_wavegan_generator": _from_module("parallel_wavegan_generator"),
    "univnet_generator": _from_module("univnet_generator"),
}


def setup_generator(config: Any) -> nn.Module:
    """The generator network named by ``config.generator_model``, with ``config.generator_model_params``."""
    name = str(config.generator_model).lower()
    build = _GENERATORS.get(name)
    if build is None:
        raise InvalidInputError(
            f"The vocoder generator '{config.generator_model}' is not implemented in coqui-tts-ng yet; "
            f"available: {', '.join(sorted(_GENERATORS))}. Use a HiFi-GAN vocoder or none (Griffin-Lim)."
        )
    logger.info("Generator model: %s", name)
    return build(config)
