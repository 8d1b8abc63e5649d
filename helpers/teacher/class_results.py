"""Read a class's answer exports, re-grade them, and turn them into what a teacher grades from.

Students hand in from the start notebook's dashboard (**Hand in** into the hub's hand-in folder,
or **Download my answers**: a ``course-answers-<name>-<code>.json`` file). Put the files of a
class in one folder (subfolders, as a learning platform's "download all submissions" makes them,
are read too), then::

    from helpers.teacher import class_results as cr
    results = cr.load_folder("path/to/folder")
    results.problems          # every file skipped, and why
    results.warnings          # students sharing a name, answers whose "correct" was altered …
    cr.scores(results)        # points per student and lesson, and in total
    cr.write_gradebook(results, "gradebook.csv", cr.read_class_list("class_list.csv"))

What else it gives: who has not handed in (:func:`check_class_list`), every question with its
text, right answer and first-try rate (:func:`questions`), an item analysis
(:func:`item_analysis`, :func:`option_counts`), every wrong answer (:func:`wrong_answers`), the
reflections (:func:`reflections_report`), and charts (:func:`score_chart`, :func:`lesson_chart`,
:func:`hardest_chart`, :func:`completion_chart`). ``teacher/class_results.ipynb`` shows them all.

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

import csv
import io
import json
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.display import charts as plots
from helpers.display.text import Rich, esc, plain
from helpers.paths import REPO, TEACHER_DIR
from helpers.quiz import bank as quiz_bank
from helpers.quiz import types
from helpers.quiz.bank import Bank, Question
from helpers.quiz.progress import records
from helpers.quiz.progress.records import FORMAT, FormatError, NewerFormatError, Progress
from helpers.teacher.answer_key import correct_answer

SAMPLE_CLASS = TEACHER_DIR / "sample_class"
SAMPLE_FOLDER = SAMPLE_CLASS / "handed-in"          # the exports, as a teacher collects them
SAMPLE_CLASS_LIST = SAMPLE_CLASS / "class_list.csv"
DEFAULT_GRADEBOOK = REPO / "build" / "class-results" / "gradebook.csv"
# Red and blue mark the sides in the course's charts; the class's charts take a neutral colour.
CHART_COLOUR = plots.NEUTRAL_COLOURS[0]
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

    def describe(self) -> str:
        """One sentence: files read and skipped, students, answers."""
        skipped = f" ({_count(len(self.problems), 'file')} skipped)" if self.problems else ""
        return (f"{_count(self.files, 'export')} read{skipped}: "
                f"{_count(len(self.students_table), 'student')}, "
                f"{_count(len(self.answers), 'answer')}.")


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
                         f"{error.msg}); ask the student to hand in again") from None
    except OSError as error:
        raise ValueError(f"{name}: cannot be read ({error.strerror or error})") from None
    if not isinstance(content, dict) or content.get("format") not in (FORMAT, records.V1_EXPORT_FORMAT):
        raise ValueError(f"{name}: not an answer export of this course (expected \"format\": "
                         f"\"{FORMAT}\"); students make it with Download my answers or Hand in")
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
    try:
        # a saved answer (e.g. an ordering saved as its items in order) as the type grades it
        response = types.get(question.type).from_record(question, answer)
    except (TypeError, ValueError, AttributeError, KeyError):
        response = None
    if response is None:
        return None, "the saved answer does not fit the question as the lesson file has it now"
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
    return f"{n:,} {one}{'' if n == 1 else 's'}"


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
                            "they are counted apart. To match them with a class list, put each one's "
                            "id in its id column (or ask them to add a surname or initial and hand "
                            "in again).")
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
    if isinstance(answer, bool):
        return "True" if answer else "False"
    if isinstance(answer, list):
        return " + ".join(str(a) for a in answer)
    if isinstance(answer, dict):
        return "; ".join(f"{k} → {v}" for k, v in answer.items())
    return str(answer)


def _question_order(results: ClassResults) -> dict[tuple[str, str], tuple[int, int]]:
    """(lesson, question id) → (place of the lesson in teaching order, place of the question)."""
    order: dict[tuple[str, str], tuple[int, int]] = {}
    for n, lesson in enumerate(_lesson_order(results.banks)):
        for m, q in enumerate(results.banks[lesson].questions):
            order[(lesson, q.id)] = (n, m)
    return order


def _in_teaching_order(table: pd.DataFrame, results: ClassResults, *then: str,
                       ascending: list[bool] | None = None, first: list[str] | None = None,
                       first_ascending: list[bool] | None = None) -> pd.DataFrame:
    """Sort by ``first`` columns, then lesson and question in teaching order, then ``then``."""
    order = _question_order(results)
    far = (len(order) + 1, 0)
    keys = [order.get((lesson, qid), far) for lesson, qid in zip(table["lesson"], table["question_id"],
                                                                 strict=True)]
    table = table.assign(_lesson_n=[k[0] for k in keys], _question_n=[k[1] for k in keys])
    by = (first or []) + ["_lesson_n", "lesson", "_question_n", "question_id", *then]
    up = (first_ascending or [True] * len(first or [])) + [True] * 4 + (ascending or [True] * len(then))
    table = table.sort_values(by, ascending=up, kind="stable", ignore_index=True)
    return table.drop(columns=["_lesson_n", "_question_n"])


def wrong_answers(results: ClassResults) -> pd.DataFrame:
    """Every wrong first-try answer, with how many students gave it: the whole table, most
    frequent first, then in teaching order (lesson, then question).

    Columns: lesson, question_id, wrong_answer, students (who gave it), answered (students who
    answered the question in that lesson).
    """
    firsts = first_tries(results)
    graded = firsts[firsts["correct"].notna()]
    answered = graded.groupby(["lesson", "question_id"])["student_id"].count()
    wrong = graded[graded["correct"].eq(False)].copy()
    wrong["wrong_answer"] = wrong["answer"].map(_label)
    counted = (wrong.groupby(["lesson", "question_id", "wrong_answer"], as_index=False)
               .agg(students=("student_id", "count")))
    counted["answered"] = [int(answered[(lesson, qid)]) for lesson, qid in
                           zip(counted["lesson"], counted["question_id"], strict=True)]
    return _in_teaching_order(counted, results, "wrong_answer", first=["students"],
                              first_ascending=[False])


# --- the questions: text, key, difficulty, discrimination, options --------------------------------

def _lesson_questions(results: ClassResults) -> list[tuple[str, Question]]:
    """Every (lesson, question) of the lesson files in teaching order, reused questions too."""
    return [(lesson, q) for lesson in _lesson_order(results.banks)
            for q in results.banks[lesson].questions]


def _one_line(text: str) -> str:
    return " ".join(plain(text).split())


def questions(results: ClassResults) -> pd.DataFrame:
    """Every question of every lesson, in teaching order, with its text, right answer and how the
    class did on the first try.

    Columns: lesson, question_id, type, question (the prompt), right_answer, answered (students
    with a first try in that lesson), right_first_try, first_try_rate (right / answered; empty for
    reflections and unanswered questions).
    """
    firsts = first_tries(results)
    stats = firsts.groupby(["lesson", "question_id"]).agg(
        answered=("student_id", "count"), right=("correct", lambda c: int(c.fillna(False).sum())))
    rows = []
    for lesson, q in _lesson_questions(results):
        answered = int(stats["answered"].get((lesson, q.id), 0))
        right = int(stats["right"].get((lesson, q.id), 0)) if q.graded else None
        rows.append({"lesson": lesson, "question_id": q.id, "type": q.type,
                     "question": _one_line(q.prompt),
                     "right_answer": "; ".join(correct_answer(q)) if q.graded else "(not scored)",
                     "answered": answered, "right_first_try": right,
                     "first_try_rate": round(right / answered, 2) if right is not None and answered
                     else None})
    table = pd.DataFrame(rows, columns=["lesson", "question_id", "type", "question", "right_answer",
                                        "answered", "right_first_try", "first_try_rate"])
    table["right_first_try"] = table["right_first_try"].astype("Int64")
    table["first_try_rate"] = table["first_try_rate"].astype("Float64")
    return table


DISCRIMINATION_READINGS = (
    (0.3, "good: students who did well elsewhere got it right more often"),
    (0.1, "fair"),
    (0.0, "weak: it hardly tells stronger and weaker answers apart"),
)


def _reading(students: int, difficulty: float, discrimination: float | None,
             min_students: int) -> str:
    if students < min_students:
        return f"too few answers (fewer than {min_students})"
    if difficulty == 1:
        return "everyone right: it tells no one apart"
    if difficulty == 0:
        return "everyone wrong: check the key, the wording and the teaching"
    if discrimination is None:
        return "no spread in the other scores"
    if discrimination < 0:
        return ("negative: students who did well elsewhere got it wrong more often; check the key "
                "and the wording")
    return next(text for limit, text in DISCRIMINATION_READINGS if discrimination >= limit)


def item_analysis(results: ClassResults, min_students: int = 5) -> pd.DataFrame:
    """Difficulty and discrimination of every graded question, per lesson, in teaching order.

    - **difficulty**: the share of students right on the first try (1 = everyone right).
    - **discrimination**: the point-biserial correlation between being right on this question
      (1 or 0) and the student's *rest score*: the share right on the first try of all their
      other graded questions (a share, not a sum, so that students who did more lessons are not
      counted as stronger). From −1 to 1: above 0.3 the question separates students who did well
      elsewhere from those who did not; near 0 it does not; below 0 the stronger students got it
      wrong more often, which often means a key or a wording to check.

    Computed for questions at least ``min_students`` students answered, and not on a question
    everyone got right (or wrong). Columns: lesson, question_id, students, difficulty,
    discrimination, reading.
    """
    firsts = first_tries(results)
    graded = firsts[firsts["correct"].notna()].copy()
    graded["right"] = graded["correct"].astype(bool).astype(int)
    per_student = graded.groupby("student_id")["right"].agg(["sum", "count"])
    totals = per_student.loc[graded["student_id"]]
    others = totals["count"].to_numpy() - 1
    graded["rest"] = (totals["sum"].to_numpy() - graded["right"].to_numpy()) / pd.Series(
        others, index=graded.index).where(others > 0)
    rows = []
    for (lesson, qid), group in graded.groupby(["lesson", "question_id"], sort=False):
        students, difficulty = len(group), float(group["right"].mean())
        usable = group.dropna(subset=["rest"])
        discrimination = None
        if (students >= min_students and 0 < difficulty < 1 and len(usable) >= 3
                and usable["rest"].std() > 0 and usable["right"].std() > 0):
            discrimination = round(float(usable["right"].corr(usable["rest"])), 2)
        rows.append({"lesson": lesson, "question_id": qid, "students": students,
                     "difficulty": round(difficulty, 2), "discrimination": discrimination,
                     "reading": _reading(students, difficulty, discrimination, min_students)})
    table = pd.DataFrame(rows, columns=["lesson", "question_id", "students", "difficulty",
                                        "discrimination", "reading"])
    table["discrimination"] = table["discrimination"].astype("Float64")
    return _in_teaching_order(table, results)


def option_counts(results: ClassResults, wrong_only: bool = False) -> pd.DataFrame:
    """How often each option of each choice question (single, select all that apply, true or
    false) was chosen on the first try: the wrong options students fell for, and the right ones.

    Columns: lesson, question_id, option, right (is it a right option), chosen (students who chose
    or ticked it), answered (students who answered), share (chosen / answered). For numbers,
    matchings and orderings, :func:`wrong_answers` lists every wrong answer given.

    With ``wrong_only``: the wrong options at least one student chose, the most chosen (by share)
    first, then in teaching order.
    """
    firsts = first_tries(results)
    rows = []
    for lesson, q in _lesson_questions(results):
        if not types.has(q, "answer_options"):
            continue
        module = types.get(q.type)
        given = firsts.loc[(firsts["lesson"] == lesson) & (firsts["question_id"] == q.id)
                           & firsts["correct"].notna(), "answer"].tolist()
        chosen_sets = [module.chosen_options(q, answer) for answer in given]
        for text, right in module.answer_options(q):
            chosen = sum(text in chosen_set for chosen_set in chosen_sets)
            rows.append({"lesson": lesson, "question_id": q.id, "option": text, "right": right,
                         "chosen": chosen, "answered": len(given),
                         "share": round(chosen / len(given), 2) if given else None})
    table = pd.DataFrame(rows, columns=["lesson", "question_id", "option", "right", "chosen",
                                        "answered", "share"])
    table["share"] = table["share"].astype("Float64")
    if wrong_only:
        table = table[~table["right"] & (table["chosen"] > 0)]
        table = _in_teaching_order(table, results, first=["share", "chosen"],
                                   first_ascending=[False, False])
    return table


# --- reflections --------------------------------------------------------------------------------

def reflections(results: ClassResults, question_id: str | None = None) -> pd.DataFrame:
    """The reflections written, by lesson, question and student (the last version of each)."""
    table = results.answers[results.answers["question_type"] == "reflection"]
    table = table.drop_duplicates(["student_id", "lesson", "question_id"], keep="last")
    if question_id is not None:
        table = table[table["question_id"] == question_id]
    return (table[["lesson", "question_id", "student", "answer"]].rename(columns={"answer": "text"})
            .reset_index(drop=True))


def reflections_report(results: ClassResults) -> Rich:
    """Every reflection, question by question in teaching order, under the question's text.

    Students' texts are escaped: a text holding HTML shows as text and runs nothing.
    """
    table = reflections(results)
    order = _question_order(results)
    keys = sorted({(lesson, qid) for lesson, qid in zip(table["lesson"], table["question_id"],
                                                         strict=True)},
                  key=lambda k: (order.get(k, (len(order) + 1, 0)), k))
    index = _question_index(results.banks)
    parts_html, parts_text = [], []
    for lesson, qid in keys:
        group = table[(table["lesson"] == lesson) & (table["question_id"] == qid)]
        prompt = _one_line(index[qid].prompt) if qid in index else "(a question no lesson file has now)"
        heading = f"{lesson}: {qid} ({_count(len(group), 'reflection')})"
        items = sorted(zip(group["student"], group["text"], strict=True), key=lambda p: str(p[0]))
        parts_html.append(
            f"<h4>{esc(heading)}</h4><p><em>{esc(prompt)}</em></p><ul>"
            + "".join(f"<li><strong>{esc(student)}</strong>: {esc(text)}</li>" for student, text in items)
            + "</ul>")
        parts_text.append("\n".join([f"== {heading}", f"   {prompt}"]
                                    + [f"  {student}: {text}" for student, text in items]))
    if not keys:
        return Rich("<p>No reflections were handed in.</p>", "No reflections were handed in.")
    return Rich("".join(parts_html), "\n\n".join(parts_text))


# --- scores and the gradebook -------------------------------------------------------------------

def points_possible(results: ClassResults) -> pd.Series:
    """Points a student can earn per lesson (its graded questions, reused ones included), in
    teaching order; lessons without a graded question are left out."""
    order = _lesson_order(results.banks)
    points = {lesson: sum(q.graded for q in results.banks[lesson].questions) for lesson in order}
    return pd.Series({lesson: n for lesson, n in points.items() if n}, name="points", dtype="int64")


def _points_by_id(results: ClassResults) -> pd.DataFrame:
    """Points per student id (rows) and lesson (every lesson of :func:`points_possible`)."""
    lessons = list(points_possible(results).index)
    firsts = first_tries(results)
    graded = firsts[firsts["question_type"] != "reflection"].copy()
    graded["right"] = graded["correct"].fillna(False).astype(int)
    table = graded.pivot_table(index="student_id", columns="lesson", values="right", aggfunc="sum",
                               fill_value=0)
    table = table.reindex(index=list(results.students_table["student_id"]), columns=lessons,
                          fill_value=0).fillna(0).astype("int64")
    table["total"] = table.sum(axis=1)
    return table


class ClassListError(ValueError):
    """A class list that cannot be used; the message names the file, the row and the field."""

    def __init__(self, label: str, problems: list[str]) -> None:
        self.problems = [f"{label} {p}" for p in problems]
        text = (self.problems[0] if len(self.problems) == 1 else
                f"{len(self.problems)} problems in the class list:\n  " + "\n  ".join(self.problems))
        super().__init__(text)


CLASS_LIST_HINT = ("the first row names the columns: name (required), id (optional: the hub user "
                   "name, or the student id the dashboard shows), and any others you keep, such as "
                   "email")


def read_class_list(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a class list: a CSV file with a ``name`` column, an optional ``id`` column, and any
    other columns (an email, an LMS id: they are carried into the gradebook).

    Saved from a spreadsheet as CSV (comma, semicolon or tab separated, UTF-8 with or without a
    byte order mark). Blank rows are skipped. Returns one row per student: ``row`` (as a
    spreadsheet numbers it: the header is row 1), ``name``, ``id`` (``""`` when not given) and
    the other columns.

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    ClassListError
        Naming the file, the row and the field of every mistake (a missing ``name`` column, an
        empty name, an id with a space, the same id twice, a row with too many values).
    """
    path = Path(path)
    label = quiz_bank.display_path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no class list {label}: make one in a spreadsheet (a column "
                                "“name”, optionally “id”) and save it as CSV, or set CLASS_LIST = None")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ClassListError(label, ["is not UTF-8 text: in the spreadsheet, save it as "
                                     "“CSV UTF-8”"]) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ClassListError(label, [f"row 1: no header row; {CLASS_LIST_HINT}"])
    header = [cell.strip() for cell in rows[0]]
    keys = [h.casefold() for h in header]
    problems = []
    if "name" not in keys:
        problems.append(f"row 1: no column “name” (the columns are: "
                        f"{', '.join(h or '(blank)' for h in header)}); {CLASS_LIST_HINT}")
    for n, key in enumerate(keys):
        if key and keys.index(key) != n:
            problems.append(f"row 1, column {n + 1}: the column “{header[n]}” appears twice")
    if problems:
        raise ClassListError(label, problems)
    named = [n for n, key in enumerate(keys) if key]
    students: list[dict[str, Any]] = []
    seen_ids: dict[str, int] = {}
    for sheet_row, cells in enumerate(rows[1:], start=2):
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        extra = [cell for n, cell in enumerate(cells) if n >= len(header) or not keys[n]]
        if any(extra):
            problems.append(f"row {sheet_row}: {len(cells)} values but the header names "
                            f"{len(named)} columns (a comma inside a name? put the name in quotes)")
            continue
        row = {keys[n] if keys[n] in ("name", "id") else header[n]: (cells[n] if n < len(cells) else "")
               for n in named}
        if not row["name"]:
            problems.append(f"row {sheet_row}, field name: empty; every student needs a name")
        sid = row.get("id", "")
        if sid and any(c.isspace() for c in sid):
            problems.append(f"row {sheet_row}, field id: “{sid}” has a space; an id is one word "
                            "(the hub user name, or the student id the dashboard shows)")
        elif sid and sid.casefold() in seen_ids:
            problems.append(f"row {sheet_row}, field id: “{sid}” is also on row {seen_ids[sid.casefold()]}")
        elif sid:
            seen_ids[sid.casefold()] = sheet_row
        students.append({"row": sheet_row, **row, "id": sid})
    if not problems and not students:
        problems.append("has a header row but no students")
    if problems:
        raise ClassListError(label, problems)
    columns = ["row", "name", "id"] + [header[n] for n in named if keys[n] not in ("name", "id")]
    return pd.DataFrame(students, columns=columns)


def shown_path(path: str | os.PathLike[str]) -> str:
    """A path as the notebook prints it: relative to the course folder when inside it."""
    return quiz_bank.display_path(Path(path))


def _norm(name: Any) -> str:
    """A name as matching compares it: case, spaces and accents ignored (Zoë = zoe)."""
    text = unicodedata.normalize("NFKD", str(name or "")).casefold()
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def _id_matches(given: str, student_id: str) -> bool:
    given = given.casefold()
    return given in (student_id.casefold(), student_id.split(":", 1)[-1].casefold())


@dataclass
class ClassCheck:
    """The class list set against the exports (:func:`check_class_list`).

    Attributes
    ----------
    table
        One row per class-list row: row, name, id, handed_in (``yes``, ``no`` or ``unclear``),
        student_id and student (the label used in every table) of the export it matched.
    missing
        The class-list rows with no export (handed_in ``no``).
    unlisted
        Students who handed in but match no row of the class list.
    warnings
        Names several rows or exports share, which only ids can tell apart.
    """

    table: pd.DataFrame
    missing: pd.DataFrame
    unlisted: pd.DataFrame
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """A few lines: how many on the list handed in, who has not, who is not on the list."""
        handed = int((self.table["handed_in"] == "yes").sum())
        unclear = int((self.table["handed_in"] == "unclear").sum())
        lines = [f"{_count(len(self.table), 'student')} on the class list: {handed} handed in"
                 + (f", {unclear} unclear (see below)" if unclear else "")
                 + f", {len(self.missing)} did not."]
        lines += [f"  not handed in: {name} (row {row})"
                  for name, row in zip(self.missing["name"], self.missing["row"], strict=True)]
        if len(self.unlisted):
            verb = "is" if len(self.unlisted) == 1 else "are"
            lines.append(f"{_count(len(self.unlisted), 'student')} handed in but {verb} not on the "
                         "class list (a name spelt differently? add the id to the list):")
            lines += [f"  {label} ({sid}): {files}" for label, sid, files in
                      zip(self.unlisted["student"], self.unlisted["student_id"], self.unlisted["files"],
                          strict=True)]
        return "\n".join(lines + self.warnings)


def check_class_list(results: ClassResults, class_list: pd.DataFrame) -> ClassCheck:
    """Match the class list (:func:`read_class_list`) with the students who handed in.

    A row with an ``id`` matches the export with that student id (``jkovalenko`` matches the hub
    id ``hub:jkovalenko``). A row without one matches by name (case, spaces and accents
    ignored: "Zoe Muller" matches "Zoë Müller"), if exactly one row and one export not matched by
    id carry that name; when several do (two students called "Anna"), the rows are ``unclear``
    and a warning says to add ids.
    """
    students = results.students_table
    by_id = {sid: label for sid, label in zip(students["student_id"], students["student"], strict=True)}
    names = {sid: _norm(name) for sid, name in zip(students["student_id"], students["name"], strict=True)}
    matched: dict[int, str] = {}
    for n, given in zip(class_list.index, class_list["id"], strict=True):
        hits = [sid for sid in by_id if given and _id_matches(given, sid)]
        if hits:
            matched[n] = hits[0]
    taken = set(matched.values())
    unclear: set[int] = set()
    warnings = []
    without_id = class_list[class_list["id"] == ""]
    for key, rows in without_id.groupby(without_id["name"].map(_norm), sort=False):
        candidates = [sid for sid, name in names.items() if name == key and sid not in taken]
        if len(rows) == 1 and len(candidates) == 1:
            matched[rows.index[0]] = candidates[0]
            taken.add(candidates[0])
        elif candidates:
            unclear.update(rows.index)
            taken.update(candidates)
            where = ", ".join(str(r) for r in rows["row"])
            warnings.append(
                f"The class list has {_count(len(rows), 'row')} named “{rows['name'].iloc[0]}” "
                f"(row {where}) and {_count(len(candidates), 'student')} of that name handed in "
                f"({', '.join(sorted(candidates))}): add each one's id to the class list to tell "
                "them apart.")
    table = class_list[["row", "name", "id"]].copy()
    table["handed_in"] = ["yes" if n in matched else "unclear" if n in unclear else "no"
                          for n in class_list.index]
    table["student_id"] = [matched.get(n, "") for n in class_list.index]
    table["student"] = [by_id.get(matched.get(n, ""), "") for n in class_list.index]
    missing = table[table["handed_in"] == "no"][["row", "name", "id"]].reset_index(drop=True)
    unlisted = students[~students["student_id"].isin(taken)].reset_index(drop=True)
    return ClassCheck(table.reset_index(drop=True), missing, unlisted, warnings)


def gradebook(results: ClassResults, class_list: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per student, for a learning platform's grade import: ``student_id``, ``name``,
    any other columns of the class list, the points of every lesson (:func:`points_possible`,
    teaching order) and ``total``.

    Points are graded questions right on the first try, re-graded (the notebook's rule). With a
    class list, its rows come first in its order, with its spelling of the names; a student who
    has not handed in (or whose row is unclear) has empty points, never 0; students who handed in
    but are not on the list follow.
    """
    points = _points_by_id(results)
    lessons = [c for c in points.columns if c != "total"]
    extras: list[str] = [] if class_list is None else [
        c for c in class_list.columns if c not in ("row", "name", "id")]
    export_names = dict(zip(results.students_table["student_id"], results.students_table["name"],
                            strict=True))
    rows: list[dict[str, Any]] = []

    def row_for(sid: str, name: Any, extra: dict[str, Any]) -> dict[str, Any]:
        scored = points.loc[sid].to_dict() if sid in points.index else dict.fromkeys(lessons + ["total"])
        return {"student_id": sid, "name": name or "", **extra, **scored}

    if class_list is None:
        for sid in results.students_table["student_id"]:          # sorted by label
            rows.append(row_for(sid, export_names.get(sid), {}))
    else:
        check = check_class_list(results, class_list)
        for (_, listed), (_, matched) in zip(class_list.iterrows(), check.table.iterrows(), strict=True):
            sid = matched["student_id"] if matched["handed_in"] == "yes" else ""
            row = row_for(sid, listed["name"], {c: listed[c] for c in extras})
            row["student_id"] = sid or listed["id"]
            rows.append(row)
        for sid in check.unlisted["student_id"]:
            rows.append(row_for(sid, export_names.get(sid), dict.fromkeys(extras, "")))
    table = pd.DataFrame(rows, columns=["student_id", "name", *extras, *lessons, "total"])
    for column in [*lessons, "total"]:
        table[column] = table[column].astype("Int64")
    return table


def write_gradebook(results: ClassResults, path: str | os.PathLike[str],
                    class_list: pd.DataFrame | None = None) -> Path:
    """Write :func:`gradebook` as a CSV file (UTF-8 with a byte order mark, so that a spreadsheet
    shows names in any alphabet; empty cells for students with no export); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    gradebook(results, class_list).to_csv(path, index=False, encoding="utf-8-sig")
    return path


# --- charts -------------------------------------------------------------------------------------

def hardest_chart(results: ClassResults, top: int = 8, min_students: int = 3) -> plots.Chart:
    """Bar chart of the hardest questions (answered by ``min_students`` or more): per cent right
    on the first try. A question reused in another lesson is labelled with that lesson."""
    table = hardest(results, top, min_students)
    index = _question_index(results.banks)
    labels = [qid if qid not in index or index[qid].lesson == lesson else f"{qid} (in {lesson})"
              for lesson, qid in zip(table["lesson"], table["question_id"], strict=True)]
    chart = plots.bars(labels, list((100 * table["share_right"]).round()),
                       f"The {len(table)} hardest questions (answered by {min_students} or more)",
                       "per cent right on first try", colours=[CHART_COLOUR] * len(labels),
                       scale_max=110)
    return chart


def completion_chart(results: ClassResults) -> plots.Chart:
    """Bar chart: how many students answered at least one question of each lesson."""
    firsts = first_tries(results)
    per_lesson = firsts.groupby("lesson")["student_id"].nunique()
    order = _lessons_used(results, per_lesson.index)
    return plots.bars(order, [int(per_lesson[n]) for n in order], "Students who started each lesson",
                      "students", colours=[CHART_COLOUR] * len(order))


def lesson_chart(results: ClassResults) -> plots.Chart:
    """Bar chart: per lesson, the per cent of graded first tries that were right (all the
    students who started the lesson together)."""
    firsts = first_tries(results)
    graded = firsts[firsts["correct"].notna()]
    share = graded.groupby("lesson")["correct"].mean()
    order = _lessons_used(results, share.index)
    chart = plots.bars(order, [round(100 * float(share[n])) for n in order],
                       "Right on the first try, per lesson", "per cent of first tries",
                       colours=[CHART_COLOUR] * len(order), scale_max=110)
    return chart


def score_chart(results: ClassResults) -> plots.Chart:
    """Histogram of the students' total points (every student who handed in, one bar per point
    band), with the median marked."""
    totals = _points_by_id(results)["total"]
    top = int(totals.max()) if len(totals) else 0
    width = max(1, -(-(top + 1) // 12))               # at most about 12 bars
    edges = list(range(0, top + width + 1, width))
    median = float(totals.median()) if len(totals) else 0.0
    title = f"Total points of the {_count(len(totals), 'student')} who handed in"
    described = (f"{title}: lowest {int(totals.min())}, median {plots.number_label(median)}, "
                 f"highest {top}" if len(totals) else f"{title}: none")
    return plots.histogram(list(totals), edges, title,
                           "total points (graded questions right on the first try)", "students",
                           CHART_COLOUR, (median, f"median: {plots.number_label(median)} points"),
                           described)
