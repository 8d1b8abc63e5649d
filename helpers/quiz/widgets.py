"""Show a notebook's quiz as widgets; every check is saved by :mod:`helpers.progress`.

In a notebook, one line shows the quiz of that notebook (its questions are in
``data/quizzes/<notebook>.yaml``)::

    from helpers.quiz import quiz
    quiz("open-door")

and ``question("open-door-1")`` shows a single question. The returned object displays itself:
widgets when a kernel runs, and a readable text/Markdown/HTML version of the questions (no
answers) everywhere else (GitHub, nbviewer, HTML export, nbval's comparison).

Feedback is written into HTML widgets (never ``with out:``), so a test can set a widget's value,
call ``button.click()`` and read ``view.feedback.value``. All text from the question files is
HTML-escaped before it is put into HTML; ``*emphasis*``, ``**strong**`` and ```code``` are
applied after escaping.
"""
from __future__ import annotations

import html
import os
import re
from typing import Any, Callable

import ipywidgets as widgets

from helpers.display.text import html_text as _html_text, markup, md_prose as _md_prose, md_text as _md_text, paragraphs as _paragraphs, plain as _plain
from helpers.quiz import bank as quiz_bank
from helpers.quiz.progress import ProgressStore, get_store
from helpers.quiz.bank import Bank, Question, Result

__all__ = ["Quiz", "QuestionView", "markup", "question", "quiz"]

RUN_LIVE = ("To answer, run this cell (or Run All): the quiz needs a running Python kernel. Where "
            "none runs (on GitHub or nbviewer), open the course in JupyterLab or on Binder. The "
            "answers are not shown here.")
HOW_TO = ("Answer each question and press Check. You may try again as often as you like; your "
          "first try is what counts for the score.")
PLACEHOLDER = "— choose —"   # a drop-down's first entry; its value is ""
BLANK = "……"
HINTS = {
    "single": "choose one",
    "multiple": "choose all that apply",
    "true_false": "true or false",
    "numeric": "type a number",
    "matching": "match each item",
    "ordering": "put in order",
    "reflection": "your own words, not graded",
}
_NOTHING = object()

def _add_classes(widget: widgets.DOMWidget, *names: str) -> widgets.DOMWidget:
    for name in names:
        widget.add_class(name)
    return widget


# --- one question -------------------------------------------------------------------------------

class QuestionView:
    """The widgets of one question: prompt, answer controls, Check and Reset, feedback.

    Attributes
    ----------
    controls
        The answer widgets in display order: one RadioButtons (single, true_false), one
        Checkbox per option (multiple), one Text (numeric), one Dropdown per left item
        (matching) or per item (ordering), one Textarea (reflection).
    check_button, reset_button, feedback
        The buttons and the HTML widget that shows feedback.
    widget
        The whole question as one VBox.
    """

    def __init__(self, question: Question, lesson: str, store: ProgressStore,
                 number: int | None = None, total: int | None = None,
                 on_record: Any = None) -> None:
        self.question = question
        self.lesson = lesson
        self.store = store
        self.number = number
        self.total = total
        self._on_record = on_record
        self._last_answer: Any = _NOTHING
        q = question

        self.prompt = _add_classes(widgets.HTML(self._prompt_html()), "quiz-prompt")
        self.controls: list[widgets.DOMWidget] = self._make_controls()
        intro = {"multiple": "Tick every answer that applies:",
                 "matching": "Choose a match for each item:",
                 "ordering": f"Give each item its position, from 1 (first) to {len(q.items)} "
                             "(last):"}.get(q.type)
        children: list[widgets.Widget] = []
        if intro:
            children.append(_add_classes(widgets.Label(intro), "quiz-instructions"))
        if q.type == "numeric" and q.unit:
            children.append(_add_classes(widgets.HBox(
                [self.controls[0], _add_classes(widgets.Label(q.unit), "quiz-unit")]),
                "quiz-answer-row"))
        else:
            children.extend(self.controls)
        self.choices = _add_classes(widgets.VBox(children), "quiz-choices")
        verb = "Save" if q.type == "reflection" else "Check"
        self.check_button = _add_classes(widgets.Button(
            description=verb, button_style="primary",
            tooltip="Save your answer" if q.type == "reflection" else "Check your answer"),
            "quiz-check")
        self.reset_button = _add_classes(widgets.Button(
            description="Reset", tooltip="Clear your answer and the feedback (saved answers stay)"),
            "quiz-reset")
        self.check_button.on_click(lambda _b: self.check())
        self.reset_button.on_click(lambda _b: self.reset())
        self.feedback = _add_classes(widgets.HTML(""), "quiz-feedback")
        buttons = _add_classes(widgets.HBox([self.check_button, self.reset_button]), "quiz-buttons")
        self.widget = _add_classes(
            widgets.VBox([self.prompt, self.choices, buttons, self.feedback]),
            "quiz-question", f"quiz-type-{q.type}", f"quiz-q-{q.id}")

    # --- building -----------------------------------------------------------------------------

    def _heading(self) -> str:
        if self.number is not None and self.total is not None:
            return f"Question {self.number} of {self.total}"
        return "Question"

    def _prompt_html(self) -> str:
        return (f"<p><strong>{self._heading()}</strong> <em>({HINTS[self.question.type]})</em>"
                f"</p>{_paragraphs(self.question.prompt)}")

    def _make_controls(self) -> list[widgets.DOMWidget]:
        q = self.question
        wide = widgets.Layout(width="auto", max_width="100%")
        initial = {"description_width": "initial"}
        if q.type == "single":
            return [_add_classes(widgets.RadioButtons(
                options=[(o.text, o.text) for o in q.shuffled_options()], value=None,
                description="Answer:", style=initial, layout=wide), "quiz-input")]
        if q.type == "true_false":
            return [_add_classes(widgets.RadioButtons(
                options=[("True", True), ("False", False)], value=None, description="Answer:",
                style=initial, layout=wide), "quiz-input")]
        if q.type == "multiple":
            return [_add_classes(widgets.Checkbox(
                value=False, description=o.text, description_allow_html=False, indent=False,
                layout=wide), "quiz-input") for o in q.shuffled_options()]
        if q.type == "numeric":
            return [_add_classes(widgets.Text(
                value="", placeholder="type a number", description="Answer:",
                style=initial), "quiz-input")]
        if q.type == "matching":
            choices = [(PLACEHOLDER, "")] + [(r, r) for r in q.right_choices()]
            return [_add_classes(widgets.Dropdown(
                options=choices, index=0, description=left, tooltip=left, style=initial,
                layout=wide), "quiz-input") for left, _ in q.pairs]
        if q.type == "ordering":
            positions = [(PLACEHOLDER, "")] + [(str(n), n) for n in range(1, len(q.items) + 1)]
            return [_add_classes(widgets.Dropdown(
                options=positions, index=0, description=item, tooltip=item, style=initial,
                layout=wide), "quiz-input") for item in q.display_items()]
        return [_add_classes(widgets.Textarea(
            value="", placeholder="Write your answer here", description="Your answer:",
            rows=4, style=initial, layout=widgets.Layout(width="100%")), "quiz-input")]

    # --- reading and checking -----------------------------------------------------------------

    def response(self) -> Any:
        """The student's current answer, in the form :func:`quiz_bank.check` takes."""
        q = self.question
        if q.type in ("single", "true_false", "numeric", "reflection"):
            return self.controls[0].value
        if q.type == "multiple":
            return [box.description for box in self.controls if box.value]
        return {dd.description: None if dd.value == "" else dd.value for dd in self.controls}

    def check(self) -> Result:
        """Grade the current answer, save it (once per distinct answer), show the feedback."""
        result = quiz_bank.check(self.question, self.response())
        if not result.recordable:
            self.feedback.value = (f'<p class="quiz-notice" role="alert">⚠ '
                                   f"{html.escape(result.message)}</p>")
            return result
        repeated = result.answer == self._last_answer
        if not repeated:
            self.store.record(self.lesson, self.question.id, self.question.type,
                              result.answer, result.correct)
            self._last_answer = result.answer
        self.feedback.value = self._feedback_html(result, repeated)
        if self._on_record is not None:
            self._on_record()
        return result

    def reset(self) -> None:
        """Clear the answer and the feedback (the saved history stays)."""
        for control in self.controls:
            if isinstance(control, widgets.Dropdown):
                control.value = ""   # the placeholder
            elif isinstance(control, widgets.Checkbox):
                control.value = False
            elif isinstance(control, widgets.RadioButtons):
                control.value = None
            else:
                control.value = ""
        self.feedback.value = ""
        self._last_answer = _NOTHING

    def _history(self) -> list[dict[str, Any]]:
        return [r for r in self.store.records(self.lesson)
                if r["question_id"] == self.question.id]

    def _feedback_html(self, result: Result, repeated: bool) -> str:
        q = self.question
        if result.outcome == "saved":
            head = ("<strong>✓ Saved</strong>: your answer is kept with your progress, for you "
                    "and your teacher.")
        elif result.correct:
            head = "<strong>✓ Correct</strong>"
        else:
            head = "<strong>✗ Not quite</strong>: read the explanation, then try again if you like."
        parts = [f'<div class="quiz-result quiz-result-{result.outcome}" role="status">',
                 f"<p>{head}</p>"]
        if result.details:
            items = "".join(f"<li>{markup(line)}</li>" for line in result.details)
            parts.append(f"<ul>{items}</ul>")
        history = self._history()
        if repeated:
            parts.append("<p><em>You already checked this answer; change it to try again."
                         "</em></p>")
        if q.graded and len(history) > 1:
            first = "✓ correct" if history[0]["correct"] else "✗ not quite"
            parts.append(f"<p>Attempt {len(history)}. Your first try ({first}) is what counts "
                         "for the score.</p>")
        if q.explanation:
            parts.append(f'<div class="quiz-explanation">{_paragraphs(q.explanation)}</div>')
        cites = []
        for source_id in q.sources:
            label, url = quiz_bank.source_link(source_id)
            cite = html.escape(label)
            if url:
                cite = (f'<a href="{html.escape(url, quote=True)}" target="_blank" '
                        f'rel="noopener noreferrer">{cite}</a>')
            cites.append(cite)
        word = "Source" if len(cites) == 1 else "Sources"
        parts.append(f'<p class="quiz-source">{word}: {"; ".join(cites)}</p></div>')
        return "".join(parts)

    # --- static versions ----------------------------------------------------------------------

    def to_text(self) -> str:
        """The question and its choices as plain text (no answers)."""
        q = self.question
        lines = [f"{self._heading()} ({HINTS[q.type]})", _plain(" ".join(q.prompt.split()))]
        lines += [f"  {line}" for line in _choice_lines(q, str)]
        return "\n".join(lines)

    def to_markdown(self) -> str:
        """The question and its choices as Markdown (no answers)."""
        q = self.question
        out = [f"**{self._heading()}** *({HINTS[q.type]})*  ", _md_prose(q.prompt), ""]
        out += [f"- {line}" for line in _choice_lines(q, _md_text)]
        return "\n".join(out)

    def to_html(self) -> str:
        """The question and its choices as HTML (no answers)."""
        q = self.question
        items = "".join(f"<li>{line}</li>" for line in _choice_lines(q, _html_text))
        return (f'<div class="quiz-static-question quiz-type-{q.type}">{self._prompt_html()}'
                f"<ul>{items}</ul></div>")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return _bundle(self.widget, f"{self.to_text()}\n\n{RUN_LIVE}",
                       f"{self.to_markdown()}\n\n*{RUN_LIVE}*",
                       f'<div class="quiz-static">{self.to_html()}'
                       f"<p><em>{html.escape(RUN_LIVE)}</em></p></div>")

    def __repr__(self) -> str:
        return self.to_text()


def _choice_lines(q: Question, esc: Callable[[str], str]) -> list[str]:
    """The choices of a question as lines, in display order, with ``esc`` applied to texts."""
    if q.type == "single":
        return [f"○ {esc(o.text)}" for o in q.shuffled_options()]
    if q.type == "multiple":
        return [f"☐ {esc(o.text)}" for o in q.shuffled_options()]
    if q.type == "true_false":
        return ["○ True", "○ False"]
    if q.type == "numeric":
        unit = f" {esc(q.unit)}" if q.unit else ""
        return [f"Answer: {BLANK}{unit}"]
    if q.type == "matching":
        lines = [f"{esc(left)} → {BLANK}" for left, _ in q.pairs]
        return lines + ["Choices: " + " · ".join(esc(r) for r in q.right_choices())]
    if q.type == "ordering":
        return [f"{BLANK} {esc(item)}" for item in q.display_items()] + [
            f"(number the items from 1, first, to {len(q.items)}, last)"]
    words = f" (at least {q.min_words} words)" if q.min_words else ""
    return [f"Your answer: {BLANK}{words}"]


def _bundle(widget: widgets.Widget, text: str, markdown: str, html_text: str) -> dict[str, Any]:
    """The widget's own bundle with readable text, Markdown and HTML fallbacks."""
    bundle = {k: v for k, v in (widget._repr_mimebundle_() or {}).items() if k != "text/plain"}
    bundle.update({"text/plain": text, "text/markdown": markdown, "text/html": html_text})
    return bundle


# --- a whole quiz -------------------------------------------------------------------------------

class Quiz:
    """A notebook's quiz: header, one :class:`QuestionView` per question, a live score line."""

    def __init__(self, bank: Bank, store: ProgressStore) -> None:
        self.bank = bank
        self.store = store
        total = len(bank.questions)
        self.views = [QuestionView(q, bank.lesson, store, n, total, on_record=self.refresh)
                      for n, q in enumerate(bank.questions, start=1)]
        self.title = _add_classes(widgets.HTML(f"<h3>Quiz: {markup(bank.title)}</h3>"),
                                  "quiz-title")
        self.help = _add_classes(widgets.HTML(f"<p>{html.escape(HOW_TO)}</p>"), "quiz-help")
        self.location = _add_classes(widgets.HTML(
            "<p>Your answers are saved on this computer in "
            f"<code>{html.escape(store.location())}</code>.</p>"), "quiz-location")
        self.warning = _add_classes(widgets.HTML(""), "quiz-warning")
        self.score = _add_classes(widgets.HTML(""), "quiz-score")
        self.widget = _add_classes(widgets.VBox(
            [self.title, self.help, self.location, self.warning]
            + [v.widget for v in self.views] + [self.score]), "quiz", f"quiz-{bank.lesson}")
        self.refresh()

    def view(self, question_id: str) -> QuestionView:
        """Return the view of one question of this quiz by id."""
        for v in self.views:
            if v.question.id == question_id:
                return v
        raise KeyError(f"the quiz {self.bank.lesson} has no question {question_id!r}")

    def score_text(self) -> str:
        """E.g. ``"4 of 6 correct on first try · 1 reflection saved"`` (from saved answers)."""
        first: dict[str, dict[str, Any]] = {}
        for rec in self.store.records(self.bank.lesson):
            first.setdefault(rec["question_id"], rec)
        graded = [q for q in self.bank.questions if q.graded]
        right = sum(1 for q in graded if first.get(q.id, {}).get("correct") is True)
        text = f"{right} of {len(graded)} correct on first try"
        reflections = [q for q in self.bank.questions if not q.graded]
        if reflections:
            saved = sum(1 for q in reflections if q.id in first)
            text += f" · {saved} reflection{'' if saved == 1 else 's'} saved"
        return text

    def refresh(self) -> None:
        """Update the score line and the warning line from the progress store."""
        self.score.value = f"<p><strong>Score:</strong> {html.escape(self.score_text())}</p>"
        if self.store.warning:
            self.warning.value = f'<p role="alert">⚠ {html.escape(self.store.warning)}</p>'
            self.warning.layout.display = None
        else:
            self.warning.value = ""
            self.warning.layout.display = "none"

    def _header(self) -> tuple[str, int]:
        return self.bank.title, len(self.views)

    def to_text(self) -> str:
        """The quiz as plain text: title, how to run it, every question and its choices."""
        title, n = self._header()
        blocks = [f"Quiz: {_plain(title)} ({n} question{'' if n == 1 else 's'})", RUN_LIVE]
        blocks += [v.to_text() for v in self.views]
        return "\n\n".join(blocks)

    def to_markdown(self) -> str:
        """The quiz as Markdown (no answers)."""
        title, n = self._header()
        blocks = [f"**Quiz: {_md_prose(title)}** ({n} question{'' if n == 1 else 's'})",
                  f"*{RUN_LIVE}*"]
        blocks += [v.to_markdown() for v in self.views]
        return "\n\n".join(blocks)

    def to_html(self) -> str:
        """The quiz as HTML (no answers)."""
        title, n = self._header()
        parts = [f'<div class="quiz-static"><p><strong>Quiz: {markup(title)}</strong> '
                 f"({n} question{'' if n == 1 else 's'})</p>",
                 f"<p><em>{html.escape(RUN_LIVE)}</em></p>"]
        parts += [v.to_html() for v in self.views]
        parts.append("</div>")
        return "".join(parts)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return _bundle(self.widget, self.to_text(), self.to_markdown(), self.to_html())

    def __repr__(self) -> str:
        return self.to_text()


# --- the two calls a notebook makes -------------------------------------------------------------

def quiz(lesson: str, *, folder: str | os.PathLike[str] | None = None,
         store: ProgressStore | None = None) -> Quiz:
    """Return the quiz of a lesson, e.g. ``quiz("open-door")``; it displays itself.

    Parameters
    ----------
    lesson
        The lesson id (the quiz file is ``data/quizzes/<lesson>.yaml``).
    folder
        Another folder of quiz files (default: ``COURSE_QUIZ_DIR`` or ``data/quizzes``).
    store
        Where answers are saved (default: :func:`helpers.progress.get_store`).
    """
    bank = quiz_bank.load_bank(lesson, folder)
    return Quiz(bank, store if store is not None else get_store())


def question(question_id: str, *, lesson: str | None = None,
             folder: str | os.PathLike[str] | None = None,
             store: ProgressStore | None = None) -> QuestionView:
    """Return one question by id, from whichever quiz file defines it; it displays itself.

    Parameters
    ----------
    question_id
        The question's id.
    lesson
        The lesson its answers are saved under (default: the lesson that defines it).
    folder, store
        As for :func:`quiz`.
    """
    q = quiz_bank.find_question(question_id, folder)
    return QuestionView(q, lesson or q.lesson, store if store is not None else get_store())
