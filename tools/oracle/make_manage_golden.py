"""Record upstream ``tts --list_models`` / ``--model_info_by_*`` output as a golden file.

Run with the oracle venv (coqui-tts 0.28), from a folder outside the repository so
upstream's ``TTS`` is imported, not ours::

    cd /tmp && /work/oracle/venv/bin/python /work/main/tools/oracle/make_manage_golden.py

Writes ``tests/data/manage/upstream_listing.json``:

- ``list_models``: stdout lines of ``tts --list_models`` with an empty model folder
  (the folder path is replaced by ``<OUTPUT_PREFIX>``);
- ``cli_info``: stdout lines of a few ``tts --model_info_by_idx/--model_info_by_name`` calls;
- ``info_by_idx``: for every ``<type>/<idx>``, the lines ``ModelManager.model_info_by_idx``
  logs (collected in-process with the CLI's formatter, which is much faster than one
  ``tts`` process per model);
- ``names``: ``ModelManager.list_models()``'s return value.
"""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
OUT = REPO_ROOT / "tests" / "data" / "manage" / "upstream_listing.json"
TTS_BIN = Path(sys.executable).with_name("tts")

CLI_QUERIES = [
    ["--model_info_by_idx", "tts_models/1"],
    ["--model_info_by_idx", "tts_models/11"],
    ["--model_info_by_idx", "vocoder_models/3"],
    ["--model_info_by_idx", "voice_conversion_models/2"],
    ["--model_info_by_idx", "tts_models/1000"],
    ["--model_info_by_name", "vocoder_models/en/ljspeech/hifigan_v2"],
    ["--model_info_by_name", "tts_models/en/ljspeech/glow-tts"],
]


def _run_cli(args: list[str], home: str) -> list[str]:
    env = dict(os.environ, TTS_HOME=home)
    env.pop("XDG_DATA_HOME", None)
    proc = subprocess.run([str(TTS_BIN), *args], capture_output=True, text=True, env=env, cwd=tempfile.gettempdir())
    return proc.stdout.replace(str(Path(home) / "tts"), "<OUTPUT_PREFIX>").splitlines()


def main() -> None:
    import TTS

    if str(REPO_ROOT) in str(Path(TTS.__file__).resolve()):
        raise SystemExit("imported our TTS instead of upstream's: run from outside the repository")
    from TTS.utils.generic_utils import ConsoleFormatter
    from TTS.utils.manage import ModelManager

    with tempfile.TemporaryDirectory() as home:
        golden: dict[str, object] = {"upstream": "coqui-tts 0.28.0"}
        golden["list_models"] = _run_cli(["--list_models"], home)
        golden["cli_info"] = {" ".join(q): _run_cli(q, home) for q in CLI_QUERIES}

        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.setFormatter(ConsoleFormatter())
        log = logging.getLogger("TTS")
        log.setLevel(logging.INFO)
        log.addHandler(handler)
        manager = ModelManager(output_prefix=home)
        info: dict[str, list[str]] = {}
        for model_type in manager.models_dict:
            count = sum(len(ds) for lang in manager.models_dict[model_type].values() for ds in lang.values())
            for idx in range(1, count + 1):
                stream.seek(0)
                stream.truncate()
                manager.model_info_by_idx(f"{model_type}/{idx}")
                info[f"{model_type}/{idx}"] = stream.getvalue().splitlines()
        golden["info_by_idx"] = info
        stream.seek(0)
        stream.truncate()
        golden["names"] = manager.list_models()
        log.removeHandler(handler)

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(golden, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
