"""Ordering: give each item its position (one labelled drop-down of positions per item)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from helpers.quiz.types.base import BLANK, Bad, Question, Result, Text, as_text, graded, incomplete, ordinal

NAME = "ordering"
FIELDS = ("items",)
HINT = "put in order"
KEY_NAME = "ordering"


def intro(q: Question) -> str:
    return f"Give each item its position, from 1 (first) to {len(q.items)} (last):"


def validate(raw: dict[str, Any], bad: Bad, text: Text) -> dict[str, Any]:
    value = raw.get("items")
    if not isinstance(value, list) or len(value) < 3:
        bad("items", "a list of at least 3 items is required, in the correct order")
        return {"items": ()}
    items = []
    for n, item in enumerate(value, start=1):
        item_text = as_text(item)
        if item_text is None:
            bad("items", f"item {n} must be text")
        else:
            items.append(item_text)
    for dup in sorted({t for t in items if items.count(t) > 1}):
        bad("items", f"the item '{dup}' appears twice")
    return {"items": tuple(items)}


def grade(q: Question, response: Any) -> Result:
    """``response``: a dict item -> position (1-based, or None)."""
    response = response or {}
    n = len(q.items)
    missing = [item for item in q.items if response.get(item) is None]
    if missing:
        return incomplete(f"Give every item a position from 1 to {n} ({len(missing)} of {n} "
                          "still to choose), then press Check.")
    positions = [response[item] for item in q.items]
    twice = sorted({p for p in positions if positions.count(p) > 1})
    if twice:
        which = ", ".join(str(p) for p in twice)
        return incomplete(f"Each position can be used only once: position {which} is given to "
                          "more than one item. Change one of them, then press Check.")
    order = sorted(q.items, key=lambda item: response[item])
    in_place = sum(a == b for a, b in zip(order, q.items, strict=True))
    details = [f"{in_place} of {n} items are in the right place."]
    for pos, (given, right) in enumerate(zip(order, q.items, strict=True), start=1):
        mark = "✓ right place" if given == right else "✗ not in its place"
        details.append(f"{mark}: {ordinal(pos)}, {given}")
    return graded(order == list(q.items), order, details)


def blank(q: Question) -> Any:
    return {item: None for item in q.items}


def from_record(q: Question, stored: Any) -> Any:
    if not isinstance(stored, list) or sorted(map(str, stored)) != sorted(q.items):
        return None
    return {item: n for n, item in enumerate(stored, start=1)}


def widget_spec(q: Question) -> dict[str, Any]:
    options = [{"value": n, "label": str(n)} for n in range(1, len(q.items) + 1)]
    return {"kind": "select", "rows": [{"key": item, "label": item, "options": options}
                                       for item in q.display_items()]}


def choice_lines(q: Question, esc: Callable[[str], str]) -> list[str]:
    return [f"{BLANK} {esc(item)}" for item in q.display_items()] + [
        f"(number the items from 1, first, to {len(q.items)}, last)"]


def correct_answer(q: Question) -> list[str]:
    return [f"{n}. {item}" for n, item in enumerate(q.items, start=1)]


def gift_answers(q: Question, esc: Callable[[str], str]) -> str:
    """GIFT has no ordering question: each item, in display order, matched to its position."""
    position = {item: n for n, item in enumerate(q.items, start=1)}
    return " ".join(f"={esc(item)} -> {position[item]}" for item in q.display_items())


def gift_prompt_note(q: Question) -> str:
    """What the prompt adds in GIFT: how positions are numbered."""
    return f" Match each item with its position, from 1 (first) to {len(q.items)} (last)."
