"""Print, for every registered case, the convs that exceed the MPS limit without the safe path.

    python -m tests.mps.report

For the closing note of issue #6: the offending convs per family, and whether
each case passes emulated with the fix on and fails with it off.
"""

from __future__ import annotations

import os

from tests.mps.cases import discover_mps_cases
from TTS.core.mps import mps_emulation


def main() -> int:
    failures = 0
    for case_id, case in discover_mps_cases():
        if isinstance(case, BaseException):
            print(f"{case_id}: could not load: {case!r}")
            failures += 1
            continue
        os.environ["TTS_FORCE_MPS_SAFE"] = "0"
        with mps_emulation(strict=False) as off:
            case.build("cpu")()
        os.environ["TTS_FORCE_MPS_SAFE"] = "1"
        with mps_emulation(strict=False) as on:
            case.build("cpu")()
        ok = bool(off.violations) and not on.violations
        failures += not ok
        print(
            f"{case_id}: {len(off.violations)} conv call(s) over the limit with the fix off, "
            f"{len(on.violations)} with it on -> {'OK' if ok else 'PROBLEM'}"
        )
        for violation in off.violations:
            print(f"    {violation}")
    os.environ.pop("TTS_FORCE_MPS_SAFE", None)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
