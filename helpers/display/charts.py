"""Charts and widget outputs that know nothing of the course's data.

Every chart function returns a :class:`Chart`: an SVG drawn with the standard library
(:mod:`helpers.display.svg`), shown as an HTML ``<img>`` with its one-line description as ``alt``
text (what a screen reader says and axe-core checks), and as that description where images are
not shown (text/plain).

Why SVG written here and not matplotlib: a lesson's charts are four simple kinds (timeline, bars,
bands, steps), and matplotlib cost each lesson that drew one about 0.6 s to import plus 0.1-0.3 s
per chart, the largest part of Run All (benchmarks/README.md). SVG text stays sharp at any zoom,
long titles wrap instead of being cut, and the bytes are the same on every platform, so strict
nbval compares charts exactly.

Why HTML and not ``image/svg+xml``: JupyterLab draws an image output as an ``<img>`` without
``alt`` (nothing in the output's metadata reaches it), an axe-core ``image-alt`` violation.
"""
from __future__ import annotations

import base64
import html
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd

from helpers.display.svg import GRID, MUTED, Canvas, date_ticks, nice_ticks, text_width, wrap

if TYPE_CHECKING:  # pragma: no cover
    import ipywidgets as widgets

# Red and blue mark a side (Russia; the United States and NATO) and nothing else.
SIDE_COLOURS = {"Russia": "#b2182b", "United States": "#2166ac", "NATO": "#4393c3", "other": "#777777"}
# Any other category (event types, enlargement rounds, other states' voices) takes these, with a legend.
NEUTRAL_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#555555")
WIDTH = 800            # px, a chart's natural width (it shrinks to fit a narrow window)
TIMELINE_WIDTH = 900
PAD = 12               # px around the chart
TITLE_SIZE = 16
TICK_SIZE = 12         # axis ticks and category labels
SMALL_SIZE = 11        # values on bars, event labels, legends
LINE = 1.25            # line height, in em
LABEL_COLUMN = 270     # px: bar labels wrap to this width


class Chart:
    """A finished chart with a text description.

    Parameters
    ----------
    svg
        The chart as an SVG document.
    description
        One line saying what the chart shows (its text form and alt text).
    """

    def __init__(self, svg: str, description: str) -> None:
        self.svg = svg
        self.description = description

    def base64(self) -> str:
        """The SVG, base64-encoded (as it sits in the ``<img>``'s data URL)."""
        return base64.b64encode(self.svg.encode("utf-8")).decode("ascii")

    def html(self) -> str:
        """An ``<img>`` with the SVG inline and the description as alt text."""
        alt = html.escape(self.description, quote=True)
        return (f'<img class="course-chart" src="data:image/svg+xml;base64,{self.base64()}" '
                f'alt="{alt}" style="max-width: 100%; height: auto">')

    def texts(self) -> list[str]:
        """Every text drawn in the chart, in drawing order (lines of one label joined by a
        space): titles, labels, ticks, values."""
        root = ElementTree.fromstring(self.svg)
        return [" ".join(span.text or "" for span in element)
                for element in root.iter("{http://www.w3.org/2000/svg}text")]

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": self.html(), "text/plain": repr(self)}

    def __repr__(self) -> str:
        return f"Chart: {self.description}"


def number_label(value: float) -> str:
    """A number as a chart shows it: thousands separated, decimals only where there are some."""
    value = float(value)
    return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"


# --- shared pieces --------------------------------------------------------------------------------

def _title(canvas: Canvas, lines: list[str]) -> None:
    canvas.text(canvas.width / 2, PAD + len(lines) * TITLE_SIZE * LINE / 2, lines, TITLE_SIZE, "middle")


def _title_lines(title: str, width: float) -> list[str]:
    return wrap(title, TITLE_SIZE, width - 2 * PAD)


class _Legend:
    """Legend entries (a swatch and a name each) in rows above the plot, after a heading."""

    ROW = SMALL_SIZE * 1.7

    def __init__(self, entries: Sequence[tuple[str, str]], heading: str, width: float,
                 dot: bool = False, dashed: bool = False) -> None:
        self.dot, self.dashed = dot, dashed
        self.rows: list[list[tuple[float, str, str]]] = []
        items = [(f"{heading}:", "")] if heading else []
        x, row = 0.0, list[tuple[float, str, str]]()
        for name, colour in [*items, *entries]:
            size = text_width(name, SMALL_SIZE) + (18 if colour else 6) + 14
            if row and x + size > width:
                self.rows.append(row)
                x, row = 0.0, list[tuple[float, str, str]]()
            row.append((x, name, colour))
            x += size
        if row:
            self.rows.append(row)

    @property
    def height(self) -> float:
        return len(self.rows) * self.ROW + (6 if self.rows else 0)

    def draw(self, canvas: Canvas, left: float, top: float) -> None:
        for number, row in enumerate(self.rows):
            y = top + (number + 0.5) * self.ROW
            for x, name, colour in row:
                if not colour:
                    canvas.text(left + x, y, name, SMALL_SIZE, fill=MUTED)
                    continue
                if self.dot:
                    canvas.circle(left + x + 6, y, 5, colour)
                elif self.dashed:
                    canvas.line(left + x, y, left + x + 14, y, colour, 1.5, dashed=True)
                else:
                    canvas.rect(left + x + 1, y - 5, 10, 10, colour)
                canvas.text(left + x + 18, y, name, SMALL_SIZE)


def _x_ticks(canvas: Canvas, ticks: Sequence[tuple[float, Sequence[str]]], left: float, right: float,
             top: float, axis_y: float, label: str = "") -> None:
    """Grid lines from ``top`` down to the axis at ``axis_y``, tick labels below, then ``label``."""
    lines = max((len(t[1]) for t in ticks), default=1)
    for x, text in ticks:
        canvas.line(x, top, x, axis_y, GRID)
        canvas.line(x, axis_y, x, axis_y + 4)
        canvas.text(x, axis_y + 6 + len(text) * TICK_SIZE * LINE / 2, text, TICK_SIZE, "middle")
    canvas.line(left, axis_y, right, axis_y)
    if label:
        canvas.text((left + right) / 2, axis_y + 12 + lines * TICK_SIZE * LINE + TICK_SIZE * 0.6,
                    label, TICK_SIZE, "middle")


def _x_ticks_height(ticks: Sequence[tuple[float, Sequence[str]]], label: str = "") -> float:
    lines = max((len(t[1]) for t in ticks), default=1)
    return 8 + lines * TICK_SIZE * LINE + (TICK_SIZE * LINE + 6 if label else 0)


def _y_ticks(canvas: Canvas, ticks: Sequence[tuple[float, str]], left: float, right: float,
             label: str = "") -> None:
    for y, text in ticks:
        canvas.line(left, y, right, y, GRID)
        canvas.line(left - 4, y, left, y)
        canvas.text(left - 6, y, text, TICK_SIZE, "end")
    if ticks:
        canvas.line(left, min(t[0] for t in ticks), left, max(t[0] for t in ticks))
    if label:
        middle = (min(t[0] for t in ticks) + max(t[0] for t in ticks)) / 2 if ticks else 0
        canvas.text(PAD + TICK_SIZE / 2, middle, label, TICK_SIZE, "middle", rotate=True)


def _days(day: date | pd.Timestamp) -> float:
    """A date as a number of days, for a date axis."""
    return float(pd.Timestamp(day).toordinal())


def _day_ticks(low: float, high: float) -> list[tuple[date, list[str]]]:
    """Date ticks on the days strictly inside an axis from day number ``low`` to ``high``."""
    return date_ticks(date.fromordinal(int(low) + 1), date.fromordinal(int(high)))


# --- timeline -------------------------------------------------------------------------------------

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
    width = TIMELINE_WIDTH
    left, right = PAD + 4, width - PAD - 4
    groups = list(pd.unique(events[colour_by].astype(str)))
    colour = {group: NEUTRAL_COLOURS[n % len(NEUTRAL_COLOURS)] for n, group in enumerate(groups)}
    legend = _Legend([((legend_labels or {}).get(g, g), colour[g]) for g in groups],
                     colour_by.replace("_", " "), right - left, dot=True)
    title_lines = _title_lines(title, width)
    top = PAD + len(title_lines) * TITLE_SIZE * LINE + 6 + legend.height
    if not len(events):   # a filter that keeps nothing: say so, with no axis
        canvas = Canvas(width, top + 40)
        _title(canvas, title_lines)
        canvas.text(width / 2, top + 14, "(no events)", TICK_SIZE, "middle", fill=MUTED)
        return Chart(canvas.render("empty timeline"), "empty timeline")
    start, end = _days(events["date"].min()), _days(events["date"].max())
    pad = (end - start) * 0.04 + 1
    low, high = start - pad, end + pad

    def x_of(day: float) -> float:
        return left + (day - low) / (high - low) * (right - left)

    long_span = end - start > 300
    rows = []   # (x, lines, anchor, colour, height)
    for _, event in events.iterrows():
        day = event["date"]
        # an en space after the date: SVG shows a run of spaces as one
        label = f"{day.day} {day:{'%b %Y' if long_span else '%b'}}\u2002{event['title']}"
        x = x_of(_days(day))
        room = {"start": right - x - 9, "end": x - left - 9}
        # labels of late events go to the left of their dot, so the axis ends at the last event
        late = end > start and (_days(day) - start) / (end - start) > 0.55
        wanted, other = ("end", "start") if late else ("start", "end")
        need = text_width(label, SMALL_SIZE)
        roomier = "start" if room["start"] >= room["end"] else "end"
        side = wanted if need <= room[wanted] else other if need <= room[other] else roomier
        lines = wrap(label, SMALL_SIZE, room[side])
        rows.append((x, lines, side, colour[str(event[colour_by])],
                     max(24.0, len(lines) * SMALL_SIZE * LINE + 8)))
    plot_bottom = top + sum(r[4] for r in rows) + 8
    ticks = [(x_of(_days(day)), lines) for day, lines in _day_ticks(low, high)]
    canvas = Canvas(width, plot_bottom + _x_ticks_height(ticks) + PAD)
    _title(canvas, title_lines)
    legend.draw(canvas, left, top - legend.height)
    _x_ticks(canvas, ticks, left, right, top, plot_bottom)
    y = top
    for x, lines, side, dot_colour, height in rows:
        middle = y + height / 2
        canvas.circle(x, middle, 5, dot_colour)
        canvas.text(x + 9 if side == "start" else x - 9, middle, lines, SMALL_SIZE, side)
        y += height
    description = (f"timeline of {len(events)} events from {events['date'].min():%d %B %Y} to "
                   f"{events['date'].max():%d %B %Y}")
    return Chart(canvas.render(description), description)


# --- bars and bands -------------------------------------------------------------------------------

def _horizontal(labels: Sequence[str], starts: Sequence[float], ends: Sequence[float],
                value_labels: Sequence[str], title: str, unit: str, colours: Sequence[str] | None,
                legend: dict[str, str] | None, scale_max: float | None, description: str) -> Chart:
    """Horizontal bars from ``starts`` to ``ends``, a category label left of each and its value
    label right of it; an axis in ``unit`` below."""
    width = WIDTH
    shown = [wrap(str(label), TICK_SIZE, LABEL_COLUMN) for label in labels]
    label_width = max((text_width(line, TICK_SIZE) for lines in shown for line in lines), default=0)
    left = PAD + label_width + 10
    right = width - PAD - 16
    value_width = max((text_width(v, SMALL_SIZE) for v in value_labels), default=0) + 8
    low = min([0.0, *map(float, starts)])
    highest = max([0.0, *map(float, ends)])
    whole = all(float(v).is_integer() for v in [*starts, *ends])
    scale = nice_ticks(low, highest or 1, 5, integer=whole)
    top_value = float(scale_max) if scale_max is not None else max(scale[-1], highest or 1)
    plot_width = right - left
    if highest and left + (highest - low) / (top_value - low) * plot_width + value_width > right:
        top_value = low + (highest - low) * plot_width / (plot_width - value_width)   # room for values
    ticks = [t for t in nice_ticks(low, top_value, 5, integer=whole) if t <= top_value + 1e-9]

    def x_of(value: float) -> float:
        return left + (float(value) - low) / (top_value - low) * plot_width

    lines = max((len(label) for label in shown), default=1)
    band = max(30.0, lines * TICK_SIZE * LINE + 14)
    legend_block = _Legend(list((legend or {}).items()), "", width - 2 * PAD)
    title_lines = _title_lines(title, width)
    top = PAD + len(title_lines) * TITLE_SIZE * LINE + 8 + legend_block.height
    plot_bottom = top + band * len(labels) + 6
    tick_marks = [(x_of(t), [number_label(t)]) for t in ticks]
    canvas = Canvas(width, plot_bottom + _x_ticks_height(tick_marks, unit) + PAD)
    _title(canvas, title_lines)
    legend_block.draw(canvas, PAD, top - legend_block.height)
    _x_ticks(canvas, tick_marks, left, right, top, plot_bottom, unit)
    canvas.line(x_of(0) if low <= 0 else left, top, x_of(0) if low <= 0 else left, plot_bottom)
    for n, (label, start, end, value) in enumerate(zip(shown, starts, ends, value_labels, strict=True)):
        middle = top + 3 + band * (n + 0.5)
        fill = colours[n] if colours else SIDE_COLOURS["NATO"]
        canvas.rect(x_of(start), middle - band * 0.35, x_of(end) - x_of(start), band * 0.7, fill)
        canvas.text(left - 8, middle, label, TICK_SIZE, "end")
        canvas.text(x_of(end) + 4, middle, value, SMALL_SIZE)
    return Chart(canvas.render(description), description)


def bars(labels: Sequence[str], values: Sequence[float], title: str, unit: str,
         colours: Sequence[str] | None = None, legend: dict[str, str] | None = None,
         scale_max: float | None = None) -> Chart:
    """Horizontal bar chart, each bar annotated with its value.

    Parameters
    ----------
    labels, values
        One bar per label, top to bottom in the order given (long labels wrap).
    title
        Chart title.
    unit
        Unit of the values (axis label).
    colours
        Optional colour per bar.
    legend
        Optional ``{name: colour}`` shown as a legend (use it whenever colours mean something).
    scale_max
        Optional end of the scale (e.g. 110 for per cents: the whole scale, room for the values).
    """
    pairs = ", ".join(f"{label} {number_label(value)}" for label, value in zip(labels, values, strict=True))
    return _horizontal(labels, [0] * len(values), values, [number_label(v) for v in values], title,
                       unit, colours, legend, scale_max, f"{title} ({unit}): {pairs}")


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
    spans = [f"{low:,.0f}–{high:,.0f}" for low, high in zip(lows, highs, strict=True)]
    bands = ", ".join(f"{label} {span}" for label, span in zip(labels, spans, strict=True))
    return _horizontal(labels, lows, highs, spans, title, unit, colours, None, None,
                       f"{title} ({unit}): {bands}")


# --- charts over a value axis ---------------------------------------------------------------------

def _value_axis(values: Sequence[float], height: float,
                top: float) -> tuple[list[float], Callable[[float], float]]:
    """Integer ticks from 0 to past the highest value, and the function from value to y."""
    ticks = nice_ticks(0, max([1.0, *map(float, values)]) * 1.1, 5, integer=True)

    def y_of(value: float) -> float:
        return top + height - float(value) / ticks[-1] * height

    return ticks, y_of


def steps(dates: Sequence[pd.Timestamp], totals: Sequence[int], end: pd.Timestamp, title: str,
          unit: str, mark: tuple[pd.Timestamp, Sequence[str]] | None = None,
          description: str = "") -> Chart:
    """Step chart of a running total over time, each step labelled with its new total.

    Parameters
    ----------
    dates, totals
        When the total changed and what it became (same length, dates in order).
    end
        Last date drawn (the line runs on flat to it).
    title, unit
        Chart title and the unit of the totals (y-axis label).
    mark
        Optional ``(date, label lines)``: a dashed line at that date, labelled.
    description
        What the chart shows, in one line (alt text); the title if not given.
    """
    width, height = WIDTH, 400
    title_lines = _title_lines(title, width)
    top = PAD + len(title_lines) * TITLE_SIZE * LINE + 10
    left, right = PAD + TICK_SIZE * LINE + 34, width - PAD - 10
    first, last = _days(dates[0]), _days(end)
    pad = (last - first) * 0.03 + 1
    low, high = first - pad, last + pad
    year_ticks = _day_ticks(low, high)
    plot_bottom = height - PAD - _x_ticks_height([(0, t[1]) for t in year_ticks])
    value_ticks, y_of = _value_axis(totals, plot_bottom - top, top)

    def x_of(day: float) -> float:
        return left + (day - low) / (high - low) * (right - left)

    canvas = Canvas(width, height)
    _title(canvas, title_lines)
    _y_ticks(canvas, [(y_of(t), number_label(t)) for t in value_ticks], left, right, unit)
    _x_ticks(canvas, [(x_of(_days(d)), lines) for d, lines in year_ticks], left, right, plot_bottom,
             plot_bottom)
    if mark is not None:
        x = x_of(_days(mark[0]))
        canvas.line(x, top, x, plot_bottom, NEUTRAL_COLOURS[-1], 1, dashed=True)
        lines = list(mark[1])
        fits = x + 5 + max(text_width(line, SMALL_SIZE) for line in lines) <= width - PAD
        canvas.text(x + 5 if fits else x - 5, plot_bottom - 10 - len(lines) * SMALL_SIZE * LINE / 2,
                    lines, SMALL_SIZE, "start" if fits else "end", fill=NEUTRAL_COLOURS[-1])
    points: list[tuple[float, float]] = []
    for day, total in zip(dates, totals, strict=True):
        x, y = x_of(_days(day)), y_of(total)
        if points:
            points.append((x, points[-1][1]))
        points.append((x, y))
    points.append((x_of(last), points[-1][1]))
    canvas.polyline(points, SIDE_COLOURS["NATO"], 2.5)
    placed: list[tuple[float, float, float]] = []   # x from, x to, y of labels already drawn
    for day, total in zip(dates, totals, strict=True):
        x, y = x_of(_days(day)), y_of(total) - 10
        half = text_width(str(total), SMALL_SIZE) / 2 + 2
        while any(a < x + half and x - half < b and abs(y - yy) < SMALL_SIZE for a, b, yy in placed):
            y -= SMALL_SIZE + 1
        placed.append((x - half, x + half, y))
        canvas.text(x, y, str(total), SMALL_SIZE, "middle")
    return Chart(canvas.render(description or title), description or title)


def histogram(values: Sequence[float], edges: Sequence[float], title: str, unit: str, counted: str,
              colour: str = NEUTRAL_COLOURS[0], mark: tuple[float, str] | None = None,
              description: str = "") -> Chart:
    """Columns counting the values in each band ``edges[i] <= v < edges[i + 1]`` (the last band
    includes its upper edge), each labelled with its count.

    Parameters
    ----------
    values, edges
        The values, and the band edges in order.
    title
        Chart title.
    unit, counted
        What the values are (x-axis label) and what is counted (y-axis label).
    colour
        Colour of the columns.
    mark
        Optional ``(value, label)``: a dashed line at that value, named in a legend.
    description
        What the chart shows, in one line (alt text); the title if not given.
    """
    counts = [0] * (len(edges) - 1)
    for value in values:
        for n in range(len(counts)):
            if edges[n] <= value < edges[n + 1] or (n == len(counts) - 1 and value == edges[-1]):
                counts[n] += 1
                break
    width, height = WIDTH, 350
    title_lines = _title_lines(title, width)
    legend = _Legend([(mark[1], "#333333")] if mark else [], "", width - 2 * PAD, dashed=True)
    top = PAD + len(title_lines) * TITLE_SIZE * LINE + 8 + legend.height
    left, right = PAD + TICK_SIZE * LINE + 30, width - PAD - 10
    low, high = float(edges[0]), float(edges[-1])
    x_ticks = [t for t in nice_ticks(low, high, 8, integer=True) if t <= high]
    plot_bottom = height - PAD - _x_ticks_height([(0, ["0"])], unit)
    value_ticks, y_of = _value_axis(counts, plot_bottom - top, top)

    def x_of(value: float) -> float:
        return left + (float(value) - low) / ((high - low) or 1) * (right - left)

    canvas = Canvas(width, height)
    _title(canvas, title_lines)
    legend.draw(canvas, left, top - legend.height)
    _y_ticks(canvas, [(y_of(t), number_label(t)) for t in value_ticks], left, right, counted)
    _x_ticks(canvas, [(x_of(t), [number_label(t)]) for t in x_ticks], left, right, plot_bottom,
             plot_bottom, unit)
    for n, count in enumerate(counts):
        x0, x1 = x_of(edges[n]), x_of(edges[n + 1])
        canvas.rect(x0 + 0.5, y_of(count), x1 - x0 - 1, plot_bottom - y_of(count), colour)
        if count:
            canvas.text((x0 + x1) / 2, y_of(count) - 9, str(count), SMALL_SIZE, "middle")
    if mark:
        canvas.line(x_of(mark[0]), top, x_of(mark[0]), plot_bottom, "#333333", 1.5, dashed=True)
    return Chart(canvas.render(description or title), description or title)


def show_in(output: widgets.Output, shown: Any) -> None:
    """Replace what an Output widget shows with ``shown`` (text, a table, a chart ...).

    Binary formats are base64-encoded, as a notebook stores them: the browser cannot show raw
    bytes sent through a widget (``Output.append_display_data`` would send them).
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
        data["image/svg+xml"] = shown.svg
    output.outputs = ({"output_type": "display_data", "data": data, "metadata": metadata},)

