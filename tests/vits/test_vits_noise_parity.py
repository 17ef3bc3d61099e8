"""Seeded noise against upstream coqui-tts 0.28 VITS (references from tools/oracle/make_vits_noise_refs.py).

With non-zero ``inference_noise_scale`` / ``inference_noise_scale_dp`` and the same torch
seed, our model must draw the same noise in the same order as upstream's: same durations,
same waveform.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from tests.vits.fixtures import DATA, aux_tensors, load_case, load_model

META = json.loads((DATA / "noise.json").read_text())
REFS = dict(np.load(DATA / "noise.npz"))


@pytest.mark.parametrize("name", sorted(META["runs"]))
def test_seeded_noise_matches_upstream(name, tmp_path):
    run = META["runs"][name]
    model, manifest, _ = load_model(run["case"], tmp_path)
    ids = load_case(run["case"])[1]["ids"]
    x = torch.from_numpy(ids)[None]
    model.inference_noise_scale = run["noise_scale"]
    model.inference_noise_scale_dp = run["noise_scale_dp"]
    model.length_scale = run["length_scale"]
    torch.manual_seed(run["seed"])
    out = model.inference(x, aux_input=aux_tensors(manifest, x.shape[1]))
    np.testing.assert_array_equal(out["durations"][0, 0].numpy(), REFS[f"{name}_durations"])
    wav = out["model_outputs"][0, 0].numpy()
    assert wav.shape == REFS[f"{name}_wav"].shape
    np.testing.assert_allclose(wav, REFS[f"{name}_wav"], atol=1e-4, rtol=0)
