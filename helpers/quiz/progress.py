"""Keep every answer a student gives, in a progress file that outlives the kernel.

A notebook never calls this module directly: :func:`helpers.quiz.quiz` records each check. A
student or teacher can look at the answers::

    from helpers.quiz import progress
    store = progress.get_store()
    store.location()              # where the file is
    store.by_notebook()           # answered / total and first-try score per notebook
    store.export_csv("my_answers.csv")

The file is ``$COURSE_PROGRESS_DIR/progress.json`` when that variable is set, else
``<jupyter data dir>/us-nato-course/progress.json``: never inside the course folder. Every write
takes a file lock, reads the current file, merges by answer id, writes a temporary file in the
same folder, syncs it and renames it over the old one, so two notebooks answering at once lose
nothing. A damaged file is kept aside and a fresh one started; an unwritable place keeps the
answers in memory. Both leave a message in :attr:`ProgressStore.warning` and never stop a quiz.

pandas is imported only by the functions that build tables, so importing this module is cheap.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from filelock import FileLock, Timeout

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    import pandas as pd

__all__ = ["FORMAT", "ProgressStore", "default_path", "get_store", "location", "set_student"]

FORMAT = "us-nato-course-progress"
VERSION = 1
FILE_NAME = "progress.json"
APP_FOLDER = "us-nato-course"
LOCK_TIMEOUT = 30.0
ANSWER_FIELDS = ("id", "notebook", "question_id", "question_type", "answer", "correct", "attempt",
                 "timestamp")

_UNSET = object()
_stores: dict[Path, ProgressStore] = {}


def default_path() -> Path:
    """Return where the progress file lives: ``COURSE_PROGRESS_DIR`` or the Jupyter data dir."""
    override = os.environ.get("COURSE_PROGRESS_DIR")
    if override:
        return Path(override).expanduser().absolute() / FILE_NAME
    from jupyter_core.paths import jupyter_data_dir

    return Path(jupyter_data_dir()).expanduser().absolute() / APP_FOLDER / FILE_NAME


def get_store() -> ProgressStore:
    """Return the process-wide store for :func:`default_path` (one per path)."""
    path = default_path()
    if path not in _stores:
        _stores[path] = ProgressStore(path)
    return _stores[path]


def location() -> str:
    """Return the path of the default progress file, for a notebook to print."""
    return get_store().location()


def set_student(name: str | None) -> None:
    """Store the student's name (or ``None``) in the default progress file."""
    get_store().set_student(name)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _stamp() -> str:
    """A UTC time for file names, e.g. ``20220126T143000Z``."""
    return _now().strftime("%Y%m%dT%H%M%SZ")


def _shape_problem(content: Any) -> str | None:
    """Say what is wrong with the shape of a loaded progress file, or ``None`` if it is fine."""
    if not isinstance(content, dict):
        return "the file does not hold a JSON object"
    if not isinstance(content.get("answers"), list):
        return "the file has no list of answers"
    student = content.get("student")
    if student is not None and not isinstance(student, str):
        return "the student name is not text"
    for n, rec in enumerate(content["answers"], start=1):
        if not isinstance(rec, dict):
            return f"answer {n} is not a JSON object"
        missing = [key for key in ANSWER_FIELDS if key not in rec]
        if missing:
            return f"answer {n} lacks {', '.join(missing)}"
        if not all(isinstance(rec[key], str) for key in
                   ("id", "notebook", "question_id", "question_type", "timestamp")):
            return f"answer {n} has a field of the wrong type"
        if not isinstance(rec["attempt"], int) or isinstance(rec["attempt"], bool):
            return f"answer {n} has an attempt that is not a whole number"
        if rec["correct"] is not None and not isinstance(rec["correct"], bool):
            return f"answer {n} has a 'correct' that is not true, false or null"
    return None


def _dumps(student: str | None, answers: list[dict[str, Any]]) -> str:
    """Serialise the file: a small header and one answer per line (readable, quick to write)."""
    lines = [json.dumps(rec, ensure_ascii=False, sort_keys=True) for rec in answers]
    body = ",\n".join(lines)
    return (f'{{"format": {json.dumps(FORMAT)}, "version": {VERSION}, '
            f'"student": {json.dumps(student, ensure_ascii=False)},\n"answers": [\n{body}\n]}}\n')


def _frame(recs: list[dict[str, Any]]) -> pd.DataFrame:
    """Build the table of :meth:`ProgressStore.answers` from stored records."""
    import pandas as pd

    return pd.DataFrame({
        "answer_id": pd.Series([r["id"] for r in recs], dtype="str"),
        "notebook": pd.Series([r["notebook"] for r in recs], dtype="str"),
        "question_id": pd.Series([r["question_id"] for r in recs], dtype="str"),
        "question_type": pd.Series([r["question_type"] for r in recs], dtype="str"),
        "answer": pd.Series([r["answer"] for r in recs], dtype="object"),
        "correct": pd.Series([r["correct"] for r in recs], dtype="boolean"),
        "attempt": pd.Series([r["attempt"] for r in recs], dtype="int64"),
        "timestamp": pd.to_datetime(pd.Series([r["timestamp"] for r in recs], dtype="str"),
                                    utc=True, format="ISO8601"),
    })


def _sort_key(rec: dict[str, Any]) -> tuple[str, int, str]:
    return rec["timestamp"], rec["attempt"], rec["id"]


class ProgressStore:
    """The answers of one student, kept in one JSON file (or in memory if it cannot be written).

    Parameters
    ----------
    path
        The progress file. Its folder is created when needed.

    Attributes
    ----------
    warning
        ``None`` normally; a sentence for the student when the store is in a fallback mode
        (damaged file recovered, or answers kept in memory only).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path).expanduser().absolute()
        self.warning: str | None = None
        self.memory_only = False
        self.backups: list[Path] = []
        self._pending: list[dict[str, Any]] = []   # answers kept in memory, not in the file
        self._hidden: set[str] = set()   # ids in a read-only file that a reset removed
        self._pending_student: Any = _UNSET   # a name set while in memory only
        self._lock = FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT)
        self._try(self._read_locked)   # find a damaged or unwritable location at once

    # --- public API -------------------------------------------------------------------------

    def location(self) -> str:
        """Return the progress file's path as text."""
        return str(self.path)

    def record(self, notebook: str, question_id: str, question_type: str, answer: Any,
               correct: bool | None, attempt: int | None = None) -> dict[str, Any]:
        """Save one answer and return the stored record.

        Parameters
        ----------
        notebook, question_id, question_type
            Where the question was answered and what it is.
        answer
            The answer given, JSON-serialisable (checked here).
        correct
            ``True``/``False`` for a graded question, ``None`` for a reflection.
        attempt
            The attempt number; by default one more than the answers already stored for this
            question in this notebook.
        """
        json.dumps(answer)   # fail here, not in the middle of a write
        rec = {
            "id": uuid.uuid4().hex,
            "notebook": notebook,
            "question_id": question_id,
            "question_type": question_type,
            "answer": answer,
            "correct": correct,
            "attempt": attempt,
            "timestamp": _now().isoformat(timespec="microseconds"),
        }

        def add(answers: list[dict[str, Any]]) -> list[dict[str, Any]]:
            if rec["attempt"] is None:
                rec["attempt"] = 1 + sum(1 for r in answers if r["notebook"] == notebook
                                         and r["question_id"] == question_id)
            return answers + [rec]

        self._update(add)
        return dict(rec)

    def records(self, notebook: str | None = None) -> list[dict[str, Any]]:
        """Return every stored answer (oldest first) as dicts, optionally of one notebook."""
        answers = self._current()
        if notebook is not None:
            answers = [r for r in answers if r["notebook"] == notebook]
        return [dict(r) for r in answers]

    @property
    def student(self) -> str | None:
        """The student's name, if one was set."""
        return self._snapshot()[0]

    def set_student(self, name: str | None) -> None:
        """Store the student's name (included in exports); ``None`` or ``""`` removes it."""
        if name is not None and not isinstance(name, str):
            raise TypeError("the student name must be text")
        self._update(lambda answers: answers, student=(name or "").strip() or None)

    def reset(self, notebook: str | None = None) -> Path | None:
        """Forget the answers of one notebook (or all); a copy of the file is kept first.

        Returns
        -------
        Path or None
            The backup copy (``progress.json.bak-<time>``), or ``None`` if none was made
            (no file on disk, or the store is in memory only).
        """
        backup: list[Path] = []

        def copy_file() -> None:
            if self.path.exists():
                backup.append(self._free_name(f"{self.path.name}.bak-{_stamp()}"))
                backup[0].write_bytes(self.path.read_bytes())

        def clear(answers: list[dict[str, Any]]) -> list[dict[str, Any]]:
            if notebook is None:
                return []
            return [r for r in answers if r["notebook"] != notebook]

        self._update(clear, before_write=copy_file)
        return backup[0] if backup else None

    def answers(self) -> pd.DataFrame:
        """Return every attempt as a table, oldest first.

        Columns: answer_id, notebook, question_id, question_type, answer, correct (nullable
        boolean; missing for reflections), attempt, timestamp (UTC).
        """
        return _frame(self._current())

    def by_question(self) -> pd.DataFrame:
        """Return one row per question answered (per notebook).

        Columns: notebook, question_id, question_type, attempts, first_try_correct, last_answer,
        last_correct, first_answered, last_answered.
        """
        import pandas as pd

        rows: dict[tuple[str, str], dict[str, Any]] = {}
        for rec in self._current():
            key = (rec["notebook"], rec["question_id"])
            row = rows.get(key)
            if row is None:
                rows[key] = row = {
                    "notebook": rec["notebook"], "question_id": rec["question_id"],
                    "question_type": rec["question_type"], "attempts": 0,
                    "first_try_correct": rec["correct"], "first_answered": rec["timestamp"],
                }
            row["attempts"] += 1
            row["last_answer"] = rec["answer"]
            row["last_correct"] = rec["correct"]
            row["last_answered"] = rec["timestamp"]
        columns = ["notebook", "question_id", "question_type", "attempts", "first_try_correct",
                   "last_answer", "last_correct", "first_answered", "last_answered"]
        table = pd.DataFrame(list(rows.values()), columns=columns)
        table["attempts"] = table["attempts"].astype("int64")
        for col in ("first_try_correct", "last_correct"):
            table[col] = table[col].astype("boolean")
        table["last_answer"] = table["last_answer"].astype("object")
        for col in ("first_answered", "last_answered"):
            table[col] = pd.to_datetime(table[col].astype("str"), utc=True, format="ISO8601")
        return table.sort_values(["notebook", "first_answered"], ignore_index=True)

    def by_notebook(self, folder: str | os.PathLike[str] | None = None) -> pd.DataFrame:
        """Return one row per notebook that has a quiz (and any other notebook answered).

        Columns: notebook, title, answered, total (questions in the quiz file), first_try_correct,
        graded (graded questions in the quiz file), reflections (reflections saved).

        Parameters
        ----------
        folder
            The folder of quiz files (default: the course's ``data/quizzes``).
        """
        import pandas as pd

        from helpers.quiz import bank as quiz_bank

        by_q = self.by_question()
        rows = []
        banks = quiz_bank.load_all(folder)
        seen = list(banks) + sorted(set(by_q["notebook"]) - set(banks))
        for name in seen:
            bank = banks.get(name)
            mine = by_q[by_q["notebook"] == name]
            graded = mine[mine["question_type"] != "reflection"]
            if bank is not None:   # count only the questions the quiz still has
                ids = {q.id for q in bank.questions}
                mine = mine[mine["question_id"].isin(ids)]
                graded = graded[graded["question_id"].isin(ids)]
            rows.append({
                "notebook": name,
                "title": bank.title if bank else None,
                "answered": len(mine),
                "total": len(bank.questions) if bank else None,
                "first_try_correct": int(graded["first_try_correct"].fillna(False).sum()),
                "graded": sum(q.graded for q in bank.questions) if bank else None,
                "reflections": int((mine["question_type"] == "reflection").sum()),
            })
        table = pd.DataFrame(rows, columns=["notebook", "title", "answered", "total",
                                            "first_try_correct", "graded", "reflections"])
        for col in ("answered", "total", "first_try_correct", "graded", "reflections"):
            table[col] = table[col].astype("Int64")
        return table

    def export_csv(self, path: str | os.PathLike[str]) -> Path:
        """Write every attempt, with the student's name, to a CSV file (answers as JSON text)."""
        import pandas as pd

        student, recs = self._snapshot()
        table = _frame(recs)
        table.insert(0, "student", pd.Series([student] * len(recs), dtype="str"))
        table["answer"] = [json.dumps(r["answer"], ensure_ascii=False) for r in recs]
        table["timestamp"] = [r["timestamp"] for r in recs]
        out = Path(path)
        table.to_csv(out, index=False, encoding="utf-8")
        return out

    def export_json(self, path: str | os.PathLike[str]) -> Path:
        """Write every attempt, with the student's name and the export time, to a JSON file."""
        student, recs = self._snapshot()
        content = {
            "format": FORMAT + "-export",
            "version": VERSION,
            "student": student,
            "exported_at": _now().isoformat(timespec="seconds"),
            "answers": recs,
        }
        out = Path(path)
        out.write_text(json.dumps(content, ensure_ascii=False, indent=1), encoding="utf-8")
        return out

    # --- reading and writing ----------------------------------------------------------------

    def _snapshot(self) -> tuple[str | None, list[dict[str, Any]]]:
        """The student's name and every answer (file and memory merged), oldest first."""
        content = self._try(self._read_locked)
        if content is None:   # the file cannot be locked or written: read what is there
            content = self._read_unlocked()
        student, on_disk = content
        if self._pending_student is not _UNSET:
            student = self._pending_student
        return student, self._merged(on_disk)

    def _current(self) -> list[dict[str, Any]]:
        return self._snapshot()[1]

    def _merged(self, on_disk: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Union by answer id of the file's answers and the pending ones, minus hidden ones."""
        by_id = {r["id"]: r for r in on_disk if r["id"] not in self._hidden}
        for rec in self._pending:
            by_id.setdefault(rec["id"], rec)
        return sorted(by_id.values(), key=_sort_key)

    def _update(self, change: Callable[[list[dict[str, Any]]], list[dict[str, Any]]],
                before_write: Callable[[], None] | None = None, student: Any = _UNSET) -> None:
        """Apply ``change`` (answers -> answers) to the file under the lock, else in memory."""
        def write() -> bool:
            with self._lock:
                name, on_disk = self._read_unlocked_recovering()
                answers = self._merged(on_disk)
                if self._pending_student is not _UNSET:
                    name = self._pending_student
                if student is not _UNSET:
                    name = student
                if before_write is not None:
                    before_write()
                self._write(name, change(answers))
            self._pending, self._hidden, self._pending_student = [], set(), _UNSET
            return True

        if self._try(write):
            return
        on_disk = self._read_unlocked()[1]
        changed = change(self._merged(on_disk))
        kept = {r["id"] for r in changed}
        disk_ids = {r["id"] for r in on_disk}
        self._pending = [r for r in changed if r["id"] not in disk_ids]
        self._hidden = disk_ids - kept
        if student is not _UNSET:
            self._pending_student = student

    def _try(self, action: Any) -> Any:
        """Run ``action``; on an OS error or lock timeout switch to memory and return None."""
        if self.memory_only:
            return None
        try:
            return action()
        except (OSError, Timeout) as exc:
            self.memory_only = True
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.warning = (f"Your answers cannot be saved to {self.path} ({reason}). They are "
                            "kept in memory only and are lost when the kernel stops.")
            return None

    def _read_locked(self) -> tuple[str | None, list[dict[str, Any]]]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            return self._read_unlocked_recovering()

    def _read_unlocked(self) -> tuple[str | None, list[dict[str, Any]]]:
        """Read the file without a lock and without repairing it (used in memory mode)."""
        try:
            content = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None, []
        if _shape_problem(content) is not None:
            return None, []
        return content.get("student"), content["answers"]

    def _read_unlocked_recovering(self) -> tuple[str | None, list[dict[str, Any]]]:
        """Read the file (the lock is held); a damaged file is moved aside and started afresh."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None, []
        try:
            content = json.loads(raw.decode("utf-8"))
            problem = _shape_problem(content)
        except ValueError as exc:   # includes JSON and Unicode decoding errors
            problem = f"it is not valid JSON: {exc}"
        if problem is None:
            return content.get("student"), content["answers"]
        backup = self._free_name(f"{self.path.name}.corrupt-{_stamp()}")
        os.replace(self.path, backup)
        self.backups.append(backup)
        self.warning = (f"Your progress file could not be read ({problem}). A copy was kept as "
                        f"{backup.name} and a new progress file was started.")
        return None, []

    def _write(self, student: str | None, answers: list[dict[str, Any]]) -> None:
        """Write the whole file atomically: temp file in the same folder, fsync, rename."""
        text = _dumps(student, sorted(answers, key=_sort_key))
        fd, tmp = tempfile.mkstemp(prefix=".progress-", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _free_name(self, name: str) -> Path:
        """A path next to the progress file that does not exist yet."""
        candidate = self.path.with_name(name)
        n = 2
        while candidate.exists():
            candidate = self.path.with_name(f"{name}-{n}")
            n += 1
        return candidate
