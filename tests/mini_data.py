"""A cut-down copy of the dataset for quiz and progress tests: only the tables a quiz file refers to."""
from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QUIZ_TABLES = ("sources", "provisions")


def make_mini_data(dst: Path) -> Path:
    """Copy ``sources`` and ``provisions`` with their schema into ``dst``; return ``dst``."""
    dst.mkdir(parents=True, exist_ok=True)
    package = json.loads((REPO / "data" / "datapackage.json").read_text(encoding="utf-8"))
    package["resources"] = [r for r in package["resources"] if r["name"] in QUIZ_TABLES]
    (dst / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    for name in QUIZ_TABLES:
        (dst / f"{name}.csv").write_bytes((REPO / "data" / f"{name}.csv").read_bytes())
    return dst
