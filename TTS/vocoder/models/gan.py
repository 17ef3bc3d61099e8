"""GAN vocoders at inference: the generator alone (``model_g``); discriminators are training-only.

Released GAN vocoder checkpoints come in two layouts, both read here:

- ``{"model": {"model_g.*": ..., "model_d.*": ...}}`` (trainer >= 0.1): the
  generator keys carry a ``model_g.`` prefix, discriminator keys are dropped;
- ``{"model": {generator keys}, "model_disc": {...}}`` (older releases such as
  ``hifigan_v2``): ``model`` is the bare generator.

Weight-norm pairs (``weight_g``/``weight_v`` or ``parametrizations.weight.original0/1``)
are folded into plain weights at load time.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from typing import Any

import torch

from TTS.core.checkpoint import fold_weight_norm, load_checkpoint_file, load_state_dict_strict
from TTS.core.errors import CheckpointError
from TTS.core.precision import bf16_autocast, native_bf16
from TTS.vocoder.models import setup_generator
from TTS.vocoder.models.base_vocoder import BaseVocoder

__all__ = ["GAN", "generator_state_dict"]

logger = logging.getLogger(__name__)

#: Generators whose bf16 mode is tested (``tests/vocoder/test_reduced_precision.py``).
BF16_GENERATORS = ("hifigan_generator", "parallel_wavegan_generator", "univnet_generator")
_GENERATOR_PREFIX = "model_g."
_DISCRIMINATOR_PREFIX = "model_d."


def generator_state_dict(checkpoint: Mapping[str, Any]) -> dict[str, torch.Tensor]:
    """The generator's weights from a loaded vocoder checkpoint, without prefix and weight norm folded."""
    state = checkpoint.get("model") if isinstance(checkpoint.get("model"), Mapping) else None
    if state is None:
        if checkpoint and all(isinstance(v, torch.Tensor) for v in checkpoint.values()):
            state = checkpoint  # a bare state dict
        else:
            raise CheckpointError(
                "The vocoder checkpoint has no 'model' entry with weights; pass the model_file.pth "
                "(or checkpoint_*.pth) that came with the vocoder's config.json."
            )
    if any(k.startswith(_GENERATOR_PREFIX) for k in state):
        state = {k[len(_GENERATOR_PREFIX) :]: v for k, v in state.items() if k.startswith(_GENERATOR_PREFIX)}
    else:
        state = {k: v for k, v in state.items() if not k.startswith(_DISCRIMINATOR_PREFIX)}
    return fold_weight_norm(state)


class GAN(BaseVocoder):
    """A GAN vocoder for inference: ``inference(mel)`` with mel ``(B, C_mel, T)`` -> audio ``(B, 1, T * hop)``."""

    def __init__(self, config: Any) -> None:
        super().__init__(config)
        self.model_g = setup_generator(config)
        self.model_d = None
        self._generator_bf16 = False  # enable_reduced_precision()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Run the generator on ``x`` ``(B, C_mel, T)`` without inference padding."""
        return self.model_g.forward(x)

    @torch.inference_mode()
    def inference(self, x: torch.Tensor) -> torch.Tensor:
        """Vocode normalised mel frames ``x`` ``(B, C_mel, T)``; returns ``(B, 1, T')`` in [-1, 1]."""
        with bf16_autocast(x.device, enabled=self._generator_bf16):
            return self.model_g.inference(x).float()

    def _enable_bf16_generator(self) -> bool:
        """Opt-in fast mode: the generator's convolutions compute in bf16 (about 1.8x faster on CPU).

        Only where the device has native bf16 (AVX-512 BF16/AMX CPUs, Ampere+ GPUs; never MPS),
        checked at each call; elsewhere it stays fp32. The audio differs slightly from fp32
        (relative L2 about 1-4%). Returns whether bf16 applies on the current device.
        """
        self._generator_bf16 = True
        device = next(self.model_g.parameters()).device
        if not native_bf16(device):
            logger.info("Vocoder reduced precision: no native bf16 on %s, the generator stays fp32.", device)
            return False
        return True

    @property
    def enable_reduced_precision(self) -> Callable[[], bool]:
        """The bf16 generator mode (:meth:`_enable_bf16_generator`), for HiFi-GAN, ParallelWaveGAN, UnivNet.

        The MelGAN generators have none yet (their channels-last kernels accumulate into fp32
        buffers, which autocast cannot feed): there the attribute does not exist.
        """
        if str(self.config.get("generator_model", "")).lower() not in BF16_GENERATORS:
            raise AttributeError(f"the {self.config.get('generator_model')} vocoder has no reduced-precision mode")
        return self._enable_bf16_generator

    def load_checkpoint(
        self,
        config: Any,
        checkpoint_path: str | os.PathLike[str],
        *,
        eval: bool = False,  # noqa: A002 - upstream's keyword
        cache: bool = False,
    ) -> None:
        """Load the generator weights from a released or trainer checkpoint (safe loader, file untouched).

        Raises:
            CheckpointError: the file is not a vocoder checkpoint or does not match the config.
        """
        del config, cache  # the architecture comes from the config given at construction
        checkpoint = load_checkpoint_file(checkpoint_path, map_location="cpu")
        if not isinstance(checkpoint, Mapping):
            raise CheckpointError(f"{checkpoint_path} does not hold a vocoder checkpoint (a dict with 'model').")
        try:
            load_state_dict_strict(self.model_g, generator_state_dict(checkpoint))
        except CheckpointError as err:
            raise CheckpointError(f"Vocoder checkpoint {checkpoint_path}: {err}") from None
        if eval:
            self.eval()

    def remove_weight_norm(self) -> None:
        """No-op: weight norm is folded at load time (kept for API compatibility)."""
