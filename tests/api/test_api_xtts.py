"""XTTS through the API and the synthesizer: a model folder, built-in speakers, languages."""

from __future__ import annotations

import pytest

from tests.api.tiny_models import build_xtts_folder
from TTS.api import TTS
from TTS.core.errors import InvalidInputError
from TTS.utils.synthesizer import Synthesizer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def xtts_folder(tmp_path_factory):
    return build_xtts_folder(tmp_path_factory.mktemp("xtts_api"))


def test_xtts_folder_through_api(xtts_folder, tmp_path):
    api = TTS(model_path=str(xtts_folder), config_path=str(xtts_folder / "config.json"), progress_bar=False)
    assert api.is_multi_lingual and api.is_multi_speaker
    assert "Ana Florence" in api.speakers
    assert {"en", "fr", "zh-cn"} <= set(api.languages)
    assert api.synthesizer.output_sample_rate == 24000
    with pytest.raises(InvalidInputError, match="multilingual: pass `language`"):
        api.tts("Hello.", speaker="Ana Florence")
    with pytest.raises(InvalidInputError, match="Valid languages: en"):
        api.tts("Hello.", speaker="Ana Florence", language="xx")
    with pytest.raises(InvalidInputError, match="Unknown speaker 'Nobody'"):
        api.tts("Hello.", speaker="Nobody", language="en")
    with pytest.raises(InvalidInputError, match="Did you mean 'Ana Florence'"):
        api.tts("Hello.", speaker="ana florence", language="en")
    with pytest.raises(InvalidInputError, match="Did you mean 'Ana Florence'"):
        api.tts("Hello.", speaker="Ana Florance", language="en")
    out = api.tts_to_file("Hello.", speaker="Ana Florence", language="en", file_path=tmp_path / "x.wav")
    assert (tmp_path / "x.wav").stat().st_size > 1000 and out.endswith("x.wav")


def test_xtts_model_dir_022_form(xtts_folder):
    synth = Synthesizer(model_dir=str(xtts_folder))
    assert synth.speaker_names == ["Ana Florence"] and synth.output_sample_rate == 24000
    # "zh" is accepted for "zh-cn" like the model itself does
    synth.check_speaker_and_language("Ana Florence", "zh", None)


def test_sentence_splitting_reaches_xtts_and_unknown_options_are_refused(xtts_folder, monkeypatch):
    import functools

    import numpy as np

    api = TTS(model_path=str(xtts_folder), config_path=str(xtts_folder / "config.json"), progress_bar=False)
    model = api.synthesizer.tts_model
    seen: list[dict] = []
    real_inference = model.inference

    @functools.wraps(real_inference)  # same signature: the synthesizer reads XTTS's options from it
    def spy(text, language, *args, **kwargs):
        seen.append(kwargs)
        return {"wav": np.zeros(240, dtype=np.float32)}

    monkeypatch.setattr(model, "inference", spy)
    # the CLI/API default: a single over-long sentence is split by XTTS itself, not refused
    api.tts("hello " * 100, speaker="Ana Florence", language="en")
    assert seen[-1]["enable_text_splitting"] is True
    api.tts("Hello.", speaker="Ana Florence", language="en", split_sentences=False)
    assert not seen[-1].get("enable_text_splitting")
    api.tts("Hello.", speaker="Ana Florence", language="en", enable_text_splitting=False)
    assert seen[-1]["enable_text_splitting"] is False  # an explicit choice wins
    with pytest.raises(InvalidInputError, match=r"Unknown XTTS option temprature=\. Valid options: .*temperature"):
        api.tts("Hello.", speaker="Ana Florence", language="en", temprature=0.5)
    api.tts("Hello.", speaker="Ana Florence", language="en", temperature=0.5, top_k=3)
    assert seen[-1]["temperature"] == 0.5 and seen[-1]["top_k"] == 3
    monkeypatch.setattr(model, "inference", real_inference)
    with pytest.raises(InvalidInputError, match="too long for XTTS"):  # what the option changes, unpatched
        api.tts("hello " * 100, speaker="Ana Florence", language="en", split_sentences=False)


def test_xtts_without_its_speakers_file_says_so(xtts_folder, tmp_path):
    import shutil

    folder = tmp_path / "no_speakers"
    shutil.copytree(xtts_folder, folder)
    (folder / "speakers_xtts.pth").unlink()
    api = TTS(model_path=str(folder), config_path=str(folder / "config.json"), progress_bar=False)
    with pytest.raises(InvalidInputError, match="speakers file .*missing.*speaker_wav="):
        api.tts("Hello.", speaker="Ana Florence", language="en")
