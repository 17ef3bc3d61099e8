"""The warning about conflicting distributions installed beside us."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from TTS._conflicts import conflicting_distributions


def _fake_dist(site: Path, folder: str) -> None:
    (site / folder).mkdir(parents=True)
    (site / folder / "METADATA").write_text("Metadata-Version: 2.1\n", encoding="utf-8")


def test_detects_original_and_fork_and_coqpit(tmp_path: Path) -> None:
    _fake_dist(tmp_path, "TTS-0.22.0.dist-info")
    _fake_dist(tmp_path, "coqui_tts-0.28.0.dist-info")
    _fake_dist(tmp_path, "coqpit-0.0.17.dist-info")
    _fake_dist(tmp_path, "coqpit_config-0.2.5.dist-info")
    _fake_dist(tmp_path, "coqui_tts_ng-0.1.0.dist-info")
    found = conflicting_distributions([str(tmp_path)])
    assert found == {"TTS": "0.22.0", "coqui-tts": "0.28.0", "coqpit": "0.0.17"}


def test_clean_environment_has_no_conflict(tmp_path: Path) -> None:
    _fake_dist(tmp_path, "coqpit_config-0.2.5.dist-info")
    _fake_dist(tmp_path, "coqui_tts_ng-0.1.0.dist-info")
    assert conflicting_distributions([str(tmp_path)]) == {}


def test_import_warns_once_with_the_fix(tmp_path: Path) -> None:
    _fake_dist(tmp_path, "coqui_tts-0.28.0.dist-info")
    code = textwrap.dedent(
        f"""
        import sys, warnings
        sys.path.append({str(tmp_path)!r})
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            import TTS
            import TTS._conflicts as c
            c.warn_conflicting_distributions()
        msgs = [str(w.message) for w in caught if "conflicting" in str(w.message)]
        assert len(msgs) == 1, msgs
        assert "pip uninstall -y coqui-tts" in msgs[0], msgs[0]
        assert "torch" not in sys.modules
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True)
