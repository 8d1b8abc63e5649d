"""The page side of the course's widgets: ES modules and CSS files in ``static/``."""
from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"


def read(name: str) -> str:
    """The text of one file in ``static/``."""
    return (STATIC / name).read_text(encoding="utf-8")


def stylesheet(name: str) -> str:
    """A widget's CSS: the rules every control of the course shares (``controls.css``: buttons,
    the focus ring), then the widget's own file ``name``."""
    return read("controls.css") + "\n" + read(name)
