"""Record upstream coqui-tts 0.28's base config fields (names, order, defaults) for tests/config.

Run with the oracle venv from outside the repo:
    cd /tmp && /work/oracle/venv/bin/python /work/main/tools/oracle/make_config_refs.py
Writes tests/data/config/upstream_base_configs.json.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

from TTS.config.shared_configs import BaseAudioConfig, BaseDatasetConfig, BaseTrainingConfig
from TTS.tts.configs.shared_configs import BaseTTSConfig, CapacitronVAEConfig, CharactersConfig, GSTConfig

OUT = Path(__file__).resolve().parents[2] / "tests" / "data" / "config" / "upstream_base_configs.json"


def _plain(value):
    if isinstance(value, float) and math.isinf(value):
        return "inf"
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def main() -> None:
    classes = [
        BaseAudioConfig,
        BaseDatasetConfig,
        BaseTrainingConfig,
        BaseTTSConfig,
        CharactersConfig,
        GSTConfig,
        CapacitronVAEConfig,
    ]
    out = {cls.__name__: _plain(cls()) | {"__fields__": [f.name for f in dataclasses.fields(cls)]} for cls in classes}
    # A round trip of a full default BaseTTSConfig through upstream's own serialiser.
    out["BaseTTSConfig.to_dict"] = _plain(BaseTTSConfig().to_dict())
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
