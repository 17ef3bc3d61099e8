"""Rewrite the list of pages in docs/upstream/README.md from the pages' titles.

Usage: python tools/make_upstream_index.py [--check]
"""

from __future__ import annotations

import sys
from pathlib import Path

FOLDER = Path(__file__).resolve().parents[1] / "docs" / "upstream"
START, END = "<!-- pages:start -->", "<!-- pages:end -->"


def render() -> str:
    lines = []
    for page in sorted(FOLDER.glob("*.md")):
        if page.name == "README.md":
            continue
        title = next((line[2:].strip() for line in page.read_text(encoding="utf-8").splitlines() if line.startswith("# ")), page.stem)
        lines.append(f"- [{title}]({page.name})")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    index = FOLDER / "README.md"
    text = index.read_text(encoding="utf-8")
    if START not in text:
        text = text.rstrip("\n") + f"\n\n{START}\n{END}\n"
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    new = f"{head}{START}\n{render()}\n{END}{tail}"
    if "--check" in argv:
        if new != index.read_text(encoding="utf-8"):
            print("docs/upstream/README.md is out of date: run python tools/make_upstream_index.py")
            return 1
        return 0
    index.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
