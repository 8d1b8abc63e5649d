"""True or false: one statement, two radio buttons."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from helpers.quiz.types.base import Bad, Question, Result, Text, graded, incomplete

NAME = "true_false"
FIELDS = ("answer", "feedback_true", "feedback_false")
HINT = "true or false"
KEY_NAME = "true or false"


def validate(raw: dict[str, Any], bad: Bad, text: Text) -> dict[str, Any]:
    answer = raw.get("answer")
    if not isinstance(answer, bool):
        bad("answer", "must be true or false (without quotes)")
    return {"answer": answer, "feedback_true": text("feedback_true", False),
            "feedback_false": text("feedback_false", False)}


def grade(q: Question, response: Any) -> Result:
    """``response``: True, False or None."""
    if response is None:
        return incomplete("Choose True or False, then press Check.")
    feedback = q.feedback_true if response else q.feedback_false
    details = [f"You chose {'True' if response else 'False'}: {feedback}"] if feedback else []
    return graded(bool(response) == q.answer, bool(response), details)


def blank(q: Question) -> Any:
    return None


def from_record(q: Question, stored: Any) -> Any:
    return stored if isinstance(stored, bool) else None


def widget_spec(q: Question) -> dict[str, Any]:
    return {"kind": "radio", "choices": [{"value": True, "label": "True"},
                                         {"value": False, "label": "False"}]}


def choice_lines(q: Question, esc: Callable[[str], str]) -> list[str]:
    return ["○ True", "○ False"]


def correct_answer(q: Question) -> list[str]:
    return ["True" if q.answer else "False"]
