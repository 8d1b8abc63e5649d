"""The progress file on disk: the lock, atomic writes, recovery, migration, stale temporary files.

Every read that may repair and every write take a file lock (``progress.json.lock``). A write
reads the current file under the lock, applies a change, writes a temporary file in the same
folder (``.progress-*.tmp``), syncs it and renames it over the old one: two notebooks answering
at once lose nothing, and a reader never sees half a file. A writer killed between the two steps
leaves its temporary file behind; those older than :data:`STALE_TMP_SECONDS` are removed.

A damaged file is moved aside (``progress.json.corrupt-<time>``) and a fresh one started. A
version-1 file is copied aside (``progress.json.v1-<time>``) and written back as version 2. A
file from a newer version of the course is never touched (:class:`StorageUnavailable`). A change
that removes answers (:meth:`ProgressFile.update_with_backup`) copies the whole file aside first
(``progress.json.bak-<time>``). Every copy gets a name no file has yet, and is created as a new
file: an older copy is never overwritten.
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from filelock import FileLock

from helpers.quiz.progress import records
from helpers.quiz.progress.records import NewerFormatError, Progress

LOCK_TIMEOUT = 30.0
STALE_TMP_SECONDS = 300.0
TMP_PREFIX, TMP_SUFFIX = ".progress-", ".tmp"


class StorageUnavailable(Exception):
    """The file exists but must not be written by this version (the message says why)."""


def stamp() -> str:
    """A UTC time for file names, e.g. ``20220126T143000Z``."""
    return records.now().strftime("%Y%m%dT%H%M%SZ")


class ProgressFile:
    """One progress file: read under a lock (repairing it), changed atomically.

    Attributes
    ----------
    backups
        Copies made next to the file: damaged files moved aside, version-1 originals, copies
        kept before answers were removed.
    notices
        Sentences for the student about what was repaired; the store takes them.
    """

    def __init__(self, path: str | os.PathLike[str], lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.path = Path(path).expanduser().absolute()
        self.lock_timeout = lock_timeout
        self.backups: list[Path] = []
        self.notices: list[str] = []
        self._lock = FileLock(str(self.path) + ".lock", timeout=lock_timeout)

    @contextmanager
    def _locked(self, timeout: float | None) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock.acquire(timeout=self.lock_timeout if timeout is None else timeout):
            yield

    # --- reading ------------------------------------------------------------------------------

    def read(self, timeout: float | None = None, student_id: str | None = None) -> Progress:
        """Read under the lock, repairing and migrating as the module says.

        Raises
        ------
        OSError, filelock.Timeout
            If the folder or the lock cannot be used.
        StorageUnavailable
            If the file is from a newer version of the course.
        """
        with self._locked(timeout):
            progress = self._read_repairing(student_id)
            self.remove_stale_temporary_files()
            return progress

    def peek(self, student_id: str | None = None) -> Progress | None:
        """Read without the lock and without repairing anything (None if absent or unusable)."""
        try:
            content = json.loads(self.path.read_text(encoding="utf-8"))
            return records.parse(content, v1_student_id=student_id)
        except (OSError, ValueError):     # includes FormatError and JSON/Unicode errors
            return None

    def _read_repairing(self, student_id: str | None) -> Progress:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return Progress()
        try:
            content = json.loads(raw.decode("utf-8"))
            progress = records.parse(content, v1_student_id=student_id)
        except NewerFormatError as exc:
            raise StorageUnavailable(f"{self.path.name}: {exc}") from None
        except ValueError as exc:   # JSON, Unicode and format errors
            reason = str(exc) if isinstance(exc, records.FormatError) else f"it is not valid JSON: {exc}"
            backup = self._free_name(f"{self.path.name}.corrupt-{stamp()}")
            os.replace(self.path, backup)
            self.backups.append(backup)
            self.notices.append(f"Your progress file could not be read ({reason}). A copy was "
                                f"kept as {backup.name} and a new progress file was started.")
            return Progress()
        if progress.version_read != records.VERSION:
            backup = self._free_name(f"{self.path.name}.v1-{stamp()}")
            backup.write_bytes(raw)
            self.backups.append(backup)
            progress.course_version = records.course_version()
            self._write(progress)
        return progress

    # --- writing ------------------------------------------------------------------------------

    def update(self, change: Callable[[Progress], Progress], timeout: float | None = None,
               student_id: str | None = None) -> Progress:
        """Under the lock: read, apply ``change`` (Progress → Progress), write; return the new one."""
        with self._locked(timeout):
            new = change(self._read_repairing(student_id))
            self._write(new)
            self.remove_stale_temporary_files()
            return new

    def update_with_backup(self, change: Callable[[Progress], Progress | None], label: str = "bak",
                           timeout: float | None = None,
                           student_id: str | None = None) -> tuple[Progress | None, Path | None]:
        """Under the lock: read, apply ``change``; copy the file aside, then write the new content.

        All or nothing: when ``change`` returns None the file is left as it is (no copy); when
        the write fails the file is unchanged and the copy is removed again.

        Returns
        -------
        (Progress or None, Path or None)
            What was written (None: nothing) and the copy (``progress.json.<label>-<time>``;
            None when nothing was written or there was no file to copy).

        Raises
        ------
        OSError, filelock.Timeout, StorageUnavailable
            As :meth:`read`; also when the copy or the write fails (the file is then unchanged).
        """
        with self._locked(timeout):
            new = change(self._read_repairing(student_id))
            if new is None:
                return None, None
            backup = self.copy_aside(label)
            try:
                self._write(new)
            except BaseException:
                if backup is not None:      # the file is as it was: its copy is not needed
                    self._discard(backup)
                raise
            self.remove_stale_temporary_files()
            return new, backup

    def copy_aside(self, label: str) -> Path | None:
        """Copy the file to ``progress.json.<label>-<time>`` (call it under the lock).

        The copy is a new file (never an older copy overwritten), written in full and synced
        before this returns; a copy that fails half-way is removed. None if there is no file.

        Raises
        ------
        OSError
            If the copy cannot be made (a read-only folder, a full disk).
        """
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return None
        name = f"{self.path.name}.{label}-{stamp()}"
        while True:
            backup = self._free_name(name)
            try:
                handle = backup.open("xb")      # exclusive: fails if the name was taken meanwhile
            except FileExistsError:
                continue
            break
        try:
            with handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            backup.unlink(missing_ok=True)
            raise
        self.backups.append(backup)
        return backup

    def _discard(self, backup: Path) -> None:
        """Remove a copy made for a change that did not happen (quietly: it is only a copy)."""
        with suppress(OSError):
            backup.unlink()
        if backup in self.backups:
            self.backups.remove(backup)

    def _write(self, progress: Progress) -> None:
        """Write the whole file atomically: temp file in the same folder, fsync, rename."""
        text = records.dumps_file(progress)
        fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=TMP_SUFFIX, dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def remove_stale_temporary_files(self, older_than: float = STALE_TMP_SECONDS) -> list[Path]:
        """Remove ``.progress-*.tmp`` files older than ``older_than`` seconds (a killed writer's)."""
        removed = []
        limit = time.time() - older_than
        for tmp in self.path.parent.glob(f"{TMP_PREFIX}*{TMP_SUFFIX}"):
            try:
                if tmp.stat().st_mtime < limit:
                    tmp.unlink()
                    removed.append(tmp)
            except OSError:
                continue   # another process removed it, or it cannot be removed: not our problem
        return removed

    def _free_name(self, name: str) -> Path:
        """A path next to the progress file that does not exist yet."""
        candidate = self.path.with_name(name)
        n = 2
        while candidate.exists():
            candidate = self.path.with_name(f"{name}-{n}")
            n += 1
        return candidate
