"""The progress store: saving, surviving restarts, concurrency, damaged and unwritable files."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from mini_data import make_mini_data
from helpers.quiz import progress
from helpers.quiz.progress import ProgressStore

REPO = Path(__file__).resolve().parent.parent
WORKER = Path(__file__).resolve().parent / "progress_worker.py"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "progress.json"


def fill(store: ProgressStore) -> None:
    store.record("03_open_door", "door-1", "single", "Yes", False)
    store.record("03_open_door", "door-1", "single", "No", True)
    store.record("03_open_door", "door-2", "numeric", 1550, True)
    store.record("05_tomahawk", "tom-1", "multiple", ["a", "b"], True)
    store.record("05_tomahawk", "tom-r", "reflection", "I think so.", None)


# --- location -----------------------------------------------------------------------------------

def test_location_uses_the_env_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_PROGRESS_DIR", str(tmp_path / "p"))
    assert progress.default_path() == tmp_path / "p" / "progress.json"
    store = progress.get_store()
    assert store is progress.get_store()
    assert progress.location() == str(tmp_path / "p" / "progress.json")


def test_default_location_is_the_jupyter_data_dir(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    monkeypatch.delenv("COURSE_PROGRESS_DIR", raising=False)
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))
    from jupyter_core.paths import jupyter_data_dir

    expected = Path(jupyter_data_dir()) / "us-nato-course" / "progress.json"
    assert progress.default_path() == expected
    monkeypatch.delenv("JUPYTER_DATA_DIR")
    assert REPO not in progress.default_path().parents


def test_conftest_points_the_tests_away_from_the_real_file() -> None:
    assert os.environ.get("COURSE_PROGRESS_DIR")
    assert REPO not in progress.default_path().parents


# --- saving -------------------------------------------------------------------------------------

def test_a_record_has_every_field(path: Path) -> None:
    store = ProgressStore(path)
    rec = store.record("03_open_door", "door-1", "single", "Yes", False)
    assert set(rec) == {"id", "notebook", "question_id", "question_type", "answer", "correct",
                        "attempt", "timestamp"}
    assert rec["attempt"] == 1 and len(rec["id"]) == 32
    stamp = dt.datetime.fromisoformat(rec["timestamp"])
    assert stamp.utcoffset() == dt.timedelta(0)
    assert abs((dt.datetime.now(dt.timezone.utc) - stamp).total_seconds()) < 60
    assert store.record("03_open_door", "door-1", "single", "No", True)["attempt"] == 2
    assert store.record("05_tomahawk", "door-1", "single", "No", True)["attempt"] == 1
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    assert on_disk["format"] == progress.FORMAT
    assert [r["answer"] for r in on_disk["answers"]] == ["Yes", "No", "No"]


def test_answers_must_be_json_serialisable(path: Path) -> None:
    store = ProgressStore(path)
    with pytest.raises(TypeError):
        store.record("nb", "q", "multiple", {"a", "b"}, True)
    assert store.records() == []


def test_answers_survive_a_new_store_and_a_new_process(path: Path) -> None:
    fill(ProgressStore(path))
    assert len(ProgressStore(path).records()) == 5
    code = textwrap.dedent(f"""
        from helpers.quiz.progress import ProgressStore
        s = ProgressStore({str(path)!r})
        print(len(s.records()), s.record("nb", "q", "single", "x", True)["attempt"])
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=REPO).stdout.split()
    assert out == ["5", "1"]
    assert len(ProgressStore(path).records()) == 6


def test_two_stores_on_one_file_merge_by_id(path: Path) -> None:
    first, second = ProgressStore(path), ProgressStore(path)
    first.record("nb", "q-1", "single", "a", True)
    second.record("nb", "q-2", "single", "b", False)
    first.record("nb", "q-1", "single", "c", False)
    assert [r["answer"] for r in first.records()] == ["a", "b", "c"]
    assert [r["answer"] for r in second.records()] == ["a", "b", "c"]
    assert first.records()[2]["attempt"] == 2


def test_no_temporary_files_are_left_behind(path: Path) -> None:
    fill(ProgressStore(path))
    left = sorted(p.name for p in path.parent.iterdir())
    assert left == ["progress.json", "progress.json.lock"]


def test_tables(path: Path) -> None:
    store = ProgressStore(path)
    fill(store)
    answers = store.answers()
    assert list(answers.columns) == ["answer_id", "notebook", "question_id", "question_type",
                                     "answer", "correct", "attempt", "timestamp"]
    assert len(answers) == 5
    assert str(answers["timestamp"].dt.tz) == "UTC"
    assert answers["correct"].isna().tolist() == [False, False, False, False, True]
    assert answers["answer"].tolist()[3] == ["a", "b"]
    by_q = store.by_question().set_index("question_id")
    assert by_q.loc["door-1", "attempts"] == 2
    assert not by_q.loc["door-1", "first_try_correct"]
    assert by_q.loc["door-1", "last_answer"] == "No" and by_q.loc["door-1", "last_correct"]
    assert pd.isna(by_q.loc["tom-r", "first_try_correct"])
    assert by_q.loc["door-2", "last_answer"] == 1550


def test_by_notebook_counts_against_the_quiz_files(path: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_DATA_DIR", str(make_mini_data(tmp_path / "data")))
    folder = tmp_path / "quizzes"
    folder.mkdir()
    (folder / "03_open_door.yaml").write_text(textwrap.dedent("""\
        notebook: 03_open_door
        title: Open door
        questions:
          - {id: door-1, type: true_false, prompt: p, answer: true, explanation: e, source_id: S71}
          - {id: door-2, type: numeric, prompt: p, answer: 1550, explanation: e, source_id: S82}
          - {id: door-3, type: true_false, prompt: p, answer: true, explanation: e, source_id: S71}
          - {id: door-r, type: reflection, prompt: p, source_id: S71}
        """), encoding="utf-8")
    store = ProgressStore(path)
    fill(store)
    table = store.by_notebook(folder).set_index("notebook")
    assert table.loc["03_open_door"].to_dict() == {
        "title": "Open door", "answered": 2, "total": 4, "first_try_correct": 1, "graded": 3,
        "reflections": 0}
    assert table.loc["05_tomahawk", "answered"] == 2    # no quiz file: counted, total missing
    assert pd.isna(table.loc["05_tomahawk", "total"])


# --- student name, exports, reset ---------------------------------------------------------------

def test_student_name_is_stored_and_exported(path: Path, tmp_path: Path) -> None:
    store = ProgressStore(path)
    fill(store)
    store.set_student("  Ada Lovelace ")
    assert ProgressStore(path).student == "Ada Lovelace"
    csv_file = store.export_csv(tmp_path / "answers.csv")
    table = pd.read_csv(csv_file)
    assert (table["student"] == "Ada Lovelace").all()
    assert len(table) == 5
    assert json.loads(table["answer"][3]) == ["a", "b"]
    exported = json.loads(store.export_json(tmp_path / "answers.json").read_text("utf-8"))
    assert exported["student"] == "Ada Lovelace"
    assert len(exported["answers"]) == 5
    store.set_student(None)
    assert ProgressStore(path).student is None
    assert len(ProgressStore(path).records()) == 5


def test_reset_one_notebook_keeps_a_backup(path: Path) -> None:
    store = ProgressStore(path)
    fill(store)
    backup = store.reset("03_open_door")
    assert backup is not None and backup.name.startswith("progress.json.bak-")
    assert len(json.loads(backup.read_text("utf-8"))["answers"]) == 5
    assert {r["notebook"] for r in store.records()} == {"05_tomahawk"}
    assert {r["notebook"] for r in ProgressStore(path).records()} == {"05_tomahawk"}
    store.reset()
    assert store.records() == [] and ProgressStore(path).records() == []


def test_reset_is_not_undone_by_another_store(path: Path) -> None:
    other = ProgressStore(path)
    fill(other)
    ProgressStore(path).reset()
    other.record("nb", "q", "single", "x", True)
    assert [r["answer"] for r in ProgressStore(path).records()] == ["x"]


# --- two processes at once ----------------------------------------------------------------------

def test_two_processes_times_500_answers_lose_nothing(path: Path, tmp_path: Path) -> None:
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    workers = [subprocess.Popen([sys.executable, str(WORKER), str(path), "500", tag, str(go)],
                                cwd=REPO, env=env, stderr=subprocess.PIPE, text=True)
               for tag in ("a", "b")]
    time.sleep(1.0)   # both workers are started and waiting
    go.touch()
    for worker in workers:
        _, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
    answers = json.loads(path.read_text("utf-8"))["answers"]
    assert len(answers) == 1000
    assert len({r["id"] for r in answers}) == 1000
    assert sorted(r["answer"] for r in answers) == sorted(
        [f"a-{n}" for n in range(500)] + [f"b-{n}" for n in range(500)])
    assert len(ProgressStore(path).answers()) == 1000


# --- damaged file -------------------------------------------------------------------------------

@pytest.mark.parametrize("content", [
    b"{not json", b"", b"\xff\xfe broken bytes", b"[1, 2, 3]", b'{"answers": "many"}',
    b'{"answers": [{"id": "x"}]}',
], ids=["bad-json", "empty", "not-utf8", "a-list", "answers-not-a-list", "answer-lacks-fields"])
def test_a_damaged_file_is_kept_aside_and_a_new_one_started(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    store = ProgressStore(path)
    assert store.warning and "could not be read" in store.warning
    [backup] = store.backups
    assert backup.name.startswith("progress.json.corrupt-")
    assert backup.read_bytes() == content
    assert store.warning.endswith(f"A copy was kept as {backup.name} and a new progress file "
                                  "was started.")
    assert not store.memory_only
    store.record("nb", "q", "single", "x", True)
    assert [r["answer"] for r in ProgressStore(path).records()] == ["x"]


def test_a_file_damaged_while_running_is_recovered_on_the_next_answer(path: Path) -> None:
    store = ProgressStore(path)
    fill(store)
    assert store.warning is None
    path.write_text('{"answers": [', encoding="utf-8")
    store.record("nb", "q", "single", "x", True)
    assert store.warning and "could not be read" in store.warning
    assert [r["answer"] for r in store.records()] == ["x"]
    assert len(list(path.parent.glob("progress.json.corrupt-*"))) == 1


# --- unwritable location ------------------------------------------------------------------------

def test_a_path_under_a_regular_file_keeps_answers_in_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("I am a file", encoding="utf-8")
    store = ProgressStore(blocker / "progress.json")
    assert store.memory_only
    assert store.warning and "kept in memory only" in store.warning
    fill(store)
    assert len(store.records()) == 5
    assert store.records()[1]["attempt"] == 2
    assert len(store.answers()) == 5
    store.set_student("Ada")
    assert store.student == "Ada"
    store.reset("05_tomahawk")
    assert {r["notebook"] for r in store.records()} == {"03_open_door"}


def test_a_failing_rename_switches_to_memory(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = ProgressStore(path)
    store.record("nb", "q-1", "single", "saved", True)

    def refuse(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    store.record("nb", "q-2", "single", "in memory", True)
    assert store.memory_only and "Permission denied" in (store.warning or "")
    assert [r["answer"] for r in store.records()] == ["saved", "in memory"]
    assert sorted(p.name for p in path.parent.iterdir()) == ["progress.json",
                                                             "progress.json.lock"]
    monkeypatch.undo()
    assert [r["answer"] for r in ProgressStore(path).records()] == ["saved"]
    store.reset("nb")   # hides the file's answers in memory, leaves the file alone
    assert store.records() == []
    assert len(ProgressStore(path).records()) == 1


def test_a_read_only_folder_keeps_answers_in_memory(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    fill(ProgressStore(folder / "progress.json"))
    (folder / "progress.json.lock").unlink()
    folder.chmod(0o500)
    try:
        probe = folder / "probe"
        try:
            probe.write_text("x")
        except PermissionError:
            pass
        else:
            probe.unlink()
            pytest.skip("chmod does not stop this user from writing (root); covered by the "
                        "two tests above")
        store = ProgressStore(folder / "progress.json")
        assert store.memory_only and store.warning
        store.record("nb", "q", "single", "x", True)
        assert len(store.records()) == 6
    finally:
        folder.chmod(0o700)


# --- lean import --------------------------------------------------------------------------------

def test_importing_progress_does_not_import_pandas_or_ipywidgets() -> None:
    code = textwrap.dedent(f"""
        import importlib.util, sys
        spec = importlib.util.spec_from_file_location("progress_alone",
                                                      {str(REPO / "helpers" / "quiz" / "progress.py")!r})
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("pandas", "ipywidgets",
                                                                    "numpy", "yaml"))
        print(heavy)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
