"""The family registry: well-formed entries, lookups, and every released model name maps to a family."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from TTS.core.errors import InvalidInputError
from TTS.families import (
    FAMILIES,
    family_from_model_name,
    family_name_from_config_dict,
    get_family,
    import_string,
    is_implemented,
)

TARGET = re.compile(r"^TTS(\.[a-z_0-9]+)+:[A-Za-z_][A-Za-z_0-9]*$")


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_entries_are_well_formed(name):
    family = FAMILIES[name]
    assert name == name.lower()
    assert TARGET.match(family.config_class), family.config_class
    assert TARGET.match(family.model_class), family.model_class
    assert family.kind in ("tts", "vocoder", "vc")
    assert not (family.needs_vocoder and family.kind != "tts")


def test_core_families_present():
    for name in ("xtts", "vits", "tacotron", "tacotron2", "glow_tts", "fast_pitch", "hifigan", "multiband_melgan"):
        assert name in FAMILIES
    assert FAMILIES["xtts"].kind == "tts" and not FAMILIES["xtts"].needs_vocoder
    assert FAMILIES["tacotron2"].needs_vocoder
    assert FAMILIES["hifigan"].kind == "vocoder"


def test_get_family_is_case_insensitive_and_lists_known():
    assert get_family("VITS") is FAMILIES["vits"]
    with pytest.raises(InvalidInputError, match="Known families: .*xtts"):
        get_family("nope")


def test_family_name_from_config_dict():
    assert family_name_from_config_dict({"model": "Overflow"}) == "overflow"
    assert family_name_from_config_dict({"generator_model": "hifigan_generator"}) == "hifigan"
    assert family_name_from_config_dict({"model": "NeuralHMM_TTS"}) == "neuralhmm_tts"
    with pytest.raises(InvalidInputError):
        family_name_from_config_dict({})


def test_import_string_errors():
    with pytest.raises(InvalidInputError, match="not implemented"):
        import_string("TTS.tts.configs.no_such_config:NoSuchConfig")
    with pytest.raises(InvalidInputError, match="not implemented"):
        import_string("TTS.families:NoSuchName")
    assert import_string("TTS.families:get_family") is get_family


def test_implemented_families_import():
    for name in FAMILIES:
        if is_implemented(name):
            cls = FAMILIES[name].load_config_class()
            assert cls().model.lower().replace("_generator", "") in (name, "gan")


def test_every_released_model_name_maps_to_a_family():
    models = json.loads((Path(__file__).parents[2] / "TTS" / ".models.json").read_text(encoding="utf-8"))
    names = [
        f"{kind}/{lang}/{dataset}/{model}"
        for kind, langs in models.items()
        for lang, datasets in langs.items()
        for dataset, entries in datasets.items()
        for model in entries
    ]
    assert names
    for name in names:
        family = family_from_model_name(name)
        assert family in FAMILIES, name
        expected_kind = {"tts_models": "tts", "vocoder_models": "vocoder", "voice_conversion_models": "vc"}
        assert FAMILIES[family].kind == expected_kind[name.split("/")[0]], name
    assert family_from_model_name("tts_models/deu/fairseq/vits") == "vits"
    assert family_from_model_name("tts_models/en/x/unknownthing") is None
