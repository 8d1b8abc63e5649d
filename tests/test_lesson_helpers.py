"""Display helpers the lessons share: escaping, charts, explorations, provision blocks, the course map."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import ipywidgets as widgets
import pytest

from helpers import data
from helpers.lesson import course, plots, provision as lesson
from helpers.lesson.explore import explore
from helpers.lesson.cards import card, citation, side_by_side

REPO = Path(__file__).resolve().parent.parent
PROVISION_IDS = [f"P{n:02d}" for n in range(1, 11)]


def test_card_escapes_text_from_data() -> None:
    shown = card("<b>title</b>", [("Label:", "<script>alert(1)</script> & <img src=x onerror=alert(1)>")])
    assert "<script>" not in shown.html and "<img" not in shown.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img" in shown.html
    assert "<script>alert(1)</script>" in repr(shown), "the plain-text form shows the characters as typed"


def test_side_by_side_says_when_a_side_has_nothing() -> None:
    shown = side_by_side("Russia", [], "United States", ["an offer"])
    assert "(nothing on this point)" in repr(shown)
    assert "<li>an offer</li>" in shown.html


def test_citation_links_the_copy_that_was_read() -> None:
    row = data.sources().iloc[0]
    shown = citation(row["source_id"])
    assert f'href="{row["url"]}"' in shown.html.replace("&amp;", "&")
    assert repr(shown) == data.source_label(row["source_id"])


def test_members_chart_counts_members_up_to_a_date() -> None:
    chart = plots.members_over_time("2022-01-26")
    assert repr(chart) == "Chart: step chart of NATO's members from 12 in 1949 to 30 in 2022"
    assert chart.png().startswith(b"\x89PNG")
    assert "to 32 in 2024" in repr(plots.members_over_time())


def test_timeline_and_bars_describe_themselves() -> None:
    events = data.events()
    chart = plots.timeline(events.head(5))
    first, last = events["date"].iloc[0], events["date"].iloc[4]
    assert repr(chart) == f"Chart: timeline of 5 events from {first:%d %B %Y} to {last:%d %B %Y}"
    bar = plots.bars(["a", "b"], [1550, 700], "Limits", "items")
    assert repr(bar) == "Chart: Limits (items): a 1,550, b 700"
    assert bar.png().startswith(b"\x89PNG")


def test_exploration_redraws_when_the_student_moves_the_control() -> None:
    slider = widgets.IntSlider(value=1999, min=1949, max=2024)
    shown = explore(slider, lambda year: f"{year}: {int((data.nato_members()['accession_date'].dt.year <= year).sum())} members",
                    "members by year")
    assert shown.view.outputs[0]["text"] == "1999: 19 members\n"
    slider.value = 2004
    assert shown.view.outputs == ({"output_type": "stream", "name": "stdout", "text": "2004: 26 members\n"},)
    assert repr(shown) == "Interactive: members by year (run the notebook to use it)"
    assert "children=" not in shown._repr_mimebundle_()["text/plain"]


def test_exploration_shows_rich_objects_as_display_data() -> None:
    dropdown = widgets.Dropdown(options=["2022-01-26", "2024-12-31"])
    shown = explore(dropdown, plots.members_over_time, "members chart")
    output = shown.view.outputs[0]
    assert output["output_type"] == "display_data"
    assert "image/png" in output["data"]
    assert output["data"]["text/plain"].endswith("to 30 in 2022")


@pytest.mark.parametrize("provision_id", PROVISION_IDS)
def test_every_provision_has_a_card_and_two_positions(provision_id: str) -> None:
    row = data.provisions().set_index("provision_id").loc[provision_id]
    shown = lesson.provision_card(provision_id)
    assert f"Provision {row['number']}: {row['title']}" in repr(shown)
    assert "Sources: " in repr(shown)
    both = lesson.positions(provision_id)
    assert "What Russia's drafts asked:" in repr(both) and "What the US reply offered:" in repr(both)


def test_demands_for_a_provision_follow_the_responses_table() -> None:
    table = lesson.demands_for("P03")
    links = data.responses()
    expected = set(links[links["provision_id"] == "P03"]["demand_id"])
    assert set(table["demand_id"]) == expected and expected
    assert "rejects" in set(table["relation"].astype(str))


def test_unknown_provision_is_a_clear_error() -> None:
    with pytest.raises(KeyError, match="no provision 'P11'"):
        lesson.provision_card("P11")


def test_history_and_agreements_are_sorted_by_date() -> None:
    assert lesson.agreements_for("P06")["signed"].is_monotonic_increasing
    history = lesson.history_for("P09")
    assert not history.empty and history["date"].is_monotonic_increasing


def test_course_map_reads_title_time_and_objectives(tmp_path: Path) -> None:
    def write(stem: str, first: str) -> None:
        nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": first}], "metadata": {},
              "nbformat": 4, "nbformat_minor": 5}
        (tmp_path / f"{stem}.ipynb").write_text(json.dumps(nb), encoding="utf-8")

    write("00_start_here", "# 00 · Start here\n<!-- nav -->\n**Time:** about 15 minutes\n\n"
                           "**You will learn**\n- one\n- two\n")
    write("01_background", "# 01 · Background\n**Time:** about 30 minutes\n")
    table = course.course_map(tmp_path)
    assert list(table["title"]) == ["Start here", "Background"]
    assert list(table["minutes"]) == [15, 30]
    assert course.read_lesson(tmp_path / "00_start_here.ipynb").objectives == ("one", "two")
    assert course.nav_line("00_start_here", tmp_path) == "<!-- nav --> [01 · Background →](01_background.ipynb)"
    assert course.nav_line("01_background", tmp_path) == (
        "<!-- nav --> [← 00 · Start here](00_start_here.ipynb) · [Course map](00_start_here.ipynb#Course-map)")
    assert "2 notebooks, about 45 minutes in all" in repr(course.course_map_table(tmp_path))


def test_a_notebook_without_a_title_is_named_in_the_error(tmp_path: Path) -> None:
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": "Intro"}], "metadata": {},
          "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "05_x.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(ValueError, match="05_x.ipynb: the first cell must start with a title"):
        course.lessons(tmp_path)


def test_every_notebook_navigation_line_is_current() -> None:
    result = subprocess.run([sys.executable, str(REPO / "tools" / "update_navigation.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
