"""Write ``TTS/.models.json`` from the registry shipped with upstream ``coqui-tts`` 0.28.

The registry is data (model names, release URLs, licences, descriptions, default
vocoders, Hugging Face repos). We keep every entry, in upstream's order, so that
``tts --list_models`` numbering and ``--model_info_by_idx`` agree with upstream.

Usage (any Python; it only reads JSON)::

    python tools/oracle/make_models_json.py [--upstream PATH] [--check]

``--check`` exits 1 when the committed file differs from what would be written.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_UPSTREAM = Path("/work/oracle/venv/lib/python3.11/site-packages/TTS/.models.json")
TARGET = REPO_ROOT / "TTS" / ".models.json"
MODEL_TYPES = ("tts_models", "vocoder_models", "voice_conversion_models")


def build(upstream: Path) -> str:
    """Return the text of our registry, built from the upstream one."""
    registry = json.loads(upstream.read_text(encoding="utf-8"))
    unknown = [t for t in registry if t not in MODEL_TYPES]
    if unknown:
        raise SystemExit(f"unexpected model types in {upstream}: {unknown}")
    count = 0
    for model_type, langs in registry.items():
        for lang, datasets in langs.items():
            for dataset, models in datasets.items():
                for model, item in models.items():
                    if not isinstance(item, dict):
                        raise SystemExit(f"{model_type}/{lang}/{dataset}/{model}: entry is not an object")
                    count += 1
    print(f"{count} models from {upstream}", file=sys.stderr)
    # dicts keep insertion order, so dumping the parsed registry keeps upstream's order.
    return json.dumps(registry, indent=4, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--upstream", type=Path, default=DEFAULT_UPSTREAM, help="upstream TTS/.models.json")
    parser.add_argument("--check", action="store_true", help="only compare with the committed file")
    args = parser.parse_args()
    text = build(args.upstream)
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is out of date; run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
