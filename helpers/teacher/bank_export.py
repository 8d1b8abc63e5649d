"""Export the question bank for other tools: Moodle (GIFT) and jupyterquiz (JSON).

    python -m helpers.teacher.bank_export                      # build/export/course.gift + jupyterquiz/*.json
    python -m helpers.teacher.bank_export some/folder

GIFT (Moodle's text format for questions) takes every type: single choice and true/false as
themselves, *select all that apply* as multiple choice, numbers with their tolerance or range,
matching (distractors as extra answers with no question), ordering as matching each item to its
position 1 … n (GIFT has no ordering question), reflections as essays. Each lesson is a category;
a question reused in another lesson (the review) is exported in that lesson's category too, under
the title ``<id> (in <lesson>)``. The general feedback holds the explanation and every source.

Scoring in Moodle differs from the notebook's in one way: the notebook counts a question right
only when all of it is right (every option of *select all that apply*, every pair, every
position), while Moodle gives partial credit (each right option earns its share, each wrong one
costs as much; each right pair or position earns its share). Set the question's penalty in Moodle
to suit your test.

jupyterquiz (static quizzes in Jupyter Book) takes single, multiple, true/false and numeric
questions, reused ones included; the other types are left out of its files.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from helpers.paths import REPO
from helpers.quiz import bank as quiz_bank
from helpers.quiz.bank import Bank, Question

DEFAULT_FOLDER = REPO / "build" / "export"
GIFT_SPECIAL = "\\~=#{}:"
GIFT_SKIPPED: tuple[str, ...] = ()      # every type is exported (ordering as matching)
JUPYTERQUIZ_TYPES = ("single", "multiple", "true_false", "numeric")


def gift_escape(text: str) -> str:
    """Escape GIFT's special characters (``~ = # { } :`` and the backslash) and newlines."""
    escaped = "".join(f"\\{ch}" if ch in GIFT_SPECIAL else ch for ch in text)
    return escaped.replace("\r\n", "\n").replace("\n", "\\n")


def _gift_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _number(q: Question) -> float:
    """A numeric question's answer (the loader guarantees one where there is no range)."""
    assert q.answer is not None
    return float(q.answer)


def _weight(n: int) -> str:
    """Moodle's credit per correct option when ``n`` options are correct (100 split n ways)."""
    value = 100 / n
    return str(int(value)) if value.is_integer() else f"{value:.5f}"


def _feedback(text: str | None) -> str:
    return f"#{gift_escape(text)}" if text else ""


def gift_answers(q: Question) -> str:
    """The part of a GIFT question between the braces."""
    if q.type == "single":
        return " ".join(f"{'=' if o.correct else '~'}{gift_escape(o.text)}{_feedback(o.feedback)}"
                        for o in q.options)
    if q.type == "multiple":
        right = sum(o.correct for o in q.options)
        return " ".join(f"~%{_weight(right) if o.correct else '-100'}%{gift_escape(o.text)}"
                        f"{_feedback(o.feedback)}" for o in q.options)
    if q.type == "true_false":
        # GIFT shows the first feedback for a wrong answer, the second for a right one.
        if_wrong, if_right = ((q.feedback_false, q.feedback_true) if q.answer
                              else (q.feedback_true, q.feedback_false))
        # Empty feedback is left out, so that "#" never runs into the "####" of general feedback.
        parts = ["TRUE" if q.answer else "FALSE", gift_escape(if_wrong or ""),
                 gift_escape(if_right or "")]
        while len(parts) > 1 and not parts[-1]:
            parts.pop()
        return "#".join(parts)
    if q.type == "numeric":
        if q.range is not None:
            return f"#{_gift_number(q.range[0])}..{_gift_number(q.range[1])}"
        return f"#{_gift_number(_number(q))}:{_gift_number(q.tolerance)}"
    if q.type == "matching":
        pairs = [f"={gift_escape(left)} -> {gift_escape(right)}" for left, right in q.pairs]
        pairs += [f"= -> {gift_escape(extra)}" for extra in q.distractors]
        return " ".join(pairs)
    if q.type == "ordering":    # matching each item, in display order, to its position
        position = {item: n for n, item in enumerate(q.items, start=1)}
        return " ".join(f"={gift_escape(item)} -> {position[item]}" for item in q.display_items())
    if q.type == "reflection":
        return ""
    raise ValueError(f"GIFT has no {q.type} question")


def ordering_instruction(q: Question) -> str:
    """What the GIFT prompt of an ordering question adds: how positions are numbered."""
    return f" Match each item with its position, from 1 (first) to {len(q.items)} (last)."


def gift_question(q: Question, title: str | None = None) -> str:
    """One question in GIFT: its id (or ``title``) as title; the explanation and every source as
    general feedback."""
    from helpers import data

    cited = "; ".join(data.source_label(s) for s in q.sources)
    word = "Source" if len(q.sources) == 1 else "Sources"
    general = " ".join(part for part in (q.explanation, f"{word}: {cited}.") if part)
    prompt = gift_escape(q.prompt)
    if q.type == "numeric" and q.unit:
        prompt += gift_escape(f" (in {q.unit})")
    if q.type == "ordering":
        prompt += gift_escape(ordering_instruction(q))
    return (f"// {q.type} question {q.id}\n"
            f"::{gift_escape(title or q.id)}::[markdown]{prompt} "
            f"{{{gift_answers(q)}####{gift_escape(general)}}}")


def reused_title(q: Question, lesson: str) -> str:
    """The GIFT title of a question reused in another lesson."""
    return f"{q.id} (in {lesson})"


def to_gift(banks: dict[str, Bank] | None = None) -> str:
    """The whole bank as one GIFT file, one category per lesson (reused questions included)."""
    banks = banks if banks is not None else quiz_bank.load_all()
    blocks = ["// Question bank of the course on the US and NATO responses to Russia (26 January 2022).",
              "// Generated by helpers.teacher.bank_export from data/quizzes/; import in Moodle as GIFT.",
              "// Moodle gives partial credit where the notebook counts all or nothing (see the "
              "teacher guide)."]
    for bank in banks.values():
        blocks.append(f"$CATEGORY: $course$/us_nato_course/{bank.lesson}")
        for q in bank.questions:
            reused = q.lesson != bank.lesson
            blocks.append(gift_question(q, reused_title(q, bank.lesson) if reused else None))
    return "\n\n".join(blocks) + "\n"


def jupyterquiz_question(q: Question) -> dict[str, Any]:
    """One question in jupyterquiz's JSON form (types multiple_choice, many_choice, numeric)."""
    explanation = q.explanation or ""
    if q.type in ("single", "multiple"):
        answers = [{"answer": o.text, "correct": o.correct,
                    "feedback": " ".join(p for p in (o.feedback, explanation) if p)} for o in q.options]
        kind = "multiple_choice" if q.type == "single" else "many_choice"
        return {"question": q.prompt, "type": kind, "answers": answers}
    if q.type == "true_false":
        answers = [{"answer": label, "correct": q.answer is value,
                    "feedback": " ".join(p for p in (fb, explanation) if p)}
                   for label, value, fb in (("True", True, q.feedback_true),
                                            ("False", False, q.feedback_false))]
        return {"question": q.prompt, "type": "multiple_choice", "answers": answers}
    if q.type == "numeric":
        low, high = q.range if q.range is not None else (_number(q) - q.tolerance,
                                                         _number(q) + q.tolerance)
        return {"question": q.prompt + (f" (in {q.unit})" if q.unit else ""), "type": "numeric",
                "precision": 0 if float(low).is_integer() and float(high).is_integer() else 2,
                "answers": [{"range": [low, high], "correct": True, "feedback": explanation},
                            {"type": "default", "feedback": "Not quite. " + explanation}]}
    raise ValueError(f"jupyterquiz has no {q.type} question")


def to_jupyterquiz(bank: Bank) -> list[dict[str, Any]]:
    """A lesson's questions that jupyterquiz can show (reused ones included), in order."""
    return [jupyterquiz_question(q) for q in bank.questions if q.type in JUPYTERQUIZ_TYPES]


def export_all(out_dir: str | Path = DEFAULT_FOLDER,
               folder: str | Path | None = None) -> list[Path]:
    """Write ``course.gift`` and ``jupyterquiz/<lesson>.json`` into ``out_dir``.

    ``folder`` is the folder of lesson files (default: ``COURSE_QUIZ_DIR`` or ``data/quizzes``).
    """
    out = Path(out_dir)
    (out / "jupyterquiz").mkdir(parents=True, exist_ok=True)
    banks = quiz_bank.load_all(folder)
    written = [out / "course.gift"]
    written[0].write_text(to_gift(banks), encoding="utf-8")
    for name, bank in banks.items():
        path = out / "jupyterquiz" / f"{name}.json"
        path.write_text(json.dumps(to_jupyterquiz(bank), ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    try:
        written = export_all(argv[0] if argv else DEFAULT_FOLDER)
    except quiz_bank.QuizBankError as error:
        print(f"Nothing was exported: {error}", file=sys.stderr)
        return 1
    print(f"wrote {written[0]} and {len(written) - 1} jupyterquiz files in {written[1].parent}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
