"""Every notebook in a real JupyterLab, driven in a real browser (Debian's chromium + Playwright).

    make browser          # or: .venv/bin/python -m pytest -m browser -p no:nbval

One JupyterLab (isolated in a temporary folder, serving a copy of notebooks/) and one browser
serve every test of this module. For each notebook: open it, Run All from the menu, check that
every code cell ran with no error output, answer one quiz question right and one wrong with real
clicks and read the feedback from the page, save a screenshot under
``test-artifacts/screenshots/``. Then restart the kernel of 00_start_here, run it again and check
that the dashboard still counts those answers. Last, a quiz whose texts carry HTML and script
payloads must show them as text and run none of them.

Without ``/usr/bin/chromium`` the tests skip (``apt-get install chromium``); under CI
(``CI=true``) a missing browser is a failure. Only JupyterLab is tested: the classic Notebook 7
frontend (package ``notebook``) is not part of the course's stack.
"""
from __future__ import annotations

import os
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
    missing = lab_driver.browser_missing()
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser tests cannot run under CI: {missing}")
        pytest.skip(missing)
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


def axe_violations(page: Any, context: str = OUTPUTS) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations inside ``context`` (every output area by default)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context,
                        options={"runOnly": {"type": "tag", "values": WCAG},
                                 "resultTypes": ["violations"]})
    return list(results.response["violations"])


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


def test_the_quiz_in_the_dark_theme_passes_colour_contrast(lab: Any) -> None:
    """JupyterLab Dark: the quiz is drawn with --jp-* colours, so axe-core's color-contrast
    rule passes on its text, feedback and links (a server of its own, with that theme)."""
    from axe_playwright_python.sync_playwright import Axe

    browser = lab[1].browser
    dark = {"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}
    with lab_driver.LabServer(settings=dark) as server:
        context = lab_driver.new_context(browser, server)
        try:
            with notebook_page(server, context, START) as page:
                lab_driver.run_all(page, server, START)
                quiz_box = page.locator(f"{lab_driver.PANEL} .quiz")
                bank = quiz_bank.load_bank(LESSON_IDS["00_start_here"])
                for q, right in ((next(q for q in bank.questions if q.type == "true_false"), False),
                                 (next(q for q in bank.questions if q.type == "single"), True)):
                    qloc = quiz_box.locator(f".quiz-q-{q.id}")
                    qloc.scroll_into_view_if_needed()
                    answer(qloc, q, right)
                    check_and_read(page, qloc, RIGHT if right else WRONG)
                assert page.evaluate("document.body.dataset.jpThemeLight") == "false"
                results = Axe().run(page, context=f"{lab_driver.PANEL} .quiz",
                                    options={"runOnly": {"type": "rule", "values": ["color-contrast"]}})
                found = [f"{v['id']}: {[n['html'][:100] for n in v['nodes'][:3]]}"
                         for v in results.response["violations"]]
                assert not found, found
                screenshot(page, "00_start_here-quiz-dark")
        finally:
            context.close()
