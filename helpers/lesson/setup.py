"""The one call at the top of every lesson::

    from helpers.lesson.setup import setup
    lesson = setup("missiles-ukraine")

It makes tables readable (every cell in full, text left-aligned, no meaningless index), finds the
lesson in ``course.yml`` and returns a :class:`LessonPage` with what the lesson shows: its
provision (``lesson.provision.card()`` …), its discussion prompts and its quiz.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from helpers import data
from helpers.display.tables import use_readable_tables
from helpers.display.text import Rich, esc, markup
from helpers.lesson.course import lesson as course_lesson
from helpers.lesson.provision import Provision
from helpers.quiz import bank as quiz_bank

if TYPE_CHECKING:  # pragma: no cover
    from helpers.quiz.widgets import Quiz


class LessonPage:
    """One lesson as a notebook uses it.

    Attributes
    ----------
    id, title
        The lesson's stable id and its title.
    provision
        The :class:`Provision` the lesson is about, or ``None`` for a frame lesson.
    """

    def __init__(self, lesson_id: str) -> None:
        entry = course_lesson(lesson_id)
        self.id = entry.id
        self.title = entry.title
        self.provision = Provision(entry.provision) if entry.provision else None

    def __repr__(self) -> str:
        return f"Lesson {self.id}: {self.title}"

    def discussion(self) -> Rich:
        """The lesson's discussion prompts, numbered (marking guidance stays in the answer key)."""
        prompts = quiz_bank.load_bank(self.id).discussion
        items = "".join(f"<li>{markup(d.prompt)}</li>" for d in prompts)
        text = "\n".join(f"{n}. {d.prompt}" for n, d in enumerate(prompts, start=1))
        return Rich(f'<ol class="course-discussion">{items}</ol>', text or esc("(no prompts)"))

    def quiz(self) -> Quiz:
        """The lesson's quiz, as widgets (readable text where no kernel runs)."""
        from helpers.quiz.widgets import quiz

        return quiz(self.id)


def source_links() -> dict[str, tuple[str, str]]:
    """Every source as ``{source_id: ("Publisher (reliability class)", url)}``, for tables."""
    sources = data.sources()
    return {str(row.source_id): (f"{row.publisher} ({row.reliability})", str(row.url))
            for row in sources.itertuples(index=False)}


def setup(lesson_id: str) -> LessonPage:
    """Prepare a lesson: readable tables (a ``source_id`` column shows as a linked "source": the
    publisher and how far to trust it), and the lesson's page object (see the module doc)."""
    use_readable_tables(source_links())
    return LessonPage(lesson_id)
