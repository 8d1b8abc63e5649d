"""The ``options`` field shared by single and multiple choice questions."""
from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

from helpers.quiz.types.base import Bad, Option, Question, as_text

OPTION_FIELDS = ("text", "correct", "feedback")


def validate_options(value: Any, qtype: str, bad: Bad) -> tuple[Option, ...]:
    """Check a list of ``{text, correct, feedback}``; single needs exactly one correct option."""
    if not isinstance(value, list) or len(value) < 2:
        bad("options", "a list of at least 2 options is required (each with text and correct)")
        return ()
    options = []
    ok = True
    for n, opt in enumerate(value, start=1):
        if not isinstance(opt, dict):
            bad("options", f"option {n} must be a mapping with text and correct")
            ok = False
            continue
        for key in opt:
            if key not in OPTION_FIELDS:
                hint = difflib.get_close_matches(str(key), OPTION_FIELDS, n=1)
                more = f" (did you mean '{hint[0]}'?)" if hint else ""
                bad("options", f"option {n} has an unknown field '{key}'{more}")
                ok = False
        text = as_text(opt.get("text"))
        if text is None:
            bad("options", f"option {n} needs text")
            ok = False
        if not isinstance(opt.get("correct"), bool):
            bad("options", f"option {n} needs 'correct: true' or 'correct: false'")
            ok = False
        feedback = opt.get("feedback")
        if feedback is not None and not (isinstance(feedback, str) and feedback.strip()):
            bad("options", f"option {n} has a feedback that is not text")
            ok = False
        if ok:
            options.append(Option(str(text), opt["correct"],
                                  feedback.strip() if isinstance(feedback, str) else None))
    if not ok:
        return ()
    texts = [o.text for o in options]
    for text in sorted({t for t in texts if texts.count(t) > 1}):
        bad("options", f"the option '{text}' appears twice")
    n_correct = sum(o.correct for o in options)
    if n_correct == 0:
        bad("options", "no option is marked correct")
    elif qtype == "single" and n_correct > 1:
        bad("options", f"{n_correct} options are marked correct; a single question needs "
                       "exactly one (use type multiple for several)")
    return tuple(options)


def choices(q: Question) -> list[dict[str, Any]]:
    """The options as the widget draws them, in display order: ``{value, label}``."""
    return [{"value": o.text, "label": o.text} for o in q.shuffled_options()]


def option_lines(q: Question, mark: str, esc: Callable[[str], str]) -> list[str]:
    return [f"{mark} {esc(o.text)}" for o in q.shuffled_options()]


def gift_feedback(text: str | None, esc: Callable[[str], str]) -> str:
    """An option's feedback in GIFT (``#…``), or nothing."""
    return f"#{esc(text)}" if text else ""


def jupyterquiz_options(q: Question) -> list[dict[str, Any]]:
    """The options in jupyterquiz's form, each with its feedback and the explanation."""
    explanation = q.explanation or ""
    return [{"answer": o.text, "correct": o.correct,
             "feedback": " ".join(p for p in (o.feedback, explanation) if p)} for o in q.options]
