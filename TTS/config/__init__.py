"""Config loading: read a ``config.json`` (or YAML) and build the family's config object.

The family is found from the file's ``model`` field through :mod:`TTS.families`;
only that family's config module is imported (no model code, no torch).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from coqpit import Coqpit

from TTS.config.shared_configs import BaseAudioConfig, BaseDatasetConfig, BaseTrainingConfig
from TTS.core.errors import InvalidInputError, ModelNotFoundError

__all__ = [
    "BaseAudioConfig",
    "BaseDatasetConfig",
    "BaseTrainingConfig",
    "ConfigFormatError",
    "ConfigNotFoundError",
    "get_from_config_or_model_args",
    "get_from_config_or_model_args_with_default",
    "load_config",
    "read_json_with_comments",
    "register_config",
]


class ConfigNotFoundError(ModelNotFoundError, FileNotFoundError):
    """The config file does not exist (also a ``FileNotFoundError``, as before)."""


class ConfigFormatError(InvalidInputError, TypeError):
    """The config file is not JSON/YAML, or cannot be parsed."""


# A JSON string literal (kept as is), a /* block */ comment or a // line comment.
# Matching strings first keeps "http://..." inside strings intact.
_JSON_TOKEN = re.compile(r'("(?:[^"\\]|\\.)*")|(/\*.*?\*/)|(//[^\n]*)', re.DOTALL)


def _strip_json_comments(text: str) -> str:
    return _JSON_TOKEN.sub(lambda m: m.group(1) if m.group(1) is not None else "", text)


def _read_text(path: str) -> str:
    if "://" in path:  # remote or fsspec URL (s3://, gs://, https://, memory://)
        import fsspec

        with fsspec.open(path, "r", encoding="utf-8") as f:
            return f.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigNotFoundError(f"Config file not found: {path}. Check the path (--config_path).") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigFormatError(f"Cannot read config file {path}: {exc}") from exc


def read_json_with_comments(json_path: str | os.PathLike[Any]) -> dict[str, Any]:
    """Parse a JSON file that may contain ``//`` and ``/* */`` comments (old released configs do)."""
    path = str(json_path)
    try:
        return json.loads(_strip_json_comments(_read_text(path)))
    except json.JSONDecodeError as exc:
        raise ConfigFormatError(f"Config file {path} is not valid JSON: {exc}") from exc


def _read_config_dict(path: str) -> dict[str, Any]:
    ext = os.path.splitext(path)[1].lower()
    if ext in (".yml", ".yaml"):
        try:
            import yaml
        except ImportError as exc:
            from TTS.core.errors import MissingDependencyError

            raise MissingDependencyError(f"Reading {path} needs PyYAML: pip install pyyaml") from exc
        try:
            data = yaml.safe_load(_read_text(path))
        except yaml.YAMLError as exc:
            raise ConfigFormatError(f"Config file {path} is not valid YAML: {exc}") from exc
    elif ext == ".json":
        text = _read_text(path)
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            try:
                data = json.loads(_strip_json_comments(text))
            except json.JSONDecodeError as exc:
                raise ConfigFormatError(f"Config file {path} is not valid JSON: {exc}") from exc
    else:
        raise ConfigFormatError(f"Unknown config file type '{ext}' for {path}: use a .json or .yaml file.")
    if not isinstance(data, dict):
        raise ConfigFormatError(f"Config file {path} must contain a JSON/YAML object at the top level.")
    return data


def register_config(model_name: str) -> type[Coqpit]:
    """Return the config class of the family named ``model_name`` (e.g. ``"vits"``)."""
    from TTS.families import get_family

    return get_family(model_name).load_config_class()


def config_from_dict(config_dict: dict[str, Any]) -> Coqpit:
    """Build the right config object for ``config_dict`` from its ``model`` field."""
    from TTS.families import family_name_from_config_dict
    from TTS.vc.configs.openvoice_config import OpenVoiceConfig, is_original_openvoice_config

    if is_original_openvoice_config(config_dict):  # an OpenVoice converter's own config.json
        return OpenVoiceConfig.from_original(config_dict)
    config = register_config(family_name_from_config_dict(config_dict))()
    config.from_dict(config_dict)
    return config


def load_config(config_path: str | os.PathLike[Any]) -> Coqpit:
    """Load a ``.json`` (comments allowed) or ``.yaml`` config file into its family's config class.

    Keys the class does not know are ignored, missing keys keep their defaults.

    Raises:
        ConfigNotFoundError: the file does not exist.
        ConfigFormatError: the file cannot be parsed or has an unknown extension.
        InvalidInputError: the ``model`` field is missing or names an unknown family.
    """
    return config_from_dict(_read_config_dict(str(config_path)))


def get_from_config_or_model_args(config: Coqpit, arg_name: str, def_val: Any = None) -> Any:
    """``config.model_args[arg_name]`` when present, else ``config[arg_name]``, else ``def_val``."""
    model_args = getattr(config, "model_args", None)
    if model_args is not None and arg_name in model_args:
        return model_args[arg_name]
    if hasattr(config, arg_name):
        return config[arg_name]
    return def_val


def get_from_config_or_model_args_with_default(config: Coqpit, arg_name: str, def_val: Any) -> Any:
    """Same as :func:`get_from_config_or_model_args` with a required default (0.22 name)."""
    return get_from_config_or_model_args(config, arg_name, def_val)
