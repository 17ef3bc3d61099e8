"""XTTS end to end against upstream coqui-tts 0.28's Synthesizer (refs: tools/oracle/make_xtts_pipeline_refs.py).

A released-layout folder, a voice cloned from a 44.1 kHz reference, several sentences spoken
with the config's sampling settings after seeding torch: sentence cuts, tokens, sampled codes
(the random stream runs on across sentences), decoder and silences must all agree.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import soundfile as sf
import torch

from tests.xtts import fixture
from tests.xtts.conftest import released_state_dict, write_model_folder
from TTS.utils.synthesizer import Synthesizer

META = json.loads((fixture.DATA / "pipeline.json").read_text())


@pytest.mark.parametrize("name", sorted(META["runs"]))
def test_seeded_multi_sentence_cloning_matches_upstream(name, manifest, tmp_path):
    run = META["runs"][name]
    folder = write_model_folder(tmp_path / "xtts", released_state_dict(manifest), speakers=False)
    ref = tmp_path / "ref.wav"
    sf.write(ref, fixture.reference_audio(4.5), fixture.REFERENCE_RATE_HZ, subtype="FLOAT")
    synth = Synthesizer(tts_checkpoint=str(folder), tts_config_path=str(folder / "config.json"))
    torch.manual_seed(run["seed"])
    wav = np.asarray(synth.tts(run["text"], speaker_wav=str(ref), language_name=run["language"]), dtype=np.float32)
    with np.load(fixture.DATA / "pipeline.npz") as data:
        expected = data[name]
    assert wav.shape == expected.shape
    np.testing.assert_allclose(wav, expected, atol=1e-3, rtol=0)
