"""The live quiz: one anywidget per question, graded and saved in Python.

A question is one widget model (:class:`QuestionWidget`): the page draws it from ``spec`` with
``helpers/quiz/static/quiz.js`` and ``quiz.css`` (a fieldset with a legend, native inputs with
labels, Check and Reset, a live feedback region) and writes the student's ``answer`` into the
model; Check sends a message, and Python grades it (:func:`helpers.quiz.bank.check`), saves it
(:mod:`helpers.quiz.progress`: the first try counts, a repeated answer is saved once) and sets
``feedback``. When a question is shown again (kernel restart, a reopened notebook, the review)
it shows the last answer saved for it in that lesson, with its feedback; Reset clears the view
and keeps the saved history.

A quiz is a box of its header panel, its questions and its score line. Everything a widget
shows from a lesson file is escaped in Python; the page sets choice texts as text, never HTML.
Without a kernel the text/Markdown/HTML fallback of :mod:`helpers.quiz.fallback` shows.
"""
from __future__ import annotations

import html
import os
import re
from typing import Any

import anywidget
import ipywidgets as widgets
import traitlets

from helpers.display.text import markup, paragraphs
from helpers.quiz import assets, fallback
from helpers.quiz import bank as quiz_bank
from helpers.quiz import types as question_types
from helpers.quiz.bank import Bank, Question, Result
from helpers.quiz.fallback import HOW_TO, RUN_LIVE
from helpers.quiz.progress import ProgressStore, get_store

__all__ = ["HOW_TO", "PLACEHOLDER", "RUN_LIVE", "QuestionView", "QuestionWidget", "Quiz",
           "QuizPanel", "markup", "question", "quiz"]

PLACEHOLDER = "— choose —"   # a drop-down's first entry (quiz.js); its value is ""
VIEW_MIME = "application/vnd.jupyter.widget-view+json"
_NOTHING = object()


class _CourseWidget(anywidget.AnyWidget):
    """An anywidget with the course's ES module and CSS, and no separate layout model."""

    _esm = assets.STATIC / "quiz.js"
    _css = assets.stylesheet("quiz.css")
    # DOMWidget would add a Layout model per widget; the quiz styles itself with quiz.css.
    layout = traitlets.Instance(widgets.Layout, allow_none=True, default_value=None).tag(
        sync=True, **widgets.widget_serialization)


class QuestionWidget(_CourseWidget):
    """One question as one widget model (see ``static/quiz.js`` for what each trait means)."""

    spec = traitlets.Dict().tag(sync=True)
    # set from the page with set_state (as a state update is): no echo goes back to the page
    answer = traitlets.Any(None, allow_none=True).tag(sync=True, echo_update=False)
    feedback = traitlets.Unicode("").tag(sync=True)
    outcome = traitlets.Unicode("").tag(sync=True)


class QuizPanel(_CourseWidget):
    """A block of HTML made in Python (a quiz's header or its score line)."""

    spec = traitlets.Dict({"kind": "panel"}).tag(sync=True)
    value = traitlets.Unicode("").tag(sync=True)


def _legend_html(q: Question, head: str) -> str:
    """Heading, hint and prompt for a ``<legend>`` (phrasing content: spans, not paragraphs)."""
    prompt = re.sub(r"<p>", '<span class="quiz-para">', paragraphs(q.prompt)).replace("</p>", "</span>")
    return (f'<span class="quiz-heading"><strong>{head}</strong> '
            f"<em>({html.escape(question_types.hint(q))})</em></span>{prompt}")


def _bundle(widget: widgets.Widget, text: str, markdown: str, html_text: str) -> dict[str, Any]:
    """The widget's view with readable text, Markdown and HTML fallbacks."""
    raw = widget._repr_mimebundle_()
    data = raw[0] if isinstance(raw, tuple) else (raw or {})
    bundle = {k: v for k, v in data.items() if k == VIEW_MIME}
    bundle.update({"text/plain": text, "text/markdown": markdown, "text/html": html_text})
    return bundle


# --- stand-ins for the old per-control widgets (tests and scripts that set values) -------------

class _Control:
    """One answer control as code sees it: ``.value`` reads and writes part of the answer.

    single, true_false, numeric, reflection: one control, the whole answer; multiple: one per
    option (``description`` = its text, ``value`` = ticked); matching and ordering: one per row
    (``description`` = the row's label, ``value`` = the choice, ``""`` for none).
    """

    def __init__(self, view: QuestionView, part: str | None, description: str) -> None:
        self._view, self._part, self.description = view, part, description

    @property
    def value(self) -> Any:
        answer = self._view.answer
        if self._part is None:
            return answer
        if self._view.widget.spec["kind"] == "checkbox":
            return self._part in (answer or [])
        got = (answer or {}).get(self._part)
        return "" if got is None else got

    @value.setter
    def value(self, value: Any) -> None:
        if self._part is None:
            self._view.answer = value
        elif self._view.widget.spec["kind"] == "checkbox":
            ticked = [t for t in (self._view.answer or []) if t != self._part]
            shown = [c["value"] for c in self._view.widget.spec["choices"]]
            self._view.answer = [t for t in shown if t in ticked or (value and t == self._part)]
        else:
            answer = dict(self._view.answer or {})
            answer[self._part] = None if value == "" else value
            self._view.answer = answer


class _Button:
    def __init__(self, description: str, tooltip: str, action: Any) -> None:
        self.description, self.tooltip, self._action = description, tooltip, action

    def click(self) -> None:
        self._action()


class _Feedback:
    """``view.feedback.value``: the feedback HTML (the widget's ``feedback`` trait)."""

    def __init__(self, widget: QuestionWidget) -> None:
        self._widget = widget

    @property
    def value(self) -> str:
        return str(self._widget.feedback)

    @value.setter
    def value(self, value: str) -> None:
        self._widget.feedback = value


# --- one question -------------------------------------------------------------------------------

class QuestionView:
    """One question: its widget, its grading and saving, its static fallback.

    Attributes
    ----------
    widget
        The :class:`QuestionWidget` (one model). Set ``widget.answer`` as the page does, call
        :meth:`check`, read ``widget.feedback``.
    controls, check_button, reset_button, feedback
        Stand-ins for code written against the earlier widgets: ``controls[i].value``,
        ``check_button.click()``, ``feedback.value``.
    restored
        True when the last saved answer was put back on display.
    """

    def __init__(self, question: Question, lesson: str, store: ProgressStore,
                 number: int | None = None, total: int | None = None,
                 on_record: Any = None, history: list[dict[str, Any]] | None = None) -> None:
        self.question = question
        self.lesson = lesson
        self.store = store
        self.number = number
        self.total = total
        self._on_record = on_record
        self._last_answer: Any = _NOTHING
        self.restored = False
        q = question
        self.type = question_types.get(q.type)
        spec = {"id": q.id, "type": q.type, "legend_html": _legend_html(q, self._heading()),
                "intro": question_types.intro(q) or "", "verb": question_types.verb(q)}
        spec.update(self.type.widget_spec(q))
        self.widget = QuestionWidget(spec=spec, answer=self.type.blank(q))
        for name in ("quiz-question", f"quiz-type-{q.type}", f"quiz-q-{q.id}"):
            self.widget.add_class(name)
        self.widget.on_msg(self._on_message)
        self.feedback = _Feedback(self.widget)
        verb = question_types.verb(q)
        self.check_button = _Button(verb, f"{verb} your answer", self.check)
        self.reset_button = _Button("Reset", "Clear your answer and the feedback (saved answers stay)",
                                    self.reset)
        self.controls = self._controls()
        self._restore(self._history() if history is None else
                      [r for r in history if r["question_id"] == q.id])

    def _controls(self) -> list[_Control]:
        spec = self.widget.spec
        if spec["kind"] == "checkbox":
            return [_Control(self, c["value"], c["label"]) for c in spec["choices"]]
        if spec["kind"] == "select":
            return [_Control(self, row["key"], row["label"]) for row in spec["rows"]]
        return [_Control(self, None, spec.get("label", "Answer"))]

    def _heading(self) -> str:
        return fallback.heading(self.number, self.total)

    # --- the answer -------------------------------------------------------------------------------

    @property
    def answer(self) -> Any:
        """The answer on display, in the type's neutral form (what the page writes)."""
        return self.widget.answer

    @answer.setter
    def answer(self, value: Any) -> None:
        self.widget.answer = value

    def response(self) -> Any:
        """The student's current answer, in the form :func:`helpers.quiz.bank.check` takes."""
        return self.widget.answer

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        """A message from the page: ``answer`` (a change), ``check`` (with the answer), ``reset``."""
        event = content.get("event") if isinstance(content, dict) else None
        if event in ("answer", "check") and "answer" in content:
            # the page has it already: keep it here without sending it back (which could
            # overwrite what the student typed since)
            self.widget.set_state({"answer": content["answer"]})
        if event == "check":
            self.check()
        elif event == "reset":
            self.reset()

    def check(self) -> Result:
        """Grade the current answer, save it (once per distinct answer), show the feedback."""
        q = self.question
        result = quiz_bank.check(q, self.response())
        if not result.recordable:
            self.widget.feedback = fallback.notice_html(result.message)
            self.widget.outcome = "incomplete"
            return result
        # the same answer checked twice is saved once, unless the saved one has gone since
        # (the student started the lesson over from the dashboard)
        repeated = result.answer == self._last_answer and self._last_saved() == result.answer
        if not repeated:
            self.store.record(self.lesson, q.id, q.type, result.answer, result.correct)
            self._last_answer = result.answer
        self.widget.feedback = self._feedback_html(result, repeated=repeated)
        self.widget.outcome = result.outcome
        if self._on_record is not None:
            self._on_record()
        return result

    def reset(self) -> None:
        """Clear the answer and the feedback (the saved history stays)."""
        self.widget.answer = self.type.blank(self.question)
        self.widget.feedback = ""
        self.widget.outcome = ""
        self._last_answer = _NOTHING
        self.restored = False

    def _restore(self, history: list[dict[str, Any]]) -> None:
        """Show the last answer saved for this question in this lesson, with its feedback."""
        if not history:
            return
        response = self.type.from_record(self.question, history[-1].get("answer"))
        if response is None:
            return   # the question has changed since: the saved answer no longer fits
        result = quiz_bank.check(self.question, response)
        if not result.recordable:
            return
        self.widget.answer = response
        self._last_answer = result.answer
        self.widget.feedback = self._feedback_html(result, repeated=False, restored=True,
                                                   history=history)
        self.widget.outcome = result.outcome
        self.restored = True

    def _last_saved(self) -> Any:
        """The answer last saved for this question in this lesson (``_NOTHING`` if none)."""
        history = self._history()
        return history[-1]["answer"] if history else _NOTHING

    def _history(self) -> list[dict[str, Any]]:
        return [r for r in self.store.records(self.lesson) if r["question_id"] == self.question.id]

    def _feedback_html(self, result: Result, repeated: bool, restored: bool = False,
                       history: list[dict[str, Any]] | None = None) -> str:
        return fallback.feedback_html(
            self.question, result, history=self._history() if history is None else history,
            repeated=repeated, restored=restored, cite=quiz_bank.source_link)

    # --- static versions ----------------------------------------------------------------------

    def to_text(self) -> str:
        """The question and its choices as plain text (no answers)."""
        return fallback.question_text(self.question, self._heading())

    def to_markdown(self) -> str:
        """The question and its choices as Markdown (no answers)."""
        return fallback.question_markdown(self.question, self._heading())

    def to_html(self) -> str:
        """The question and its choices as HTML (no answers)."""
        return fallback.question_html(self.question, self._heading())

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return _bundle(self.widget, f"{self.to_text()}\n\n{RUN_LIVE}",
                       f"{self.to_markdown()}\n\n*{RUN_LIVE}*",
                       f'<div class="quiz-static">{self.to_html()}'
                       f"<p><em>{html.escape(RUN_LIVE)}</em></p></div>")

    def __repr__(self) -> str:
        return self.to_text()


# --- a whole quiz -------------------------------------------------------------------------------

class Quiz:
    """A lesson's quiz: a header panel, one :class:`QuestionView` per question, a score line.

    Widget models: the box and its layout, the two panels, and one per question.
    """

    def __init__(self, bank: Bank, store: ProgressStore) -> None:
        self.bank = bank
        self.store = store
        total = len(bank.questions)
        history = store.records(bank.lesson)
        self.views = [QuestionView(q, bank.lesson, store, n, total, on_record=self.refresh,
                                   history=history)
                      for n, q in enumerate(bank.questions, start=1)]
        self.head = QuizPanel()
        self.head.add_class("quiz-head")
        self.score = QuizPanel()
        self.score.add_class("quiz-score")
        self.widget = widgets.VBox([self.head] + [v.widget for v in self.views] + [self.score])
        for name in ("quiz", f"quiz-{bank.lesson}"):
            self.widget.add_class(name)
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

    def head_html(self) -> str:
        """Title, how to answer, where answers are saved, and a warning when saving failed."""
        parts = [f'<h3 class="quiz-title">Quiz: {markup(self.bank.title)}</h3>',
                 f'<p class="quiz-help">{html.escape(HOW_TO)}</p>',
                 '<p class="quiz-location">Your answers are saved on this computer in '
                 f"<code>{html.escape(self.store.location())}</code>.</p>"]
        if self.store.warning:
            parts.append(f'<p class="quiz-warning-text" role="alert">⚠ '
                         f"{html.escape(self.store.warning)}</p>")
        return "".join(parts)

    def refresh(self) -> None:
        """Update the score line and the header's warning from the progress store."""
        self.score.value = f"<p><strong>Score:</strong> {html.escape(self.score_text())}</p>"
        self.head.value = self.head_html()

    def to_text(self) -> str:
        """The quiz as plain text: title, how to run it, every question and its choices."""
        return fallback.quiz_text(self.bank.title, [v.to_text() for v in self.views])

    def to_markdown(self) -> str:
        """The quiz as Markdown (no answers)."""
        return fallback.quiz_markdown(self.bank.title, [v.to_markdown() for v in self.views])

    def to_html(self) -> str:
        """The quiz as HTML (no answers)."""
        return fallback.quiz_html(self.bank.title, [v.to_html() for v in self.views])

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
        Where answers are saved (default: :func:`helpers.quiz.progress.get_store`).
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
