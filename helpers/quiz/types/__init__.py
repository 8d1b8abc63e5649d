"""One module per question type; each owns everything about its type.

A type module (``single``, ``multiple``, ``true_false``, ``numeric``, ``matching``, ``ordering``,
``reflection``) defines:

``NAME``, ``FIELDS``
    The type's name in a lesson file and the YAML fields that belong to it only.
``HINT``, ``KEY_NAME``, and optionally ``INTRO`` (or ``intro(q)``) and ``VERB``
    The words shown next to the question, the type's name in the answer key, the instruction
    above the answer controls, and the button's word (default "Check").
``validate(raw, bad, text) -> dict``
    Check the type's own fields of a question mapping; report problems through ``bad(field,
    message)``; return the :class:`~.base.Question` fields it read.
``grade(q, response) -> Result``
    Grade a response (the type's neutral form of an answer, also the widget's ``answer``).
``blank(q)``, ``from_record(q, stored)``
    The empty answer a widget starts with, and a saved answer (progress format) turned back into
    a response, or None when it no longer fits the question (the widget restores it).
``widget_spec(q) -> dict``
    What the front end draws: ``{"kind": "radio" | "checkbox" | "number" | "select" |
    "textarea", …}`` (see ``helpers/quiz/static/quiz.js``).
``choice_lines(q, esc)``, ``correct_answer(q)``
    The choices as static lines (text/Markdown/HTML fallback, no answers) and the correct answer
    as plain-text lines for the answer key.
``gift_answers(q, esc)``, and optionally ``gift_prompt_note(q)``
    The question's answers in Moodle's GIFT format (between the braces; ``esc`` escapes GIFT's
    special characters), and what its prompt adds there (a unit, how positions are numbered).
``jupyterquiz(q)`` (optional)
    The question as jupyterquiz JSON; a type without it is left out of jupyterquiz files.
``answer_options(q)``, ``chosen_options(q, answer)`` (choice types only)
    Each option with whether it is right, and the options a saved answer chose: the teacher's
    count of how often each option was chosen.

Nothing here imports a widget library: :mod:`helpers.quiz.bank` and the teacher tools use these
modules. Adding an eighth type means adding one module here (plus its tests) and its name to
:data:`NAMES`; the widget needs new JavaScript only for a new ``kind``.
"""
from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from helpers.quiz.types.base import Option, Question, Result

__all__ = ["NAMES", "Option", "Question", "Result", "get", "gift_prompt_note", "has",
           "hint", "intro", "verb"]

NAMES = ("single", "multiple", "true_false", "numeric", "matching", "ordering", "reflection")
_modules: dict[str, ModuleType] = {}


def get(name: str) -> ModuleType:
    """The module of a question type (KeyError for an unknown type)."""
    if name not in NAMES:
        raise KeyError(f"no question type {name!r}; the types are: {', '.join(NAMES)}")
    if name not in _modules:
        _modules[name] = importlib.import_module(f"helpers.quiz.types.{name}")
    return _modules[name]


def fields() -> dict[str, tuple[str, ...]]:
    """Each type's own YAML fields."""
    return {name: get(name).FIELDS for name in NAMES}


def hint(q: Question) -> str:
    return str(get(q.type).HINT)


def intro(q: Question) -> str | None:
    """The instruction shown above the answer controls (None for most types)."""
    module: Any = get(q.type)
    if hasattr(module, "intro"):
        return str(module.intro(q))
    return getattr(module, "INTRO", None)


def verb(q: Question) -> str:
    """The button's word: Check, or Save for a reflection."""
    return str(getattr(get(q.type), "VERB", "Check"))


def has(q: Question, part: str) -> bool:
    """Whether the question's type defines ``part`` (e.g. ``jupyterquiz``, ``answer_options``)."""
    return hasattr(get(q.type), part)


def gift_prompt_note(q: Question) -> str:
    """What a question's prompt adds in GIFT (empty for most types)."""
    module: Any = get(q.type)
    return str(module.gift_prompt_note(q)) if hasattr(module, "gift_prompt_note") else ""
