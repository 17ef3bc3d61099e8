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


def _kwargs(manifest):
    aux = manifest["aux"]
    return {
        "speaker_id": aux.get("speaker_ids", [None])[0],
        "language_id": aux.get("language_ids", [None])[0],
        "d_vector": np.asarray(aux["d_vectors"][0], dtype=np.float32) if "d_vectors" in aux else None,
    }


@pytest.mark.parametrize("case", ["graphemes", "multispeaker_ids", "yourtts_dvectors"])
def test_split_export_matches_upstream_with_onnxruntime(case, tmp_path):
    model, manifest, ref = load_model(case, tmp_path)
    folder = tmp_path / "split"
    model.export_onnx(str(folder), split_decoder=True)
    assert sorted(p.name for p in folder.iterdir()) == ["decoder.onnx", "frontend.onnx"]
    model.load_onnx(str(folder))
    assert model.onnx_sess.decoder_precision == "f32"
    audio = model.inference_onnx(ref["ids"][None], **_kwargs(manifest))
    assert audio.shape == (1, ref["wav_ids"].shape[0])
    assert float(np.abs(audio[0] - ref["wav_ids"]).max()) < TOL


def test_split_export_with_openvino(tmp_path):
    pytest.importorskip("openvino")
    from TTS.tts.export.onnx_split import openvino_has_bf16

    model, manifest, ref = load_model("multispeaker_ids", tmp_path)
    folder = tmp_path / "split"
    model.export_onnx(str(folder), split_decoder=True)
    kwargs = _kwargs(manifest)
    model.load_onnx(str(folder), runtime="openvino")
    audio = model.inference_onnx(ref["ids"][None], **kwargs)[0]
    assert audio.shape == ref["wav_ids"].shape
    assert float(np.abs(audio - ref["wav_ids"]).max()) < TOL
    model.load_onnx(str(folder), runtime="openvino", reduced_precision=True)
    assert model.onnx_sess.decoder_precision == ("bf16" if openvino_has_bf16() else "f32")
    fast = model.inference_onnx(ref["ids"][None], **kwargs)[0]
    assert fast.shape == ref["wav_ids"].shape  # durations and the flow stay fp32: same length
    noise = float(np.sum((fast - ref["wav_ids"]) ** 2))
    assert 10 * np.log10(float(np.sum(ref["wav_ids"] ** 2)) / max(noise, 1e-20)) > 20.0


def test_split_export_errors_say_what_to_do(tmp_path):
    model, _, _ = load_model("graphemes", tmp_path)
    path = tmp_path / "single.onnx"
    model.export_onnx(str(path))
    with pytest.raises(InvalidInputError, match="split_decoder=True"):
        model.load_onnx(str(path), reduced_precision=True)
    (tmp_path / "empty").mkdir()
    with pytest.raises(InvalidInputError, match="frontend.onnx, decoder.onnx missing"):
        model.load_onnx(str(tmp_path / "empty"))
    model.export_onnx(str(tmp_path / "split"), split_decoder=True)
    with pytest.raises(InvalidInputError, match="Unknown ONNX runtime"):
        model.load_onnx(str(tmp_path / "split"), runtime="tensorrt")
