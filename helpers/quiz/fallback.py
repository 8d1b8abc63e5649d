"""The quiz without a kernel: text, Markdown and HTML of the questions, and the feedback block.

What GitHub, nbviewer, an HTML export and strict nbval see where the live widget cannot run: the
questions and their choices in display order, never the answers. Deterministic (shuffles are
seeded by question id; no paths, times or ids). Every text from a lesson file is escaped
(:mod:`helpers.display.text`). Nothing here imports a widget library.
"""
from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from helpers.display.text import html_text, markup, md_prose, md_text, paragraphs, plain
from helpers.quiz import types as question_types
from helpers.quiz.types.base import Question, Result

__all__ = ["HOW_TO", "RUN_LIVE", "feedback_html", "heading", "notice_html", "prompt_html",
           "question_html", "question_markdown", "question_text", "quiz_html", "quiz_markdown",
           "quiz_text"]

RUN_LIVE = ("To answer, run this cell (or Run All): the quiz needs a running Python kernel. Where "
            "none runs (on GitHub or nbviewer), open the course in JupyterLab or on Binder. The "
            "answers are not shown here.")
HOW_TO = ("Answer each question and press Check. You may try again as often as you like; your "
          "first try is what counts for the score.")


def heading(number: int | None, total: int | None) -> str:
    if number is not None and total is not None:
        return f"Question {number} of {total}"
    return "Question"


def prompt_html(q: Question, head: str) -> str:
    """The heading, the type's hint and the prompt as HTML paragraphs."""
    return (f"<p><strong>{head}</strong> <em>({question_types.hint(q)})</em></p>"
            f"{paragraphs(q.prompt)}")


def _lines(q: Question, esc: Callable[[str], str]) -> list[str]:
    return list(question_types.get(q.type).choice_lines(q, esc))


def question_text(q: Question, head: str) -> str:
    """The question and its choices as plain text (no answers)."""
    lines = [f"{head} ({question_types.hint(q)})", plain(" ".join(q.prompt.split()))]
    lines += [f"  {line}" for line in _lines(q, str)]
    return "\n".join(lines)


def question_markdown(q: Question, head: str) -> str:
    """The question and its choices as Markdown (no answers)."""
    out = [f"**{head}** *({question_types.hint(q)})*  ", md_prose(q.prompt), ""]
    out += [f"- {line}" for line in _lines(q, md_text)]
    return "\n".join(out)


def question_html(q: Question, head: str) -> str:
    """The question and its choices as HTML (no answers)."""
    items = "".join(f"<li>{line}</li>" for line in _lines(q, html_text))
    return (f'<div class="quiz-static-question quiz-type-{q.type}">{prompt_html(q, head)}'
            f"<ul>{items}</ul></div>")


def _count(n: int) -> str:
    return f"{n} question{'' if n == 1 else 's'}"


def quiz_text(title: str, questions: list[str]) -> str:
    """A quiz as plain text: title, how to run it, every question (from :func:`question_text`)."""
    return "\n\n".join([f"Quiz: {plain(title)} ({_count(len(questions))})", RUN_LIVE, *questions])


def quiz_markdown(title: str, questions: list[str]) -> str:
    return "\n\n".join([f"**Quiz: {md_prose(title)}** ({_count(len(questions))})",
                        f"*{RUN_LIVE}*", *questions])


def quiz_html(title: str, questions: list[str]) -> str:
    parts = [f'<div class="quiz-static"><p><strong>Quiz: {markup(title)}</strong> '
             f"({_count(len(questions))})</p>", f"<p><em>{html.escape(RUN_LIVE)}</em></p>",
             *questions, "</div>"]
    return "".join(parts)


# --- the feedback block (the live widget's, written once for every type) ----------------------

def notice_html(message: str) -> str:
    """What the student must do first (nothing was saved)."""
    return f'<p class="quiz-notice">⚠ {html.escape(message)}</p>'


def feedback_html(q: Question, result: Result, *, history: list[dict[str, Any]], repeated: bool,
                  restored: bool, cite: Callable[[str], tuple[str, str | None]]) -> str:
    """The feedback on a recorded answer: the result in words and signs, the details, the
    attempt, the explanation and the linked sources. ``cite(source_id)`` gives (label, url)."""
    if result.outcome == "saved":
        head = ("<strong>✓ Saved</strong>: your answer is kept with your progress, for you "
                "and your teacher.")
    elif result.correct:
        head = "<strong>✓ Correct</strong>"
    else:
        head = "<strong>✗ Not quite</strong>: read the explanation, then try again if you like."
    parts = [f'<div class="quiz-result quiz-result-{result.outcome}">', f"<p>{head}</p>"]
    if restored:
        parts.append("<p><em>This is the answer you saved last time; change it and press "
                     f"{question_types.verb(q)} to try again.</em></p>")
    if result.details:
        items = "".join(f"<li>{markup(line)}</li>" for line in result.details)
        parts.append(f"<ul>{items}</ul>")
    if repeated:
        parts.append("<p><em>You already checked this answer; change it to try again.</em></p>")
    if q.graded and len(history) > 1:
        first = "✓ correct" if history[0]["correct"] else "✗ not quite"
        parts.append(f"<p>Attempt {len(history)}. Your first try ({first}) is what counts "
                     "for the score.</p>")
    if q.explanation:
        parts.append(f'<div class="quiz-explanation">{paragraphs(q.explanation)}</div>')
    cites = []
    for source_id in q.sources:
        label, url = cite(source_id)
        link = html.escape(label)
        if url:
            link = (f'<a href="{html.escape(url, quote=True)}" target="_blank" '
                    f'rel="noopener noreferrer">{link}</a>')
        cites.append(link)
    word = "Source" if len(cites) == 1 else "Sources"
    parts.append(f'<p class="quiz-source">{word}: {"; ".join(cites)}</p></div>')
    return "".join(parts)
