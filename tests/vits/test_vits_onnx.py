"""ONNX export and onnxruntime inference equal the torch path (tolerance 1e-4 absolute)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tests.vits.fixtures import aux_tensors, load_model
from TTS.core.errors import InvalidInputError

pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")

TOL = 1e-4


@pytest.mark.parametrize("case", ["multispeaker_ids", "yourtts_dvectors"])
def test_onnx_matches_torch_and_upstream(case, tmp_path):
    model, manifest, ref = load_model(case, tmp_path)
    path = tmp_path / "vits.onnx"
    model.export_onnx(str(path))
    model.load_onnx(str(path))
    aux = manifest["aux"]
    kwargs = {
        "speaker_id": aux.get("speaker_ids", [None])[0],
        "language_id": aux.get("language_ids", [None])[0],
        "d_vector": np.asarray(aux["d_vectors"][0], dtype=np.float32) if "d_vectors" in aux else None,
    }
    audio = model.inference_onnx(ref["ids"][None], **kwargs)
    assert audio.shape == (1, ref["wav_ids"].shape[0])
    assert float(np.abs(audio[0] - ref["wav_ids"]).max()) < TOL
    # a different length than the export's dummy input, against the torch path
    x = torch.from_numpy(ref["ids"][:9])[None]
    torch_wav = model.inference(x, aux_input=aux_tensors(manifest, 9))["model_outputs"][0, 0].numpy()
    onnx_wav = model.inference_onnx(x, **kwargs)[0]
    assert onnx_wav.shape == torch_wav.shape
    assert float(np.abs(onnx_wav - torch_wav).max()) < TOL
    missing = "speaker_id" if case == "multispeaker_ids" else "d_vector"
    with pytest.raises(InvalidInputError, match=missing):
        model.inference_onnx(ref["ids"][None], **dict(kwargs, **{missing: None}))
