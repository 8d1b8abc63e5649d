"""Tables a student can read: every cell in full, text left-aligned, dates on one line, no
meaningless 0, 1, 2 … index; a wide table scrolls sideways in a box of its own, by keyboard too.

:func:`use_readable_tables` (called by a lesson's set-up) makes every DataFrame and Series a
notebook shows render through :func:`table_html`; the plain-text form stays pandas' own, with no
column cut short.
"""
from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import pandas as pd

from helpers.display.text import esc

__all__ = ["table_html", "table_name", "use_readable_tables", "DISPLAY_OPTIONS"]

LONG_TABLE_ROWS = 10   # longer tables repeat their headings at the bottom
MAX_NAMED_COLUMNS = 4  # columns named in a table box's accessible name
# A table wider than a phone's window scrolls sideways inside its own box, not the notebook's
# output; the box takes the keyboard focus (tabindex), so it can be scrolled with the arrow keys
# (axe-core's scrollable-region-focusable), and is a named region for a screen reader.
BOX_STYLE = "max-width:100%;overflow-x:auto"

# pandas' own settings for the text form: never cut a cell ("..."), never hide rows or columns.
DISPLAY_OPTIONS: dict[str, Any] = {
    "display.max_colwidth": None,
    "display.max_rows": 500,
    "display.max_columns": 50,
    "display.width": 250,
}


def _cell(value: Any) -> tuple[str, str]:
    """The escaped text of one cell and its CSS style."""
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return "", "text-align:left"
    if isinstance(value, pd.Timestamp):
        text = f"{value.day} {value:%b %Y}" if value == value.normalize() else f"{value:%d %b %Y %H:%M}"
        return esc(text), "text-align:left;white-space:nowrap"
    if isinstance(value, (bool, np.bool_)):
        return ("yes" if value else "no"), "text-align:left"
    if isinstance(value, numbers.Integral):
        return esc(f"{value:,}"), "text-align:right;white-space:nowrap"
    if isinstance(value, numbers.Real):
        value = float(value)
        text = f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
        return esc(text), "text-align:right;white-space:nowrap"
    return esc(value), "text-align:left"


def table_html(table: pd.DataFrame | pd.Series, links: dict[str, tuple[str, str]] | None = None) -> str:
    """The table as escaped HTML: text left, numbers right, dates on one line.

    A default ``RangeIndex`` is not shown; a meaningful index (e.g. after ``set_index``) is,
    as the first column. With ``links`` (``{source_id: (label, url)}``), a ``source_id`` column
    is shown as a "source" column of linked labels instead of bare ids. The table sits in a
    focusable, named box that scrolls sideways when the table is wider than the window.
    """
    frame = table.to_frame() if isinstance(table, pd.Series) else table
    show_index = not isinstance(frame.index, pd.RangeIndex)
    linked = links is not None and "source_id" in frame.columns
    columns = ([str(frame.index.name or "")] if show_index else []) + [
        "source" if linked and c == "source_id" else str(c) for c in frame.columns]
    source_at = (list(frame.columns).index("source_id") + show_index) if linked else -1
    head = "".join(f'<th style="text-align:left">{esc(name)}</th>' for name in columns)
    rows = []
    for index, row in zip(frame.index, frame.itertuples(index=False, name=None), strict=True):
        values = ([index] if show_index else []) + list(row)
        cells = []
        for position, value in enumerate(values):
            if position == source_at and links is not None and value in links:
                label, url = links[value]
                cells.append(f'<td style="text-align:left"><a href="{esc(url)}" target="_blank" '
                             f'rel="noopener">{esc(label)}</a></td>')
                continue
            text, style = _cell(value)
            cells.append(f'<td style="{style}">{text}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    # A long table repeats its column headings at the bottom, so they are in view when scrolled.
    foot = f"<tfoot><tr>{head}</tr></tfoot>" if len(frame) > LONG_TABLE_ROWS else ""
    box = f'class="course-table-box" role="region" tabindex="0" aria-label="{esc(table_name(columns))}"'
    return (f'<div {box} style="{BOX_STYLE}"><table class="course-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody>{foot}</table></div>")


def table_name(columns: list[str]) -> str:
    """What a screen reader calls a table's box: "table: " and its first column names.

    Parameters
    ----------
    columns
        The column headings as shown (not yet escaped).
    """
    named = [" ".join(c.split()) for c in columns if c.strip()]
    more = ", …" if len(named) > MAX_NAMED_COLUMNS else ""
    return f"table: {', '.join(named[:MAX_NAMED_COLUMNS])}{more}" if named else "table"


def use_readable_tables(links: dict[str, tuple[str, str]] | None = None) -> None:
    """Set pandas' display options and, inside IPython, render tables with :func:`table_html`
    (``links`` as there: how a ``source_id`` column is shown)."""
    for option, value in DISPLAY_OPTIONS.items():
        pd.set_option(option, value)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython always comes with Jupyter
        return
    shell = get_ipython()
    if shell is None:
        return
    formatter = shell.display_formatter.formatters["text/html"]
    formatter.for_type(pd.DataFrame, lambda table: table_html(table, links))
    formatter.for_type(pd.Series, lambda table: table_html(table, links))
