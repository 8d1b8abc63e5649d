"""Display helpers the lessons share: escaping, charts, explorations, provision blocks, the course map."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import ipywidgets as widgets
import pytest

from helpers import data
import pandas as pd

from helpers.display.tables import table_html
from helpers.lesson import course, plots
from helpers.lesson.provision import Provision
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
    assert repr(shown) == f"{data.source_label(row['source_id'])} [{row['reliability']}]"


def test_members_chart_counts_members_up_to_a_date() -> None:
    chart = plots.members_over_time("2022-01-26")
    assert repr(chart) == "Chart: step chart of NATO's members from 12 in 1949 to 30 in 2022"
    texts = chart.texts()
    assert texts[0] == "NATO members, 1949 to 2022"
    assert "30" in texts and "32" not in texts                  # each step labelled with its total
    assert "27 May 1997 (cut-off in Russia's draft agreement, Art. 4)" in texts
    assert "to 32 in 2024" in repr(plots.members_over_time())
    assert "32" in plots.members_over_time().texts()


def test_timeline_and_bars_describe_themselves() -> None:
    events = data.events()
    chart = plots.timeline(events.head(5))
    first, last = events["date"].iloc[0], events["date"].iloc[4]
    assert repr(chart) == f"Chart: timeline of 5 events from {first:%d %B %Y} to {last:%d %B %Y}"
    bar = plots.bars(["a", "b"], [1550, 700], "Limits", "items")
    assert repr(bar) == "Chart: Limits (items): a 1,550, b 700"
    assert {"a", "b", "1,550", "700", "items"} <= set(bar.texts())
    labels = [text for text in chart.texts() if text.endswith(str(events["title"].iloc[0]))]
    assert labels == [f"{first.day} {first:%b}\u2002{events['title'].iloc[0]}"]


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
    assert output["data"]["image/svg+xml"].startswith("<svg")
    assert output["data"]["text/plain"].endswith("to 30 in 2022")


def test_an_exploration_names_its_control_from_its_description() -> None:
    """A slider's handle has no label of its own: the exploration's hidden ControlNames widget
    names it (in the page) after the visible label, then what the exploration shows. That the
    page really names it: axe-core over 01_background in tests/test_browser.py."""
    from helpers.lesson.explore import ControlNames, accessible_name

    slider = widgets.IntSlider(value=1999, min=1949, max=2024, description="Year")
    shown = explore(slider, str, "NATO members  up to\na chosen year")
    assert isinstance(shown.names, ControlNames) and shown.names in shown.children
    assert shown.children[:2] == (slider, shown.view), "the control, then the view"
    assert shown.names.name == "Year: NATO members up to a chosen year"
    assert "explore-control" in slider._dom_classes
    unlabelled = explore(widgets.Dropdown(options=["a", "b"]), str, "figures for one exercise")
    assert unlabelled.names.name == "figures for one exercise"
    assert accessible_name(widgets.Dropdown(options=["a"], description="Type"), "type") == "Type"
    assert accessible_name(widgets.Dropdown(options=["a"], description=" "), "") == ""


@pytest.mark.parametrize("provision_id", PROVISION_IDS)
def test_every_provision_has_a_card_and_two_positions(provision_id: str) -> None:
    provision = Provision(provision_id)
    shown = provision.card()
    assert f"Provision {provision.number}: {provision.title}" in repr(shown)
    assert "Sources: " in repr(shown)
    both = provision.positions()
    assert "What Russia's drafts asked:" in repr(both) and "What the replies said:" in repr(both)
    assert "offered" not in repr(both).split("What the replies said:")[0]


@pytest.mark.parametrize("provision_id", PROVISION_IDS)
def test_every_provision_shows_a_passage_of_each_side(provision_id: str) -> None:
    """Each provision lesson can show Russia's article and the replies' passage side by side."""
    table = Provision(provision_id).excerpts()
    documents = set(table["document"].astype(str))
    assert documents & {"US treaty", "NATO agreement"}, f"{provision_id}: no passage of Russia's drafts"
    assert documents & {"US reply", "NATO reply"}, f"{provision_id}: no passage of the replies"
    shown = repr(Provision(provision_id).documents())
    assert "Russia's drafts (17 December 2021):" in shown and "full text: http" in shown


def test_a_passage_without_published_wording_says_so() -> None:
    excerpts = data.load("excerpts")
    row = excerpts[~excerpts["quoted"].astype(bool)].iloc[0]
    shown = Provision(str(row["provision_ids"]).split(";")[0].strip()).documents()
    assert "(paraphrase)" in repr(shown) and "no published wording found" in shown.html


def test_demands_for_a_provision_follow_the_responses_table() -> None:
    table = Provision("P03").demands()
    links = data.responses()
    links = links[links["provision_id"] == "P03"]
    assert len(table) == len(links) > 0
    assert "rejects" in set(table["relation"].astype(str))
    assert set(table["reply"].astype(str)) <= {"US", "NATO", "both"}


def test_unknown_provision_is_a_clear_error() -> None:
    with pytest.raises(KeyError, match="no provision 'P11'"):
        Provision("P11")


def test_history_is_sorted_and_split_by_period() -> None:
    provision = Provision("P09")
    assert provision.agreements()["signed"].is_monotonic_increasing
    history = provision.history()
    assert not history.empty and history["date"].is_monotonic_increasing
    before = provision.history("before")
    assert set(before["period"].astype(str)) == {"before"} and len(before) <= len(history)


def test_tables_show_every_cell_left_aligned_without_a_meaningless_index() -> None:
    table = pd.DataFrame({"date": pd.to_datetime(["2022-01-26"]), "text": ["x" * 300 + " <end>"],
                          "count": [1550]})
    html_text = table_html(table)
    assert "x" * 300 + " &lt;end&gt;" in html_text            # in full, escaped
    assert '<td style="text-align:left;white-space:nowrap">26 Jan 2022</td>' in html_text
    assert '<td style="text-align:right;white-space:nowrap">1,550</td>' in html_text
    assert "<th" in html_text and ">0<" not in html_text       # no RangeIndex column
    assert "<th style=\"text-align:left\">event</th>" in table_html(table.set_index(pd.Index(["E1"], name="event")))


def test_setup_makes_every_table_readable_in_a_kernel() -> None:
    code = ("from helpers.lesson.setup import setup\nimport pandas as pd\nlesson = setup('missiles-ukraine')\n"
            "print(pd.get_option('display.max_colwidth'), lesson.provision.id)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["None", "P04"]


# --- the course: course.yml, navigation, timings ------------------------------------------------

@pytest.fixture
def small_course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A two-lesson course in a temporary folder: course.yml, lesson files, notebooks."""
    (tmp_path / "course.yml").write_text(
        "lessons:\n  - {id: start-here, file: 00_start_here.ipynb}\n"
        "  - {id: open-door, provision: P03, file: 04_open_door.ipynb, formerly: [03_open_door]}\n",
        encoding="utf-8")
    quizzes = tmp_path / "quizzes"
    quizzes.mkdir()
    for lesson_id, title in (("start-here", "Start here"), ("open-door", "NATO's *open* door")):
        (quizzes / f"{lesson_id}.yaml").write_text(
            f"schema: 2\nlesson: {lesson_id}\ntitle: \"{title}\"\nobjectives:\n  read-it: read the text\n"
            "discussion:\n  - {prompt: Why?, marking: Because.}\n  - {prompt: How?, marking: Thus.}\n"
            f"questions:\n  - {{id: {lesson_id}-1, type: true_false, objective: read-it, sources: [S01],\n"
            "     prompt: Yes?, answer: true, explanation: Yes.}\n", encoding="utf-8")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for name, words in (("00_start_here.ipynb", 130 * 2), ("04_open_door.ipynb", 130 * 10)):
        cells = [{"cell_type": "markdown", "metadata": {}, "source": "word " * words},
                 {"cell_type": "markdown", "metadata": {}, "source": "## More (optional)\n" + "word " * 640}]
        (notebooks / name).write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                                  "nbformat_minor": 5}), encoding="utf-8")
    monkeypatch.setattr(course, "COURSE_FILE", tmp_path / "course.yml")
    monkeypatch.setenv("COURSE_QUIZ_DIR", str(quizzes))
    return tmp_path


def test_navigation_comes_from_course_yml(small_course: Path) -> None:
    assert course.nav_line("start-here") == "[01 · NATO's *open* door →](04_open_door.ipynb)"
    assert course.nav_line("open-door") == (
        "[← 00 · Start here](00_start_here.ipynb) · [Course map](00_start_here.ipynb#Course-map)")
    assert course.lesson_ids_by_stem() == {"00_start_here": "start-here", "04_open_door": "open-door",
                                           "03_open_door": "open-door"}


def test_timing_counts_prose_questions_optional_sections_and_discussion(small_course: Path) -> None:
    entry = course.lesson("open-door")
    time = course.lesson_timing(entry)
    # 10 minutes of prose (+ 1.5 for the question, + the heading's words) -> 15; 5 optional; 2 x 7 discussion -> 15
    assert (time.core, time.optional, time.discussion) == (15, 5, 15)
    assert time.sentence() == ("about 15 minutes on your own (optional sections: about 5 more); "
                               "class discussion: about 15 minutes")
    header = course.header_lines(entry, time)
    assert header["title"] == "# 01 · NATO's *open* door"
    assert header["objectives"] == "**By the end you will be able to**\n- read the text"


def test_course_map_escapes_titles_and_totals_the_time(small_course: Path) -> None:
    shown = course.course_map_table()
    assert "NATO&#x27;s <em>open</em> door" in shown.html or "NATO's <em>open</em> door" in shown.html
    assert "2 lessons: about 20 minutes on your own" in repr(shown)


def test_a_broken_course_file_is_named_in_the_error(small_course: Path) -> None:
    (small_course / "course.yml").write_text("lessons:\n  - {id: x}\n", encoding="utf-8")
    with pytest.raises(course.CourseError, match="course.yml, lesson #1: needs id and file"):
        course.lessons()
    (small_course / "course.yml").write_text("lessons:\n  - {id: x, file: x.ipynb, provison: P01}\n",
                                             encoding="utf-8")
    with pytest.raises(course.CourseError, match="unknown field provison"):
        course.lessons()


def test_bar_charts_keep_the_decimals_of_small_counts() -> None:
    chart = plots.bars(["a", "b"], [1.5, 3], "Small counts", "count")
    assert repr(chart) == "Chart: Small counts (count): a 1.5, b 3"
    texts = chart.texts()   # each bar's label, then its value
    assert texts[texts.index("a") + 1] == "1.5" and texts[texts.index("b") + 1] == "3"


def test_a_source_column_shows_the_publisher_and_how_far_to_trust_it() -> None:
    from helpers.lesson.setup import source_links

    table = pd.DataFrame({"text": ["x"], "source_id": ["S27"]})
    row = data.sources().set_index("source_id").loc["S27"]
    html_text = table_html(table, source_links())
    assert ">source</th>" in html_text and ">source_id<" not in html_text
    assert f">{row['publisher']} ({row['reliability']})</a>" in html_text.replace("&#x27;", "'")
    assert ">S27<" not in html_text and ">S27<" in table_html(table)


def test_a_table_scrolls_sideways_in_a_focusable_named_box_of_its_own() -> None:
    from helpers.display.tables import table_name

    shown = table_html(pd.DataFrame({"date": ["x"], "title <b>": ["y"], "c": [1], "d": [2], "e": [3]}))
    assert shown.startswith('<div class="course-table-box" role="region" tabindex="0" '
                            'aria-label="table: date, title &lt;b&gt;, c, d, …" '
                            'style="max-width:100%;overflow-x:auto"><table class="course-table">')
    assert shown.endswith("</table></div>") and shown.count("<table") == 1
    assert table_name(["", "event"]) == "table: event"
    assert table_name([]) == "table"


def test_a_long_table_repeats_its_headings_at_the_bottom() -> None:
    short = table_html(pd.DataFrame({"n": range(3)}))
    long = table_html(pd.DataFrame({"n": range(30)}))
    assert "<tfoot>" not in short
    assert long.count('<th style="text-align:left">n</th>') == 2 and "<tfoot>" in long
