"""VITS on a CUDA GPU: upstream's CPU references hold there too (marker ``cuda``).

Noise-free decoding of the parity cases (phoneme, speaker ids, YourTTS d-vectors and languages,
graphemes) on the GPU with TF32 off: the same durations and the waveform to 1e-4.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tests.gpu.cuda import CUDA_MARKS, as_numpy, exact_fp32, max_abs_err
from tests.vits.fixtures import CASES, aux_tensors, load_model

pytestmark = CUDA_MARKS


@pytest.mark.parametrize("case", CASES)
def test_waveform_on_cuda_matches_upstream(case, tmp_path):
    model, manifest, ref = load_model(case, tmp_path)
    model.cuda()
    x = torch.from_numpy(ref["ids"])[None].cuda()
    aux = {k: v.cuda() for k, v in aux_tensors(manifest, x.shape[1]).items()}
    with torch.inference_mode(), exact_fp32():
        out = model.inference(x, aux_input=aux)
    assert out["model_outputs"].device.type == "cuda"
    np.testing.assert_array_equal(as_numpy(out["durations"][0, 0]), ref["durations_ids"])
    assert max_abs_err(out["model_outputs"][0, 0], ref["wav_ids"]) < 1e-4
