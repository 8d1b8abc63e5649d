"""Helpers for the course on the US and NATO written responses to Russia (26 January 2022).

The package is in layers (ARCHITECTURE.md): ``helpers.paths`` and ``helpers.display`` (folders,
safe text, generic charts), ``helpers.data`` (the dataset), ``helpers.quiz`` (questions, widgets,
saved answers, the student's dashboard), then ``helpers.lesson`` (lesson building blocks) and
``helpers.teacher`` (answer key, exports, class results). Import what a notebook needs, e.g.
``from helpers import data`` or ``from helpers.quiz import quiz``. Importing the package itself
loads nothing heavy; each submodule imports what it needs.
"""

# The course version: saved progress and exports record it, CHANGELOG.md explains each one.
# pyproject.toml and CITATION.cff give the same number (tests/test_setup.py checks).
__version__ = "0.2.0"
