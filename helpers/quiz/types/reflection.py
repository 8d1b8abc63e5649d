"""Reflection: the student's own words, saved for the teacher, never scored."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from helpers.quiz.types.base import BLANK, Bad, Question, Result, Text, incomplete

NAME = "reflection"
FIELDS = ("min_words",)
HINT = "your own words, not graded"
VERB = "Save"
KEY_NAME = "reflection"


def validate(raw: dict[str, Any], bad: Bad, text: Text) -> dict[str, Any]:
    min_words = raw.get("min_words")
    if min_words is not None and (not isinstance(min_words, int) or isinstance(min_words, bool)
                                  or min_words < 1):
        bad("min_words", "must be a whole number of at least 1")
    return {"min_words": min_words}


def grade(q: Question, response: Any) -> Result:
    """``response``: the text written."""
    text = (response or "").strip()
    if not text:
        return incomplete("Write your thoughts in the box, then press Save.")
    words = len(text.split())
    if q.min_words and words < q.min_words:
        return incomplete(f"Write at least {q.min_words} words (you have {words} so far), "
                          "then press Save.")
    return Result("saved", None, text)


def blank(q: Question) -> Any:
    return ""


def from_record(q: Question, stored: Any) -> Any:
    return stored if isinstance(stored, str) else None


def widget_spec(q: Question) -> dict[str, Any]:
    return {"kind": "textarea", "label": "Your answer", "min_words": q.min_words or 0}


def choice_lines(q: Question, esc: Callable[[str], str]) -> list[str]:
    words = f" (at least {q.min_words} words)" if q.min_words else ""
    return [f"Your answer: {BLANK}{words}"]


def correct_answer(q: Question) -> list[str]:
    return ["(not marked: any thoughtful answer"
            + (f" of at least {q.min_words} words" if q.min_words else "") + ")"]


def gift_answers(q: Question, esc: Callable[[str], str]) -> str:
    """An essay: nothing between the braces."""
    return ""
