"""Phonemizer registry: names as configs write them, and each language's default.

``get_phonemizer_by_name(name, **kwargs)`` builds one; ``get_default_phonemizer(lang)``
names the default for a language (espeak for every espeak voice, overriding gruut;
dedicated phonemizers for be, bn, ja-jp, ko-kr, zh-cn). Backends are imported only
when used, so a missing optional package fails only for the models that need it.
"""

from __future__ import annotations

import importlib
from typing import Any

from TTS.tts.utils.text.phonemizers.base import BasePhonemizer
from TTS.tts.utils.text.phonemizers.espeak_wrapper import ESpeak, espeak_missing_error

__all__ = [
    "BasePhonemizer",
    "ESpeak",
    "PHONEMIZERS",
    "DEF_LANG_TO_PHONEMIZER",
    "get_phonemizer_by_name",
    "get_default_phonemizer",
]

# name -> "module:Class" (relative to this package)
_PHONEMIZER_PATHS = {
    "espeak": "espeak_wrapper:ESpeak",
    "gruut": "gruut_wrapper:Gruut",
    "ja_jp_phonemizer": "ja_jp_phonemizer:JA_JP_Phonemizer",
    "zh_cn_phonemizer": "zh_cn_phonemizer:ZH_CN_Phonemizer",
    "ko_kr_phonemizer": "ko_kr_phonemizer:KO_KR_Phonemizer",
    "bn_phonemizer": "bangla_phonemizer:BN_Phonemizer",
    "be_phonemizer": "belarusian_phonemizer:BEL_Phonemizer",
}
_DEDICATED_LANGUAGES = {
    "be": "be_phonemizer",
    "bn": "bn_phonemizer",
    "ja-jp": "ja_jp_phonemizer",
    "ko-kr": "ko_kr_phonemizer",
    "zh-cn": "zh_cn_phonemizer",
}

# Filled on first use (listing espeak's voices runs espeak-ng once).
PHONEMIZERS: dict[str, type[BasePhonemizer]] = {}
DEF_LANG_TO_PHONEMIZER: dict[str, str] = {}


def _phonemizer_class(name: str) -> type[BasePhonemizer]:
    if name not in PHONEMIZERS:
        module, cls = _PHONEMIZER_PATHS[name].split(":")
        PHONEMIZERS[name] = getattr(importlib.import_module(f"{__name__}.{module}"), cls)
    return PHONEMIZERS[name]


def _register_defaults() -> None:
    if DEF_LANG_TO_PHONEMIZER:
        return
    gruut = _phonemizer_class("gruut")
    if gruut.is_available():
        DEF_LANG_TO_PHONEMIZER.update(dict.fromkeys(gruut.supported_languages(), "gruut"))
    DEF_LANG_TO_PHONEMIZER.update(dict.fromkeys(ESpeak.supported_languages(), "espeak"))
    if "en-us" in DEF_LANG_TO_PHONEMIZER:
        DEF_LANG_TO_PHONEMIZER["en"] = DEF_LANG_TO_PHONEMIZER["en-us"]
    DEF_LANG_TO_PHONEMIZER.update(_DEDICATED_LANGUAGES)


def get_default_phonemizer(language: str | None) -> str:
    """Name of the default phonemizer for ``language``."""
    _register_defaults()
    if language in DEF_LANG_TO_PHONEMIZER:
        return DEF_LANG_TO_PHONEMIZER[language]
    from TTS.core.errors import InvalidInputError

    if not ESpeak.is_available():
        # Most languages are phonemized by espeak-ng: say so rather than "unknown language".
        raise espeak_missing_error()
    raise InvalidInputError(
        f"No phonemizer for language {language!r}. espeak-ng knows: {', '.join(sorted(ESpeak.supported_languages()))}."
    )


def get_phonemizer_by_name(name: str, **kwargs: Any) -> BasePhonemizer:
    """Build the phonemizer registered as ``name`` (``"espeak"``, ``"gruut"``, ``"ja_jp_phonemizer"``...)."""
    if name not in _PHONEMIZER_PATHS:
        from TTS.core.errors import InvalidInputError

        raise InvalidInputError(f"Unknown phonemizer {name!r}; known: {', '.join(_PHONEMIZER_PATHS)}.")
    return _phonemizer_class(name)(**kwargs)
