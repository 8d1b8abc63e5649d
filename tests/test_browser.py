"""Every notebook in a real JupyterLab, driven in a real browser (Debian's chromium + Playwright).

    make browser          # or: .venv/bin/python -m pytest -m browser -p no:nbval

One JupyterLab (isolated in a temporary folder, serving a copy of notebooks/) and one browser
serve every test of this module. For each notebook: open it, Run All from the menu, check that
every code cell ran with no error output, answer one quiz question right and one wrong with real
clicks and read the feedback from the page, save a screenshot under
``test-artifacts/screenshots/``; then, on the same page, run axe-core over every output and check
the layout of the quiz (and of the lesson's tables and cards) in 1280, 1024 and 414 px windows,
with a screenshot at each. Then restart the kernel of 00_start_here, run it again and check
that the dashboard still counts those answers. Last, a quiz whose texts carry HTML and script
payloads must show them as text and run none of them.

Without ``/usr/bin/chromium`` the tests skip (``apt-get install chromium``); under CI
(``CI=true``) a missing browser is a failure. Notebook 7 and Voilà (both in requirements.txt) are
tested in ``tests/test_frontends.py``.
"""
from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nbformat
import pytest

import lab_driver
from helpers.lesson.course import lesson_ids_by_stem
from helpers.quiz import bank as quiz_bank
from helpers.quiz.dashboard import were

LESSON_IDS = lesson_ids_by_stem()   # notebook stem -> lesson id

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p.name for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
START = "00_start_here.ipynb"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
RIGHT = "✓ Correct"        # helpers/quiz/fallback.py, feedback_html
WRONG = "✗ Not quite"
# Widget kinds to exercise, rotated per notebook so the course covers all of them.
PREFERENCE = ["single", "multiple", "matching", "numeric", "true_false", "ordering"]

# Answers given through the browser, by notebook: {question id: correct?}; the dashboard test
# checks that they survive a kernel restart.
ANSWERED: dict[str, dict[str, bool]] = {}


@pytest.fixture(scope="module")
def lab() -> Any:
    """(server, browser context): one JupyterLab and one chromium for the whole module."""
    lab_driver.require_browser()
    from playwright.sync_api import sync_playwright

    with lab_driver.LabServer() as server, sync_playwright() as playwright:
        browser = lab_driver.launch_browser(playwright)
        context = lab_driver.new_context(browser, server)
        try:
            yield server, context
        finally:
            context.close()
            browser.close()


@contextmanager
def notebook_page(server: Any, context: Any, notebook: str) -> Iterator[Any]:
    """A browser page with ``notebook`` open; closed, and its kernels shut down, afterwards."""
    page = lab_driver.open_notebook(context, server, notebook)
    try:
        yield page
    finally:
        page.close()
        server.shutdown_sessions()


# --- answering through the page ------------------------------------------------------------------

def _exact(text: str) -> re.Pattern[str]:
    # a hidden empty label adds a zero-width space to a widget's text
    return re.compile(rf"^[\s\u200b]*{re.escape(text)}[\s\u200b]*$")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _labelled_inputs(qloc: Any) -> dict[str, Any]:
    """The question's drop-downs (matching, ordering) by their label's text."""
    found = {}
    rows = qloc.locator(".quiz-select-row")
    for n in range(rows.count()):
        row = rows.nth(n)
        found[row.locator("label").inner_text().strip()] = row.locator("select")
    return found


def _option(qloc: Any, text: str) -> Any:
    """The label of a radio button or check box, by its exact text."""
    return qloc.locator(".quiz-option label").filter(has_text=_exact(text))


def answer(qloc: Any, q: quiz_bank.Question, right: bool) -> None:
    """Set the answer of question ``q`` (right or wrong) with clicks, typing and selects."""
    if q.type in ("single", "true_false"):
        if q.type == "single":
            pick = next(o.text for o in q.options if o.correct is right)
        else:
            pick = "True" if bool(q.answer) is right else "False"
        _option(qloc, pick).click()
    elif q.type == "multiple":
        picks = [o.text for o in q.options if o.correct] if right else \
            [next(o.text for o in q.options if not o.correct)]
        for text in picks:
            _option(qloc, text).click()
    elif q.type == "numeric":
        value = q.answer if q.answer is not None else sum(q.range) / 2  # type: ignore[arg-type]
        if not right:
            value = abs(float(value)) * 3 + 1000
        box = qloc.locator("input.quiz-input")
        box.click()
        box.fill(_number(float(value)))
        box.press("Tab")
    elif q.type == "matching":
        controls = _labelled_inputs(qloc)
        choices = q.right_choices()
        for left, correct in q.pairs:
            pick = correct if right else next(c for c in choices if c != correct)
            controls[left].select_option(label=pick)
    elif q.type == "ordering":
        controls = _labelled_inputs(qloc)
        n = len(q.items)
        for position, item in enumerate(q.items, start=1):
            controls[item].select_option(
                label=str(position if right else n + 1 - position))
    else:
        raise AssertionError(f"no browser answer for question type {q.type}")


def check_and_read(page: Any, qloc: Any, expected: str) -> str:
    """Click Check and return the feedback text once it shows ``expected``."""
    from playwright.sync_api import expect

    qloc.locator("button.quiz-check").click()
    feedback = qloc.locator(".quiz-feedback")
    expect(feedback).to_contain_text(expected, timeout=30_000)
    return feedback.inner_text()


def choose_questions(questions: tuple[quiz_bank.Question, ...], index: int
                     ) -> tuple[quiz_bank.Question | None, quiz_bank.Question | None]:
    """One question to answer right and another to answer wrong, of different kinds if possible."""
    graded = [q for q in questions if q.type in PREFERENCE and not (
        q.type == "ordering" and len(q.items) < 2) and not (
        q.type == "matching" and len(q.right_choices()) < 2)]
    order = PREFERENCE[index % len(PREFERENCE):] + PREFERENCE[:index % len(PREFERENCE)]
    ranked = sorted(graded, key=lambda q: order.index(q.type))
    if not ranked:
        return None, None
    right = ranked[0]
    rest = [q for q in ranked if q is not right]
    rest.sort(key=lambda q: (q.type == right.type, order[::-1].index(q.type)))
    return right, (rest[0] if rest else None)


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    print(f"screenshot: {path.relative_to(REPO)}")
    return path


def answer_quiz(page: Any, notebook: str, index: int) -> dict[str, bool]:
    """Answer one question right and one wrong in the page; return {id: correct}."""
    bank = quiz_bank.load_bank(LESSON_IDS[notebook.removesuffix(".ipynb")])
    quiz_box = page.locator(f"{lab_driver.PANEL} .quiz")
    assert quiz_box.count() == 1, f"{notebook}: expected one live quiz widget after Run All"
    right, wrong = choose_questions(bank.questions, index)
    assert right is not None and wrong is not None, f"{notebook}: needs two gradable questions"
    given = {}
    for q, correct in ((right, True), (wrong, False)):
        qloc = quiz_box.locator(f".quiz-q-{q.id}")
        qloc.scroll_into_view_if_needed()
        answer(qloc, q, correct)
        text = check_and_read(page, qloc, RIGHT if correct else WRONG)
        assert (WRONG if correct else RIGHT) not in text, f"{q.id}: {text}"
        given[q.id] = correct
    graded = sum(q.graded for q in bank.questions)
    from playwright.sync_api import expect
    expect(quiz_box.locator(".quiz-score")).to_contain_text(f"1 of {graded} correct on first try")
    return given


# --- the tests -----------------------------------------------------------------------------------

@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.removesuffix(".ipynb") for n in NOTEBOOKS])
def test_notebook_runs_in_the_browser_and_its_quiz_answers(lab: Any, notebook: str) -> None:
    server, context = lab
    with notebook_page(server, context, notebook) as page:
        lab_driver.run_all(page, server, notebook)
        counts = lab_driver.execution_counts(page)
        # consecutive from the first shown prompt: a set-up cell whose input is hidden
        # (metadata jupyter.source_hidden) ran first and shows no prompt
        first = int(counts[0].strip("[]:")) if counts and counts[0].strip("[]:").isdigit() else 1
        assert counts == [f"[{n}]:" for n in range(first, first + len(counts))], counts
        cells = nbformat.read(server.root_dir / notebook, 4).cells
        assert first <= 1 + sum(1 for c in cells if c.cell_type == "code"
                                and c.metadata.get("jupyter", {}).get("source_hidden"))
        errors = lab_driver.error_outputs(page)
        assert not errors, f"{notebook} shows error output:\n" + "\n---\n".join(errors)
        broken = lab_driver.broken_images(page)
        assert not broken, f"{notebook} shows broken images: {broken}"
        stem = notebook.removesuffix(".ipynb")
        ANSWERED[stem] = answer_quiz(page, notebook, NOTEBOOKS.index(notebook))
        screenshot(page, stem)
        # the same page, feedback on display (Run All is the expensive part; it is not
        # repeated): axe-core over every output and the layout, at three window widths
        problems = window_problems(page, stem)
        assert not problems, f"{notebook}:\n" + "\n".join(problems)


def test_answers_survive_a_kernel_restart_on_the_dashboard(lab: Any) -> None:
    server, context = lab
    with notebook_page(server, context, START) as page:
        lab_driver.run_all(page, server, START)
        if not ANSWERED:   # run alone (-k): give the answers here first
            ANSWERED["00_start_here"] = answer_quiz(page, START, 0)
        lab_driver.restart_kernel(page, server, START)
        lab_driver.run_all(page, server, START)
        assert not lab_driver.error_outputs(page)
        dashboard = page.locator(f"{lab_driver.PANEL} .dashboard")
        assert dashboard.count() == 1
        dashboard.locator("button.dashboard-refresh").click()
        answered = sum(len(given) for given in ANSWERED.values())
        right = sum(sum(given.values()) for given in ANSWERED.values())
        summary = dashboard.locator(".dashboard-summary")
        from playwright.sync_api import expect
        expect(summary).to_contain_text(f"You have answered {answered} of ")
        expect(summary).to_contain_text(f"{were(right)} right on the first try")
        if "00_start_here" in ANSWERED:
            expect(page.locator(f"{lab_driver.PANEL} .quiz .quiz-score")).to_contain_text(
                f"{sum(ANSWERED['00_start_here'].values())} of ")
        lab_driver.wait_idle(page)
        broken = lab_driver.broken_images(page)
        assert not broken, f"the dashboard shows broken images: {broken}"
        dashboard.scroll_into_view_if_needed()
        screenshot(page, "00_start_here-dashboard-after-restart")


SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=2">'
ALERT = "<img src=y onerror=alert(3)>"


def test_quiz_text_with_html_payloads_is_shown_literally(lab: Any, tmp_path: Path) -> None:
    server, context = lab
    quizzes = tmp_path / "quizzes"
    quizzes.mkdir()
    (quizzes / "xss_probe.yaml").write_text(textwrap.dedent(f"""\
        notebook: xss_probe
        title: 'Probe {SCRIPT}'
        questions:
          - id: xss-probe-1
            type: single
            prompt: 'Which is it? {SCRIPT} {IMG}'
            options:
              - text: 'Option {SCRIPT}'
                correct: true
                feedback: 'Feedback {IMG}'
              - text: 'Option {IMG}'
                correct: false
              - text: 'Option {ALERT}'
                correct: false
            explanation: 'Explanation {SCRIPT} {IMG} {ALERT}'
            source_id: S27
        """), encoding="utf-8")
    quiz_bank.load_bank("xss_probe", quizzes)   # the file itself is valid
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(f"import os\nos.environ['COURSE_QUIZ_DIR'] = {str(quizzes)!r}"),
                nbformat.v4.new_code_cell('from helpers.quiz.widgets import quiz\n\nquiz("xss_probe")')]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    name = "zz_xss_probe.ipynb"
    nbformat.write(nb, server.root_dir / name)

    with notebook_page(server, context, name) as page:
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        lab_driver.run_all(page, server, name)
        assert not lab_driver.error_outputs(page)
        qloc = page.locator(f"{lab_driver.PANEL} .quiz .quiz-q-xss-probe-1")
        _option(qloc, f"Option {SCRIPT}").click()
        feedback = check_and_read(page, qloc, RIGHT)
        page.wait_for_timeout(500)
        quiz_box = page.locator(f"{lab_driver.PANEL} .quiz")
        assert SCRIPT in quiz_box.locator(".quiz-title").inner_text()
        prompt = qloc.locator(".quiz-legend").inner_text()
        assert SCRIPT in prompt and IMG in prompt, prompt
        radios = qloc.locator(".quiz-options").inner_text()
        assert all(f"Option {p}" in radios for p in (SCRIPT, IMG, ALERT)), radios
        assert f"Explanation {SCRIPT} {IMG} {ALERT}" in feedback, feedback
        assert f"Feedback {IMG}" in feedback, feedback
        assert quiz_box.locator("script, img").count() == 0
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert dialogs == []
        screenshot(page, "security-probe")


def test_quiz_answers_from_the_keyboard_alone(lab: Any) -> None:
    """Without a mouse: Space picks a radio choice, typing fills a number, Enter on Check checks."""
    from playwright.sync_api import expect

    server, context = lab
    with notebook_page(server, context, START) as page:
        lab_driver.run_all(page, server, START)
        bank = quiz_bank.load_bank(LESSON_IDS["00_start_here"])
        quiz_box = page.locator(f"{lab_driver.PANEL} .quiz")

        tf = next(q for q in bank.questions if q.type == "true_false")
        qloc = quiz_box.locator(f".quiz-q-{tf.id}")
        qloc.scroll_into_view_if_needed()
        label = "True" if tf.answer else "False"
        qloc.locator(".quiz-option").filter(has_text=_exact(label)).locator("input").focus()
        page.keyboard.press("Space")
        qloc.locator("button.quiz-check").focus()
        page.keyboard.press("Enter")
        expect(qloc.locator(".quiz-feedback")).to_contain_text(RIGHT, timeout=30_000)

        number = next(q for q in bank.questions if q.type == "numeric")
        nloc = quiz_box.locator(f".quiz-q-{number.id}")
        nloc.scroll_into_view_if_needed()
        nloc.locator("input.quiz-input").focus()
        value = number.answer if number.answer is not None else sum(number.range) / 2  # type: ignore[arg-type]
        page.keyboard.type(_number(float(value)))
        nloc.locator("button.quiz-check").focus()
        page.keyboard.press("Enter")
        expect(nloc.locator(".quiz-feedback")).to_contain_text(RIGHT, timeout=30_000)
        screenshot(page, "00_start_here-keyboard")


# --- accessibility, keyboard, restore (issue 13) --------------------------------------------------

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OUTPUTS = f"{lab_driver.PANEL} .jp-OutputArea-output"


# axe-core checks these only on what is on screen: the text must be inside the window and
# inside every box that clips or scrolls it (the notebook scrolls inside its own panel).
ON_SCREEN_RULES = ["color-contrast", "link-in-text-block"]
SCREEN_HEIGHT = 10_000   # a tall window: few screenfuls per notebook
# JupyterLab's <body> is 0 px high (the shell is absolutely positioned over it) and clips its
# overflow, so axe-core takes every text as hidden and color-contrast checks only form controls.
# Giving the body the window's height changes nothing on screen and lets axe-core see the text.
_AXE_SEES_THE_SHELL = "() => { document.body.style.height = '100vh'; }"
_SCREENS = """(panel) => {
    const s = document.querySelector(panel + ' .jp-WindowedPanel-outer')
        || document.querySelector(panel + ' .jp-Notebook');
    return [s.scrollHeight, s.clientHeight];
}"""
_SCROLL_TO = """([panel, top]) => {
    const s = document.querySelector(panel + ' .jp-WindowedPanel-outer')
        || document.querySelector(panel + ' .jp-Notebook');
    s.scrollTop = top;
}"""


def _axe(page: Any, context: str, rules: list[str] | None) -> list[dict[str, Any]]:
    """One run of axe-core (the copy ``axe_playwright_python`` ships, put in the page once)."""
    from axe_playwright_python.base import AXE_SCRIPT

    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    page.evaluate(_AXE_SEES_THE_SHELL)
    run_only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": WCAG}
    results = page.evaluate("([context, options]) => axe.run(context, options)",
                            [context, {"runOnly": run_only, "resultTypes": ["violations"]}])
    return list(results["violations"])


def texts_checked_for_contrast(page: Any) -> int:
    """How many elements of the quiz's questions in view axe-core's color-contrast rule checks
    (none if axe-core takes the text for hidden)."""
    from axe_playwright_python.sync_playwright import Axe

    questions = f"{lab_driver.PANEL} .quiz .quiz-widget"
    page.locator(questions).first.evaluate("q => q.scrollIntoView({block: 'start'})")
    page.evaluate(_AXE_SEES_THE_SHELL)
    results = Axe().run(page, context=questions,
                        options={"runOnly": {"type": "rule", "values": ["color-contrast"]}})
    return sum(len(r["nodes"]) for key in ("passes", "violations", "incomplete")
               for r in results.response[key])


def axe_violations(page: Any, context: str = OUTPUTS, rules: list[str] | None = None,
                   every_screen: bool = False) -> list[dict[str, Any]]:
    """axe-core's violations inside ``context`` (every output area by default) of ``rules``
    (default: every WCAG 2.1 A/AA rule). With ``every_screen``, the rules of
    :data:`ON_SCREEN_RULES` among them run again on each screenful of the notebook, top to
    bottom, in a tall window, so they see every output and not only those in view."""
    found = {v["id"]: v for v in _axe(page, context, rules)}
    again = [r for r in ON_SCREEN_RULES if rules is None or r in rules]
    if every_screen and again:
        size = page.viewport_size
        page.set_viewport_size({"width": size["width"], "height": SCREEN_HEIGHT})
        height, screen = page.evaluate(_SCREENS, lab_driver.PANEL)
        for top in range(0, height, max(screen - 100, 100)):
            page.evaluate(_SCROLL_TO, [lab_driver.PANEL, top])
            for violation in _axe(page, context, again):
                known = found.setdefault(violation["id"], {**violation, "nodes": []})
                seen = {tuple(n["target"]) for n in known["nodes"]}
                known["nodes"] += [n for n in violation["nodes"] if tuple(n["target"]) not in seen]
        page.set_viewport_size(size)
    return list(found.values())


def serious(violations: list[dict[str, Any]]) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {len(v['nodes'])} nodes, e.g. {v['nodes'][0]['html'][:160]}"
            for v in violations if v["impact"] in ("serious", "critical")]


def test_the_start_notebook_has_no_serious_accessibility_violation(lab: Any) -> None:
    server, context = lab
    with notebook_page(server, context, START) as page:
        lab_driver.run_all(page, server, START)
        page.wait_for_selector(f"{lab_driver.PANEL} .quiz .quiz-check")
        quiz_box = page.locator(f"{lab_driver.PANEL} .quiz")
        tf = next(q for q in quiz_bank.load_bank(LESSON_IDS["00_start_here"]).questions
                  if q.type == "true_false")
        qloc = quiz_box.locator(f".quiz-q-{tf.id}")
        answer(qloc, tf, False)            # feedback, links and colours are on the page too
        check_and_read(page, qloc, WRONG)
        found = serious(axe_violations(page))
        assert not found, "axe-core, serious or critical:\n" + "\n".join(found)


def _active_cell(page: Any) -> dict[str, Any]:
    return page.evaluate("""(panel) => {
        const cells = [...document.querySelectorAll(panel + ' .jp-Notebook .jp-Cell')];
        return {count: cells.length,
                active: cells.findIndex(c => c.classList.contains('jp-mod-active')),
                kinds: cells.map(c => c.classList.contains('jp-CodeCell') ? 'c' : 'm').join('')};
    }""", lab_driver.PANEL)


def _focused(page: Any) -> str:
    return page.evaluate("() => { const e = document.activeElement; "
                         "return e ? e.tagName.toLowerCase() + '.' + e.className : ''; }")


def test_keys_inside_a_quiz_stay_in_the_quiz(lab: Any) -> None:
    """Arrow and letter keys on a radio button, a drop-down and a check box change neither the
    active cell nor the notebook (JupyterLab's command-mode shortcuts never see them)."""
    server, context = lab
    with notebook_page(server, context, START) as page:
        lab_driver.run_all(page, server, START)
        quiz_box = page.locator(f"{lab_driver.PANEL} .quiz")
        bank = quiz_bank.load_bank(LESSON_IDS["00_start_here"])
        by_type = {q.type: q for q in bank.questions}
        targets = [quiz_box.locator(f".quiz-q-{by_type['single'].id} input[type=radio]").first,
                   quiz_box.locator(f".quiz-q-{by_type['matching'].id} select").first,
                   quiz_box.locator(f".quiz-q-{by_type['multiple'].id} input[type=checkbox]").first]
        targets[0].scroll_into_view_if_needed()
        targets[0].click()
        before = _active_cell(page)
        for target in targets:
            target.focus()
            for key in ("ArrowDown", "ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "a", "b",
                        "m", "y", "x", "c", "v", "d", "d", "z", "j", "k", "Home", "End"):
                page.keyboard.press(key)
            assert _active_cell(page) == before, f"the notebook changed after keys on {target}"
            assert "quiz-input" in _focused(page), _focused(page)
        screenshot(page, "00_start_here-keys-stay")


def test_keys_on_an_exploration_move_its_control_not_the_notebook(lab: Any) -> None:
    """Arrow keys on an exploration's slider and drop-down (01: members by year, events by type)
    change the control's value, and neither the active cell nor the notebook."""
    server, context = lab
    notebook = "01_background.ipynb"
    with notebook_page(server, context, notebook) as page:
        lab_driver.run_all(page, server, notebook)
        slider = page.locator(f"{lab_driver.PANEL} .explore [role=slider]").first
        slider.scroll_into_view_if_needed()
        slider.click()
        before = _active_cell(page)
        value = slider.get_attribute("aria-valuenow")
        for key in ("ArrowLeft", "ArrowLeft", "ArrowDown", "a", "j", "k"):
            page.keyboard.press(key)
        assert _active_cell(page) == before, "the notebook changed after keys on the slider"
        assert slider.get_attribute("aria-valuenow") != value, "the slider did not move"
        choice = page.locator(f"{lab_driver.PANEL} .explore select").first
        choice.scroll_into_view_if_needed()
        choice.focus()                    # its cell becomes the active one
        before = _active_cell(page)
        chosen = choice.input_value()
        for key in ("ArrowDown", "m", "y", "d", "d"):
            page.keyboard.press(key)
        assert _active_cell(page) == before, "the notebook changed after keys on the drop-down"
        assert choice.input_value() != chosen, "the drop-down did not change"
        assert choice.get_attribute("aria-label") or choice.evaluate(
            "s => [...s.labels].some(l => l.textContent.trim())"), "the drop-down has no name"


def _keyboard_answer(page: Any, qloc: Any, q: quiz_bank.Question) -> None:
    """Answer ``q`` right with the keyboard alone: focus its first control, then keys only."""
    if q.type in ("single", "true_false"):
        wanted = next(o.text for o in q.options if o.correct) if q.type == "single" else \
            ("True" if q.answer else "False")
        qloc.locator("input[type=radio]").first.focus()
        page.keyboard.press("Space")
        for _ in range(qloc.locator("input[type=radio]").count()):
            checked = qloc.locator(".quiz-option:has(input:checked) label").inner_text().strip()
            if checked == wanted:
                break
            page.keyboard.press("ArrowDown")
        assert qloc.locator(".quiz-option:has(input:checked) label").inner_text().strip() == wanted
    elif q.type == "multiple":
        right = {o.text for o in q.options if o.correct}
        boxes = qloc.locator(".quiz-option")
        boxes.first.locator("input").focus()
        for n in range(boxes.count()):   # a restored answer may have ticks already
            wanted = boxes.nth(n).locator("label").inner_text().strip() in right
            if wanted != boxes.nth(n).locator("input").is_checked():
                page.keyboard.press("Space")
            if n < boxes.count() - 1:
                page.keyboard.press("Tab")
    elif q.type == "numeric":
        value = q.answer if q.answer is not None else sum(q.range) / 2  # type: ignore[arg-type]
        qloc.locator("input.quiz-input").focus()
        page.keyboard.press("Control+A")
        page.keyboard.type(_number(float(value)))
    elif q.type in ("matching", "ordering"):
        rows = qloc.locator(".quiz-select-row")
        rows.first.locator("select").focus()
        wanted = dict(q.pairs) if q.type == "matching" else \
            {item: str(n) for n, item in enumerate(q.items, start=1)}
        for n in range(rows.count()):
            select = rows.nth(n).locator("select")
            target = wanted[rows.nth(n).locator("label").inner_text().strip()]
            labels = [t.strip() for t in select.locator("option").all_inner_texts()]
            steps = labels.index(target) - select.evaluate("s => s.selectedIndex")
            for _ in range(abs(steps)):
                page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
            assert select.evaluate("s => s.options[s.selectedIndex].text").strip() == target
            if n < rows.count() - 1:
                page.keyboard.press("Tab")
    else:
        qloc.locator("textarea").focus()
        page.keyboard.press("Control+A")
        page.keyboard.type("I expect the replies to offer talks on arms control and little else, "
                           "because both sides said so in public before they were sent.")
    page.keyboard.press("Tab")
    assert "quiz-check" in _focused(page), _focused(page)
    page.keyboard.press("Enter")


def test_every_question_type_answered_by_keyboard_alone(lab: Any) -> None:
    from playwright.sync_api import expect

    server, context = lab
    with notebook_page(server, context, START) as page:
        lab_driver.run_all(page, server, START)
        quiz_box = page.locator(f"{lab_driver.PANEL} .quiz")
        bank = quiz_bank.load_bank(LESSON_IDS["00_start_here"])
        assert {q.type for q in bank.questions} == set(quiz_bank.TYPES)
        for q in bank.questions:
            qloc = quiz_box.locator(f".quiz-q-{q.id}")
            qloc.scroll_into_view_if_needed()
            _keyboard_answer(page, qloc, q)
            live = qloc.locator('[role="status"][aria-live="polite"]')
            expect(live).to_contain_text("✓ Saved" if q.type == "reflection" else RIGHT,
                                         timeout=30_000)
        # every type was answered right; earlier tests may have spent some first tries
        expect(quiz_box.locator(".quiz-score")).to_contain_text(
            f" of {sum(q.graded for q in bank.questions)} correct on first try")
        screenshot(page, "00_start_here-keyboard-every-type")


def test_answers_come_back_after_a_kernel_restart(lab: Any) -> None:
    """Answer three questions of three types, restart the kernel, Run All: answers and feedback
    are on display again, and the score line is unchanged."""
    from playwright.sync_api import expect

    server, context = lab
    with notebook_page(server, context, START) as page:
        lab_driver.run_all(page, server, START)
        quiz_box = page.locator(f"{lab_driver.PANEL} .quiz")
        bank = quiz_bank.load_bank(LESSON_IDS["00_start_here"])
        chosen = [next(q for q in bank.questions if q.type == t)
                  for t in ("single", "numeric", "ordering")]
        for q in chosen:
            qloc = quiz_box.locator(f".quiz-q-{q.id}")
            qloc.scroll_into_view_if_needed()
            answer(qloc, q, q.type != "numeric")
            check_and_read(page, qloc, RIGHT if q.type != "numeric" else WRONG)
        score = quiz_box.locator(".quiz-score").inner_text()

        lab_driver.restart_kernel(page, server, START)
        lab_driver.run_all(page, server, START)
        quiz_box = page.locator(f"{lab_driver.PANEL} .quiz")
        page.wait_for_selector(f"{lab_driver.PANEL} .quiz .quiz-check")
        expect(quiz_box.locator(".quiz-score")).to_have_text(score)
        for q in chosen:
            qloc = quiz_box.locator(f".quiz-q-{q.id}")
            expect(qloc.locator(".quiz-feedback")).to_contain_text("saved last time")
            expect(qloc.locator(".quiz-feedback")).to_contain_text(
                RIGHT if q.type != "numeric" else WRONG)
        single = quiz_box.locator(f".quiz-q-{chosen[0].id}")
        right = next(o.text for o in chosen[0].options if o.correct)
        assert single.locator(".quiz-option:has(input:checked) label").inner_text().strip() == right
        assert quiz_box.locator(f".quiz-q-{chosen[1].id} input.quiz-input").input_value() != ""
        order = _labelled_inputs(quiz_box.locator(f".quiz-q-{chosen[2].id}"))
        for n, item in enumerate(chosen[2].items, start=1):
            assert order[item].evaluate("s => s.options[s.selectedIndex].text").strip() == str(n)
        single.scroll_into_view_if_needed()
        screenshot(page, "00_start_here-restored")


_OVERFLOW = """(panel) => {
    const out = [];
    for (const q of document.querySelectorAll(panel + ' .quiz .quiz-widget')) {
        const box = q.getBoundingClientRect();
        if (q.scrollWidth > q.clientWidth + 1) out.push('scrolls sideways: ' + q.parentElement.className);
        for (const el of q.querySelectorAll('label, input, select, textarea, button')) {
            const r = el.getBoundingClientRect();
            if (r.width === 0 && r.height === 0) continue;   // visually hidden helper text
            if (r.left < box.left - 1 || r.right > box.right + 1)
                out.push('outside its question: ' + el.outerHTML.slice(0, 80));
        }
        const labels = [...q.querySelectorAll('.quiz-option label')].map(l => l.getBoundingClientRect());
        for (let i = 1; i < labels.length; i++)
            if (labels[i].top < labels[i - 1].bottom - 1)
                out.push('labels overlap in ' + q.parentElement.className);
    }
    return out;
}"""


# Every quiz at three windows: 1280 and 1024 px with the file browser open (a laptop, as the
# issue found the overlaps), 414 px with it closed (a phone). Nothing of a question may overlap,
# be cut, leave its question or the view, or be covered where a click lands (_LAYOUT); no output
# may be wider than the notebook, or hold anything but a table wider than itself, or squeeze a
# button's or a label's text until it is cut (_SIDEWAYS; a table may scroll inside its box).
WINDOWS = ((1280, True), (1024, True), (414, False))

_LAYOUT = """(panel) => {
    const out = [];
    const nb = document.querySelector(panel);
    const scroller = nb.querySelector('.jp-WindowedPanel-outer') || nb.querySelector('.jp-Notebook');
    const view = scroller.getBoundingClientRect();
    const left = Math.max(view.left, 0);
    const right = Math.min(view.right, document.documentElement.clientWidth);
    const shown = (el) => {
        const r = el.getBoundingClientRect();
        return r.width > 1 && r.height > 1 && getComputedStyle(el).visibility !== 'hidden';
    };
    const html = (el) => el.outerHTML.slice(0, 90).replace(/\\s+/g, ' ');
    const where = (q) => {
        const m = (q.closest('[class*="quiz-q-"]') || q).className.match(/quiz-q-(\\S+)/);
        return m ? m[1] : '(question)';
    };
    const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
        && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
    const hits = (el, x, y) => {
        const hit = document.elementFromPoint(x, y);
        if (!hit) return false;
        if (hit === el || el.contains(hit)) return true;
        const label = hit.closest('label');   // a click on its label reaches the control
        return !!label && (label.control === el || (el.tagName === 'LABEL' && label === el));
    };
    for (const q of nb.querySelectorAll('.quiz .quiz-widget')) {
        const id = where(q);
        q.scrollIntoView({block: 'start'});
        const box = q.getBoundingClientRect();
        if (box.left < left - 1 || box.right > right + 1)
            out.push(`${id}: the question is out of view (${box.left | 0}-${box.right | 0} px `
                     + `in a view of ${left | 0}-${right | 0} px)`);
        if (q.scrollWidth > q.clientWidth + 1) out.push(`${id}: the question scrolls sideways`);
        const parts = [...q.querySelectorAll('label, input, select, textarea, button')].filter(shown);
        for (const el of parts) {
            const r = el.getBoundingClientRect();
            if (r.left < box.left - 1 || r.right > box.right + 1)
                out.push(`${id}: outside its question: ${html(el)}`);
            if (el.tagName === 'LABEL' && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
                out.push(`${id}: text cut short: ${html(el)}`);
        }
        for (let i = 0; i < parts.length; i++)
            for (let j = i + 1; j < parts.length; j++) {
                const [a, b] = [parts[i], parts[j]];
                if (a.contains(b) || b.contains(a)) continue;
                if (overlap(a.getBoundingClientRect(), b.getBoundingClientRect()))
                    out.push(`${id}: overlap: ${html(a)} / ${html(b)}`);
            }
        for (const el of parts) {
            el.scrollIntoView({block: 'center', inline: 'nearest'});
            const r = el.getBoundingClientRect();
            const [x, y] = [r.left + r.width / 2, r.top + r.height / 2];
            if (x < left || x > right || !hits(el, x, y))
                out.push(`${id}: a click at its centre misses ${html(el)}`);
        }
    }
    return out;
}"""

_SIDEWAYS = """(panel) => {
    const out = [];
    const html = (el) => el.outerHTML.slice(0, 90).replace(/\\s+/g, ' ');
    const page = document.scrollingElement;
    if (page.scrollWidth > page.clientWidth + 1)
        out.push(`the page scrolls sideways (${page.scrollWidth} px)`);
    const nb = document.querySelector(panel);
    const view = (nb.querySelector('.jp-WindowedPanel-outer') || nb.querySelector('.jp-Notebook'))
        .getBoundingClientRect();
    for (const output of nb.querySelectorAll('.jp-OutputArea-output')) {
        const box = output.getBoundingClientRect();
        if (box.right > view.right + 1) out.push(`an output is wider than the notebook: ${html(output)}`);
        // JupyterLab scrolls (or cuts) what is wider than its output: only a table may be
        // (best in a box of its own, helpers/display/tables.py)
        for (const el of output.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            const table = el.closest('table') || el.querySelector('table');
            if (table && table.getBoundingClientRect().right >= r.right - 1) continue;
            const parent = el.parentElement === output ? box : el.parentElement.getBoundingClientRect();
            if (r.width > 0 && r.right > box.right + 1 && (parent === box || parent.right <= box.right + 1))
                out.push(`wider than its output (${r.right - box.right | 0} px): ${html(el)}`);
        }
        // a button or a label squeezed until its text is cut ("…")
        for (const el of output.querySelectorAll('button, label'))
            if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
                out.push(`text cut short: ${html(el)}`);
    }
    return out;
}"""


def show_file_browser(page: Any, show: bool) -> None:
    """Open or close JupyterLab's left side bar on its file browser."""
    current = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
    if show and not current.count():
        page.locator('.jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id="filebrowser"]').click()
        page.wait_for_selector("#filebrowser:not(.lm-mod-hidden)")
    elif not show and current.count():
        current.click()
        page.wait_for_selector("#filebrowser", state="hidden")


def set_window(page: Any, width: int, file_browser: bool) -> None:
    """Resize the window and let JupyterLab lay itself out again."""
    page.set_viewport_size({"width": width, "height": 900})
    show_file_browser(page, file_browser)
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => "
                  "requestAnimationFrame(() => setTimeout(done, 250))))")


def showcase(stem: str) -> str:
    """The question with the longest choice or item text (the hardest to lay out)."""
    bank = quiz_bank.load_bank(LESSON_IDS[stem])

    def longest(q: quiz_bank.Question) -> int:
        texts = [o.text for o in q.options] + list(q.items) + [left for left, _ in q.pairs]
        return max((len(t) for t in texts), default=0)

    return max(bank.questions, key=longest).id


def window_problems(page: Any, stem: str) -> list[str]:
    """At every window of :data:`WINDOWS`, what :data:`_LAYOUT` and :data:`_SIDEWAYS` find;
    at the widest and at a phone's width, axe-core's serious and critical violations over every
    output (a table that scrolls only on a phone must be reachable by keyboard there). A
    screenshot of the question hardest to lay out, at each width."""
    problems = []
    shown = page.locator(f"{lab_driver.PANEL} .quiz .quiz-q-{showcase(stem)}")
    for width, file_browser in WINDOWS:
        set_window(page, width, file_browser)
        found = page.evaluate(_LAYOUT, lab_driver.PANEL) + page.evaluate(_SIDEWAYS, lab_driver.PANEL)
        if width < 600 or width == WINDOWS[0][0]:
            every = width == WINDOWS[0][0]   # colours once; what a phone's width changes at 414
            found += [f"axe-core: {v}" for v in serious(axe_violations(page, every_screen=every))]
        problems += [f"{width} px: {p}" for p in found]
        shown.evaluate("q => q.scrollIntoView({block: 'start'})")
        screenshot(page, f"{stem}-quiz-{width}px")
    return problems


@pytest.mark.parametrize("width", [360, 1024])
def test_the_quiz_fits_a_narrow_window(lab: Any, width: int) -> None:
    """No answer control is pushed out of its question, nothing scrolls sideways, no two
    option labels overlap (a 360 px phone, a 1024 px laptop with the file browser open)."""
    server, context = lab
    with notebook_page(server, context, START) as page:
        lab_driver.run_all(page, server, START)
        # the notebook alone, as on a phone or a laptop that hides the file browser
        current = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
        if current.count():
            current.click()
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(1000)
        problems = page.evaluate(_OVERFLOW, lab_driver.PANEL)
        page.locator(f"{lab_driver.PANEL} .quiz .quiz-widget").first.scroll_into_view_if_needed()
        screenshot(page, f"00_start_here-quiz-{width}px")
        page.set_viewport_size({"width": 1280, "height": 1400})
        assert not problems, "\n".join(problems)


DARK_LESSONS = [START, "05_missiles_ukraine.ipynb"]   # the quiz; a provision lesson's cards


@pytest.fixture(scope="module")
def dark_lab(lab: Any) -> Any:
    """(server, browser context): a JupyterLab of its own whose theme is JupyterLab Dark."""
    browser = lab[1].browser
    dark = {"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}
    with lab_driver.LabServer(settings=dark) as server:
        context = lab_driver.new_context(browser, server)
        try:
            yield server, context
        finally:
            context.close()


@pytest.mark.parametrize("notebook", DARK_LESSONS, ids=[n.removesuffix(".ipynb") for n in DARK_LESSONS])
def test_the_lesson_in_the_dark_theme_passes_colour_contrast(dark_lab: Any, notebook: str) -> None:
    """JupyterLab Dark: the lesson's outputs (cards, tables, charts, the quiz with feedback on
    display) are drawn with --jp-* colours, so axe-core's color-contrast rule passes on all of them."""
    server, context = dark_lab
    with notebook_page(server, context, notebook) as page:
        lab_driver.run_all(page, server, notebook)
        assert not lab_driver.error_outputs(page)
        answer_quiz(page, notebook, NOTEBOOKS.index(notebook))   # right and wrong feedback shown
        assert page.evaluate("document.body.dataset.jpThemeLight") == "false"
        found = [f"{v['id']}: {[n['html'][:100] for n in v['nodes'][:3]]}"
                 for v in axe_violations(page, rules=["color-contrast"], every_screen=True)]
        assert texts_checked_for_contrast(page) >= 5, "axe-core saw no text: is the body 0 px high?"
        stem = notebook.removesuffix(".ipynb")
        for name, selector in (("quiz", ".quiz .quiz-widget"),
                               ("lesson", ":is(.course-card, .course-side-by-side, .course-table)")):
            shown = page.locator(f"{lab_driver.PANEL} {selector}")
            if shown.count():
                shown.first.evaluate("e => e.scrollIntoView({block: 'start'})")
                screenshot(page, f"{stem}-{name}-dark")
        assert not found, found
