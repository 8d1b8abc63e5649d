"""The quiz widgets, driven like a student would: set values, click, read the feedback.

Real ipywidgets, real progress files, and fixture lesson files written by the tests (never the
course's own questions, which teachers and writers edit): see ``fixture_lessons.py``.
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

import ipywidgets as widgets
import pytest
from fixture_lessons import source_ids, write_lessons

from helpers.quiz import bank as quiz_bank
from helpers.quiz.progress import ProgressStore
from helpers.quiz.widgets import PLACEHOLDER, RUN_LIVE, QuestionView, Quiz, markup, question, quiz

REPO = Path(__file__).resolve().parent.parent
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


def all_widgets(root: widgets.Widget) -> list[widgets.Widget]:
    found = [root]
    for child in getattr(root, "children", ()):
        found.extend(all_widgets(child))
    return found


def html_values(root: widgets.Widget) -> list[str]:
    return [w.value for w in all_widgets(root) if isinstance(w, widgets.HTML)]


# --- answering like a student: set the widgets' values --------------------------------------------

def choose(view: QuestionView, value: Any) -> None:
    view.controls[0].value = value


def tick(view: QuestionView, texts: list[str]) -> None:
    for box in view.controls:
        box.value = box.description in texts


def type_in(view: QuestionView, text: str) -> None:
    view.controls[0].value = text


def select(view: QuestionView, values: dict[str, Any]) -> None:
    for dropdown in view.controls:
        if dropdown.description in values:
            dropdown.value = values[dropdown.description]


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
    assert [value for _, value in view_of(start, "single").controls[0].options] == shown
    order = view_of(start, "ordering")
    assert [d.description for d in order.controls] == order.question.display_items()
    assert order.question.display_items() != list(order.question.items)


def test_the_fallback_is_deterministic_and_free_of_paths(folder: Path, tmp_path: Path) -> None:
    one = quiz("alpha", folder=folder, store=ProgressStore(tmp_path / "a" / "p.json"))
    two = quiz("alpha", folder=folder, store=ProgressStore(tmp_path / "b" / "p.json"))
    right_answer(view_of(two, "single"))
    view_of(two, "single").check_button.click()
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
        from helpers.quiz.widgets import quiz
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
    assert html.escape(store.location()) in start.location.value
    assert "quiz-location" in start.location._dom_classes
    for text in start._repr_mimebundle_().values():
        assert store.location() not in str(text)


# --- the widgets themselves ---------------------------------------------------------------------

def test_widget_kinds_and_no_preselection(start: Quiz) -> None:
    kinds = {v.question.type: v.controls for v in start.views}
    assert isinstance(kinds["single"][0], widgets.RadioButtons)
    assert kinds["single"][0].value is None and kinds["single"][0].index is None
    assert isinstance(kinds["true_false"][0], widgets.RadioButtons)
    assert kinds["true_false"][0].value is None
    assert [label for label, _ in kinds["true_false"][0].options] == ["True", "False"]
    assert all(isinstance(c, widgets.Checkbox) and c.value is False for c in kinds["multiple"])
    assert len(kinds["multiple"]) == 4
    assert isinstance(kinds["numeric"][0], widgets.Text) and kinds["numeric"][0].value == ""
    for qtype in ("matching", "ordering"):
        for dropdown in kinds[qtype]:
            assert isinstance(dropdown, widgets.Dropdown)
            assert dropdown.index == 0 and dropdown.label == PLACEHOLDER
    assert [label for label, _ in kinds["ordering"][0].options] == [PLACEHOLDER, "1", "2", "3",
                                                                    "4"]
    assert isinstance(kinds["reflection"][0], widgets.Textarea)
    assert view_of(start, "reflection").check_button.description == "Save"


def test_every_part_has_its_css_class(start: Quiz) -> None:
    assert {"quiz"} <= set(start.widget._dom_classes)
    assert "quiz-score" in start.score._dom_classes
    assert "quiz-warning" in start.warning._dom_classes
    for view in start.views:
        q = view.question
        assert {"quiz-question", f"quiz-type-{q.type}", f"quiz-q-{q.id}"} <= set(
            view.widget._dom_classes)
        assert "quiz-prompt" in view.prompt._dom_classes
        assert "quiz-choices" in view.choices._dom_classes
        assert "quiz-check" in view.check_button._dom_classes
        assert "quiz-reset" in view.reset_button._dom_classes
        assert "quiz-feedback" in view.feedback._dom_classes
        assert view.widget in start.widget.children


def test_every_control_is_labelled(start: Quiz) -> None:
    for view in start.views:
        for control in view.controls:
            assert control.description.strip(), control
            if isinstance(control, widgets.Checkbox):
                assert control.description_allow_html is False
        for button in (view.check_button, view.reset_button):
            assert button.description and button.tooltip
    standard = (widgets.RadioButtons, widgets.Checkbox, widgets.Text, widgets.Textarea,
                widgets.Dropdown, widgets.Button, widgets.HTML, widgets.Label, widgets.Box)
    assert all(isinstance(w, standard) for w in all_widgets(start.widget))


# --- checking -----------------------------------------------------------------------------------

@pytest.mark.parametrize("qtype", GRADED)
def test_right_then_wrong_for_every_type(start: Quiz, store: ProgressStore, qtype: str) -> None:
    view = view_of(start, qtype)
    q = view.question
    right_answer(view)
    view.check_button.click()
    feedback = view.feedback.value
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
    view.check_button.click()
    assert "✗ Not quite" in view.feedback.value and "✓ Correct" not in view.feedback.value
    assert "Attempt 2. Your first try (✓ correct) is what counts" in view.feedback.value
    assert [r["correct"] for r in store.records()] == [True, False]
    assert start.score_text().startswith("1 of 6 correct on first try")
    assert "1 of 6 correct on first try" in start.score.value


@pytest.mark.parametrize("qtype", GRADED)
def test_wrong_then_right_scores_the_first_try(start: Quiz, store: ProgressStore,
                                               qtype: str) -> None:
    view = view_of(start, qtype)
    wrong_answer(view)
    view.check_button.click()
    assert "✗ Not quite" in view.feedback.value
    assert re.search("Sources?: ", view.feedback.value)
    right_answer(view)
    view.check_button.click()
    assert "✓ Correct" in view.feedback.value
    assert [r["attempt"] for r in store.records()] == [1, 2]
    assert start.score_text() == "0 of 6 correct on first try · 0 reflections saved"


def test_per_option_feedback_for_what_was_chosen(start: Quiz) -> None:
    single = view_of(start, "single")
    choose(single, "Option two")
    single.check_button.click()
    assert "You chose “Option two”: Option two is the second option" in single.feedback.value
    assert "Option one, the right one”:" not in single.feedback.value
    multiple = view_of(start, "multiple")
    tick(multiple, ["Seven", "Two"])
    multiple.check_button.click()
    assert "“Seven”: Seven is odd." in multiple.feedback.value
    assert "You ticked 1 of the 3 answers that apply and 1 that do not." in \
        multiple.feedback.value
    tf = view_of(start, "true_false")
    choose(tf, False)
    tf.check_button.click()
    assert "You chose False: It is true, in fact." in tf.feedback.value


@pytest.mark.parametrize("qtype", GRADED + ["reflection"])
def test_an_empty_submit_asks_kindly_and_records_nothing(start: Quiz, store: ProgressStore,
                                                         qtype: str) -> None:
    view = view_of(start, qtype)
    view.check_button.click()
    assert view.feedback.value.startswith('<p class="quiz-notice" role="alert">⚠ ')
    assert "then press" in view.feedback.value
    assert store.records() == []
    assert start.score_text() == "0 of 6 correct on first try · 0 reflections saved"


def test_partial_matching_and_ordering_are_not_checked(start: Quiz, store: ProgressStore) -> None:
    matching = view_of(start, "matching")
    first_left = matching.question.pairs[0][0]
    select(matching, {first_left: "A"})
    matching.check_button.click()
    assert "Choose a match for every item (2 of 3 still to choose)" in matching.feedback.value
    ordering = view_of(start, "ordering")
    items = ordering.question.items
    select(ordering, {items[0]: 1, items[1]: 2})
    ordering.check_button.click()
    assert "Give every item a position from 1 to 4 (2 of 4 still to choose)" in \
        ordering.feedback.value
    select(ordering, {items[2]: 2, items[3]: 3})
    ordering.check_button.click()
    assert "Each position can be used only once: position 2" in ordering.feedback.value
    assert store.records() == []


def test_numeric_accepts_separators_and_explains_bad_input(start: Quiz,
                                                           store: ProgressStore) -> None:
    view = view_of(start, "numeric")
    type_in(view, "about fifteen hundred")
    view.check_button.click()
    assert "is not a number I can read" in view.feedback.value
    for hint in (view.feedback.value, view.controls[0].placeholder):   # no answer given away
        assert "1,550" not in hint and "1550" not in hint
    assert store.records() == []
    for text in ("1550", "1,550", "1 550 apples"):
        view.reset_button.click()
        type_in(view, text)
        view.check_button.click()
        assert "✓ Correct" in view.feedback.value, text
        assert "You answered 1,550 apples." in view.feedback.value
    assert [r["answer"] for r in store.records()] == [1550, 1550, 1550]


def test_checking_twice_records_one_attempt(start: Quiz, store: ProgressStore) -> None:
    view = view_of(start, "single")
    wrong_answer(view)
    view.check_button.click()
    view.check_button.click()
    assert len(store.records()) == 1
    assert "You already checked this answer" in view.feedback.value
    assert "✗ Not quite" in view.feedback.value
    right_answer(view)
    view.check_button.click()
    view.check_button.click()
    assert [r["attempt"] for r in store.records()] == [1, 2]


def test_reset_clears_answer_and_feedback_but_not_history(start: Quiz,
                                                          store: ProgressStore) -> None:
    for view in start.views:
        right_answer(view)
        view.check_button.click()
        assert view.feedback.value
    assert start.score_text() == "6 of 6 correct on first try · 1 reflection saved"
    for view in start.views:
        view.reset_button.click()
        assert view.feedback.value == ""
        assert view.check().outcome == "incomplete"   # the answer is gone
        view.feedback.value = ""
    kinds = {v.question.type: v.controls for v in start.views}
    assert kinds["single"][0].value is None and kinds["true_false"][0].value is None
    assert not any(c.value for c in kinds["multiple"])
    assert kinds["numeric"][0].value == "" and kinds["reflection"][0].value == ""
    assert all(d.index == 0 and d.label == PLACEHOLDER
               for d in kinds["matching"] + kinds["ordering"])
    assert len(store.records()) == 7
    assert start.score_text() == "6 of 6 correct on first try · 1 reflection saved"
    view = view_of(start, "single")
    right_answer(view)
    view.check_button.click()   # after a reset the same answer is a new attempt
    assert len(store.records()) == 8 and store.records()[-1]["attempt"] == 2


def test_reflection_is_saved_not_graded(start: Quiz, store: ProgressStore) -> None:
    view = view_of(start, "reflection")
    type_in(view, "Too short to count.")
    view.check_button.click()
    assert "Write at least 10 words (you have 4 so far)" in view.feedback.value
    assert store.records() == []
    right_answer(view)
    view.check_button.click()
    assert "✓ Saved" in view.feedback.value
    assert "Source: " in view.feedback.value
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
        view.check_button.click()
        assert f"{(n + 1) // 2} of 6 correct on first try" in start.score.value


def test_progress_survives_a_restart(folder: Path, store: ProgressStore) -> None:
    before = quiz("alpha", folder=folder, store=store)
    right_answer(view_of(before, "numeric"))
    view_of(before, "numeric").check_button.click()
    after = quiz("alpha", folder=folder, store=ProgressStore(store.path))
    assert after.score_text().startswith("1 of 6 correct on first try")
    wrong_answer(view_of(after, "numeric"))
    view_of(after, "numeric").check_button.click()
    assert ProgressStore(store.path).records()[-1]["attempt"] == 2


# --- fallback modes of the store ----------------------------------------------------------------

def test_no_warning_line_normally(start: Quiz) -> None:
    assert start.warning.value == "" and start.warning.layout.display == "none"


def test_a_corrupt_store_shows_a_warning_and_keeps_working(folder: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad" / "progress.json"
    path.parent.mkdir()
    path.write_text("{oops", encoding="utf-8")
    q = quiz("alpha", folder=folder, store=ProgressStore(path))
    assert q.warning.layout.display is None
    assert q.warning.value.startswith('<p role="alert">⚠ Your progress file could not be read')
    right_answer(view_of(q, "single"))
    view_of(q, "single").check_button.click()
    assert "✓ Correct" in view_of(q, "single").feedback.value
    assert len(ProgressStore(path).records()) == 1


def test_an_unwritable_store_keeps_the_quiz_working(folder: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    store = ProgressStore(blocker / "progress.json")
    q = quiz("alpha", folder=folder, store=store)
    assert "kept in memory only" in q.warning.value
    for view in q.views:
        right_answer(view)
        view.check_button.click()
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
        view.check_button.click()   # the friendly prompt
        right_answer(view) if view.question.type != "numeric" else type_in(view, "1")
        if view.question.type == "reflection":
            type_in(view, EVIL)
        view.check_button.click()
        assert "✓" in view.feedback.value
    values = html_values(evil.widget)
    assert values
    for value in values:
        assert "<script" not in value.lower() and "<img" not in value.lower(), value
    for view in evil.views:
        assert_escaped(view.prompt.value)
        assert_escaped(view.feedback.value)
    assert_escaped(evil.title.value)
    for box in view_of(evil, "multiple").controls:
        assert box.description_allow_html is False
    for control in all_widgets(evil.widget):
        assert not getattr(control, "description_allow_html", False)


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
    assert "<strong>Select all that apply.</strong>" in view.prompt.value
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
    view.check_button.click()
    assert "✓ Correct" in view.feedback.value
    assert store.records()[0]["lesson"] == "alpha"
    elsewhere = question("alpha-true-false", lesson="beta", folder=folder, store=store)
    choose(elsewhere, False)
    elsewhere.check_button.click()
    assert store.records()[1]["lesson"] == "beta"


def test_a_recap_quiz_reuses_questions_by_ref(folder: Path, store: ProgressStore) -> None:
    recap = quiz("recap", folder=folder, store=store)
    assert [v.question.id for v in recap.views] == ["alpha-numeric", "alpha-ordering",
                                                    "recap-single"]
    right_answer(recap.views[0])
    recap.views[0].check_button.click()
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
    view.check_button.click()
    assert "✓ Correct" in view.feedback.value
    label, url = quiz_bank.source_link(source_ids(mini_data_dir)[1])
    assert f'Source: <a href="{html.escape(url)}"' in view.feedback.value
    assert q.store.location().startswith(os.environ["COURSE_PROGRESS_DIR"])
