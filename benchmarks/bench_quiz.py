"""Time the quiz engine (a script, not a test): ``.venv/bin/python benchmarks/bench_quiz.py``.

Prints
(a) the time to build a 10-question quiz and produce its display bundle: in a fresh process
    (the first quiz of a kernel, after the imports; median of several fresh processes), and
    warm (median of later builds in the same process);
(b) the time to save 100 answers through the progress store, each under the file lock;
(c) the dashboard's update after a saved answer, with the course's lesson files: a retry of a
    question (text and table only) and a newly answered question (the chart is drawn again). In a
    kernel this runs after the quiz has shown its feedback, so it does not delay the feedback;
(d) reading a version-1 progress file of 1,000 answers: migration, backup and write-back.

The quiz file is written to a temporary folder; the progress file too. The dataset is the
course's own (``COURSE_DATA_DIR`` if set); if it cannot be loaded, a copy of its sources and
provisions tables is used and the script says so.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FRESH_PROCESSES = 5
WARM_RUNS = 30
ANSWERS = 100

QUESTIONS = """\
  - {{id: bench-single-{n}, type: single, prompt: "Who delivered the US response?",
     options: [{{text: Sullivan, correct: true, feedback: Yes.}}, {{text: Sherman, correct: false}},
               {{text: Donfried, correct: false}}, {{text: Carpenter, correct: false}}],
     explanation: "Ambassador *John Sullivan*.", objective: bench, sources: [S27]}}
  - {{id: bench-multiple-{n}, type: multiple, prompt: "Which formats?",
     options: [{{text: SSD, correct: true}}, {{text: NRC, correct: true}}, {{text: OSCE, correct: true}},
               {{text: UNSC, correct: false}}], explanation: Three formats.,
     objective: bench, sources: [S57]}}
  - {{id: bench-tf-{n}, type: true_false, prompt: NATO had 30 members., answer: true,
     explanation: Thirty., objective: bench, sources: [S71]}}
  - {{id: bench-numeric-{n}, type: numeric, prompt: "New START warheads?", answer: 1550,
     unit: warheads, explanation: "1,550.", objective: bench, sources: [S82]}}
  - {{id: bench-matching-{n}, type: matching, prompt: Match the cities.,
     pairs: [{{left: SSD, right: Geneva}}, {{left: NRC, right: Brussels}}, {{left: OSCE, right: Vienna}}],
     distractors: [Moscow], explanation: "Geneva, Brussels, Vienna.", objective: bench, sources: [S12]}}
"""


def _write_bank(folder: Path) -> None:
    body = "".join(QUESTIONS.format(n=n) for n in (1, 2))
    (folder / "bench.yaml").write_text(
        "schema: 2\nlesson: bench\ntitle: Benchmark\nobjectives:\n  bench: answer a benchmark\n"
        f"questions:\n{body}", encoding="utf-8")


def _mini_data(folder: Path) -> Path:
    package = json.loads((REPO / "data" / "datapackage.json").read_text(encoding="utf-8"))
    package["resources"] = [r for r in package["resources"]
                            if r["name"] in ("sources", "provisions")]
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    for name in ("sources.csv", "provisions.csv"):
        (folder / name).write_bytes((REPO / "data" / name).read_bytes())
    return folder


def child(folder: str) -> None:
    """Run in a fresh process: import, first build, then warm builds; print JSON timings."""
    t0 = time.perf_counter()
    from helpers.quiz.progress import ProgressStore
    from helpers.quiz.widgets import quiz

    t1 = time.perf_counter()
    store = ProgressStore(Path(tempfile.mkdtemp()) / "progress.json")
    first = quiz("bench", folder=folder, store=store)
    first._repr_mimebundle_()
    t2 = time.perf_counter()
    assert len(first.views) == 10
    warm = []
    for _ in range(WARM_RUNS):
        start = time.perf_counter()
        quiz("bench", folder=folder, store=store)._repr_mimebundle_()
        warm.append(time.perf_counter() - start)
    print(json.dumps({"import": t1 - t0, "first": t2 - t1, "warm": statistics.median(warm)}))


def bench_store() -> tuple[float, float]:
    """Save ANSWERS answers through the store; return (total seconds, seconds per answer)."""
    from helpers.quiz.progress import ProgressStore

    with tempfile.TemporaryDirectory() as tmp:
        store = ProgressStore(Path(tmp) / "progress.json")
        start = time.perf_counter()
        for n in range(ANSWERS):
            store.record("bench", f"q-{n % 10}", "single", f"answer {n}", n % 2 == 0)
        total = time.perf_counter() - start
        assert len(store.records()) == ANSWERS and store.warning is None
    return total, total / ANSWERS


def bench_dashboard() -> tuple[float, float, int]:
    """(seconds after a retry, seconds after a new question, lessons shown)."""
    from helpers.quiz.dashboard import dashboard
    from helpers.quiz.progress import ProgressStore

    with tempfile.TemporaryDirectory() as tmp:
        store = ProgressStore(Path(tmp) / "progress.json")
        board = dashboard(store, Path(tmp) / "out")
        lesson = next(iter(board.banks))
        questions = board.banks[lesson].questions
        store.record(lesson, questions[0].id, "single", "x", False)
        retries, news = [], []
        for n in range(5):
            start = time.perf_counter()
            store.record(lesson, questions[0].id, "single", f"retry {n}", False)
            retries.append(time.perf_counter() - start)
            start = time.perf_counter()
            store.record(lesson, questions[1 + n % (len(questions) - 1)].id, "single", "x", True)
            news.append(time.perf_counter() - start)
            store.reset(lesson) if n % 2 else None
        return statistics.median(retries), statistics.median(news), len(board.banks)


def bench_migration(answers: int = 1000) -> float:
    """Seconds to open a version-1 progress file of ``answers`` answers (migrated and written)."""
    from helpers.quiz.progress import ProgressStore

    recs = [{"id": f"{n:032x}", "notebook": "05_missiles_ukraine", "question_id": f"q-{n % 10}",
             "question_type": "single", "answer": "x", "correct": n % 2 == 0, "attempt": 1 + n // 10,
             "timestamp": f"2026-03-02T09:{n // 60 % 60:02d}:{n % 60:02d}.000000+00:00"}
            for n in range(answers)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "progress.json"
        path.write_text(json.dumps({"format": "us-nato-course-progress", "version": 1,
                                    "student": "Ada", "answers": recs}), encoding="utf-8")
        start = time.perf_counter()
        store = ProgressStore(path)
        seconds = time.perf_counter() - start
        assert len(store.records()) == answers and len(store.backups) == 1
    return seconds


def main() -> None:
    env = dict(os.environ)
    note = ""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _write_bank(folder)
        probe = subprocess.run(
            [sys.executable, "-c", "from helpers import data; data.load('sources')"],
            cwd=REPO, env=env, capture_output=True, text=True)
        if probe.returncode != 0:
            (folder / "data").mkdir()
            env["COURSE_DATA_DIR"] = str(_mini_data(folder / "data"))
            note = " (dataset did not load; used a copy of sources.csv and provisions.csv)"
        runs = []
        for _ in range(FRESH_PROCESSES):
            out = subprocess.run([sys.executable, __file__, "--child", str(folder)], cwd=REPO,
                                 env=env, capture_output=True, text=True)
            if out.returncode != 0:
                raise SystemExit(f"the timed process failed:\n{out.stderr}")
            runs.append(json.loads(out.stdout))
        os.environ.update(env)
        store_total, per_answer = bench_store()
        retry, new, lessons = bench_dashboard()
        migration = bench_migration()
    imports = statistics.median(r["import"] for r in runs)
    first = statistics.median(r["first"] for r in runs)
    warm = statistics.median(r["warm"] for r in runs)
    print(f"Quiz engine benchmark{note}")
    print("(a) 10-question quiz, build + display bundle:")
    print(f"    fresh process: {first * 1000:7.1f} ms  (median of {FRESH_PROCESSES} processes; "
          f"imports before it: {imports * 1000:.0f} ms)")
    print(f"    warm:          {warm * 1000:7.1f} ms  (median of {WARM_RUNS} builds)")
    print(f"(b) {ANSWERS} answers saved through the store with the file lock: "
          f"{store_total * 1000:.0f} ms  ({per_answer * 1000:.2f} ms per answer)")
    print(f"(c) dashboard update after a saved answer ({lessons} lessons; median of 5): "
          f"retry {retry * 1000:.0f} ms, new question {new * 1000:.0f} ms (chart redrawn)")
    print(f"(d) version-1 progress file of 1,000 answers opened (migrated, backed up, written): "
          f"{migration * 1000:.0f} ms")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        main()
