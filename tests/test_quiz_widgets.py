"""The quiz widgets, driven like a student would: set the answer as the page does, check, read
the feedback.

One anywidget per question (``helpers/quiz/static/quiz.js`` draws it): the page writes the
student's answer into the widget's ``answer`` trait and sends a "check" message; these tests set
the same trait, send the same message (or call ``check``) and read the ``feedback`` trait. Real
progress files, and fixture lesson files written by the tests (never the course's own questions,
which teachers and writers edit): see ``fixture_lessons.py``.
"""
from __future__ import annotations

import hashlib
import html
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from fixture_lessons import source_ids, write_lessons

from helpers.quiz import bank as quiz_bank
from helpers.quiz.progress import ProgressStore
from helpers.quiz.widgets import RUN_LIVE, QuestionView, QuestionWidget, Quiz, markup, question, quiz

REPO = Path(__file__).resolve().parent.parent
STATIC = REPO / "helpers" / "quiz" / "static"
VIEW_MIME = "application/vnd.jupyter.widget-view+json"


# --- set-up -------------------------------------------------------------------------------------

@pytest.fixture
def folder(tmp_path: Path, mini_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of fixture lesson files: alpha (one question of each type), beta, recap."""
    monkeypatch.setenv("COURSE_DATA_DIR", str(mini_data_dir))
    return write_lessons(tmp_path / "quizzes", mini_data_dir)


@pytest.fixture
def store(tmp_path: Path) -> ProgressStore:
    return ProgressStore(tmp_path / "progress" / "progress.json")


@pytest.fixture
def start(folder: Path, store: ProgressStore) -> Quiz:
    return quiz("alpha", folder=folder, store=store)


def view_of(q: Quiz, qtype: str) -> QuestionView:
    [view] = [v for v in q.views if v.question.type == qtype]
    return view


# --- answering like a student: set the widgets' values --------------------------------------------

def choose(view: QuestionView, value: Any) -> None:
    view.widget.answer = value


def tick(view: QuestionView, texts: list[str]) -> None:
    shown = [c["value"] for c in view.widget.spec["choices"]]
    view.widget.answer = [t for t in shown if t in texts]


def type_in(view: QuestionView, text: str) -> None:
    view.widget.answer = text


def select(view: QuestionView, values: dict[str, Any]) -> None:
    answer = dict(view.widget.answer)
    answer.update(values)
    view.widget.answer = answer


def press(view: QuestionView, event: str = "check") -> None:
    """What the page's Check (or Reset) button does: a message to the widget."""
    view.widget._handle_custom_msg({"event": event}, [])


def right_answer(view: QuestionView) -> None:
    q = view.question
    if q.type == "single":
        choose(view, next(o.text for o in q.options if o.correct))
    elif q.type == "multiple":
        tick(view, [o.text for o in q.options if o.correct])
    elif q.type == "true_false":
        choose(view, q.answer)
    elif q.type == "numeric":
        type_in(view, quiz_bank.format_number(q.answer))
    elif q.type == "matching":
        select(view, dict(q.pairs))
    elif q.type == "ordering":
        select(view, {item: n for n, item in enumerate(q.items, start=1)})
    else:
        type_in(view, "I expect the fixture to ask about options, numbers and letters in order.")


def wrong_answer(view: QuestionView) -> None:
    q = view.question
    if q.type == "single":
        choose(view, next(o.text for o in q.options if not o.correct))
    elif q.type == "multiple":
        tick(view, [o.text for o in q.options])   # every box, the distractor too
    elif q.type == "true_false":
        choose(view, not q.answer)
    elif q.type == "numeric":
        type_in(view, "1500")
    elif q.type == "matching":
        rights = [r for _, r in q.pairs]
        select(view, {left: rights[(n + 1) % len(rights)] for n, (left, _) in enumerate(q.pairs)})
    elif q.type == "ordering":
        select(view, {item: len(q.items) - n for n, item in enumerate(q.items)})


GRADED = ["single", "multiple", "true_false", "numeric", "matching", "ordering"]


# --- display ------------------------------------------------------------------------------------

def test_the_quiz_displays_itself_with_fallbacks(start: Quiz) -> None:
    bundle = start._repr_mimebundle_()
    assert set(bundle) == {VIEW_MIME, "text/plain", "text/markdown", "text/html"}
    assert bundle[VIEW_MIME]["model_id"] == start.widget.model_id
    for mime in ("text/plain", "text/markdown", "text/html"):
        assert "children=" not in bundle[mime]
        assert "VBox" not in bundle[mime] and "HTML(value" not in bundle[mime]
    assert repr(start) == bundle["text/plain"]
    assert "quiz" in start.widget._dom_classes


def test_the_fallback_shows_every_question_and_choice_but_no_answer(start: Quiz) -> None:
    bundle = start._repr_mimebundle_()
    plain, md, page = bundle["text/plain"], bundle["text/markdown"], bundle["text/html"]
    for text in (plain, md, page):
        assert "Fixture lesson" in text
        assert RUN_LIVE in text and "JupyterLab" in text and "Binder" in text
    for q in start.bank.questions:
        first_words = " ".join(q.prompt.split()[:6])
        assert first_words in plain
        assert html.escape(first_words, quote=False) in md
        choices = ([o.text for o in q.options] + [left for left, _ in q.pairs]
                   + [r for _, r in q.pairs] + list(q.distractors) + list(q.items))
        for choice in choices:
            assert choice in plain and choice in md.replace("\\", "")
            assert html.escape(choice, quote=False) in page
        for hidden in [o.feedback for o in q.options if o.feedback] + [q.explanation or "§"]:
            first = " ".join(hidden.split()[:10])
            assert first not in plain and first not in md and first not in page
    assert "✓" not in plain and "Correct" not in plain


def test_the_fallback_lists_choices_in_the_shuffled_order(start: Quiz) -> None:
    plain = start._repr_mimebundle_()["text/plain"]
    single = view_of(start, "single").question
    shown = [o.text for o in single.shuffled_options()]
    positions = [plain.index(f"○ {text}") for text in shown]
    assert positions == sorted(positions)
    assert [c["value"] for c in view_of(start, "single").widget.spec["choices"]] == shown
    order = view_of(start, "ordering")
    assert [row["key"] for row in order.widget.spec["rows"]] == order.question.display_items()


def test_the_fallback_is_deterministic_and_free_of_paths(folder: Path, tmp_path: Path) -> None:
    one = quiz("alpha", folder=folder, store=ProgressStore(tmp_path / "a" / "p.json"))
    two = quiz("alpha", folder=folder, store=ProgressStore(tmp_path / "b" / "p.json"))
    right_answer(view_of(two, "single"))
    press(view_of(two, "single"))
    for mime in ("text/plain", "text/markdown", "text/html"):
        a, b = one._repr_mimebundle_()[mime], two._repr_mimebundle_()[mime]
        assert a == b
        assert str(tmp_path) not in a and "progress.json" not in a
        assert not re.search(r"0x[0-9a-f]{6,}|\d{4}-\d\d-\d\dT", a)
    assert one._repr_mimebundle_()[VIEW_MIME] != two._repr_mimebundle_()[VIEW_MIME]


def test_the_fallback_is_the_same_in_another_process(start: Quiz, folder: Path,
                                                     mini_data_dir: Path) -> None:
    code = textwrap.dedent(f"""
        import hashlib, os, tempfile
        os.environ["COURSE_DATA_DIR"] = {str(mini_data_dir)!r}
        from helpers.quiz.progress import ProgressStore
        from helpers.quiz.question_widget import quiz
        q = quiz("alpha", folder={str(folder)!r},
                 store=ProgressStore(os.path.join(tempfile.mkdtemp(), "p.json")))
        b = q._repr_mimebundle_()
        for mime in ("text/plain", "text/markdown", "text/html"):
            print(hashlib.sha256(b[mime].encode()).hexdigest())
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=REPO).stdout.split()
    here = start._repr_mimebundle_()
    assert out == [hashlib.sha256(here[m].encode()).hexdigest()
                   for m in ("text/plain", "text/markdown", "text/html")]


def test_the_progress_location_is_shown_in_the_widget_only(start: Quiz,
                                                           store: ProgressStore) -> None:
    assert html.escape(store.location()) in start.head.value
    assert '<p class="quiz-location">' in start.head.value
    assert "quiz-head" in start.head._dom_classes
    for text in start._repr_mimebundle_().values():
        assert store.location() not in str(text)


# --- the widgets themselves ---------------------------------------------------------------------

def test_widget_kinds_and_no_preselection(start: Quiz) -> None:
    spec = {v.question.type: v.widget.spec for v in start.views}
    answer = {v.question.type: v.widget.answer for v in start.views}
    assert {t: s["kind"] for t, s in spec.items()} == {
        "single": "radio", "true_false": "radio", "multiple": "checkbox", "numeric": "number",
        "matching": "select", "ordering": "select", "reflection": "textarea"}
    assert answer == {"single": None, "true_false": None, "multiple": [], "numeric": "",
                      "matching": {"Apple": None, "Banana": None, "Cherry": None},
                      "ordering": {"One": None, "Two": None, "Three": None, "Four": None},
                      "reflection": ""}
    assert [(c["label"], c["value"]) for c in spec["true_false"]["choices"]] == [
        ("True", True), ("False", False)]
    assert len(spec["multiple"]["choices"]) == 4
    assert [o["label"] for o in spec["ordering"]["rows"][0]["options"]] == ["1", "2", "3", "4"]
    assert spec["numeric"]["unit"] == "apples"
    assert {s["verb"] for t, s in spec.items() if t != "reflection"} == {"Check"}
    assert spec["reflection"]["verb"] == "Save"
    assert all(v.widget.feedback == "" and v.widget.outcome == "" for v in start.views)


def test_one_widget_model_per_question(folder: Path, store: ProgressStore) -> None:
    from ipywidgets.widgets.widget import _instances

    before = set(_instances)
    q = quiz("alpha", folder=folder, store=store)
    created = [_instances[k] for k in set(_instances) - before]
    # the box and its layout, the header and the score line, and one model per question
    assert len(created) == len(q.views) + 4, sorted(type(w).__name__ for w in created)
    assert sum(isinstance(w, QuestionWidget) for w in created) == len(q.views) == 7
    assert all(v.widget.layout is None for v in q.views)


def test_every_part_has_its_css_class(start: Quiz) -> None:
    assert {"quiz"} <= set(start.widget._dom_classes)
    assert "quiz-score" in start.score._dom_classes
    assert "quiz-head" in start.head._dom_classes
    for view in start.views:
        q = view.question
        assert {"quiz-question", f"quiz-type-{q.type}", f"quiz-q-{q.id}"} <= set(
            view.widget._dom_classes)
        assert view.widget in start.widget.children


def test_every_control_has_a_label(start: Quiz) -> None:
    for view in start.views:
        spec = view.widget.spec
        labels = ([c["label"] for c in spec.get("choices", [])]
                  + [r["label"] for r in spec.get("rows", [])]
                  + ([spec["label"]] if "label" in spec else []))
        assert labels and all(label.strip() for label in labels), spec
        assert spec["legend_html"].startswith('<span class="quiz-heading"><strong>Question ')
        assert "<p>" not in spec["legend_html"]   # a legend holds phrasing content only


def test_the_front_end_is_accessible_by_construction() -> None:
    """What the page draws (quiz.js) and how it looks (quiz.css), read as files."""
    js = (STATIC / "quiz.js").read_text(encoding="utf-8")
    css = "".join((STATIC / name).read_text(encoding="utf-8") for name in ("controls.css", "quiz.css"))
    for needle in ('make("fieldset"', 'make("legend"', 'role: "status"', '"aria-live": "polite"',
                   "data-lm-suppress-shortcuts", "stopPropagation", 'name: `${uid}-answer`',
                   'make("label", { for: id }', 'make("select"', 'make("textarea"',
                   'type: "button"'):
        assert needle in js, needle
    # HTML from Python only (escaped there): the legend, the feedback, a panel; texts as text
    assert sorted(re.findall(r"(\w+)\.innerHTML =", js)) == ["box", "feedback", "legend"]
    assert ":focus-visible" in css and "outline:" in css
    assert "text-decoration: underline" in css
    colours = re.findall(r"(?:color|background|border[\w-]*)\s*:\s*([^;]+);", css)
    for value in colours:
        if re.search(r"#[0-9a-f]{3,6}|rgb", value):
            assert value.strip().startswith("var(--jp-") or "var(--jp-" in value, value
    assert not re.search(r"(?<![\w-])width:\s*\d{3,}px", css)   # no fixed widths


def test_the_widget_ships_its_module_and_styles(start: Quiz) -> None:
    state = start.views[0].widget.get_state()
    assert state["_esm"] == (STATIC / "quiz.js").read_text(encoding="utf-8")
    # the rules shared with the dashboard's controls, then the quiz's own
    shared, own = ((STATIC / name).read_text(encoding="utf-8") for name in ("controls.css", "quiz.css"))
    assert state["_css"] == shared + "\n" + own
    assert ".quiz-root" in shared and ".dashboard-start-over" in shared


# --- checking -----------------------------------------------------------------------------------

@pytest.mark.parametrize("qtype", GRADED)
def test_right_then_wrong_for_every_type(start: Quiz, store: ProgressStore, qtype: str) -> None:
    view = view_of(start, qtype)
    q = view.question
    right_answer(view)
    press(view)
    feedback = view.widget.feedback
    assert "✓ Correct" in feedback and "✗" not in feedback.split("</p>")[0]
    for source_id in q.sources:                      # every source, linked
        label, url = quiz_bank.source_link(source_id)
        assert f'<a href="{html.escape(url)}"' in feedback
        assert html.escape(label) in feedback
    assert ("Sources: " if len(q.sources) > 1 else "Source: ") in feedback
    assert markup(" ".join(q.explanation.split()[:8])) in feedback
    [rec] = store.records()
    assert (rec["question_id"], rec["question_type"], rec["correct"], rec["attempt"]) == (
        q.id, qtype, True, 1)
    assert rec["lesson"] == "alpha"
    json.dumps(rec["answer"])
    assert start.score_text().startswith("1 of 6 correct on first try")

    wrong_answer(view)
    press(view)
    assert "✗ Not quite" in view.widget.feedback and "✓ Correct" not in view.widget.feedback
    assert "Attempt 2. Your first try (✓ correct) is what counts" in view.widget.feedback
    assert [r["correct"] for r in store.records()] == [True, False]
    assert start.score_text().startswith("1 of 6 correct on first try")
    assert "1 of 6 correct on first try" in start.score.value


@pytest.mark.parametrize("qtype", GRADED)
def test_wrong_then_right_scores_the_first_try(start: Quiz, store: ProgressStore,
                                               qtype: str) -> None:
    view = view_of(start, qtype)
    wrong_answer(view)
    press(view)
    assert "✗ Not quite" in view.widget.feedback
    assert re.search("Sources?: ", view.widget.feedback)
    right_answer(view)
    press(view)
    assert "✓ Correct" in view.widget.feedback
    assert [r["attempt"] for r in store.records()] == [1, 2]
    assert start.score_text() == "0 of 6 correct on first try · 0 reflections saved"


def test_per_option_feedback_for_what_was_chosen(start: Quiz) -> None:
    single = view_of(start, "single")
    choose(single, "Option two")
    press(single)
    assert "You chose “Option two”: Option two is the second option" in single.widget.feedback
    assert "Option one, the right one”:" not in single.widget.feedback
    multiple = view_of(start, "multiple")
    tick(multiple, ["Seven", "Two"])
    press(multiple)
    assert "“Seven”: Seven is odd." in multiple.widget.feedback
    assert "You ticked 1 of the 3 answers that apply and 1 that do not." in \
        multiple.widget.feedback
    tf = view_of(start, "true_false")
    choose(tf, False)
    press(tf)
    assert "You chose False: It is true, in fact." in tf.widget.feedback


@pytest.mark.parametrize("qtype", GRADED + ["reflection"])
def test_an_empty_submit_asks_kindly_and_records_nothing(start: Quiz, store: ProgressStore,
                                                         qtype: str) -> None:
    view = view_of(start, qtype)
    press(view)
    assert view.widget.feedback.startswith('<p class="quiz-notice">⚠ ')
    assert view.widget.outcome == "incomplete"
    assert "then press" in view.widget.feedback
    assert store.records() == []
    assert start.score_text() == "0 of 6 correct on first try · 0 reflections saved"


def test_partial_matching_and_ordering_are_not_checked(start: Quiz, store: ProgressStore) -> None:
    matching = view_of(start, "matching")
    first_left = matching.question.pairs[0][0]
    select(matching, {first_left: "A"})
    press(matching)
    assert "Choose a match for every item (2 of 3 still to choose)" in matching.widget.feedback
    ordering = view_of(start, "ordering")
    items = ordering.question.items
    select(ordering, {items[0]: 1, items[1]: 2})
    press(ordering)
    assert "Give every item a position from 1 to 4 (2 of 4 still to choose)" in \
        ordering.widget.feedback
    select(ordering, {items[2]: 2, items[3]: 3})
    press(ordering)
    assert "Each position can be used only once: position 2" in ordering.widget.feedback
    assert store.records() == []


def test_numeric_accepts_separators_and_explains_bad_input(start: Quiz,
                                                           store: ProgressStore) -> None:
    view = view_of(start, "numeric")
    type_in(view, "about fifteen hundred")
    press(view)
    assert "is not a number I can read" in view.widget.feedback
    assert "1,550" not in view.widget.feedback and "1550" not in view.widget.feedback
    assert store.records() == []
    for text in ("1550", "1,550", "1 550 apples"):
        press(view, "reset")
        type_in(view, text)
        press(view)
        assert "✓ Correct" in view.widget.feedback, text
        assert "You answered 1,550 apples." in view.widget.feedback
    assert [r["answer"] for r in store.records()] == [1550, 1550, 1550]


def test_checking_twice_records_one_attempt(start: Quiz, store: ProgressStore) -> None:
    view = view_of(start, "single")
    wrong_answer(view)
    press(view)
    press(view)
    assert len(store.records()) == 1
    assert "You already checked this answer" in view.widget.feedback
    assert "✗ Not quite" in view.widget.feedback
    right_answer(view)
    press(view)
    press(view)
    assert [r["attempt"] for r in store.records()] == [1, 2]


def test_an_answer_checked_again_after_starting_over_is_saved(start: Quiz,
                                                              store: ProgressStore) -> None:
    """The dashboard's Start over removes a lesson's answers; the quiz still on screen saves
    the same answer again when Check is pressed, as a first try."""
    view = view_of(start, "single")
    right_answer(view)
    press(view)
    store.start_over(view.lesson)
    assert store.records() == []
    press(view)
    assert [(r["question_id"], r["attempt"]) for r in store.records()] == [(view.question.id, 1)]
    assert "already checked" not in view.widget.feedback


def test_reset_clears_answer_and_feedback_but_not_history(start: Quiz,
                                                          store: ProgressStore) -> None:
    for view in start.views:
        right_answer(view)
        press(view)
        assert view.widget.feedback
    assert start.score_text() == "6 of 6 correct on first try · 1 reflection saved"
    for view in start.views:
        press(view, "reset")
        assert view.widget.feedback == ""
        assert view.check().outcome == "incomplete"   # the answer is gone
        view.widget.feedback = ""
    answers = {v.question.type: v.widget.answer for v in start.views}
    assert answers["single"] is None and answers["true_false"] is None
    assert answers["multiple"] == [] and answers["numeric"] == "" and answers["reflection"] == ""
    assert all(v is None for v in [*answers["matching"].values(), *answers["ordering"].values()])
    assert len(store.records()) == 7
    assert start.score_text() == "6 of 6 correct on first try · 1 reflection saved"
    view = view_of(start, "single")
    right_answer(view)
    press(view)   # after a reset the same answer is a new attempt
    assert len(store.records()) == 8 and store.records()[-1]["attempt"] == 2


def test_reflection_is_saved_not_graded(start: Quiz, store: ProgressStore) -> None:
    view = view_of(start, "reflection")
    type_in(view, "Too short to count.")
    press(view)
    assert "Write at least 10 words (you have 4 so far)" in view.widget.feedback
    assert store.records() == []
    right_answer(view)
    press(view)
    assert "✓ Saved" in view.widget.feedback
    assert "Source: " in view.widget.feedback
    [rec] = store.records()
    assert rec["correct"] is None and rec["question_type"] == "reflection"
    assert rec["answer"].startswith("I expect the fixture")
    assert start.score_text() == "0 of 6 correct on first try · 1 reflection saved"
    assert "1 reflection saved" in start.score.value


def test_the_score_line_updates_live(start: Quiz) -> None:
    assert "0 of 6 correct on first try" in start.score.value
    for n, qtype in enumerate(GRADED, start=1):
        view = view_of(start, qtype)
        (right_answer if n % 2 else wrong_answer)(view)
        press(view)
        assert f"{(n + 1) // 2} of 6 correct on first try" in start.score.value


def test_progress_survives_a_restart(folder: Path, store: ProgressStore) -> None:
    before = quiz("alpha", folder=folder, store=store)
    right_answer(view_of(before, "numeric"))
    press(view_of(before, "numeric"))
    after = quiz("alpha", folder=folder, store=ProgressStore(store.path))
    assert after.score_text().startswith("1 of 6 correct on first try")
    wrong_answer(view_of(after, "numeric"))
    press(view_of(after, "numeric"))
    assert ProgressStore(store.path).records()[-1]["attempt"] == 2


# --- fallback modes of the store ----------------------------------------------------------------

def test_no_warning_line_normally(start: Quiz) -> None:
    assert "role=\"alert\"" not in start.head.value and "⚠" not in start.head.value


def test_a_corrupt_store_shows_a_warning_and_keeps_working(folder: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad" / "progress.json"
    path.parent.mkdir()
    path.write_text("{oops", encoding="utf-8")
    q = quiz("alpha", folder=folder, store=ProgressStore(path))
    assert '<p class="quiz-warning-text" role="alert">⚠ Your progress file could not be read' \
        in q.head.value
    right_answer(view_of(q, "single"))
    press(view_of(q, "single"))
    assert "✓ Correct" in view_of(q, "single").widget.feedback
    assert len(ProgressStore(path).records()) == 1


def test_an_unwritable_store_keeps_the_quiz_working(folder: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    store = ProgressStore(blocker / "progress.json")
    q = quiz("alpha", folder=folder, store=store)
    assert "kept in memory only" in q.head.value
    for view in q.views:
        right_answer(view)
        press(view)
    assert q.score_text() == "6 of 6 correct on first try · 1 reflection saved"
    assert len(store.records()) == 7


# --- escaping and markup ------------------------------------------------------------------------

EVIL = "<script>alert('x')</script><img src=x onerror=alert(1)>"


@pytest.fixture
def evil(folder: Path, store: ProgressStore, mini_data_dir: Path) -> Quiz:
    """A schema-1 file (still read) whose every text is a script."""
    e = json.dumps(EVIL)
    source = source_ids(mini_data_dir)[0]
    (folder / "99_evil.yaml").write_text(textwrap.dedent(f"""\
        notebook: 99_evil
        title: {e}
        questions:
          - id: evil-single
            type: single
            prompt: {json.dumps("Which? " + EVIL)}
            options:
              - {{text: {e}, correct: true, feedback: {e}}}
              - {{text: plain, correct: false}}
            explanation: {e}
            source_id: {source}
          - id: evil-multiple
            type: multiple
            prompt: {e}
            options:
              - {{text: {e}, correct: true, feedback: {e}}}
              - {{text: plain, correct: false}}
            explanation: {e}
            source_id: {source}
          - id: evil-true-false
            type: true_false
            prompt: {e}
            answer: true
            feedback_true: {e}
            explanation: {e}
            source_id: {source}
          - id: evil-numeric
            type: numeric
            prompt: {e}
            answer: 1
            unit: {e}
            explanation: {e}
            source_id: {source}
          - id: evil-matching
            type: matching
            prompt: {e}
            pairs: [{{left: {e}, right: {e}}}, {{left: a, right: b}}]
            explanation: {e}
            source_id: {source}
          - id: evil-ordering
            type: ordering
            prompt: {e}
            items: [{e}, b, c]
            explanation: {e}
            source_id: {source}
          - id: evil-reflection
            type: reflection
            prompt: {e}
            explanation: {e}
            source_id: {source}
        """), encoding="utf-8")
    return quiz("99_evil", folder=folder, store=store)


def assert_escaped(text: str) -> None:
    assert "<script" not in text.lower() and "<img" not in text.lower()
    assert "&lt;script&gt;" in text and "&lt;img src=x onerror=alert(1)&gt;" in text


def test_question_text_is_escaped_in_every_html_value(evil: Quiz) -> None:
    for view in evil.views:
        press(view)   # the friendly prompt
        right_answer(view) if view.question.type != "numeric" else type_in(view, "1")
        if view.question.type == "reflection":
            type_in(view, EVIL)
        press(view)
        assert "✓" in view.widget.feedback
    values = [evil.head.value, evil.score.value] + [
        v.widget.spec["legend_html"] for v in evil.views] + [v.widget.feedback for v in evil.views]
    for value in values:
        assert "<script" not in value.lower() and "<img" not in value.lower(), value
    for view in evil.views:
        assert_escaped(view.widget.spec["legend_html"])
        assert_escaped(view.widget.feedback)
    assert_escaped(evil.head.value)
    # choice texts and labels go to the page as text (quiz.js sets textContent), unescaped
    assert EVIL in [c["label"] for c in view_of(evil, "single").widget.spec["choices"]]


def test_question_text_is_escaped_in_the_fallbacks(evil: Quiz) -> None:
    bundle = evil._repr_mimebundle_()
    assert_escaped(bundle["text/html"])
    assert "<script" not in bundle["text/markdown"].lower()
    assert "<img" not in bundle["text/markdown"].lower()
    assert EVIL in bundle["text/plain"]   # plain text is shown as text, never run


def test_markup_is_applied_after_escaping() -> None:
    assert markup("a *b* **c** `<d>` e") == \
        "a <em>b</em> <strong>c</strong> <code>&lt;d&gt;</code> e"
    assert markup("<b>*x*</b>") == "&lt;b&gt;<em>x</em>&lt;/b&gt;"
    assert markup("2 * 3 * 4") == "2 * 3 * 4"
    assert markup("`**not bold**`") == "<code>**not bold**</code>"


def test_markup_shows_in_the_prompt(start: Quiz) -> None:
    view = view_of(start, "multiple")
    assert "<strong>Select all that apply.</strong>" in view.widget.spec["legend_html"]
    assert "**" not in start._repr_mimebundle_()["text/plain"]


# --- single questions, refs, the default store ---------------------------------------------------

def test_question_shows_one_question(folder: Path, store: ProgressStore) -> None:
    view = question("alpha-true-false", folder=folder, store=store)
    bundle = view._repr_mimebundle_()
    assert set(bundle) == {VIEW_MIME, "text/plain", "text/markdown", "text/html"}
    assert "Two plus two makes four." in bundle["text/plain"]
    assert RUN_LIVE in bundle["text/plain"] and RUN_LIVE in bundle["text/markdown"]
    assert html.escape(RUN_LIVE) in bundle["text/html"]
    assert "children=" not in bundle["text/plain"]
    choose(view, True)
    press(view)
    assert "✓ Correct" in view.widget.feedback
    assert store.records()[0]["lesson"] == "alpha"
    elsewhere = question("alpha-true-false", lesson="beta", folder=folder, store=store)
    choose(elsewhere, False)
    press(elsewhere)
    assert store.records()[1]["lesson"] == "beta"


def test_a_recap_quiz_reuses_questions_by_ref(folder: Path, store: ProgressStore) -> None:
    recap = quiz("recap", folder=folder, store=store)
    assert [v.question.id for v in recap.views] == ["alpha-numeric", "alpha-ordering",
                                                    "recap-single"]
    right_answer(recap.views[0])
    press(recap.views[0])
    assert store.records()[0]["lesson"] == "recap"
    assert recap.score_text() == "1 of 3 correct on first try"
    alpha = quiz("alpha", folder=folder, store=store)
    assert alpha.score_text().startswith("0 of 6")   # the recap's answer counts in the recap only


def test_an_unknown_quiz_is_a_clear_error(folder: Path, store: ProgressStore) -> None:
    with pytest.raises(FileNotFoundError, match="did you mean 'alpha'"):
        quiz("alpah", folder=folder, store=store)


def test_a_quiz_with_the_default_store(folder: Path, mini_data_dir: Path) -> None:
    q = quiz("alpha", folder=folder)
    view = view_of(q, "true_false")
    choose(view, True)
    press(view)
    assert "✓ Correct" in view.widget.feedback
    label, url = quiz_bank.source_link(source_ids(mini_data_dir)[1])
    assert f'Source: <a href="{html.escape(url)}"' in view.widget.feedback
    assert q.store.location().startswith(os.environ["COURSE_PROGRESS_DIR"])


# --- restore on display ------------------------------------------------------------------------

@pytest.mark.parametrize("qtype", GRADED + ["reflection"])
def test_a_question_shown_again_restores_the_last_answer_and_its_feedback(
        folder: Path, store: ProgressStore, qtype: str) -> None:
    first = quiz("alpha", folder=folder, store=store)
    view = view_of(first, qtype)
    wrong_answer(view) if qtype != "reflection" else right_answer(view)
    press(view)
    if qtype != "reflection":
        right_answer(view)
        press(view)
    given, feedback = view.widget.answer, view.widget.feedback
    records = len(store.records())

    again = quiz("alpha", folder=folder, store=ProgressStore(store.path))   # a restarted kernel
    shown = view_of(again, qtype)
    assert shown.restored
    assert shown.widget.answer == given
    assert shown.widget.outcome == ("saved" if qtype == "reflection" else "correct")
    assert "This is the answer you saved last time" in shown.widget.feedback
    assert feedback.split("</p>")[0] == shown.widget.feedback.split("</p>")[0]   # same result line
    if qtype != "reflection":
        assert "Attempt 2. Your first try (✗ not quite) is what counts" in shown.widget.feedback
    press(shown)                               # the same answer again: not a new attempt
    assert len(store.records()) == records
    assert "You already checked this answer" in shown.widget.feedback
    others = [v for v in again.views if v is not shown]
    assert not any(v.restored or v.widget.feedback for v in others)


def test_reset_clears_the_view_and_a_later_display_restores_again(folder: Path,
                                                                   store: ProgressStore) -> None:
    first = quiz("alpha", folder=folder, store=store)
    view = view_of(first, "single")
    right_answer(view)
    press(view)
    press(view, "reset")
    assert view.widget.answer is None and view.widget.feedback == "" and not view.restored
    assert len(store.records()) == 1
    again = quiz("alpha", folder=folder, store=store)
    assert view_of(again, "single").widget.answer == "Option one, the right one"


def test_restore_stays_in_its_lesson(folder: Path, store: ProgressStore) -> None:
    alpha = quiz("alpha", folder=folder, store=store)
    right_answer(view_of(alpha, "numeric"))
    press(view_of(alpha, "numeric"))
    recap = quiz("recap", folder=folder, store=store)
    assert recap.views[0].question.id == "alpha-numeric"
    assert not recap.views[0].restored and recap.views[0].widget.answer == ""
    right_answer(recap.views[0])
    press(recap.views[0])
    assert quiz("recap", folder=folder, store=store).views[0].widget.answer == "1,550"
    assert question("alpha-numeric", folder=folder, store=store).restored


def test_a_saved_answer_that_no_longer_fits_is_not_restored(folder: Path,
                                                           store: ProgressStore) -> None:
    store.record("alpha", "alpha-single", "single", "An option since removed", False)
    store.record("alpha", "alpha-ordering", "ordering", ["One", "Two"], False)
    q = quiz("alpha", folder=folder, store=store)
    for qtype in ("single", "ordering"):
        assert not view_of(q, qtype).restored and view_of(q, qtype).widget.feedback == ""


def test_old_style_controls_still_answer(start: Quiz, store: ProgressStore) -> None:
    """Scripts written against the earlier widgets set ``controls[i].value`` and click."""
    multiple = view_of(start, "multiple")
    for box in multiple.controls:
        box.value = box.description in ("Two", "Four", "Six")
    multiple.check_button.click()
    assert "✓ Correct" in multiple.feedback.value
    ordering = view_of(start, "ordering")
    for dropdown in ordering.controls:
        dropdown.value = ordering.question.items.index(dropdown.description) + 1
    ordering.check_button.click()
    assert "✓ Correct" in ordering.feedback.value
    ordering.reset_button.click()
    assert all(d.value == "" for d in ordering.controls)
    assert [r["correct"] for r in store.records()] == [True, True]


def test_feedback_names_what_was_missed_and_what_is_in_place(start: Quiz) -> None:
    multiple = view_of(start, "multiple")
    tick(multiple, ["Two", "Seven"])
    press(multiple)
    assert "Not ticked, but they apply: “" in multiple.widget.feedback
    assert "Four" in multiple.widget.feedback and "Six" in multiple.widget.feedback
    assert "Ticked, but it does not apply: “Seven”." in multiple.widget.feedback
    ordering = view_of(start, "ordering")
    select(ordering, {"One": 1, "Two": 3, "Three": 2, "Four": 4})
    press(ordering)
    feedback = ordering.widget.feedback
    assert "2 of 4 items are in the right place." in feedback
    assert "✓ right place: 1st, One" in feedback and "✗ not in its place: 2nd, Three" in feedback
    matching = view_of(start, "matching")
    select(matching, {"Apple": "A", "Banana": "C", "Cherry": "B"})
    press(matching)
    assert "✓ right: Apple → A" in matching.widget.feedback
    assert "✗ not right: Banana → C" in matching.widget.feedback


def test_the_page_sends_its_answer_with_each_change_and_with_check(start: Quiz,
                                                                    store: ProgressStore) -> None:
    """quiz.js sends messages (in order, never held back while the kernel is busy); the answer
    it sends is kept without being sent back to the page (that could overwrite typing)."""
    view = view_of(start, "single")
    sent: list[dict[str, Any]] = []
    view.widget._send = lambda msg, buffers=None: sent.append(msg)
    view.widget._handle_custom_msg({"event": "answer", "answer": "Option two"}, [])
    assert view.widget.answer == "Option two"
    assert not any("answer" in m.get("state", {}) for m in sent)
    view.widget._handle_custom_msg({"event": "check", "answer": "Option one, the right one"}, [])
    assert view.widget.answer == "Option one, the right one"
    assert "✓ Correct" in view.widget.feedback
    assert [r["answer"] for r in store.records()] == ["Option one, the right one"]
    assert any("feedback" in m.get("state", {}) for m in sent)
    sent.clear()
    view.widget._handle_custom_msg({"event": "reset"}, [])
    assert any(m.get("state", {}).get("answer", "x") is None for m in sent)   # the page clears
