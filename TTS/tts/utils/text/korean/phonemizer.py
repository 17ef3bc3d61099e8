"""Korean text -> phonemes: normalise, apply pronunciation rules (ko-speech-tools G2P, which
uses MeCab-ko), then decompose the resulting syllables into conjoining jamo.

The output looks like the input Hangul but is a sequence of jamo code points
(``하늘`` -> ``ᄒ ᅡ ᄂ ᅳ ᆯ``), one symbol each.
"""

from __future__ import annotations

from typing import Any

from TTS.tts.utils.text.korean.normalize import normalize_korean

__all__ = ["korean_text_to_phonemes"]

_g2p: Any = None


def _get_g2p() -> Any:
    global _g2p
    if _g2p is None:
        import ko_speech_tools

        _g2p = ko_speech_tools.G2p()
    return _g2p


def korean_text_to_phonemes(text: str, character: str = "hangeul") -> str:
    """Jamo string of the pronounced ``text``; ``character="english"`` gives an ASCII transliteration."""
    pronounced = _get_g2p()(normalize_korean(text))
    if character == "english":
        from anyascii import anyascii

        return anyascii(pronounced)
    import ko_speech_tools

    return "".join(ko_speech_tools.jamo.hangul_to_jamo(pronounced))
