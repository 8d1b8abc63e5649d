"""Keep every answer a student gives, in a progress file that outlives the kernel.

A notebook never calls this module directly: :func:`helpers.quiz.quiz` records each check. A
student or teacher can look at the answers::

    from helpers.quiz import progress
    store = progress.get_store()
    store.location()              # where the file is
    store.by_lesson()             # answered / total and first-try score per lesson
    store.export_json("my_answers.json")
    store.start_over("missiles-ukraine")   # remove one lesson's answers (a copy is kept first)

The file is ``$COURSE_PROGRESS_DIR/progress.json`` when that variable is set, else
``<jupyter data dir>/us-nato-course/progress.json``: never inside the course folder. Its format
(version 2) is in ARCHITECTURE.md and :mod:`.records`; a version-1 file is migrated when read.

The store is three small parts: :class:`.storage.ProgressFile` (the file, its lock, atomic
writes, recovery), :class:`.overlay.MemoryOverlay` (what is kept in memory while the file cannot
be written) and :mod:`.tables` (the tables a dashboard shows). :class:`ProgressStore` joins them:

- a damaged file is kept aside and a fresh one started;
- when the file cannot be written (no permission, a full disk, the lock held too long), answers
  are kept in memory and the next answer tries the file again (waiting at most
  :data:`RETRY_LOCK_TIMEOUT` seconds for the lock); when it works, what was kept in memory is
  merged into the file and the student is told that saving works again.

Each leaves a sentence in :attr:`ProgressStore.warning` and never stops a quiz. Code in the same
kernel can :meth:`~ProgressStore.subscribe` to hear of every saved change (the dashboard does).

Starting a lesson over (:meth:`ProgressStore.start_over`, the dashboard's **Start over…**) is
the one change that never falls back to memory: it copies the whole file aside
(``progress.json.bak-<time>``, a new name every time), then removes that lesson's answers from
the file, under the lock and atomically; if anything fails, nothing is removed and
:class:`StartOverError` says why. The records that stay are untouched (format 2); a later answer
to a question of that lesson is its attempt 1 again.
"""
from __future__ import annotations

import os
import warnings
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from filelock import Timeout

from helpers.quiz.progress import records, tables
from helpers.quiz.progress.overlay import UNSET, MemoryOverlay
from helpers.quiz.progress.records import (
    ANSWER_FIELDS,
    FORMAT,
    V1_EXPORT_FORMAT,
    VERSION,
    Progress,
    course_version,
    hub_student_id,
    lesson_ids_by_stem,
    new_student_id,
)
from helpers.quiz.progress.storage import LOCK_TIMEOUT, STALE_TMP_SECONDS, ProgressFile, StorageUnavailable

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    import pandas as pd

__all__ = ["ANSWER_FIELDS", "FORMAT", "LOCK_TIMEOUT", "RETRY_LOCK_TIMEOUT", "STALE_TMP_SECONDS",
           "START_OVER_LOCK_TIMEOUT", "V1_EXPORT_FORMAT", "VERSION", "Progress", "ProgressStore",
           "StartOverError", "StartedOver", "course_version", "default_path", "get_store",
           "hub_student_id", "lesson_ids_by_stem", "location", "new_student_id", "set_student"]

FILE_NAME = "progress.json"
APP_FOLDER = "us-nato-course"
RETRY_LOCK_TIMEOUT = 2.0     # waiting for the lock when trying again after a failure
START_OVER_LOCK_TIMEOUT = 5.0   # a student waits for the answer to Start over: not 30 s
_FAILURES = (OSError, Timeout, StorageUnavailable)

_stores: dict[Path, ProgressStore] = {}
_listeners: dict[Path, list[Callable[[], Any]]] = {}


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


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _reason(exc: BaseException) -> str:
    """Why the file could not be used, in a few words."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    if isinstance(exc, Timeout):
        return "another notebook or program held the file for too long"
    return str(exc)


@dataclass(frozen=True)
class StartedOver:
    """What :meth:`ProgressStore.start_over` did.

    Attributes
    ----------
    lesson
        The lesson id, or None for every lesson.
    removed
        How many saved answers (attempts) were removed; 0 when there were none left to remove
        (the file was then not touched).
    backup
        The copy of the whole file as it was before (``progress.json.bak-<time>``), or None
        when nothing was removed.
    """

    lesson: str | None
    removed: int
    backup: Path | None


class StartOverError(Exception):
    """Nothing was removed; the message says why, in a sentence for the student."""


class _Damaged(Exception):
    """The file was damaged and has just been set aside: a start-over is not carried out."""


class ProgressStore:
    """The answers of one student, kept in one JSON file (or in memory while it cannot be written).

    Parameters
    ----------
    path
        The progress file. Its folder is created when needed.

    Attributes
    ----------
    warning
        ``None`` normally; a sentence for the student when something went wrong (a damaged file
        recovered, answers kept in memory) or when saving works again after that.
    memory_only
        True while the file cannot be written; the next change tries it again.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.file = ProgressFile(path)
        self.path = self.file.path
        self.memory = MemoryOverlay()
        self.warning: str | None = None
        self.memory_only = False
        self._own_id: str | None = None      # used until the file holds an id
        self._recovery_notice = False
        self._failure = ""                   # why the file could not be written, last time
        self._snapshot()   # find a damaged, old or unwritable file at once

    # --- public API -------------------------------------------------------------------------

    @property
    def backups(self) -> list[Path]:
        """Copies made next to the file: damaged files kept aside, version-1 originals, copies
        kept before answers were removed (:meth:`reset`, :meth:`start_over`)."""
        return self.file.backups

    def location(self) -> str:
        """Return the progress file's path as text."""
        return str(self.path)

    def record(self, lesson: str, question_id: str, question_type: str, answer: Any,
               correct: bool | None, attempt: int | None = None) -> dict[str, Any]:
        """Save one answer and return the stored record.

        Parameters
        ----------
        lesson
            The lesson id where the question was answered (a question reused in the review is
            saved under the review's id).
        question_id, question_type
            What was answered.
        answer
            The answer given, JSON-serialisable (checked here).
        correct
            ``True``/``False`` for a graded question, ``None`` for a reflection.
        attempt
            The attempt number; by default one more than the answers already stored for this
            question in this lesson.
        """
        import json
        import uuid

        json.dumps(answer)   # fail here, not in the middle of a write
        rec = {
            "id": uuid.uuid4().hex,
            "lesson": lesson,
            "question_id": question_id,
            "question_type": question_type,
            "answer": answer,
            "correct": correct,
            "attempt": attempt,
            "timestamp": records.now().isoformat(timespec="microseconds"),
        }

        def add(answers: list[dict[str, Any]]) -> list[dict[str, Any]]:
            if attempt is None:
                rec["attempt"] = 1 + sum(1 for r in answers if r["lesson"] == lesson
                                         and r["question_id"] == question_id)
            return answers + [rec]

        self._update(add)
        self._notify()
        return dict(rec)

    def records(self, lesson: str | None = None) -> list[dict[str, Any]]:
        """Return every stored answer (oldest first) as dicts, optionally of one lesson."""
        answers = self._snapshot().answers
        if lesson is not None:
            answers = [r for r in answers if r["lesson"] == lesson]
        return [dict(r) for r in answers]

    @property
    def student(self) -> dict[str, str | None]:
        """``{"name": …, "id": …}``: the name the student saved (or None) and their id."""
        progress = self._snapshot()
        return {"name": progress.name, "id": progress.student_id}

    @property
    def student_name(self) -> str | None:
        return self._snapshot().name

    @property
    def student_id(self) -> str:
        """``hub:<user>`` on a JupyterHub, else the id generated once for this progress file."""
        return self._snapshot().student_id or self._new_id()

    def set_student(self, name: str | None) -> None:
        """Store the student's name (included in exports); ``None`` or ``""`` removes it."""
        if name is not None and not isinstance(name, str):
            raise TypeError("the student name must be text")
        self._update(lambda answers: answers, name=" ".join((name or "").split()) or None)
        self._notify()

    def reset(self, lesson: str | None = None) -> Path | None:
        """Forget the answers of one lesson (or all); a copy of the file is kept first.

        When the file cannot be written, the answers are hidden in memory and removed from the
        file when it works again (a copy is kept then). :meth:`start_over` does the same but
        all or nothing, and says what it did.

        Returns
        -------
        Path or None
            The backup copy (``progress.json.bak-<time>``), or ``None`` if none was made
            (no file on disk, or the file cannot be written now).
        """
        def clear(answers: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [] if lesson is None else [r for r in answers if r["lesson"] != lesson]

        backup = self._update(clear, backup=True)
        self._notify()
        return backup

    def start_over(self, lesson: str | None = None,
                   timeout: float = START_OVER_LOCK_TIMEOUT) -> StartedOver:
        """Remove the saved answers of one lesson (or of all) from the file, keeping a copy first.

        All or nothing, under the file's lock: the whole file is copied aside
        (``progress.json.bak-<time>``, under a name no file has yet), then written again without
        those answers (a temporary file renamed over it). Answers kept in memory while the file
        could not be written are saved first, so the copy holds them too. Unlike :meth:`reset`
        this never falls back to memory: if the file cannot be changed, nothing is removed.

        Parameters
        ----------
        lesson
            The lesson id whose answers are removed; None removes every answer (the student's
            name and id stay).
        timeout
            How long to wait for the lock when another notebook is writing.

        Raises
        ------
        StartOverError
            Nothing was removed: the folder is read-only, the file is locked or from a newer
            version of the course, the copy could not be made, or the file was damaged (it is
            then set aside as ``progress.json.corrupt-<time>``, as on any read). The message
            says which, in a sentence for the student.
        """
        if self.memory or self.memory_only:
            self._update(lambda answers: answers)     # try the file again, saving what memory holds
            if self.memory_only:
                raise StartOverError(self._not_removed(self._failure))
        removed: list[int] = []
        notices = len(self.file.notices)

        def remove(on_disk: Progress) -> Progress | None:
            if len(self.file.notices) > notices:   # damaged, and set aside by this very read
                raise _Damaged
            kept = [] if lesson is None else [r for r in on_disk.answers if r["lesson"] != lesson]
            removed.append(len(on_disk.answers) - len(kept))
            if not removed[-1]:
                return None
            return Progress(on_disk.name, self._id_for(on_disk.student_id), kept, course_version())

        try:
            _, backup = self.file.update_with_backup(remove, "bak", timeout=timeout,
                                                     student_id=self._new_id())
        except _Damaged:
            notice = self.file.notices[-1]
            self._take_notices()
            self._notify()
            raise StartOverError(f"Nothing was removed. {notice}") from None
        except _FAILURES as exc:
            raise StartOverError(self._not_removed(_reason(exc))) from exc
        if removed[-1]:
            self._notify()
        return StartedOver(lesson, removed[-1], backup)

    def _not_removed(self, reason: str) -> str:
        return (f"Nothing was removed: your progress file {self.path} cannot be changed now "
                f"({reason}). Your saved answers are as they were; try again later, or tell "
                "your teacher.")

    def subscribe(self, callback: Callable[[], Any]) -> None:
        """Call ``callback()`` after every change saved through any store of this file in this
        kernel. A bound method is held weakly (a dashboard that is gone is forgotten)."""
        ref: Callable[[], Any]
        if hasattr(callback, "__self__") and hasattr(callback, "__func__"):
            ref = weakref.WeakMethod(callback)
        else:
            ref = lambda: callback   # noqa: E731 - a plain function is kept as it is
        _listeners.setdefault(self.path, []).append(ref)

    # --- tables and exports -----------------------------------------------------------------

    def answers(self) -> pd.DataFrame:
        """Every attempt as a table, oldest first (see :func:`.tables.answers`)."""
        return tables.answers(self._snapshot().answers)

    def by_question(self) -> pd.DataFrame:
        """One row per question answered in each lesson (see :func:`.tables.by_question`)."""
        return tables.by_question(self._snapshot().answers)

    def by_lesson(self, folder: str | os.PathLike[str] | None = None,
                  banks: dict[str, Any] | None = None) -> pd.DataFrame:
        """One row per lesson: answered of total, right on first try (see :func:`.tables.by_lesson`).

        Parameters
        ----------
        folder
            The folder of lesson files (default: ``COURSE_QUIZ_DIR`` or ``data/quizzes``).
        banks
            Lesson files already loaded (by lesson id), instead of reading ``folder``.
        """
        if banks is None:
            banks, _ = tables.load_banks(folder)
        return tables.by_lesson(self._snapshot().answers, banks)

    def progress(self) -> Progress:
        """Everything saved (file and memory merged), as the export writes it."""
        current = self._snapshot()
        current.course_version = course_version()
        return current

    def export_json(self, path: str | os.PathLike[str]) -> Path:
        """Write every attempt, with the student and the export time, to a JSON file (format 2)."""
        out = Path(path)
        out.write_text(records.dumps_export(records.export_content(self.progress())),
                       encoding="utf-8")
        return out

    def export_csv(self, path: str | os.PathLike[str]) -> Path:
        """Write every attempt, with the student on each row, to a CSV file (answers as JSON)."""
        return records.write_csv(self.progress(), Path(path))

    # --- reading and writing ----------------------------------------------------------------

    def _new_id(self) -> str:
        hub = hub_student_id()
        if hub:
            return hub
        if self._own_id is None:
            self._own_id = new_student_id()
        return self._own_id

    def _id_for(self, on_disk: str | None) -> str:
        """The hub's id wins; else the file's; else this store's generated one."""
        return hub_student_id() or on_disk or self._new_id()

    def _snapshot(self) -> Progress:
        """The student and every answer (file and memory merged), oldest first."""
        on_disk: Progress | None = None
        if not self.memory_only:
            try:
                on_disk = self.file.read(student_id=self._new_id())
            except _FAILURES as exc:
                self._fall_back(exc)
            self._take_notices()
        if on_disk is None:   # the file cannot be locked or written: read what is there
            on_disk = self.file.peek(student_id=self._new_id()) or Progress()
        return Progress(self.memory.name_over(on_disk.name), self._id_for(on_disk.student_id),
                        self.memory.merged(on_disk.answers), on_disk.course_version)

    def _update(self, change: Callable[[list[dict[str, Any]]], list[dict[str, Any]]],
                backup: bool = False, name: Any = UNSET) -> Path | None:
        """Apply ``change`` (answers -> answers) to the file under the lock, else in memory.

        With ``backup`` (or when a reset made in memory reaches the file) the file is copied
        aside first; return the copy (None: no copy, or the change was kept in memory).
        """
        retrying = self.memory_only
        kept = len(self.memory.pending)

        def apply(on_disk: Progress) -> Progress:
            new_name = self.memory.name_over(on_disk.name) if name is UNSET else name
            answers = change(self.memory.merged(on_disk.answers))
            return Progress(new_name, self._id_for(on_disk.student_id), answers,
                            course_version())

        timeout = RETRY_LOCK_TIMEOUT if retrying else None
        copy: Path | None = None
        try:
            if backup or self.memory.hidden:     # answers leave the file: a copy first
                saved, copy = self.file.update_with_backup(apply, "bak", timeout=timeout,
                                                           student_id=self._new_id())
                assert saved is not None        # apply always gives the new content
            else:
                saved = self.file.update(apply, timeout=timeout, student_id=self._new_id())
        except _FAILURES as exc:
            self._fall_back(exc)
            on_disk = self.file.peek(student_id=self._new_id()) or Progress()
            self.memory.apply(on_disk.answers, change, name)
            return None
        self.memory.clear()
        self._own_id = saved.student_id
        if retrying:
            self.memory_only = False
            self.warning = ("Saving works again: "
                            + (f"the {_plural(kept, 'answer', 'answers')} kept in memory "
                               f"{'is' if kept == 1 else 'are'} now saved in {self.path}."
                               if kept else f"your answers are saved in {self.path}."))
            self._recovery_notice = True
        elif self._recovery_notice:    # said once; the next saved change clears it
            self.warning, self._recovery_notice = None, False
        self._take_notices()
        return copy

    def _take_notices(self) -> None:
        if self.file.notices:
            self.warning = self.file.notices[-1]
            self.file.notices.clear()
            self._recovery_notice = False

    def _fall_back(self, exc: BaseException) -> None:
        self.memory_only = True
        self._recovery_notice = False
        reason = self._failure = _reason(exc)
        self.warning = (f"Your answers cannot be saved to {self.path} ({reason}). They are kept "
                        "in memory only for now, and would be lost if the kernel stopped; "
                        "saving is tried again at your next answer.")

    def _notify(self) -> None:
        refs = _listeners.get(self.path, [])
        for ref in list(refs):
            callback = ref()
            if callback is None:
                refs.remove(ref)
                continue
            try:
                callback()
            except Exception as exc:   # a listener never breaks the quiz that saved the answer
                warnings.warn(f"a progress listener failed: {exc!r}", RuntimeWarning, stacklevel=2)
