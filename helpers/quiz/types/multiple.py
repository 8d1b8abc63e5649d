"""Multiple choice: tick every option that applies (check boxes)."""
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
from helpers.quiz.types.base import Bad, Question, Result, Text, graded, incomplete, quoted

NAME = "multiple"
FIELDS = ("options",)
HINT = "choose all that apply"
INTRO = "Tick every answer that applies:"
KEY_NAME = "select all that apply"


def validate(raw: dict[str, Any], bad: Bad, text: Text) -> dict[str, Any]:
    return {"options": validate_options(raw.get("options"), NAME, bad)}


def grade(q: Question, response: Any) -> Result:
    """``response``: the ticked options' texts (a list)."""
    chosen = [o for o in q.options if o.text in set(response or ())]
    if not chosen:
        return incomplete("Tick every answer that applies (at least one), then press Check.")
    right = {o.text for o in q.options if o.correct}
    picked = {o.text for o in chosen}
    details = [f"“{o.text}”: {o.feedback}" for o in chosen if o.feedback]
    correct = picked == right
    if not correct:
        details.append(f"You ticked {len(picked & right)} of the {len(right)} answers that apply"
                       f" and {len(picked - right)} that do not.")
        missed = [o.text for o in q.shuffled_options() if o.correct and o.text not in picked]
        extra = [o.text for o in q.shuffled_options() if not o.correct and o.text in picked]
        if missed:
            verb = "applies" if len(missed) == 1 else "apply"
            details.append(f"Not ticked, but {'it' if len(missed) == 1 else 'they'} {verb}: "
                           f"{quoted(missed)}.")
        if extra:
            verb = "does" if len(extra) == 1 else "do"
            details.append(f"Ticked, but {'it' if len(extra) == 1 else 'they'} {verb} not apply: "
                           f"{quoted(extra)}.")
    return graded(correct, [o.text for o in chosen], details)


def blank(q: Question) -> Any:
    return []


def from_record(q: Question, stored: Any) -> Any:
    texts = {o.text for o in q.options}
    if not isinstance(stored, list) or not all(t in texts for t in stored):
        return None
    return list(stored)


def widget_spec(q: Question) -> dict[str, Any]:
    return {"kind": "checkbox", "choices": choices(q)}


def choice_lines(q: Question, esc: Callable[[str], str]) -> list[str]:
    return option_lines(q, "☐", esc)


def correct_answer(q: Question) -> list[str]:
    return [o.text for o in q.options if o.correct]


def _weight(n: int) -> str:
    """Moodle's credit per correct option when ``n`` options are correct (100 split n ways)."""
    value = 100 / n
    return str(int(value)) if value.is_integer() else f"{value:.5f}"


def gift_answers(q: Question, esc: Callable[[str], str]) -> str:
    """GIFT's multiple choice with weights: each right option earns its share, a wrong one -100 %."""
    right = sum(o.correct for o in q.options)
    return " ".join(f"~%{_weight(right) if o.correct else '-100'}%{esc(o.text)}"
                    f"{gift_feedback(o.feedback, esc)}" for o in q.options)


def jupyterquiz(q: Question) -> dict[str, Any]:
    """The question in jupyterquiz's JSON form."""
    return {"question": q.prompt, "type": "many_choice", "answers": jupyterquiz_options(q)}


def answer_options(q: Question) -> list[tuple[str, bool]]:
    """Each option and whether it is right (for the teacher's option counts)."""
    return [(o.text, o.correct) for o in q.options]


def chosen_options(q: Question, answer: Any) -> set[str]:
    """The options a saved answer ticked."""
    return {a for a in answer if isinstance(a, str)} if isinstance(answer, list) else set()
