"""TTS.api.TTS and Synthesizer: signatures (0.22 and 0.28 forms) and end-to-end runs on tiny models."""

from __future__ import annotations

import inspect
import io
import json

import numpy as np
import pytest
import soundfile as sf

from TTS.api import TTS, check_output_path
from TTS.core.errors import InvalidInputError, ModelNotFoundError
from TTS.utils.synthesizer import PAD_SILENCE_SAMPLES, Synthesizer


def _params(fn):
    return inspect.signature(fn).parameters


def test_tts_constructor_signature():
    params = _params(TTS.__init__)
    positional = [n for n, p in params.items() if p.kind is p.POSITIONAL_OR_KEYWORD and n != "self"]
    # 0.22 order, still usable positionally
    assert positional == [
        "model_name",
        "model_path",
        "config_path",
        "vocoder_path",
        "vocoder_config_path",
        "progress_bar",
        "gpu",
    ]
    for name in ("vocoder_name", "encoder_path", "encoder_config_path", "speakers_file_path"):
        assert params[name].kind is inspect.Parameter.KEYWORD_ONLY
    assert params["model_name"].default == "" and params["progress_bar"].default is True
    assert params["gpu"].default is False


def test_tts_methods_exist():
    for name in (
        "list_models",
        "download_model_by_name",
        "load_model_by_name",
        "load_tts_model_by_name",
        "load_vc_model_by_name",
        "load_tts_model_by_path",
        "tts",
        "tts_to_file",
        "voice_conversion",
        "voice_conversion_to_file",
        "tts_with_vc",
        "tts_with_vc_to_file",
    ):
        assert callable(getattr(TTS, name)), name
    for name in ("models", "is_multi_speaker", "is_multi_lingual", "speakers", "languages"):
        assert isinstance(inspect.getattr_static(TTS, name), property), name
    tts_params = list(_params(TTS.tts))
    assert tts_params[:7] == ["self", "text", "speaker", "language", "speaker_wav", "emotion", "split_sentences"]
    assert _params(TTS.tts_to_file)["file_path"].default == "output.wav"


def test_synthesizer_signature():
    params = list(_params(Synthesizer.__init__))
    assert params[1:14] == [
        "tts_checkpoint",
        "tts_config_path",
        "tts_speakers_file",
        "tts_languages_file",
        "vocoder_checkpoint",
        "vocoder_config",
        "encoder_checkpoint",
        "encoder_config",
        "vc_checkpoint",
        "vc_config",
        "model_dir",
        "voice_dir",
        "use_cuda",
    ]
    tts = list(_params(Synthesizer.tts))
    assert tts[1:10] == [
        "text",
        "speaker_name",
        "language_name",
        "speaker_wav",
        "style_wav",
        "style_text",
        "reference_wav",
        "reference_speaker_name",
        "split_sentences",
    ]


def test_list_models_static_and_instance():
    names = TTS.list_models()
    assert "tts_models/multilingual/multi-dataset/xtts_v2" in names


def test_unknown_and_vocoder_model_names_fail_before_download():
    with pytest.raises(ModelNotFoundError, match="xtts_v2"):
        TTS("tts_models/multilingual/multi-dataset/xtts_v3", progress_bar=False)
    with pytest.raises(InvalidInputError, match="vocoder"):
        TTS("vocoder_models/en/ljspeech/hifigan_v2")


def test_unimplemented_family_fails_before_download(tmp_path, monkeypatch):
    from TTS.families import family_from_model_name, is_implemented

    for name in TTS.list_models():
        family = family_from_model_name(name)
        if name.startswith("tts_models/") and family and not is_implemented(family):
            break
    else:
        pytest.skip("every released model family is implemented")

    def no_download(*args, **kwargs):
        raise AssertionError("must not download")

    monkeypatch.setattr("TTS.utils.manage.ModelManager.download_model", no_download)
    with pytest.raises(InvalidInputError, match="cannot run yet"):
        TTS(name, progress_bar=False)


def test_check_output_path(tmp_path):
    assert check_output_path(tmp_path / "a.wav") == tmp_path / "a.wav"
    with pytest.raises(InvalidInputError, match="does not exist"):
        check_output_path(tmp_path / "missing" / "a.wav")
    with pytest.raises(InvalidInputError, match="folder"):
        check_output_path(tmp_path)


# ---------------------------------------------------------------- end to end (tiny VITS)


@pytest.fixture(scope="module")
def api_single(vits_single):
    # The 0.22 positional form: (model_name, model_path, config_path, vocoder_path, vocoder_config_path,
    # progress_bar, gpu)
    return TTS("", str(vits_single / "model.pth"), str(vits_single / "config.json"), None, None, False, False)


def test_tts_to_file_keyword_form(vits_single, tmp_path):
    api = TTS(
        model_path=str(vits_single / "model.pth"), config_path=str(vits_single / "config.json"), progress_bar=False
    )
    assert not api.is_multi_speaker and not api.is_multi_lingual
    assert api.speakers is None and api.languages is None
    out = tmp_path / "out.wav"
    assert api.tts_to_file(text="Hi.", file_path=out) == str(out)
    wav, rate = sf.read(out, dtype="float32")
    assert rate == api.synthesizer.output_sample_rate == 22050
    assert wav.ndim == 1 and len(wav) > PAD_SILENCE_SAMPLES
    assert np.isfinite(wav).all() and np.abs(wav).max() > 0.5  # peak-normalised PCM
    from TTS.core.device import resolve_device

    assert api.to("cpu") is api and str(api.device) == "cpu"
    assert api.to("auto") is api and api.device == resolve_device("auto")  # CUDA, then MPS, then the CPU


def test_sentence_split_and_segments(api_single):
    out = api_single.synthesizer.tts("Hi. Yo!", return_dict=True)
    wav = out["wav"]
    assert isinstance(wav, list) and isinstance(wav[0], float)
    assert [s["text"] for s in out["segments"]] == ["Hi.", "Yo!"]
    assert out["segments"][1]["start"] > out["segments"][0]["end"]
    # every sentence is followed by the same silence pad
    assert wav[-PAD_SILENCE_SAMPLES:] == [0.0] * PAD_SILENCE_SAMPLES
    first_end = round(out["segments"][0]["end"] * 22050)
    assert wav[first_end : first_end + PAD_SILENCE_SAMPLES] == [0.0] * PAD_SILENCE_SAMPLES
    one = api_single.tts("Hi.", split_sentences=False)
    assert len(one) == first_end + PAD_SILENCE_SAMPLES
    buffer = io.BytesIO()
    api_single.synthesizer.save_wav(one, buffer)
    assert buffer.getvalue()[:4] == b"RIFF"


def test_bad_input(api_single):
    with pytest.raises(InvalidInputError, match="empty"):
        api_single.tts("   ")
    with pytest.raises(InvalidInputError, match="single speaker"):
        api_single.tts("Hello.", speaker="p225")
    with pytest.raises(InvalidInputError, match="emotion"):
        api_single.tts("Hello.", emotion="Happy")


def test_multi_speaker(vits_multi, tmp_path):
    api = TTS(model_path=str(vits_multi / "model.pth"), config_path=str(vits_multi / "config.json"))
    assert api.is_multi_speaker and api.speakers == ["p225", "p226", "p227"]
    wav = api.tts("Hi.", speaker="p226")
    assert len(wav) > PAD_SILENCE_SAMPLES
    with pytest.raises(InvalidInputError, match="Valid speakers: p225, p226, p227"):
        api.tts("Hello there.", speaker="nobody")


def test_gpu_flag_is_deprecated(vits_single):
    import torch

    if torch.cuda.is_available():
        pytest.skip("CUDA present")
    with pytest.warns(DeprecationWarning, match="gpu"), pytest.raises(InvalidInputError):
        TTS(model_path=str(vits_single / "model.pth"), config_path=str(vits_single / "config.json"), gpu=True)


def test_synthesizer_missing_files(tmp_path, vits_single):
    with pytest.raises(ModelNotFoundError, match="checkpoint not found"):
        Synthesizer(tts_checkpoint=str(tmp_path / "none.pth"))
    (tmp_path / "model.pth").write_bytes(b"x")
    with pytest.raises(ModelNotFoundError, match="config not found"):
        Synthesizer(tts_checkpoint=str(tmp_path / "model.pth"))
    with pytest.raises(InvalidInputError, match="No model given"):
        Synthesizer()
    config = json.loads((vits_single / "config.json").read_text())
    assert config["model"] == "vits"


def test_load_by_name_uses_the_manager_and_default_vocoder(tmp_path, monkeypatch, vits_single):
    """Model names go through ModelManager.download_model (faked here: no network) plus the default vocoder."""
    from tests.api.tiny_models import build_glow_tts_and_hifigan

    tts_dir, voc_dir = build_glow_tts_and_hifigan(tmp_path)
    folders = {
        "tts_models/en/ljspeech/vits": vits_single,
        "tts_models/en/ljspeech/glow-tts": tts_dir,
        "vocoder_models/en/ljspeech/multiband-melgan": voc_dir,  # the registry's default vocoder for glow-tts
    }
    calls = []

    def fake_download(self, name):
        calls.append(name)
        return folders[name] / "model.pth", folders[name] / "config.json", {"model_name": name}

    monkeypatch.setattr("TTS.utils.manage.ModelManager.download_model", fake_download)
    api = TTS("tts_models/en/ljspeech/vits", progress_bar=False)
    assert calls == ["tts_models/en/ljspeech/vits"] and api.synthesizer.vocoder_model is None
    assert api.voice_dir == api.manager.output_prefix / "tts_models/en/ljspeech/vits" / "voices"
    calls.clear()
    api = TTS("tts_models/en/ljspeech/glow-tts")
    assert calls == ["tts_models/en/ljspeech/glow-tts", "vocoder_models/en/ljspeech/multiband-melgan"]
    assert api.synthesizer.vocoder_model is not None and api.synthesizer.output_sample_rate == 22050
    calls.clear()
    # a local vocoder given to the constructor wins over the default one
    api = TTS(
        "tts_models/en/ljspeech/glow-tts",
        vocoder_path=str(voc_dir / "model.pth"),
        vocoder_config_path=str(voc_dir / "config.json"),
    )
    assert calls == ["tts_models/en/ljspeech/glow-tts"]
