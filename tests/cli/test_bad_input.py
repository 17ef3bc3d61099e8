"""Bad input through the ``tts`` command: one ``tts: error:`` line, exit status 2, and the
user's input files are never overwritten by ``--out_path``."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from TTS.bin.synthesize import main


def run_main(*args: str) -> int:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    return info.value.code


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _voice(path):
    sf.write(path, 0.3 * np.sin(np.arange(16000, dtype=np.float32) / 5), 16000, subtype="PCM_16")
    return path


@pytest.fixture
def model(vits_single, tmp_path):
    """A private copy of the model folder, so a failing test cannot damage the shared one."""
    folder = tmp_path / "model"
    shutil.copytree(vits_single, folder)
    return folder


def _model_args(folder) -> list[str]:
    return ["--model_path", str(folder / "model.pth"), "--config_path", str(folder / "config.json")]


@pytest.mark.parametrize(
    ("flags", "target", "flag"),
    [
        (["--speaker_wav", "{ref}"], "{ref}", "--speaker_wav"),
        (["--speaker_wav", "{other}", "{ref}"], "{ref}", "--speaker_wav"),
        (["--source_wav", "{ref}", "--target_wav", "{other}"], "{ref}", "--source_wav"),
        (["--source_wav", "{other}", "--target_wav", "{ref}"], "{ref}", "--target_wav"),
        ([], "{model}/config.json", "--config_path"),
        ([], "{model}/model.pth", "--model_path"),
        ([], "{model}/extra_notes.txt", "a file of the model"),
    ],
)
def test_out_path_over_an_input_is_refused(model, tmp_path, capsys, flags, target, flag):
    ref, other = _voice(tmp_path / "me.wav"), _voice(tmp_path / "other.wav")
    (model / "extra_notes.txt").write_text("keep me")
    names = {"ref": ref, "other": other, "model": model}
    target_path = Path(target.format(**names))
    before = {p: _digest(p) for p in (ref, other, *model.iterdir())}
    argv = [*_model_args(model), *(f.format(**names) for f in flags), "--out_path", str(target_path)]
    if "--source_wav" not in flags:
        argv += ["--text", "Hello."]
    assert run_main(*argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("tts: error: ") and err.count("\n") == 1, err
    assert flag in err and "overwrite" in err, err
    assert {p: _digest(p) for p in before} == before


def test_out_path_through_a_link_to_the_reference_is_refused(model, tmp_path, capsys):
    ref = _voice(tmp_path / "me.wav")
    (tmp_path / "link.wav").symlink_to(ref)
    before = _digest(ref)
    code = run_main(
        *_model_args(model), "--text", "Hi.", "--speaker_wav", str(ref), "--out_path", str(tmp_path / "link.wav")
    )
    assert code == 2 and "--speaker_wav" in capsys.readouterr().err
    assert _digest(ref) == before


def test_nan_reference_audio_is_one_line(vits_yourtts_cli, tmp_path, capsys):
    samples = 0.3 * np.sin(np.arange(16000, dtype=np.float32) / 5)
    samples[10:20] = np.nan
    sf.write(tmp_path / "nan.wav", samples, 16000, subtype="FLOAT")
    code = run_main(
        *_model_args(vits_yourtts_cli),
        "--text",
        "Hi.",
        "--language_idx",
        "en",
        "--speaker_wav",
        str(tmp_path / "nan.wav"),
        "--out_path",
        str(tmp_path / "o.wav"),
    )
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("tts: error: ") and "NaN or infinite samples" in err, err
    assert not (tmp_path / "o.wav").exists()


@pytest.fixture(scope="module")
def vits_yourtts_cli(tmp_path_factory):
    from tests.api.tiny_models import build_vits_folder

    return build_vits_folder(tmp_path_factory.mktemp("vits"), "yourtts_dvectors")


def test_voice_conversion_with_a_model_that_cannot_says_what_to_use(model, tmp_path, capsys):
    """A spectrogram model has no voice conversion: name models that have it."""
    pytest.importorskip("TTS.tts.models.glow_tts")
    from tests.api.tiny_models import build_glow_tts_and_hifigan

    folder, _ = build_glow_tts_and_hifigan(tmp_path)
    src, tgt = _voice(tmp_path / "s.wav"), _voice(tmp_path / "t.wav")
    code = run_main(
        *_model_args(folder), "--source_wav", str(src), "--target_wav", str(tgt), "--out_path", str(tmp_path / "o.wav")
    )
    err = capsys.readouterr().err
    assert code == 2 and "cannot convert voices" in err and "your_tts" in err, err
