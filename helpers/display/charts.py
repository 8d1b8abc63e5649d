"""Charts and widget outputs that know nothing of the course's data.

Every chart function returns a :class:`Chart`: it shows as an HTML ``<img>`` holding its PNG,
with its one-line description as ``alt`` text (what a screen reader says and axe-core checks),
and as that description where images are not shown (text/plain). Charts are built on a bare
``Figure`` (no pyplot state), so a cell shows each chart exactly once.

Why HTML and not ``image/png``: JupyterLab draws an ``image/png`` output as an ``<img>`` without
``alt`` (nothing in the output's metadata reaches it), so every chart was an axe-core
``image-alt`` violation. Storing the PNG once, inside the HTML, keeps notebooks the size they
were (storing it twice, as HTML and as ``image/png``, would add 40 % to the course's notebooks).
The PNG bytes are deterministic (no timestamps or software tag, fixed DPI, matplotlib's own
fonts), so strict nbval can compare the HTML; ``tests/nbval_sanitize.cfg`` also blanks the
base64 data, as nbval skipped ``image/png`` before, for machines whose matplotlib differs.
"""
from __future__ import annotations

import base64
import html
import io
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    import ipywidgets as widgets
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Red and blue mark a side (Russia; the United States and NATO) and nothing else.
SIDE_COLOURS = {"Russia": "#b2182b", "United States": "#2166ac", "NATO": "#4393c3", "other": "#777777"}
# Any other category (event types, enlargement rounds, other states' voices) takes these, with a legend.
NEUTRAL_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#555555")
LABEL_WIDTH = 40  # characters per line of a bar label
TIMELINE_MARGINS = (0.15, 0.15, 0.55, 0.4)   # inches: left, right, bottom, top


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
        # constrained layout already fits the labels: no bbox_inches="tight", which draws twice
        self.figure.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
        return buffer.getvalue()

    def base64(self) -> str:
        """The PNG, base64-encoded (as a notebook stores an image)."""
        return base64.b64encode(self.png()).decode("ascii")

    def html(self) -> str:
        """An ``<img>`` with the PNG inline and the description as alt text."""
        alt = html.escape(self.description, quote=True)
        return (f'<img class="course-chart" src="data:image/png;base64,{self.base64()}" '
                f'alt="{alt}" style="max-width: 100%; height: auto">')

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": self.html(), "text/plain": repr(self)}

    def __repr__(self) -> str:
        return f"Chart: {self.description}"


def number_label(value: float) -> str:
    """A number as a chart shows it: thousands separated, decimals only where there are some."""
    value = float(value)
    return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"


def new_figure(width: float = 8, height: float = 4,
               margins: tuple[float, float, float, float] | None = None) -> tuple[Figure, Axes]:
    """A bare figure with one axes (matplotlib is imported here, when a lesson first draws a
    chart, not when the helpers are imported).

    Parameters
    ----------
    width, height
        Size in inches.
    margins
        ``(left, right, bottom, top)`` in inches, for a chart whose labels have a known size:
        saving it then draws it once. Without, constrained layout fits the labels (tick labels
        of any length), which costs a second, layout-only pass over the figure when it is saved.
    """
    from matplotlib.figure import Figure

    if margins is None:
        fig = Figure(figsize=(width, height), layout="constrained")
    else:
        left, right, bottom, top = margins
        fig = Figure(figsize=(width, height))
        fig.subplots_adjust(left=left / width, right=1 - right / width,
                            bottom=bottom / height, top=1 - top / height)
    return fig, fig.add_subplot()


def timeline(events: pd.DataFrame, colour_by: str = "event_type", title: str = "Timeline",
             legend_labels: dict[str, str] | None = None) -> Chart:
    """Dot timeline of events (one row each), coloured by a column such as ``event_type``.

    Parameters
    ----------
    events
        Rows with ``date`` and ``title`` columns, e.g. ``data.events()`` or a filtered part of it.
    colour_by
        Column whose values choose the colour and the legend.
    title
        Chart title.
    legend_labels
        Optional words for the legend, ``{value: label}`` (e.g. ``{"before": "before the replies"}``).
    """
    events = events.sort_values("date").reset_index(drop=True)
    height = max(2.5, 0.28 * len(events) + 1)
    # no tick labels on the left; a title above and dates (two lines at most) below
    fig, ax = new_figure(9, height, margins=TIMELINE_MARGINS)
    groups = [g for g in pd.unique(events[colour_by].astype(str))]
    palette = NEUTRAL_COLOURS
    for index, group in enumerate(groups):
        part = events[events[colour_by].astype(str) == group]
        label = (legend_labels or {}).get(group, group)
        ax.scatter(part["date"], -part.index.to_numpy(), label=label, color=palette[index % len(palette)],
                   zorder=3)
    long_span = len(events) > 0 and events["date"].max() - events["date"].min() > pd.Timedelta(days=300)
    label_format = "%b %Y" if long_span else "%b"   # show the year when events span years
    start, end = events["date"].min(), events["date"].max()   # NaT when there are no events (no labels)
    for position, row in events.iterrows():
        label = f"{row['date'].day} {row['date']:{label_format}}  {row['title']}"
        late = len(events) > 1 and end > start and (row["date"] - start) / (end - start) > 0.55
        # Labels of late events go to the left of their dot, so the axis ends at the last event.
        ax.text(row["date"], -position, f"{label}  " if late else f"  {label}", fontsize=7.5,
                va="center", ha="right" if late else "left")
    ax.set_yticks([])
    ax.set_ylim(-len(events), 1)
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
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
         colours: Sequence[str] | None = None, horizontal: bool = True,
         legend: dict[str, str] | None = None) -> Chart:
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
    legend
        Optional ``{name: colour}`` shown as a legend (use it whenever colours mean something).
    """
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    # Long labels wrap onto two or three lines, so they do not squeeze the bars.
    shown = [textwrap.fill(str(label), LABEL_WIDTH) for label in labels]
    lines = max((label.count("\n") + 1 for label in shown), default=1)
    fig, ax = new_figure(8, max(2.5, (0.35 + 0.17 * lines) * len(labels) + 1) if horizontal else 4)
    positions = range(len(labels))
    draw = ax.barh if horizontal else ax.bar
    bars_drawn = draw(positions, values, color=colours or SIDE_COLOURS["NATO"])
    ax.bar_label(bars_drawn, labels=[number_label(v) for v in values], padding=3, fontsize=8)
    whole = all(float(v).is_integer() for v in values)
    thousands = FuncFormatter(lambda value, _position: number_label(value))
    if horizontal:
        ax.set_yticks(list(positions), shown)
        ax.invert_yaxis()
        ax.set_xlabel(unit)
        ax.xaxis.set_major_formatter(thousands)
        ax.xaxis.set_major_locator(MaxNLocator(5, integer=whole, steps=[1, 2, 2.5, 5, 10]))
        ax.margins(x=0.15)
    else:
        ax.set_xticks(list(positions), shown)
        ax.set_ylabel(unit)
        ax.yaxis.set_major_formatter(thousands)
        ax.yaxis.set_major_locator(MaxNLocator(5, integer=whole, steps=[1, 2, 2.5, 5, 10]))
        ax.margins(y=0.15)
    if legend:
        from matplotlib.patches import Patch

        ax.legend(handles=[Patch(color=colour, label=name) for name, colour in legend.items()],
                  fontsize=8, loc="best")
    ax.set_title(title)
    pairs = ", ".join(f"{label} {number_label(value)}" for label, value in zip(labels, values, strict=True))
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
    fig, ax = new_figure(8, max(2.2, 0.6 * len(labels) + 1))
    positions = list(range(len(labels)))
    widths = [high - low for low, high in zip(lows, highs, strict=True)]
    drawn = ax.barh(positions, widths, left=list(lows), color=colours or SIDE_COLOURS["NATO"], height=0.6)
    ax.bar_label(drawn, labels=[f"{low:,.0f}–{high:,.0f}" for low, high in zip(lows, highs, strict=True)],
                 padding=4, fontsize=8)
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, max(highs) * 1.2 if len(highs) else 1)
    ax.set_xlabel(unit)
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    bands = ", ".join(f"{label} {low:,.0f}–{high:,.0f}"
                      for label, low, high in zip(labels, lows, highs, strict=True))
    return Chart(fig, f"{title} ({unit}): {bands}")


def show_in(output: widgets.Output, shown: Any) -> None:
    """Replace what an Output widget shows with ``shown`` (text, a table, a chart ...).

    Binary formats (a chart's PNG) are base64-encoded, as a notebook stores them: the browser
    cannot show raw bytes sent through a widget (``Output.append_display_data`` would send them).
    """
    if isinstance(shown, str):
        output.outputs = ({"output_type": "stream", "name": "stdout",
                           "text": shown if shown.endswith("\n") else shown + "\n"},)
        return
    from IPython.core.formatters import format_display_data

    data, metadata = format_display_data(shown)
    data = {mime: base64.b64encode(value).decode("ascii") if isinstance(value, bytes) else value
            for mime, value in data.items()}
    if isinstance(shown, Chart):   # also as a plain image, for code that reads the output
        data["image/png"] = shown.base64()
    output.outputs = ({"output_type": "display_data", "data": data, "metadata": metadata},)
