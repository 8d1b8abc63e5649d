"""Write a small SYNTHETIC class: answer exports and a class list, for the class-results notebook.

    python tools/make_synthetic_class.py                       # teacher/sample_class/
    python tools/make_synthetic_class.py OUT_DIR [--quizzes FOLDER]

``make execute`` runs it, so after a valid edit of a lesson file one documented command brings
the sample class (and the notebooks' stored outputs) up to date.

Twelve invented students answer the CURRENT lesson files (format 2, the review's reused questions
included) with a fixed random seed, so the files are the same on every run. No real student's
data is involved: every export says ``"synthetic": true``. What it writes::

    OUT_DIR/class_list.csv        the teacher's list: 13 students, one of whom handed nothing in
    OUT_DIR/handed-in/            the folder the class-results notebook reads

and, on purpose, the cases a teacher meets:

- a Cyrillic name (``Юлія Коваленко``) and a name with accents (``Zoë Müller``), whose export
  file names keep their letters;
- two students both called ``Anna``: two exports, two ids, never merged (a warning; the class
  list tells them apart by id);
- students 09–12 handed in through a learning platform: one subfolder each, named as Moodle's
  "download all submissions" names them;
- one Anna also handed in the CSV copy of her export (skipped, with the reason);
- student 07's export was edited: two wrong first tries claim to be right (re-grading catches it);
- ``broken-example.json`` is not valid JSON;
- student 13 is on the class list but handed nothing in.
"""
from __future__ import annotations

import csv
import datetime as dt
import math
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from helpers.quiz import bank as quiz_bank  # noqa: E402
from helpers.quiz.bank import Question  # noqa: E402
from helpers.quiz.dashboard import export_name  # noqa: E402
from helpers.quiz.progress import records  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "teacher" / "sample_class"
HANDED_IN = "handed-in"
CLASS_LIST = "class_list.csv"
SEED = 20220126
STUDENTS = 12                      # who handed in
NOT_HANDED_IN = 13                 # on the class list only
NAMES = {1: "Юлія Коваленко", 2: "Zoë Müller", 3: "Anna", 4: "Anna"}
SHARED_NAME = (3, 4)               # two students called Anna
IN_SUBFOLDERS = range(9, 13)       # handed in through a learning platform
CSV_TOO = 3                        # handed in the CSV as well
EDITED = 7                         # flipped two "correct" flags
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
REFLECTIONS = [
    "(synthetic) Both sides wrote down their red lines; the open door was the hardest point.",
    "(synthetic) The replies list many topics for talks; I want to see which ones were taken up.",
    "(synthetic) I expected more on Ukraine itself; the replies mostly talk about arms control.",
]


def name_of(number: int) -> str:
    return NAMES.get(number, f"Synthetic student {number:02d}")


def student_id_of(number: int) -> str:
    """A ``local:`` id from its own generator, the same whatever the lessons hold."""
    return f"{records.LOCAL_PREFIX}{random.Random(f'{SEED}-{number}').getrandbits(48):012x}"


def wrong_answer(q: Question, rng: random.Random) -> Any:
    """A plausible wrong answer of the stored form."""
    if q.type == "single":
        return rng.choice([o.text for o in q.options if not o.correct])
    if q.type == "multiple":
        right = [o.text for o in q.options if o.correct]
        wrong = [o.text for o in q.options if not o.correct]
        picked = right[:-1] + ([rng.choice(wrong)] if wrong else [])
        return picked or right[:1] + wrong[:1]
    if q.type == "true_false":
        return not q.answer
    if q.type == "numeric":
        target = q.range[1] if q.range else float(q.answer or 0)
        return int(target * rng.choice([2, 3]) + q.tolerance + 1)
    if q.type == "matching":
        rights = [r for _, r in q.pairs]
        rights[0], rights[1] = rights[1], rights[0]
        return {left: right for (left, _), right in zip(q.pairs, rights, strict=True)}
    if q.type == "ordering":
        items = list(q.items)
        i = rng.randrange(len(items) - 1)
        items[i], items[i + 1] = items[i + 1], items[i]
        return items
    raise ValueError(q.type)


def right_answer(q: Question, rng: random.Random) -> Any:
    """The correct answer of the stored form (a reflection: a canned synthetic text)."""
    if q.type == "single":
        return next(o.text for o in q.options if o.correct)
    if q.type == "multiple":
        return [o.text for o in q.options if o.correct]
    if q.type == "true_false":
        return q.answer
    if q.type == "numeric":
        value = (q.range[0] + q.range[1]) / 2 if q.range else float(q.answer or 0)
        return int(value) if float(value).is_integer() else value
    if q.type == "matching":
        return dict(q.pairs)
    if q.type == "ordering":
        return list(q.items)
    return rng.choice(REFLECTIONS)


def student_progress(number: int, banks: dict[str, quiz_bank.Bank], rng: random.Random,
                     hardness: dict[str, float]) -> tuple[records.Progress, dt.datetime]:
    """One synthetic student's answers to the first few lessons (and the export time).

    The chance of a right first try follows a simple item-response model: a student's ability
    against a question's hardness, so that stronger students are right more often (the item
    analysis has something to find).
    """
    ability = rng.gauss(0.8, 0.9)
    reached = rng.randint(max(1, len(banks) // 3), len(banks))
    clock = START + dt.timedelta(days=number)
    answers = []
    for name in list(banks)[:reached]:
        for q in banks[name].questions:
            if rng.random() < 0.1:                             # skip some
                continue
            chance = 1 / (1 + math.exp(-1.7 * (ability - hardness[q.id])))
            tries = [True] if q.type == "reflection" or rng.random() < chance else [False, True]
            for attempt, right in enumerate(tries, start=1):
                clock += dt.timedelta(seconds=rng.randint(20, 240))
                answer = right_answer(q, rng) if right else wrong_answer(q, rng)
                answers.append({
                    "id": f"{rng.getrandbits(128):032x}", "lesson": name, "question_id": q.id,
                    "question_type": q.type, "answer": answer,
                    "correct": None if q.type == "reflection" else right,
                    "attempt": attempt, "timestamp": clock.isoformat(timespec="microseconds")})
    return (records.Progress(name_of(number), student_id_of(number), answers,
                             records.course_version()),
            clock + dt.timedelta(minutes=5))


def edit_flags(content: dict[str, Any], count: int = 2) -> None:
    """What a student who edits an export does: claim that wrong first tries were right."""
    flipped = 0
    for rec in content["answers"]:
        if rec["correct"] is False and rec["attempt"] == 1 and flipped < count:
            rec["correct"] = True
            flipped += 1


def write_class_list(path: Path) -> Path:
    """The teacher's class list: names, an id where two students share a name, an email."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["name", "id", "email"])
        for number in range(1, NOT_HANDED_IN + 1):
            writer.writerow([name_of(number), student_id_of(number) if number in SHARED_NAME else "",
                             f"student{number:02d}@school.example"])
    return path


def clean(out: Path) -> None:
    """Remove what an earlier run wrote (and nothing else), this layout's and the older one's."""
    patterns = [CLASS_LIST, f"{HANDED_IN}/course-answers-*", f"{HANDED_IN}/broken-example.json",
                f"{HANDED_IN}/*_assignsubmission_file_/course-answers-*",
                "synthetic-student-*.json", "synthetic-student-*.csv", "broken-example.json",
                "submissions/*/synthetic-student-*.json"]
    for pattern in patterns:
        for old in out.glob(pattern):
            old.unlink()
    folders = [*out.glob(f"{HANDED_IN}/*_assignsubmission_file_"), out / HANDED_IN,
               *out.glob("submissions/*"), out / "submissions"]
    for folder in folders:
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def write_class(out: Path, quizzes: Path | None = None) -> list[Path]:
    """Write the sample class into ``out`` from the lesson files in ``quizzes``; return the files."""
    out.mkdir(parents=True, exist_ok=True)
    clean(out)
    handed_in = out / HANDED_IN
    handed_in.mkdir()
    rng = random.Random(SEED)
    banks = quiz_bank.load_all(quizzes)
    order = [lesson for lesson in records.lesson_order() if lesson in banks]
    banks = {name: banks[name] for name in order + sorted(set(banks) - set(order))}
    hardness = {q.id: rng.uniform(-1.2, 1.2) for bank in banks.values() for q in bank.questions}
    written = [write_class_list(out / CLASS_LIST)]
    for number in range(1, STUDENTS + 1):
        progress, exported_at = student_progress(number, banks, rng, hardness)
        content = records.export_content(progress, exported_at, synthetic=True)
        if number == EDITED:
            edit_flags(content)
        stem = export_name(progress.name, progress.student_id or "")
        folder = handed_in
        if number in IN_SUBFOLDERS:
            folder = handed_in / f"{progress.name}_{100000 + number}_assignsubmission_file_"
            folder.mkdir()
        path = folder / f"{stem}.json"
        path.write_text(records.dumps_export(content), encoding="utf-8")
        written.append(path)
        if number == CSV_TOO:
            written.append(records.write_csv(progress, folder / f"{stem}.csv"))
    broken = handed_in / "broken-example.json"
    broken.write_text('{"format": "not an export", ', encoding="utf-8")
    return written + [broken]


def main(argv: list[str]) -> int:
    args = list(argv)
    quizzes = None
    if "--quizzes" in args:
        at = args.index("--quizzes")
        quizzes = Path(args[at + 1])
        del args[at:at + 2]
    out = Path(args[0]) if args else DEFAULT_OUT
    try:
        written = write_class(out, quizzes)
    except quiz_bank.QuizBankError as error:
        print(f"The sample class was not written: {error}", file=sys.stderr)
        return 1
    print(f"wrote a class list, {STUDENTS} synthetic exports, one CSV and one broken example "
          f"({len(written)} files) in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
