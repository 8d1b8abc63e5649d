"""Write a small SYNTHETIC class of answer exports, for the class-results notebook and its tests.

    python tools/make_synthetic_class.py            # teacher/sample_class/
    python tools/make_synthetic_class.py OUT_DIR

Twelve invented students ("Synthetic student 01" …) answer the course's quizzes with a fixed
random seed, so the files are the same on every run. No real student's data is involved. One
deliberately broken file shows how the notebook reports a bad export.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from helpers.quiz import bank as quiz_bank  # noqa: E402
from helpers.quiz.progress import FORMAT, VERSION  # noqa: E402
from helpers.quiz.bank import Question  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "teacher" / "sample_class"
SEED = 20220126
STUDENTS = 12
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)
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
        target = q.range[1] if q.range else q.answer
        return int(target * rng.choice([2, 3]) + q.tolerance + 1)
    if q.type == "matching":
        rights = [r for _, r in q.pairs]
        rights[0], rights[1] = rights[1], rights[0]
        return {left: right for (left, _), right in zip(q.pairs, rights)}
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
        value = (q.range[0] + q.range[1]) / 2 if q.range else q.answer
        return int(value) if float(value).is_integer() else value
    if q.type == "matching":
        return dict(q.pairs)
    if q.type == "ordering":
        return list(q.items)
    return rng.choice(REFLECTIONS)


def student_export(number: int, banks: dict[str, quiz_bank.Bank], rng: random.Random,
                   difficulty: dict[str, float]) -> dict[str, Any]:
    """One synthetic student's export: answers to the first few quizzes of the course."""
    ability = rng.uniform(0.45, 0.95)
    reached = rng.randint(max(1, len(banks) // 3), len(banks))
    clock = START + dt.timedelta(days=number)
    answers = []
    for name in list(banks)[:reached]:
        for q in banks[name].questions:
            if q.notebook != name or rng.random() < 0.1:      # skip reused questions, and some
                continue
            tries = [True] if q.type == "reflection" or rng.random() < ability * difficulty[q.id] \
                else [False, True]
            for attempt, right in enumerate(tries, start=1):
                clock += dt.timedelta(seconds=rng.randint(20, 240))
                answer = right_answer(q, rng) if right else wrong_answer(q, rng)
                answers.append({
                    "id": f"{rng.getrandbits(128):032x}", "notebook": name, "question_id": q.id,
                    "question_type": q.type, "answer": answer,
                    "correct": None if q.type == "reflection" else right,
                    "attempt": attempt, "timestamp": clock.isoformat(timespec="microseconds")})
    return {"format": FORMAT + "-export", "version": VERSION, "synthetic": True,
            "student": f"Synthetic student {number:02d}",
            "exported_at": (clock + dt.timedelta(minutes=5)).isoformat(timespec="seconds"),
            "answers": answers}


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else DEFAULT_OUT
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.json"):
        old.unlink()
    rng = random.Random(SEED)
    banks = quiz_bank.load_all()
    difficulty = {q.id: rng.uniform(0.5, 1.0) for bank in banks.values() for q in bank.questions}
    for number in range(1, STUDENTS + 1):
        content = student_export(number, banks, rng, difficulty)
        path = out / f"synthetic-student-{number:02d}.json"
        path.write_text(json.dumps(content, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / "broken-example.json").write_text('{"format": "not an export", ', encoding="utf-8")
    print(f"wrote {STUDENTS} synthetic exports and one broken example in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
