"""Every family's long MPS case (tests/*/mps_case.py) on a CUDA GPU against the CPU (marker ``cuda``).

Each case runs twice on the GPU: as is (no chunking on CUDA) and with ``TTS_FORCE_MPS_SAFE=1``
(the time-chunked convolutions), and both must equal the CPU output within the case's tolerance.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.gpu.cuda import CUDA_MARKS, exact_fp32
from tests.mps.cases import MpsCase, discover_mps_cases, output_arrays

pytestmark = CUDA_MARKS
CASES = discover_mps_cases()


@pytest.mark.parametrize("safe", ["0", "1"])
@pytest.mark.parametrize("entry", [e for _, e in CASES], ids=[i for i, _ in CASES])
def test_case_on_cuda_matches_cpu(entry, safe, monkeypatch):
    if isinstance(entry, BaseException):
        raise entry
    case: MpsCase = entry
    monkeypatch.setenv("TTS_FORCE_MPS_SAFE", "0")
    cpu = output_arrays(case.build("cpu")())
    monkeypatch.setenv("TTS_FORCE_MPS_SAFE", safe)
    with exact_fp32():
        gpu = output_arrays(case.build("cuda")())
    assert len(cpu) == len(gpu)
    for a, b in zip(cpu, gpu):
        assert a.shape == b.shape, case.name
        np.testing.assert_allclose(b, a, atol=case.atol, rtol=case.rtol, err_msg=case.name)
