"""The model registry (``TTS/.models.json``): reading, lookup and the text ``tts`` prints.

The registry nests ``type -> language -> dataset -> model -> entry``; its order is the
numbering ``tts --list_models`` shows (restarting at 1 for each model type, as upstream).
An entry says where a model comes from, with the same fields upstream uses:

- ``github_rls_url``: a zip release (str) or a list of files (list);
- ``hf_url``: a list of files (``TTS`` 0.22's XTTS entries);
- ``repo_id`` (+ ``allow`` / ``ignore`` patterns, optional ``revision``): a Hugging Face repo;
- ``checksums`` (ours, optional): ``{file or archive name: "sha256:<hex>" | "md5:<hex>"}``.

Pure data handling: no torch, no network.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from TTS.core.errors import InvalidInputError, ModelNotFoundError
from TTS.utils.model_paths import split_model_name

__all__ = [
    "LICENSE_URLS",
    "closest_names",
    "format_model_info",
    "format_model_list",
    "get_models_file_path",
    "iter_models",
    "load_models_file",
    "lookup_model",
    "model_name_by_index",
]

LICENSE_URLS = {
    "cc by-nc-nd 4.0": "https://creativecommons.org/licenses/by-nc-nd/4.0/",
    "mpl": "https://www.mozilla.org/en-US/MPL/2.0/",
    "mpl2": "https://www.mozilla.org/en-US/MPL/2.0/",
    "mpl 2.0": "https://www.mozilla.org/en-US/MPL/2.0/",
    "mit": "https://choosealicense.com/licenses/mit/",
    "apache 2.0": "https://choosealicense.com/licenses/apache-2.0/",
    "apache2": "https://choosealicense.com/licenses/apache-2.0/",
    "cc-by-sa 4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "cpml": "https://tts-hub.github.io/cpml",
}

ModelsDict = dict[str, dict[str, dict[str, dict[str, dict[str, Any]]]]]


def get_models_file_path() -> Path:
    """The registry shipped with the package."""
    return Path(str(resources.files("TTS").joinpath(".models.json")))


def load_models_file(path: str | os.PathLike[str] | None = None) -> ModelsDict:
    """Read a registry file (ours by default)."""
    path = get_models_file_path() if path is None else Path(path)
    return json.loads(Path(path).read_text(encoding="utf-8"))


def iter_models(models: ModelsDict, model_type: str | None = None) -> Iterator[tuple[str, str, str, str]]:
    """Yield ``(type, lang, dataset, model)`` in registry order, for one type or all."""
    types = [model_type] if model_type is not None else list(models)
    for mtype in types:
        for lang, datasets in models.get(mtype, {}).items():
            for dataset, entries in datasets.items():
                for model in entries:
                    yield mtype, lang, dataset, model


def closest_names(models: ModelsDict, name: str, n: int = 3) -> list[str]:
    """Registry names that look like ``name`` (for "did you mean" messages)."""
    names = ["/".join(parts) for parts in iter_models(models)]
    close = difflib.get_close_matches(name, names, n=n, cutoff=0.5)
    if not close:
        # A bare model or dataset name ("xtts_v2") matches the tail of full names.
        tail = name.strip("/").split("/")[-1].lower()
        close = [full for full in names if full.lower().endswith("/" + tail)][:n]
    return close


def _not_found(models: ModelsDict, name: str, what: str) -> ModelNotFoundError:
    close = closest_names(models, name)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    return ModelNotFoundError(f"{what}.{hint} Run `tts --list_models` to see all models.")


def lookup_model(models: ModelsDict, model_name: str) -> dict[str, Any]:
    """The registry entry of ``model_name``; ModelNotFoundError (with close names) if absent."""
    try:
        mtype, lang, dataset, model = split_model_name(model_name)
    except ModelNotFoundError as err:
        close = closest_names(models, model_name)
        if close:
            raise ModelNotFoundError(f"{err} Did you mean: {', '.join(close)}?") from None
        raise
    try:
        return models[mtype][lang][dataset][model]
    except KeyError:
        raise _not_found(models, model_name, f"Unknown model {model_name!r}") from None


def format_model_list(
    models: ModelsDict, output_prefix: Path, downloaded: dict[str, bool] | None = None
) -> tuple[list[str], list[str]]:
    """The lines ``tts --list_models`` prints and the model names, in registry order.

    ``downloaded`` maps model names to whether they are present locally (" [already downloaded]").
    Models with a ``repo_id`` are marked ``*`` (kept in the Hugging Face cache).
    """
    downloaded = downloaded or {}
    lines: list[str] = []
    names: list[str] = []
    for mtype in models:
        lines += ["", "Name format: type/language/dataset/model"]
        for idx, (_, lang, dataset, model) in enumerate(iter_models(models, mtype), start=1):
            name = f"{mtype}/{lang}/{dataset}/{model}"
            star = "*" if "repo_id" in models[mtype][lang][dataset][model] else ""
            mark = " [already downloaded]" if downloaded.get(name) else ""
            lines.append(f" {idx:2d}: {name}{star}{mark}")
            names.append(name)
    lines += [
        "",
        f"Path to downloaded models: {output_prefix}",
        "(models marked with * are stored in the Hugging Face Hub cache folder)",
    ]
    return lines, names


def format_model_info(models: ModelsDict, model_name: str) -> list[str]:
    """The lines ``tts --model_info_by_name`` prints; ModelNotFoundError for unknown parts."""
    mtype, lang, dataset, model = split_model_name(model_name)
    # Upstream names the first level that does not exist; so do we, with suggestions.
    if mtype not in models:
        raise _not_found(models, model_name, f"Model type {mtype} does not exist in the list")
    if lang not in models[mtype]:
        raise _not_found(models, model_name, f"Language {lang} does not exist for {mtype}")
    if dataset not in models[mtype][lang]:
        raise _not_found(models, model_name, f"Dataset {dataset} does not exist for {mtype}/{lang}")
    if model not in models[mtype][lang][dataset]:
        raise _not_found(models, model_name, f"Model {model} does not exist for {mtype}/{lang}/{dataset}")
    entry = models[mtype][lang][dataset][model]
    lines = [
        f"Model type: {mtype}",
        f"Language supported: {lang}",
        f"Dataset used: {dataset}",
        f"Model name: {model}",
        f"Description: {entry['description']}" if "description" in entry else "Description: coming soon",
    ]
    if "default_vocoder" in entry:
        lines.append(f"Default vocoder: {entry['default_vocoder']}")
    return lines


def model_name_by_index(models: ModelsDict, query: str) -> str:
    """Resolve ``"<type>/<idx>"`` (1-based, per type, as listed) to a model name."""
    mtype, sep, idx_text = query.partition("/")
    if not sep or "/" in idx_text:
        raise InvalidInputError(f"{query!r} is not <model_type>/<index>, e.g. tts_models/1.")
    try:
        idx = int(idx_text)
    except ValueError:
        raise InvalidInputError(f"model_query_idx [{idx_text}] should be an integer!") from None
    if idx <= 0:
        raise InvalidInputError(f"model_query_idx [{idx}] should be a positive integer!")
    if mtype not in models:
        known = ", ".join(models)
        raise ModelNotFoundError(f"Model type {mtype} does not exist in the list. Known types: {known}.")
    names = ["/".join(parts) for parts in iter_models(models, mtype)]
    if idx > len(names):
        raise ModelNotFoundError(f"model_query_idx exceeds the number of available models [{len(names)}]")
    return names[idx - 1]
