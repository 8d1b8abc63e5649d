"""The student's progress dashboard: answered and first-try score per lesson, a chart, an export.

    from helpers.quiz.dashboard import dashboard
    dashboard()

Everything shown comes from :mod:`helpers.quiz.progress`. The dashboard updates itself when an
answer is saved in the same kernel (it subscribes to the progress store); **Refresh** reads the
file again, for answers given in other notebooks. Where no kernel runs (GitHub, nbviewer, nbval's
comparison) it shows one line of text, never a machine's path or an answer.
"""
from __future__ import annotations

import asyncio
import hashlib
import html
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd

from helpers.display import charts as plots
from helpers.display.charts import show_in
from helpers.quiz.progress import ProgressStore, get_store, tables

EXPORT_PREFIX = "course-answers"
NAME_NEEDED = ("Type your name in the box above and press Save name first: your teacher needs it "
               "to know whose answers these are.")


def count(n: int, one: str, many: str | None = None) -> str:
    """``1 question``, ``2 questions``, ``0 questions``."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def were(n: int) -> str:
    """``1 was``, ``2 were``, ``0 were``."""
    return f"{n} {'was' if n == 1 else 'were'}"


def export_name(name: str | None, student_id: str) -> str | None:
    """The file name stem of an export, or None when there is no name to give it.

    ``course-answers-<name>-<6 characters from the student id>``: the name keeps letters of any
    alphabet (``юлія-коваленко``, ``zoë-müller``); the suffix keeps two students with the same
    name apart. On a hub without a saved name, the hub user name stands in.
    """
    if not (name and name.strip()) and student_id.startswith("hub:"):
        name = student_id.removeprefix("hub:")
    if not (name and name.strip()):
        return None
    text = unicodedata.normalize("NFC", name).lower()
    slug = re.sub(r"-+", "-", "".join(c if c.isalnum() else "-" for c in text)).strip("-")[:40]
    suffix = hashlib.sha256(student_id.encode("utf-8")).hexdigest()[:6]
    return f"{EXPORT_PREFIX}-{slug.strip('-') or 'student'}-{suffix}"


def summary_sentence(table: pd.DataFrame) -> str:
    """E.g. "You have answered 3 of 12 questions in 1 of 3 lessons; 1 was right on the first try."
    (``table``: :meth:`ProgressStore.by_lesson`)."""
    answered = int(table["answered"].sum())
    total = int(table["total"].fillna(0).sum())
    right = int(table["first_try_correct"].sum())
    started = int((table["answered"] > 0).sum())
    return (f"You have answered {answered} of {count(total, 'question')} in {started} of "
            f"{count(len(table), 'lesson')}; {were(right)} right on the first try.")


def summary_table(table: pd.DataFrame) -> pd.DataFrame:
    """One row per lesson: questions answered of total, graded questions right on first try."""
    def of(part: pd.Series, whole: pd.Series) -> list[str]:
        return [f"{p} of {w}" if pd.notna(w) else str(p) for p, w in zip(part, whole, strict=True)]

    return pd.DataFrame({
        "lesson": [title if isinstance(title, str) else lesson
                   for title, lesson in zip(table["title"], table["lesson"], strict=True)],
        "answered": of(table["answered"], table["total"]),
        "right on first try": of(table["first_try_correct"], table["graded"]),
        "reflections saved": table["reflections"],
    })


def completion_chart(table: pd.DataFrame) -> plots.Chart:
    """Bar chart: per cent of each lesson's questions answered (``table``: ``by_lesson()``)."""
    share = (100 * table["answered"] / table["total"]).fillna(0).astype(float).round()
    chart = plots.bars(list(table["lesson"]), list(share), "Questions answered per lesson",
                       "per cent")
    chart.figure.axes[0].set_xlim(0, 110)      # the whole scale, with room for the value labels
    return chart


class Dashboard(widgets.VBox):
    """Controls at the top (name, Save name, Refresh, Export), then summary, table and chart.

    Parameters
    ----------
    store
        The progress store to show (default: the student's own).
    export_folder
        Where Export writes its two files (default: the notebook's folder).
    folder
        The folder of lesson files (default: ``COURSE_QUIZ_DIR`` or ``data/quizzes``).
    """

    def __init__(self, store: ProgressStore | None = None,
                 export_folder: str | os.PathLike[str] | None = None,
                 folder: str | os.PathLike[str] | None = None) -> None:
        self.store = store if store is not None else get_store()
        self.export_folder = Path(export_folder) if export_folder is not None else Path.cwd()
        self.folder = folder
        self.banks: dict[str, Any] = {}
        self._chart_shares: list[float] | None = None
        self._update_scheduled = False
        self.name = widgets.Text(value=self.store.student_name or "", description="Your name",
                                 placeholder="needed to hand in your answers")
        self.save_name = widgets.Button(description="Save name",
                                        tooltip="Store your name with your answers")
        self.refresh_button = widgets.Button(
            description="Refresh", icon="refresh",
            tooltip="Read your saved answers again (for answers given in other notebooks)")
        self.export_button = widgets.Button(description="Export my answers", icon="download",
                                            tooltip="Write your answers to a JSON and a CSV file",
                                            layout=widgets.Layout(width="auto"))
        self.summary = widgets.HTML()
        self.table = widgets.HTML()
        self.chart = widgets.Output()
        self.message = widgets.HTML()
        for widget, name in [(self.name, "dashboard-name"), (self.save_name, "dashboard-save-name"),
                             (self.refresh_button, "dashboard-refresh"),
                             (self.export_button, "dashboard-export"), (self.summary, "dashboard-summary"),
                             (self.table, "dashboard-table"), (self.chart, "dashboard-chart"),
                             (self.message, "dashboard-message")]:
            widget.add_class(name)
        self.save_name.on_click(lambda _button: self.store_name())
        self.refresh_button.on_click(lambda _button: self.refresh(reload=True))
        self.export_button.on_click(lambda _button: self.export())
        super().__init__(children=[
            widgets.HBox([self.name, self.save_name]),
            widgets.HBox([self.refresh_button, self.export_button]), self.message,
            self.summary, self.table, self.chart])
        self.add_class("dashboard")
        self.refresh(reload=True)
        self.store.subscribe(self._saved)

    def _saved(self) -> None:
        """Called by the progress store after every change saved in this kernel.

        In a running kernel the update waits until the quiz has shown its feedback (it is
        scheduled on the kernel's event loop; answers saved meanwhile are drawn once); without an
        event loop (a script, a test) it happens at once.
        """
        if self._update_scheduled:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.refresh()
            return
        self._update_scheduled = True
        loop.call_soon(self._scheduled_refresh)

    def _scheduled_refresh(self) -> None:
        self._update_scheduled = False
        try:
            self.refresh()
        except Exception as exc:   # shown, never raised into the kernel's event loop
            self.message.value = (f'<p role="alert">⚠ The dashboard could not be updated '
                                  f"({html.escape(str(exc))}); press Refresh.</p>")

    def refresh(self, reload: bool = False) -> None:
        """Redraw from the saved answers; ``reload`` also reads the lesson files again.

        The chart is drawn again only when what it shows changed (a retry changes nothing in it).
        """
        if reload or not self.banks:
            self.banks, _ = tables.load_banks(self.folder)
            self._chart_shares = None
        table = self.store.by_lesson(banks=self.banks)
        self.summary.value = (
            f"<p><strong>{html.escape(summary_sentence(table))}</strong></p>"
            f"<p><small>Saved in <code>{html.escape(self.store.location())}</code>.</small></p>")
        if self.store.warning:
            self.summary.value += f'<p role="alert">⚠ {html.escape(self.store.warning)}</p>'
        self.table.value = summary_table(table).to_html(index=False, classes="dashboard-grid",
                                                        na_rep="", escape=True)
        shares = list(table["answered"].astype(float)) if int(table["answered"].sum()) else []
        if shares != self._chart_shares:
            self._chart_shares = shares
            self.chart.outputs = ()
            if shares:
                show_in(self.chart, completion_chart(table))

    def store_name(self) -> None:
        """Save the name typed in the box (an empty box removes it)."""
        name = " ".join(self.name.value.split()) or None
        self.store.set_student(name)
        self.message.value = (f"<p>Saved your name: {html.escape(name)}.</p>" if name
                              else "<p>No name is stored with your answers.</p>")

    def export(self) -> list[Path]:
        """Write the answers as JSON and CSV into the export folder; report where, or why not."""
        student = self.store.student
        stem = export_name(student["name"], student["id"] or "")
        if stem is None:
            self.message.value = f'<p role="alert">⚠ {html.escape(NAME_NEEDED)}</p>'
            return []
        try:
            self.export_folder.mkdir(parents=True, exist_ok=True)
            written = [self.store.export_json(self.export_folder / f"{stem}.json"),
                       self.store.export_csv(self.export_folder / f"{stem}.csv")]
        except OSError as error:
            self.message.value = (f'<p role="alert">⚠ Could not write the export to '
                                  f"<code>{html.escape(str(self.export_folder))}</code>: "
                                  f"{html.escape(error.strerror or str(error))}. Nothing was lost: "
                                  "your answers are still in your progress file.</p>")
            return []
        self.message.value = (f"<p>✔ Wrote <code>{html.escape(written[0].name)}</code> (hand this one "
                              f"in) and <code>{html.escape(written[1].name)}</code> (for a "
                              f"spreadsheet) in <code>{html.escape(str(self.export_folder))}</code>.</p>")
        return written

    def __repr__(self) -> str:
        return "Progress dashboard: your answers per quiz (run the notebook to see it)"


def dashboard(store: ProgressStore | None = None, export_folder: str | os.PathLike[str] | None = None,
              folder: str | os.PathLike[str] | None = None) -> Dashboard:
    """Return the progress dashboard; it displays itself."""
    return Dashboard(store, export_folder, folder)


__all__ = ["Dashboard", "completion_chart", "count", "dashboard", "export_name", "summary_sentence",
           "summary_table", "were"]
