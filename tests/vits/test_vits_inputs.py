"""Speakers and languages by name or id, and bad input (unknown names, empty text)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tests.vits.fixtures import load_model
from TTS.core.errors import InvalidInputError
from TTS.tts.utils.voices import resolve_language, resolve_speaker


@pytest.fixture(scope="module")
def multispeaker(tmp_path_factory):
    return load_model("multispeaker_ids", tmp_path_factory.mktemp("ms"))


@pytest.fixture(scope="module")
def yourtts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("yt")
    return (*load_model("yourtts_dvectors", folder), folder)


def _speaker(model, speaker=None, speaker_wav=None):
    return resolve_speaker(
        model.speaker_manager,
        use_speaker_embedding=bool(model.args.use_speaker_embedding),
        use_d_vector_file=bool(model.args.use_d_vector_file),
        speaker=speaker,
        speaker_wav=speaker_wav,
        device=torch.device("cpu"),
    )


def test_speaker_by_name_and_id(multispeaker):
    model, _, _ = multispeaker
    assert model.speaker_names == ["p225", "p226", "p227"]
    assert model.language_names == []
    assert _speaker(model, "p227")[0].tolist() == [2]
    assert _speaker(model, 1)[0].tolist() == [1]
    assert _speaker(model, "0")[0].tolist() == [0]


def test_unknown_speaker_lists_valid_ones(multispeaker):
    model, _, _ = multispeaker
    with pytest.raises(InvalidInputError, match="p225, p226, p227"):
        _speaker(model, "nobody")
    with pytest.raises(InvalidInputError, match="p225"):
        _speaker(model, None)


def test_dvector_speaker_and_language_by_name(yourtts):
    model, manifest, ref, _ = yourtts
    assert model.speaker_names == ["female-en-5", "male-pt-3"]
    assert model.language_names == ["en", "fr-fr", "pt-br"]
    sid, d_vector = _speaker(model, "male-pt-3")
    assert sid is None and d_vector.shape == (1, 512)
    expected = np.mean(
        [e["embedding"] for e in model.speaker_manager.embeddings.values() if e["name"] == "male-pt-3"], 0
    )
    np.testing.assert_allclose(d_vector[0].numpy(), expected, rtol=0, atol=1e-6)
    assert resolve_language(model.language_manager, "pt-br") == (2, "pt-br")
    assert resolve_language(model.language_manager, 1) == (1, "fr-fr")


def test_unknown_language_lists_valid_ones(yourtts):
    model = yourtts[0]
    with pytest.raises(InvalidInputError, match="en, fr-fr, pt-br"):
        resolve_language(model.language_manager, "de")
    with pytest.raises(InvalidInputError, match="multilingual"):
        resolve_language(model.language_manager, None)
    with pytest.raises(InvalidInputError):
        model.synthesize("Bonjour", speaker="male-pt-3", language="klingon")


def test_dvector_from_reference_wav_matches_upstream(yourtts):
    model, _, ref, folder = yourtts
    sid, d_vector = _speaker(model, speaker_wav=str(folder / "ref.wav"))
    assert sid is None
    assert float(np.abs(d_vector[0].numpy() - ref["dvector_ref_wav"]).max()) < 1e-5


def test_cloned_voice_waveform(yourtts):
    pytest.importorskip("TTS.tts.utils.text.tokenizer")
    model, manifest, ref, folder = yourtts
    out = model.synthesize(manifest["synthesize"]["text"], speaker_wav=str(folder / "ref.wav"), language="pt-br")
    assert out["wav"].shape == ref["wav_cloned"].shape
    assert float(np.abs(out["wav"] - ref["wav_cloned"]).max()) < 1e-4


@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty_text(multispeaker, text):
    model = multispeaker[0]
    with pytest.raises(InvalidInputError, match="empty"):
        model.synthesize(text, speaker="p225")


def test_knobs_change_output(multispeaker):
    model, manifest, ref = multispeaker
    x = torch.from_numpy(ref["ids"])[None]
    base = model.inference(x, aux_input={"speaker_ids": torch.tensor([0])})["model_outputs"]
    slow = model.inference(x, aux_input={"speaker_ids": torch.tensor([0]), "length_scale": 2.0})["model_outputs"]
    assert slow.shape[-1] > base.shape[-1]
    torch.manual_seed(0)
    noisy = model.inference(x, aux_input={"speaker_ids": torch.tensor([0]), "inference_noise_scale": 0.667})
    assert noisy["model_outputs"].shape == base.shape and not torch.equal(noisy["model_outputs"], base)
