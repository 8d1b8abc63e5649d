"""Each notebook runs on its own, in a fresh kernel, from any folder, in any order.

nbval runs the notebooks where they lie, in name order. Here each one is copied alone into an
empty temporary folder and executed there, last notebook first, and its text outputs are
compared with the stored ones: a notebook that leaned on files next to it, on an earlier
notebook's state or on the working directory would differ or fail.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"), reverse=True)
COMPARED = ("text/plain", "text/html", "text/markdown")


def text_outputs(nb: nbformat.NotebookNode) -> list[list[tuple[str, str]]]:
    """Per code cell, its outputs as (kind, text), leaving out images and widget views."""
    found = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for output in cell.outputs:
            if output.output_type == "stream":
                outputs.append((output.name, output.text))
            elif output.output_type in ("execute_result", "display_data"):
                outputs += [(mime, output.data[mime]) for mime in COMPARED if mime in output.data]
            else:
                outputs.append((output.output_type, output.get("evalue", "")))
        found.append(outputs)
    return found


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_alone_in_an_empty_folder(path: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_PROGRESS_DIR", str(tmp_path / "progress"))
    copy = tmp_path / "alone" / path.name
    copy.parent.mkdir()
    shutil.copy(path, copy)
    stored = nbformat.read(copy, as_version=4)
    fresh = nbformat.read(copy, as_version=4)
    NotebookClient(fresh, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(copy.parent)}}).execute()
    assert os.listdir(copy.parent) == [path.name], "the notebook left files behind"
    assert text_outputs(fresh) == text_outputs(stored)
