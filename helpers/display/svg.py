"""A small SVG canvas for the course's charts (standard library only).

Text is measured with the advance widths of DejaVu Sans, the first font the charts ask for (and
matplotlib's, whose charts these replaced); other sans-serif fonts are narrower, so text measured
here fits wherever it is drawn. Numbers are written with one decimal at most, so the same chart
always gives the same bytes (strict nbval compares them).
"""
from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from datetime import date, datetime

FONT_FAMILY = "'DejaVu Sans', Verdana, Geneva, sans-serif"
TEXT = "#222222"
MUTED = "#555555"
GRID = "#e3e3e3"
AXIS = "#444444"

# Advance widths of DejaVu Sans (hundredths of an em), read once from its TrueType file.
_MEASURED = (" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
             "abcdefghijklmnopqrstuvwxyz{|}~–—‘’“”…·•éèüöäçñíóáàÉ€£§°\u2002")
_WIDTHS = (32, 40, 46, 84, 64, 95, 78, 27, 39, 39, 50, 84, 32, 36, 32, 34, 64, 64, 64, 64, 64, 64, 64,
           64, 64, 64, 34, 34, 84, 84, 84, 53, 100, 68, 69, 70, 77, 63, 58, 77, 75, 29, 29, 66, 56, 86,
           75, 79, 60, 79, 69, 63, 61, 73, 68, 99, 69, 61, 69, 39, 34, 39, 84, 50, 50, 61, 63, 55, 63,
           62, 35, 63, 63, 28, 28, 58, 28, 97, 63, 61, 63, 63, 41, 52, 39, 63, 59, 82, 59, 59, 52, 64,
           34, 64, 84, 50, 100, 32, 32, 52, 52, 100, 32, 59, 62, 62, 63, 61, 61, 55, 63, 28, 61, 61, 61,
           63, 64, 64, 50, 50, 50)
_WIDTH = dict(zip(_MEASURED, _WIDTHS, strict=True))
_UNKNOWN = 80   # any other character (Cyrillic, CJK …): wider than most, so it still fits
BOLD = 1.1      # bold text is about a tenth wider
BASELINE = 0.35  # from the middle of a line of text to its baseline, in em


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in pixels of ``text`` at font size ``size`` (px)."""
    em = sum(_WIDTH.get(char, _UNKNOWN) for char in text) / 100
    return em * size * (BOLD if bold else 1.0)


def wrap(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width`` px (a longer word keeps a
    line of its own)."""
    lines: list[str] = []
    line = ""
    for word in (w for w in str(text).replace("\n", " ").split(" ") if w):   # not at an en space
        candidate = f"{line} {word}" if line else word
        if line and text_width(candidate, size, bold) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line or not lines else lines


def num(value: float) -> str:
    """A coordinate as SVG text: one decimal at most, no trailing ``.0``."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def nice_ticks(low: float, high: float, count: int = 5, integer: bool = False) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 times a power of ten) from ``low`` to ``high``,
    about ``count`` of them; the last is at or beyond ``high``."""
    if high <= low:
        return [low]
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    steps = [s * magnitude for s in (1, 2, 2.5, 5, 10)]
    if integer:
        steps = [s for s in steps if float(s).is_integer()] or [1.0]
    step = next((s for s in steps if s >= raw), steps[-1])
    first = math.floor(low / step + 1e-9) * step
    ticks = [first]
    while ticks[-1] < high - 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _month_starts(start: date, end: date, step: int) -> list[date]:
    ticks = []
    year, month = start.year, start.month
    while date(year, month, 1) <= end:
        if date(year, month, 1) >= start and (month - 1) % step == 0:
            ticks.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return ticks


def date_ticks(start: date | datetime, end: date | datetime, most: int = 8) -> list[tuple[date, list[str]]]:
    """Ticks for a date axis from ``start`` to ``end``, at most ``most`` of them: 1 January of
    years (over three years or more), else the 1st of months (if three fit), else days. Each tick
    has one or two label lines; the second gives the year on the first tick and where it changes."""
    first, last = _as_date(start), _as_date(end)
    if last.year - first.year >= 3:
        for years in (1, 2, 5, 10, 20, 25, 50, 100):
            ticks = [date(y, 1, 1) for y in range(first.year, last.year + 1)
                     if y % years == 0 and first <= date(y, 1, 1) <= last]
            if len(ticks) <= most:
                return [(tick, [str(tick.year)]) for tick in ticks]
    for months in (1, 2, 3, 6):
        ticks = _month_starts(first, last, months)
        if 3 <= len(ticks) <= most:
            return _with_years(ticks, lambda d: _MONTHS[d.month - 1])
    days = [date.fromordinal(o) for o in range(first.toordinal(), last.toordinal() + 1)]
    for chosen in (days, days[::2], [d for d in days if d.day in (1, 8, 15, 22)],
                   [d for d in days if d.day in (1, 15)]):
        if len(chosen) <= most:
            return _with_years(chosen, lambda d: f"{d.day} {_MONTHS[d.month - 1]}")
    return _with_years(_month_starts(first, last, 1), lambda d: _MONTHS[d.month - 1])


def _with_years(ticks: list[date], label: Callable[[date], str]) -> list[tuple[date, list[str]]]:
    shown = []
    for index, tick in enumerate(ticks):
        lines = [label(tick)]
        if index == 0 or tick.year != ticks[index - 1].year:
            lines.append(str(tick.year))
        shown.append((tick, lines))
    return shown


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


class Canvas:
    """SVG elements added in drawing order; :meth:`render` gives the document.

    Parameters
    ----------
    width, height
        Size in pixels (the chart's natural size; it scales down to fit a narrow window).
    """

    def __init__(self, width: float, height: float) -> None:
        self.width = width
        self.height = height
        self._parts: list[str] = [f'<rect width="{num(width)}" height="{num(height)}" fill="#ffffff"/>']

    def rect(self, x: float, y: float, width: float, height: float, fill: str) -> None:
        self._parts.append(f'<rect x="{num(x)}" y="{num(y)}" width="{num(max(width, 0))}" '
                           f'height="{num(max(height, 0))}" fill="{fill}"/>')

    def line(self, x1: float, y1: float, x2: float, y2: float, stroke: str = AXIS, width: float = 1,
             dashed: bool = False) -> None:
        dash = ' stroke-dasharray="5 4"' if dashed else ""
        self._parts.append(f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}" '
                           f'stroke="{stroke}" stroke-width="{num(width)}"{dash}/>')

    def circle(self, x: float, y: float, radius: float, fill: str) -> None:
        self._parts.append(f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(radius)}" fill="{fill}"/>')

    def polyline(self, points: Sequence[tuple[float, float]], stroke: str, width: float = 2) -> None:
        coordinates = " ".join(f"{num(x)},{num(y)}" for x, y in points)
        self._parts.append(f'<polyline points="{coordinates}" fill="none" stroke="{stroke}" '
                           f'stroke-width="{num(width)}" stroke-linejoin="round"/>')

    def text(self, x: float, y: float, lines: str | Sequence[str], size: float = 12,
             anchor: str = "start", fill: str = TEXT, bold: bool = False, rotate: bool = False,
             line_height: float = 1.25) -> None:
        """Text whose block of lines is centred vertically on ``y``; ``anchor`` is ``start``,
        ``middle`` or ``end``; ``rotate`` turns it to read upwards (a y-axis label)."""
        lines = [lines] if isinstance(lines, str) else list(lines)
        step = size * line_height
        baseline = y - step * (len(lines) - 1) / 2 + size * BASELINE
        weight = ' font-weight="bold"' if bold else ""
        turn = f' transform="rotate(-90 {num(x)} {num(y)})"' if rotate else ""
        spans = "".join(f'<tspan x="{num(x)}" dy="{num(0 if n == 0 else step)}">{html.escape(line)}</tspan>'
                        for n, line in enumerate(lines))
        self._parts.append(f'<text x="{num(x)}" y="{num(baseline)}" font-size="{num(size)}" '
                           f'text-anchor="{anchor}" fill="{fill}"{weight}{turn}>{spans}</text>')

    def render(self, description: str) -> str:
        """The SVG document, with ``description`` as its title (the chart's name in the image)."""
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(self.width)}" '
                f'height="{num(self.height)}" viewBox="0 0 {num(self.width)} {num(self.height)}" '
                f'font-family="{html.escape(FONT_FAMILY)}" role="img">'
                f"<title>{html.escape(description)}</title>{''.join(self._parts)}</svg>")
