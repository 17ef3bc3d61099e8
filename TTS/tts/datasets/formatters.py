"""Dataset formatters: read a corpus' metadata into sample dicts.

Every formatter is called as ``formatter(root_path, meta_file, ignored_speakers=None)``
and returns ``[{"text", "audio_file", "speaker_name", "root_path", ...}, ...]``.
Register your own with :func:`register_formatter`; ``BaseDatasetConfig.formatter``
names one of them.
"""

from __future__ import annotations

import csv
import logging
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

__all__ = [
    "Formatter",
    "baker",
    "common_voice",
    "coqui",
    "css10",
    "get_formatter",
    "kokoro",
    "kss",
    "libri_tts",
    "ljspeech",
    "ljspeech_test",
    "mailabs",
    "register_formatter",
    "thorsten",
    "vctk",
    "vctk_old",
]

logger = logging.getLogger(__name__)

Sample = dict[str, Any]
PathLike = str | os.PathLike[Any]


class Formatter(Protocol):
    def __call__(
        self, root_path: PathLike, meta_file: PathLike, ignored_speakers: list[str] | None = None, **kwargs: Any
    ) -> list[Sample]: ...


_FORMATTER_REGISTRY: dict[str, Formatter] = {}


def register_formatter(name: str, formatter: Formatter) -> None:
    """Make ``formatter`` available under ``name`` (case-insensitive); names must be new."""
    key = name.lower()
    if key in _FORMATTER_REGISTRY:
        raise ValueError(f"A formatter named {name!r} is already registered.")
    _FORMATTER_REGISTRY[key] = formatter


def get_formatter(name: str) -> Formatter:
    """The formatter registered under ``name``."""
    try:
        return _FORMATTER_REGISTRY[name.lower()]
    except KeyError:
        known = ", ".join(sorted(_FORMATTER_REGISTRY))
        raise ValueError(
            f"Unknown dataset formatter {name!r}. Known: {known}. Register a custom one with register_formatter()."
        ) from None


def _sample(text: str, audio_file: PathLike, speaker: str, root_path: PathLike, **extra: Any) -> Sample:
    return {"text": text, "audio_file": str(audio_file), "speaker_name": speaker, "root_path": str(root_path), **extra}


def _rows(path: PathLike, sep: str = "|") -> Iterable[list[str]]:
    """Non-empty lines of a metadata file, split on ``sep``, line endings removed."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\r\n")
            if line.strip():
                yield line.split(sep)


def _single_speaker(
    speaker: str, audio: Callable[[str, list[str]], str], text_col: int, min_cols: int = 2
) -> Formatter:
    """A formatter for ``id|text[|normalised text]`` metadata of one speaker."""

    def formatter(root_path: PathLike, meta_file: PathLike, ignored_speakers: list[str] | None = None, **_: Any):
        items = []
        for cols in _rows(os.path.join(root_path, meta_file)):
            if len(cols) < min_cols:
                raise IndexError(f"{meta_file}: expected {min_cols} '|'-separated columns, got {len(cols)}: {cols}")
            items.append(_sample(cols[text_col], audio(str(root_path), cols), speaker, root_path))
        return items

    formatter.__name__ = speaker
    formatter.__doc__ = f"Single-speaker '{speaker}' corpus: pipe-separated metadata, text in column {text_col}."
    return formatter


ljspeech = _single_speaker("ljspeech", lambda root, c: os.path.join(root, "wavs", c[0] + ".wav"), 2, min_cols=3)
thorsten = _single_speaker("thorsten", lambda root, c: os.path.join(root, "wavs", c[0] + ".wav"), 1)
css10 = _single_speaker("css10", lambda root, c: os.path.join(root, c[0]), 1)
kss = _single_speaker("kss", lambda root, c: os.path.join(root, c[0]), 2, min_cols=3)
baker = _single_speaker("baker", lambda root, c: os.path.join(root, "clips_22", c[0]), 1)
_kokoro = _single_speaker("kokoro", lambda root, c: os.path.join(root, "wavs", c[0] + ".wav"), 2, min_cols=3)


def kokoro(root_path: PathLike, meta_file: PathLike, ignored_speakers: list[str] | None = None, **kwargs: Any):
    """Kokoro (Japanese): like LJSpeech, with the spaces removed from the normalised text."""
    return [{**item, "text": item["text"].replace(" ", "")} for item in _kokoro(root_path, meta_file)]


def ljspeech_test(root_path: PathLike, meta_file: PathLike, ignored_speakers: list[str] | None = None, **_: Any):
    """LJSpeech metadata split into fake speakers of two utterances each (for multi-speaker tests)."""
    items = ljspeech(root_path, meta_file)
    for idx, item in enumerate(items):
        item["speaker_name"] = f"ljspeech-{idx // 2 + 1}"
    return items


def coqui(root_path: PathLike, meta_file: PathLike, ignored_speakers: list[str] | None = None, **_: Any):
    """Coqui format: ``audio_file|text[|speaker_name][|emotion_name]`` with a header row.

    Missing speaker / emotion columns default to ``"coqui"`` / ``"neutral"``; rows whose
    audio file does not exist are skipped (and counted in a warning).
    """
    with open(Path(root_path) / meta_file, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="|"))
    if not rows or not {"audio_file", "text"} <= set(rows[0]):
        raise ValueError(f"{meta_file}: the header must name at least the columns audio_file|text.")
    items, missing = [], 0
    for row in rows:
        speaker = row.get("speaker_name") or "coqui"
        if ignored_speakers and speaker in ignored_speakers:
            continue
        audio = os.path.join(root_path, row["audio_file"])
        if not os.path.exists(audio):
            missing += 1
            continue
        items.append(_sample(row["text"], audio, speaker, root_path, emotion_name=row.get("emotion_name") or "neutral"))
    if missing:
        logger.warning("%d audio files listed in %s were not found.", missing, meta_file)
    return items


def _vctk_texts(root_path: PathLike, ignored_speakers: list[str] | None) -> Iterable[tuple[str, str, str]]:
    """``(speaker_id, file_id, text)`` for every ``txt/<speaker>/<file>.txt``, sorted."""
    for txt in sorted(Path(root_path, "txt").glob("*/*.txt")):
        speaker_id = txt.parent.name
        if ignored_speakers and speaker_id in ignored_speakers:
            continue
        lines = txt.read_text(encoding="utf-8").splitlines()
        yield speaker_id, txt.stem, lines[0] if lines else ""


def vctk(
    root_path: PathLike,
    meta_files: Any = None,
    wavs_path: str = "wav48_silence_trimmed",
    mic: str = "mic1",
    ignored_speakers: list[str] | None = None,
    **_: Any,
) -> list[Sample]:
    """VCTK 0.92: ``txt/<spk>/<id>.txt`` and ``<wavs_path>/<spk>/<id>_<mic>.flac`` (p280 has only mic1)."""
    items = []
    for speaker_id, file_id, text in _vctk_texts(root_path, ignored_speakers):
        use_mic = "mic1" if speaker_id == "p280" else mic
        audio = os.path.join(root_path, wavs_path, speaker_id, f"{file_id}_{use_mic}.flac")
        if os.path.exists(audio):
            items.append(_sample(text, audio, "VCTK_" + speaker_id, root_path))
        else:
            logger.warning("Audio file not found: %s", audio)
    return items


def vctk_old(
    root_path: PathLike,
    meta_files: Any = None,
    wavs_path: str = "wav48",
    ignored_speakers: list[str] | None = None,
    **_: Any,
) -> list[Sample]:
    """Older VCTK releases: ``txt/<spk>/<id>.txt`` and ``<wavs_path>/<spk>/<id>.wav``."""
    return [
        _sample(
            text, os.path.join(root_path, wavs_path, speaker_id, file_id + ".wav"), "VCTK_old_" + speaker_id, root_path
        )
        for speaker_id, file_id, text in _vctk_texts(root_path, ignored_speakers)
    ]


def libri_tts(
    root_path: PathLike, meta_files: Any = None, ignored_speakers: list[str] | None = None, **_: Any
) -> list[Sample]:
    """LibriTTS: every ``*trans.tsv`` (``id<TAB>raw<TAB>normalised``), audio ``<spk>/<chapter>/<id>.wav``."""
    if not meta_files:
        files = sorted(str(p) for p in Path(root_path).rglob("*trans.tsv"))
    elif isinstance(meta_files, str | os.PathLike):
        files = [os.path.join(root_path, meta_files)]
    else:
        files = list(meta_files)
    items = []
    for meta in files:
        for cols in _rows(meta, sep="\t"):
            speaker, chapter = cols[0].split("_")[:2]
            if ignored_speakers and speaker in ignored_speakers:
                continue
            audio = os.path.join(root_path, speaker, chapter, cols[0] + ".wav")
            if not os.path.exists(audio):
                raise FileNotFoundError(f"LibriTTS audio file not found: {audio}")
            items.append(_sample(cols[2], audio, f"LTTS_{speaker}", root_path))
    return items


def common_voice(
    root_path: PathLike, meta_file: PathLike, ignored_speakers: list[str] | None = None, **_: Any
) -> list[Sample]:
    """Mozilla Common Voice ``.tsv`` (``client_id<TAB>path<TAB>sentence...``), audio in ``clips/``."""
    items = []
    for cols in _rows(os.path.join(root_path, meta_file), sep="\t"):
        if cols[0] == "client_id":
            continue
        if ignored_speakers and cols[0] in ignored_speakers:
            continue
        items.append(_sample(cols[2], os.path.join(root_path, "clips", cols[1]), "MCV_" + cols[0], root_path))
    return items


_MAILABS_SPEAKER = re.compile(r"by_book[/\\](?:male|female)[/\\](?P<speaker>[^/\\]+)[/\\]")


def mailabs(
    root_path: PathLike, meta_files: Any = None, ignored_speakers: list[str] | None = None, **_: Any
) -> list[Sample]:
    """M-AILABS: ``by_book/<gender>/<speaker>/<book>/metadata.csv`` (``id|text``) and ``wavs/<id>.wav``."""
    if not meta_files:
        csv_files = sorted(str(p) for p in Path(root_path).rglob("metadata.csv"))
    else:
        csv_files = [meta_files] if isinstance(meta_files, str | os.PathLike) else list(meta_files)
    items = []
    for csv_file in csv_files:
        path = csv_file if os.path.isfile(csv_file) else os.path.join(root_path, csv_file)
        match = _MAILABS_SPEAKER.search(str(path))
        if match is None:
            continue
        speaker = match.group("speaker")
        if ignored_speakers and speaker in ignored_speakers:
            continue
        folder = os.path.dirname(path)
        for cols in _rows(path):
            audio = os.path.join(folder, "wavs", cols[0] + ".wav")
            if os.path.isfile(audio):
                items.append(_sample(cols[1].strip(), audio, speaker, root_path))
            else:
                logger.warning("Audio file not found: %s", audio)
    return items


for _name, _formatter in (
    ("coqui", coqui),
    ("ljspeech", ljspeech),
    ("ljspeech_test", ljspeech_test),
    ("thorsten", thorsten),
    ("css10", css10),
    ("kss", kss),
    ("kokoro", kokoro),
    ("baker", baker),
    ("common_voice", common_voice),
    ("libri_tts", libri_tts),
    ("vctk", vctk),
    ("vctk_old", vctk_old),
    ("mailabs", mailabs),
):
    register_formatter(_name, _formatter)
