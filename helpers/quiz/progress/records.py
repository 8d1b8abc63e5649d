"""The progress and export format (ARCHITECTURE.md, "Progress and export format 2").

One format for the progress file and a student's export::

    {"format": "us-nato-course-progress", "version": 2,
     "student": {"name": "Юлія Коваленко", "id": "hub:jkovalenko"},
     "course_version": "0.2.0",
     "answers": [{"id": "…", "lesson": "missiles-ukraine", "question_id": "…",
                  "question_type": "single", "answer": "…", "correct": true, "attempt": 1,
                  "timestamp": "2026-11-30T10:00:00+00:00"}]}

This module checks that shape, turns a version-1 file or export into version 2 (``notebook``
stem → lesson id through ``course.yml``; the student's name → ``{"name", "id"}``), and writes
the file, the JSON export and the CSV export. It imports nothing heavy: ``yaml`` only when
``course.yml`` is read, never pandas.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers import paths

FORMAT = "us-nato-course-progress"
VERSION = 2
V1_EXPORT_FORMAT = FORMAT + "-export"      # version 1 exports had their own format name
ANSWER_FIELDS = ("id", "lesson", "question_id", "question_type", "answer", "correct", "attempt",
                 "timestamp")
V1_ANSWER_FIELDS = ("id", "notebook", "question_id", "question_type", "answer", "correct",
                    "attempt", "timestamp")
CSV_COLUMNS = ("student_name", "student_id", "course_version", "answer_id", "lesson",
               "question_id", "question_type", "answer", "correct", "attempt", "timestamp")
HUB_PREFIX = "hub:"
LOCAL_PREFIX = "local:"


class FormatError(ValueError):
    """A file is not a progress file or export of this course; the message says why."""


class NewerFormatError(FormatError):
    """A file written by a newer version of the course (never overwritten by this one)."""


@dataclass
class Progress:
    """The content of a progress file or export, in format 2."""

    name: str | None = None
    student_id: str | None = None
    answers: list[dict[str, Any]] = field(default_factory=list)
    course_version: str | None = None
    version_read: int = VERSION          # the version the file had when it was read


# --- the student and the course ------------------------------------------------------------------

def hub_student_id() -> str | None:
    """``hub:<user>`` when running on a JupyterHub (``JUPYTERHUB_USER`` is set), else None."""
    user = os.environ.get("JUPYTERHUB_USER", "").strip()
    return f"{HUB_PREFIX}{user}" if user else None


def new_student_id() -> str:
    """A fresh id for a progress file that has none: ``local:`` and 12 hexadecimal digits."""
    return f"{LOCAL_PREFIX}{uuid.uuid4().hex[:12]}"


_version_cache: list[str] = []


def course_version() -> str:
    """The course's version: ``[project] version`` of ``pyproject.toml`` next to ``helpers``
    (so a hub's pulled folder reports its own version), else the installed package's, else
    ``"unknown"``."""
    if _version_cache:
        return _version_cache[0]
    version = "unknown"
    try:
        import tomllib

        with (paths.REPO / "pyproject.toml").open("rb") as handle:
            version = str(tomllib.load(handle)["project"]["version"])
    except (OSError, KeyError, TypeError, ValueError):
        try:
            from importlib.metadata import PackageNotFoundError
            from importlib.metadata import version as installed

            version = installed("nato-responses-course")
        except (ImportError, PackageNotFoundError):
            pass
    _version_cache.append(version)
    return version


_course_cache: dict[Path, tuple[tuple[int, int], list[dict[str, Any]]]] = {}


def _course_entries(course_file: Path | None = None) -> list[dict[str, Any]]:
    """The lesson entries of ``course.yml`` (an empty list if it cannot be read).

    The quiz layer reads the file itself, without :mod:`helpers.lesson` (a layer above it).
    """
    path = Path(course_file) if course_file is not None else paths.COURSE_FILE
    try:
        stat = path.stat()
    except OSError:
        return []
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _course_cache.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    import yaml

    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    entries = content.get("lessons") if isinstance(content, dict) else None
    good = [e for e in entries if isinstance(e, dict) and isinstance(e.get("id"), str)] \
        if isinstance(entries, list) else []
    _course_cache[path] = (key, good)
    return good


def lesson_order(course_file: Path | None = None) -> list[str]:
    """The lesson ids in teaching order, from ``course.yml``."""
    return [entry["id"] for entry in _course_entries(course_file)]


def lesson_ids_by_stem(course_file: Path | None = None) -> dict[str, str]:
    """Every notebook stem a lesson has had (its ``file`` and any ``formerly``) → its id."""
    out: dict[str, str] = {}
    for entry in _course_entries(course_file):
        if isinstance(entry.get("file"), str):
            out[Path(entry["file"]).stem] = entry["id"]
        formerly = entry.get("formerly") or ()
        for old in formerly if isinstance(formerly, list) else [formerly]:
            out[Path(str(old)).stem] = entry["id"]
    return out


# --- checking the shape --------------------------------------------------------------------------

def _answer_problem(n: int, rec: Any, fields: tuple[str, ...]) -> str | None:
    if not isinstance(rec, dict):
        return f"answer {n} is not a JSON object"
    missing = [key for key in fields if key not in rec]
    if missing:
        return f"answer {n} lacks {', '.join(missing)}"
    texts = [key for key in fields if key not in ("answer", "correct", "attempt")]
    if not all(isinstance(rec[key], str) for key in texts):
        return f"answer {n} has a field of the wrong type"
    if not isinstance(rec["attempt"], int) or isinstance(rec["attempt"], bool):
        return f"answer {n} has an attempt that is not a whole number"
    if rec["correct"] is not None and not isinstance(rec["correct"], bool):
        return f"answer {n} has a 'correct' that is not true, false or null"
    return None


def version_of(content: Any) -> int:
    """The format version of parsed content (1 when absent, as in the oldest files)."""
    version = content.get("version", 1) if isinstance(content, dict) else 1
    return version if isinstance(version, int) and not isinstance(version, bool) else -1


def shape_problem(content: Any, *, exports: bool = False) -> str | None:
    """Say what is wrong with parsed content, or ``None`` if it is a usable version 1 or 2.

    Parameters
    ----------
    exports
        Also accept a version-1 export (its format name was ``…-export``).
    """
    if not isinstance(content, dict):
        return "the file does not hold a JSON object"
    formats = (FORMAT, V1_EXPORT_FORMAT) if exports else (FORMAT,)
    if "format" in content and content["format"] not in formats:
        return f"its format is {json.dumps(content['format'])}, not {json.dumps(FORMAT)}"
    version = version_of(content)
    if version > VERSION:
        raise NewerFormatError(f"it was written by a newer version of the course (format "
                               f"version {version}); update the course to read it")
    if version not in (1, VERSION):
        return f"its version {json.dumps(content.get('version'))} is not 1 or {VERSION}"
    if not isinstance(content.get("answers"), list):
        return "the file has no list of answers"
    student = content.get("student")
    if version == 1:
        if student is not None and not isinstance(student, str):
            return "the student name is not text"
    elif student is not None:
        if not isinstance(student, dict):
            return 'the student is not {"name": …, "id": …}'
        if not all(student.get(k) is None or isinstance(student.get(k), str) for k in ("name", "id")):
            return "the student's name or id is not text"
    fields = V1_ANSWER_FIELDS if version == 1 else ANSWER_FIELDS
    for n, rec in enumerate(content["answers"], start=1):
        problem = _answer_problem(n, rec, fields)
        if problem:
            return problem
    return None


def parse(content: Any, *, exports: bool = False, v1_student_id: str | None = None,
          course_file: Path | None = None) -> Progress:
    """Turn checked content (version 1 or 2) into :class:`Progress` in format 2.

    A version-1 answer's ``notebook`` becomes ``lesson`` through :func:`lesson_ids_by_stem` (a
    stem ``course.yml`` does not know is kept: it may already be a lesson id); its student name
    gets the id ``v1_student_id`` (or the hub's id, or a new one).

    Raises
    ------
    FormatError
        With :func:`shape_problem`'s reason.
    """
    problem = shape_problem(content, exports=exports)
    if problem is not None:
        raise FormatError(problem)
    if version_of(content) == VERSION:
        student = content.get("student") or {}
        return Progress(_clean_name(student.get("name")), student.get("id") or None,
                        list(content["answers"]), content.get("course_version"),
                        VERSION)
    stems = lesson_ids_by_stem(course_file)
    answers = []
    for rec in content["answers"]:
        new = {key: rec[key] for key in ANSWER_FIELDS if key != "lesson"}
        new["lesson"] = stems.get(rec["notebook"], rec["notebook"])
        answers.append(new)
    student_id = v1_student_id or hub_student_id() or new_student_id()
    return Progress(_clean_name(content.get("student")), student_id, answers, None, 1)


def _clean_name(name: Any) -> str | None:
    if not isinstance(name, str):
        return None
    return " ".join(name.split()) or None


# --- writing -------------------------------------------------------------------------------------

def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def sort_key(rec: dict[str, Any]) -> tuple[str, int, str]:
    """Oldest first; attempts of one moment in order; then by id (a stable order)."""
    return rec["timestamp"], rec["attempt"], rec["id"]


def _student(progress: Progress) -> dict[str, str | None]:
    return {"name": progress.name, "id": progress.student_id}


def dumps_file(progress: Progress) -> str:
    """The progress file's text: a small header and one answer per line (quick to write)."""
    lines = [json.dumps(rec, ensure_ascii=False, sort_keys=True)
             for rec in sorted(progress.answers, key=sort_key)]
    body = ",\n".join(lines)
    student = json.dumps(_student(progress), ensure_ascii=False)
    return (f'{{"format": {json.dumps(FORMAT)}, "version": {VERSION}, "student": {student}, '
            f'"course_version": {json.dumps(progress.course_version)},\n'
            f'"answers": [\n{body}\n]}}\n')


def export_content(progress: Progress, exported_at: dt.datetime | None = None,
                   **extra: Any) -> dict[str, Any]:
    """The JSON export of a student's answers: the file's format plus ``exported_at``."""
    content: dict[str, Any] = {"format": FORMAT, "version": VERSION, **extra,
                               "student": _student(progress),
                               "course_version": progress.course_version,
                               "exported_at": (exported_at or now()).isoformat(timespec="seconds"),
                               "answers": sorted(progress.answers, key=sort_key)}
    return content


def dumps_export(content: dict[str, Any]) -> str:
    return json.dumps(content, ensure_ascii=False, indent=1) + "\n"


def csv_text(progress: Progress) -> str:
    """The CSV export: one row per attempt, the student on every row, answers as JSON text.

    Written with a byte order mark when saved as ``utf-8-sig`` (see :func:`write_csv`), so a
    spreadsheet opens names in any alphabet correctly.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for rec in sorted(progress.answers, key=sort_key):
        correct = "" if rec["correct"] is None else str(bool(rec["correct"]))
        writer.writerow([progress.name or "", progress.student_id or "",
                         progress.course_version or "", rec["id"], rec["lesson"],
                         rec["question_id"], rec["question_type"],
                         json.dumps(rec["answer"], ensure_ascii=False), correct, rec["attempt"],
                         rec["timestamp"]])
    return out.getvalue()


def write_csv(progress: Progress, path: Path) -> Path:
    path.write_text(csv_text(progress), encoding="utf-8-sig", newline="")
    return path
