"""G2P with gruut (optional: ``pip install coqui-tts-ng[gruut]``).

Words are phonemized by gruut sentence by sentence; break words (punctuation) are
attached to the preceding word, stress marks dropped unless ``keep_stress``, ``g``
written as IPA ``ɡ``; phonemes are joined by ``separator`` and words by
``separator + " "``.
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


class Gruut(BasePhonemizer):
    """gruut phonemizer.

    Args:
        language: a gruut language code (``"en-us"``, ``"de"``...).
        punctuations: characters kept aside while phonemizing.
        keep_puncs: put the punctuation back into the phonemes.
        use_espeak_phonemes: use gruut's espeak-style lexicons.
        keep_stress: keep primary/secondary stress marks.
    """

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
        words: list[list[str]] = []
        for sentence in _gruut().sentences(text, lang=self.language, espeak=self.use_espeak_phonemes):
            for word in sentence:
                if word.is_break:
                    if words:
                        words[-1].append(word.text)
                    else:
                        words.append([word.text])
                    continue
                if not word.phonemes:
                    continue
                symbols: list[str] = []
                for phoneme in word.phonemes:
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
