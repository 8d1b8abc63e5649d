"""The course beyond JupyterLab: Notebook 7 and Voilà's reading mode, in a real browser.

    python -m pytest -p no:nbval -m browser tests/test_frontends.py     # in .venv

Issue 13: "It runs in JupyterLab 4, Notebook 7 and Voilà". Each test starts its own server,
isolated like tests/test_browser.py's JupyterLab (tests/frontend_driver.py), on a copy of the
course folder, and drives Debian's chromium with Playwright:

- Notebook 7 (``python -m notebook``): open the start lesson, Run All from the menu, answer a
  quiz question right with clicks, read "✓ Correct" from the question's live region, find the
  answer in the progress file; the link to the next lesson opens it in Notebook 7.
- Voilà on its own (``python -m voila notebooks``, the README's reading mode): the lesson runs,
  no code is shown, the quiz is live, an answer gets its feedback, reaches the progress file and
  the dashboard; links to other lessons point to their Voilà pages.
- Voilà as JupyterLab's server extension at ``/voila/render/notebooks/00_start_here.ipynb`` (what
  Binder opens with ``urlpath=voila/render/notebooks/00_start_here.ipynb``): axe-core finds no
  serious or critical violation over the whole page, with feedback shown.

Without Debian's chromium the tests skip (``apt-get install chromium``); under CI
(``CI=true``) a missing browser is a failure.
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import nbformat
import pytest

import frontend_driver
import lab_driver
from helpers.lesson.course import lesson_ids_by_stem, lessons
from helpers.quiz import bank as quiz_bank
from helpers.quiz.dashboard import were
from helpers.quiz.progress import ProgressStore

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
START = "00_start_here.ipynb"
LESSON = lesson_ids_by_stem()[START.removesuffix(".ipynb")]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# what shows a code cell's source (Voilà keeps the code cells, with their outputs only)
CODE = ".cm-editor, .jp-InputArea-editor, .jp-InputPrompt, .jp-CodeCell .jp-InputArea"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless chromium for the module (each test starts its own server)."""
    lab_driver.require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = lab_driver.launch_browser(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


# --- helpers ---------------------------------------------------------------------------------

def one_question(kind: str) -> quiz_bank.Question:
    """The start lesson's first question of type ``kind``."""
    return next(q for q in quiz_bank.load_bank(LESSON).questions if q.type == kind)


def right_text(q: quiz_bank.Question) -> str:
    """The label of the right choice of a single-choice or true/false question."""
    if q.type == "true_false":
        return "True" if q.answer else "False"
    return next(o.text for o in q.options if o.correct)


def saved(server: lab_driver.LabServer) -> list[dict[str, Any]]:
    """The answers the server's kernels saved for the start lesson (its COURSE_PROGRESS_DIR)."""
    path = server.tmp / "progress" / "progress.json"
    assert path.is_file(), f"no progress file at {path}"
    return ProgressStore(path).records(LESSON)


def screenshot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def prompts(page: Any) -> list[str]:
    """The execution prompts of the notebook's code cells, as text (also of cells out of view)."""
    return page.evaluate("""(panel) => [...document.querySelectorAll(
        panel + ' .jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent.trim())""",
                         lab_driver.PANEL)


def shown_code(page: Any, notebook: Path) -> list[str]:
    """Lines of the notebook's code cells that the page's text shows."""
    snippets = frontend_driver.code_snippets(nbformat.read(notebook, 4).cells)
    assert snippets, f"{notebook} has no code"
    return frontend_driver.page_text_has_code(page, snippets)


def serious_axe_violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations of serious or critical impact over the whole page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG},
                                       "resultTypes": ["violations"]})
    return [f"{v['id']} ({v['impact']}): {len(v['nodes'])} nodes, e.g. {v['nodes'][0]['html'][:160]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


# --- Notebook 7 ------------------------------------------------------------------------------

def test_a_lesson_runs_in_notebook_7_and_its_quiz_answers(browser: Any) -> None:
    q = one_question("single")
    with frontend_driver.NotebookServer() as server:
        context = frontend_driver.new_context(browser)
        try:
            page = frontend_driver.open_in_notebook7(context, server, START)
            assert frontend_driver.app_name(page) == "Jupyter Notebook", page.url
            lab_driver.run_all(page, server, START)
            counts = prompts(page)
            first = int(counts[0].strip("[]:"))
            assert counts == [f"[{n}]:" for n in range(first, first + len(counts))], counts
            errors = lab_driver.error_outputs(page)
            assert not errors, "Notebook 7 shows error output:\n" + "\n---\n".join(errors)

            box = page.locator(f"{lab_driver.PANEL} .quiz .quiz-q-{q.id}")
            feedback = frontend_driver.answer_single_right(box, right_text(q))
            assert frontend_driver.WRONG not in feedback, feedback
            screenshot(page, "notebook7-00_start_here")

            # the link to the next lesson opens it in Notebook 7 (a new tab)
            following = lessons()[1]
            nav = page.locator(".jp-RenderedMarkdown a", has_text=following.label).first
            with context.expect_page() as opened:
                nav.click()
            opened.value.wait_for_url(re.compile(rf"/notebooks/notebooks/{re.escape(following.file)}$"))
        finally:
            context.close()
        records = saved(server)
    assert [(r["question_id"], r["correct"], r["answer"]) for r in records] == \
        [(q.id, True, right_text(q))], records


# --- Voilà -----------------------------------------------------------------------------------

def test_reading_mode_in_voila_shows_no_code_and_the_quiz_answers(browser: Any) -> None:
    q = one_question("single")
    with frontend_driver.VoilaServer() as server:
        context = frontend_driver.new_context(browser)
        try:
            server.login(context)
            page = frontend_driver.open_in_voila(context, server.voila_url(START))
            # every cell ran, with no error, and only its outputs are shown: each code cell that
            # has output in the stored notebook has output here
            stored = nbformat.read(server.course / "notebooks" / START, 4).cells
            expected = sum(1 for c in stored if c.cell_type == "code" and c.outputs)
            ran = page.locator(".jp-CodeCell:has(.jp-OutputArea-output)").count()
            assert ran == expected, f"{ran} code cells show output in Voilà, {expected} in the notebook"
            assert page.locator("table.course-map").count() == 1, "the course map is missing"
            errors = page.locator(f":is({lab_driver.STDERR})").all_inner_texts()
            assert not errors, "Voilà shows error output:\n" + "\n---\n".join(errors)
            assert page.locator(CODE).count() == 0, "Voilà shows code cells"
            shown = shown_code(page, server.course / "notebooks" / START)
            assert not shown, f"Voilà shows code: {shown}"

            box = page.locator(f".quiz .quiz-q-{q.id}")
            feedback = frontend_driver.answer_single_right(box, right_text(q))
            assert frontend_driver.WRONG not in feedback, feedback
            from playwright.sync_api import expect

            summary = page.locator(".dashboard .dashboard-summary")
            expect(summary).to_contain_text("You have answered 1 of ")
            expect(summary).to_contain_text(f"{were(1)} right on the first try")
            screenshot(page, "voila-00_start_here")
            links = page.evaluate("""() => [...document.querySelectorAll('a[href]')]
                .map(a => [a.getAttribute('href'), a.href])""")
        finally:
            context.close()
        records = saved(server)
        lesson_files = sorted(p.name for p in (server.course / "notebooks").glob("*.ipynb"))
    assert [(r["question_id"], r["correct"], r["answer"]) for r in records] == \
        [(q.id, True, right_text(q))], records

    # links to other lessons (navigation, course map) point to their Voilà pages
    to_lessons = [(raw, url) for raw, url in links if raw.endswith(".ipynb")]
    assert len(to_lessons) >= len(lesson_files), to_lessons
    for raw, url in to_lessons:
        path = urlsplit(url).path
        assert re.fullmatch(r"/voila/render/[^/]+\.ipynb", path), (raw, url)
        assert posixpath.basename(path) in lesson_files, (raw, url)


def test_reading_mode_at_binders_address_has_no_serious_accessibility_violation(browser: Any) -> None:
    q = one_question("true_false")
    with frontend_driver.CourseLabServer() as server:
        context = lab_driver.new_context(browser, server)   # JupyterLab's login cookie
        try:
            page = frontend_driver.open_in_voila(context, server.voila_url(START))
            assert page.locator(CODE).count() == 0, "Voilà shows code cells"
            box = page.locator(f".quiz .quiz-q-{q.id}")
            frontend_driver.answer_single_right(box, right_text(q))   # feedback is on the page too
            found = serious_axe_violations(page)
            assert not found, "axe-core, serious or critical:\n" + "\n".join(found)
        finally:
            context.close()
        assert [r["question_id"] for r in saved(server)] == [q.id]
