"""Phonemizer behaviour: espeak options, batching, caching, missing backends, punctuation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from TTS.core.errors import InvalidInputError, MissingDependencyError
from TTS.tts.utils.text import phonemizers
from TTS.tts.utils.text.cleaners import english_cleaners
from TTS.tts.utils.text.phonemizers import espeak_wrapper, get_default_phonemizer, get_phonemizer_by_name
from TTS.tts.utils.text.punctuation import PuncPosition, Punctuation

from .conftest import needs_espeak


def test_punctuation_strip_and_restore() -> None:
    punc = Punctuation()
    assert punc.strip("This is. example !") == "This is example"  # noqa: B005
    pieces, runs = punc.strip_to_restore("This is. example !")
    assert pieces == ["This is", "example"]
    assert [(r.punc, r.position) for r in runs] == [(". ", PuncPosition.MIDDLE), (" !", PuncPosition.END)]
    assert punc.restore(pieces, runs) == ["This is. example !"]
    assert punc.strip_to_restore("...") == ([], [(("..."), PuncPosition.BEGIN)])
    assert punc.restore([], punc.strip_to_restore("...")[1]) == ["..."]


def test_leading_punctuation_keeps_the_words() -> None:
    # upstream 0.28 returns ([], [¿]) here and loses "Dónde estás"
    pieces, runs = Punctuation().strip_to_restore("¿Dónde estás")
    assert pieces == ["Dónde estás"] and runs[0].position == PuncPosition.BEGIN
    assert Punctuation.restore(["X"], runs) == ["¿X"]


def test_time_keeps_following_space() -> None:
    # upstream 0.28 gives "at three thirty a mtomorrow"
    assert english_cleaners("At 3:30 tomorrow and 0:15 or 12:05pm.") == (
        "at three thirty a m tomorrow and twelve fifteen p m or twelve oh five p m."
    )


@needs_espeak
def test_espeak_phonemize_and_options() -> None:
    en = espeak_wrapper.ESpeak("en")
    assert en.language == "en-us"
    assert en.phonemize("Hello, world!", separator="") == "həlˈoʊ, wˈɜːld!"
    assert en.phonemize("Hello world", separator="|") == "h|ə|l|ˈoʊ w|ˈɜː|l|d"
    assert "͡" in en.phonemize_espeak("church", separator="", tie=True)
    assert en.phonemize_espeak("church", separator="", tie="^").count("^") >= 1
    no_puncs = espeak_wrapper.ESpeak("en-us", keep_puncs=False)
    assert no_puncs.phonemize("Hello, world!", separator="") == "həlˈoʊ wˈɜːld"
    assert en.backend == "espeak-ng" and en.version() == espeak_wrapper.get_espeakng_version()
    with pytest.raises(ValueError, match="Unknown espeak backend"):
        en.backend = "festival"
    with pytest.raises(InvalidInputError, match="not supported"):
        espeak_wrapper.ESpeak("xx-klingon")


@needs_espeak
def test_espeak_batch_equals_one_call_per_piece(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Ein Satz, noch einer; und: «Zitat» — Ende! Oder? Ja… 12 Äpfel."
    batched = espeak_wrapper.ESpeak("de")
    single = espeak_wrapper.ESpeak("de", batch=False)
    calls = []
    real_run = espeak_wrapper._run
    monkeypatch.setattr(espeak_wrapper, "_run", lambda *a, **k: calls.append(a) or real_run(*a, **k))
    assert batched.phonemize(text, separator="") == single.phonemize(text, separator="")
    assert batched.phonemize(text, separator="") == single.phonemize(text, separator="")  # cached
    batched_calls = [c for c in calls if "-f" not in c[1]]
    assert len(batched_calls) <= 2  # the sentinel probe and one batch; the second phonemize is cached


@needs_espeak
def test_registry_defaults() -> None:
    assert get_default_phonemizer("en") == "espeak"
    assert get_default_phonemizer("pt-br") == "espeak"
    assert get_default_phonemizer("ja-jp") == "ja_jp_phonemizer"
    assert get_phonemizer_by_name("espeak", language="fr-fr").language == "fr-fr"
    with pytest.raises(InvalidInputError, match="Unknown phonemizer"):
        get_phonemizer_by_name("nope")


def test_missing_espeak_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(espeak_wrapper.shutil, "which", lambda name: None)
    with pytest.raises(MissingDependencyError, match="apt-get install espeak-ng") as err:
        espeak_wrapper.ESpeak("en-us")
    assert "brew" in str(err.value) and "choco" in str(err.value)
    monkeypatch.setattr(phonemizers, "DEF_LANG_TO_PHONEMIZER", {})
    monkeypatch.setattr(phonemizers, "_register_defaults", lambda: None)
    with pytest.raises(MissingDependencyError, match="espeak-ng"):
        get_default_phonemizer("de")


def _broken_espeak(folder) -> Path:
    """A stand-in ``espeak-ng`` that fails the way a binary without its shared libraries does."""
    fake = folder / "espeak-ng"
    fake.write_text(
        "#!/bin/sh\necho 'espeak-ng: error while loading shared libraries: libpcaudio.so.0: "
        "cannot open shared object file: No such file or directory' >&2\nexit 127\n"
    )
    fake.chmod(0o755)
    return fake


def test_broken_espeak_says_how_to_repair(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An espeak-ng that is on PATH but cannot start (a shared library missing) is named, with the fix."""
    fake = _broken_espeak(tmp_path)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ.get('PATH', '')}")
    espeak_wrapper.get_espeakng_version.cache_clear()
    try:
        with pytest.raises(MissingDependencyError, match="libpcaudio.so.0") as err:
            espeak_wrapper.ESpeak("en-us", backend="espeak-ng")
    finally:
        espeak_wrapper.get_espeakng_version.cache_clear()
    assert "exit status 127" in str(err.value) and "--reinstall espeak-ng" in str(err.value)
    assert str(fake) in str(err.value)


def test_broken_espeak_does_not_break_import(tmp_path) -> None:
    """Upstream runs espeak-ng at import, so `from TTS.api import TTS` fails for every model; ours imports."""
    _broken_espeak(tmp_path)
    env = {**os.environ, "PATH": f"{tmp_path}{os.pathsep}{os.environ.get('PATH', '')}"}
    code = "from TTS.api import TTS\nimport TTS.tts.utils.text.phonemizers\nimport TTS.tts.models.vits\nprint('ok')"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("ok")


@pytest.mark.parametrize(
    ("name", "extra"),
    [("ja_jp_phonemizer", "ja"), ("zh_cn_phonemizer", "zh"), ("ko_kr_phonemizer", "ko"), ("bn_phonemizer", "bn")],
)
def test_optional_phonemizers_name_their_extra(name: str, extra: str) -> None:
    cls = phonemizers._phonemizer_class(name)
    if cls.is_available():
        pytest.skip(f"{name} dependencies are installed")
    with pytest.raises(MissingDependencyError, match=rf"coqui-tts-ng\[{extra}\]"):
        get_phonemizer_by_name(name, language=cls.language)


def test_gruut_missing_names_extra() -> None:
    if phonemizers._phonemizer_class("gruut").is_available():
        pytest.skip("gruut is installed")
    with pytest.raises(MissingDependencyError, match=r"coqui-tts-ng\[gruut\]"):
        get_phonemizer_by_name("gruut", language="en-us")
