"""Helpers for the course on the US and NATO written responses to Russia (26 January 2022).

``helpers.data`` loads the common dataset; ``helpers.quiz`` shows a notebook's quiz;
``helpers.progress`` keeps a student's answers. Import what a notebook needs, e.g.
``from helpers import data`` or ``from helpers.quiz.widgets import quiz``. Importing the package
itself loads nothing heavy; each submodule imports what it needs.
"""
