"""The notebooks as saved in git: clean metadata, and a readable quiz where no kernel runs.

Widget state (``metadata.widgets``) breaks GitHub's renderer and changes on every run; execution
timings (``cell.metadata.execution``) change on every run too. A static export
(``jupyter nbconvert --to html``, as nbviewer and GitHub show a notebook) must show each quiz's
questions as text.
"""
from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from helpers.lesson.course import lesson_ids_by_stem
from helpers.quiz import bank as quiz_bank

REPO = Path(__file__).resolve().parent.parent
LESSONS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
NOTEBOOKS = LESSONS + sorted((REPO / "teacher").glob("*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_widget_state_in_notebook_metadata(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    assert "widgets" not in nb.metadata, f"{path.name}: strip metadata.widgets (tools/execute_notebooks.py)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_widget_views_in_outputs(path: Path) -> None:
    """A stored widget view has no state to show and a random model id: re-running would change it."""
    nb = nbformat.read(path, as_version=4)
    views = [n for n, cell in enumerate(nb.cells)
             for output in cell.get("outputs", []) if WIDGET_VIEW in output.get("data", {})]
    assert not views, f"{path.name}: cells {views} store widget views (tools/execute_notebooks.py strips them)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_execution_timings_in_cells(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    timed = [n for n, cell in enumerate(nb.cells) if "execution" in cell.metadata]
    assert not timed, f"{path.name}: cells {timed} carry metadata.execution timings"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every notebook exported with ``jupyter nbconvert --to html`` (one process for all)."""
    out = tmp_path_factory.mktemp("html")
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "html",
                    "--output-dir", str(out), *map(str, LESSONS)],
                   check=True, capture_output=True, cwd=REPO)
    return out


def _words(text: str) -> str:
    return " ".join(text.split())


def page_text(markup: str) -> str:
    """The visible text of an HTML page: tags dropped, entities decoded, spaces collapsed."""
    markup = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", markup)
    return _words(html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def plain(text: str) -> str:
    """A prompt as shown: the ``*em*``, ``**strong**`` and ```code``` signs removed."""
    return _words(re.sub(r"\*\*|(?<![\w*])\*|\*(?![\w*])|`", "", text))


@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_html_export_shows_the_quiz_questions_as_text(path: Path, exported: Path) -> None:
    bank = quiz_bank.load_bank(lesson_ids_by_stem()[path.stem])
    text = page_text((exported / f"{path.stem}.html").read_text(encoding="utf-8"))
    first = plain(bank.questions[0].prompt)
    assert first in text, f"{path.name}: the first question's prompt is not in the HTML export"
    missing = [q.id for q in bank.questions if plain(q.prompt) not in text]
    assert not missing, f"{path.name}: prompts missing from the HTML export: {missing}"
