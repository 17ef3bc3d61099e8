"""The README's promises that can be checked mechanically."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_model_table_is_generated_from_registry_and_results() -> None:
    result = subprocess.run(
        [sys.executable, "tools/make_model_table.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = re.findall(r"```bash\n(.*?)\n```", readme, flags=re.S)
    test_command = next(c for c in commands if "pytest" in c)
    install = re.search(r"pip install (-c constraints/ci.txt -e \"\.\[dev\]\")", test_command)
    assert install, test_command
    assert install.group(1) in ci
    run_tests = "pytest" + test_command.split("&& pytest", 1)[1]
    assert re.search(rf"^{re.escape(run_tests.strip())}$", ci, flags=re.M), run_tests


def test_upstream_fix_pages_are_all_listed() -> None:
    result = subprocess.run(
        [sys.executable, "tools/make_upstream_index.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
