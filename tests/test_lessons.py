"""Every lesson notebook has the course's shape: sections, navigation, a quiz that validates,
no facts typed into code, and (for 02–11) one notebook per provision whose quiz covers it.

The notebooks are read as files; executing them is nbval's job (and test_notebooks_standalone's).
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from helpers import data
from helpers.quiz import bank as quiz_bank
from helpers.lesson.course import NAV_MARK, START, lessons, nav_line, read_lesson

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
STEMS = [p.stem for p in NOTEBOOKS]
MIN_QUESTIONS = 6
MIN_TYPES = 3
# Section headings (## level) every lesson has, and those a provision lesson adds.
SECTIONS = ("Key points", "Quiz")
PROVISION_SECTIONS = ("The provision", "What Russia asked", "Background", "The two positions",
                      "After February 2022", "Discussion")
# A number of three or more digits, or a date, typed into code is a fact that belongs in data/.
FACT_IN_CODE = re.compile(r"(?<![\w.])\d{3,}(?![\w])|\d{4}-\d{2}-\d{2}")


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell: dict) -> str:
    return "".join(cell["source"])


def headings(path: Path) -> list[str]:
    found = []
    for cell in cells(path):
        if cell["cell_type"] == "markdown":
            found += [m.group(1).strip() for m in re.finditer(r"^## (.+)$", source(cell), re.MULTILINE)]
    return found


def provision_number(stem: str) -> int | None:
    """Notebooks 02–11 teach provisions 1–10 of the US reply, in order."""
    number = int(stem[:2])
    return number - 1 if 2 <= number <= 11 else None


def test_the_course_has_its_frame() -> None:
    for stem in ("00_start_here", "01_background", "12_russian_reaction", "13_review"):
        assert stem in STEMS, f"notebooks/{stem}.ipynb is missing"


def test_numbers_are_unique_and_in_sequence() -> None:
    numbers = [int(s[:2]) for s in STEMS]
    assert numbers == list(range(len(numbers))), f"notebook numbers are not 00, 01, 02 ...: {STEMS}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=STEMS)
def test_first_cell_has_title_time_objectives(path: Path) -> None:
    lesson = read_lesson(path)
    assert lesson.number == int(path.stem[:2]), f"{path.name}: title number differs from file name"
    assert lesson.minutes is not None, f"{path.name}: first cell needs '**Time:** about N minutes'"
    assert 10 <= lesson.minutes <= 60, f"{path.name}: {lesson.minutes} minutes is not a lesson's length"
    assert len(lesson.objectives) >= 3, f"{path.name}: list at least 3 objectives under '**You will learn**'"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=STEMS)
def test_navigation_is_current_and_points_to_notebooks(path: Path) -> None:
    nav = [line for cell in cells(path) if cell["cell_type"] == "markdown"
           for line in source(cell).split("\n") if line.startswith(NAV_MARK)]
    assert nav, f"{path.name}: no '{NAV_MARK}' line (run tools/update_navigation.py)"
    expected = nav_line(path.stem)
    assert all(line == expected for line in nav), \
        f"{path.name}: navigation out of date; run python tools/update_navigation.py"
    for target in re.findall(r"\]\(([^)#]+)", nav[0]):
        assert (path.parent / target).is_file(), f"{path.name}: link to missing {target}"
    if path.stem != START:
        assert f"]({START}.ipynb#Course-map)" in nav[0]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=STEMS)
def test_required_sections(path: Path) -> None:
    found = headings(path)
    required = (PROVISION_SECTIONS if provision_number(path.stem) else ()) + SECTIONS
    if path.stem == START:
        required = ("Course map", "How the quizzes work", "Your progress", "Key points")
    missing = [s for s in required if s not in found]
    assert not missing, f"{path.name}: missing section(s) {missing}; it has {found}"
    in_order = [s for s in found if s in required]
    assert in_order == list(required), f"{path.name}: sections out of the template's order: {in_order}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=STEMS)
def test_quiz_cell_shows_own_quiz(path: Path) -> None:
    code = [source(c) for c in cells(path) if c["cell_type"] == "code"]
    assert any(f'quiz("{path.stem}")' in c for c in code), \
        f'{path.name}: no cell calls quiz("{path.stem}")'


@pytest.mark.parametrize("path", NOTEBOOKS, ids=STEMS)
def test_quiz_file_validates_with_enough_questions_and_types(path: Path) -> None:
    bank = quiz_bank.load_bank(path.stem)    # raises a QuizBankError naming file, question, field
    assert len(bank.questions) >= MIN_QUESTIONS, f"{bank.path.name}: only {len(bank.questions)} questions"
    types = {q.type for q in bank.questions}
    assert len(types) >= MIN_TYPES, f"{bank.path.name}: only the types {sorted(types)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=STEMS)
def test_no_facts_typed_into_code(path: Path) -> None:
    for index, cell in enumerate(cells(path)):
        if cell["cell_type"] != "code":
            continue
        text = re.sub(r"#.*", "", source(cell))       # comments may explain
        found = FACT_IN_CODE.findall(text)
        assert not found, (f"{path.name}, cell {index}: {found} typed into code; "
                           "take numbers and dates from the dataset")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=STEMS)
def test_no_error_outputs_stored(path: Path) -> None:
    for index, cell in enumerate(cells(path)):
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", f"{path.name}, cell {index}: stored error"
            assert output.get("name") != "stderr", f"{path.name}, cell {index}: stored stderr output"
    assert all(c.get("execution_count") for c in cells(path) if c["cell_type"] == "code"), \
        f"{path.name}: not executed; run python tools/execute_notebooks.py {path.relative_to(REPO)}"


def test_every_provision_has_exactly_one_notebook() -> None:
    provisions = data.provisions()
    taught = Counter(provision_number(s) for s in STEMS if provision_number(s))
    for _, row in provisions.iterrows():
        assert taught[int(row["number"])] == 1, f"provision {row['provision_id']} has {taught[int(row['number'])]} notebooks"
    assert set(taught) == set(provisions["number"].astype(int))


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if provision_number(p.stem)],
                         ids=[s for s in STEMS if provision_number(s)])
def test_provision_notebook_and_quiz_cover_their_provision(path: Path) -> None:
    provisions = data.provisions().set_index("number")
    provision_id = provisions.loc[provision_number(path.stem), "provision_id"]
    code = "\n".join(source(c) for c in cells(path) if c["cell_type"] == "code")
    assert f'"{provision_id}"' in code, f"{path.name}: shows nothing of provision {provision_id}"
    own = [q for q in quiz_bank.load_bank(path.stem).questions if q.notebook == path.stem]
    covering = [q.id for q in own if q.provision_id == provision_id]
    assert len(covering) >= len(own) // 2, \
        f"{path.name}: only {covering} of its {len(own)} questions name provision_id {provision_id}"
    assert {q.type for q in own} & {"matching", "ordering"}, f"{path.name}: no matching or ordering question"


def test_review_reuses_questions_from_other_lessons() -> None:
    bank = quiz_bank.load_bank("13_review")
    borrowed = Counter(q.notebook for q in bank.questions if q.notebook != "13_review")
    lessons_drawn = set(borrowed)
    assert len(lessons_drawn) >= 8, f"13_review draws on only {sorted(lessons_drawn)}"


def test_course_map_lists_every_notebook() -> None:
    assert [lesson.stem for lesson in lessons()] == STEMS


def test_navigation_tool_finds_nothing_stale() -> None:
    """tools/update_navigation.py --check: every nav line and the README's outline are current."""
    result = subprocess.run([sys.executable, str(REPO / "tools" / "update_navigation.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_readme_outline_links_every_notebook() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for lesson in lessons():
        assert f"[{lesson.title}](notebooks/{lesson.file})" in readme


@pytest.mark.parametrize("path", NOTEBOOKS, ids=STEMS)
def test_no_bare_string_results(path: Path) -> None:
    """A cell ending in a string shows it in quotes, like code: print sentences instead."""
    for index, cell in enumerate(cells(path)):
        for output in cell.get("outputs", []):
            text = "".join(output.get("data", {}).get("text/plain", ""))
            assert not text.startswith(("'", '"')), f"{path.name}, cell {index}: shows a quoted string {text[:60]}"
