"""The course's standard charts, drawn with matplotlib from the dataset.

Every function returns a :class:`Chart`: it shows as a PNG image in a notebook and as a one-line
description where images are not shown (and in the stored text output nbval compares). Charts
are built on a bare ``Figure`` (no pyplot state), so a cell shows each chart exactly once.
"""
from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from helpers import data

SIDE_COLOURS = {"Russia": "#b2182b", "United States": "#2166ac", "NATO": "#4393c3", "other": "#777777"}
LABEL_WIDTH = 40  # characters per line of a bar label
CUT_OFF_1997 = pd.Timestamp("1997-05-27")  # NATO membership date named in Russia's draft agreement, Art. 4


class Chart:
    """A finished chart with a text description.

    Parameters
    ----------
    figure
        The matplotlib figure.
    description
        One line saying what the chart shows (its text form and alt text).
    """

    def __init__(self, figure: Figure, description: str) -> None:
        self.figure = figure
        self.description = description

    def png(self) -> bytes:
        """The chart as PNG bytes."""
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight",
                            metadata={"Software": None})
        return buffer.getvalue()

    def _repr_png_(self) -> bytes:
        return self.png()

    def __repr__(self) -> str:
        return f"Chart: {self.description}"


def _figure(width: float = 8, height: float = 4) -> tuple[Figure, object]:
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def members_over_time(until: str | pd.Timestamp | None = None, mark_1997: bool = True) -> Chart:
    """Step chart of the number of NATO members, from 1949 to ``until`` (default: today's 32).

    Parameters
    ----------
    until
        Last date shown; members who joined later are left out.
    mark_1997
        Draw the 27 May 1997 line named in Russia's draft agreement.
    """
    members = data.nato_members().sort_values("accession_date")
    end = pd.Timestamp(until) if until is not None else members["accession_date"].max()
    members = members[members["accession_date"] <= end]
    counts = members.groupby("accession_date").size().cumsum()
    fig, ax = _figure()
    ax.step(list(counts.index) + [end], list(counts.values) + [counts.iloc[-1]], where="post",
            color=SIDE_COLOURS["NATO"], linewidth=2)
    for date, total in counts.items():
        ax.annotate(str(total), (date, total), textcoords="offset points", xytext=(0, 6),
                    ha="center", fontsize=8)
    if mark_1997 and end >= CUT_OFF_1997:
        ax.axvline(CUT_OFF_1997, color=SIDE_COLOURS["Russia"], linestyle="--", linewidth=1)
        ax.text(CUT_OFF_1997, 2, " 27 May 1997\n (cut-off in Russia's\n draft, Art. 4)", fontsize=8,
                color=SIDE_COLOURS["Russia"], va="bottom")
    ax.set_ylim(0, 35)
    ax.set_ylabel("member states")
    ax.set_title(f"NATO members, 1949 to {end:%Y}")
    ax.grid(axis="y", alpha=0.3)
    return Chart(fig, f"step chart of NATO's members from 12 in 1949 to {counts.iloc[-1]} in {end:%Y}")


def timeline(events: pd.DataFrame, colour_by: str = "event_type", title: str = "Timeline") -> Chart:
    """Dot timeline of events (one row each), coloured by a column such as ``event_type``.

    Parameters
    ----------
    events
        Rows with ``date`` and ``title`` columns, e.g. ``data.events()`` or a filtered part of it.
    colour_by
        Column whose values choose the colour and the legend.
    title
        Chart title.
    """
    events = events.sort_values("date").reset_index(drop=True)
    height = max(2.5, 0.28 * len(events) + 1)
    fig, ax = _figure(9, height)
    groups = [g for g in pd.unique(events[colour_by].astype(str))]
    palette = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]
    for index, group in enumerate(groups):
        part = events[events[colour_by].astype(str) == group]
        ax.scatter(part["date"], -part.index.to_numpy(), label=group, color=palette[index % len(palette)],
                   zorder=3)
    long_span = len(events) > 0 and events["date"].max() - events["date"].min() > pd.Timedelta(days=300)
    label_format = "%d %b %Y" if long_span else "%d %b"   # show the year when events span years
    start, end = (events["date"].min(), events["date"].max()) if len(events) else (None, None)
    for position, row in events.iterrows():
        label = f"{row['date']:{label_format}}  {row['title']}"
        late = len(events) > 1 and end > start and (row["date"] - start) / (end - start) > 0.55
        # Labels of late events go to the left of their dot, so the axis ends at the last event.
        ax.text(row["date"], -position, f"{label}  " if late else f"  {label}", fontsize=7.5,
                va="center", ha="right" if late else "left")
    ax.set_yticks([])
    ax.set_ylim(-len(events), 1)
    if len(events):
        span = events["date"].max() - events["date"].min()
        pad = span * 0.04 + pd.Timedelta(days=1)
        ax.set_xlim(events["date"].min() - pad, events["date"].max() + pad)
    ax.legend(loc="lower left", fontsize=8, title=colour_by.replace("_", " "))
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    return Chart(fig, f"timeline of {len(events)} events from "
                      f"{events['date'].min():%d %B %Y} to {events['date'].max():%d %B %Y}"
                 if len(events) else "empty timeline")


def bars(labels: Sequence[str], values: Sequence[float], title: str, unit: str,
         colours: Sequence[str] | None = None, horizontal: bool = True) -> Chart:
    """Labelled bar chart, each bar annotated with its value.

    Parameters
    ----------
    labels, values
        One bar per label.
    title
        Chart title.
    unit
        Unit of the values (axis label).
    colours
        Optional colour per bar.
    horizontal
        Horizontal bars (default; long labels read better).
    """
    # Long labels wrap onto two or three lines, so they do not squeeze the bars.
    shown = [textwrap.fill(str(label), LABEL_WIDTH) for label in labels]
    lines = max((label.count("\n") + 1 for label in shown), default=1)
    fig, ax = _figure(8, max(2.5, (0.35 + 0.17 * lines) * len(labels) + 1) if horizontal else 4)
    positions = range(len(labels))
    draw = ax.barh if horizontal else ax.bar
    bars_drawn = draw(positions, values, color=colours or SIDE_COLOURS["NATO"])
    ax.bar_label(bars_drawn, labels=[f"{v:,.0f}" for v in values], padding=3, fontsize=8)
    thousands = FuncFormatter(lambda value, _position: f"{value:,.0f}")
    if horizontal:
        ax.set_yticks(list(positions), shown)
        ax.invert_yaxis()
        ax.set_xlabel(unit)
        ax.xaxis.set_major_formatter(thousands)
        ax.xaxis.set_major_locator(MaxNLocator(5))
        ax.margins(x=0.15)
    else:
        ax.set_xticks(list(positions), shown)
        ax.set_ylabel(unit)
        ax.yaxis.set_major_formatter(thousands)
        ax.margins(y=0.15)
    ax.set_title(title)
    pairs = ", ".join(f"{label} {value:,.0f}" for label, value in zip(labels, values))
    return Chart(fig, f"{title} ({unit}): {pairs}")


def range_bands(labels: Sequence[str], lows: Sequence[float], highs: Sequence[float], title: str,
                unit: str, colours: Sequence[str] | None = None) -> Chart:
    """Horizontal bands, each spanning a range from a low to a high value (e.g. missile ranges).

    Parameters
    ----------
    labels
        One band per label, drawn top to bottom in the order given.
    lows, highs
        Where each band starts and ends, in ``unit``.
    title
        Chart title.
    unit
        Unit of the values (axis label).
    colours
        Optional colour per band.

    Returns
    -------
    Chart
        The chart; its text form lists every band as ``label low–high``.
    """
    fig, ax = _figure(8, max(2.2, 0.6 * len(labels) + 1))
    positions = list(range(len(labels)))
    widths = [high - low for low, high in zip(lows, highs)]
    drawn = ax.barh(positions, widths, left=list(lows), color=colours or SIDE_COLOURS["NATO"], height=0.6)
    ax.bar_label(drawn, labels=[f"{low:,.0f}–{high:,.0f}" for low, high in zip(lows, highs)],
                 padding=4, fontsize=8)
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, max(highs) * 1.2 if len(highs) else 1)
    ax.set_xlabel(unit)
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    bands = ", ".join(f"{label} {low:,.0f}–{high:,.0f}" for label, low, high in zip(labels, lows, highs))
    return Chart(fig, f"{title} ({unit}): {bands}")
