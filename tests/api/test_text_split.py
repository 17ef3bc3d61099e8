"""Sentence splitting for long text (TTS.core.text)."""

from __future__ import annotations

import pytest

from TTS.core.text import chunk_text, split_sentences


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Hello world. This is a test!", "en", ["Hello world.", "This is a test!"]),
        # "..." and "…" do not end a sentence (as upstream XTTS)
        ("Is it 3.14? Yes... I think so.", "en", ["Is it 3.14?", "Yes... I think so."]),
        (
            "Dr. Smith met Mrs. Jones at 5 p.m. They talked.",
            "en",
            ["Dr. Smith met Mrs. Jones at 5 p.m. They talked."],  # "p.m." keeps its dot
        ),
        (
            "J. R. R. Tolkien wrote it, e.g. The Hobbit. Then more.",
            "en",
            ["J. R. R. Tolkien wrote it, e.g. The Hobbit.", "Then more."],
        ),
        ("So did I. Then we left.", "en", ["So did I. Then we left."]),  # "I." reads as an initial
        ('He said "Stop." Then he left.', "en", ['He said "Stop."', "Then he left."]),
        ("Wait... What?! Really.", "en", ["Wait... What?!", "Really."]),
        ("U.S. officials agreed. Fine.", "en", ["U.S. officials agreed.", "Fine."]),
        ("It costs etc. and so on. Next", "en", ["It costs etc.", "and so on.", "Next"]),
        ("Am 3. Mai gehen wir. Gut.", "de", ["Am 3.", "Mai gehen wir.", "Gut."]),  # upstream cuts ordinals
        ("Chapter 3. The end.", "en", ["Chapter 3.", "The end."]),
        ("你好。我很好！谢谢？", "zh", ["你好。", "我很好！", "谢谢？"]),
        ("你好。我很好！谢谢？", "zh-cn", ["你好。我很好！谢谢？"]),  # upstream: Latin rules for "zh-cn"
        ("こんにちは。元気ですか？はい！", "ja", ["こんにちは。", "元気ですか？", "はい！"]),
        ("यह पहला वाक्य है। यह दूसरा है।", "hi", ["यह पहला वाक्य है।", "यह दूसरा है।"]),
        ("  no punctuation at all  ", "en", ["no punctuation at all"]),
        ("", "en", []),
        ("   ", None, []),
    ],
)
def test_split_sentences(text, language, expected):
    assert split_sentences(text, language) == expected


def test_split_keeps_every_character():
    text = "One. Two! Three? Four… Five。Six"
    assert "".join(split_sentences(text)).replace(" ", "") == text.replace(" ", "")


def test_chunk_text_short_text_is_one_chunk():
    assert chunk_text("Short one. Two.", max_chars=250) == ["Short one. Two."]
    assert chunk_text("  ", max_chars=10) == []
    long = "word " * 100
    assert chunk_text(long, max_chars=None) == [long.strip()]


def test_chunk_text_packs_sentences_and_wraps_long_ones():
    text = "This is a sentence. " * 10 + "x" * 5 + " " + "averyveryverylongword " * 10
    chunks = chunk_text(text, max_chars=60)
    assert all(len(c) <= 60 for c in chunks)
    assert chunks[0] == "This is a sentence. This is a sentence. This is a sentence."
    assert " ".join(chunks).split() == text.split()
