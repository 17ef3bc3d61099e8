"""Generate the README's table of supported models from the registry and the test results.

Usage:
    python tools/make_model_table.py --run-tests   # run the parity tests, record results, rewrite README
    python tools/make_model_table.py               # rewrite README from the recorded results
    python tools/make_model_table.py --check       # exit 1 if README is out of date (used by a test)

The status of a released model comes from its family (``TTS.families``):
``parity`` when the family's parity tests passed in the recorded run, ``tested`` when it is
implemented and its other tests passed, ``failing`` when a recorded test of it failed, and
``not yet`` when the family is not implemented in this version.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
STATUS = ROOT / "docs" / "model-status.json"
START, END = "<!-- model-table:start -->", "<!-- model-table:end -->"

# Which tests speak for which family: a regex over the pytest node id (path::name[params]).
FAMILY_TESTS: dict[str, str] = {
    "xtts": r"^tests/xtts/",
    "vits": r"^tests/vits/",
    "tacotron2": r"^tests/tacotron/.*tacotron2|^tests/e2e/",
    "tacotron": r"^tests/tacotron/.*(?<!2)_?tacotron(?!2)",
    "glow_tts": r"^tests/acoustic/.*glow",
    "fast_pitch": r"^tests/acoustic/.*fast_?pitch",
    "fast_speech": r"^tests/acoustic/.*fast_?speech(?!2)",
    "fastspeech2": r"^tests/acoustic/.*fast_?speech2",
    "speedy_speech": r"^tests/acoustic/.*speedy",
    "overflow": r"^tests/acoustic/.*overflow",
    "neuralhmm_tts": r"^tests/acoustic/.*neural_?hmm",
    "hifigan": r"^tests/vocoder/",
    "melgan": r"^tests/vocoder_families/.*(?<![a-z_])melgan",
    "multiband_melgan": r"^tests/vocoder_families/.*multi_?band",
    "fullband_melgan": r"^tests/vocoder_families/.*full_?band",
    "parallel_wavegan": r"^tests/vocoder_families/.*(parallel_?wavegan|pwgan)",
    "univnet": r"^tests/vocoder_families/.*univnet",
    "wavegrad": r"^tests/vocoder_families/.*wavegrad",
    "wavernn": r"^tests/vocoder_families/.*wavernn",
    "openvoice": r"^tests/vc/.*openvoice",
    "knnvc": r"^tests/vc/.*knnvc",
}


def _node_id(case: ET.Element) -> str:
    classname = case.get("classname", "")
    name = case.get("name", "")
    parts = classname.split(".")
    # junit classnames look like tests.vits.test_vits_parity[.Class]
    path_parts: list[str] = []
    for part in parts:
        path_parts.append(part)
        if part.startswith("test_"):
            break
    return "/".join(path_parts) + ".py::" + name


def collect_status(junit_xml: Path) -> dict[str, dict[str, int]]:
    """Count passed/failed tests and passed parity tests per family from a junit file."""
    status: dict[str, dict[str, int]] = {f: {"passed": 0, "failed": 0, "parity_passed": 0} for f in FAMILY_TESTS}
    for case in ET.parse(junit_xml).getroot().iter("testcase"):
        node = _node_id(case)
        skipped = case.find("skipped") is not None
        failed = case.find("failure") is not None or case.find("error") is not None
        if skipped:
            continue
        for family, pattern in FAMILY_TESTS.items():
            if re.search(pattern, node, flags=re.IGNORECASE):
                entry = status[family]
                if failed:
                    entry["failed"] += 1
                else:
                    entry["passed"] += 1
                    if "parity" in node.lower():
                        entry["parity_passed"] += 1
    return status


def run_tests() -> dict[str, dict[str, int]]:
    """Run the model-family tests once and record the result per family."""
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "junit.xml"
        dirs = sorted({m.group(0).split("/")[1] for p in FAMILY_TESTS.values() for m in re.finditer(r"tests/\w+", p)})
        targets = [f"tests/{d}" for d in dirs if (ROOT / "tests" / d).is_dir()]
        cmd = [sys.executable, "-m", "pytest", "-q", "-n", "2", "-p", "no:cacheprovider", f"--junitxml={junit}", *targets]
        subprocess.run(cmd, cwd=ROOT, check=False)
        return collect_status(junit)


def render_table(status: dict[str, dict[str, int]]) -> str:
    """The markdown table for every released model in the registry."""
    sys.path.insert(0, str(ROOT))
    from TTS.families import family_from_model_name, is_implemented
    from TTS.utils.model_registry import iter_models, load_models_file

    rows = ["| # | model | family | status |", "|---|---|---|---|"]
    counts: dict[str, int] = {}
    per_type: dict[str, int] = {}
    for model_type, lang, dataset, model in iter_models(load_models_file()):
        # numbered per model type, like `tts --list_models`
        index = per_type[model_type] = per_type.get(model_type, 0) + 1
        name = f"{model_type}/{lang}/{dataset}/{model}"
        family = family_from_model_name(name) or "?"
        if family == "?" or not _implemented(is_implemented, family):
            state = "not yet"
        else:
            fam = status.get(family, {})
            if fam.get("failed"):
                state = "failing"
            elif fam.get("parity_passed"):
                state = "parity"
            elif fam.get("passed"):
                state = "tested"
            else:
                state = "untested"
        counts[state] = counts.get(state, 0) + 1
        rows.append(f"| {index} | `{name}` | {family} | {state} |")
    summary = ", ".join(f"{n} {state}" for state, n in sorted(counts.items()))
    rows.append("")
    rows.append(f"{sum(counts.values())} released models: {summary}. Fairseq MMS voices "
                "(`tts_models/<iso>/fairseq/vits`) are VITS and follow its status.")
    return "\n".join(rows)


def _implemented(check, family: str) -> bool:
    try:
        return bool(check(family))
    except Exception:  # an unknown family name
        return False


def updated_readme(table: str) -> str:
    text = README.read_text(encoding="utf-8")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{table}\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run-tests", action="store_true", help="run the family tests and record the results")
    parser.add_argument("--check", action="store_true", help="fail if README.md is not up to date")
    args = parser.parse_args(argv)
    if args.run_tests:
        status = run_tests()
        STATUS.write_text(json.dumps(status, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    status = json.loads(STATUS.read_text(encoding="utf-8")) if STATUS.exists() else {}
    new = updated_readme(render_table(status))
    if args.check:
        if new != README.read_text(encoding="utf-8"):
            print("README.md's model table is out of date: run python tools/make_model_table.py")
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
