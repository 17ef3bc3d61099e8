"""TTSTokenizer behaviour: bad input, warnings, config handling, symbol sets."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from TTS.core.errors import InvalidInputError, MissingDependencyError
from TTS.tts.configs.shared_configs import BaseTTSConfig, CharactersConfig
from TTS.tts.utils.text.characters import FairseqVocab, Graphemes, IPAPhonemes, VitsCharacters
from TTS.tts.utils.text.cleaners import english_cleaners
from TTS.tts.utils.text.tokenizer import TTSTokenizer


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def test_unknown_characters_dropped_with_one_warning(caplog: pytest.LogCaptureFixture) -> None:
    tokenizer = TTSTokenizer(characters=Graphemes())
    with caplog.at_level(logging.WARNING):
        ids = tokenizer.text_to_ids("héllo wörld ß")
        assert tokenizer.ids_to_text(ids) == "hllo wrld "
        tokenizer.text_to_ids("wörld ßé again")  # same unknown set: no new warning
    messages = _warnings(caplog)
    assert len(messages) == 1
    assert "'é'" in messages[0] and "'ö'" in messages[0] and "'ß'" in messages[0]
    with caplog.at_level(logging.WARNING):
        tokenizer.text_to_ids("naïve")
    assert len(_warnings(caplog)) == 2 and "'ï'" in _warnings(caplog)[-1]
    assert tokenizer.not_found_characters == ["é", "ö", "ß", "ï"]


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text_is_invalid_input(text: str) -> None:
    tokenizer = TTSTokenizer(characters=Graphemes(), text_cleaner=english_cleaners)
    with pytest.raises(InvalidInputError, match="empty"):
        tokenizer.text_to_ids(text)


def test_text_without_known_symbols_is_invalid_input() -> None:
    tokenizer = TTSTokenizer(characters=Graphemes())
    with pytest.raises(InvalidInputError, match="symbol set"):
        tokenizer.text_to_ids("你好")


def test_blank_and_bos_eos() -> None:
    chars = Graphemes()
    tokenizer = TTSTokenizer(characters=chars, add_blank=True, use_eos_bos=True)
    ids = tokenizer.text_to_ids("ab")
    a, b = chars.char_to_id("a"), chars.char_to_id("b")
    assert ids == [chars.bos_id, chars.blank_id, a, chars.blank_id, b, chars.blank_id, chars.eos_id]
    assert chars.vocab[:4] == ["<PAD>", "<EOS>", "<BOS>", "<BLNK>"]
    assert tokenizer.pad_id == 0 and tokenizer.blank_id == 3


def test_cleaner_without_lang_argument() -> None:
    tokenizer = TTSTokenizer(characters=Graphemes(), text_cleaner=lambda text: text.upper())
    assert tokenizer.ids_to_text(tokenizer.text_to_ids("abc", language="en")) == "ABC"


def test_init_from_config_graphemes_sets_class() -> None:
    tokenizer, config = TTSTokenizer.init_from_config(BaseTTSConfig(text_cleaner="english_cleaners"))
    assert isinstance(tokenizer.characters, Graphemes)
    assert config.characters.characters_class == "TTS.tts.utils.text.characters.Graphemes"
    # As upstream 0.28: the cleaner gets the language, so with none, English abbreviations stay.
    assert tokenizer.ids_to_text(tokenizer.text_to_ids("Dr. Who & 2 cats", language="en")) == "doctor who and two cats"
    assert tokenizer.ids_to_text(tokenizer.text_to_ids("Dr. Who 2 cats")) == "dr. who two cats"


def test_unknown_cleaner_is_invalid_input() -> None:
    with pytest.raises(InvalidInputError, match="Unknown text cleaner"):
        TTSTokenizer.init_from_config(BaseTTSConfig(text_cleaner="klingon_cleaners"))


def test_legacy_vits_characters_path_needs_no_model_module() -> None:
    code = (
        "import sys\n"
        "from TTS.tts.configs.shared_configs import BaseTTSConfig, CharactersConfig\n"
        "from TTS.tts.utils.text.tokenizer import TTSTokenizer\n"
        "c = BaseTTSConfig(characters=CharactersConfig(characters_class='TTS.tts.models.vits.VitsCharacters',"
        " pad='_', characters='abc', punctuations='!. ', phonemes=None))\n"
        "t, c = TTSTokenizer.init_from_config(c)\n"
        "assert type(t.characters).__name__ == 'VitsCharacters'\n"
        "assert c.characters.characters_class == 'TTS.tts.models.vits.VitsCharacters'\n"
        "assert 'TTS.tts.models.vits' not in sys.modules and 'torch' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_vits_characters_order() -> None:
    chars = VitsCharacters(graphemes="ba", punctuations="!.", pad="_", ipa_characters="ə")
    assert chars.vocab == ["_", "!", ".", "b", "a", "ə", "<BLNK>"]
    assert chars.blank_id == 6 and chars.pad_id == 0


def test_ipa_phonemes_from_config_uses_phonemes_field() -> None:
    config = BaseTTSConfig(
        use_phonemes=True,
        characters=CharactersConfig(pad="_", characters="xyz", phonemes="əb", punctuations="!", is_unique=True),
    )
    chars, config = IPAPhonemes.init_from_config(config)
    assert chars.vocab == ["_", "b", "ə", "!"]
    assert config.characters.characters == "əb"


def test_duplicate_symbols_with_is_unique_raise() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        Graphemes(characters="ab!", punctuations="!", is_unique=True)


def test_fairseq_vocab(tmp_path) -> None:
    path = tmp_path / "vocab.txt"
    path.write_text("_\n \na\nb\n", encoding="utf-8")
    vocab = FairseqVocab.init_from_vocab_file(path)
    assert vocab.vocab == ["_", " ", "a", "b"]
    assert vocab.blank_id == 0 and vocab.pad_id == 1
    tokenizer = TTSTokenizer(characters=vocab, add_blank=True)
    assert tokenizer.text_to_ids("ab") == [0, 2, 0, 3, 0]


def test_uroman_missing_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from TTS.tts.utils.text import cleaners

    monkeypatch.setattr(cleaners, "_uroman", None)
    monkeypatch.setitem(sys.modules, "uroman", None)
    with pytest.raises(MissingDependencyError, match="pip install uroman"):
        cleaners.uroman_cleaners("привет")
