"""How a model family registers its MPS emulation cases.

A family adds ``tests/<family>/mps_case.py`` with a function ``mps_cases()``
returning a list of :class:`MpsCase`. ``tests/mps/test_family_emulation.py``
finds every such file and runs each case twice under
:func:`TTS.core.mps.mps_emulation`: with the MPS-safe path forced on it must
pass, with it forced off it must fail with MPS's conv error.
``tests/mps/test_device_mps.py`` runs the same cases on a real MPS device and
compares with CPU. See ``tests/mps/README.md``.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from TTS.core.device import prepare_model

__all__ = ["MPS_CONV_ERROR", "MpsCase", "discover_mps_cases", "output_arrays"]

TESTS_DIR = Path(__file__).resolve().parents[1]
# What real MPS raises (NotImplementedError) on macOS < 15.1, and what the emulation raises too.
MPS_CONV_ERROR = "Output channels > 65536 not supported at the MPS device"


@dataclass(frozen=True)
class MpsCase:
    """One long inference of a model family.

    Attributes:
        name: short id shown by pytest, e.g. ``"xtts-long-reference"``.
        build: ``build(device)`` makes the model (tiny config, deterministic weights),
            moves it with ``TTS.core.device.prepare_model(model, device)`` -- directly or
            through the family's real loading path, which must call it -- and returns
            ``run()``: a callable doing one long, deterministic inference and returning
            its output (tensor, ndarray, or a dict/list/tuple of them). ``build`` is called
            fresh for every run, after the test has set ``TTS_FORCE_MPS_SAFE``.
        min_output_samples: when set, the last dim of the largest output must be at least
            this long (e.g. ``6 * 24000`` for 6 s at 24 kHz), so a case cannot get short.
        atol, rtol: tolerance of the MPS-vs-CPU comparison in ``test_device_mps.py``.
    """

    name: str
    build: Callable[[str], Callable[[], Any]]
    min_output_samples: int | None = None
    atol: float = 1e-3
    rtol: float = 1e-3

    @classmethod
    def from_module(
        cls,
        name: str,
        make_module: Callable[[], nn.Module],
        run: Callable[[nn.Module, torch.device], Any],
        **kwargs: Any,
    ) -> MpsCase:
        """A case for a plain module: ``run(model, device)`` does the long inference."""

        def build(device: str = "cpu") -> Callable[[], Any]:
            model = prepare_model(make_module().eval(), device)
            target = next(model.parameters()).device
            return lambda: run(model, target)

        return cls(name=name, build=build, **kwargs)


def _load(path: Path) -> Any:
    package = path.parent
    if (package / "__init__.py").exists():
        return importlib.import_module(f"tests.{package.name}.mps_case")
    spec = importlib.util.spec_from_file_location(f"tests_{package.name}_mps_case", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def discover_mps_cases() -> list[tuple[str, MpsCase | BaseException]]:
    """Every case from ``tests/*/mps_case.py``; a file that fails to load yields its error (so it fails loudly)."""
    found: list[tuple[str, MpsCase | BaseException]] = []
    for path in sorted(TESTS_DIR.glob("*/mps_case.py")):
        family = path.parent.name
        try:
            cases = list(_load(path).mps_cases())
        except Exception as err:  # reported as a failing test, not swallowed
            found.append((f"{family}:<load error>", err))
            continue
        for case in cases:
            found.append((f"{family}:{case.name}", case))
    return found


def output_arrays(out: Any) -> list[np.ndarray]:
    """The array leaves of a case's output, as float32 numpy arrays on the CPU."""
    if isinstance(out, torch.Tensor):
        return [out.detach().to("cpu", torch.float32).numpy()]
    if isinstance(out, np.ndarray):
        return [out.astype(np.float32, copy=False)]
    if isinstance(out, dict):
        return [a for key in sorted(out, key=str) for a in output_arrays(out[key])]
    if isinstance(out, (list, tuple)):
        return [a for item in out for a in output_arrays(item)]
    return []
