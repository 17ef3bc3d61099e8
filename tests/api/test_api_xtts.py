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
    out = api.tts_to_file("Hello.", speaker="Ana Florence", language="en", file_path=tmp_path / "x.wav")
    assert (tmp_path / "x.wav").stat().st_size > 1000 and out.endswith("x.wav")


def test_xtts_model_dir_022_form(xtts_folder):
    synth = Synthesizer(model_dir=str(xtts_folder))
    assert synth.speaker_names == ["Ana Florence"] and synth.output_sample_rate == 24000
    # "zh" is accepted for "zh-cn" like the model itself does
    synth.check_speaker_and_language("Ana Florence", "zh", None)
