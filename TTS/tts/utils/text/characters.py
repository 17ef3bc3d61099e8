"""Symbol sets (vocabularies) that map text or phoneme characters to token ids.

The default symbol strings below are data that released checkpoints were trained
with; the order of symbols in a vocabulary decides the token ids, so each class
builds its vocabulary exactly as the released models expect:

- :class:`BaseCharacters` (and :class:`Graphemes`, :class:`IPAPhonemes`):
  ``[pad, eos, bos, blank, *characters, *punctuations]`` (empty specials left out,
  ``characters`` optionally de-duplicated and sorted).
- :class:`VitsCharacters`: ``[pad, *punctuations, *characters, blank]`` (no sorting).
- :class:`BaseVocabulary` / :class:`FairseqVocab`: an explicit symbol list.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

__all__ = [
    "BaseVocabulary",
    "BaseCharacters",
    "Graphemes",
    "IPAPhonemes",
    "VitsCharacters",
    "FairseqVocab",
    "parse_symbols",
]

# --- default symbol sets (data) ---
_pad = "<PAD>"
_eos = "<EOS>"
_bos = "<BOS>"
_blank = "<BLNK>"
_characters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_punctuations = "!'(),-.:;? "

_vowels = "iyɨʉɯuɪʏʊeøɘəɵɤoɛœɜɞʌɔæɐaɶɑɒᵻ"
_non_pulmonic_consonants = "ʘɓǀɗǃʄǂɠǁʛ"
_pulmonic_consonants = "pbtdʈɖcɟkɡqɢʔɴŋɲɳnɱmʙrʀⱱɾɽɸβfvθðszʃʒʂʐçʝxɣχʁħʕhɦɬɮʋɹɻjɰlɭʎʟ"
_suprasegmentals = "ˈˌːˑ"
_other_symbols = "ʍwɥʜʢʡɕʑɺɧʲ"
_diacritics = "̃ɚ˞ɫ"
_phonemes = _vowels + _non_pulmonic_consonants + _pulmonic_consonants + _suprasegmentals + _other_symbols + _diacritics


def parse_symbols() -> dict[str, str]:
    """The default special symbols and symbol strings, by name."""
    return {
        "pad": _pad,
        "eos": _eos,
        "bos": _bos,
        "characters": _characters,
        "punctuations": _punctuations,
        "phonemes": _phonemes,
    }


def _chars_field(config: Any, name: str) -> Any:
    """Read one field of ``config.characters`` (a CharactersConfig or a plain dict)."""
    chars = config.characters
    if isinstance(chars, dict):
        return chars.get(name)
    return getattr(chars, name, None)


def _characters_config(**fields: Any) -> Any:
    # Imported lazily: configs are plain data and must not be needed to tokenize.
    from TTS.tts.configs.shared_configs import CharactersConfig

    return CharactersConfig(**fields)


class BaseVocabulary:
    """A vocabulary given as an explicit list of symbols; the list index is the token id.

    Args:
        vocab: the symbols, in id order.
        pad, blank, bos, eos: special symbols (must be in ``vocab`` when set).
    """

    def __init__(
        self,
        vocab: list[str] | None,
        pad: str | None = None,
        blank: str | None = None,
        bos: str | None = None,
        eos: str | None = None,
    ) -> None:
        self.vocab = vocab
        self.pad = pad
        self.blank = blank
        self.bos = bos
        self.eos = eos

    @property
    def vocab(self) -> list[str]:
        return self._vocab

    @vocab.setter
    def vocab(self, vocab: list[str] | None) -> None:
        self._vocab = list(vocab) if vocab is not None else []
        self._reindex()

    def _reindex(self) -> None:
        self._char_to_id = {char: idx for idx, char in enumerate(self._vocab)}
        self._id_to_char = dict(enumerate(self._vocab))

    def _special_id(self, symbol: str | None) -> int:
        # An unset special symbol maps one past the vocabulary, as upstream does.
        return self.char_to_id(symbol) if symbol else len(self._vocab)

    @property
    def pad_id(self) -> int:
        return self._special_id(self.pad)

    @property
    def blank_id(self) -> int:
        return self._special_id(self.blank)

    @property
    def bos_id(self) -> int:
        return self._special_id(self.bos)

    @property
    def eos_id(self) -> int:
        return self._special_id(self.eos)

    @property
    def num_chars(self) -> int:
        return len(self._vocab)

    def char_to_id(self, char: str) -> int:
        """Token id of ``char``; raises KeyError when it is not in the vocabulary."""
        try:
            return self._char_to_id[char]
        except KeyError:
            raise KeyError(f"{char!r} is not in the vocabulary.") from None

    def id_to_char(self, idx: int) -> str:
        return self._id_to_char[idx]

    def has_char(self, char: str) -> bool:
        return char in self._char_to_id

    @staticmethod
    def init_from_config(config: Any) -> tuple[BaseVocabulary, Any]:
        """Build from ``config.characters.vocab_dict``."""
        if config.characters is not None and _chars_field(config, "vocab_dict"):
            vocab = BaseVocabulary(
                _chars_field(config, "vocab_dict"),
                _chars_field(config, "pad"),
                _chars_field(config, "blank"),
                _chars_field(config, "bos"),
                _chars_field(config, "eos"),
            )
            return vocab, config
        raise ValueError("The config has no `characters.vocab_dict` to build a BaseVocabulary from.")

    def to_config(self) -> Any:
        return _characters_config(
            vocab_dict=list(self._vocab),
            pad=self.pad,
            eos=self.eos,
            bos=self.bos,
            blank=self.blank,
            is_unique=False,
            is_sorted=False,
        )


class BaseCharacters(BaseVocabulary):
    """A vocabulary built from special symbols, a character string and a punctuation string.

    Order: ``[pad, eos, bos, blank, *characters, *punctuations]``; empty or ``None``
    specials are left out. ``is_unique`` removes duplicate characters (then the order
    is only defined when ``is_sorted`` is also set); ``is_sorted`` sorts ``characters``.
    """

    def __init__(
        self,
        characters: str = "",
        punctuations: str = "",
        pad: str | None = None,
        eos: str | None = None,
        bos: str | None = None,
        blank: str | None = None,
        *,
        is_unique: bool = False,
        is_sorted: bool = True,
    ) -> None:
        super().__init__(vocab=None, pad=pad, blank=blank, bos=bos, eos=eos)
        self.characters = characters or ""
        self.punctuations = punctuations or ""
        self.is_unique = is_unique
        self.is_sorted = is_sorted
        self._create_vocab()

    def _create_vocab(self) -> None:
        symbols: list[str] = list(self.characters)
        if self.is_unique:
            symbols = list(set(symbols))
        if self.is_sorted:
            symbols = sorted(symbols)
        specials = [s for s in (self.pad, self.eos, self.bos, self.blank) if s]
        self.vocab = specials + symbols + list(self.punctuations)
        if self.is_unique and len(self._char_to_id) != len(self._vocab):
            dupes = sorted({s for s in self._vocab if self._vocab.count(s) > 1})
            raise ValueError(f"The character set has duplicate symbols: {dupes}")

    def print_log(self, level: int = 0) -> None:
        indent = "\t" * level
        logger.info("%s| characters: %s", indent, self.characters)
        logger.info("%s| punctuations: %s", indent, self.punctuations)
        logger.info("%s| pad=%r eos=%r bos=%r blank=%r", indent, self.pad, self.eos, self.bos, self.blank)
        logger.info("%s| num chars: %d", indent, self.num_chars)

    @classmethod
    def _from_fields(cls, config: Any, characters: str | None) -> BaseCharacters:
        return cls(
            characters=characters,
            punctuations=_chars_field(config, "punctuations"),
            pad=_chars_field(config, "pad"),
            eos=_chars_field(config, "eos"),
            bos=_chars_field(config, "bos"),
            blank=_chars_field(config, "blank"),
            is_unique=bool(_chars_field(config, "is_unique")),
            is_sorted=bool(_chars_field(config, "is_sorted")),
        )

    @classmethod
    def init_from_config(cls, config: Any) -> tuple[BaseCharacters, Any]:
        """Build from ``config.characters``; with none set, use the class defaults and store them."""
        if config.characters is not None:
            return cls._from_fields(config, _chars_field(config, "characters")), config
        chars = cls()
        return chars, replace(config, characters=chars.to_config())

    def to_config(self) -> Any:
        return _characters_config(
            characters=self.characters,
            punctuations=self.punctuations,
            pad=self.pad,
            eos=self.eos,
            bos=self.bos,
            blank=self.blank,
            is_unique=self.is_unique,
            is_sorted=self.is_sorted,
        )


class IPAPhonemes(BaseCharacters):
    """IPA phoneme symbols; defaults to the IPA set and punctuation above with all four specials."""

    def __init__(
        self,
        characters: str = _phonemes,
        punctuations: str = _punctuations,
        pad: str | None = _pad,
        eos: str | None = _eos,
        bos: str | None = _bos,
        blank: str | None = _blank,
        *,
        is_unique: bool = False,
        is_sorted: bool = True,
    ) -> None:
        super().__init__(characters, punctuations, pad, eos, bos, blank, is_unique=is_unique, is_sorted=is_sorted)

    @classmethod
    def init_from_config(cls, config: Any) -> tuple[IPAPhonemes, Any]:
        """Like the base class, but ``characters.phonemes`` (when set) is the symbol set.

        As upstream does, the phonemes are also copied into ``config.characters.characters``.
        """
        if config.characters is None:
            chars = cls()
            return chars, replace(config, characters=chars.to_config())
        phonemes = _chars_field(config, "phonemes")
        if phonemes is not None:
            if isinstance(config.characters, dict):
                config.characters["characters"] = phonemes
            else:
                config.characters.characters = phonemes
        return cls._from_fields(config, _chars_field(config, "characters")), config


class Graphemes(BaseCharacters):
    """Letters; defaults to ASCII letters and basic punctuation with all four specials."""

    def __init__(
        self,
        characters: str = _characters,
        punctuations: str = _punctuations,
        pad: str | None = _pad,
        eos: str | None = _eos,
        bos: str | None = _bos,
        blank: str | None = _blank,
        *,
        is_unique: bool = False,
        is_sorted: bool = True,
    ) -> None:
        super().__init__(characters, punctuations, pad, eos, bos, blank, is_unique=is_unique, is_sorted=is_sorted)


class VitsCharacters(BaseCharacters):
    """The VITS symbol set: ``[pad, *punctuations, *graphemes, *ipa_characters, blank]``.

    Released VITS and YourTTS configs name it as ``TTS.tts.models.vits.VitsCharacters``.
    The graphemes and IPA symbols are concatenated as given (no sorting, duplicates kept).
    """

    def __init__(
        self,
        graphemes: str = _characters,
        punctuations: str = _punctuations,
        pad: str | None = _pad,
        ipa_characters: str | None = _phonemes,
    ) -> None:
        characters = (graphemes or "") + (ipa_characters or "")
        super().__init__(
            characters=characters,
            punctuations=punctuations,
            pad=pad,
            eos=None,
            bos=None,
            blank=_blank,
            is_unique=False,
            is_sorted=True,
        )

    def _create_vocab(self) -> None:
        self.vocab = [self.pad, *self.punctuations, *self.characters, self.blank]

    @classmethod
    def init_from_config(cls, config: Any) -> tuple[VitsCharacters, Any]:
        if config.characters is None:
            chars = cls()
            return chars, replace(config, characters=chars.to_config())
        chars = cls(
            graphemes=_chars_field(config, "characters"),
            ipa_characters=_chars_field(config, "phonemes"),
            punctuations=_chars_field(config, "punctuations"),
            pad=_chars_field(config, "pad"),
        )
        return chars, config

    def to_config(self) -> Any:
        return _characters_config(
            characters=self.characters,
            punctuations=self.punctuations,
            pad=self.pad,
            eos=None,
            bos=None,
            blank=self.blank,
            is_unique=False,
            is_sorted=True,
        )


class FairseqVocab(BaseVocabulary):
    """Vocabulary of a Fairseq MMS VITS voice, read from its ``vocab.txt`` (one symbol per line).

    The first symbol is the blank and a space is the pad, as the MMS models were trained.
    """

    @classmethod
    def init_from_vocab_file(cls, vocab_file: str | Path) -> FairseqVocab:
        lines = Path(vocab_file).read_text(encoding="utf-8").split("\n")
        if lines and lines[-1] == "":
            lines = lines[:-1]  # the trailing newline ends the last line, it is no symbol
        vocab = cls(vocab=lines)
        vocab.blank = lines[0]
        vocab.pad = " "
        return vocab
