"""Our text front-end against upstream coqui-tts 0.28 (refs from tools/oracle/make_text_refs.py)."""

from __future__ import annotations

import logging

import pytest

from TTS.tts.utils.text import cleaners
from TTS.tts.utils.text.chinese_mandarin.numbers import replace_numbers_to_characters_in_text
from TTS.tts.utils.text.english.number_norm import normalize_numbers
from TTS.tts.utils.text.tokenizer import TTSTokenizer, _normalize_language

from .conftest import HAS_ESPEAK, build_config, load_refs

PHONEME_REFS = load_refs("refs_phoneme.json")
GRAPHEME_REFS = load_refs("refs_grapheme.json")
CLEANER_REFS = load_refs("refs_cleaners.json")


def _espeak_skip_reason() -> str | None:
    if not HAS_ESPEAK:
        return "espeak-ng is not installed (apt-get install espeak-ng); phoneme parity needs it"
    from TTS.tts.utils.text.phonemizers.espeak_wrapper import get_espeakng_version

    if get_espeakng_version() != PHONEME_REFS["espeak_ng_version"]:
        return f"refs were made with espeak-ng {PHONEME_REFS['espeak_ng_version']}, found {get_espeakng_version()}"
    return None


def _check_case(case: dict) -> None:
    tokenizer, _ = TTSTokenizer.init_from_config(build_config(case["config"]))
    assert tokenizer.characters.num_chars == case["num_chars"]
    for run in case["runs"]:
        text, language = run["text"], run["language"]
        assert tokenizer.clean(text, language) == run["cleaned"], text
        if "phonemes" in run:
            got = tokenizer.phonemizer.phonemize(run["cleaned"], separator="", language=language)
            assert got == run["phonemes"], text
        assert tokenizer.text_to_ids(text, language=language) == run["ids"], text


@pytest.mark.parametrize("case", PHONEME_REFS["cases"], ids=lambda c: c["name"])
def test_phoneme_model_matches_upstream(case: dict) -> None:
    reason = _espeak_skip_reason()
    if reason:
        pytest.skip(reason)
    _check_case(case)


@pytest.mark.parametrize("case", GRAPHEME_REFS["cases"], ids=lambda c: c["name"])
def test_grapheme_model_matches_upstream(case: dict, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        _check_case(case)


def test_upstream_deviation_is_only_the_leading_punctuation_fix() -> None:
    deviations = [r for c in PHONEME_REFS["cases"] for r in c["runs"] if "deviation" in r]
    assert deviations, "the text set should exercise the leading-punctuation fix"
    for run in deviations:
        assert run["upstream_phonemes"] in run["phonemes"] and run["phonemes"].startswith(run["upstream_phonemes"])


@pytest.mark.parametrize("name", sorted(CLEANER_REFS["cleaners"]))
def test_cleaner_matches_upstream(name: str) -> None:
    func = getattr(cleaners, name)
    for lang, outputs in CLEANER_REFS["cleaners"][name].items():
        texts = load_refs("texts.json")["en" if lang == "none" else lang]
        for text, expected in zip(texts, outputs, strict=True):
            assert func(text, lang=None if lang == "none" else lang) == expected, (lang, text)


def test_english_numbers_match_upstream() -> None:
    wrong = {s: (normalize_numbers(s), e) for s, e in CLEANER_REFS["numbers"].items() if normalize_numbers(s) != e}
    assert not wrong, list(wrong.items())[:5]


def test_huge_ordinals_read_as_digits_where_upstream_raises() -> None:
    # docs/upstream/text-english-huge-ordinals.md
    cases = CLEANER_REFS["numbers_corrected"]
    assert cases and all(c["upstream"] == "NumOutOfRangeError" for c in cases.values())
    for text, case in cases.items():
        assert normalize_numbers(text) == case["expected"], text


def test_chinese_numerals_match_upstream() -> None:
    for digits, expected in CLEANER_REFS["chinese_numbers"].items():
        assert replace_numbers_to_characters_in_text(digits) == expected, digits


def test_language_normalisation() -> None:
    assert _normalize_language("pt-br") == "pt"
    assert _normalize_language("en") == "en"
    assert _normalize_language(None) is None
