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


def gift_answers(q: Question, esc: Callable[[str], str]) -> str:
    """``TRUE#if wrong#if right`` (GIFT shows the first feedback for a wrong answer)."""
    if_wrong, if_right = ((q.feedback_false, q.feedback_true) if q.answer
                          else (q.feedback_true, q.feedback_false))
    # Empty feedback is left out, so that "#" never runs into the "####" of general feedback.
    parts = ["TRUE" if q.answer else "FALSE", esc(if_wrong or ""), esc(if_right or "")]
    while len(parts) > 1 and not parts[-1]:
        parts.pop()
    return "#".join(parts)


def jupyterquiz(q: Question) -> dict[str, Any]:
    """The question in jupyterquiz's JSON form (a choice between True and False)."""
    explanation = q.explanation or ""
    answers = [{"answer": label, "correct": q.answer is value,
                "feedback": " ".join(p for p in (feedback, explanation) if p)}
               for label, value, feedback in (("True", True, q.feedback_true),
                                              ("False", False, q.feedback_false))]
    return {"question": q.prompt, "type": "multiple_choice", "answers": answers}


def answer_options(q: Question) -> list[tuple[str, bool]]:
    """True and False, and which is right (for the teacher's option counts)."""
    return [("True", q.answer is True), ("False", q.answer is False)]


def chosen_options(q: Question, answer: Any) -> set[str]:
    """The option a saved answer chose."""
    return {"True" if answer else "False"} if isinstance(answer, bool) else set()
