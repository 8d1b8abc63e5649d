"""Test set-up for the whole repository (tests/ and the notebooks run by nbval).

Runs before any test or notebook kernel starts: student progress goes to a fresh temporary
folder (never the tester's real progress file), so stored notebook outputs never depend on
earlier answers. Kernels started by nbval inherit these variables.
"""
from __future__ import annotations

import os
import tempfile

os.environ["COURSE_PROGRESS_DIR"] = tempfile.mkdtemp(prefix="course-progress-")
os.environ.pop("COURSE_DATA_DIR", None)
