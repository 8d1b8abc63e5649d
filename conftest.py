"""Test set-up for the whole repository (tests/ and the notebooks run by nbval).

Runs before any test or notebook kernel starts: student progress goes to a fresh temporary
folder (never the tester's real progress file), so stored notebook outputs never depend on
earlier answers. Kernels started by nbval inherit these variables.

The shipped dataset is checked once, before anything runs: when a CSV (or ``datapackage.json``)
is broken, the run stops with the loader's message naming the file, row and field, instead of
every test and notebook that reads the data failing on the same cell.
"""
from __future__ import annotations

import os
import tempfile

import pytest

os.environ["COURSE_PROGRESS_DIR"] = tempfile.mkdtemp(prefix="course-progress-")
os.environ.pop("COURSE_DATA_DIR", None)


def pytest_sessionstart(session: pytest.Session) -> None:
    from helpers import data

    data.clear_cache()
    try:
        data.load_all()
    except data.DataError as exc:
        pytest.exit(f"the course data cannot be loaded, so the tests did not run.\n{exc}\n"
                    "Fix the file named above (`make check` or `python tools/check.py` lists every "
                    "problem), then run the tests again.", returncode=1)
