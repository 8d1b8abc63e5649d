"""The progress dashboard of the start notebook, driven by real quiz widgets and real clicks."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from helpers.quiz.dashboard import dashboard, export_name
from helpers.quiz.progress import ProgressStore
from helpers.quiz.widgets import quiz

VIEW_MIME = "application/vnd.jupyter.widget-view+json"


@pytest.fixture
def store(tmp_path: Path) -> ProgressStore:
    return ProgressStore(tmp_path / "progress" / "progress.json")


def answer_true_false(store: ProgressStore, value: bool) -> None:
    """Answer the start quiz's true/false question the way a student does."""
    start = quiz("00_start_here", store=store)
    [view] = [v for v in start.views if v.question.type == "true_false"]
    view.controls[0].value = value
    view.check_button.click()


def test_empty_dashboard_says_nothing_answered(store: ProgressStore, tmp_path: Path) -> None:
    board = dashboard(store, tmp_path / "out")
    assert "You have answered 0 of" in board.summary.value
    assert "00_start_here" in board.table.value
    assert board.chart.outputs == ()


def test_dashboard_counts_answers_after_refresh(store: ProgressStore, tmp_path: Path) -> None:
    board = dashboard(store, tmp_path / "out")
    answer_true_false(store, True)       # right: NATO had 30 members in January 2022
    board.refresh_button.click()
    assert "You have answered 1 of" in board.summary.value
    assert "1 of 6" in board.table.value   # right on first try, of the graded questions
    assert len(board.chart.outputs) == 1
    assert board.chart.outputs[0]["data"]["text/plain"].startswith("Chart: Questions answered per quiz")


def test_wrong_first_try_is_not_counted_right(store: ProgressStore, tmp_path: Path) -> None:
    answer_true_false(store, False)
    answer_true_false(store, True)
    board = dashboard(store, tmp_path / "out")
    assert "0 were right on the first try" in board.summary.value


def test_export_writes_csv_and_json_named_after_student(store: ProgressStore, tmp_path: Path) -> None:
    answer_true_false(store, True)
    board = dashboard(store, tmp_path / "out")
    board.name.value = "Ada Lovelace"
    board.save_name.click()
    assert store.student == "Ada Lovelace"
    board.export_button.click()
    exported = json.loads((tmp_path / "out" / "course-answers-ada-lovelace.json").read_text(encoding="utf-8"))
    assert exported["student"] == "Ada Lovelace"
    assert [a["question_id"] for a in exported["answers"]] == ["start-nato-members-2022"]
    assert (tmp_path / "out" / "course-answers-ada-lovelace.csv").is_file()
    assert "course-answers-ada-lovelace.json" in board.message.value


def test_export_to_unwritable_folder_reports_and_keeps_answers(store: ProgressStore, tmp_path: Path) -> None:
    answer_true_false(store, True)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    board = dashboard(store, blocker / "out")
    assert board.export() == []
    assert "Could not write the export" in board.message.value
    assert "still in your progress file" in board.message.value
    assert len(store.records()) == 1


def test_name_is_escaped_in_messages(store: ProgressStore, tmp_path: Path) -> None:
    board = dashboard(store, tmp_path / "out")
    board.name.value = "<script>alert(1)</script>"
    board.save_name.click()
    assert "<script>" not in board.message.value
    assert "&lt;script&gt;" in board.message.value
    assert export_name(store.student) == "course-answers-script-alert-1-script"


def test_export_name_without_student() -> None:
    assert export_name(None) == "course-answers-anonymous"
    assert export_name("  ") == "course-answers-anonymous"


def test_text_form_holds_no_path(store: ProgressStore, tmp_path: Path) -> None:
    board = dashboard(store, tmp_path / "out")
    bundle = board._repr_mimebundle_()
    assert VIEW_MIME in bundle
    assert str(tmp_path) not in bundle["text/plain"]
    assert bundle["text/plain"].startswith("Progress dashboard")


def test_default_store_follows_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COURSE_PROGRESS_DIR", str(tmp_path / "elsewhere"))
    board = dashboard(export_folder=tmp_path)
    assert os.fspath(tmp_path / "elsewhere") in board.summary.value


def test_chart_reaches_the_browser_as_base64_text(store: ProgressStore, tmp_path: Path) -> None:
    """A widget cannot carry raw PNG bytes to the page: they must be base64 text, as in a notebook."""
    import base64

    answer_true_false(store, True)
    board = dashboard(store, tmp_path / "out")
    png = board.chart.outputs[0]["data"]["image/png"]
    assert isinstance(png, str)
    assert base64.b64decode(png).startswith(b"\x89PNG")


def test_exploration_redraws_charts_as_base64_text() -> None:
    import base64

    import ipywidgets as widgets

    from helpers.lesson import plots
    from helpers.lesson.explore import explore

    slider = widgets.IntSlider(value=2, min=1, max=3)
    shown = explore(slider, lambda n: plots.bars(["a", "b"], [n, n + 1], "t", "u"), "test bars")
    first = shown.view.outputs[0]["data"]["image/png"]
    slider.value = 3
    [output] = shown.view.outputs
    assert output["data"]["text/plain"].startswith("Chart: t (u): a 3, b 4")
    assert base64.b64decode(output["data"]["image/png"]).startswith(b"\x89PNG")
    assert output["data"]["image/png"] != first
