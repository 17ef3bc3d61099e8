"""XTTS tokenizer: interface, bad input, sentence splitting, optional extras, number readers."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import numpy as np
import pytest

from TTS.core.errors import InvalidInputError, MissingDependencyError
from TTS.tts.layers.xtts.text.chinese import chinese_numbers_to_characters, spell_chinese_number
from TTS.tts.layers.xtts.text.czech import czech_ordinal
from TTS.tts.layers.xtts.text.hindi import hindi_cardinal, hindi_ordinal
from TTS.tts.layers.xtts.tokenizer import SUPPORTED_LANGUAGES, VoiceBpeTokenizer, split_sentence

VOCAB = Path(__file__).resolve().parents[1] / "data" / "parity" / "xtts_tokens" / "vocab.json"


@pytest.fixture(scope="module")
def tokenizer() -> VoiceBpeTokenizer:
    return VoiceBpeTokenizer(vocab_file=VOCAB)


def test_language_token_and_spaces(tokenizer: VoiceBpeTokenizer) -> None:
    ids = tokenizer.encode("Hello world", "en")
    vocab = tokenizer.tokenizer
    assert ids[0] == vocab.token_to_id("[en]")
    assert ids.count(vocab.token_to_id("[SPACE]")) == 1
    assert tokenizer("Hello world", "en") == ids
    assert tokenizer.encode("Hello world", "en-us") == ids
    assert tokenizer.decode(ids) == "[en]hello world"
    assert tokenizer.decode(np.asarray(ids + [vocab.token_to_id("[STOP]")])) == "[en]hello world"


def test_upstream_attributes(tokenizer: VoiceBpeTokenizer) -> None:
    assert tokenizer.char_limits["en"] == 250 and tokenizer.char_limits["zh"] == 82
    assert tokenizer.char_limits["ja"] == 71 and tokenizer.char_limits["hi"] == 150
    assert tokenizer.get_number_tokens() == max(tokenizer.tokenizer.get_vocab().values()) + 1
    assert len(SUPPORTED_LANGUAGES) == 17 and "zh-cn" in SUPPORTED_LANGUAGES
    assert VoiceBpeTokenizer().tokenizer is None
    assert VoiceBpeTokenizer().preprocess_text("Dr. Who & 2 friends", "en") == "doctor who and two friends"


def test_japanese_romanizer_is_lazy() -> None:
    tok = VoiceBpeTokenizer()
    assert "katsu" not in tok.__dict__
    tok.preprocess_text("hello", "en")
    assert "katsu" not in tok.__dict__


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text_is_rejected(tokenizer: VoiceBpeTokenizer, text: str) -> None:
    with pytest.raises(InvalidInputError, match="empty"):
        tokenizer.encode(text, "en")


def test_text_empty_after_cleaning_is_rejected(tokenizer: VoiceBpeTokenizer) -> None:
    with pytest.raises(InvalidInputError, match="nothing to speak"):
        tokenizer.encode('""', "en")


@pytest.mark.parametrize("lang", ["xx", "sv", "", "english"])
def test_unsupported_language_lists_supported(tokenizer: VoiceBpeTokenizer, lang: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        tokenizer.encode("hello", lang)
    for code in SUPPORTED_LANGUAGES:
        assert code in str(info.value)
    with pytest.raises(InvalidInputError):
        tokenizer.preprocess_text("hello", lang)


def test_over_char_limit_warns(tokenizer: VoiceBpeTokenizer, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="TTS.tts.layers.xtts.tokenizer"):
        tokenizer.encode("word " * 40, "en")
        assert not caplog.records
        tokenizer.encode("word " * 60, "en")
    assert "character limit of 250" in caplog.text and "enable_text_splitting" in caplog.text


def test_split_sentence_packs_sentences_under_the_limit() -> None:
    text = "This is the first sentence. Here is a second one! And a third? " * 8
    chunks = split_sentence(text, "en", 100)
    assert len(chunks) > 1
    assert all(len(c) <= 100 for c in chunks)
    assert " ".join(chunks).split() == text.split()
    assert chunks[0].startswith("This is the first sentence. Here is a second one!")


def test_split_sentence_short_text_and_long_sentence() -> None:
    assert split_sentence("  Short text.", "en", 250) == ["Short text."]
    long_sentence = "word " * 100
    chunks = split_sentence(long_sentence, "en", 60)
    assert all(len(c) <= 60 for c in chunks) and " ".join(chunks).split() == long_sentence.split()


@pytest.mark.parametrize(
    ("text", "lang", "count"),
    [
        ("今天天气很好。我们去公园吧！好的？", "zh", 3),
        ("नमस्ते। आप कैसे हैं? ठीक हूँ।", "hi", 3),
        ("مرحبا؟ كيف حالك. جيد", "ar", 3),
    ],
)
def test_split_sentence_other_scripts(text: str, lang: str, count: int) -> None:
    assert len(split_sentence(text, lang, 8)) >= count


@pytest.mark.parametrize(
    ("lang", "text", "modules", "extra"),
    [
        ("zh-cn", "你好", ["pypinyin"], "zh"),
        ("ja", "こんにちは", ["cutlet"], "ja"),
        ("ko", "안녕", ["ko_speech_tools", "hangul_romanize"], "ko"),
    ],
)
def test_missing_extra_names_it(
    monkeypatch: pytest.MonkeyPatch, lang: str, text: str, modules: list[str], extra: str
) -> None:
    for module in modules:
        monkeypatch.setitem(sys.modules, module, None)  # makes `import module` fail
    with pytest.raises(MissingDependencyError, match=rf"coqui-tts-ng\[{extra}\]"):
        VoiceBpeTokenizer(vocab_file=VOCAB).encode(text, lang)


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "शून्य"),
        (7, "सात"),
        (45, "पैंतालीस"),
        (99, "निन्यानवे"),
        (100, "एक सौ"),
        (2024, "दो हज़ार चौबीस"),
        (150000, "एक लाख पचास हज़ार"),
        (12_345_678, "एक करोड़ तेईस लाख पैंतालीस हज़ार छह सौ अठहत्तर"),
    ],
)
def test_hindi_cardinals(number: int, words: str) -> None:
    assert hindi_cardinal(number) == words


def test_hindi_ordinals() -> None:
    assert [hindi_ordinal(n) for n in (1, 2, 3, 4, 5, 6, 10)] == [
        "पहला",
        "दूसरा",
        "तीसरा",
        "चौथा",
        "पाँचवाँ",
        "छठा",
        "दसवाँ",
    ]
    assert hindi_ordinal(1, "ी") == "पहली" and hindi_ordinal(5, "े") == "पाँचवें"


@pytest.mark.parametrize(
    ("number", "words"),
    [(1, "první"), (5, "pátý"), (12, "dvanáctý"), (21, "dvacátý první"), (100, "stý"), (345, "třístý čtyřicátý pátý")],
)
def test_czech_ordinals(number: int, words: str) -> None:
    assert czech_ordinal(number) == words


@pytest.mark.parametrize(
    ("number", "kwargs", "chars"),
    [
        ("12", {}, "十二"),
        ("2000", {}, "两千"),
        ("2020", {}, "两千零二十"),
        ("22000", {}, "两万两千"),
        ("100000001", {}, "一亿零一"),
        ("12.05", {}, "十二点零五"),
        ("2024", {"place_units": False, "liang": False}, "二零二四"),
    ],
)
def test_chinese_numbers(number: str, kwargs: dict, chars: str) -> None:
    assert spell_chinese_number(number, **kwargs) == chars


def test_chinese_normalisation_rules() -> None:
    assert chinese_numbers_to_characters("2024年5月3日") == "二零二四年五月三日"
    assert chinese_numbers_to_characters("50%的人") == "百分之五十的人"
    assert chinese_numbers_to_characters("1/2个，P2P！") == "二分之一个,P2P,"


# Inputs that num2words cannot read (found by fuzzing against upstream, which crashes on them).
_HUGE = "9" + "87654321" * 50  # 401 digits
_NUM2WORDS_LIMITS = [
    _HUGE,
    f"{_HUGE}.5",
    f"{_HUGE[:31]},25",
    f"0.{_HUGE[:40]}",
    f"${_HUGE[:31]}.50",
    f"{_HUGE[:31]}%",
    f"-{_HUGE[:28]}",
    f"{_HUGE[:31]}º",
    f"{_HUGE[:45]}. a",
    f"{_HUGE[:31]}st",
    "0º 0st 0. 100차 1001번째 0번",
]


@pytest.mark.parametrize("lang", ["en", "es", "fr", "de", "it", "pt", "pl", "tr", "ru", "nl", "cs", "ar", "hu", "hi"])
def test_huge_numbers_never_crash(tokenizer: VoiceBpeTokenizer, lang: str) -> None:
    for text in _NUM2WORDS_LIMITS:
        cleaned = tokenizer.preprocess_text(text, lang)
        assert not any(ch.isdigit() for ch in cleaned), (lang, text, cleaned)


def test_korean_ordinals_num2words_lacks() -> None:
    pytest.importorskip("ko_speech_tools")
    tokenizer = VoiceBpeTokenizer()
    # 100 and 1001 have no num2words ordinal: read as the cardinal plus the counter word.
    assert tokenizer.preprocess_text("100차 1001번째 0번", "ko") == "baegcha cheon-ilbeon-jjae yeongbeon"
    assert tokenizer.preprocess_text("1번째", "ko") == "cheos beon-jjae"


def test_decimal_read_by_parts_when_too_large() -> None:
    tokenizer = VoiceBpeTokenizer()
    assert tokenizer.preprocess_text("1234567890123456789012345678,05", "es").endswith(" punto cero cinco")
    assert tokenizer.preprocess_text("0.93977910822558420798", "hu").startswith("nulla egész kilenc három")


@pytest.mark.parametrize("content", ["{bad", "", '{"model": 3}'])
def test_unreadable_vocab_is_a_clear_error(tmp_path, content):
    from TTS.core.errors import CheckpointError

    vocab = tmp_path / "vocab.json"
    vocab.write_text(content)
    with pytest.raises(CheckpointError, match="download the model again"):
        VoiceBpeTokenizer(vocab_file=vocab)
