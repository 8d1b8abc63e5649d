"""The tables a student (or teacher) reads from saved answers: every attempt, one row per
question, one row per lesson. pandas is imported here only, when a table is asked for."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from helpers.quiz.progress.records import lesson_order

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    import pandas as pd

    from helpers.quiz.bank import Bank

ANSWER_COLUMNS = ["answer_id", "lesson", "question_id", "question_type", "answer", "correct",
                  "attempt", "timestamp"]
QUESTION_COLUMNS = ["lesson", "question_id", "question_type", "attempts", "first_try_correct",
                    "last_answer", "last_correct", "first_answered", "last_answered"]
LESSON_COLUMNS = ["lesson", "title", "answered", "total", "first_try_correct", "graded",
                  "reflections"]


def answers(recs: list[dict[str, Any]]) -> pd.DataFrame:
    """Every attempt, oldest first (columns :data:`ANSWER_COLUMNS`; timestamps in UTC)."""
    import pandas as pd

    return pd.DataFrame({
        "answer_id": pd.Series([r["id"] for r in recs], dtype="str"),
        "lesson": pd.Series([r["lesson"] for r in recs], dtype="str"),
        "question_id": pd.Series([r["question_id"] for r in recs], dtype="str"),
        "question_type": pd.Series([r["question_type"] for r in recs], dtype="str"),
        "answer": pd.Series([r["answer"] for r in recs], dtype="object"),
        "correct": pd.Series([r["correct"] for r in recs], dtype="boolean"),
        "attempt": pd.Series([r["attempt"] for r in recs], dtype="int64"),
        "timestamp": pd.to_datetime(pd.Series([r["timestamp"] for r in recs], dtype="str"),
                                    utc=True, format="ISO8601"),
    })


def by_question(recs: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per question answered in a lesson (a question reused in another lesson has a row
    there too): attempts, the first try's result, the last answer."""
    import pandas as pd

    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for rec in recs:
        key = (rec["lesson"], rec["question_id"])
        row = rows.get(key)
        if row is None:
            rows[key] = row = {
                "lesson": rec["lesson"], "question_id": rec["question_id"],
                "question_type": rec["question_type"], "attempts": 0,
                "first_try_correct": rec["correct"], "first_answered": rec["timestamp"],
            }
        row["attempts"] += 1
        row["last_answer"] = rec["answer"]
        row["last_correct"] = rec["correct"]
        row["last_answered"] = rec["timestamp"]
    table = pd.DataFrame(list(rows.values()), columns=QUESTION_COLUMNS)
    table["attempts"] = table["attempts"].astype("int64")
    for col in ("first_try_correct", "last_correct"):
        table[col] = table[col].astype("boolean")
    table["last_answer"] = table["last_answer"].astype("object")
    for col in ("first_answered", "last_answered"):
        table[col] = pd.to_datetime(table[col].astype("str"), utc=True, format="ISO8601")
    return table.sort_values(["lesson", "first_answered"], ignore_index=True)


def load_banks(folder: str | os.PathLike[str] | None = None) -> tuple[dict[str, Bank], list[str]]:
    """Every lesson file that loads, by lesson id, and the problems of those that do not (a
    broken file leaves its lesson without totals; it never stops the others)."""
    from helpers.quiz import bank as quiz_bank

    banks: dict[str, Bank] = {}
    problems: list[str] = []
    for name in quiz_bank.bank_names(folder):
        try:
            banks[name] = quiz_bank.load_bank(name, folder)
        except (quiz_bank.QuizBankError, OSError) as exc:
            problems.append(str(exc))
    return banks, problems


def ordered_lessons(known: list[str], answered: list[str]) -> list[str]:
    """Lessons in teaching order (``course.yml``), then other lesson files, then lessons that
    have answers but no file (all alphabetical)."""
    order = [lesson for lesson in lesson_order() if lesson in known]
    order += sorted(set(known) - set(order))
    return order + sorted(set(answered) - set(order))


def by_lesson(recs: list[dict[str, Any]], banks: dict[str, Bank]) -> pd.DataFrame:
    """One row per lesson with a question file (and any other lesson answered).

    Columns: lesson, title, answered (questions of the file answered at least once), total
    (questions in the file), first_try_correct, graded (graded questions in the file),
    reflections (reflections saved). A question reused in another lesson counts in each lesson
    where it was answered, as the quiz's score line counts it.
    """
    import pandas as pd

    first: dict[tuple[str, str], dict[str, Any]] = {}     # the first try per lesson and question
    for rec in recs:
        first.setdefault((rec["lesson"], rec["question_id"]), rec)
    answered = sorted({lesson for lesson, _ in first})
    rows = []
    for name in ordered_lessons(list(banks), answered):
        bank = banks.get(name)
        mine = [rec for (lesson, _), rec in first.items() if lesson == name]
        if bank is not None:   # count only the questions the lesson still has
            ids = {q.id for q in bank.questions}
            mine = [rec for rec in mine if rec["question_id"] in ids]
        rows.append({
            "lesson": name,
            "title": bank.title if bank else None,
            "answered": len(mine),
            "total": len(bank.questions) if bank else None,
            "first_try_correct": sum(1 for rec in mine if rec["question_type"] != "reflection"
                                     and rec["correct"] is True),
            "graded": sum(q.graded for q in bank.questions) if bank else None,
            "reflections": sum(1 for rec in mine if rec["question_type"] == "reflection"),
        })
    table = pd.DataFrame(rows, columns=LESSON_COLUMNS)
    for col in ("answered", "total", "first_try_correct", "graded", "reflections"):
        table[col] = table[col].astype("Int64")
    table["title"] = table["title"].astype("object")
    return table
