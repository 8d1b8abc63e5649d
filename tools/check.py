"""Check the course's editable files and print only their problems (``make check``).

    python tools/check.py

Checks the dataset (``data/*.csv`` against ``data/datapackage.json``), ``course.yml`` and every
lesson file (``data/quizzes/*.yaml``). Each problem is one line naming the file, the row or
question, and the field; nothing else is printed, no traceback. Exit status 0 and one line
"All good: …" when everything is fine, 1 otherwise.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from helpers import data  # noqa: E402
from helpers.lesson import course  # noqa: E402
from helpers.quiz import bank as quiz_bank  # noqa: E402


def problems() -> tuple[list[str], str]:
    """Every problem found, one line each, and a summary of what was checked."""
    found: list[str] = []
    tables = {}
    try:
        tables = data.load_all()
    except data.DataError as exc:
        found += [str(p) for p in exc.problems]
    banks = {}
    try:
        banks = quiz_bank.load_all()
    except quiz_bank.QuizBankError as exc:
        found += exc.problems
    try:
        entries = course.read_course()
        missing = sorted({e["id"] for e in entries} - set(quiz_bank.bank_names()))
        found += [f"course.yml, lesson {lesson_id}: no lesson file data/quizzes/{lesson_id}.yaml"
                  for lesson_id in missing]
        found += [f"course.yml, lesson {e['id']}: no notebook notebooks/{e['file']}"
                  for e in entries if not (course.notebooks_dir() / e["file"]).is_file()]
    except course.CourseError as exc:
        found.append(str(exc))
    questions = sum(len(b.questions) for b in banks.values())
    summary = f"{len(tables)} tables, {len(banks)} lesson files, {questions} questions"
    return list(dict.fromkeys(found)), summary


def main() -> int:
    found, summary = problems()
    if not found:
        print(f"All good: {summary}.")
        return 0
    print(f"{len(found)} problem{'s' if len(found) != 1 else ''}:")
    for line in found:
        print(f"  {line}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
