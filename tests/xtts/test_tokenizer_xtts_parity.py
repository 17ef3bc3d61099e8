"""XTTS tokenizer against upstream coqui-tts 0.28 (references from tools/oracle/make_xtts_token_refs.py)."""

from __future__ import annotations

import importlib.util
import json
from importlib import metadata
from pathlib import Path

import pytest

from TTS.tts.layers.xtts.tokenizer import VoiceBpeTokenizer

DATA = Path(__file__).resolve().parents[1] / "data" / "parity" / "xtts_tokens"
REFS = json.loads((DATA / "refs.json").read_text(encoding="utf-8"))
TEXTS = json.loads((DATA / "texts.json").read_text(encoding="utf-8"))
FIXES = {item["id"]: item for item in TEXTS["fixes"]}

# The extra each romanised language needs: (module, pip extra).
_EXTRAS = {"zh": ("pypinyin", "zh"), "ja": ("cutlet", "ja"), "ko": ("ko_speech_tools", "ko")}


def _base(lang: str) -> str:
    return lang.split("-")[0]


def _skip_without_extra(lang: str) -> None:
    extra = _EXTRAS.get(_base(lang))
    if extra and importlib.util.find_spec(extra[0]) is None:
        pytest.skip(f"needs the '{extra[1]}' extra ({extra[0]})")


def _skip_on_other_num2words() -> None:
    made_with = REFS["versions"]["num2words"]
    if metadata.version("num2words") != made_with:
        pytest.skip(f"references were made with num2words {made_with}; installed {metadata.version('num2words')}")


@pytest.fixture(scope="module")
def tokenizer() -> VoiceBpeTokenizer:
    return VoiceBpeTokenizer(vocab_file=DATA / "vocab.json")


def test_vocab_special_tokens(tokenizer: VoiceBpeTokenizer) -> None:
    for token, token_id in REFS["special_tokens"].items():
        assert tokenizer.tokenizer.token_to_id(token) == token_id
    assert tokenizer.get_number_tokens() == REFS["number_tokens"]
    assert len(tokenizer) == REFS["number_tokens"]


PARITY = [ref for ref in REFS["refs"] if ref["id"] not in FIXES]


def test_text_set_covers_every_language() -> None:
    langs = {_base(ref["lang"]) for ref in PARITY}
    assert langs == set(VoiceBpeTokenizer().char_limits)


@pytest.mark.parametrize("ref", PARITY, ids=[ref["id"] for ref in PARITY])
def test_tokens_match_upstream(tokenizer: VoiceBpeTokenizer, ref: dict) -> None:
    _skip_without_extra(ref["lang"])
    _skip_on_other_num2words()
    assert "error" not in ref, "parity texts must not make upstream fail"
    assert tokenizer.preprocess_text(ref["text"], ref["lang"]) == ref["clean"]
    assert tokenizer.encode(ref["text"], ref["lang"]) == ref["ids"]
    assert tokenizer.decode(ref["ids"]) == ref["decoded"]


FIX_REFS = [ref for ref in REFS["refs"] if ref["id"] in FIXES]


@pytest.mark.parametrize("ref", FIX_REFS, ids=[ref["id"] for ref in FIX_REFS])
def test_deliberate_fixes(tokenizer: VoiceBpeTokenizer, ref: dict) -> None:
    """Where upstream is wrong we read the text as documented, not as upstream does."""
    _skip_without_extra(ref["lang"])
    _skip_on_other_num2words()
    fix = FIXES[ref["id"]]
    assert (DATA.parents[3] / "docs" / "upstream" / fix["doc"]).is_file()
    ours = tokenizer.preprocess_text(ref["text"], ref["lang"])
    assert ours == fix["expected"]
    assert ours != ref.get("clean"), "upstream reads this right now: move it to 'cases'"
    lang_token = "zh-cn" if _base(ref["lang"]) == "zh" else _base(ref["lang"])
    expected_ids = tokenizer.tokenizer.encode(f"[{lang_token}]{ours}".replace(" ", "[SPACE]")).ids
    assert tokenizer.encode(ref["text"], ref["lang"]) == expected_ids
    assert tokenizer.decode(expected_ids) == f"[{lang_token}]{ours}"
