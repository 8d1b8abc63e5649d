"""The quiz engine: the question bank (``bank``), the widgets a student answers (``widgets``),
the progress store (``progress``) and the student's dashboard (``dashboard``).

A notebook writes ``from helpers.quiz import quiz``. Only that name pulls in the widgets (and so
ipywidgets); the teacher tools import ``helpers.quiz.bank`` and ``helpers.quiz.progress`` alone.
"""
from __future__ import annotations

from typing import Any

__all__ = ["quiz", "question"]


def __getattr__(name: str) -> Any:
    """Import the widget layer only when a notebook asks for ``quiz`` or ``question``."""
    if name in ("quiz", "question"):
        from helpers.quiz import widgets

        return getattr(widgets, name)
    raise AttributeError(f"module 'helpers.quiz' has no attribute {name!r}")
