"""The student's progress dashboard: score and completion per notebook, a chart, an export.

    from helpers.quiz.dashboard import dashboard
    dashboard()

Everything shown comes from :mod:`helpers.progress`. Where no kernel runs (GitHub, nbviewer,
nbval's comparison) the dashboard shows one line of text, never a machine's path or an answer.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from helpers.display import charts as plots
from helpers.display.charts import show_in
from helpers.quiz.progress import ProgressStore, get_store

EXPORT_PREFIX = "course-answers"


def export_name(student: str | None) -> str:
    """The file name stem of an export: ``course-answers-<student>`` (``anonymous`` if unnamed)."""
    slug = re.sub(r"[^a-z0-9]+", "-", (student or "").lower()).strip("-") or "anonymous"
    return f"{EXPORT_PREFIX}-{slug}"


def summary_table(table: pd.DataFrame) -> pd.DataFrame:
    """One row per quiz: questions answered of total, and graded questions right on first try.

    ``table`` is :meth:`ProgressStore.by_notebook`.
    """
    shown = pd.DataFrame({
        "notebook": table["notebook"],
        "quiz": table["title"],
        "answered": table["answered"].astype(str) + " of " + table["total"].astype(str),
        "right on first try": table["first_try_correct"].astype(str) + " of " + table["graded"].astype(str),
        "reflections saved": table["reflections"],
    })
    return shown


def completion_chart(table: pd.DataFrame) -> plots.Chart:
    """Bar chart: per cent of each quiz's questions answered (``table``: ``by_notebook()``)."""
    share = (100 * table["answered"] / table["total"]).fillna(0).astype(float).round()
    chart = plots.bars(list(table["notebook"]), list(share), "Questions answered per quiz", "per cent")
    chart.figure.axes[0].set_xlim(0, 110)      # the whole scale, with room for the value labels
    return chart


class Dashboard(widgets.VBox):
    """Name box, summary line, per-quiz table and chart, with Refresh and Export buttons.

    Parameters
    ----------
    store
        The progress store to show (default: the student's own).
    export_folder
        Where Export writes its two files (default: the notebook's folder).
    """

    def __init__(self, store: ProgressStore | None = None,
                 export_folder: str | Path | None = None) -> None:
        self.store = store if store is not None else get_store()
        self.export_folder = Path(export_folder) if export_folder is not None else Path.cwd()
        self.name = widgets.Text(value=self.store.student or "", description="Your name",
                                 placeholder="optional, for your teacher")
        self.save_name = widgets.Button(description="Save name", tooltip="Store your name with your answers")
        self.refresh_button = widgets.Button(description="Refresh", icon="refresh",
                                             tooltip="Read your saved answers again")
        self.export_button = widgets.Button(description="Export my answers", icon="download",
                                            tooltip="Write your answers to a CSV and a JSON file",
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
        self.refresh_button.on_click(lambda _button: self.refresh())
        self.export_button.on_click(lambda _button: self.export())
        super().__init__(children=[
            widgets.HBox([self.name, self.save_name]), self.summary, self.table, self.chart,
            widgets.HBox([self.refresh_button, self.export_button]), self.message])
        self.add_class("dashboard")
        self.refresh()

    def refresh(self) -> None:
        """Read the progress file again and redraw everything."""
        table = self.store.by_notebook()
        answered = int(table["answered"].sum())
        total = int(table["total"].fillna(0).sum())
        right = int(table["first_try_correct"].sum())
        started = int((table["answered"] > 0).sum())
        self.summary.value = (
            f"<p><strong>You have answered {answered} of {total} questions</strong> in {started} of "
            f"{len(table)} quizzes; {right} were right on the first try.</p>"
            f"<p><small>Saved in <code>{html.escape(self.store.location())}</code>.</small></p>")
        if self.store.warning:
            self.summary.value += f'<p role="alert">⚠ {html.escape(self.store.warning)}</p>'
        self.table.value = summary_table(table).to_html(index=False, classes="dashboard-grid",
                                                             na_rep="", escape=True)
        self.chart.outputs = ()
        if answered:
            show_in(self.chart, completion_chart(table))

    def store_name(self) -> None:
        """Save the name typed in the box (an empty box removes it)."""
        name = self.name.value.strip() or None
        self.store.set_student(name)
        self.message.value = (f"<p>Saved your name: {html.escape(name)}.</p>" if name
                              else "<p>No name is stored with your answers.</p>")

    def export(self) -> list[Path]:
        """Write the answers as CSV and JSON into the export folder; report where, or why not."""
        stem = export_name(self.store.student)
        try:
            self.export_folder.mkdir(parents=True, exist_ok=True)
            written = [self.store.export_csv(self.export_folder / f"{stem}.csv"),
                       self.store.export_json(self.export_folder / f"{stem}.json")]
        except OSError as error:
            self.message.value = (f'<p role="alert">⚠ Could not write the export to '
                                  f"<code>{html.escape(str(self.export_folder))}</code>: "
                                  f"{html.escape(error.strerror or str(error))}. Nothing was lost: "
                                  "your answers are still in your progress file.</p>")
            return []
        names = " and ".join(f"<code>{html.escape(p.name)}</code>" for p in written)
        self.message.value = (f"<p>✔ Wrote {names} in <code>{html.escape(str(self.export_folder))}</code>. "
                              "Hand in the JSON file if your teacher asks for your answers.</p>")
        return written

    def __repr__(self) -> str:
        return "Progress dashboard: your answers per quiz (run the notebook to see it)"


def dashboard(store: ProgressStore | None = None, export_folder: str | Path | None = None) -> Dashboard:
    """Return the progress dashboard; it displays itself."""
    return Dashboard(store, export_folder)
