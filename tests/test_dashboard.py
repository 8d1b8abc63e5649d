"""The progress dashboard, driven by real quiz widgets and real clicks, on fixture lessons."""
from __future__ import annotations

import base64
import builtins
import html
import io
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
from fixture_lessons import QUESTIONS, write_lessons

from helpers.quiz.dashboard import (
    ALL_LESSONS,
    CANCEL_LABEL,
    CHOICE_LABEL,
    HANDIN_ENV,
    NAME_NEEDED,
    NOTHING_SAVED,
    NOTHING_YET,
    START_OVER_LABEL,
    YES_LABEL,
    Dashboard,
    HandInError,
    count,
    dashboard,
    export_name,
    hand_in,
    summary_sentence,
    were,
)
from helpers.quiz.progress import ProgressStore, records, storage
from helpers.quiz.widgets import quiz

VIEW_MIME = "application/vnd.jupyter.widget-view+json"
TOTAL = sum(QUESTIONS.values())


@pytest.fixture(autouse=True)
def no_hub(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.delenv(HANDIN_ENV, raising=False)


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
    assert list(second.children) == [board.download_button, board.refresh_button]   # no hand-in folder


# --- starting a lesson over ----------------------------------------------------------------------

def page(board: Dashboard, event: str, **content: object) -> None:
    """What the page sends when the student uses the control (a choice, a button)."""
    board.start_over.widget._handle_custom_msg({"event": event, **content}, [])


def choose(board: Dashboard, lesson: str) -> None:
    """Pick a lesson in the drop-down: the page's message and the synced value, as in a browser."""
    board.start_over.widget.value = lesson
    page(board, "choose", value=lesson)


def copies(store: ProgressStore) -> list[Path]:
    return sorted(store.path.parent.glob("progress.json.bak-*"))


@pytest.fixture
def answered(store: ProgressStore, folder: Path) -> ProgressStore:
    """Answers in alpha (three saved, two questions) and in beta (one), given through the quiz."""
    answer(store, folder, "alpha", "alpha-true-false", False)
    answer(store, folder, "alpha", "alpha-true-false", True)
    answer(store, folder, "alpha", "alpha-numeric", "1550")
    answer(store, folder, "beta", "beta-true-false", False)
    return store


def test_with_nothing_saved_start_over_is_disabled_and_says_why(store: ProgressStore, folder: Path,
                                                                tmp_path: Path) -> None:
    board = board_for(store, folder, tmp_path)
    control = board.start_over
    assert control.widget in board.children[:4]                         # with the controls at the top
    assert control.widget.reason == NOTHING_SAVED and control.widget.options == []
    page(board, "ask", value=ALL_LESSONS)
    assert not control.asking and control.widget.question == ""
    assert not store.path.exists() and copies(store) == []


def test_the_drop_down_lists_lessons_with_answers_by_title(answered: ProgressStore, folder: Path,
                                                           tmp_path: Path) -> None:
    board = board_for(answered, folder, tmp_path)
    assert board.start_over.widget.options == [
        {"value": "alpha", "label": "Fixture lesson *alpha* (3 saved answers)"},
        {"value": "beta", "label": "Fixture lesson beta (1 saved answer)"},
        {"value": ALL_LESSONS, "label": "All lessons (4 saved answers)"}]
    assert board.start_over.widget.value == "alpha" and board.start_over.widget.reason == ""
    answered.record("recap", "alpha-numeric", "numeric", 1550, True)   # the review, by its id
    assert [o["value"] for o in board.start_over.widget.options] == ["alpha", "beta", "recap",
                                                                     ALL_LESSONS]
    assert board.start_over.widget.options[2]["label"] == "Fixture recap (1 saved answer)"


def test_start_over_asks_in_words_and_cancel_changes_nothing(answered: ProgressStore, folder: Path,
                                                              tmp_path: Path) -> None:
    board = board_for(answered, folder, tmp_path)
    before = answered.path.read_bytes()
    summary = board.summary.value
    choose(board, "alpha")
    page(board, "ask", value="alpha")
    question = board.start_over.widget.question
    assert question.startswith("This removes your 3 saved answers to “Fixture lesson *alpha*”. "
                               "A backup copy of your whole progress file is kept first, in "
                               f"{answered.path.parent} (as progress.json.bak-")
    assert question.endswith("Start over?")
    page(board, "cancel")
    assert board.start_over.widget.question == ""
    assert "nothing was removed" in board.start_over.widget.status
    assert answered.path.read_bytes() == before and copies(answered) == []
    assert board.summary.value == summary
    page(board, "yes")                       # a stray Yes after Cancel does nothing
    assert answered.path.read_bytes() == before and copies(answered) == []


def test_yes_removes_only_that_lesson_keeps_a_copy_and_redraws(answered: ProgressStore, folder: Path,
                                                               tmp_path: Path) -> None:
    board = board_for(answered, folder, tmp_path)
    before = answered.path.read_bytes()
    beta = answered.records("beta")
    assert "You have answered 3 of" in board.summary.value
    page(board, "ask", value="alpha")          # the choice travels with the click
    page(board, "yes")
    [copy] = copies(answered)
    assert copy.read_bytes() == before                                   # the old file, whole
    assert answered.records() == beta and ProgressStore(answered.path).records() == beta
    assert "You have answered 1 of" in board.summary.value              # redrawn by itself
    assert "0 of 6" in board.table.value                                 # alpha: none right now
    assert [o["value"] for o in board.start_over.widget.options] == ["beta", ALL_LESSONS]
    status = board.start_over.widget.status
    assert "“Fixture lesson *alpha*” starts afresh: 3 saved answers removed." in html.unescape(status)
    assert f"<code>{html.escape(str(copy))}</code>" in status
    assert board.start_over.last is not None and board.start_over.last.backup == copy


def test_all_lessons_removes_everything_and_disables_the_control(answered: ProgressStore,
                                                                 folder: Path, tmp_path: Path) -> None:
    board = board_for(answered, folder, tmp_path)
    save_name(board, "Ada")
    before = answered.path.read_bytes()
    choose(board, ALL_LESSONS)
    page(board, "ask", value=ALL_LESSONS)
    assert board.start_over.widget.question.startswith(
        "This removes all your 4 saved answers, in 2 lessons.")
    page(board, "yes")
    [copy] = copies(answered)
    assert copy.read_bytes() == before
    assert answered.records() == [] and answered.student_name == "Ada"
    assert "You have answered 0 of" in board.summary.value and board.chart.outputs == ()
    assert board.start_over.widget.reason == NOTHING_SAVED and board.start_over.widget.options == []
    assert "Every lesson starts afresh: 4 saved answers removed." in html.unescape(
        board.start_over.widget.status)


def test_a_quiz_on_screen_records_nothing_by_itself(answered: ProgressStore, folder: Path,
                                                    tmp_path: Path) -> None:
    shown = quiz("alpha", folder=folder, store=answered)      # restored from the saved answers
    board = board_for(answered, folder, tmp_path)
    page(board, "ask", value="alpha")
    page(board, "yes")
    assert answered.records("alpha") == []
    shown.refresh()
    assert answered.records("alpha") == []
    view = quiz("alpha", folder=folder, store=answered).view("alpha-true-false")
    view.controls[0].value = True
    view.check_button.click()
    [again] = answered.records("alpha")
    assert again["attempt"] == 1                               # a first try again
    firsts = answered.by_question().set_index(["lesson", "question_id"])["first_try_correct"]
    assert bool(firsts.loc[("alpha", "alpha-true-false")])   # wrong at first before: right now
    assert "You have answered 2 of" in board.summary.value and "1 of 6" in board.table.value


def test_start_over_in_a_read_only_place_says_so_and_loses_nothing(
        answered: ProgressStore, folder: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    board = board_for(answered, folder, tmp_path)
    before = answered.path.read_bytes()

    def read_only(*args: object) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(os, "replace", read_only)
    page(board, "ask", value="alpha")
    page(board, "yes")
    status = html.unescape(board.start_over.widget.status)
    assert 'role="alert"' in status and "Nothing was removed" in status
    assert "Read-only file system" in status
    monkeypatch.undo()
    assert answered.path.read_bytes() == before and copies(answered) == []
    assert len(answered.records()) == 4 and "You have answered 3 of" in board.summary.value


def test_start_over_of_a_store_that_cannot_be_written_removes_nothing(folder: Path,
                                                                      tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    store = ProgressStore(blocker / "progress.json")
    answer(store, folder, "alpha", "alpha-true-false", True)          # kept in memory
    board = board_for(store, folder, tmp_path)
    page(board, "ask", value="alpha")
    page(board, "yes")
    assert "Nothing was removed" in board.start_over.widget.status
    assert len(store.records()) == 1 and "You have answered 1 of" in board.summary.value


def test_start_over_of_a_damaged_file_says_so_and_keeps_it(answered: ProgressStore, folder: Path,
                                                           tmp_path: Path) -> None:
    board = board_for(answered, folder, tmp_path)
    page(board, "ask", value="beta")
    answered.path.write_bytes(b'{"answers": [{"id"')                 # damaged meanwhile
    page(board, "yes")
    status = html.unescape(board.start_over.widget.status)
    assert "Nothing was removed. Your progress file could not be read" in status
    [kept] = answered.path.parent.glob("progress.json.corrupt-*")
    assert kept.read_bytes() == b'{"answers": [{"id"' and kept.name in status
    assert copies(answered) == []


def test_copies_of_several_start_overs_never_collide(answered: ProgressStore, folder: Path,
                                                     tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "stamp", lambda: "20261130T180000Z")    # all in one second
    board = board_for(answered, folder, tmp_path)
    contents = []
    for lesson in ("alpha", "beta"):
        contents.append(answered.path.read_bytes())
        page(board, "ask", value=lesson)
        page(board, "yes")
    assert [p.name for p in copies(answered)] == ["progress.json.bak-20261130T180000Z",
                                                  "progress.json.bak-20261130T180000Z-2"]
    assert [p.read_bytes() for p in copies(answered)] == contents


def test_a_lesson_id_is_shown_as_text(store: ProgressStore, folder: Path, tmp_path: Path) -> None:
    store.record("<img src=x onerror=alert(1)>", "q", "single", "x", True)
    board = board_for(store, folder, tmp_path)
    page(board, "ask", value="<img src=x onerror=alert(1)>")
    page(board, "yes")
    assert "<img" not in board.start_over.widget.status
    assert "&lt;img src=x onerror=alert(1)&gt;" in board.start_over.widget.status
    assert store.records() == []


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
    """A widget cannot carry raw bytes to the page: a chart goes as text (its HTML holds the SVG
    base64-encoded, as in a notebook)."""
    answer(store, folder, "alpha", "alpha-true-false", True)
    board = board_for(store, folder, tmp_path)
    data = board.chart.outputs[0]["data"]
    assert isinstance(data["image/svg+xml"], str) and isinstance(data["text/html"], str)
    encoded = data["text/html"].split("base64,")[1].split('"')[0]
    assert base64.b64decode(encoded).decode("utf-8") == data["image/svg+xml"]


def test_exploration_redraws_charts_as_base64_text() -> None:
    import ipywidgets as widgets

    from helpers.lesson import plots
    from helpers.lesson.explore import explore

    slider = widgets.IntSlider(value=2, min=1, max=3)
    shown = explore(slider, lambda n: plots.bars(["a", "b"], [n, n + 1], "t", "u"), "test bars")
    first = shown.view.outputs[0]["data"]["image/svg+xml"]
    slider.value = 3
    [output] = shown.view.outputs
    assert output["data"]["text/plain"].startswith("Chart: t (u): a 3, b 4")
    assert output["data"]["image/svg+xml"] != first and ">4</tspan>" in output["data"]["image/svg+xml"]


# --- handing in: the download link and the hand-in folder ----------------------------------------

DATA_URL = re.compile(r'href="data:application/json;charset=utf-8;base64,([A-Za-z0-9+/=]+)" '
                      r'download="([^"]+)"')


def downloaded(board: Dashboard) -> tuple[str, dict]:
    """What the browser saves when the student clicks the download link: (file name, content)."""
    assert board.download_link in board.actions.children, "no download link is offered"
    found = DATA_URL.search(board.download_link.value)
    assert found, board.download_link.value[:200]
    return html.unescape(found.group(2)), json.loads(base64.b64decode(found.group(1)).decode("utf-8"))


def save_name(board: Dashboard, name: str) -> None:
    board.name.value = name
    board.save_name.click()


def test_download_needs_a_name_and_says_so(store: ProgressStore, folder: Path, tmp_path: Path) -> None:
    answer(store, folder, "alpha", "alpha-true-false", True)
    board = board_for(store, folder, tmp_path)
    assert board.download_button in board.actions.children and board.download_link.value == ""
    board.download_button.click()
    assert 'role="alert"' in board.message.value
    assert NAME_NEEDED in html.unescape(board.message.value)


def test_download_with_nothing_answered_says_so(store: ProgressStore, folder: Path,
                                                tmp_path: Path) -> None:
    board = board_for(store, folder, tmp_path)
    save_name(board, "Ada")
    board.download_button.click()
    assert NOTHING_YET in html.unescape(board.message.value)
    assert board.download_link not in board.actions.children


def test_download_link_gives_the_export_in_one_click(store: ProgressStore, folder: Path,
                                                     tmp_path: Path) -> None:
    """Save name, then the button becomes a link whose file is the export, kept up to date."""
    answer(store, folder, "alpha", "alpha-true-false", True)
    board = board_for(store, folder, tmp_path)
    save_name(board, "Юлія Коваленко")
    name, content = downloaded(board)
    assert name == f"{export_name('Юлія Коваленко', store.student_id)}.json"
    assert name.startswith("course-answers-юлія-коваленко-")
    assert records.shape_problem(content) is None and content["version"] == 2
    assert content["student"] == {"name": "Юлія Коваленко", "id": store.student_id}
    assert [(a["question_id"], a["correct"]) for a in content["answers"]] == [("alpha-true-false", True)]
    answer(store, folder, "beta", "beta-single", "Z")          # the link follows every answer
    _, content = downloaded(board)
    assert [a["question_id"] for a in content["answers"]] == ["alpha-true-false", "beta-single"]
    assert not (tmp_path / "out").exists()                    # nothing written next to the notebook


def test_download_link_escapes_the_name(store: ProgressStore, folder: Path, tmp_path: Path) -> None:
    answer(store, folder, "alpha", "alpha-true-false", True)
    board = board_for(store, folder, tmp_path)
    save_name(board, '"><script>alert(1)</script>')
    assert "<script>" not in board.download_link.value
    name, content = downloaded(board)
    assert name.startswith("course-answers-script-alert-1-script-")
    assert content["student"]["name"] == '"><script>alert(1)</script>'


UMASK = 0o027            # the student servers' umask on the course's JupyterHub (deploy/jupyterhub)
_REAL = {"listdir": os.listdir, "scandir": os.scandir, "open": os.open}
_REAL_IO_OPEN = io.open


@pytest.fixture
def drop_box(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A hand-in folder as on the hub: students may create files but not list or read them.

    The folder's mode is write and enter only (which root ignores), and any listing of it, or
    opening of a file in it other than to create a new one, by the student's side fails the test.
    The teacher's side (:func:`handed_in`, the class results) reads it with the real functions.
    """
    box = tmp_path / "handin"
    box.mkdir()
    monkeypatch.setenv(HANDIN_ENV, str(box))

    def inside(path: object) -> bool:
        try:
            return Path(os.fsdecode(path)).resolve().is_relative_to(box.resolve())  # type: ignore[arg-type]
        except TypeError:
            return False

    def no_listing(path: object = ".") -> object:
        assert not inside(path), "the drop box was listed"
        return _REAL["listdir"](path)  # type: ignore[operator]

    def no_scan(path: object = ".") -> object:
        assert not inside(path), "the drop box was listed"
        return _REAL["scandir"](path)  # type: ignore[operator]

    def create_only(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if inside(path):
            assert flags & os.O_ACCMODE == os.O_WRONLY, "a file in the drop box was opened for reading"
            assert flags & os.O_EXCL, "a file in the drop box could be overwritten"
        return _REAL["open"](path, flags, *args, **kwargs)  # type: ignore[operator]

    def no_reading(path: object, *args: object, **kwargs: object) -> object:
        assert not (isinstance(path, (str, bytes, os.PathLike)) and inside(path)), \
            "a file in the drop box was opened"
        return _REAL_IO_OPEN(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "listdir", no_listing)
    monkeypatch.setattr(os, "scandir", no_scan)
    monkeypatch.setattr(os, "open", create_only)
    monkeypatch.setattr(io, "open", no_reading)
    monkeypatch.setattr(builtins, "open", no_reading)
    box.chmod(0o1733)
    yield box
    box.chmod(0o755)


@contextmanager
def teacher_side(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The teacher reads the drop box: the real os functions, for the time of the block."""
    with monkeypatch.context() as inner:
        for name, function in _REAL.items():
            inner.setattr(os, name, function)
        inner.setattr(io, "open", _REAL_IO_OPEN)
        inner.setattr(builtins, "open", _REAL_IO_OPEN)
        yield


def handed_in(box: Path) -> list[Path]:
    """The files in the drop box, as the teacher sees them."""
    return sorted(box / name for name in _REAL["listdir"](box))  # type: ignore[operator]


def test_hand_in_writes_a_new_file_into_the_drop_box(store: ProgressStore, folder: Path,
                                                     tmp_path: Path, drop_box: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     request: pytest.FixtureRequest) -> None:
    answer(store, folder, "alpha", "alpha-true-false", True)
    board = board_for(store, folder, tmp_path)
    assert list(board.actions.children)[0] is board.handin_button
    save_name(board, "Zoë Müller")
    previous = os.umask(UMASK)
    request.addfinalizer(lambda: os.umask(previous))
    board.handin_button.click()
    assert "✔ Handed in" in board.message.value and "1 answer," in board.message.value
    answer(store, folder, "beta", "beta-true-false", False)
    board.handin_button.click()
    assert "2 answers" in board.message.value
    first, second = handed_in(drop_box)                  # a new file each time, no half files
    stem = export_name("Zoë Müller", store.student_id)
    assert first.name.startswith(f"{stem}-") and second.name.startswith(f"{stem}-")
    assert first.name in board.message.value or second.name in board.message.value
    with teacher_side(monkeypatch):
        contents = [json.loads(p.read_text(encoding="utf-8")) for p in (first, second)]
    assert sorted(len(c["answers"]) for c in contents) == [1, 2]
    assert all(c["student"] == {"name": "Zoë Müller", "id": store.student_id} for c in contents)
    # created as rw-r--r-- less the umask: on the course's hub (umask 027) rw-r-----, which the
    # teachers' group of the drop box reads and other students do not
    assert first.stat().st_mode & 0o777 == 0o644 & ~UMASK

    from helpers.teacher import class_results
    with teacher_side(monkeypatch):
        results = class_results.load_folder(drop_box, folder)
    assert results.students == ["Zoë Müller"] and results.problems == [] and results.files == 2
    assert len(results.answers) == 2                     # each answer counted once


def test_hand_in_without_a_name_is_refused(store: ProgressStore, folder: Path, tmp_path: Path,
                                           drop_box: Path) -> None:
    answer(store, folder, "alpha", "alpha-true-false", True)
    board = board_for(store, folder, tmp_path)
    board.handin_button.click()
    assert NAME_NEEDED in html.unescape(board.message.value)
    assert handed_in(drop_box) == []


def test_on_a_hub_the_user_name_hands_in(store: ProgressStore, folder: Path, tmp_path: Path,
                                         drop_box: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTERHUB_USER", "jkovalenko")
    answer(store, folder, "alpha", "alpha-true-false", True)
    board_for(store, folder, tmp_path).handin_button.click()
    [path] = handed_in(drop_box)
    assert path.name.startswith("course-answers-jkovalenko-")
    with teacher_side(monkeypatch):
        content = json.loads(path.read_text(encoding="utf-8"))
    assert content["student"] == {"name": None, "id": "hub:jkovalenko"}


def test_hand_in_to_a_missing_or_broken_folder_keeps_the_answers(store: ProgressStore, folder: Path,
                                                                 tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    answer(store, folder, "alpha", "alpha-true-false", True)
    store.set_student("Ada")
    monkeypatch.setenv(HANDIN_ENV, str(tmp_path / "not-there"))
    board = board_for(store, folder, tmp_path)
    board.handin_button.click()
    assert "does not exist" in board.message.value and "Download my answers" in board.message.value
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    board = dashboard(store, tmp_path / "out", folder=folder, handin=blocker)
    board.handin_button.click()
    assert "Could not hand in" in board.message.value and "still in your progress file" in board.message.value
    assert len(store.records()) == 1


def test_hand_in_function_for_scripts(store: ProgressStore, folder: Path, tmp_path: Path,
                                      drop_box: Path) -> None:
    with pytest.raises(HandInError, match="Type your name"):
        hand_in(store)
    store.set_student("Ada")
    with pytest.raises(HandInError, match="not answered any question"):
        hand_in(store)
    store.record("alpha", "alpha-true-false", "true_false", True, True)
    path = hand_in(store)
    assert path.parent == drop_box and handed_in(drop_box) == [path]


def test_without_a_hand_in_folder_there_is_no_hand_in_button(store: ProgressStore, folder: Path,
                                                             tmp_path: Path) -> None:
    board = board_for(store, folder, tmp_path)
    assert board.handin_button not in board.actions.children
    with pytest.raises(HandInError, match="COURSE_HANDIN_DIR is not set"):
        hand_in(store)


# --- in a real JupyterLab and a real browser -----------------------------------------------------

HANDIN_NOTEBOOK = """\
from helpers.quiz.progress import get_store
from helpers.quiz.dashboard import dashboard

store = get_store()
store.set_student("Юлія Коваленко")
store.record("alpha", "alpha-true-false", "true_false", True, True)
store.record("beta", "beta-single", "single", "Z", False)
dashboard()
"""


@pytest.mark.browser
def test_download_and_hand_in_with_real_clicks_in_jupyterlab(tmp_path: Path, mini_data_dir: Path) -> None:
    """The student's two ways to hand in, clicked in chromium: the download link gives the
    browser the export file, and Hand in puts a new file in the hand-in folder."""
    import lab_driver
    import nbformat

    lab_driver.require_browser()
    from playwright.sync_api import expect, sync_playwright

    quizzes = write_lessons(tmp_path / "quizzes", mini_data_dir)
    root = tmp_path / "root"
    root.mkdir()
    box = tmp_path / "handin"
    box.mkdir()
    kernel = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(HANDIN_NOTEBOOK)],
                                            metadata=kernel), root / "handin.ipynb")
    env = {"COURSE_QUIZ_DIR": str(quizzes), "COURSE_DATA_DIR": str(mini_data_dir),
           HANDIN_ENV: str(box)}
    with lab_driver.LabServer(root_dir=root, env=env) as server, sync_playwright() as playwright:
        browser = lab_driver.launch_browser(playwright)
        context = lab_driver.new_context(browser, server)
        try:
            page = lab_driver.open_notebook(context, server, "handin.ipynb")
            lab_driver.run_all(page, server, "handin.ipynb")
            assert not lab_driver.error_outputs(page)
            board = page.locator(f"{lab_driver.PANEL} .dashboard")
            expect(board.locator(".dashboard-summary")).to_contain_text("You have answered 2 of")
            link = board.locator("a.dashboard-download-link")
            expect(link).to_have_text("⬇ Download my answers")
            with page.expect_download() as event:
                link.click()
            download = event.value
            assert download.suggested_filename.startswith("course-answers-юлія-коваленко-")
            content = json.loads(Path(download.path()).read_text(encoding="utf-8"))
            assert content["student"]["name"] == "Юлія Коваленко"
            assert [a["question_id"] for a in content["answers"]] == ["alpha-true-false", "beta-single"]

            board.locator("button.dashboard-handin").click()
            expect(board.locator(".dashboard-message")).to_contain_text("Handed in")
            [handed] = list(box.iterdir())
            assert handed.name.startswith(download.suggested_filename.removesuffix(".json") + "-")
            assert json.loads(handed.read_text(encoding="utf-8"))["answers"] == content["answers"]
            shots = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
            shots.mkdir(parents=True, exist_ok=True)
            board.screenshot(path=str(shots / "dashboard-hand-in.png"))
            page.close()
        finally:
            context.close()
            browser.close()


START_OVER_NOTEBOOK = """\
from helpers.quiz.progress import get_store
from helpers.quiz.dashboard import dashboard

store = get_store()
store.record("alpha", "alpha-true-false", "true_false", False, False)
store.record("alpha", "alpha-true-false", "true_false", True, True)
store.record("beta", "beta-single", "single", "Z", False)
dashboard()
"""


@pytest.mark.browser
def test_start_a_lesson_over_by_keyboard_in_jupyterlab(tmp_path: Path, mini_data_dir: Path) -> None:
    """In chromium, keyboard only: the labelled drop-down keeps its keys from the notebook,
    Start over… asks with the focus on Cancel, Escape cancels, Yes removes the lesson's answers
    and keeps a copy; axe-core finds nothing serious in the control."""
    import lab_driver
    import nbformat

    lab_driver.require_browser()
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect, sync_playwright

    quizzes = write_lessons(tmp_path / "quizzes", mini_data_dir)
    root = tmp_path / "root"
    root.mkdir()
    kernel = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(START_OVER_NOTEBOOK)],
                                            metadata=kernel), root / "start_over.ipynb")
    env = {"COURSE_QUIZ_DIR": str(quizzes), "COURSE_DATA_DIR": str(mini_data_dir)}
    with lab_driver.LabServer(root_dir=root, env=env) as server, sync_playwright() as playwright:
        browser = lab_driver.launch_browser(playwright)
        context = lab_driver.new_context(browser, server)
        progress_file = server.progress_dir / "progress.json"
        try:
            page = lab_driver.open_notebook(context, server, "start_over.ipynb")
            lab_driver.run_all(page, server, "start_over.ipynb")
            assert not lab_driver.error_outputs(page)
            board = page.locator(f"{lab_driver.PANEL} .dashboard")
            expect(board.locator(".dashboard-summary")).to_contain_text("You have answered 2 of")
            before = progress_file.read_bytes()
            choice = board.get_by_label(CHOICE_LABEL)
            expect(choice).to_have_value("alpha")
            cells = page.locator(f"{lab_driver.PANEL} .jp-Notebook .jp-Cell")
            cell_count = cells.count()
            choice.focus()
            for key in ("ArrowDown", "a", "b", "j", "k"):          # notebook shortcuts elsewhere
                page.keyboard.press(key)
            expect(choice).to_be_focused()
            assert cells.count() == cell_count                      # "a"/"b" inserted no cell
            page.keyboard.press("Home")
            expect(choice).to_have_value("alpha")
            page.keyboard.press("Tab")
            ask = board.get_by_role("button", name=START_OVER_LABEL)
            expect(ask).to_be_focused()
            page.keyboard.press("Enter")
            confirm = board.get_by_role("group", name="This removes your 2 saved answers to")
            expect(confirm).to_be_visible()
            expect(confirm).to_contain_text("Fixture lesson *alpha*")
            expect(board.get_by_role("button", name=CANCEL_LABEL)).to_be_focused()
            page.keyboard.press("Escape")
            expect(confirm).to_be_hidden()
            expect(board.get_by_role("status")).to_contain_text("nothing was removed")
            expect(ask).to_be_focused()
            assert progress_file.read_bytes() == before

            shots = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
            shots.mkdir(parents=True, exist_ok=True)
            page.keyboard.press("Space")
            expect(confirm).to_be_visible()
            board.screenshot(path=str(shots / "dashboard-start-over-confirm.png"))
            page.keyboard.press("Shift+Tab")
            expect(board.get_by_role("button", name=YES_LABEL)).to_be_focused()
            page.keyboard.press("Enter")
            expect(board.get_by_role("status")).to_contain_text("starts afresh")
            expect(board.locator(".dashboard-summary")).to_contain_text("You have answered 1 of")
            [copy] = sorted(progress_file.parent.glob("progress.json.bak-*"))
            assert copy.read_bytes() == before
            expect(board.get_by_role("status")).to_contain_text(str(copy))
            saved = json.loads(progress_file.read_text(encoding="utf-8"))["answers"]
            assert [a["lesson"] for a in saved] == ["beta"]
            expect(choice).to_have_value("beta")

            results = Axe().run(page, context=f"{lab_driver.PANEL} .dashboard-start-over",
                                options={"runOnly": {"type": "tag", "values": [
                                    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
                                    "resultTypes": ["violations"]})
            found = [v["id"] for v in results.response["violations"]
                     if v["impact"] in ("serious", "critical")]
            assert not found, found
            board.screenshot(path=str(shots / "dashboard-start-over.png"))

            choice.select_option(ALL_LESSONS)                       # all, then nothing is left
            ask.click()
            board.get_by_role("button", name=YES_LABEL).click()
            expect(board.get_by_text(NOTHING_SAVED)).to_be_visible()
            expect(ask).to_be_disabled()
            expect(choice).to_be_disabled()
            assert json.loads(progress_file.read_text(encoding="utf-8"))["answers"] == []
            assert len(list(progress_file.parent.glob("progress.json.bak-*"))) == 2
            page.close()
        finally:
            context.close()
            browser.close()
