"""The one device policy: ``auto`` picks CUDA, then MPS, then CPU.

MPS (Apple Silicon) needs care beyond ``.to("mps")``:

* On macOS < 15.1 no convolution output may have a dimension above 65536 (for
  transposed convs, no input). :func:`prepare_model` then switches every conv
  to the chunked path of :mod:`TTS.core.mps`. ``TTS_FORCE_MPS_SAFE=1`` turns it
  on everywhere (tests use it on CPU), ``TTS_FORCE_MPS_SAFE=0`` turns it off.
* MPS has no float64: float64 parameters and buffers are cast to float32.
* ``PYTORCH_ENABLE_MPS_FALLBACK=1`` runs *missing* ops on the CPU (torch then
  warns once per op); it does not fix the conv limit, which is a failing op,
  not a missing one.
* ``torch.backends.mps.is_available()`` can be true where allocations still
  fail (virtualised CI runners), so availability is probed with a real tensor.
"""

from __future__ import annotations

import functools
import logging
import os
import platform
import re
import warnings

import torch
from torch import nn

from TTS.core.errors import InvalidInputError

__all__ = ["cuda_problem", "resolve_device", "mps_available", "mps_safe_required", "prepare_model", "macos_version"]

logger = logging.getLogger(__name__)

FORCE_MPS_SAFE_ENV = "TTS_FORCE_MPS_SAFE"
_DEVICE_CHOICES = "auto, cpu, cuda, cuda:N, mps"
_said: set[str] = set()  # messages already given once in this process


def _once(key: str) -> bool:
    if key in _said:
        return False
    _said.add(key)
    return True


def macos_version() -> tuple[int, ...] | None:
    """macOS version as a tuple (e.g. ``(14, 6)``), or None elsewhere."""
    release = platform.mac_ver()[0]
    if not release:
        return None
    return tuple(int(part) for part in re.findall(r"\d+", release))


@functools.lru_cache(maxsize=1)
def _mps_probe() -> str | None:
    """None when a tensor can be allocated and computed on MPS, else the reason it cannot."""
    mps = getattr(torch.backends, "mps", None)
    if mps is None or not mps.is_built():
        return f"this torch build ({torch.__version__}) has no MPS support; MPS needs torch for macOS on Apple Silicon"
    if not mps.is_available():
        return "MPS is not available on this machine (it needs macOS 12.3+ on Apple Silicon)"
    try:
        value = (torch.ones(8, device="mps") * 2).sum().item()
    except Exception as err:  # any failure means MPS is unusable here
        return f"MPS reports available but allocating a tensor on it failed ({type(err).__name__}: {err})"
    if value != 16.0:
        return f"MPS reports available but computes wrong results (2*ones(8).sum() gave {value})"
    return None


def mps_available() -> bool:
    """True when MPS is built, available and a real allocation on it works (probed once)."""
    return _mps_probe() is None


def _cuda_problem(index: int | None) -> str | None:
    if not torch.backends.cuda.is_built():
        return f"CUDA is not available in this torch build ({torch.__version__}); install a CUDA build of torch"
    if not torch.cuda.is_available():
        return "this torch build has CUDA but no CUDA device or driver was found"
    count = torch.cuda.device_count()
    if index is not None and not 0 <= index < count:
        return f"cuda:{index} was asked for but only {count} CUDA device(s) are visible (cuda:0..cuda:{count - 1})"
    return None


def cuda_problem(index: int | None = None) -> str | None:
    """Why CUDA (device ``index``) cannot be used here, or None when it can."""
    return _cuda_problem(index)


def resolve_device(device: str | torch.device | None = "auto") -> torch.device:
    """Turn a user's device choice into an available ``torch.device``.

    Args:
        device: ``"auto"``/None (CUDA, then MPS, then CPU), ``"cpu"``, ``"cuda"``,
            ``"cuda:N"``, ``"mps"``, or a ``torch.device``.

    Raises:
        InvalidInputError: the device is unknown or not usable here, saying why.
    """
    if device is None:
        device = "auto"
    if isinstance(device, str):
        name = device.strip().lower()
        if name == "auto":
            if torch.cuda.is_available():
                return torch.device("cuda")
            if mps_available():
                return torch.device("mps")
            return torch.device("cpu")
        try:
            device = torch.device(name)
        except RuntimeError:
            raise InvalidInputError(f"Unknown device {device!r}; choose one of {_DEVICE_CHOICES}.") from None
    if not isinstance(device, torch.device):
        raise InvalidInputError(f"Unknown device {device!r}; choose one of {_DEVICE_CHOICES}.")
    if device.type == "cpu":
        return device
    if device.type == "cuda":
        problem = _cuda_problem(device.index)
    elif device.type == "mps":
        problem = _mps_probe()
    else:
        raise InvalidInputError(f"Device type {device.type!r} is not supported; choose one of {_DEVICE_CHOICES}.")
    if problem:
        raise InvalidInputError(
            f'Cannot use device {str(device)!r}: {problem}. Use the device "cpu" instead, '
            'or "auto" to pick the best available one.'
        )
    return device


def _force_flag() -> bool | None:
    value = os.environ.get(FORCE_MPS_SAFE_ENV, "").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    return None


def mps_safe_required(device: str | torch.device | None) -> bool:
    """Whether convs must use the chunked MPS-safe path on ``device``.

    True on MPS with macOS < 15.1 (or an unknown macOS version); ``TTS_FORCE_MPS_SAFE=1``
    makes it True for every device and ``TTS_FORCE_MPS_SAFE=0`` False.
    """
    forced = _force_flag()
    if forced is not None:
        return forced
    if device is None:
        return False
    if isinstance(device, str):
        device = resolve_device(device) if device.strip().lower() == "auto" else torch.device(device)
    if device.type != "mps":
        return False
    version = macos_version()
    return version is None or version < (15, 1)


def _cast_float64(model: nn.Module) -> None:
    wide = [name for name, t in (*model.named_parameters(), *model.named_buffers()) if t.dtype == torch.float64]
    if wide:
        logger.warning(
            "MPS has no float64: casting %d tensor(s) to float32 (%s%s)",
            len(wide),
            ", ".join(wide[:5]),
            ", ..." if len(wide) > 5 else "",
        )
        for sub in model.modules():
            for param in sub._parameters.values():
                if param is not None and param.dtype == torch.float64:
                    param.data = param.data.float()
            for key, buf in sub._buffers.items():
                if buf is not None and buf.dtype == torch.float64:
                    sub._buffers[key] = buf.float()


def prepare_model(model: nn.Module, device: str | torch.device | None = "auto") -> nn.Module:
    """Move ``model`` to ``device`` and switch on what that device needs; returns the model.

    On MPS with macOS < 15.1, or anywhere with ``TTS_FORCE_MPS_SAFE=1``, every conv
    is made MPS-safe (:func:`TTS.core.mps.make_mps_safe`).
    """
    target = resolve_device(device)
    if target.type == "mps":
        _cast_float64(model)
        if os.environ.get("PYTORCH_ENABLE_MPS_FALLBACK") and _once("fallback"):
            warnings.warn(
                "PYTORCH_ENABLE_MPS_FALLBACK is set: ops missing on MPS will run on the CPU (slower; torch names "
                "each once). It does not lift the MPS convolution size limit; coqui-tts-ng handles that itself.",
                stacklevel=2,
            )
    model = model.to(target)
    from TTS.core.mps import make_mps_safe, name_modules

    name_modules(model)  # so MPS errors in emulation and logs name the layer
    if mps_safe_required(target):
        make_mps_safe(model)
        version = macos_version()
        reason = (
            f"{FORCE_MPS_SAFE_ENV}=1"
            if _force_flag()
            else f"macOS {'.'.join(map(str, version)) if version else 'unknown'} < 15.1"
        )
        if _once("mps-safe"):
            logger.info(
                "MPS-safe convolutions on (%s): long convolutions run in chunks of 65536 steps on %s",
                reason,
                target,
            )
    return model
