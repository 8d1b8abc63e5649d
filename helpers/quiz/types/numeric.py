"""Numeric: type a number; right within a tolerance or a range."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from helpers.quiz.types.base import (
    BLANK,
    Bad,
    Question,
    Result,
    Text,
    format_number,
    graded,
    incomplete,
    is_number,
    parse_number,
)

NAME = "numeric"
FIELDS = ("answer", "tolerance", "range", "unit")
HINT = "type a number"
KEY_NAME = "number"


def validate(raw: dict[str, Any], bad: Bad, text: Text) -> dict[str, Any]:
    fields = _answer_fields(raw, bad)
    fields["unit"] = text("unit", False)
    return fields


def _answer_fields(raw: dict[str, Any], bad: Bad) -> dict[str, Any]:
    answer, tolerance, rng = raw.get("answer"), raw.get("tolerance"), raw.get("range")
    if (answer is None) == (rng is None):
        bad("answer", "give either answer (with an optional tolerance) or range: [min, max]")
        return {}
    if rng is not None:
        if tolerance is not None:
            bad("tolerance", "a tolerance goes with answer, not with range")
        if not (isinstance(rng, list) and len(rng) == 2 and all(map(is_number, rng))):
            bad("range", "must be two numbers, [min, max]")
            return {}
        if rng[0] > rng[1]:
            bad("range", f"min {format_number(rng[0])} is larger than max {format_number(rng[1])}")
        return {"range": (float(rng[0]), float(rng[1]))}
    if not is_number(answer):
        bad("answer", "must be a number (no quotes, no thousands separator: 1550)")
        return {}
    if tolerance is None:
        tolerance = 0
    if not is_number(tolerance) or tolerance < 0:
        bad("tolerance", "must be a number of at least 0")
        return {}
    return {"answer": float(answer), "tolerance": float(tolerance)}


def grade(q: Question, response: Any) -> Result:
    """``response``: the typed text (or a number)."""
    if response is None or (isinstance(response, str) and not response.strip()):
        return incomplete("Type a number in the box, then press Check.")
    if isinstance(response, str):
        try:
            value = parse_number(response, q.unit)
        except ValueError as exc:
            return incomplete(str(exc))
    else:
        value = float(response)
    if q.range is not None:
        correct = q.range[0] <= value <= q.range[1]
    else:
        assert q.answer is not None
        correct = abs(value - float(q.answer)) <= q.tolerance + 1e-9 * max(1.0, abs(q.answer))
    unit = f" {q.unit}" if q.unit else ""
    stored: float | int = int(value) if value.is_integer() else value
    return graded(correct, stored, [f"You answered {format_number(value)}{unit}."])


def blank(q: Question) -> Any:
    return ""


def from_record(q: Question, stored: Any) -> Any:
    return format_number(stored) if is_number(stored) else None


def widget_spec(q: Question) -> dict[str, Any]:
    return {"kind": "number", "label": "Your answer", "unit": q.unit or ""}


def choice_lines(q: Question, esc: Callable[[str], str]) -> list[str]:
    unit = f" {esc(q.unit)}" if q.unit else ""
    return [f"Answer: {BLANK}{unit}"]


def correct_answer(q: Question) -> list[str]:
    unit = f" {q.unit}" if q.unit else ""
    if q.range is not None:
        return [f"from {format_number(q.range[0])} to {format_number(q.range[1])}{unit}"]
    tolerance = f" (± {format_number(q.tolerance)})" if q.tolerance else ""
    return [f"{format_number(float(q.answer or 0))}{unit}{tolerance}"]


def _gift_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def gift_answers(q: Question, esc: Callable[[str], str]) -> str:
    """``#answer:tolerance`` or ``#min..max``."""
    if q.range is not None:
        return f"#{_gift_number(q.range[0])}..{_gift_number(q.range[1])}"
    assert q.answer is not None
    return f"#{_gift_number(float(q.answer))}:{_gift_number(q.tolerance)}"


def gift_prompt_note(q: Question) -> str:
    """What the prompt adds in GIFT: the unit the number is in."""
    return f" (in {q.unit})" if q.unit else ""


def jupyterquiz(q: Question) -> dict[str, Any]:
    """The question in jupyterquiz's JSON form: a range of right values and a default feedback."""
    explanation = q.explanation or ""
    if q.range is not None:
        low, high = q.range
    else:
        assert q.answer is not None
        low, high = float(q.answer) - q.tolerance, float(q.answer) + q.tolerance
    return {"question": q.prompt + gift_prompt_note(q), "type": "numeric",
            "precision": 0 if float(low).is_integer() and float(high).is_integer() else 2,
            "answers": [{"range": [low, high], "correct": True, "feedback": explanation},
                        {"type": "default", "feedback": "Not quite. " + explanation}]}
