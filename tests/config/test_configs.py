"""Base configs match upstream's fields and defaults; load_config reads upstream-shaped files."""

from __future__ import annotations

import dataclasses
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from TTS.config import (
    ConfigFormatError,
    ConfigNotFoundError,
    get_from_config_or_model_args,
    get_from_config_or_model_args_with_default,
    load_config,
    read_json_with_comments,
)
from TTS.config.shared_configs import BaseAudioConfig, BaseDatasetConfig, BaseTrainingConfig
from TTS.core.errors import InvalidInputError, ModelNotFoundError
from TTS.tts.configs.shared_configs import (
    BaseTTSConfig,
    CapacitronVAEConfig,
    CharactersConfig,
    GSTConfig,
)

REFS = json.loads((Path(__file__).parents[1] / "data" / "config" / "upstream_base_configs.json").read_text())
CLASSES = [
    BaseAudioConfig,
    BaseDatasetConfig,
    BaseTrainingConfig,
    BaseTTSConfig,
    CharactersConfig,
    GSTConfig,
    CapacitronVAEConfig,
]


def _plain(value):
    if isinstance(value, float) and math.isinf(value):
        return "inf"
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_fields_and_defaults_match_upstream(cls):
    ref = dict(REFS[cls.__name__])
    assert [f.name for f in dataclasses.fields(cls)] == ref.pop("__fields__")
    assert _plain(cls()) == ref


def test_to_dict_matches_upstream():
    assert _plain(BaseTTSConfig().to_dict()) == REFS["BaseTTSConfig.to_dict"]


def test_base_training_config_has_no_trainer_dependency():
    assert [b.__name__ for b in BaseTrainingConfig.__mro__[1:3]] == ["Coqpit", "Serializable"]


def test_configs_import_neither_models_nor_torch():
    code = (
        "import sys, TTS.config, TTS.tts.configs.shared_configs, TTS.families;"
        "bad=[m for m in sys.modules if m=='torch' or m.startswith(('TTS.tts.models','TTS.vocoder.models','trainer'))];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_values():
    BaseAudioConfig().check_values()
    with pytest.raises(ValueError, match="num_mels"):
        BaseAudioConfig(num_mels=5).check_values()
    GSTConfig().check_values()
    with pytest.raises(ValueError):
        GSTConfig(gst_num_heads=1).check_values()
    CapacitronVAEConfig().check_values()


def test_supports_cloning(tmp_path):
    assert not BaseTTSConfig().supports_cloning
    assert BaseTTSConfig(_supports_cloning=True).supports_cloning


# --------------------------------------------------------------------- load_config

# Shaped like a released VITS config.json: comments, unknown keys, nested blocks.
VITS_CONFIG_TEXT = """{
    // released configs had comments like this one
    "model": "vits",
    "run_name": "vits_ljspeech", /* and block comments */
    "github_branch": "* dev",
    "batch_size": 48,
    "url_like": "http://example.com/a//b",
    "text_cleaner": "english_cleaners",
    "use_phonemes": true,
    "phonemizer": "espeak",
    "phoneme_language": "en-us",
    "max_audio_len": Infinity,
    "audio": {"sample_rate": 22050, "fft_size": 1024, "num_mels": 80, "unknown_audio_key": 1},
    "model_args": {"hidden_channels": 192, "num_speakers": 0},
    "characters": {"characters_class": "TTS.tts.models.vits.VitsCharacters", "pad": "_", "eos": "",
                   "bos": "", "characters": "abc", "punctuations": "!,. ", "phonemes": null,
                   "is_unique": false, "is_sorted": true},
    "datasets": [{"formatter": "ljspeech", "path": "/data/LJSpeech-1.1/", "meta_file_train": "metadata.csv",
                  "language": "en", "ignored_speakers": null}],
    "test_sentences": [["It took me quite a long time to develop a voice."]]
}"""


@pytest.fixture
def vits_config_file(tmp_path):
    pytest.importorskip("TTS.tts.configs.vits_config")
    path = tmp_path / "config.json"
    path.write_text(VITS_CONFIG_TEXT, encoding="utf-8")
    return path


def test_load_config_vits_with_comments(vits_config_file):
    from TTS.tts.configs.vits_config import VitsConfig

    config = load_config(vits_config_file)
    assert type(config) is VitsConfig
    assert config.run_name == "vits_ljspeech"
    assert config.batch_size == 48
    assert config.url_like == "http://example.com/a//b" if hasattr(config, "url_like") else True
    assert config.audio.sample_rate == 22050
    assert config.model_args.hidden_channels == 192
    assert config.characters.pad == "_" and config.characters.is_unique is False
    assert isinstance(config.datasets[0], BaseDatasetConfig)
    assert config.datasets[0].formatter == "ljspeech"
    assert config.max_audio_len == float("inf")
    assert config.test_sentences == [["It took me quite a long time to develop a voice."]]


def test_load_config_round_trip(vits_config_file, tmp_path):
    config = load_config(vits_config_file)
    saved = tmp_path / "saved.json"
    config.save_json(saved)
    again = load_config(saved)
    assert again.to_dict() == config.to_dict()


def test_load_config_accepts_pathlike_and_yaml(vits_config_file, tmp_path):
    yaml = pytest.importorskip("yaml")
    data = read_json_with_comments(vits_config_file)
    assert data["url_like"] == "http://example.com/a//b"
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({k: v for k, v in data.items() if k != "max_audio_len"}), encoding="utf-8")
    assert load_config(Path(path)).run_name == "vits_ljspeech"


def test_load_config_old_vocoder_generator_name(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"generator_model": "hifigan_generator"}))
    # The family resolves to hifigan; its config module arrives with the vocoder family.
    try:
        config = load_config(path)
    except InvalidInputError as err:
        assert "hifigan" in str(err)
    else:
        assert config.model == "hifigan"


def test_load_config_errors(tmp_path):
    with pytest.raises(ConfigNotFoundError) as info:
        load_config(tmp_path / "missing.json")
    assert isinstance(info.value, FileNotFoundError) and isinstance(info.value, ModelNotFoundError)
    bad_ext = tmp_path / "config.txt"
    bad_ext.write_text("{}")
    with pytest.raises(ConfigFormatError, match="Unknown config file type"):
        load_config(bad_ext)
    broken = tmp_path / "broken.json"
    broken.write_text('{"model": "vits",')
    with pytest.raises(ConfigFormatError, match="not valid JSON"):
        load_config(broken)
    no_model = tmp_path / "nomodel.json"
    no_model.write_text('{"run_name": "x"}')
    with pytest.raises(InvalidInputError, match="no 'model' field"):
        load_config(no_model)
    unknown = tmp_path / "unknown.json"
    unknown.write_text('{"model": "no_such_family"}')
    with pytest.raises(InvalidInputError, match="Unknown model family 'no_such_family'"):
        load_config(unknown)
    not_object = tmp_path / "list.json"
    not_object.write_text("[1, 2]")
    with pytest.raises(ConfigFormatError, match="object"):
        load_config(not_object)


def test_get_from_config_or_model_args(vits_config_file):
    config = load_config(vits_config_file)
    assert get_from_config_or_model_args(config, "hidden_channels") == 192  # from model_args
    assert get_from_config_or_model_args(config, "run_name") == "vits_ljspeech"  # from config
    assert get_from_config_or_model_args(config, "nope", 7) == 7
    assert get_from_config_or_model_args(config, "nope") is None
    assert get_from_config_or_model_args_with_default(config, "nope", "d") == "d"
    plain = BaseTTSConfig(run_name="r")
    assert get_from_config_or_model_args(plain, "run_name") == "r"
