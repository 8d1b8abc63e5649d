"""The progress dashboard, driven by real quiz widgets and real clicks, on fixture lessons."""
from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pandas as pd
import pytest
from fixture_lessons import QUESTIONS, write_lessons

from helpers.quiz.dashboard import (
    NAME_NEEDED,
    Dashboard,
    count,
    dashboard,
    export_name,
    summary_sentence,
    were,
)
from helpers.quiz.progress import ProgressStore, records
from helpers.quiz.widgets import quiz

VIEW_MIME = "application/vnd.jupyter.widget-view+json"
TOTAL = sum(QUESTIONS.values())


@pytest.fixture(autouse=True)
def no_hub(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)


@pytest.fixture
def folder(tmp_path: Path, mini_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COURSE_DATA_DIR", str(mini_data_dir))
    return write_lessons(tmp_path / "quizzes", mini_data_dir)


@pytest.fixture
def store(tmp_path: Path) -> ProgressStore:
    return ProgressStore(tmp_path / "progress" / "progress.json")


def board_for(store: ProgressStore, folder: Path, tmp_path: Path) -> Dashboard:
    return dashboard(store, tmp_path / "out", folder=folder)


def answer(store: ProgressStore, folder: Path, lesson: str, qid: str, value: object) -> None:
    """Answer one question in the lesson's quiz the way a student does."""
    view = quiz(lesson, folder=folder, store=store).view(qid)
    view.controls[0].value = value
    view.check_button.click()


# --- counting -----------------------------------------------------------------------------------

def test_counts_speak_correct_english() -> None:
    assert [count(n, "question") for n in (0, 1, 2)] == ["0 questions", "1 question", "2 questions"]
    assert [were(n) for n in (0, 1, 2)] == ["0 were", "1 was", "2 were"]
    table = pd.DataFrame({"lesson": ["a"], "answered": [1], "total": [1], "first_try_correct": [1]})
    assert summary_sentence(table) == ("You have answered 1 of 1 question in 1 of 1 lesson; "
                                       "1 was right on the first try.")


def test_empty_dashboard_says_nothing_answered(store: ProgressStore, folder: Path,
                                               tmp_path: Path) -> None:
    board = board_for(store, folder, tmp_path)
    assert (f"You have answered 0 of {TOTAL} questions in 0 of 3 lessons; 0 were right on the "
            "first try.") in board.summary.value
    assert "Fixture lesson *alpha*" in board.table.value     # titles, escaped as text
    assert board.chart.outputs == ()


def test_the_dashboard_updates_when_an_answer_is_saved(store: ProgressStore, folder: Path,
                                                       tmp_path: Path) -> None:
    board = board_for(store, folder, tmp_path)
    answer(store, folder, "alpha", "alpha-true-false", True)
    assert "You have answered 1 of" in board.summary.value           # no Refresh needed
    assert "1 was right on the first try" in board.summary.value
    assert "1 of 6" in board.table.value                               # right of graded, alpha
    assert len(board.chart.outputs) == 1
    assert board.chart.outputs[0]["data"]["text/plain"].startswith("Chart: Questions answered per lesson")
    answer(store, folder, "beta", "beta-true-false", False)
    assert "2 were right on the first try" in board.summary.value


def test_in_a_kernel_the_update_waits_for_the_quiz_feedback(store: ProgressStore, folder: Path,
                                                            tmp_path: Path) -> None:
    """With an event loop running (as in ipykernel), the dashboard redraws after the click's
    handler is done, once for several answers saved meanwhile."""
    import asyncio

    board = board_for(store, folder, tmp_path)
    redraws: list[str] = []
    original = board.refresh
    board.refresh = lambda reload=False: (redraws.append("x"), original(reload))  # type: ignore[method-assign]

    async def student() -> None:
        answer(store, folder, "alpha", "alpha-true-false", True)
        answer(store, folder, "beta", "beta-true-false", False)
        assert "You have answered 0 of" in board.summary.value     # feedback first
        await asyncio.sleep(0)
        assert "You have answered 2 of" in board.summary.value

    asyncio.run(student())
    assert redraws == ["x"]


def test_a_retry_does_not_redraw_the_chart(store: ProgressStore, folder: Path, tmp_path: Path) -> None:
    board = board_for(store, folder, tmp_path)
    answer(store, folder, "alpha", "alpha-true-false", False)
    chart = board.chart.outputs
    answer(store, folder, "alpha", "alpha-true-false", True)     # same question: same shares
    assert board.chart.outputs is chart
    answer(store, folder, "beta", "beta-true-false", False)
    assert board.chart.outputs is not chart


def test_a_question_reused_in_the_recap_counts_there_too(store: ProgressStore, folder: Path,
                                                         tmp_path: Path) -> None:
    answer(store, folder, "alpha", "alpha-numeric", "1550")
    answer(store, folder, "recap", "alpha-numeric", "1550")
    table = store.by_lesson(folder).set_index("lesson")
    assert table.loc["alpha", "first_try_correct"] == 1 and table.loc["recap", "first_try_correct"] == 1
    board = board_for(store, folder, tmp_path)
    assert "You have answered 2 of" in board.summary.value and "in 2 of 3 lessons" in board.summary.value


def test_refresh_reads_answers_from_other_notebooks(store: ProgressStore, folder: Path,
                                                    tmp_path: Path) -> None:
    board = board_for(store, folder, tmp_path)
    ProgressStore(tmp_path / "elsewhere" / "x.json")   # an unrelated store does not notify
    other_kernel = f"""
import sys; sys.path.insert(0, {str(Path(__file__).parent)!r})
from helpers.quiz.progress import ProgressStore
ProgressStore({str(store.path)!r}).record("beta", "beta-single", "single", "A", True)
"""
    import subprocess
    import sys

    subprocess.run([sys.executable, "-c", other_kernel], check=True,
                   cwd=Path(__file__).resolve().parent.parent)
    assert "You have answered 0 of" in board.summary.value
    board.refresh_button.click()
    assert "You have answered 1 of" in board.summary.value


def test_wrong_first_try_is_not_counted_right(store: ProgressStore, folder: Path,
                                              tmp_path: Path) -> None:
    answer(store, folder, "alpha", "alpha-true-false", False)
    answer(store, folder, "alpha", "alpha-true-false", True)
    board = board_for(store, folder, tmp_path)
    assert "0 were right on the first try" in board.summary.value


def test_controls_come_first(store: ProgressStore, folder: Path, tmp_path: Path) -> None:
    board = board_for(store, folder, tmp_path)
    first, second = board.children[:2]
    assert board.name in first.children and board.save_name in first.children
    assert board.refresh_button in second.children and board.export_button in second.children


# --- exports ------------------------------------------------------------------------------------

def test_export_writes_format_2_named_after_the_student(store: ProgressStore, folder: Path,
                                                        tmp_path: Path) -> None:
    answer(store, folder, "alpha", "alpha-true-false", True)
    board = board_for(store, folder, tmp_path)
    board.name.value = "Юлія Коваленко"
    board.save_name.click()
    assert store.student_name == "Юлія Коваленко"
    written = board.export()
    stem = export_name("Юлія Коваленко", store.student_id)
    assert stem is not None and stem.startswith("course-answers-юлія-коваленко-")
    assert [p.name for p in written] == [f"{stem}.json", f"{stem}.csv"]
    exported = json.loads(written[0].read_text(encoding="utf-8"))
    assert (exported["format"], exported["version"]) == (records.FORMAT, 2)
    assert exported["student"] == {"name": "Юлія Коваленко", "id": store.student_id}
    assert [(a["lesson"], a["question_id"]) for a in exported["answers"]] == [("alpha", "alpha-true-false")]
    assert f"{stem}.json" in board.message.value and "hand this one in" in board.message.value


def test_export_without_a_name_is_refused(store: ProgressStore, folder: Path, tmp_path: Path) -> None:
    answer(store, folder, "alpha", "alpha-true-false", True)
    board = board_for(store, folder, tmp_path)
    assert board.export() == []
    assert NAME_NEEDED in board.message.value.replace("&#x27;", "'")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_on_a_hub_the_user_name_names_the_export(store: ProgressStore, folder: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTERHUB_USER", "jkovalenko")
    written = board_for(store, folder, tmp_path).export()
    assert written[0].name.startswith("course-answers-jkovalenko-")


def test_export_names_keep_every_alphabet_and_never_collide() -> None:
    assert export_name("Zoë Müller", "local:1").startswith("course-answers-zoë-müller-")
    assert export_name("Anna", "local:aaa") != export_name("Anna", "local:bbb")
    assert export_name("  ", "local:1") is None and export_name(None, "local:1") is None
    assert export_name("../../etc/passwd", "local:1").startswith("course-answers-etc-passwd-")
    assert export_name("<script>", "local:1").startswith("course-answers-script-")


def test_export_to_unwritable_folder_reports_and_keeps_answers(store: ProgressStore, folder: Path,
                                                               tmp_path: Path) -> None:
    answer(store, folder, "alpha", "alpha-true-false", True)
    store.set_student("Ada")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    board = dashboard(store, blocker / "out", folder=folder)
    assert board.export() == []
    assert "Could not write the export" in board.message.value
    assert "still in your progress file" in board.message.value
    assert len(store.records()) == 1


def test_name_is_escaped_in_messages(store: ProgressStore, folder: Path, tmp_path: Path) -> None:
    board = board_for(store, folder, tmp_path)
    board.name.value = "<script>alert(1)</script>"
    board.save_name.click()
    assert "<script>" not in board.message.value
    assert "&lt;script&gt;" in board.message.value


def test_the_warning_of_the_store_is_shown(folder: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    board = board_for(ProgressStore(blocker / "progress.json"), folder, tmp_path)
    assert 'role="alert"' in board.summary.value and "kept in memory only" in board.summary.value


def test_text_form_holds_no_path(store: ProgressStore, folder: Path, tmp_path: Path) -> None:
    board = board_for(store, folder, tmp_path)
    bundle = board._repr_mimebundle_()
    assert VIEW_MIME in bundle
    assert str(tmp_path) not in bundle["text/plain"]
    assert bundle["text/plain"].startswith("Progress dashboard")


def test_default_store_follows_environment(monkeypatch: pytest.MonkeyPatch, folder: Path,
                                           tmp_path: Path) -> None:
    monkeypatch.setenv("COURSE_PROGRESS_DIR", str(tmp_path / "elsewhere"))
    board = dashboard(export_folder=tmp_path, folder=folder)
    assert os.fspath(tmp_path / "elsewhere") in board.summary.value


def test_chart_reaches_the_browser_as_base64_text(store: ProgressStore, folder: Path,
                                                  tmp_path: Path) -> None:
    """A widget cannot carry raw PNG bytes to the page: they must be base64 text, as in a notebook."""
    answer(store, folder, "alpha", "alpha-true-false", True)
    board = board_for(store, folder, tmp_path)
    png = board.chart.outputs[0]["data"]["image/png"]
    assert isinstance(png, str)
    assert base64.b64decode(png).startswith(b"\x89PNG")


def test_exploration_redraws_charts_as_base64_text() -> None:
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
