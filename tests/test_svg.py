"""The SVG canvas under the course's charts: measuring and wrapping text, round ticks, date
ticks, and charts whose text stays inside the image."""
from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from datetime import date

import pandas as pd
import pytest

from helpers import data
from helpers.display import svg
from helpers.lesson import plots

SVG = "{http://www.w3.org/2000/svg}"


def test_text_width_grows_with_the_text_and_the_size() -> None:
    assert svg.text_width("", 12) == 0
    assert svg.text_width("iiii", 12) < svg.text_width("MMMM", 12)
    assert svg.text_width("abc", 24) == pytest.approx(2 * svg.text_width("abc", 12))
    assert svg.text_width("Пример", 12) > svg.text_width("Sample", 12)   # unknown letters: wide


def test_wrap_keeps_every_word_and_each_line_within_the_width() -> None:
    text = "About 175,000 personnel in Russian plans for an offensive, a plan and not troops present"
    lines = svg.wrap(text, 12, 200)
    assert " ".join(lines) == text
    assert len(lines) > 1 and all(svg.text_width(line, 12) <= 200 for line in lines)
    assert svg.wrap("Incomprehensibilities", 12, 20) == ["Incomprehensibilities"]   # a long word stays whole
    assert svg.wrap("", 12, 100) == [""]
    assert svg.wrap("6 Oct\u2002NATO", 12, 500) == ["6 Oct\u2002NATO"]             # an en space is kept


@pytest.mark.parametrize(("low", "high", "integer", "expected"), [
    (0, 175_000, False, [0, 50_000, 100_000, 150_000, 200_000]),
    (0, 3, False, [0, 1, 2, 3]),
    (0, 1.6, False, [0, 0.5, 1, 1.5, 2]),
    (0, 11, True, [0, 5, 10, 15]),
    (0, 7, True, [0, 2, 4, 6, 8]),
    (5, 5, False, [5]),
])
def test_nice_ticks_are_round_and_cover_the_range(low: float, high: float, integer: bool,
                                                  expected: list[float]) -> None:
    assert svg.nice_ticks(low, high, 5, integer) == expected


def test_date_ticks_pick_years_months_or_days_with_the_year_where_it_changes() -> None:
    years = svg.date_ticks(date(1947, 6, 1), date(2026, 6, 1))
    assert [lines for _, lines in years] == [[str(y)] for y in range(1950, 2030, 10)]
    months = svg.date_ticks(date(2021, 10, 1), date(2022, 1, 31))
    assert [lines for _, lines in months] == [["Oct", "2021"], ["Nov"], ["Dec"], ["Jan", "2022"]]
    days = svg.date_ticks(date(2022, 1, 25), date(2022, 2, 25))
    assert [lines for _, lines in days] == [["1 Feb", "2022"], ["8 Feb"], ["15 Feb"], ["22 Feb"]]
    assert all(len(svg.date_ticks(date(2021, 1, 1), end)) <= 8
               for end in (date(2021, 1, 3), date(2021, 3, 1), date(2022, 6, 1), date(2060, 1, 1)))


def test_canvas_escapes_text_and_writes_round_numbers() -> None:
    canvas = svg.Canvas(100, 50)
    canvas.text(10.04, 20, ["<b>&", "second"], 12)
    canvas.circle(1 / 3, 2.0, 5, "#000000")
    page = canvas.render('a "chart" <x>')
    root = ElementTree.fromstring(page)
    assert root.findtext(f"{SVG}title") == 'a "chart" <x>'
    assert [span.text for span in root.iter(f"{SVG}tspan")] == ["<b>&", "second"]
    assert '<circle cx="0.3" cy="2" r="5"' in page and 'x="10"' in page


def _text_extents(chart: plots.Chart) -> list[tuple[str, float, float, float]]:
    """Each line of text in the chart: the text, its left and right edge, its baseline."""
    root = ElementTree.fromstring(chart.svg)
    found = []
    for element in root.iter(f"{SVG}text"):
        if element.get("transform"):             # the rotated y-axis label
            continue
        size = float(element.get("font-size"))
        bold = element.get("font-weight") == "bold"
        for span in element:
            width = svg.text_width(span.text or "", size, bold)
            x = float(span.get("x"))
            left = {"start": x, "middle": x - width / 2, "end": x - width}[element.get("text-anchor")]
            found.append((span.text or "", left, left + width, float(element.get("y"))))
    return found


def lesson_charts() -> dict[str, plots.Chart]:
    events = data.events()
    replies = pd.Timestamp("2022-01-26")
    return {
        "members": plots.members_over_time(),
        "members-1997": plots.members_over_time("1997-12-31"),
        "events-before": plots.timeline(events[events["date"] <= replies], title="Events before the replies"),
        "events-after": plots.timeline(events[events["date"] >= replies], title="Events after the replies"),
        "all-events": plots.timeline(events, title="Every event in the dataset, from the oldest to the newest"),
        "bars": plots.bars(["About 175,000 personnel in Russian plans for an offensive, a plan and not "
                            "troops present (US officials, early December 2021)", "b"], [175_000, 1.5],
                           "A title long enough to need two lines when it is drawn over a chart that is "
                           "eight hundred pixels wide", "troops"),
        "bands": plots.range_bands(["shorter-range", "intermediate-range"], [500, 1000], [1000, 5500],
                                   "Bands", "km"),
    }


@pytest.mark.parametrize("name", list(lesson_charts()))
def test_every_text_of_a_chart_stays_inside_the_image(name: str) -> None:
    chart = lesson_charts()[name]
    root = ElementTree.fromstring(chart.svg)
    width, height = float(root.get("width")), float(root.get("height"))
    outside = [(text, round(left), round(right)) for text, left, right, baseline in _text_extents(chart)
               if left < 0 or right > width or not 0 < baseline < height]
    assert not outside, f"{name}: text outside the {width:.0f} px wide image: {outside}"


def test_a_timeline_of_no_events_says_so() -> None:
    events = data.events()
    chart = plots.timeline(events[events["date"] < "1900-01-01"], title="Nothing")
    assert repr(chart) == "Chart: empty timeline" and chart.texts() == ["Nothing", "(no events)"]


def test_timeline_labels_never_overlap_their_neighbours() -> None:
    chart = lesson_charts()["all-events"]
    labels = [line for line in _text_extents(chart) if "\u2002" in line[0]]
    assert len(labels) == len(data.events())
    rows = sorted(labels, key=lambda line: line[3])
    assert all(b[3] - a[3] >= 12 for a, b in zip(rows, rows[1:], strict=False)), "two labels on one line"
