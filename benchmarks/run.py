"""Benchmarks of what a student waits for, printed as one table.

    make bench            # or: .venv/bin/python benchmarks/run.py [--repeat N]

Each command runs in a fresh Python process (as a new kernel would), several times; the table
shows the median and the ratio to the floor (importing the libraries the course stands on).
Numbers depend on the machine: compare ratios, and re-measure before relying on a figure.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

FLOOR = "import pandas, ipywidgets"
STARTUP = {
    "import pandas, ipywidgets (floor)": FLOOR,
    "import helpers": "import helpers",
    "from helpers import data; data.load_all()": "from helpers import data; data.load_all()",
    "load_all() a second time (cached)": "from helpers import data; data.load_all(); "
                                         "import time; t = time.perf_counter(); data.load_all(); "
                                         "print(time.perf_counter() - t)",
}


def time_command(code: str, repeat: int) -> float:
    """Median wall time, in seconds, of running ``python -c code`` in a fresh process."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([PYTHON, "-c", code], check=True, cwd=REPO / "notebooks",
                       stdout=subprocess.DEVNULL)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def time_in_process(code: str, repeat: int) -> float:
    """Median of the seconds that ``code`` itself prints (for work inside one process)."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run([PYTHON, "-c", code], check=True, cwd=REPO / "notebooks",
                             capture_output=True, text=True).stdout
        runs.append(float(out.strip().splitlines()[-1]))
    return statistics.median(runs)


def folder_size(path: Path) -> int:
    """Bytes used by the files under ``path``."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per measurement (default 7)")
    parser.add_argument("--no-suite", action="store_true",
                        help="skip benchmarks/bench_suite.py (nbval, browser, venv size)")
    args = parser.parse_args()

    rows: list[tuple[str, str, str]] = []
    floor = time_command(FLOOR, args.repeat)
    for label, code in STARTUP.items():
        if "cached" in label:
            seconds = time_in_process(code, args.repeat)
            rows.append((label, f"{seconds * 1000:.2f} ms", ""))
            continue
        seconds = floor if code == FLOOR else time_command(code, args.repeat)
        rows.append((label, f"{seconds:.3f} s", f"{seconds / floor:.2f}x floor"))

    venv = Path(sys.prefix)
    if venv != Path(sys.base_prefix):
        rows.append((f"virtual environment size ({venv.name})", f"{folder_size(venv) / 2**20:.0f} MiB", ""))

    bench_quiz = REPO / "benchmarks" / "bench_quiz.py"
    width = max(len(r[0]) for r in rows)
    print(f"{'measurement':<{width}}  {'median':>10}  ratio")
    for label, value, ratio in rows:
        print(f"{label:<{width}}  {value:>10}  {ratio}")
    print(f"\n(python {sys.version.split()[0]}, {args.repeat} runs each, fresh process per run)")
    if bench_quiz.is_file():
        print()
        sys.stdout.flush()
        subprocess.run([PYTHON, str(bench_quiz)], check=True, cwd=REPO)
    bench_suite = REPO / "benchmarks" / "bench_suite.py"
    if bench_suite.is_file() and not args.no_suite:
        print("\nTest suite, browser and environment (benchmarks/bench_suite.py):")
        sys.stdout.flush()
        subprocess.run([PYTHON, str(bench_suite)], check=True, cwd=REPO)
    return 0


if __name__ == "__main__":
    sys.exit(main())
