"""Inputs a model cannot use are reported (warned once or refused), never silently dropped;
reference audio for cloning is checked the same way for every cloning model."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import soundfile as sf

from TTS.api import TTS
from TTS.core.errors import AudioLoadError, InvalidInputError
from TTS.utils.synthesizer import IgnoredInputWarning


def _api(folder) -> TTS:
    return TTS(model_path=str(folder / "model.pth"), config_path=str(folder / "config.json"), progress_bar=False)


@pytest.fixture(scope="module")
def api_single(vits_single):
    return _api(vits_single)


@pytest.fixture(scope="module")
def api_yourtts(vits_yourtts):
    return _api(vits_yourtts)


def _ignored(record) -> list[str]:
    return [str(w.message) for w in record if issubclass(w.category, IgnoredInputWarning)]


def test_unknown_keyword_warns_once_naming_it(api_single):
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        api_single.tts("Hello.", temprature=0.5)
        api_single.tts("Hello.", temprature=0.5)
    messages = _ignored(record)
    assert len(messages) == 1 and "temprature=" in messages[0] and "length_scale" in messages[0], messages
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        api_single.tts("Hello.", speed=1.1, length_scale=1.0)  # options VITS uses: no warning
    assert _ignored(record) == []


def test_speaker_wav_and_styles_on_a_model_without_them_warn(api_single, vits_single, tmp_path):
    wav = tmp_path / "ref.wav"
    sf.write(wav, 0.3 * np.sin(np.arange(16000) / 5).astype(np.float32), 16000)
    with pytest.warns(IgnoredInputWarning, match=r"speaker_wav=.*cannot clone"):
        api_single.tts("Hello.", speaker_wav=str(wav))
    with pytest.warns(IgnoredInputWarning, match=r"style_wav=.*no GST or Capacitron"):
        api_single.tts("Hello.", style_wav=str(wav))
    with pytest.warns(IgnoredInputWarning, match=r"style_text="):
        api_single.tts("Hello.", style_text="Hello.")


def test_speaker_wav_on_multi_speaker_model_without_encoder_warns(vits_multi, tmp_path):
    wav = tmp_path / "ref.wav"
    sf.write(wav, 0.3 * np.sin(np.arange(16000) / 5).astype(np.float32), 16000)
    api = _api(vits_multi)
    with pytest.warns(IgnoredInputWarning, match=r"speaker_wav=.*speaker="):
        api.tts("Hello.", speaker="p225", speaker_wav=str(wav))
    with pytest.raises(InvalidInputError, match=r"several speakers: pass speaker=<name>, one of: p225, p226, p227"):
        api.tts("Hello.")


@pytest.mark.parametrize(
    "samples, rate, message",
    [
        (np.zeros(32000, dtype=np.float32), 16000, "is silent"),
        (0.3 * np.sin(np.arange(3040) / 5).astype(np.float32), 16000, r"too short \(0\.19 s; at least 0\.33 s"),
    ],
)
def test_yourtts_refuses_silent_or_short_reference(api_yourtts, tmp_path, samples, rate, message):
    wav = tmp_path / "ref.wav"
    sf.write(wav, samples, rate)
    with pytest.raises(AudioLoadError, match=message) as info:
        api_yourtts.tts("Hello.", speaker_wav=str(wav), language="en")
    assert str(wav) in str(info.value)


def test_language_case_and_unknown_codes(api_yourtts):
    speaker = api_yourtts.speakers[0]
    assert len(api_yourtts.tts("Hi.", speaker=speaker, language="EN")) > 0  # the model's "en"
    assert len(api_yourtts.tts("Hi.", speaker=speaker, language="FR-FR")) > 0
    messages = []
    for code in ("en-US", "xx", "Klingon"):
        with pytest.raises(InvalidInputError) as info:
            api_yourtts.tts("Hi.", speaker=speaker, language=code)
        messages.append(str(info.value))
        assert str(info.value).startswith(f"Unknown language {code!r}. Valid languages: en, fr-fr, pt-br.")
        assert "tts --" not in str(info.value)  # Python wording in the Python API
    assert messages[0].endswith("Did you mean 'en'?")


def test_cuda_messages_speak_python(vits_single, api_single):
    import torch

    if torch.cuda.is_available():
        pytest.skip("CUDA present")
    with pytest.warns(DeprecationWarning), pytest.raises(InvalidInputError) as info:
        TTS(model_path=str(vits_single / "model.pth"), gpu=True)
    assert "gpu=True" in str(info.value) and "--device" not in str(info.value)
    with pytest.raises(InvalidInputError) as info:
        api_single.to("cuda")
    assert '"cpu"' in str(info.value) and "--device" not in str(info.value)
    assert str(api_single.device) == "cpu"
