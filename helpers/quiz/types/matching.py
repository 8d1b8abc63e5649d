"""Matching: pick the right-hand match of each left-hand item (one labelled drop-down each)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from helpers.quiz.types.base import BLANK, Bad, Question, Result, Text, as_text, graded, incomplete

NAME = "matching"
FIELDS = ("pairs", "distractors")
HINT = "match each item"
INTRO = "Choose a match for each item:"
KEY_NAME = "matching"


def validate(raw: dict[str, Any], bad: Bad, text: Text) -> dict[str, Any]:
    pairs_raw, distractors_raw = raw.get("pairs"), raw.get("distractors")
    pairs: list[tuple[str, str]] = []
    if not isinstance(pairs_raw, list) or len(pairs_raw) < 2:
        bad("pairs", "a list of at least 2 pairs is required, each {left: ..., right: ...}")
        return {}
    for n, pair in enumerate(pairs_raw, start=1):
        if not isinstance(pair, dict) or set(pair) != {"left", "right"}:
            bad("pairs", f"pair {n} must have exactly the fields left and right")
            continue
        left, right = as_text(pair["left"]), as_text(pair["right"])
        if left is None or right is None:
            bad("pairs", f"pair {n} needs text on both sides")
            continue
        pairs.append((left, right))
    lefts, rights = [p[0] for p in pairs], [p[1] for p in pairs]
    for side, values in (("left", lefts), ("right", rights)):
        for value in sorted({v for v in values if values.count(v) > 1}):
            bad("pairs", f"the {side} side '{value}' appears twice")
    distractors: list[str] = []
    if distractors_raw is not None:
        if not isinstance(distractors_raw, list):
            bad("distractors", "must be a list of texts")
        else:
            for n, item in enumerate(distractors_raw, start=1):
                item_text = as_text(item)
                if item_text is None:
                    bad("distractors", f"distractor {n} must be text")
                elif item_text in rights or item_text in distractors:
                    bad("distractors", f"'{item_text}' is already a choice on the right side")
                else:
                    distractors.append(item_text)
    return {"pairs": tuple(pairs), "distractors": tuple(distractors)}


def grade(q: Question, response: Any) -> Result:
    """``response``: a dict left -> chosen right (or None)."""
    response = response or {}
    missing = [left for left, _ in q.pairs if response.get(left) is None]
    if missing:
        return incomplete(f"Choose a match for every item ({len(missing)} of {len(q.pairs)} "
                          "still to choose), then press Check.")
    details = []
    right_count = 0
    for left, right in q.pairs:
        ok = response[left] == right
        right_count += ok
        details.append(f"{'✓ right' if ok else '✗ not right'}: {left} → {response[left]}")
    details.insert(0, f"{right_count} of {len(q.pairs)} matches are right.")
    answer = {left: response[left] for left, _ in q.pairs}
    return graded(right_count == len(q.pairs), answer, details)


def blank(q: Question) -> Any:
    return {left: None for left, _ in q.pairs}


def from_record(q: Question, stored: Any) -> Any:
    choices = set(q.right_choices())
    if not isinstance(stored, dict) or set(stored) != {left for left, _ in q.pairs} \
            or not all(v in choices for v in stored.values()):
        return None
    return dict(stored)


def widget_spec(q: Question) -> dict[str, Any]:
    options = [{"value": r, "label": r} for r in q.right_choices()]
    return {"kind": "select", "rows": [{"key": left, "label": left, "options": options}
                                       for left, _ in q.pairs]}


def choice_lines(q: Question, esc: Callable[[str], str]) -> list[str]:
    lines = [f"{esc(left)} → {BLANK}" for left, _ in q.pairs]
    return lines + ["Choices: " + " · ".join(esc(r) for r in q.right_choices())]


def correct_answer(q: Question) -> list[str]:
    return [f"{left} → {right}" for left, right in q.pairs]


def gift_answers(q: Question, esc: Callable[[str], str]) -> str:
    """``=left -> right`` per pair; each distractor as ``= -> extra`` (an answer with no question)."""
    pairs = [f"={esc(left)} -> {esc(right)}" for left, right in q.pairs]
    return " ".join(pairs + [f"= -> {esc(extra)}" for extra in q.distractors])
