"""ja / zh / ko / bn phonemizers against upstream's output, and their missing-package errors.

References: ``tests/data/parity/text/phonemizers_cjk.json``, written by
``tools/oracle/make_phonemizer_refs.py`` with coqui-tts 0.28. Mandarin is segmented with
the words the oracle recorded (spacy-pkuseg's model is downloaded at run time, which the
oracle machine cannot do); everything after segmentation is compared as is.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator

import pytest

from TTS.core.errors import DownloadError, MissingDependencyError
from TTS.tts.utils.text.phonemizers import _phonemizer_class, get_default_phonemizer, get_phonemizer_by_name

from .conftest import load_refs

REFS = load_refs("phonemizers_cjk.json")
EXTRAS = {"zh-cn": "zh", "ja-jp": "ja", "ko-kr": "ko", "bn": "bn"}
CASES = [
    pytest.param(language, index, id=f"{language}-{index}")
    for language, block in REFS["languages"].items()
    for index in range(len(block["cases"]))
]


class RecordedSegmenter:
    """Gives the words the oracle's segmenter gave for the same input."""

    def cut(self, text: str) -> list[str]:
        assert text in REFS["zh_segmentation"], f"no recorded segmentation for {text!r}"
        return REFS["zh_segmentation"][text]


@pytest.fixture
def recorded_segmentation() -> Iterator[None]:
    from TTS.tts.utils.text.chinese_mandarin import phonemizer as zh

    zh.set_segmenter(RecordedSegmenter())
    yield
    zh.set_segmenter(None)


def _phonemizer_or_skip(language: str):
    name = REFS["languages"][language]["phonemizer"]
    cls = _phonemizer_class(name)
    missing = cls.missing_packages()
    if missing:
        pytest.skip(f"{name} needs {', '.join(missing)}: pip install coqui-tts-ng[{EXTRAS[language]}]")
    return get_phonemizer_by_name(name)


@pytest.mark.usefixtures("recorded_segmentation")
@pytest.mark.parametrize(("language", "index"), CASES)
def test_phonemes_match_upstream(language: str, index: int) -> None:
    phonemizer = _phonemizer_or_skip(language)
    case = REFS["languages"][language]["cases"][index]
    assert phonemizer.phonemize(case["text"], separator="|") == case["sep_|"]
    assert phonemizer.phonemize(case["text"], separator="") == case["sep_none"]


def test_pinyin_table_matches_upstream() -> None:
    from TTS.tts.utils.text.chinese_mandarin.pinyin_ipa import PINYIN_TO_PHONEMES

    assert PINYIN_TO_PHONEMES == REFS["zh_pinyin_table"]


@pytest.mark.parametrize("language", list(EXTRAS))
def test_default_phonemizer_per_language(language: str) -> None:
    assert get_default_phonemizer(language) == REFS["languages"][language]["phonemizer"]


@pytest.mark.parametrize(("language", "extra"), list(EXTRAS.items()))
def test_missing_packages_name_the_extra(monkeypatch: pytest.MonkeyPatch, language: str, extra: str) -> None:
    cls = _phonemizer_class(REFS["languages"][language]["phonemizer"])
    monkeypatch.setattr(cls, "missing_packages", classmethod(lambda c: ["somepkg"]))
    with pytest.raises(MissingDependencyError, match=rf"somepkg.*pip install coqui-tts-ng\[{extra}\]"):
        cls()


def test_belarusian_is_a_clear_missing_dependency() -> None:
    with pytest.raises(MissingDependencyError, match="BEL_FANETYKA_JAR"):
        get_phonemizer_by_name("be_phonemizer", language="be")


def test_pkuseg_model_download_failure_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    from TTS.tts.utils.text.chinese_mandarin import phonemizer as zh

    def offline(*args, **kwargs):
        raise ConnectionError("no network")

    monkeypatch.setitem(sys.modules, "spacy_pkuseg", types.SimpleNamespace(pkuseg=offline))
    zh.set_segmenter(None)
    with pytest.raises(DownloadError, match=r"spacy_ontonotes.*ConnectionError"):
        zh.chinese_text_to_phonemes("你好")


def test_japanese_leading_long_vowel_mark_quirk() -> None:
    # The converter drops the first character of its output, normally a separator space;
    # a leading long-vowel mark is dropped instead, as in the released front-end.
    from TTS.tts.utils.text.japanese.phonemizer import kana_to_phonemes

    assert kana_to_phonemes("ーカ") == " k a"
    assert kana_to_phonemes("キャット") == "ky a q t o"
    assert kana_to_phonemes("アーー") == "a:"


def test_tokenizer_uses_the_language_phonemizer(recorded_segmentation: None) -> None:
    from TTS.tts.configs.shared_configs import BaseTTSConfig
    from TTS.tts.utils.text.tokenizer import TTSTokenizer

    for language in EXTRAS:
        _phonemizer_or_skip(language)
        config = BaseTTSConfig(use_phonemes=True, phoneme_language=language, text_cleaner=None)
        tokenizer, _ = TTSTokenizer.init_from_config(config)
        case = REFS["languages"][language]["cases"][0]
        assert tokenizer.phonemizer.name() == REFS["languages"][language]["phonemizer"]
        assert tokenizer.phonemizer.phonemize(case["text"], separator="", language=language) == case["sep_none"]
