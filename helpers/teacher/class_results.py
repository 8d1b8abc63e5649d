"""Read a class's answer exports, re-grade them, and summarise them for the teacher.

Students export their answers from the start notebook (``Export my answers``: a
``course-answers-<name>-<code>.json`` file). Put the files of a class in one folder (subfolders,
as a learning platform's "download all submissions" makes them, are read too), then::

    from helpers.teacher import class_results
    results = class_results.load_folder("path/to/folder")
    results.problems          # every file skipped, and why
    results.warnings          # students sharing a name, answers whose "correct" was altered …
    class_results.completion(results)

Rules (the same as the student's quiz and dashboard):

- **Students are their id**, not their name: two students called "Anna" stay two students (and
  a warning says so); one student who exported twice counts once (answers de-duplicated by id).
- **Every answer is re-graded** against the lesson files; the ``correct`` an export carries is
  never trusted, and every disagreement is listed in :attr:`ClassResults.mismatches`.
- **First tries count, per lesson and question**: a question reused in the review lesson counts
  there separately, as on the student's dashboard.

Exports of format 1 (before lesson ids) are read too: notebook stems become lesson ids through
``course.yml``; such a student's id is taken from their oldest answer (``v1:…``), so two exports of
one progress file match and two students with the same name do not.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.display import charts as plots
from helpers.paths import TEACHER_DIR
from helpers.quiz import bank as quiz_bank
from helpers.quiz.bank import Bank, Question
from helpers.quiz.progress import records
from helpers.quiz.progress.records import FORMAT, FormatError, NewerFormatError, Progress

SAMPLE_FOLDER = TEACHER_DIR / "sample_class"
COLUMNS = ["student_id", "student", "lesson", "question_id", "question_type", "answer", "correct",
           "reported_correct", "attempt", "timestamp", "answer_id", "file"]
MISMATCH_COLUMNS = ["student", "lesson", "question_id", "attempt", "reported_correct", "correct",
                    "file"]
IGNORED = ("__MACOSX",)


@dataclass
class ClassResults:
    """Every usable answer of a class (re-graded), and what was met while reading the files.

    Attributes
    ----------
    answers
        One row per answer (:data:`COLUMNS`): ``correct`` is the re-graded result (missing for
        reflections and for answers that cannot be graded), ``reported_correct`` what the export said.
    problems
        One line per file skipped, naming the file (relative to the folder) and the reason.
    warnings
        Students who share a name, answers whose result was altered, answers that cannot be graded.
    mismatches
        The answers whose reported result differs from the re-graded one (:data:`MISMATCH_COLUMNS`).
    students_table
        One row per student: id, the label used in every table, name, files.
    files
        The number of export files read.
    banks
        The lesson files the answers were graded against, by lesson id.
    """

    answers: pd.DataFrame
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    mismatches: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=MISMATCH_COLUMNS))
    students_table: pd.DataFrame = field(default_factory=pd.DataFrame)
    files: int = 0
    banks: dict[str, Bank] = field(default_factory=dict)

    @property
    def students(self) -> list[str]:
        """The students' labels (their names; a shared name gets the student's id added)."""
        return sorted(self.answers["student"].unique())


# --- reading one file ---------------------------------------------------------------------------

def read_export(path: Path, name: str | None = None) -> Progress:
    """Read one export (format 1 or 2) as :class:`Progress` in format 2.

    Raises
    ------
    ValueError
        With a message naming the file (``name``, default its file name) and what is wrong.
    """
    name = name or path.name
    if path.suffix.lower() == ".csv":
        raise ValueError(f"{name}: a CSV file, skipped; the CSV is the spreadsheet copy. Ask for "
                         "the JSON file of the same name (course-answers-….json)")
    if path.suffix.lower() != ".json":
        raise ValueError(f"{name}: not a JSON export ({path.suffix or 'no extension'}), skipped; "
                         "students hand in the course-answers-….json file")
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ValueError(f"{name}: not a text file in UTF-8 (is it really a JSON export?)") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{name}: not valid JSON (line {error.lineno}, column {error.colno}: "
                         f"{error.msg}); ask the student to export again") from None
    except OSError as error:
        raise ValueError(f"{name}: cannot be read ({error.strerror or error})") from None
    if not isinstance(content, dict) or content.get("format") not in (FORMAT, records.V1_EXPORT_FORMAT):
        raise ValueError(f"{name}: not an answer export of this course (expected \"format\": "
                         f"\"{FORMAT}\"); students make it with Export my answers")
    try:
        return records.parse(content, exports=True, v1_student_id=_v1_id(content, path))
    except NewerFormatError as error:
        raise ValueError(f"{name}: {error}") from None
    except FormatError as error:
        raise ValueError(f"{name}: {error}") from None


def _v1_id(content: dict[str, Any], path: Path) -> str:
    """A format-1 export's student id: from its oldest answer (the same in every export of one
    progress file), else from the file name."""
    answers = content.get("answers")
    good = [a for a in answers if isinstance(a, dict) and isinstance(a.get("id"), str)
            and isinstance(a.get("timestamp"), str)] if isinstance(answers, list) else []
    if good:
        oldest = min(good, key=lambda a: (a["timestamp"], a["id"]))
        return f"v1:{oldest['id'][:12]}"
    return f"v1:{path.stem}"


def _files(folder: Path) -> list[Path]:
    """Every file under ``folder`` (subfolders too), but hidden ones and platform clutter."""
    found = []
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if path.is_file() and not any(p.startswith(".") or p in IGNORED for p in parts):
            found.append(path)
    return found


# --- grading ------------------------------------------------------------------------------------

def regrade(question: Question, answer: Any) -> tuple[bool | None, str | None]:
    """Grade a saved answer again, as the quiz grades it: ``(correct, problem)``.

    ``correct`` is None for a reflection, and for an answer that does not fit the question as the
    lesson file has it now (then ``problem`` says why).
    """
    if not question.graded:
        return None, None
    response = answer
    if question.type == "ordering":     # saved as the items in the student's order
        if not isinstance(answer, list) or sorted(map(str, answer)) != sorted(question.items):
            return None, "the saved order does not hold the question's items"
        response = {item: n for n, item in enumerate(answer, start=1)}
    try:
        result = quiz_bank.check(question, response)
    except (TypeError, ValueError, AttributeError, KeyError):
        return None, "the saved answer has the wrong form"
    if not result.recordable:
        return None, f"the saved answer does not fit the question ({result.message})"
    return result.correct, None


def _question_index(banks: dict[str, Bank]) -> dict[str, Question]:
    """Every question by id, from the lesson that defines it."""
    index: dict[str, Question] = {}
    for bank in banks.values():
        for q in bank.questions:
            if q.lesson == bank.lesson or q.id not in index:
                index[q.id] = q
    return index


def _find(banks: dict[str, Bank], index: dict[str, Question], lesson: str,
          question_id: str) -> Question | None:
    bank = banks.get(lesson)
    if bank is not None:
        for q in bank.questions:
            if q.id == question_id:
                return q
    return index.get(question_id)


# --- reading a folder ---------------------------------------------------------------------------

def load_folder(folder: str | os.PathLike[str],
                quizzes: str | os.PathLike[str] | None = None) -> ClassResults:
    """Read every export under ``folder`` (and its subfolders) and re-grade every answer.

    Parameters
    ----------
    folder
        The folder of exports. Files that are not usable exports are reported, never fatal.
    quizzes
        The folder of lesson files to grade against (default: ``COURSE_QUIZ_DIR`` or the
        course's ``data/quizzes``).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"no folder {folder}: put the students' exported .json files in "
                                "one folder (subfolders are fine)")
    banks = quiz_bank.load_all(quizzes)
    index = _question_index(banks)
    rows: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    names: dict[str, tuple[str, str | None]] = {}        # id -> (exported_at, name)
    files_of: dict[str, list[str]] = {}
    files = 0
    for path in _files(folder):
        rel = path.relative_to(folder).as_posix()
        try:
            progress = read_export(path, rel)
        except ValueError as error:
            problems.append(str(error))
            continue
        files += 1
        sid = progress.student_id or f"file:{rel}"
        stamp = _exported_at(path)
        if sid not in names or stamp >= names[sid][0]:
            names[sid] = (stamp, progress.name)
        files_of.setdefault(sid, []).append(rel)
        for rec in progress.answers:
            rows.setdefault(rec["id"], {**rec, "student_id": sid, "file": rel})
    labels, warnings = _labels(names, files_of)
    table = _table(list(rows.values()), labels, banks, index, warnings)
    mismatches = table[table["reported_correct"].notna() & table["correct"].notna()
                       & (table["reported_correct"] != table["correct"])]
    mismatches = mismatches[MISMATCH_COLUMNS].reset_index(drop=True)
    if len(mismatches):
        altered = sorted(mismatches["file"].unique())
        warnings.append(
            f"{_count(len(mismatches), 'answer')} in {_count(len(altered), 'file')} "
            f"({', '.join(altered)}) carry a result the lesson files do not give; the re-graded "
            "result counts (see results.mismatches). An edited export, or a question changed "
            "since the student answered it.")
    students = pd.DataFrame(
        [{"student_id": sid, "student": labels[sid], "name": names[sid][1],
          "files": ", ".join(files_of[sid])} for sid in sorted(names, key=lambda s: labels[s])],
        columns=["student_id", "student", "name", "files"])
    return ClassResults(table, problems, warnings, mismatches, students, files, banks)


def _exported_at(path: Path) -> str:
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        return str(content.get("exported_at") or "")
    except (OSError, ValueError):
        return ""


def _count(n: int, one: str) -> str:
    return f"{n} {one}{'' if n == 1 else 's'}"


def _labels(names: dict[str, tuple[str, str | None]],
            files_of: dict[str, list[str]]) -> tuple[dict[str, str], list[str]]:
    """The label of each student in tables, and a warning for every name several ids share."""
    by_name: dict[str, list[str]] = {}
    for sid, (_, name) in names.items():
        by_name.setdefault((name or "").casefold(), []).append(sid)
    labels, warnings = {}, []
    for sid, (_, name) in names.items():
        shared = len(by_name[(name or "").casefold()]) > 1
        if not name:
            labels[sid] = f"(no name: {Path(files_of[sid][0]).stem})"
        else:
            labels[sid] = f"{name} ({sid})" if shared else name
    for key, ids in sorted(by_name.items()):
        if key and len(ids) > 1:
            name = names[ids[0]][1]
            warnings.append(f"{len(ids)} students share the name “{name}” ({', '.join(sorted(ids))}); "
                            "they are counted apart. Ask them to add a surname or initial and "
                            "export again, so that you can tell them apart.")
    return labels, warnings


def _table(rows: list[dict[str, Any]], labels: dict[str, str], banks: dict[str, Bank],
           index: dict[str, Question], warnings: list[str]) -> pd.DataFrame:
    """The answers table, re-graded; warnings for answers that cannot be graded."""
    unknown: set[str] = set()
    unfit: list[str] = []
    for row in rows:
        row["student"] = labels[row["student_id"]]
        row["reported_correct"] = row["correct"]
        q = _find(banks, index, row["lesson"], row["question_id"])
        if q is None:
            unknown.add(row["question_id"])
            row["correct"] = None
            continue
        if q.type != row["question_type"]:
            row["correct"] = None
            unfit.append(f"{row['question_id']} ({row['student']}: saved as {row['question_type']}, "
                         f"now {q.type})")
            continue
        row["correct"], problem = regrade(q, row["answer"])
        if problem:
            unfit.append(f"{row['question_id']} ({row['student']}: {problem})")
    if unknown:
        warnings.append(f"Answers to {_count(len(unknown), 'question')} that no lesson file has "
                        f"now are left out of the scores: {', '.join(sorted(unknown))}.")
    if unfit:
        warnings.append(f"{_count(len(unfit), 'answer')} cannot be re-graded (the question changed "
                        f"since): {'; '.join(unfit[:10])}{' …' if len(unfit) > 10 else ''}.")
    table = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("correct", "reported_correct"):
        table[col] = table[col].astype("boolean")
    table["attempt"] = table["attempt"].astype("int64")
    order = {lesson: n for n, lesson in enumerate(_lesson_order(banks))}
    table["_order"] = table["lesson"].map(order).fillna(len(order))
    table = table.sort_values(["student", "_order", "lesson", "question_id", "timestamp", "attempt"],
                              ignore_index=True)
    return table.drop(columns="_order")


def _lesson_order(banks: dict[str, Bank]) -> list[str]:
    """Lesson ids in teaching order (``course.yml``), then any others alphabetically."""
    order = [lesson for lesson in records.lesson_order() if lesson in banks]
    return order + sorted(set(banks) - set(order))


# --- summaries ----------------------------------------------------------------------------------

def first_tries(results: ClassResults) -> pd.DataFrame:
    """One row per student, lesson and question: the first try (which decides the score)."""
    ordered = results.answers.sort_values(["student_id", "lesson", "question_id", "timestamp",
                                           "attempt"], kind="stable")
    firsts = ordered.drop_duplicates(["student_id", "lesson", "question_id"], keep="first")
    return firsts.reset_index(drop=True)


def _lessons_used(results: ClassResults, lessons: Any) -> list[str]:
    used = set(lessons)
    order = _lesson_order(results.banks)
    return [lesson for lesson in order if lesson in used] + sorted(used - set(order))


def completion(results: ClassResults) -> pd.DataFrame:
    """Questions answered per student (rows) and lesson (columns), as 'answered/total'."""
    firsts = first_tries(results)
    counts = firsts.pivot_table(index="student", columns="lesson", values="question_id",
                                aggfunc="count", fill_value=0)
    counts = counts.reindex(columns=_lessons_used(results, counts.columns))
    totals = {name: len(bank.questions) for name, bank in results.banks.items()}
    return counts.apply(lambda col: col.astype(str) + "/" + str(totals.get(col.name, "?")))


def scores(results: ClassResults) -> pd.DataFrame:
    """Graded questions right on the first try (re-graded), per student and lesson, and in total.

    The last two columns are the total and the number of graded questions in the lessons shown.
    """
    firsts = first_tries(results)
    graded = firsts[firsts["question_type"] != "reflection"].copy()
    graded["right"] = graded["correct"].fillna(False).astype(int)
    table = graded.pivot_table(index="student", columns="lesson", values="right", aggfunc="sum",
                               fill_value=0)
    table = table.reindex(columns=_lessons_used(results, table.columns))
    table["total"] = table.sum(axis=1)
    table["out of"] = sum(sum(q.graded for q in results.banks[lesson].questions)
                          for lesson in table.columns[:-1] if lesson in results.banks)
    return table


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
    graded = firsts[(firsts["question_type"] != "reflection") & firsts["correct"].notna()]
    table = graded.groupby(["lesson", "question_id"], as_index=False).agg(
        students=("student_id", "count"), right_first_try=("correct", "sum"))
    table["right_first_try"] = table["right_first_try"].astype("int64")
    table = table[table["students"] >= min_students]
    table["share_right"] = (table["right_first_try"] / table["students"]).round(2)
    table = table.sort_values(["share_right", "question_id", "lesson"], ignore_index=True)
    return table.head(top) if top else table


def _label(answer: Any) -> str:
    if isinstance(answer, list):
        return " + ".join(str(a) for a in answer)
    if isinstance(answer, dict):
        return "; ".join(f"{k} → {v}" for k, v in answer.items())
    return str(answer)


def wrong_answers(results: ClassResults) -> pd.DataFrame:
    """For each graded question (per lesson, in teaching order), the wrong first-try answer
    chosen most often, and by how many students."""
    firsts = first_tries(results)
    wrong = firsts[firsts["correct"].eq(False).fillna(False)].copy()
    wrong["wrong_answer"] = wrong["answer"].map(_label)
    counted = (wrong.groupby(["lesson", "question_id", "wrong_answer"], as_index=False)
               .agg(students=("student_id", "count")))
    order = {lesson: n for n, lesson in enumerate(_lesson_order(results.banks))}
    counted["_order"] = counted["lesson"].map(order).fillna(len(order))
    counted = counted.sort_values(["_order", "lesson", "question_id", "students", "wrong_answer"],
                                  ascending=[True, True, True, False, True])
    counted = counted.drop_duplicates(["lesson", "question_id"], keep="first")
    return counted.drop(columns="_order").reset_index(drop=True)


def reflections(results: ClassResults, question_id: str | None = None) -> pd.DataFrame:
    """The reflections written, by lesson, question and student (the last version of each)."""
    table = results.answers[results.answers["question_type"] == "reflection"]
    table = table.drop_duplicates(["student_id", "lesson", "question_id"], keep="last")
    if question_id is not None:
        table = table[table["question_id"] == question_id]
    return (table[["lesson", "question_id", "student", "answer"]].rename(columns={"answer": "text"})
            .reset_index(drop=True))


def hardest_chart(results: ClassResults, top: int = 8, min_students: int = 3) -> plots.Chart:
    """Bar chart of the hardest questions (answered by ``min_students`` or more): per cent right
    on the first try. A question reused in another lesson is labelled with that lesson."""
    table = hardest(results, top, min_students)
    index = _question_index(results.banks)
    labels = [qid if qid not in index or index[qid].lesson == lesson else f"{qid} (in {lesson})"
              for lesson, qid in zip(table["lesson"], table["question_id"], strict=True)]
    chart = plots.bars(labels, list((100 * table["share_right"]).round()),
                       f"The {len(table)} hardest questions (answered by {min_students} or more)",
                       "per cent right on first try")
    chart.figure.axes[0].set_xlim(0, 110)
    return chart


def completion_chart(results: ClassResults) -> plots.Chart:
    """Bar chart: how many students answered at least one question of each lesson."""
    firsts = first_tries(results)
    per_lesson = firsts.groupby("lesson")["student_id"].nunique()
    order = _lessons_used(results, per_lesson.index)
    return plots.bars(order, [int(per_lesson[n]) for n in order], "Students who started each lesson",
                      "students")
