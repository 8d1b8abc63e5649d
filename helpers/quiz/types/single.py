"""Single choice: one right option among several (radio buttons)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from helpers.quiz.types._options import (
    choices,
    gift_feedback,
    jupyterquiz_options,
    option_lines,
    validate_options,
)
from helpers.quiz.types.base import Bad, Question, Result, Text, graded, incomplete

NAME = "single"
FIELDS = ("options",)
HINT = "choose one"
KEY_NAME = "single choice"


def validate(raw: dict[str, Any], bad: Bad, text: Text) -> dict[str, Any]:
    return {"options": validate_options(raw.get("options"), NAME, bad)}


def grade(q: Question, response: Any) -> Result:
    """``response``: the chosen option's text, or None."""
    option = next((o for o in q.options if o.text == response), None)
    if option is None:
        return incomplete("Choose one answer, then press Check.")
    details = [f"You chose “{option.text}”: {option.feedback}"] if option.feedback else []
    return graded(option.correct, option.text, details)


def blank(q: Question) -> Any:
    return None


def from_record(q: Question, stored: Any) -> Any:
    return stored if any(o.text == stored for o in q.options) else None


def widget_spec(q: Question) -> dict[str, Any]:
    return {"kind": "radio", "choices": choices(q)}


def choice_lines(q: Question, esc: Callable[[str], str]) -> list[str]:
    return option_lines(q, "○", esc)


def correct_answer(q: Question) -> list[str]:
    return [o.text for o in q.options if o.correct]


def gift_answers(q: Question, esc: Callable[[str], str]) -> str:
    """The part of a GIFT question between the braces: ``=right ~wrong``, each with its feedback."""
    return " ".join(f"{'=' if o.correct else '~'}{esc(o.text)}{gift_feedback(o.feedback, esc)}"
                    for o in q.options)


def jupyterquiz(q: Question) -> dict[str, Any]:
    """The question in jupyterquiz's JSON form."""
    return {"question": q.prompt, "type": "multiple_choice", "answers": jupyterquiz_options(q)}


def answer_options(q: Question) -> list[tuple[str, bool]]:
    """Each option and whether it is right (for the teacher's option counts)."""
    return [(o.text, o.correct) for o in q.options]


def chosen_options(q: Question, answer: Any) -> set[str]:
    """The options a saved answer chose."""
    return {answer} if isinstance(answer, str) else set()
