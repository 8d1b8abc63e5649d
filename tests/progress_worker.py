"""Record answers into a progress file from a separate process (used by test_progress.py).

Usage: ``python tests/progress_worker.py <progress file> <count> <tag> [<go file>]``. With a go
file the worker waits until it exists, so several workers start writing at the same moment.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from helpers.quiz.progress import ProgressStore


def main(path: str, count: int, tag: str, go: str | None = None) -> None:
    store = ProgressStore(path)
    if go is not None:
        deadline = time.monotonic() + 60
        while not Path(go).exists():
            if time.monotonic() > deadline:
                raise SystemExit("the go file never appeared")
            time.sleep(0.005)
    for n in range(count):
        store.record(f"lesson-{tag}", f"q-{n % 7}", "single", f"{tag}-{n}", n % 2 == 0)
    if store.warning:
        raise SystemExit(f"store warning: {store.warning}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
