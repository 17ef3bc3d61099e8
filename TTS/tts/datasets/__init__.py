"""Loading dataset metadata: ``load_tts_samples`` and the train/eval split.

Plain data loading (no torch): each dataset in the config is read by its
formatter (:mod:`TTS.tts.datasets.formatters`) into sample dicts.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from TTS.config import get_from_config_or_model_args
from TTS.tts.datasets.formatters import Formatter, get_formatter, register_formatter

__all__ = [
    "add_extra_keys",
    "find_unique_chars",
    "load_attention_mask_meta_data",
    "load_tts_samples",
    "register_formatter",
    "split_dataset",
]

logger = logging.getLogger(__name__)

Sample = dict[str, Any]


def split_dataset(
    items: list[Sample], eval_split_max_size: int | None = None, eval_split_size: float = 0.01
) -> tuple[list[Sample], list[Sample]]:
    """Split ``items`` (shuffled in place) into ``(eval, train)``, reproducibly.

    The legacy numpy generator seeded with 0 gives the same split as the original
    code, so recipes keep their eval sets.

    ``eval_split_size`` > 1 is a number of samples, otherwise a fraction (capped by
    ``eval_split_max_size``). With several speakers, no speaker loses its last
    training sample to the eval set.
    """
    if eval_split_size > 1:
        n_eval = int(eval_split_size)
    else:
        n_eval = int(len(items) * eval_split_size)
        if eval_split_max_size:
            n_eval = min(eval_split_max_size, n_eval)
    if n_eval <= 0:
        minimum = 1 / len(items) if items else 1
        raise ValueError(
            f"Not enough samples for an evaluation set ({len(items)} samples): "
            f"set eval_split_size to at least {minimum:.6g}, or give meta_file_val."
        )
    rng = np.random.RandomState(0)
    rng.shuffle(items)
    speakers = Counter(item["speaker_name"] for item in items)
    if len(speakers) <= 1:
        return items[:n_eval], items[n_eval:]
    if n_eval > len(items) - len(speakers):
        raise ValueError(f"Cannot take {n_eval} eval samples and keep one training sample per speaker.")
    eval_items: list[Sample] = []
    while len(eval_items) < n_eval:
        idx = int(rng.randint(0, len(items)))
        speaker = items[idx]["speaker_name"]
        if speakers[speaker] > 1:
            speakers[speaker] -= 1
            eval_items.append(items.pop(idx))
    return eval_items, items


def add_extra_keys(metadata: list[Sample], language: str, dataset_name: str) -> list[Sample]:
    """Tag each sample with ``language`` and a unique ``audio_unique_name`` (``<dataset>#<relative path>``)."""
    for item in metadata:
        item["language"] = language
        relative = Path(item["audio_file"]).relative_to(item["root_path"]).with_suffix("")
        item["audio_unique_name"] = f"{dataset_name}#{relative.as_posix()}"
    return metadata


def load_attention_mask_meta_data(metafile_path: str | os.PathLike[Any]) -> list[list[str]]:
    """Read ``wav_path|attention_file`` lines (written by the attention-mask tool)."""
    with open(metafile_path, encoding="utf-8") as handle:
        return [line.rstrip("\r\n").split("|", 1) for line in handle if line.strip()]


def _dataset_list(config_or_datasets: Any) -> tuple[list[Any], Any]:
    """Accept a config with ``datasets`` (0.28) or the datasets themselves (0.22)."""
    if isinstance(config_or_datasets, Mapping) and "datasets" in config_or_datasets:
        return list(config_or_datasets["datasets"]), config_or_datasets
    if isinstance(config_or_datasets, Mapping):
        return [config_or_datasets], None
    if isinstance(config_or_datasets, Sequence) and not isinstance(config_or_datasets, str):
        return list(config_or_datasets), None
    raise TypeError("load_tts_samples() takes a config with a `datasets` field, or a list of dataset configs.")


def load_tts_samples(
    config: Any,
    eval_split: bool = True,
    formatter: Formatter | None = None,
    eval_split_max_size: int | None = None,
    eval_split_size: float = 0.01,
) -> tuple[list[Sample], list[Sample]]:
    """Read every dataset of ``config.datasets`` and return ``(train_samples, eval_samples)``.

    ``config`` may also be a dataset config or a list of them (the 0.22 form).
    ``formatter`` overrides the formatter named in each dataset. The eval set comes
    from ``meta_file_val`` when given, else it is split off the training data.
    When the config uses speaker embeddings, ``config.speakers`` is filled in.
    """
    datasets, model_config = _dataset_list(config)
    train_all: list[Sample] = []
    eval_all: list[Sample] = []
    for dataset in datasets:
        root_path = dataset["path"]
        reader = formatter if formatter is not None else get_formatter(dataset["formatter"])
        ignored = dataset.get("ignored_speakers")
        language = dataset.get("language", "")
        name = dataset.get("dataset_name", "")
        train = reader(root_path, dataset["meta_file_train"], ignored_speakers=ignored)
        if not train:
            raise ValueError(f"No training samples found in {Path(root_path) / str(dataset['meta_file_train'])}.")
        train = add_extra_keys(train, language, name)
        logger.info("Found %d files in %s", len(train), Path(root_path).resolve())
        if eval_split:
            if dataset.get("meta_file_val"):
                eval_items = add_extra_keys(
                    reader(root_path, dataset["meta_file_val"], ignored_speakers=ignored), language, name
                )
            else:
                per_dataset = eval_split_max_size // len(datasets) if eval_split_max_size else None
                eval_items, train = split_dataset(train, per_dataset, eval_split_size)
            eval_all += eval_items
        train_all += train
        if dataset.get("meta_file_attn_mask"):
            masks = {wav: attn.strip() for wav, attn in load_attention_mask_meta_data(dataset["meta_file_attn_mask"])}
            for item in train_all + eval_all:
                if item["audio_file"] in masks:
                    item["alignment_file"] = masks[item["audio_file"]]
    if model_config is not None and get_from_config_or_model_args(model_config, "use_speaker_embedding"):
        speakers = sorted({s["speaker_name"].strip() for s in train_all + eval_all if "speaker_name" in s})
        if speakers:
            model_config.speakers = speakers
    return train_all, eval_all


def find_unique_chars(data_samples: list[Sample]) -> set[str]:
    """The set of characters in the samples' texts (logged with lower-case statistics)."""
    chars = set("".join(item["text"] for item in data_samples))
    lower = {c for c in chars if c.islower()}
    logger.info("Number of unique characters: %d", len(chars))
    logger.info("Number of unique lower-case characters: %d", len(lower))
    logger.info("Number of unique characters after lower-casing: %d", len({c.lower() for c in chars}))
    return chars
