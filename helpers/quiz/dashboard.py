"""The student's progress dashboard: answered and first-try score per lesson, a chart, the hand-in.

    from helpers.quiz.dashboard import dashboard
    dashboard()

Everything shown comes from :mod:`helpers.quiz.progress`. The dashboard updates itself when an
answer is saved in the same kernel (it subscribes to the progress store); **Refresh** reads the
file again, for answers given in other notebooks. Where no kernel runs (GitHub, nbviewer, nbval's
comparison) it shows one line of text, never a machine's path or an answer.

Handing in (both need a saved name, or a hub user name, and at least one answer):

- **Hand in** (only where ``COURSE_HANDIN_DIR`` is set, as on the course's JupyterHub) writes the
  export straight into that folder. The folder may be a *drop box*: a student can create a file
  there but not list or read it. So the dashboard never lists or reads it: every hand-in is a
  new file with a name no one else can have (:func:`hand_in`).
- **Download my answers** (everywhere) is a link that gives the browser the export file in one
  click: a ``data:`` URL with a ``download`` attribute, kept up to date with every saved answer.
  Nothing is written next to the notebook.

Starting a lesson over (:class:`StartOverControl`, one anywidget model): a labelled drop-down of
the lessons that have saved answers (their titles from the lesson files) and "All lessons", and
**Start over…**, which asks first, in words, with **Yes, start over** and **Cancel**. Yes calls
:meth:`helpers.quiz.progress.ProgressStore.start_over`: a copy of the whole progress file is
kept beside it first, then the lesson's answers are removed, all or nothing; the dashboard
redraws itself and says what happened, or why nothing was removed. Keys pressed in the control
never reach JupyterLab's notebook shortcuts (a native ``<select>`` would otherwise move the
notebook on ArrowDown).
"""
from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import html
import os
import re
import secrets
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as widgets
import pandas as pd
import traitlets

from helpers.display import charts as plots
from helpers.display.charts import show_in
from helpers.quiz import assets
from helpers.quiz.progress import (
    ProgressStore,
    StartedOver,
    StartOverError,
    get_store,
    records,
    tables,
)

EXPORT_PREFIX = "course-answers"
HANDIN_ENV = "COURSE_HANDIN_DIR"
NAME_NEEDED = ("Type your name in the box above and press Save name first: your teacher needs it "
               "to know whose answers these are.")
NOTHING_YET = "You have not answered any question yet: there is nothing to hand in."
DOWNLOAD_LABEL = "Download my answers"
HANDIN_LABEL = "Hand in"
# Browsers take data: links of a few megabytes; an export is far smaller (about 300 bytes an answer).
MAX_DATA_URL_BYTES = 1_500_000
START_OVER_LABEL = "Start over…"
YES_LABEL = "Yes, start over"
CANCEL_LABEL = "Cancel"
CHOICE_LABEL = "Lesson to start over"
ALL_LESSONS = "*"             # the drop-down's value for "All lessons" (never a lesson id)
NOTHING_SAVED = "Nothing to start over: you have no saved answers yet."


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


# --- the hand-in --------------------------------------------------------------------------------

class HandInError(ValueError):
    """Why nothing was handed in, in a sentence for the student."""


def handin_folder() -> Path | None:
    """The hand-in folder (``COURSE_HANDIN_DIR``), or None where there is none (a laptop, Binder)."""
    value = os.environ.get(HANDIN_ENV, "").strip()
    return Path(value).expanduser() if value else None


def export_file(store: ProgressStore, progress: records.Progress | None = None) -> tuple[str, bytes]:
    """The export a student hands in: ``(file name, JSON bytes)``, format 2 with the export time.

    ``progress`` is what the store holds when the caller has just read it (one read per redraw).

    Raises
    ------
    HandInError
        Without a name (:data:`NAME_NEEDED`) or without a single answer (:data:`NOTHING_YET`).
    """
    progress = progress if progress is not None else store.progress()
    stem = export_name(progress.name, progress.student_id or store.student_id)
    if stem is None:
        raise HandInError(NAME_NEEDED)
    if not progress.answers:
        raise HandInError(NOTHING_YET)
    text = records.dumps_export(records.export_content(progress))
    return f"{stem}.json", text.encode("utf-8")


def hand_in(store: ProgressStore | None = None, folder: str | os.PathLike[str] | None = None) -> Path:
    """Write the student's export into the hand-in folder as a new file; return its path.

    The folder may be a drop box (write and enter, no read): nothing in it is listed, read or
    overwritten. The file is written under a hidden temporary name first (``.…partial``, which
    the class results ignore) and then renamed, so the teacher never sees half a file. Its name
    is the export's (:func:`export_name`) plus the time and a random code:
    ``course-answers-юлія-коваленко-3f9a1c-20260302T100000Z-9b1e44d0.json``. Every hand-in holds
    all the answers so far; the class results count each answer once.

    Parameters
    ----------
    store
        The progress store (default: the student's own).
    folder
        The hand-in folder (default: ``COURSE_HANDIN_DIR``).

    Raises
    ------
    HandInError
        No hand-in folder is configured, there is no name or no answer, or the folder is missing.
    OSError
        The file could not be written (the message of the error says why).
    """
    store = store if store is not None else get_store()
    target_folder = Path(folder) if folder is not None else handin_folder()
    if target_folder is None:
        raise HandInError(f"No hand-in folder is set up here ({HANDIN_ENV} is not set): use "
                          f"{DOWNLOAD_LABEL} and give the file to your teacher.")
    name, data = export_file(store)
    stamp = records.now().strftime("%Y%m%dT%H%M%SZ")
    final = target_folder / f"{name.removesuffix('.json')}-{stamp}-{secrets.token_hex(4)}.json"
    partial = target_folder / f".{final.name}.partial"
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileNotFoundError:
        raise HandInError(f"The hand-in folder {target_folder} does not exist. Tell your teacher; "
                          f"meanwhile use {DOWNLOAD_LABEL} to keep a copy.") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.rename(partial, final)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        raise
    return final


def data_link(file_name: str, data: bytes, label: str, css_class: str) -> str:
    """An HTML link that makes the browser save ``data`` as ``file_name`` in one click."""
    href = "data:application/json;charset=utf-8;base64," + base64.b64encode(data).decode("ascii")
    return (f'<a class="{css_class} jupyter-button widget-button" href="{href}" '
            f'download="{html.escape(file_name)}" title="Save {html.escape(file_name)} '
            f'(hand this file in)" style="text-decoration:none;display:inline-flex;'
            f'align-items:center;width:auto;padding:0 1em">⬇ {html.escape(label)}</a>')


# --- what the dashboard shows -------------------------------------------------------------------

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
    # red and blue mark the sides in the course's charts: a student's own progress takes neither
    chart = plots.bars(list(table["lesson"]), list(share), "Questions answered per lesson",
                       "per cent", colours=[plots.NEUTRAL_COLOURS[0]] * len(share),
                       scale_max=110)      # the whole scale, with room for the value labels
    return chart


def _alert(text: str) -> str:
    return f'<p role="alert">⚠ {html.escape(text)}</p>'


# --- starting a lesson over ---------------------------------------------------------------------

# The page side of the control: static/start_over.js (labels filled in here) and start_over.css.
START_OVER_JS = (assets.read("start_over.js")
                 .replace("START_OVER_LABEL", START_OVER_LABEL).replace("CHOICE_LABEL", CHOICE_LABEL)
                 .replace("YES_LABEL", YES_LABEL).replace("CANCEL_LABEL", CANCEL_LABEL))
START_OVER_CSS = assets.stylesheet("start_over.css")


class StartOverWidget(anywidget.AnyWidget):
    """The page side of :class:`StartOverControl`: one widget model (traits: see its ES module)."""

    _esm = START_OVER_JS
    _css = START_OVER_CSS
    # DOMWidget would add a Layout model; the control styles itself.
    layout = traitlets.Instance(widgets.Layout, allow_none=True, default_value=None).tag(
        sync=True, **widgets.widget_serialization)
    options = traitlets.List(traitlets.Dict()).tag(sync=True)
    value = traitlets.Unicode("").tag(sync=True)
    reason = traitlets.Unicode(NOTHING_SAVED).tag(sync=True)
    question = traitlets.Unicode("").tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)


class StartOverControl:
    """Start a lesson over: choose a lesson (or all), **Start over…**, then **Yes** or **Cancel**.

    Driven by the page's messages (``choose``, ``ask``, ``yes``, ``cancel``) or from Python by the
    methods of the same names. Yes calls :meth:`ProgressStore.start_over`; the dashboard redraws
    itself because the store tells its subscribers.

    Parameters
    ----------
    store
        The progress store.
    title
        The title of a lesson id (the dashboard takes it from the lesson files).

    Attributes
    ----------
    widget
        The :class:`StartOverWidget` shown in the dashboard.
    last
        What the last **Yes** did (:class:`~helpers.quiz.progress.StartedOver`), or None.
    """

    def __init__(self, store: ProgressStore, title: Callable[[str], str]) -> None:
        self.store = store
        self.title = title
        self.widget = StartOverWidget()
        self.widget.add_class("dashboard-start-over-widget")
        self.widget.on_msg(self._on_message)
        self.last: StartedOver | None = None
        self._pending: str | None = None     # the lesson asked about (ALL_LESSONS for all)

    # --- what it offers ------------------------------------------------------------------------

    def update(self, answers: list[dict[str, Any]], order: list[str]) -> None:
        """Offer the lessons that have saved answers (in ``order``, then the rest), and All."""
        per_lesson: dict[str, int] = {}
        for rec in answers:
            per_lesson[rec["lesson"]] = per_lesson.get(rec["lesson"], 0) + 1
        lessons = [lesson for lesson in order if lesson in per_lesson]
        lessons += sorted(set(per_lesson) - set(lessons))
        options = [{"value": lesson,
                    "label": f"{self.title(lesson)} ({count(per_lesson[lesson], 'saved answer')})"}
                   for lesson in lessons]
        if options:
            options.append({"value": ALL_LESSONS,
                            "label": f"All lessons ({count(len(answers), 'saved answer')})"})
        with self.widget.hold_sync():
            if options != self.widget.options:
                self.widget.options = options
            if self.widget.value not in [o["value"] for o in options]:
                self.widget.value = options[0]["value"] if options else ""
            self.widget.reason = "" if options else NOTHING_SAVED

    @property
    def lessons(self) -> list[str]:
        """The values offered, in order (lesson ids, then :data:`ALL_LESSONS`)."""
        return [option["value"] for option in self.widget.options]

    @property
    def asking(self) -> bool:
        """True while the confirmation is shown."""
        return bool(self.widget.question)

    # --- what the student does -----------------------------------------------------------------

    def choose(self, lesson: str) -> None:
        """Pick a lesson id, or :data:`ALL_LESSONS` (as the drop-down does)."""
        self.widget.value = lesson

    def ask(self) -> str:
        """**Start over…**: show the confirmation for the lesson chosen; return its text
        (``""`` when there is nothing to start over)."""
        lesson = self.widget.value
        if self.widget.reason or lesson not in self.lessons:
            return ""
        everything = lesson == ALL_LESSONS
        saved = self.store.records(None if everything else lesson)
        if not saved:
            self.widget.status = _alert("There are no saved answers to start over any more.")
            return ""
        where = str(self.store.path.parent)
        if everything:
            lessons = len({rec["lesson"] for rec in saved})
            what = (f"This removes all your {count(len(saved), 'saved answer')}, in "
                    f"{count(lessons, 'lesson')}.")
        else:
            what = f"This removes your {count(len(saved), 'saved answer')} to “{self.title(lesson)}”."
        self._pending = lesson
        self.widget.status = ""
        self.widget.question = (
            f"{what} A backup copy of your whole progress file is kept first, in {where} (as "
            f"{self.store.path.name}.bak-<date and time>). Your next answer to each question "
            f"counts as your first try again. Start over?")
        return self.widget.question

    def yes(self) -> StartedOver | None:
        """**Yes, start over**: remove the answers asked about, then say what happened."""
        lesson, self._pending = self._pending, None
        self.widget.question = ""
        if lesson is None:
            return None
        everything = lesson == ALL_LESSONS
        name = "every lesson" if everything else f"“{self.title(lesson)}”"
        try:
            done = self.store.start_over(None if everything else lesson)
        except StartOverError as error:
            self.widget.status = _alert(str(error))
            return None
        except Exception as error:   # shown, never raised into the kernel's message handler
            self.widget.status = _alert(f"Starting over failed ({error}). Press Refresh to see "
                                        "what is saved.")
            return None
        self.last = done
        if not done.removed:
            self.widget.status = (f"<p>There were no saved answers to {html.escape(name)} any more: "
                                  "nothing was changed.</p>")
        else:
            backup = html.escape(str(done.backup)) if done.backup else ""
            self.widget.status = (
                f"<p>✔ {html.escape(name[0].upper() + name[1:])} starts afresh: "
                f"{html.escape(count(done.removed, 'saved answer'))} removed. A backup copy of "
                f"your progress file as it was is in <code>{backup}</code>.</p><p>A quiz already "
                "on screen still shows your old answers until you run its cell again.</p>")
        return done

    def cancel(self) -> None:
        """**Cancel**: hide the confirmation; nothing changes."""
        self._pending = None
        if self.widget.question:
            self.widget.question = ""
            self.widget.status = "<p>Cancelled: nothing was removed.</p>"

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        event = content.get("event") if isinstance(content, dict) else None
        value = content.get("value") if isinstance(content, dict) else None
        if event in ("choose", "ask") and isinstance(value, str) and value in self.lessons:
            with self.widget._lock_property(value=value):   # the page shows it already
                self.widget.value = value
        if event == "ask":
            self.ask()
        elif event == "yes":
            self.yes()
        elif event == "cancel":
            self.cancel()


def _button_layout() -> widgets.Layout:
    """A button as wide as its words, never squeezed by its row."""
    return widgets.Layout(width="auto", flex="0 0 auto")


def _wrapping_row() -> widgets.Layout:
    """A row whose items go onto the next line when the window is too narrow for them."""
    return widgets.Layout(flex_flow="row wrap")


class Dashboard(widgets.VBox):
    """Controls at the top (name, Save name; Hand in, Download my answers, Refresh; Start a
    lesson over), then the summary, the table and the chart.

    Parameters
    ----------
    store
        The progress store to show (default: the student's own).
    export_folder
        Where :meth:`export` writes its two files (default: the notebook's folder). No button
        uses it: it is for a script that wants the JSON and CSV files on disk.
    folder
        The folder of lesson files (default: ``COURSE_QUIZ_DIR`` or ``data/quizzes``).
    handin
        The hand-in folder (default: ``COURSE_HANDIN_DIR``); without one there is no Hand in
        button.
    """

    def __init__(self, store: ProgressStore | None = None,
                 export_folder: str | os.PathLike[str] | None = None,
                 folder: str | os.PathLike[str] | None = None,
                 handin: str | os.PathLike[str] | None = None) -> None:
        self.store = store if store is not None else get_store()
        self.export_folder = Path(export_folder) if export_folder is not None else Path.cwd()
        self.folder = folder
        self.handin_folder = Path(handin) if handin is not None else handin_folder()
        self.banks: dict[str, Any] = {}
        self._chart_shares: list[float] | None = None
        self._update_scheduled = False
        # On a narrow window (a phone) the name box shrinks and the buttons wrap onto the next
        # line whole, never squeezed until their words are cut.
        self.name = widgets.Text(value=self.store.student_name or "", description="Your name",
                                 placeholder="needed to hand in your answers",
                                 layout=widgets.Layout(max_width="calc(100% - 4px)"))
        self.save_name = widgets.Button(description="Save name",
                                        tooltip="Store your name with your answers",
                                        layout=_button_layout())
        self.refresh_button = widgets.Button(
            description="Refresh", icon="refresh",
            tooltip="Read your saved answers again (for answers given in other notebooks)",
            layout=_button_layout())
        self.handin_button = widgets.Button(
            description=HANDIN_LABEL, icon="paper-plane", button_style="success",
            tooltip="Send your answers to your teacher's hand-in folder",
            layout=_button_layout())
        # Without a name (or an answer) the download is a button that says what is missing; with
        # them it is a link (download_link) that saves the file in one click.
        self.download_button = widgets.Button(
            description=DOWNLOAD_LABEL, icon="download",
            tooltip="Save your answers as a file, to hand in", layout=_button_layout())
        self.download_link = widgets.HTML()
        self.summary = widgets.HTML()
        self.table = widgets.HTML()
        self.chart = widgets.Output()
        self.message = widgets.HTML()
        for widget, name in [(self.name, "dashboard-name"), (self.save_name, "dashboard-save-name"),
                             (self.refresh_button, "dashboard-refresh"),
                             (self.handin_button, "dashboard-handin"),
                             (self.download_button, "dashboard-download"),
                             (self.download_link, "dashboard-download"),
                             (self.summary, "dashboard-summary"), (self.table, "dashboard-table"),
                             (self.chart, "dashboard-chart"), (self.message, "dashboard-message")]:
            widget.add_class(name)
        self.save_name.on_click(lambda _button: self.store_name())
        self.refresh_button.on_click(lambda _button: self.refresh(reload=True))
        self.handin_button.on_click(lambda _button: self.hand_in())
        self.download_button.on_click(lambda _button: self.download())
        self.actions = widgets.HBox(layout=_wrapping_row())
        self.start_over = StartOverControl(self.store, self._title)
        super().__init__(children=[
            widgets.HBox([self.name, self.save_name], layout=_wrapping_row()), self.actions,
            self.start_over.widget, self.message, self.summary, self.table, self.chart])
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

        The download link is made again (it carries the answers); the chart is drawn again only
        when what it shows changed (a retry changes nothing in it).
        """
        if reload or not self.banks:
            self.banks, _ = tables.load_banks(self.folder)
            self._chart_shares = None
        progress = self.store.progress()          # the one read of the file for this redraw
        table = tables.by_lesson(progress.answers, self.banks)
        self.summary.value = (
            f"<p><strong>{html.escape(summary_sentence(table))}</strong></p>"
            f"<p><small>Saved in <code>{html.escape(self.store.location())}</code> (your "
            f"student id: <code>{html.escape(progress.student_id or '')}</code>).</small></p>")
        if self.store.warning:
            self.summary.value += _alert(self.store.warning)
        self.table.value = summary_table(table).to_html(index=False, classes="dashboard-grid",
                                                        na_rep="", escape=True)
        self._update_actions(progress)
        self.start_over.update(progress.answers, list(table["lesson"]))
        shares = list(table["answered"].astype(float)) if int(table["answered"].sum()) else []
        if shares != self._chart_shares:
            self._chart_shares = shares
            self.chart.outputs = ()
            if shares:
                show_in(self.chart, completion_chart(table))

    def _update_actions(self, progress: records.Progress) -> None:
        """Hand in (with a hand-in folder), the download (a link when there is something to
        save, else a button saying what is missing), Refresh."""
        download: widgets.Widget = self.download_button
        try:
            file_name, data = export_file(self.store, progress)
        except HandInError:
            self.download_link.value = ""
        else:
            if len(data) <= MAX_DATA_URL_BYTES:
                self.download_link.value = data_link(file_name, data, DOWNLOAD_LABEL,
                                                     "dashboard-download-link")
                download = self.download_link
        buttons = ([self.handin_button] if self.handin_folder is not None else []) + [
            download, self.refresh_button]
        if list(self.actions.children) != buttons:
            self.actions.children = buttons

    def _title(self, lesson: str) -> str:
        """A lesson's title from its lesson file, else its id."""
        bank = self.banks.get(lesson)
        title = getattr(bank, "title", None)
        return title if isinstance(title, str) and title.strip() else lesson

    def store_name(self) -> None:
        """Save the name typed in the box (an empty box removes it)."""
        name = " ".join(self.name.value.split()) or None
        self.store.set_student(name)
        self.message.value = (f"<p>Saved your name: {html.escape(name)}.</p>" if name
                              else "<p>No name is stored with your answers.</p>")

    def download(self) -> None:
        """The download button's click: say what is missing (with a name and an answer the
        button is replaced by the link), or offer the export as a file (a very large one)."""
        try:
            file_name, data = export_file(self.store)
        except HandInError as error:
            self.message.value = _alert(str(error))
            return
        if len(data) > MAX_DATA_URL_BYTES:
            written = self.export()
            if written:
                self.message.value += (f"<p>Your export is too large for a download link: "
                                       f"right-click <code>{html.escape(written[0].name)}</code> in "
                                       "the file browser and choose Download.</p>")
            return
        self.refresh()

    def hand_in(self) -> Path | None:
        """Hand in (:func:`hand_in`) and say what happened; return the file written, or None."""
        if self.handin_folder is None:
            self.message.value = _alert(f"There is no hand-in folder here: use {DOWNLOAD_LABEL}.")
            return None
        try:
            path = hand_in(self.store, self.handin_folder)
        except HandInError as error:
            self.message.value = _alert(str(error))
            return None
        except OSError as error:
            self.message.value = _alert(
                f"Could not hand in ({error.strerror or error}). Nothing was lost: your answers "
                f"are still in your progress file. Use {DOWNLOAD_LABEL} and give the file to "
                "your teacher, and tell them the hand-in did not work.")
            return None
        answers = len(self.store.records())
        when = records.now().strftime("%H:%M UTC")
        self.message.value = (
            f"<p>✔ Handed in at {when}: {html.escape(count(answers, 'answer'))}, as "
            f"<code>{html.escape(path.name)}</code>. Each hand-in holds all your answers so "
            "far: hand in again after your next quiz.</p>")
        return path

    def export(self) -> list[Path]:
        """Write the answers as JSON and CSV into the export folder; report where, or why not."""
        student = self.store.student
        stem = export_name(student["name"], student["id"] or "")
        if stem is None:
            self.message.value = _alert(NAME_NEEDED)
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
              folder: str | os.PathLike[str] | None = None,
              handin: str | os.PathLike[str] | None = None) -> Dashboard:
    """Return the progress dashboard; it displays itself."""
    return Dashboard(store, export_folder, folder, handin)


__all__ = ["ALL_LESSONS", "CANCEL_LABEL", "CHOICE_LABEL", "DOWNLOAD_LABEL", "Dashboard", "HANDIN_ENV",
           "HANDIN_LABEL", "HandInError", "NAME_NEEDED", "NOTHING_SAVED", "NOTHING_YET",
           "START_OVER_LABEL", "StartOverControl", "StartOverWidget", "YES_LABEL",
           "completion_chart", "count", "dashboard", "data_link", "export_file", "export_name",
           "hand_in", "handin_folder", "summary_sentence", "summary_table", "were"]
