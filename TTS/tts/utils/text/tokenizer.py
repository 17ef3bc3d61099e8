"""Text -> token ids for TTS models: clean, phonemize (optionally), map symbols to ids.

``text_to_ids`` runs: the config's cleaner (given the language without region), the
phonemizer when the model uses phonemes, symbol lookup (symbols the model does not
know are dropped with one warning naming them), blanks between symbols when
``add_blank``, and BOS/EOS when ``use_eos_bos``.
"""

from __future__ import annotations

import importlib
import inspect
import logging
from collections.abc import Callable
from typing import Any

from TTS.core.errors import InvalidInputError
from TTS.tts.utils.text import cleaners
from TTS.tts.utils.text.characters import (
    BaseCharacters,
    BaseVocabulary,
    FairseqVocab,
    Graphemes,
    IPAPhonemes,
    VitsCharacters,
)
from TTS.tts.utils.text.phonemizers import get_default_phonemizer, get_phonemizer_by_name

logger = logging.getLogger(__name__)

__all__ = ["TTSTokenizer"]

# characters_class values in released configs -> our class, so that resolving them
# does not import model modules.
_CHARACTERS_CLASSES: dict[str, type[BaseVocabulary]] = {
    "TTS.tts.models.vits.VitsCharacters": VitsCharacters,
    "TTS.tts.models.vits.FairseqVocab": FairseqVocab,
    **{
        f"TTS.tts.utils.text.characters.{cls.__name__}": cls
        for cls in (BaseVocabulary, BaseCharacters, Graphemes, IPAPhonemes, VitsCharacters, FairseqVocab)
    },
}


def _normalize_language(language: str | None) -> str | None:
    """``"pt-br"`` -> ``"pt"``: the cleaners only need the language, not the region."""
    return None if language is None else language.split("-")[0]


def _import_class(path: str) -> type:
    if path in _CHARACTERS_CLASSES:
        return _CHARACTERS_CLASSES[path]
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _accepts_lang(func: Callable[..., str]) -> bool:
    try:
        params = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return True
    return "lang" in params or any(p.kind is p.VAR_KEYWORD for p in params.values())


def _resolve_cleaner(name: str | list[str]) -> Callable[..., str]:
    names = [name] if isinstance(name, str) else list(name)
    funcs = []
    for cleaner_name in names:
        func = getattr(cleaners, cleaner_name, None)
        if func is None or cleaner_name not in cleaners.__all__:
            raise InvalidInputError(
                f"Unknown text cleaner {cleaner_name!r} in the config; known: {', '.join(cleaners.__all__[1:])}."
            )
        funcs.append(func)
    if len(funcs) == 1:
        return funcs[0]

    def chained(text: str, lang: str | None = None) -> str:
        for func in funcs:
            text = func(text, lang=lang)
        return text

    return chained


def _set_characters_class(config: Any, path: str) -> None:
    chars = config.characters
    if isinstance(chars, dict):
        chars["characters_class"] = path
    else:
        chars.characters_class = path


class TTSTokenizer:
    """Convert text to token ids and back.

    Args:
        use_phonemes: phonemize the cleaned text before the symbol lookup.
        text_cleaner: ``cleaner(text, lang=...)``; old cleaners without ``lang`` work too.
        characters: the model's symbol set (default: :class:`IPAPhonemes` or :class:`Graphemes`).
        phonemizer: a phonemizer (or MultiPhonemizer); required with ``use_phonemes``.
        add_blank: put the blank id between all ids (and at both ends).
        use_eos_bos: put the BOS id first and the EOS id last.

    Example:
        >>> tokenizer = TTSTokenizer(characters=Graphemes())
        >>> tokenizer.ids_to_text(tokenizer.text_to_ids("Hello world!"))
        'Hello world!'
    """

    def __init__(
        self,
        use_phonemes: bool = False,
        text_cleaner: Callable[..., str] | None = None,
        characters: BaseVocabulary | None = None,
        phonemizer: Any = None,
        add_blank: bool = False,
        use_eos_bos: bool = False,
    ) -> None:
        self.use_phonemes = use_phonemes
        self.phonemizer = phonemizer if use_phonemes else None
        if use_phonemes and phonemizer is None:
            raise ValueError("A phonemizer is needed when `use_phonemes` is True.")
        self.text_cleaner = text_cleaner
        self.add_blank = add_blank
        self.use_eos_bos = use_eos_bos
        self.characters = characters if characters is not None else (IPAPhonemes() if use_phonemes else Graphemes())
        self.not_found_characters: list[str] = []

    @property
    def characters(self) -> BaseVocabulary:
        return self._characters

    @characters.setter
    def characters(self, new_characters: BaseVocabulary) -> None:
        self._characters = new_characters
        self.pad_id = new_characters.char_to_id(new_characters.pad) if new_characters.pad else None
        self.blank_id = new_characters.char_to_id(new_characters.blank) if new_characters.blank else None

    @property
    def text_cleaner(self) -> Callable[..., str] | None:
        return self._text_cleaner

    @text_cleaner.setter
    def text_cleaner(self, cleaner: Callable[..., str] | None) -> None:
        self._text_cleaner = cleaner
        self._cleaner_takes_lang = cleaner is not None and _accepts_lang(cleaner)

    def encode(self, text: str) -> list[int]:
        """Ids of the symbols of ``text``; unknown symbols are dropped (one warning per new set)."""
        ids: list[int] = []
        unknown: dict[str, None] = {}
        lookup = self.characters.char_to_id
        for char in text:
            try:
                ids.append(lookup(char))
            except KeyError:
                unknown[char] = None
        new = [c for c in unknown if c not in self.not_found_characters]
        if new:
            self.not_found_characters.extend(new)
            logger.warning(
                "Dropping %s the model does not know: %s (in %r).",
                "a character" if len(new) == 1 else f"{len(new)} characters",
                ", ".join(repr(c) for c in new),
                text,
            )
        return ids

    def decode(self, token_ids: list[int]) -> str:
        return "".join(self.characters.id_to_char(int(idx)) for idx in token_ids)

    def clean(self, text: str, language: str | None = None) -> str:
        """The cleaner's output for ``text`` (``text`` itself without a cleaner)."""
        if self._text_cleaner is None:
            return text
        if self._cleaner_takes_lang:
            return self._text_cleaner(text, lang=_normalize_language(language))
        return self._text_cleaner(text)

    def text_to_ids(self, text: str, language: str | None = None) -> list[int]:
        """Token ids for ``text``.

        Raises:
            InvalidInputError: the text is empty after cleaning, or has no symbol the model knows.
        """
        if not isinstance(text, str):
            raise InvalidInputError(f"The text to speak must be a str, not {type(text).__name__}.")
        cleaned = self.clean(text, language)
        if not cleaned.strip():
            raise InvalidInputError("The text is empty (after cleaning); give some words to speak.")
        if self.phonemizer is not None:
            cleaned = self.phonemizer.phonemize(cleaned, separator="", language=language)
        ids = self.encode(cleaned)
        if not ids:
            raise InvalidInputError(
                f"None of the characters of {text!r} are in this model's symbol set; "
                "check the text's language and script."
            )
        if self.add_blank:
            ids = self.intersperse_blank_char(ids)
        if self.use_eos_bos:
            ids = self.pad_with_bos_eos(ids)
        return ids

    def ids_to_text(self, id_sequence: list[int]) -> str:
        return self.decode(id_sequence)

    def pad_with_bos_eos(self, char_sequence: list[int]) -> list[int]:
        return [self.characters.bos_id, *char_sequence, self.characters.eos_id]

    def intersperse_blank_char(self, char_sequence: list[int]) -> list[int]:
        """``[a, b]`` -> ``[blank, a, blank, b, blank]``."""
        result = [self.characters.blank_id] * (2 * len(char_sequence) + 1)
        result[1::2] = char_sequence
        return result

    def print_logs(self, level: int = 0) -> None:
        indent = "\t" * level
        logger.info("%s| add_blank: %s", indent, self.add_blank)
        logger.info("%s| use_eos_bos: %s", indent, self.use_eos_bos)
        logger.info("%s| use_phonemes: %s", indent, self.use_phonemes)
        if self.phonemizer is not None:
            self.phonemizer.print_logs(level + 1)
        if self.not_found_characters:
            logger.info("%s| characters not found: %s", indent, self.not_found_characters)

    @staticmethod
    def init_from_config(config: Any, characters: BaseVocabulary | None = None) -> tuple[TTSTokenizer, Any]:
        """Build the tokenizer a model config describes; returns it and the (possibly completed) config.

        The config fields read: ``text_cleaner``, ``use_phonemes``, ``phonemizer``,
        ``phoneme_language``, ``characters`` (``CharactersConfig``), ``add_blank``,
        ``enable_eos_bos_chars`` and, for ``phonemizer="multi_phonemizer"``, ``datasets``.
        """
        text_cleaner = _resolve_cleaner(config.text_cleaner) if config.text_cleaner else None

        if characters is not None:
            characters, new_config = characters.init_from_config(config)
        else:
            class_path = getattr(config.characters, "characters_class", None) if config.characters else None
            if isinstance(config.characters, dict):
                class_path = config.characters.get("characters_class")
            if class_path:
                chars_class = _import_class(class_path)
                if not (isinstance(chars_class, type) and issubclass(chars_class, BaseVocabulary)):
                    raise TypeError(f"{class_path} is not a characters class (BaseCharacters subclass).")
                characters, new_config = chars_class.init_from_config(config)
            elif config.use_phonemes:
                characters, new_config = IPAPhonemes.init_from_config(config)
            else:
                characters, new_config = Graphemes.init_from_config(config)
        if new_config.characters is not None:
            current = getattr(new_config.characters, "characters_class", None)
            if isinstance(new_config.characters, dict):
                current = new_config.characters.get("characters_class")
            if not current or _import_class(current) is not type(characters):
                _set_characters_class(new_config, f"{type(characters).__module__}.{type(characters).__name__}")

        phonemizer = None
        if config.use_phonemes:
            name = getattr(config, "phonemizer", None)
            if name == "multi_phonemizer":
                from TTS.tts.utils.text.phonemizers.multi_phonemizer import MultiPhonemizer

                lang_to_name = {}
                for dataset in config.datasets:
                    if not dataset.language:
                        raise ValueError("multi_phonemizer needs a language on every dataset in the config.")
                    lang_to_name[dataset.language] = dataset.phonemizer
                phonemizer = MultiPhonemizer(lang_to_name)
            elif name:
                phonemizer = get_phonemizer_by_name(name, language=config.phoneme_language)
            else:
                phonemizer = get_phonemizer_by_name(
                    get_default_phonemizer(config.phoneme_language), language=config.phoneme_language
                )
                new_config.phonemizer = phonemizer.name()

        tokenizer = TTSTokenizer(
            use_phonemes=config.use_phonemes,
            text_cleaner=text_cleaner,
            characters=characters,
            phonemizer=phonemizer,
            add_blank=config.add_blank,
            use_eos_bos=config.enable_eos_bos_chars,
        )
        return tokenizer, new_config
