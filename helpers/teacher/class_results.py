"""Read a class's answer exports and summarise them for the teacher.

Students export their answers from the start notebook (``Export my answers``: a
``course-answers-<name>.json`` file). Put the files of a class in one folder, then::

    from helpers.teacher import class_results
    results = class_results.load_folder("path/to/folder")
    results.problems          # one line per file that could not be used, naming the file
    class_results.completion(results)

A bad file never stops the others from loading; every problem names the file (and the answer
number where it applies). Answers are de-duplicated by their id (a student who exports twice
counts once) and summarised per student and question: the first try decides correctness.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.display import charts as plots
from helpers.paths import TEACHER_DIR
from helpers.quiz import bank as quiz_bank
from helpers.quiz.progress import ANSWER_FIELDS, FORMAT

EXPORT_FORMAT = FORMAT + "-export"
SAMPLE_FOLDER = TEACHER_DIR / "sample_class"


@dataclass
class ClassResults:
    """Every usable answer of a class, and the problems met while reading the files."""

    answers: pd.DataFrame
    problems: list[str] = field(default_factory=list)
    files: int = 0

    @property
    def students(self) -> list[str]:
        return sorted(self.answers["student"].unique())


def _check_answer(rec: Any) -> str | None:
    if not isinstance(rec, dict):
        return "is not a JSON object"
    missing = [key for key in ANSWER_FIELDS if key not in rec]
    if missing:
        return f"lacks the field(s) {', '.join(missing)}"
    if not isinstance(rec["question_id"], str) or not isinstance(rec["notebook"], str):
        return "has a question_id or notebook that is not text"
    if not isinstance(rec["attempt"], int) or isinstance(rec["attempt"], bool):
        return "has an attempt that is not a whole number"
    if rec["correct"] not in (True, False, None):
        return "has a 'correct' that is not true, false or null"
    return None


def read_export(path: Path) -> tuple[str, list[dict[str, Any]]]:
    """Read one export file; return (student, answers).

    Raises
    ------
    ValueError
        With a message naming the file and what is wrong with it.
    """
    name = path.name
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ValueError(f"{name}: not a text file in UTF-8 (is it really a JSON export?)") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{name}: not valid JSON (line {error.lineno}, column {error.colno}: "
                         f"{error.msg})") from None
    if not isinstance(content, dict) or content.get("format") != EXPORT_FORMAT:
        raise ValueError(f"{name}: not an answer export of this course (expected \"format\": "
                         f"\"{EXPORT_FORMAT}\"); students make it with Export my answers")
    if not isinstance(content.get("answers"), list):
        raise ValueError(f"{name}: field answers: missing or not a list")
    for number, rec in enumerate(content["answers"], start=1):
        problem = _check_answer(rec)
        if problem:
            raise ValueError(f"{name}, answer {number}: {problem}")
    student = content.get("student")
    if not isinstance(student, str) or not student.strip():
        student = path.stem            # no name given: the file name stands for the student
    return student.strip(), content["answers"]


def load_folder(folder: str | Path) -> ClassResults:
    """Read every ``*.json`` export in ``folder``; bad files are reported, not fatal."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"no folder {folder}: put the students' exported .json files in one folder")
    rows: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    paths = sorted(folder.glob("*.json"))
    for path in paths:
        try:
            student, answers = read_export(path)
        except ValueError as error:
            problems.append(str(error))
            continue
        for rec in answers:
            rows.setdefault(rec["id"], {**{k: rec[k] for k in ANSWER_FIELDS}, "student": student})
    columns = ["student"] + list(ANSWER_FIELDS)
    table = pd.DataFrame(list(rows.values()), columns=columns)
    table["correct"] = table["correct"].astype("boolean")
    table["attempt"] = table["attempt"].astype("int64")
    table = table.sort_values(["student", "notebook", "question_id", "attempt", "timestamp"],
                              ignore_index=True)
    return ClassResults(table, problems, len(paths))


def first_tries(results: ClassResults) -> pd.DataFrame:
    """One row per student and question: the first try (which decides the score)."""
    return results.answers.drop_duplicates(["student", "question_id"], keep="first").reset_index(drop=True)


def completion(results: ClassResults) -> pd.DataFrame:
    """Questions answered per student (rows) and notebook (columns), as 'answered/total'."""
    banks = quiz_bank.load_all()
    firsts = first_tries(results)
    counts = firsts.pivot_table(index="student", columns="notebook", values="question_id",
                                aggfunc="count", fill_value=0)
    counts = counts.reindex(columns=[n for n in banks if n in counts.columns])
    totals = {name: len(bank.questions) for name, bank in banks.items()}
    return counts.apply(lambda col: col.astype(str) + "/" + str(totals[col.name]))


def hardest(results: ClassResults, top: int | None = None, min_students: int = 1) -> pd.DataFrame:
    """Graded questions by share of students right on the first try, hardest first.

    Parameters
    ----------
    top
        Keep only this many rows.
    min_students
        Leave out questions fewer students answered (one wrong answer is not a pattern).
    """
    firsts = first_tries(results)
    graded = firsts[firsts["question_type"] != "reflection"]
    table = graded.groupby(["notebook", "question_id"], as_index=False).agg(
        students=("student", "count"), right_first_try=("correct", "sum"))
    table = table[table["students"] >= min_students]
    table["share_right"] = (table["right_first_try"] / table["students"]).round(2)
    table = table.sort_values(["share_right", "question_id"], ignore_index=True)
    return table.head(top) if top else table


def _label(answer: Any) -> str:
    if isinstance(answer, list):
        return " + ".join(str(a) for a in answer)
    if isinstance(answer, dict):
        return "; ".join(f"{k} → {v}" for k, v in answer.items())
    return str(answer)


def wrong_answers(results: ClassResults) -> pd.DataFrame:
    """For each graded question, the wrong first-try answer chosen most often, and how often."""
    firsts = first_tries(results)
    wrong = firsts[firsts["correct"].eq(False).fillna(False)].copy()
    wrong["wrong_answer"] = wrong["answer"].map(_label)
    counted = (wrong.groupby(["question_id", "wrong_answer"], as_index=False)
               .agg(students=("student", "count"))
               .sort_values(["question_id", "students", "wrong_answer"], ascending=[True, False, True]))
    return counted.drop_duplicates("question_id", keep="first").reset_index(drop=True)


def reflections(results: ClassResults, question_id: str | None = None) -> pd.DataFrame:
    """The reflections written, by question and student (the last version of each)."""
    table = results.answers[results.answers["question_type"] == "reflection"]
    table = table.drop_duplicates(["student", "question_id"], keep="last")
    if question_id is not None:
        table = table[table["question_id"] == question_id]
    return table[["question_id", "student", "answer"]].rename(columns={"answer": "text"}).reset_index(drop=True)


def hardest_chart(results: ClassResults, top: int = 8, min_students: int = 3) -> plots.Chart:
    """Bar chart of the hardest questions (answered by ``min_students`` or more): per cent right
    on the first try."""
    table = hardest(results, top, min_students)
    chart = plots.bars(list(table["question_id"]), list((100 * table["share_right"]).round()),
                       f"The {len(table)} hardest questions (answered by {min_students} or more)",
                       "per cent right on first try")
    chart.figure.axes[0].set_xlim(0, 110)
    return chart


def completion_chart(results: ClassResults) -> plots.Chart:
    """Bar chart: how many students answered at least one question of each quiz."""
    firsts = first_tries(results)
    per_quiz = firsts.groupby("notebook")["student"].nunique()
    order = [n for n in quiz_bank.load_all() if n in per_quiz.index]
    return plots.bars(order, [int(per_quiz[n]) for n in order], "Students who started each quiz", "students")
