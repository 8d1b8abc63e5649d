"""Show a lesson's quiz as live widgets; every check is saved by :mod:`helpers.quiz.progress`.

In a notebook, one line shows the quiz of that lesson (its questions are in
``data/quizzes/<lesson>.yaml``)::

    from helpers.quiz import quiz
    quiz("open-door")

and ``question("open-door-1")`` shows a single question. The returned object displays itself:
one widget per question when a kernel runs (:mod:`helpers.quiz.question_widget`, an anywidget
drawn by ``helpers/quiz/static/quiz.js``), and a readable text/Markdown/HTML version of the
questions (no answers) everywhere else (GitHub, nbviewer, HTML export, nbval's comparison;
:mod:`helpers.quiz.fallback`). A question shown again shows the last answer saved for it.

This module (with :mod:`~helpers.quiz.question_widget`) is the only part of the quiz that imports
a widget library; the bank, the question types and the teacher tools never do.
"""
from __future__ import annotations

from helpers.quiz.fallback import HOW_TO, RUN_LIVE
from helpers.quiz.question_widget import (
    PLACEHOLDER,
    QuestionView,
    QuestionWidget,
    Quiz,
    QuizPanel,
    markup,
    question,
    quiz,
)

__all__ = ["HOW_TO", "PLACEHOLDER", "RUN_LIVE", "QuestionView", "QuestionWidget", "Quiz", "QuizPanel",
           "markup", "question", "quiz"]
