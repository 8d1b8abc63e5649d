"""Where the course's folders are, found from this package's own location (never the working
directory: under nbval and on Binder the kernel runs in ``notebooks/``)."""
from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA_DIR = REPO / "data"
QUIZ_DIR = DATA_DIR / "quizzes"
NOTEBOOKS_DIR = REPO / "notebooks"
TEACHER_DIR = REPO / "teacher"
COURSE_FILE = REPO / "course.yml"
