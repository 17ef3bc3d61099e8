"""gruut phonemes and uroman romanisation against upstream coqui-tts 0.28.

References: ``tests/data/parity/text/gruut_uroman.json``, written by
``tools/oracle/make_gruut_uroman_refs.py``. Where upstream drops the words after a lone
leading punctuation mark, the reference holds the corrected phonemes (see
``docs/upstream/text-leading-punctuation.md``) and upstream's output beside them.
The tests skip when gruut or uroman is not installed, or is another version than the
references were made with (their lexicons and rules decide the output).
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

from TTS.core.errors import InvalidInputError, MissingDependencyError
from TTS.tts.utils.text import cleaners

from .conftest import HAS_ESPEAK, build_config

REFS = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "parity" / "text" / "gruut_uroman.json").read_text("utf-8")
)
GRUUT = REFS["gruut"]
GRUUT_PACKAGES = ["gruut", "gruut-ipa", "gruut_lang_en", "gruut_lang_de", "gruut_lang_es", "gruut_lang_fr"]


def _version_skip(packages: list[str]) -> None:
    for name in packages:
        try:
            found = version(name)
        except PackageNotFoundError:
            pytest.skip(f"{name} is not installed (pip install coqui-tts-ng[dev])")
        if found != REFS["versions"][name]:
            pytest.skip(f"references were made with {name} {REFS['versions'][name]}, found {found}")


@pytest.fixture
def gruut_installed() -> None:
    pytest.importorskip("gruut")
    _version_skip(GRUUT_PACKAGES)


@pytest.fixture
def uroman_installed() -> None:
    pytest.importorskip("uroman")
    _version_skip(["uroman"])


def _expected(value: str | dict) -> str:
    return value["expected"] if isinstance(value, dict) else value


# -- gruut --------------------------------------------------------------------------
def _check(phonemizer: object, texts: list[str], outputs: list, separator: str) -> None:
    got = [phonemizer.phonemize(text, separator=separator) for text in texts]
    expected = [_expected(value) for value in outputs]
    wrong = [(t, g, e) for t, g, e in zip(texts, got, expected, strict=True) if g != e]
    assert not wrong, wrong


@pytest.mark.usefixtures("gruut_installed")
@pytest.mark.parametrize("espeak", [False, True], ids=["gruut_lexicon", "espeak_lexicon"])
@pytest.mark.parametrize("language", list(GRUUT["languages"]))
def test_gruut_phonemes_match_upstream(language: str, espeak: bool) -> None:
    """Every setting (stress, punctuation, separator) on the language's text set, per lexicon."""
    from TTS.tts.utils.text.phonemizers.gruut_wrapper import Gruut

    block = GRUUT["languages"][language]
    for key, outputs in block["outputs"].items():
        setting, sep = key.split("/")
        kwargs = GRUUT["settings"][setting]
        if kwargs.get("use_espeak_phonemes", False) != espeak:
            continue
        _check(Gruut(language, **kwargs), block["texts"], outputs, "|" if sep == "sep_|" else "")


@pytest.mark.usefixtures("gruut_installed")
@pytest.mark.parametrize(
    ("language", "code"), [(lang, c) for lang, b in GRUUT["languages"].items() for c in b["aliases"]]
)
def test_gruut_language_codes_match_upstream(language: str, code: str) -> None:
    """Regional codes configs use (``en-gb``, ``de-de``, ``fr-fr``...)."""
    from TTS.tts.utils.text.phonemizers.gruut_wrapper import Gruut

    outputs = GRUUT["languages"][language]["aliases"][code]
    _check(Gruut(code), GRUUT["languages"][language]["texts"][: len(outputs)], outputs, "|")


def test_gruut_references_exercise_the_leading_punctuation_fix() -> None:
    values = [v for b in GRUUT["languages"].values() for vs in b["outputs"].values() for v in vs]
    fixed = [v for v in values if isinstance(v, dict)]
    assert fixed
    for value in fixed:  # upstream kept only the mark; we keep the mark and the words
        assert value["expected"].startswith(value["upstream"]) and len(value["expected"]) > len(value["upstream"])


@pytest.mark.usefixtures("gruut_installed")
@pytest.mark.parametrize("case", REFS["tokenizer"], ids=lambda c: c["name"])
def test_gruut_tokenizer_matches_upstream(case: dict) -> None:
    from TTS.tts.utils.text.tokenizer import TTSTokenizer

    if case["name"].startswith("default_") and not HAS_ESPEAK:
        pytest.skip("the default phonemizer of a language depends on espeak-ng's voices")
    tokenizer, new_config = TTSTokenizer.init_from_config(build_config(case["config"]))
    assert new_config.phonemizer == case["phonemizer"]
    assert tokenizer.phonemizer.name() == "gruut"
    assert tokenizer.characters.num_chars == case["num_chars"]
    for run in case["runs"]:
        text, language = run["text"], run["language"]
        assert tokenizer.clean(text, language) == run["cleaned"], text
        assert tokenizer.phonemizer.phonemize(run["cleaned"], separator="", language=language) == run["phonemes"]
        assert tokenizer.text_to_ids(text, language=language) == run["ids"], text


_HISTORY_SCRIPT = """
import json, sys
from TTS.tts.utils.text.phonemizers.gruut_wrapper import Gruut
texts, calls = json.loads(sys.argv[1]), int(sys.argv[2])
g = Gruut(sys.argv[3])
print(json.dumps([g.phonemize(t, separator="") for t in texts for _ in range(calls)], ensure_ascii=False))
"""


@pytest.mark.usefixtures("gruut_installed")
def test_gruut_is_called_like_upstream_in_a_fresh_process() -> None:
    # gruut's output depends on what it analysed before in the process (French liaison
    # rewrites its stored pronunciations); without a cache of ours, the same sequence of
    # calls gives upstream's phonemes, repeated texts included.
    import subprocess

    hist = REFS["gruut_history"]
    args = [json.dumps(hist["texts"]), str(hist["calls_per_text"]), hist["language"]]
    out = subprocess.run(
        [sys.executable, "-c", _HISTORY_SCRIPT, *args], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == hist["phonemes"]


@pytest.mark.usefixtures("gruut_installed")
def test_default_phonemizer_per_gruut_language() -> None:
    from TTS.tts.utils.text.phonemizers import get_default_phonemizer
    from TTS.tts.utils.text.phonemizers.espeak_wrapper import get_espeakng_version

    if not HAS_ESPEAK or get_espeakng_version() != GRUUT["espeak_ng_version"]:
        pytest.skip(f"espeak-ng {GRUUT['espeak_ng_version']} decides which codes espeak takes over from gruut")
    from TTS.tts.utils.text.phonemizers.gruut_wrapper import Gruut

    assert sorted(Gruut.supported_languages()) == GRUUT["supported_languages"]
    for code, expected in GRUUT["defaults"].items():
        if expected is None:
            with pytest.raises(InvalidInputError):
                get_default_phonemizer(code)
        else:
            assert get_default_phonemizer(code) == expected, code


def test_gruut_missing_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from TTS.tts.utils.text.phonemizers.gruut_wrapper import Gruut

    monkeypatch.setitem(sys.modules, "gruut", None)
    assert not Gruut.is_available()
    with pytest.raises(MissingDependencyError, match=r"pip install coqui-tts-ng\[gruut\]"):
        Gruut("en-us")


@pytest.mark.usefixtures("gruut_installed")
def test_gruut_language_without_lexicon_is_refused() -> None:
    """Upstream returns only the punctuation for such a language; we name the package to install."""
    from gruut.utils import find_lang_dir

    from TTS.tts.utils.text.phonemizers.gruut_wrapper import Gruut

    if find_lang_dir("it-it") is not None:
        pytest.skip("gruut_lang_it is installed")
    with pytest.raises(MissingDependencyError, match=r"pip install gruut_lang_it"):
        Gruut("it-it")


# -- uroman -------------------------------------------------------------------------
@pytest.mark.usefixtures("uroman_installed")
def test_uroman_cleaners_match_upstream() -> None:
    wrong = [
        (c["text"], c["lang"], got, c["out"])
        for c in REFS["uroman"]
        if (got := cleaners.uroman_cleaners(c["text"], lang=c["lang"])) != c["out"]
    ]
    assert not wrong, wrong


@pytest.mark.usefixtures("uroman_installed")
def test_mms_uroman_voice_tokens_match_upstream(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    from TTS.tts.configs.vits_config import VitsConfig
    from TTS.tts.models.vits import Vits, VitsArgs

    mms = REFS["mms"]
    torch.save({"model": {}}, tmp_path / "G_100000.pth")
    (tmp_path / "vocab.txt").write_text("\n".join(mms["vocab"]) + "\n", encoding="utf-8")
    (tmp_path / "config.json").write_text(json.dumps({"data": mms["data"]}), encoding="utf-8")
    args = VitsArgs(hidden_channels=16, hidden_channels_ffn_text_encoder=32, num_layers_text_encoder=1)
    config = VitsConfig(model_args=args)
    model = Vits(config)
    model.load_fairseq_checkpoint(config, tmp_path / "G_100000.pth", eval=True, strict=False)
    for run in mms["runs"]:
        assert model.tokenizer.text_to_ids(run["text"], run["language"]) == run["ids"], run["text"]
