"""On a real Apple MPS device: every registered case matches CPU within its stated tolerance.

Marked ``mps``; skipped where MPS is missing or a real allocation on it fails.
Run with ``pytest -m mps tests/mps``.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tests.mps.cases import MPS_CONV_ERROR, MpsCase, discover_mps_cases, output_arrays
from TTS.core.device import _mps_probe, macos_version, mps_available, prepare_model

pytestmark = [
    pytest.mark.mps,
    pytest.mark.skipif(not mps_available(), reason=f"no usable MPS device: {_mps_probe()}"),
]
CASES = discover_mps_cases()


def test_long_conv_on_mps_device(monkeypatch):
    """A 10 s, 16 kHz pre-emphasis conv: works through prepare_model, and on macOS < 15.1 the raw
    conv fails with the very error that the emulation raises (so the emulation models the real limit)."""
    monkeypatch.delenv("TTS_FORCE_MPS_SAFE", raising=False)
    conv = torch.nn.Conv1d(1, 1, 2, bias=False)
    x = torch.randn(1, 1, 160_000)
    expected = conv(x).detach()
    version = macos_version()
    if version is not None and version < (15, 1):
        with torch.inference_mode(), pytest.raises(NotImplementedError, match=MPS_CONV_ERROR):
            torch.nn.functional.conv1d(x.to("mps"), conv.weight.detach().to("mps"))
    model = prepare_model(conv, "mps")
    with torch.inference_mode():
        out = model(x.to("mps")).cpu()
    np.testing.assert_allclose(out.numpy(), expected.numpy(), atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize("entry", [e for _, e in CASES], ids=[i for i, _ in CASES])
def test_case_matches_cpu(entry):
    if isinstance(entry, BaseException):
        raise entry
    case: MpsCase = entry
    cpu = output_arrays(case.build("cpu")())
    mps = output_arrays(case.build("mps")())
    assert len(cpu) == len(mps)
    for a, b in zip(cpu, mps):
        assert a.shape == b.shape
        np.testing.assert_allclose(b, a, atol=case.atol, rtol=case.rtol, err_msg=case.name)
