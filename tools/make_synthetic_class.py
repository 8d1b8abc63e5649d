"""Write a small SYNTHETIC class of answer exports, for the class-results notebook and its tests.

    python tools/make_synthetic_class.py                       # teacher/sample_class/
    python tools/make_synthetic_class.py OUT_DIR [--quizzes FOLDER]

``make execute`` runs it, so after a valid edit of a lesson file one documented command brings
the sample class (and the notebooks' stored outputs) up to date.

Twelve invented students ("Synthetic student 01" …) answer the CURRENT lesson files (format 2,
the review's reused questions included) with a fixed random seed, so the files are the same on
every run. No real student's data is involved. The folder also shows, on purpose, what the
class-results notebook reports:

- students 09–12 handed in through a learning platform: one subfolder each;
- students 11 and 12 share a name (they are told apart by their ids);
- student 03 also handed in the CSV copy of the export (skipped, with the reason);
- student 07's export was edited: two wrong answers claim to be right (re-grading catches it);
- ``broken-example.json`` is not valid JSON.
"""
from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from helpers.quiz import bank as quiz_bank  # noqa: E402
from helpers.quiz.bank import Question  # noqa: E402
from helpers.quiz.progress import records  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "teacher" / "sample_class"
SEED = 20220126
STUDENTS = 12
IN_SUBFOLDERS = range(9, 13)       # handed in through a learning platform
SHARED_NAME = (11, 12)             # two students with the same name
CSV_TOO = 3                        # handed in the CSV as well
EDITED = 7                         # flipped two "correct" flags
SUBFOLDER = "submissions"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
REFLECTIONS = [
    "(synthetic) Both sides wrote down their red lines; the open door was the hardest point.",
    "(synthetic) The offers on missiles and exercises looked like a basis for talks.",
    "(synthetic) I expected more on Ukraine itself; the replies mostly talk about arms control.",
]


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


def name_of(number: int) -> str:
    return f"Synthetic student {SHARED_NAME[0] if number in SHARED_NAME else number:02d}"


def student_progress(number: int, banks: dict[str, quiz_bank.Bank], rng: random.Random,
                     difficulty: dict[str, float]) -> tuple[records.Progress, dt.datetime]:
    """One synthetic student's answers to the first few lessons (and the export time)."""
    ability = rng.uniform(0.45, 0.95)
    reached = rng.randint(max(1, len(banks) // 3), len(banks))
    clock = START + dt.timedelta(days=number)
    answers = []
    for name in list(banks)[:reached]:
        for q in banks[name].questions:
            if rng.random() < 0.1:                             # skip some
                continue
            tries = [True] if q.type == "reflection" or rng.random() < ability * difficulty[q.id] \
                else [False, True]
            for attempt, right in enumerate(tries, start=1):
                clock += dt.timedelta(seconds=rng.randint(20, 240))
                answer = right_answer(q, rng) if right else wrong_answer(q, rng)
                answers.append({
                    "id": f"{rng.getrandbits(128):032x}", "lesson": name, "question_id": q.id,
                    "question_type": q.type, "answer": answer,
                    "correct": None if q.type == "reflection" else right,
                    "attempt": attempt, "timestamp": clock.isoformat(timespec="microseconds")})
    # The id comes from its own generator, so that it stays the same when the lessons change.
    student_id = f"{records.LOCAL_PREFIX}{random.Random(f'{SEED}-{number}').getrandbits(48):012x}"
    return (records.Progress(name_of(number), student_id, answers, records.course_version()),
            clock + dt.timedelta(minutes=5))


def edit_flags(content: dict[str, Any], count: int = 2) -> None:
    """What a student who edits an export does: claim that wrong first tries were right."""
    flipped = 0
    for rec in content["answers"]:
        if rec["correct"] is False and rec["attempt"] == 1 and flipped < count:
            rec["correct"] = True
            flipped += 1


def clean(out: Path) -> None:
    """Remove what an earlier run wrote (and nothing else)."""
    for pattern in ("synthetic-student-*.json", "synthetic-student-*.csv", "broken-example.json",
                    f"{SUBFOLDER}/*/synthetic-student-*.json"):
        for old in out.glob(pattern):
            old.unlink()
    for folder in sorted(out.glob(f"{SUBFOLDER}/*"), reverse=True) + [out / SUBFOLDER]:
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def write_class(out: Path, quizzes: Path | None = None) -> list[Path]:
    """Write the sample class into ``out`` from the lesson files in ``quizzes``; return the files."""
    out.mkdir(parents=True, exist_ok=True)
    clean(out)
    rng = random.Random(SEED)
    banks = quiz_bank.load_all(quizzes)
    order = [lesson for lesson in records.lesson_order() if lesson in banks]
    banks = {name: banks[name] for name in order + sorted(set(banks) - set(order))}
    difficulty = {q.id: rng.uniform(0.5, 1.0) for bank in banks.values() for q in bank.questions}
    written = []
    for number in range(1, STUDENTS + 1):
        progress, exported_at = student_progress(number, banks, rng, difficulty)
        content = records.export_content(progress, exported_at, synthetic=True)
        if number == EDITED:
            edit_flags(content)
        stem = f"synthetic-student-{number:02d}"
        folder = out / SUBFOLDER / f"student-{number:02d}" if number in IN_SUBFOLDERS else out
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{stem}.json"
        path.write_text(records.dumps_export(content), encoding="utf-8")
        written.append(path)
        if number == CSV_TOO:
            written.append(records.write_csv(progress, out / f"{stem}.csv"))
    broken = out / "broken-example.json"
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
    print(f"wrote {STUDENTS} synthetic exports, one CSV and one broken example "
          f"({len(written)} files) in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
