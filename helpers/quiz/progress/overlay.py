"""What the store keeps in memory while the progress file cannot be written.

Answers given meanwhile (``pending``), answers a reset removed that are still in the file
(``hidden``), and a name set meanwhile. Merged with what the file holds, they are what the
student sees; when the file works again they are written into it and forgotten here.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from helpers.quiz.progress.records import sort_key

UNSET: Any = object()


class MemoryOverlay:
    """Changes not yet in the progress file."""

    def __init__(self) -> None:
        self.pending: list[dict[str, Any]] = []
        self.hidden: set[str] = set()
        self.name: Any = UNSET

    def __bool__(self) -> bool:
        return bool(self.pending or self.hidden or self.name is not UNSET)

    def merged(self, on_disk: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The file's answers, minus hidden ones, plus pending ones; by answer id; oldest first."""
        by_id = {r["id"]: r for r in on_disk if r["id"] not in self.hidden}
        for rec in self.pending:
            by_id.setdefault(rec["id"], rec)
        return sorted(by_id.values(), key=sort_key)

    def name_over(self, on_disk: str | None) -> str | None:
        """The name the student sees: one set in memory wins over the file's."""
        return on_disk if self.name is UNSET else self.name

    def apply(self, on_disk: list[dict[str, Any]],
              change: Callable[[list[dict[str, Any]]], list[dict[str, Any]]],
              name: Any = UNSET) -> None:
        """Apply a change in memory only: remember what differs from the file."""
        changed = change(self.merged(on_disk))
        kept = {r["id"] for r in changed}
        disk_ids = {r["id"] for r in on_disk}
        self.pending = [r for r in changed if r["id"] not in disk_ids]
        self.hidden = disk_ids - kept
        if name is not UNSET:
            self.name = name

    def clear(self) -> None:
        """Forget everything (it is in the file now)."""
        self.pending, self.hidden, self.name = [], set(), UNSET
