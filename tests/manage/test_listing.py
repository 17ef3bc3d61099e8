"""Listing and model info match upstream's own output (golden file from coqui-tts 0.28)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from TTS.core.errors import InvalidInputError, ModelNotFoundError
from TTS.utils.manage import ModelManager
from TTS.utils.model_registry import closest_names, get_models_file_path, load_models_file

GOLDEN = json.loads(
    (Path(__file__).parents[1] / "data" / "manage" / "upstream_listing.json").read_text(encoding="utf-8")
)


class _Lines(list):
    """Collects echoed messages as printed lines (a description may hold newlines)."""

    def __call__(self, message: str) -> None:
        self.extend(message.split("\n"))


def _manager(**kwargs) -> tuple[ModelManager, list[str]]:
    lines = _Lines()
    return ModelManager(echo=lines, **kwargs), lines


def test_list_models_matches_upstream_text(isolated: Path) -> None:
    manager, lines = _manager()
    names = manager.list_models()
    assert [line.replace(str(isolated / "tts"), "<OUTPUT_PREFIX>") for line in lines] == GOLDEN["list_models"]
    assert names == GOLDEN["names"]
    assert len(names) == 95


@pytest.mark.parametrize("query", sorted(GOLDEN["info_by_idx"]))
def test_model_info_by_idx_matches_upstream(query: str) -> None:
    manager, lines = _manager()
    manager.model_info_by_idx(query)
    assert lines == GOLDEN["info_by_idx"][query]


def test_cli_info_queries_match_upstream() -> None:
    for query, expected in GOLDEN["cli_info"].items():
        flag, arg = query.split(" ")
        manager, lines = _manager()
        if expected and expected[0].startswith("ERROR: "):
            with pytest.raises(ModelNotFoundError) as err:
                getattr(manager, {"--model_info_by_idx": "model_info_by_idx"}[flag])(arg)
            assert str(err.value).startswith(expected[0][len("ERROR: ") :])
            continue
        method = manager.model_info_by_idx if flag == "--model_info_by_idx" else manager.model_info_by_full_name
        method(arg)
        assert lines == expected, query


def test_info_errors() -> None:
    manager, _ = _manager()
    with pytest.raises(InvalidInputError, match="should be an integer"):
        manager.model_info_by_idx("tts_models/abc")
    with pytest.raises(InvalidInputError, match="positive integer"):
        manager.model_info_by_idx("tts_models/0")
    with pytest.raises(ModelNotFoundError, match="Model type tts_modelz does not exist"):
        manager.model_info_by_idx("tts_modelz/1")
    with pytest.raises(ModelNotFoundError, match="Model xtts_v3 does not exist.*xtts_v2"):
        manager.model_info_by_full_name("tts_models/multilingual/multi-dataset/xtts_v3")


def test_unknown_model_suggests_close_names() -> None:
    manager, _ = _manager()
    with pytest.raises(ModelNotFoundError, match="Did you mean: tts_models/multilingual/multi-dataset/xtts_v2"):
        manager.download_model("tts_models/multilingual/multi-dataset/xtts_v3")
    with pytest.raises(ModelNotFoundError, match="Did you mean:.*xtts_v2"):
        manager.download_model("xtts_v2")
    assert "tts_models/en/ljspeech/vits" in closest_names(load_models_file(), "tts_models/en/ljspeech/vitz")


def test_per_type_lists_and_langs() -> None:
    manager, lines = _manager()
    tts = manager.list_tts_models()
    assert tts == [n for n in GOLDEN["names"] if n.startswith("tts_models/")]
    assert lines[:3] == GOLDEN["list_models"][:3]
    assert manager.list_vocoder_models() == [n for n in GOLDEN["names"] if n.startswith("vocoder_models/")]
    assert manager.list_vc_models() == [n for n in GOLDEN["names"] if n.startswith("voice_conversion_models/")]
    assert "tts_models/en" in manager.list_langs()
    assert "tts_models/en/ljspeech" in manager.list_datasets()


def test_downloaded_marker(isolated: Path) -> None:
    folder = isolated / "tts" / "tts_models--en--ljspeech--vits"
    folder.mkdir(parents=True)
    (folder / "model_file.pth").write_bytes(b"w")
    (folder / "config.json").write_text("{}")
    manager, lines = _manager()
    manager.list_models()
    assert " 16: tts_models/en/ljspeech/vits [already downloaded]" in lines
    assert " 17: tts_models/en/ljspeech/vits--neon" in lines


def test_verbose_false_is_silent() -> None:
    manager, lines = _manager(verbose=False)
    assert len(manager.list_models()) == 95
    assert lines == []


def test_registry_is_upstream_order_and_data() -> None:
    """Every field of every entry is upstream's (the registry file is generated, not edited)."""
    registry = json.loads(get_models_file_path().read_text(encoding="utf-8"))
    assert registry["tts_models"]["multilingual"]["multi-dataset"]["xtts_v2"]["repo_id"] == "tts-hub/XTTS-v2"
    assert registry["tts_models"]["multilingual"]["multi-dataset"]["xtts_v2"]["tos_required"] is True


def test_listing_does_not_import_torch(isolated: Path) -> None:
    code = (
        "import sys; from TTS.utils.manage import ModelManager; ModelManager().list_models(); "
        "heavy = [m for m in ('torch', 'huggingface_hub', 'numpy') if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
