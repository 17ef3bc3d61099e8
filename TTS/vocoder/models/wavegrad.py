"""WaveGrad vocoder: mel frames ``(B, C_mel, T)`` to audio by iterative denoising of Gaussian noise.

The network predicts the noise in a noisy waveform given the mel frames and the
noise level: downsampling blocks (``dblocks``) encode the waveform, FiLM layers
(``film``) turn each scale into a shift and a scale, and upsampling blocks
(``ublocks``) expand the mel frames while applying them. Inference runs the
reverse diffusion over a linear beta schedule (``test_noise_schedule`` of the
config, set by :meth:`Wavegrad.load_checkpoint` with ``eval=True``).

Randomness: the start noise and the per-step noise are drawn from the global
``torch`` generator in upstream's order, so ``torch.manual_seed(s)`` before
:meth:`Wavegrad.inference` reproduces upstream's audio.
"""

from __future__ import annotations

import math
import os
import pickle
from typing import Any

import numpy as np
import torch
from torch import nn

from TTS.core.errors import CheckpointError
from TTS.vocoder.layers.wavegrad import Conv1d, DBlock, FiLM, UBlock
from TTS.vocoder.models.base_vocoder import BaseVocoder

__all__ = ["Wavegrad"]


class Wavegrad(BaseVocoder):
    """WaveGrad (https://arxiv.org/abs/2009.00713); sizes from ``config.model_params``."""

    def __init__(self, config: Any) -> None:
        super().__init__(config)
        p = config.model_params
        self.use_weight_norm = bool(p["use_weight_norm"])
        self.hop_len = int(math.prod(p["upsample_factors"]))
        self.noise_level: torch.Tensor | None = None
        self.num_steps: int | None = None
        self.beta: torch.Tensor | None = None
        self.alpha: torch.Tensor | None = None
        self.alpha_hat: torch.Tensor | None = None
        self.c1: torch.Tensor | None = None
        self.c2: torch.Tensor | None = None
        self.sigma: torch.Tensor | None = None

        y_channels = p["y_conv_channels"]
        self.y_conv = Conv1d(1, y_channels, 5, padding=2)
        self.dblocks = nn.ModuleList()
        channels = y_channels
        for out, factor in zip(p["dblock_out_channels"], reversed(p["upsample_factors"])):
            self.dblocks.append(DBlock(channels, out, factor))
            channels = out
        self.film = nn.ModuleList()
        channels = y_channels
        for out in reversed(p["ublock_out_channels"]):
            self.film.append(FiLM(channels, out))
            channels = out
        self.ublocks = nn.ModuleList()
        channels = p["x_conv_channels"]
        for out, factor, dilations in zip(p["ublock_out_channels"], p["upsample_factors"], p["upsample_dilations"]):
            self.ublocks.append(UBlock(channels, out, factor, dilations))
            channels = out
        self.x_conv = Conv1d(p["in_channels"], p["x_conv_channels"], 3, padding=1)
        self.out_conv = Conv1d(channels, p["out_channels"], 3, padding=1)

    def forward(self, x: torch.Tensor, spectrogram: torch.Tensor, noise_scale: torch.Tensor) -> torch.Tensor:
        """Predict the noise in ``x``.

        Args:
            x: noisy audio (B, 1, T * hop).
            spectrogram: mel frames (B, C_mel, T).
            noise_scale: (B,) sqrt of the cumulative alpha at this step.
        Returns:
            (B, 1, T * hop).
        """
        h = self.y_conv(x)
        modulations = [self.film[0](h, noise_scale)]
        for film, down in zip(self.film[1:], self.dblocks):
            h = down(h)
            modulations.append(film(h, noise_scale))
        out = self.x_conv(spectrogram)
        for up, (shift, scale) in zip(self.ublocks, reversed(modulations)):
            out = up(out, shift, scale)
        return self.out_conv(out)

    # -- noise schedule -------------------------------------------------------------
    def compute_noise_level(self, beta: np.ndarray) -> None:
        """Set the schedule from ``beta`` (num_steps,): alphas, their running product and the sampler constants."""
        beta = np.asarray(beta)
        alpha = 1 - beta
        alpha_hat = np.cumprod(alpha)  # float64 on the host at set-up; the tensors are float32
        self.num_steps = len(beta)
        self.beta = torch.tensor(beta.astype(np.float32))
        self.alpha = torch.tensor(alpha.astype(np.float32))
        self.alpha_hat = torch.tensor(alpha_hat.astype(np.float32))
        self.noise_level = torch.tensor((alpha_hat**0.5).astype(np.float32))
        self.c1 = 1 / self.alpha**0.5
        self.c2 = (1 - self.alpha) / (1 - self.alpha_hat) ** 0.5
        self.sigma = ((1.0 - self.alpha_hat[:-1]) / (1.0 - self.alpha_hat[1:]) * self.beta[1:]) ** 0.5

    def set_noise_schedule(self, schedule: dict[str, Any]) -> None:
        """Linear betas from ``{"min_val", "max_val", "num_steps"}`` (a config's ``*_noise_schedule``)."""
        self.compute_noise_level(np.linspace(schedule["min_val"], schedule["max_val"], schedule["num_steps"]))

    def load_noise_schedule(self, path: str | os.PathLike[str]) -> None:
        """Load betas from a ``.npy`` file holding either an array or a ``{"beta": array}`` dict.

        The dict form is a pickle; it is read with an unpickler that only rebuilds numpy arrays.
        """
        self.compute_noise_level(_load_betas(path))

    # -- inference ------------------------------------------------------------------
    @torch.inference_mode()
    def inference(self, x: torch.Tensor, y_n: torch.Tensor | np.ndarray | None = None) -> torch.Tensor:
        """Mel ``x`` (B, C_mel, T) -> audio (B, 1, T * hop) in [-1, 1].

        ``y_n``: the start noise, (B, 1, T * hop) or (T * hop,); drawn with ``torch.randn`` when None.
        """
        if self.noise_level is None:
            self.set_noise_schedule(self.config["test_noise_schedule"])
        if y_n is None:
            y_n = torch.randn(x.shape[0], 1, self.hop_len * x.shape[-1])
        else:
            y_n = torch.as_tensor(np.asarray(y_n, dtype=np.float32) if not torch.is_tensor(y_n) else y_n)
            if y_n.dim() == 1:
                y_n = y_n[None, None]
        y_n = y_n.to(x.device, x.dtype)
        noise_level = self.noise_level.to(x)
        c1, c2, sigma = (t.tolist() for t in (self.c1, self.c2, self.sigma))
        for n in reversed(range(len(c1))):
            eps = self.forward(y_n, x, noise_level[n].repeat(x.shape[0]))
            y_n = c1[n] * (y_n - c2[n] * eps)
            if n > 0:
                y_n = y_n + sigma[n - 1] * torch.randn_like(y_n)
            y_n = y_n.clamp(-1.0, 1.0)
        return y_n

    # -- loading --------------------------------------------------------------------
    def load_checkpoint(
        self,
        config: Any,
        checkpoint_path: str | os.PathLike[str],
        *,
        eval: bool = False,
        strict: bool = True,
        cache: bool = False,
        **kwargs: Any,
    ) -> None:
        """Load a released ``model.pth`` through the safe loader (weight-norm pairs folded).

        With ``eval`` the test noise schedule is set, otherwise the training one.
        """
        from TTS.core.checkpoint import fold_weight_norm, load_checkpoint_file, load_weights

        state = load_checkpoint_file(checkpoint_path)
        state_dict = fold_weight_norm(state.get("model", state))
        load_weights(self, state_dict, strict=strict)
        self.set_noise_schedule(config["test_noise_schedule" if eval else "train_noise_schedule"])
        if eval:
            self.eval()

    def remove_weight_norm(self) -> None:
        """No-op: weights are folded at load time (kept for API compatibility)."""

    def apply_weight_norm(self) -> None:
        """No-op at inference (kept for API compatibility)."""


_NUMPY_PICKLE_NAMES = {
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"),
    ("numpy._core.multiarray", "scalar"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
}


class _NumpyOnlyUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _NUMPY_PICKLE_NAMES:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a noise schedule file")
        return super().find_class(module, name)


def _load_betas(path: str | os.PathLike[str]) -> np.ndarray:
    try:
        with open(path, "rb") as fh:
            version = np.lib.format.read_magic(fh)
            read_header = (
                np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            )
            _, _, dtype = read_header(fh)
            if dtype.hasobject:
                value = _NumpyOnlyUnpickler(fh).load()
                value = value.item() if isinstance(value, np.ndarray) and value.shape == () else value
                betas = value["beta"] if isinstance(value, dict) else value
            else:
                fh.seek(0)
                betas = np.load(fh, allow_pickle=False)
    except (OSError, ValueError, KeyError, pickle.UnpicklingError) as err:
        raise CheckpointError(f"Could not read the WaveGrad noise schedule {path}: {err}") from err
    return np.asarray(betas, dtype=np.float64).reshape(-1)
