"""Waveform parity with upstream coqui-tts 0.28 VITS (references from tools/oracle/make_vits_refs.py)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tests.vits.fixtures import CASES, aux_tensors, load_model

TOL = 1e-4


@pytest.fixture(scope="module", params=CASES)
def loaded(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    return load_model(request.param, folder)


def _close(ours: np.ndarray, ref: np.ndarray) -> None:
    assert ours.shape == ref.shape, f"length {ours.shape} != upstream {ref.shape}"
    err = float(np.abs(ours - ref).max())
    assert err < TOL, f"max abs error {err:.3g}"


def test_waveform_from_ids(loaded):
    model, manifest, ref = loaded
    x = torch.from_numpy(ref["ids"])[None]
    out = model.inference(x, aux_input=aux_tensors(manifest, x.shape[1]))
    np.testing.assert_array_equal(out["durations"][0, 0].numpy(), ref["durations_ids"])
    assert out["model_outputs"].shape[:2] == (1, 1)
    _close(out["model_outputs"][0, 0].numpy(), ref["wav_ids"])


def test_waveform_fixed_durations(loaded):
    model, manifest, ref = loaded
    if manifest["case"] not in ("multispeaker_ids", "yourtts_dvectors"):
        pytest.skip("covered by the conditioned cases (keeps the suite fast)")
    x = torch.from_numpy(ref["ids"])[None]
    aux = aux_tensors(manifest, x.shape[1])
    aux["durations"] = torch.from_numpy(((np.arange(x.shape[1]) % 4) + 1).astype(np.float32))[None]
    _close(model.inference(x, aux_input=aux)["model_outputs"][0, 0].numpy(), ref["wav_fixed_durations"])


def test_batch_with_padding_matches_single(loaded):
    model, manifest, ref = loaded
    if manifest["case"] != "yourtts_dvectors":
        pytest.skip("one conditioned case is enough (keeps the suite fast)")
    x = torch.from_numpy(ref["ids"])[None]
    aux = aux_tensors(manifest, x.shape[1])
    short = x[:, :15]
    batch = torch.cat([x, torch.nn.functional.pad(short, (0, x.shape[1] - 15))])
    aux_b = {"x_lengths": torch.tensor([x.shape[1], 15])}
    for key in ("speaker_ids", "d_vectors", "language_ids"):
        if key in aux:
            aux_b[key] = torch.cat([aux[key], aux[key]])
    out = model.inference(batch, aux_input=aux_b)
    n = ref["wav_ids"].shape[0]
    assert float(np.abs(out["model_outputs"][0, 0, :n].numpy() - ref["wav_ids"]).max()) < TOL


def test_synthesize_text_by_name(loaded):
    pytest.importorskip("TTS.tts.utils.text.tokenizer")
    model, manifest, ref = loaded
    synth = manifest["synthesize"]
    if manifest["config"].get("use_phonemes"):
        from TTS.tts.utils.text.phonemizers import espeak_wrapper  # noqa: F401  (skip cleanly if absent)
    result = model.synthesize(synth["text"], speaker=synth["speaker"], language=synth["language"])
    np.testing.assert_array_equal(result["text_inputs"][0].numpy(), ref["ids_text"])
    assert result["wav"].dtype == np.float32 and result["wav"].ndim == 1
    _close(result["wav"], ref["wav_text"])
