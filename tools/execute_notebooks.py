"""Re-execute the course notebooks and store their outputs, ready for strict nbval.

    python tools/execute_notebooks.py                 # every notebook under notebooks/ and teacher/
    python tools/execute_notebooks.py notebooks/00_start_here.ipynb

Each notebook runs top to bottom in a fresh kernel, in its own folder, with student progress in a
fresh temporary folder (so no stored output depends on earlier answers). Widget state, widget
views and execution timings are not stored: they change on every run and break GitHub's renderer.
Where a widget was, its readable text form stays; a live kernel shows the widget itself.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def execute(path: Path) -> float:
    """Execute one notebook in place; return the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="course-progress-") as progress:
        os.environ["COURSE_PROGRESS_DIR"] = progress
        started = time.perf_counter()
        NotebookClient(
            nb,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
            record_timing=False,
            store_widget_state=False,
        ).execute()
        seconds = time.perf_counter() - started
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        for output in cell.get("outputs", []):
            # A widget view points at state that is not stored (see above): it cannot render
            # outside a live kernel, and its random model id would change on every run.
            output.get("data", {}).pop(WIDGET_VIEW, None)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return seconds


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or (sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
                                                   + sorted((REPO / "teacher").glob("*.ipynb")))
    for path in paths:
        seconds = execute(path)
        print(f"{path.relative_to(REPO)}: executed in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
