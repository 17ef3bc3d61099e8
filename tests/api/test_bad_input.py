"""Bad input through ``TTS.api.TTS``: a clear TTSError, never a crash from inside, and the
user's files (reference audio, model files) are never overwritten."""

from __future__ import annotations

import hashlib
import io
import shutil

import numpy as np
import pytest
import soundfile as sf

from TTS.api import TTS, check_output_path
from TTS.core.audio.io import load_audio, read_audio
from TTS.core.errors import AudioLoadError, InvalidInputError


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _voice(path, seconds: float = 1.0, rate: int = 16000, subtype: str = "PCM_16"):
    t = np.arange(int(seconds * rate), dtype=np.float32) / rate
    sf.write(path, 0.3 * np.sin(2 * np.pi * 150 * t), rate, subtype=subtype)
    return path


@pytest.fixture(scope="module")
def model_copy(vits_single, tmp_path_factory):
    """A private copy of the single-speaker folder (a failing test must not damage the shared one)."""
    folder = tmp_path_factory.mktemp("own") / "model"
    shutil.copytree(vits_single, folder)
    return folder


@pytest.fixture(scope="module")
def api(model_copy):
    return TTS(model_path=str(model_copy / "model.pth"), config_path=str(model_copy / "config.json"))


def test_output_over_the_reference_audio_is_refused(api, tmp_path):
    ref = _voice(tmp_path / "me.wav")
    before = _digest(ref)
    for given in (str(ref), [str(ref)], ref):
        with pytest.raises(InvalidInputError, match=r"is the input speaker_wav=.*overwrite"):
            api.tts_to_file("Hello.", speaker_wav=given, file_path=str(ref))
    # the same file through another spelling and through a symbolic link
    (tmp_path / "sub").mkdir()
    with pytest.raises(InvalidInputError, match="overwrite"):
        api.tts_to_file("Hello.", speaker_wav=str(ref), file_path=str(tmp_path / "sub" / ".." / "me.wav"))
    (tmp_path / "link.wav").symlink_to(ref)
    with pytest.raises(InvalidInputError, match="overwrite"):
        api.tts_to_file("Hello.", speaker_wav=str(ref), file_path=str(tmp_path / "link.wav"))
    assert _digest(ref) == before


def test_output_over_a_model_file_is_refused(api, model_copy):
    for name in ("config.json", "model.pth"):
        before = _digest(model_copy / name)
        with pytest.raises(InvalidInputError, match="a file of the loaded model"):
            api.tts_to_file("Hello.", file_path=str(model_copy / name))
        assert _digest(model_copy / name) == before


def test_output_over_vc_inputs_is_refused(api, tmp_path):
    source, target = _voice(tmp_path / "source.wav"), _voice(tmp_path / "target.wav")
    digests = (_digest(source), _digest(target))
    with pytest.raises(InvalidInputError, match="source_wav="):
        api.voice_conversion_to_file(source_wav=str(source), target_wav=str(target), file_path=str(source))
    with pytest.raises(InvalidInputError, match="target_wav="):
        api.voice_conversion_to_file(source_wav=str(source), target_wav=[str(target)], file_path=str(target))
    assert (_digest(source), _digest(target)) == digests


def test_output_to_a_file_object_and_odd_names(api, caplog):
    buffer = io.BytesIO()
    api.tts_to_file("Hello.", file_path=buffer)
    assert buffer.getvalue()[:4] == b"RIFF"
    with pytest.raises(InvalidInputError, match="file name"):
        check_output_path(3)
    with pytest.raises(InvalidInputError, match="empty"):
        check_output_path("  ")
    with caplog.at_level("WARNING", logger="TTS.api"):
        check_output_path("speech.mp3")
    assert "WAV data" in caplog.text


@pytest.mark.parametrize("text", [3, ["Hello."], b"Hello."])
def test_text_that_is_not_a_string(api, text):
    with pytest.raises(InvalidInputError, match="text must be a string"):
        api.tts(text)


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("speed", 0, r"speed=0 is out of range: it must be > 0"),
        ("speed", -1.0, "out of range"),
        ("speed", float("nan"), "out of range"),
        ("speed", "fast", "must be a number"),
        ("length_scale", -1, "out of range"),
        ("inference_noise_scale", -0.5, r"must be >= 0"),
    ],
)
def test_absurd_option_values(api, option, value, message):
    with pytest.raises(InvalidInputError, match=message):
        api.tts("Hello.", **{option: value})


def test_sensible_option_values_still_work(api):
    assert len(api.tts("Hello.", speed=1.5)) > 0


def test_model_name_that_is_not_a_string():
    with pytest.raises(InvalidInputError, match="model_name must be a released model name"):
        TTS(3)


def test_voice_conversion_on_a_model_without_it_says_what_to_use(tmp_path):
    pytest.importorskip("TTS.tts.models.glow_tts")
    from tests.api.tiny_models import build_glow_tts_and_hifigan

    folder, _ = build_glow_tts_and_hifigan(tmp_path)
    api = TTS(model_path=str(folder / "model.pth"), config_path=str(folder / "config.json"))
    source = _voice(tmp_path / "s.wav")
    with pytest.raises(InvalidInputError, match=r"\(GlowTTS\) cannot convert voices.*your_tts"):
        api.voice_conversion(source_wav=str(source), target_wav=str(source))


def test_audio_with_nan_samples_is_refused(tmp_path):
    path = tmp_path / "nan.wav"
    samples = 0.3 * np.sin(np.arange(16000, dtype=np.float32) / 5)
    samples[100:200] = np.nan
    sf.write(path, samples, 16000, subtype="FLOAT")
    with pytest.raises(AudioLoadError, match="NaN or infinite samples"):
        load_audio(path)


@pytest.mark.parametrize("source", [0, 5, True, None, 1.5])
def test_audio_source_that_is_not_a_path_is_refused(source):
    """soundfile reads an int as an open file descriptor (0 is stdin): never hand it one."""
    with pytest.raises(AudioLoadError, match="Expected an audio file path"):
        read_audio(source)


def test_reference_formats_still_load(tmp_path):
    for name, rate, subtype in (("a.wav", 8000, "PCM_16"), ("b.wav", 96000, "PCM_24"), ("c.wav", 16000, "FLOAT")):
        wav = load_audio(_voice(tmp_path / name, rate=rate, subtype=subtype), sample_rate_hz=16000)
        assert wav.shape == (1, 16000)


def test_options_checked_only_where_the_model_uses_them(tmp_path):
    """GlowTTS has no speed: speed=0 is ignored with a warning, not refused."""
    pytest.importorskip("TTS.tts.models.glow_tts")
    from tests.api.tiny_models import build_glow_tts_and_hifigan
    from TTS.utils.synthesizer import IgnoredInputWarning, _check_option_values

    folder, _ = build_glow_tts_and_hifigan(tmp_path)
    api = TTS(model_path=str(folder / "model.pth"), config_path=str(folder / "config.json"))
    with pytest.warns(IgnoredInputWarning, match="Ignoring speed="):
        assert len(api.tts("Hello.", speed=0)) > 0
    with pytest.raises(InvalidInputError, match=r"length_penalty=nan is out of range: it must be finite"):
        _check_option_values({"length_penalty": float("nan")})


def test_unknown_speaker_suggests_close_names(vits_multi):
    api = TTS(model_path=str(vits_multi / "model.pth"), config_path=str(vits_multi / "config.json"))
    with pytest.raises(InvalidInputError, match="Did you mean 'p225'") as info:
        api.tts("Hello.", speaker="P225")
    assert "Valid speakers: p225, p226, p227" in str(info.value)
    with pytest.raises(InvalidInputError, match="Did you mean 'p227' or 'p226' or 'p225'"):
        api.tts("Hello.", speaker="p228")
    with pytest.raises(InvalidInputError) as info:
        api.tts("Hello.", speaker="somebody")
    assert "Did you mean" not in str(info.value)
