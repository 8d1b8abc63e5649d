"""Charts carry alt text: an HTML ``<img alt>`` holding the SVG once, deterministic bytes.

JupyterLab draws an image output as an ``<img>`` without ``alt`` (axe-core: image-alt,
serious). A :class:`~helpers.display.charts.Chart` therefore shows as HTML with the description
as ``alt``; the SVG is stored once, inside it, and its bytes are the same on every run and every
platform (strict nbval compares text/html exactly).
"""
from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import ipywidgets as widgets
from IPython.core.formatters import format_display_data

from helpers.display import charts
from helpers.lesson import course

REPO = Path(__file__).resolve().parent.parent
CHART_CODE = ("from helpers.display import charts\n"
              "c = charts.bars(['a <b>', 'b & c'], [1550, 700], 'Limits \"x\"', 'items')\n")


def make() -> charts.Chart:
    return charts.bars(["a <b>", "b & c"], [1550, 700], 'Limits "x"', "items")


def test_a_chart_shows_as_an_image_with_alt_text() -> None:
    chart = make()
    data, _ = format_display_data(chart)
    assert set(data) == {"text/html", "text/plain"}            # the SVG once, inside the HTML
    page = data["text/html"]
    assert page.startswith('<img class="course-chart" src="data:image/svg+xml;base64,')
    alt = re.search(r' alt="([^"]*)"', page).group(1)
    assert alt == "Limits &quot;x&quot; (items): a &lt;b&gt; 1,550, b &amp; c 700"
    assert data["text/plain"] == f"Chart: {chart.description}"
    svg = base64.b64decode(re.search(r"base64,([^\"]+)\"", page).group(1)).decode("utf-8")
    assert svg == chart.svg and svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    # the data is escaped inside the SVG too, and the SVG names itself
    assert "a &lt;b&gt;" in svg and "b &amp; c" in svg and "<title>Limits &quot;x&quot; (items)" in svg
    ElementTree.fromstring(svg)                                 # well-formed XML


def test_the_chart_bytes_are_the_same_in_another_process() -> None:
    code = CHART_CODE + "import hashlib; print(hashlib.sha256(c.html().encode()).hexdigest())"
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           cwd=REPO).stdout.strip() for _ in range(2)}
    assert runs == {hashlib.sha256(make().html().encode()).hexdigest()}


def test_no_sanitize_rule_hides_a_chart_from_strict_nbval() -> None:
    """SVG text is the same on every platform: nbval compares charts byte for byte."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "nbval-sanitize" not in makefile and not (REPO / "tests" / "nbval_sanitize.cfg").exists()


def test_a_chart_in_an_output_widget_keeps_a_plain_image_too() -> None:
    out = widgets.Output()
    charts.show_in(out, make())
    data = out.outputs[0]["data"]
    assert 'alt="Limits' in data["text/html"]
    assert data["image/svg+xml"] == make().svg


def test_lesson_timing_counts_an_html_chart_as_a_chart() -> None:
    html_chart = {"output_type": "display_data",
                  "data": {"text/html": make().html(), "text/plain": "Chart: many words " * 50}}
    png_chart = {"output_type": "display_data",
                 "data": {"image/png": make().base64(), "text/plain": "Chart: many words " * 50}}
    for out in (html_chart, png_chart):
        assert course._is_chart(out)
        assert course._output_text({"outputs": [out]}) == ""
    assert not course._is_chart({"data": {"text/html": "<table></table>"}})
