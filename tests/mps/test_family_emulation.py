"""Every registered model family runs its long inference under MPS emulation.

Cases come from ``tests/*/mps_case.py`` (see ``tests/mps/README.md``). Each must
(a) pass under emulation with the MPS-safe path forced on (``TTS_FORCE_MPS_SAFE=1``,
honoured by ``prepare_model(model, "cpu")``) and (b) fail with MPS's conv error
with it forced off -- which proves the emulation really bites for that family.
"""

from __future__ import annotations

import pytest

from tests.mps.cases import MPS_CONV_ERROR, MpsCase, discover_mps_cases, output_arrays
from TTS.core.mps import mps_emulation

CASES = discover_mps_cases()


def _case(entry: MpsCase | BaseException) -> MpsCase:
    if isinstance(entry, BaseException):
        raise entry
    return entry


def test_own_case_is_registered():
    assert any(case_id.startswith("mps:") for case_id, _ in CASES)


@pytest.mark.parametrize("entry", [e for _, e in CASES], ids=[i for i, _ in CASES])
def test_passes_with_mps_safe_path(entry, monkeypatch):
    case = _case(entry)
    monkeypatch.setenv("TTS_FORCE_MPS_SAFE", "1")
    run = case.build("cpu")
    with mps_emulation() as emulation:
        out = run()
    assert not emulation.violations
    arrays = output_arrays(out)
    assert arrays, f"{case.name}: run() returned no tensor or array"
    if case.min_output_samples:
        longest = max(a.shape[-1] for a in arrays if a.ndim)
        assert longest >= case.min_output_samples, f"{case.name}: output of {longest} samples is too short"


@pytest.mark.parametrize("entry", [e for _, e in CASES], ids=[i for i, _ in CASES])
def test_fails_without_mps_safe_path(entry, monkeypatch):
    case = _case(entry)
    monkeypatch.setenv("TTS_FORCE_MPS_SAFE", "0")
    run = case.build("cpu")
    with mps_emulation(), pytest.raises(NotImplementedError, match=MPS_CONV_ERROR):
        run()
