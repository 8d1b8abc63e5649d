"""What every question type shares: the question and result records, seeded shuffles, numbers.

A type module (``single.py`` …) imports from here and from :mod:`helpers.display.text`, never
from a widget library: the teacher tools and :mod:`helpers.quiz.bank` import the type modules.
"""
from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeGuard

__all__ = ["BLANK", "Bad", "Option", "Question", "Result", "Text", "as_text", "format_number",
           "graded", "incomplete", "is_number", "parse_number", "shuffled"]

BLANK = "……"   # where the static fallback shows an answer still to give

# The callbacks a type module's ``validate`` gets from the bank: ``bad(field, message)`` records a
# problem; ``text(field, required)`` reads an optional or required text field.
Bad = Callable[[str, str], None]
Text = Callable[[str, bool], "str | None"]


@dataclass(frozen=True)
class Option:
    """One choice of a single or multiple choice question."""

    text: str
    correct: bool
    feedback: str | None = None


@dataclass(frozen=True)
class Question:
    """One checked question. ``lesson`` is the id of the lesson file that defines it.

    The fields after ``marking`` belong to one type or another (see that type's module).
    """

    id: str
    type: str
    prompt: str
    explanation: str | None
    sources: tuple[str, ...]
    lesson: str
    provision_id: str | None = None
    objective: str | None = None
    marking: str | None = None
    options: tuple[Option, ...] = ()
    answer: bool | float | None = None
    tolerance: float = 0.0
    range: tuple[float, float] | None = None
    unit: str | None = None
    feedback_true: str | None = None
    feedback_false: str | None = None
    pairs: tuple[tuple[str, str], ...] = ()
    distractors: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    min_words: int | None = None

    @property
    def source_id(self) -> str:
        """The first source (the one the key relies on most)."""
        return self.sources[0]

    @property
    def graded(self) -> bool:
        """False for a reflection (saved for the teacher, not scored)."""
        return self.type != "reflection"

    def shuffled_options(self) -> list[Option]:
        """The options in their display order (seeded by the question id)."""
        return shuffled(self.options, self.id)

    def right_choices(self) -> list[str]:
        """A matching question's right-hand side plus distractors, in display order."""
        return shuffled([right for _, right in self.pairs] + list(self.distractors), self.id)

    def display_items(self) -> list[str]:
        """An ordering question's items in display order: shuffled, never the correct order."""
        shown = shuffled(self.items, self.id)
        if shown == list(self.items):
            shown = shown[1:] + shown[:1]
        return shown


@dataclass(frozen=True)
class Result:
    """What checking a response found.

    ``outcome`` is ``"correct"``, ``"wrong"`` or ``"saved"`` (a reflection) for an answer worth
    recording, or ``"incomplete"`` when the student must do something first (then ``message``
    says what, and nothing is recorded). ``answer`` is the JSON-serialisable answer to store;
    ``details`` are plain-text feedback lines for what the student chose.
    """

    outcome: str
    correct: bool | None = None
    answer: Any = None
    message: str = ""
    details: tuple[str, ...] = ()

    @property
    def recordable(self) -> bool:
        return self.outcome in ("correct", "wrong", "saved")


def incomplete(message: str) -> Result:
    """A response that cannot be graded yet; ``message`` tells the student what to do."""
    return Result("incomplete", message=message)


def graded(correct: bool, answer: Any, details: list[str]) -> Result:
    """A graded response."""
    return Result("correct" if correct else "wrong", correct, answer, details=tuple(details))


def shuffled(values: Any, seed: str) -> list[Any]:
    """``values`` in an order seeded by ``seed`` (a question id): the same on every run."""
    out = list(values)
    random.Random(seed).shuffle(out)
    return out


def format_number(value: float) -> str:
    """Show a number the way a reader expects: 1,550 or 0.5."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,}"


_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")


def parse_number(text: str, unit: str | None = None) -> float:
    """Read a typed number: ``1550``, ``1,550``, ``1 550``, ``-2.5``, optionally with the unit.

    Raises
    ------
    ValueError
        With a message for the student when the text is not a number.
    """
    cleaned = text.strip().replace("\u2212", "-")
    if unit and cleaned.lower().endswith(unit.lower()):
        cleaned = cleaned[: -len(unit)].strip()
    cleaned = re.sub(r"(?<=\d)[ \u00a0\u202f](?=\d{3}\b)", "", cleaned)
    if not _NUMBER.fullmatch(cleaned):
        raise ValueError(f"“{text.strip()}” is not a number I can read. Type digits only, e.g. "
                         "2500 or 2,500 (use a point for decimals: 2.5).")
    return float(cleaned.replace(",", ""))


def as_text(value: Any) -> str | None:
    """Accept text (and plain numbers, which YAML reads as numbers); None otherwise."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return format_number(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def quoted(texts: list[str]) -> str:
    """“a”, “b” and “c”: texts named in a feedback sentence."""
    marked = [f"“{t}”" for t in texts]
    if len(marked) < 2:
        return "".join(marked)
    return ", ".join(marked[:-1]) + " and " + marked[-1]


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th … 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
