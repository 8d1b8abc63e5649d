"""The notebooks as saved in git: clean metadata, and a readable quiz where no kernel runs.

Widget state (``metadata.widgets``) breaks GitHub's renderer and changes on every run; execution
timings (``cell.metadata.execution``) and folders of the machine that ran a notebook change from
run to run and machine to machine. A static export
(``jupyter nbconvert --to html``, as nbviewer and GitHub show a notebook) must show each quiz's
questions as text.
"""
from __future__ import annotations

import html
import re
import subprocess
import sys
import tempfile
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


def _machine_paths() -> list[str]:
    """Folders of the machine that ran the notebooks; none may appear in a stored output."""
    folders = {tempfile.gettempdir(), str(Path.home()), str(REPO)}
    return sorted(f for f in folders if len(f) > 3)     # never the root folder itself


def _strings(value: object) -> list[str]:
    """Every text inside a stored output (its data, text and metadata)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _paths_in(output: object) -> list[str]:
    texts = _strings(output)
    return [folder for folder in _machine_paths() if any(folder in text for text in texts)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_saved_notebook_is_clean(path: Path) -> None:
    """What git stores is the same on every machine and every run: no widget state in the
    notebook's metadata (it breaks GitHub's renderer), no widget views in outputs (no state to
    show, a random model id), no execution timings, no folder of the machine that ran it."""
    nb = nbformat.read(path, as_version=4)
    problems = []
    if "widgets" in nb.metadata:
        problems.append("metadata.widgets is stored")
    for n, cell in enumerate(nb.cells):
        if "execution" in cell.metadata:
            problems.append(f"cell {n} carries metadata.execution timings")
        for output in cell.get("outputs", []):
            if WIDGET_VIEW in output.get("data", {}):
                problems.append(f"cell {n} stores a widget view")
            problems += [f"cell {n} shows the path {folder}" for folder in _paths_in(output)]
    assert not problems, f"{path.name} (re-run tools/execute_notebooks.py): " + "; ".join(problems)


def test_the_clean_check_sees_a_machine_path() -> None:
    """The path check can fail: a temporary folder in an output is found."""
    output = {"output_type": "stream", "text": [f"saved in {tempfile.gettempdir()}", "/x.json"]}
    assert tempfile.gettempdir() in _paths_in(output)
    assert _paths_in({"output_type": "stream", "text": "saved in the course folder"}) == []


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
