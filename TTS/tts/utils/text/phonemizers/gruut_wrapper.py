"""G2P with gruut (optional: ``pip install coqui-tts-ng[gruut]``).

Words are phonemized by gruut sentence by sentence; break words (punctuation) are
attached to the preceding word, stress marks dropped unless ``keep_stress``, ``g``
written as IPA ``ɡ``; phonemes are joined by ``separator`` and words by
``separator + " "``. Output equals coqui-tts 0.28's (``tests/text/test_gruut_uroman_parity.py``).

gruut is called for every piece, every time, as upstream calls it: its answers depend
on what it analysed before in the process (see :class:`Gruut`), so no result is cached here.
"""

from __future__ import annotations

import importlib.util

from TTS.tts.utils.text.phonemizers.base import BasePhonemizer
from TTS.tts.utils.text.punctuation import Punctuation

__all__ = ["Gruut"]

_G_TO_IPA = str.maketrans("g", "ɡ")
_STRESS = str.maketrans("", "", "ˈˌ")


def _gruut():
    try:
        import gruut
    except ImportError as e:
        from TTS.core.errors import MissingDependencyError

        raise MissingDependencyError(
            "The gruut phonemizer needs the gruut package: `pip install coqui-tts-ng[gruut]`."
        ) from e
    return gruut


def _require_language_data(language: str) -> None:
    """Refuse a language gruut knows but has no lexicon for (it would give no phonemes at all)."""
    from gruut.utils import find_lang_dir, resolve_lang

    resolved = resolve_lang(language)
    if find_lang_dir(resolved) is None:
        from TTS.core.errors import MissingDependencyError

        base = resolved.split("-")[0]
        raise MissingDependencyError(
            f"gruut has no lexicon for language {language!r}, so it would return no phonemes. "
            f"Install its data package: `pip install gruut_lang_{base}` (gruut publishes ar, ca, cs, de, "
            "en, es, fa, fr, it, lb, nl, pt, ru, sv, sw), or phonemize this language with espeak."
        )


# One analysed word: (is a break, its text, its phonemes).
_Word = tuple[bool, str, tuple[str, ...]]


def _analyse(text: str, language: str, espeak: bool) -> tuple[_Word, ...]:
    """gruut's words for ``text`` (all its sentences in order)."""
    return tuple(
        (bool(word.is_break), str(word.text), tuple(word.phonemes or ()))
        for sentence in _gruut().sentences(text, lang=language, espeak=espeak)
        for word in sentence
    )


class Gruut(BasePhonemizer):
    """gruut phonemizer.

    Args:
        language: a gruut language code (``"en-us"``, ``"de"``...).
        punctuations: characters kept aside while phonemizing.
        keep_puncs: put the punctuation back into the phonemes.
        use_espeak_phonemes: use gruut's espeak-style lexicons.
        keep_stress: keep primary/secondary stress marks.

    Results are not cached: gruut's French liaison rewrites the pronunciations it keeps
    in memory ("vingt" becomes "vɛ̃t" for good once it was followed by a vowel), so its
    output depends on what it phonemized before. Calling it exactly when upstream does
    gives upstream's phonemes for the same sequence of texts.
    """

    cache_results = False

    def __init__(
        self,
        language: str,
        punctuations: str = Punctuation.default_puncs(),
        *,
        keep_puncs: bool = True,
        use_espeak_phonemes: bool = False,
        keep_stress: bool = False,
    ) -> None:
        super().__init__(language, punctuations=punctuations, keep_puncs=keep_puncs)
        self.use_espeak_phonemes = use_espeak_phonemes
        self.keep_stress = keep_stress
        _require_language_data(language)

    def _raise_unavailable(self) -> None:
        _gruut()

    @staticmethod
    def name() -> str:
        return "gruut"

    def _strip_stress(self, phoneme: str) -> str:
        try:
            from gruut_ipa import IPA

            return str(IPA.without_stress(phoneme))
        except ImportError:
            return phoneme.translate(_STRESS)

    def phonemize_gruut(self, text: str, separator: str = "|") -> str:
        """Phonemes of ``text``: one ``separator`` between symbols, ``separator + " "`` between words.

        Punctuation that gruut reports as a break is glued to the word before it.
        """
        words: list[list[str]] = []
        for is_break, word_text, phonemes in _analyse(text, self.language, self.use_espeak_phonemes):
            if is_break:
                if words:
                    words[-1].append(word_text)
                else:
                    words.append([word_text])
                continue
            symbols: list[str] = []
            for phoneme in phonemes:
                if not self.keep_stress:
                    phoneme = self._strip_stress(phoneme)
                # One symbol per character: the tokenizer maps characters, not phonemes.
                symbols.extend(phoneme.translate(_G_TO_IPA))
            if symbols:
                words.append(symbols)
        return f"{separator} ".join(separator.join(symbols) for symbols in words)

    def _phonemize(self, text: str, separator: str) -> str:
        return self.phonemize_gruut(text, separator)

    def is_supported_language(self, language: str) -> bool:
        return bool(_gruut().is_language_supported(language))

    @staticmethod
    def supported_languages() -> list[str]:
        return list(_gruut().get_supported_languages())

    def version(self) -> str:
        return str(_gruut().__version__)

    @classmethod
    def is_available(cls) -> bool:
        return importlib.util.find_spec("gruut") is not None
