"""A teacher's broken CSV gives one clear message naming the file, the row and the field."""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from helpers import data

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the dataset that the test may break; the loaders read it."""
    folder = tmp_path / "data"
    shutil.copytree(REPO / "data", folder, ignore=shutil.ignore_patterns("quizzes"))
    monkeypatch.setenv("COURSE_DATA_DIR", str(folder))
    data.clear_cache()
    yield folder
    data.clear_cache()


def edit_rows(path: Path, change: Callable[[list[list[str]]], None]) -> None:
    """Rewrite a CSV after ``change`` edits its rows (header included) in place."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def set_cell(path: Path, sheet_row: int, column: str, value: str) -> None:
    def change(rows: list[list[str]]) -> None:
        rows[sheet_row - 1][rows[0].index(column)] = value
    edit_rows(path, change)


def load_error() -> str:
    with pytest.raises(data.DataError) as info:
        data.load_all()
    return str(info.value)


def test_shipped_copy_loads(data_copy: Path) -> None:
    assert len(data.events()) >= 25


def test_bad_date(data_copy: Path) -> None:
    set_cell(data_copy / "events.csv", 14, "date", "2022-13-01")
    assert "events.csv row 14, field date: '2022-13-01' is not a date" in load_error()


def test_date_in_another_format(data_copy: Path) -> None:
    set_cell(data_copy / "events.csv", 3, "date", "26/01/2022")
    assert "events.csv row 3, field date: '26/01/2022' is not a date (expected YYYY-MM-DD)" in load_error()


def test_unknown_source_id(data_copy: Path) -> None:
    set_cell(data_copy / "events.csv", 5, "source_id", "S999")
    assert "events.csv row 5, field source_id: 'S999' is not a source_id in sources.csv" in load_error()


def test_duplicate_key(data_copy: Path) -> None:
    with (data_copy / "events.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    set_cell(data_copy / "events.csv", 7, "event_id", rows[5][0])
    message = load_error()
    assert f"events.csv row 7, field event_id: '{rows[5][0]}' is already used in row 6" in message


def test_missing_required_field(data_copy: Path) -> None:
    set_cell(data_copy / "provisions.csv", 4, "title", "")
    assert "provisions.csv row 4, field title: required value is missing" in load_error()


def test_misspelt_column_name(data_copy: Path) -> None:
    def rename(rows: list[list[str]]) -> None:
        rows[0][rows[0].index("date")] = "dat"
    edit_rows(data_copy / "events.csv", rename)
    message = load_error()
    assert "events.csv row 1, field dat: unknown column (did you mean 'date'?)" in message
    assert "events.csv row 1, field date: column is missing from the header" in message


def test_empty_file(data_copy: Path) -> None:
    (data_copy / "glossary.csv").write_text("", encoding="utf-8")
    assert "glossary.csv row 1: the file is empty; expected a header row: term," in load_error()


def test_non_utf8_bytes(data_copy: Path) -> None:
    path = data_copy / "statements.csv"
    lines = path.read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b",", b",\xe9", 1)  # a Latin-1 'é' saved by an old spreadsheet
    path.write_bytes(b"\n".join(lines))
    assert "statements.csv row 3: not UTF-8 text (byte 0xe9" in load_error()


def test_extra_value_in_a_row(data_copy: Path) -> None:
    edit_rows(data_copy / "glossary.csv", lambda rows: rows[5].append("stray"))
    message = load_error()
    assert "glossary.csv row 6, field (value 5): the row has 5 values but the header has 4 columns" in message


def test_extra_column(data_copy: Path) -> None:
    def add_column(rows: list[list[str]]) -> None:
        rows[0].append("comment")
        for row in rows[1:]:
            row.append("")
    edit_rows(data_copy / "agreements.csv", add_column)
    assert "agreements.csv row 1, field comment: unknown column" in load_error()


def test_short_row(data_copy: Path) -> None:
    edit_rows(data_copy / "nato_members.csv", lambda rows: rows.__setitem__(9, rows[9][:3]))
    message = load_error()
    assert "nato_members.csv row 10, field enlargement_round: required value is missing " \
           "(the row has only 3 of 5 values)" in message


def test_value_outside_the_vocabulary(data_copy: Path) -> None:
    set_cell(data_copy / "responses.csv", 2, "relation", "ignores")
    assert "responses.csv row 2, field relation: 'ignores' is not one of: addresses, partly, rejects, " \
           "not answered" in load_error()


def test_not_a_whole_number(data_copy: Path) -> None:
    set_cell(data_copy / "demands.csv", 3, "article", "three")
    assert "demands.csv row 3, field article: 'three' is not a whole number" in load_error()


def test_number_out_of_range(data_copy: Path) -> None:
    set_cell(data_copy / "provisions.csv", 11, "number", "11")
    assert "provisions.csv row 11, field number: 11 is more than the maximum 10" in load_error()


def test_not_a_boolean(data_copy: Path) -> None:
    set_cell(data_copy / "demands.csv", 2, "fundamental", "yes")
    assert "demands.csv row 2, field fundamental: 'yes' is not true or false" in load_error()


def test_broken_foreign_key_between_tables(data_copy: Path) -> None:
    set_cell(data_copy / "responses.csv", 2, "provision_id", "P11")
    assert "responses.csv row 2, field provision_id: 'P11' is not a provision_id in provisions.csv" \
        in load_error()


def test_semicolon_separated_file(data_copy: Path) -> None:
    path = data_copy / "glossary.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    assert "glossary.csv row 1: the header is separated by ';'" in load_error()


def test_unbalanced_quotes(data_copy: Path) -> None:
    path = data_copy / "glossary.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[3] = lines[3] + ',"unfinished'
    path.write_text("\n".join(lines), encoding="utf-8")
    message = load_error()
    assert "glossary.csv row 4" in message


def test_missing_file(data_copy: Path) -> None:
    (data_copy / "events.csv").unlink()
    assert "events.csv: file not found" in load_error()


def test_spreadsheet_bom_and_surrounding_spaces_are_accepted(data_copy: Path) -> None:
    path = data_copy / "glossary.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    set_cell(path, 2, "source_id", " " + data.load("glossary").loc[0, "source_id"] + " ")
    assert len(data.glossary()) > 0


def test_every_problem_is_reported_at_once(data_copy: Path) -> None:
    set_cell(data_copy / "events.csv", 2, "date", "tomorrow")
    set_cell(data_copy / "events.csv", 4, "verified", "maybe")
    message = load_error()
    assert "2 problems" in message
    assert "events.csv row 2, field date" in message
    assert "events.csv row 4, field verified" in message


def test_error_is_a_value_error_with_structured_problems(data_copy: Path) -> None:
    set_cell(data_copy / "events.csv", 2, "date", "tomorrow")
    with pytest.raises(ValueError) as info:
        data.events()
    problem = info.value.problems[0]
    assert (problem.file, problem.row, problem.field) == ("events.csv", 2, "date")


# --- list columns (``provision_ids``: ``P03; P04``) ------------------------------------------

PACKAGE = json.loads((REPO / "data" / "datapackage.json").read_text(encoding="utf-8"))
LIST_COLUMNS = [(res["path"], f["name"]) for res in PACKAGE["resources"] for f in res["schema"]["fields"]
                if f.get("itemReference")]


def test_every_provision_ids_column_is_a_checked_list() -> None:
    assert {name for _, name in LIST_COLUMNS} == {"provision_ids"}
    assert {path for path, _ in LIST_COLUMNS} >= {"agreements.csv", "milestones.csv", "military_figures.csv",
                                             "statements.csv", "events.csv", "excerpts.csv"}


@pytest.mark.parametrize(("path", "column"), LIST_COLUMNS, ids=[p for p, _ in LIST_COLUMNS])
def test_an_unknown_id_in_a_list_column_is_named(data_copy: Path, path: str, column: str) -> None:
    set_cell(data_copy / path, 3, column, "P03; P3x")
    assert load_error() == f"{path} row 3, field {column}: 'P3x' is not a provision_id in provisions.csv"


def test_list_items_are_read_with_or_without_spaces(data_copy: Path) -> None:
    set_cell(data_copy / "milestones.csv", 2, "provision_ids", "P03;P04")
    set_cell(data_copy / "milestones.csv", 3, "provision_ids", " P03 ;  P05 ")
    table = data.load("milestones")
    assert list(table["provision_ids"][:2]) == ["P03;P04", "P03 ;  P05"]


@pytest.mark.parametrize(("value", "expected"), [
    ("P03;;P04", "'P03;;P04' has an empty item; separate the items with ';', e.g. 'P03; P04'"),
    ("P03; ", "'P03;' has an empty item"),
    ("P04; P04", "'P04; P04' lists P04 twice"),
])
def test_a_malformed_list_is_named(data_copy: Path, value: str, expected: str) -> None:
    set_cell(data_copy / "agreements.csv", 4, "provision_ids", value)
    assert f"agreements.csv row 4, field provision_ids: {expected}" in load_error()


# --- datapackage.json itself -----------------------------------------------------------------

def package_lines(folder: Path) -> list[str]:
    return (folder / "datapackage.json").read_text(encoding="utf-8").split("\n")


def line_of(lines: list[str], text: str, after: int = 0) -> int:
    """The sheet-style (1-based) number of the first line after ``after`` containing ``text``."""
    return next(n for n, line in enumerate(lines, start=1) if n > after and text in line)


def edit_package(folder: Path, change: Callable[[dict], None]) -> None:
    path = folder / "datapackage.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    change(meta)
    path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def resource(meta: dict, name: str) -> dict:
    return next(r for r in meta["resources"] if r["name"] == name)


def test_a_truncated_package_file_names_its_last_line(data_copy: Path) -> None:
    path = data_copy / "datapackage.json"
    text = path.read_text(encoding="utf-8")
    cut = text[: len(text) // 2]
    path.write_text(cut, encoding="utf-8")
    with pytest.raises(data.DataError) as info:
        data.load_all()
    message = str(info.value)
    assert message.startswith(f"datapackage.json line {cut.count(chr(10)) + 1}: not valid JSON: ")
    assert message.endswith("the file looks cut short")
    assert not isinstance(info.value, json.JSONDecodeError)


def test_a_stray_comma_in_the_package_file_names_its_line(data_copy: Path) -> None:
    lines = package_lines(data_copy)
    number = line_of(lines, '"name": "glossary"')
    lines[number - 1] += ","
    (data_copy / "datapackage.json").write_text("\n".join(lines), encoding="utf-8")
    message = load_error()
    assert message.startswith(f"datapackage.json line {number}: not valid JSON: "), message
    assert "cut short" not in message


def test_an_empty_package_file(data_copy: Path) -> None:
    (data_copy / "datapackage.json").write_text("", encoding="utf-8")
    assert load_error().startswith("datapackage.json line 1: not valid JSON: Expecting value")


def test_a_package_file_without_resources(data_copy: Path) -> None:
    (data_copy / "datapackage.json").write_text('{"name": "course"}', encoding="utf-8")
    assert load_error() == 'datapackage.json line 1: expected an object with a non-empty "resources" list'


def test_a_package_file_that_is_not_utf8(data_copy: Path) -> None:
    path = data_copy / "datapackage.json"
    lines = path.read_bytes().split(b"\n")
    lines[3] += b" \xe9"  # a Latin-1 'é' saved by an old editor
    path.write_bytes(b"\n".join(lines))
    assert load_error().startswith("datapackage.json line 4: not UTF-8 text (byte 0xe9")


def test_an_unknown_field_type_names_resource_field_and_line(data_copy: Path) -> None:
    def change(meta: dict) -> None:
        next(f for f in resource(meta, "events")["schema"]["fields"] if f["name"] == "date")["type"] = "dat"
    edit_package(data_copy, change)
    lines = package_lines(data_copy)
    number = line_of(lines, '"name": "date"', after=line_of(lines, '"name": "events"'))
    assert load_error() == (f"datapackage.json line {number}: resource 'events', field 'date': "
                            "unknown type 'dat' (did you mean 'date'?)")


@pytest.mark.parametrize(("change", "expected"), [
    (lambda f: f.update(itemReference={"resource": "provision", "field": "provision_id"}),
     "itemReference to resource 'provision', which the package does not declare"),
    (lambda f: f.update(itemReference={"resource": "provisions", "field": "id"}),
     "itemReference to 'provisions.id', which has no such field"),
    (lambda f: f.update(itemReference="provisions"),
     'itemReference needs a "resource" and a "field"'),
    (lambda f: f.update(delimiter=""), 'a list needs a "delimiter" such as ";"'),
    (lambda f: f.update(type="string"), 'itemReference is only for fields of type "list"'),
])
def test_a_broken_list_declaration_is_named(data_copy: Path, change: Callable[[dict], None],
                                            expected: str) -> None:
    def apply(meta: dict) -> None:
        fields = resource(meta, "milestones")["schema"]["fields"]
        change(next(f for f in fields if f["name"] == "provision_ids"))
    edit_package(data_copy, apply)
    message = load_error()
    assert message.startswith("datapackage.json line ")
    assert "resource 'milestones', field 'provision_ids': " + expected in message


def field_of(meta: dict, table: str, name: str) -> dict:
    return next(f for f in resource(meta, table)["schema"]["fields"] if f["name"] == name)


@pytest.mark.parametrize(("change", "expected"), [
    (lambda m: resource(m, "provisions")["schema"].update(primaryKey="id"),
     "resource 'provisions': primaryKey: no field named 'id'"),
    (lambda m: field_of(m, "sources", "source_id")["constraints"].update(pattern="S(\\d"),
     "resource 'sources', field 'source_id': constraint pattern is not a valid regular expression"),
    (lambda m: resource(m, "glossary").update(path="../glossary.csv"),
     "resource 'glossary': path '../glossary.csv' must be a file inside the data folder"),
    (lambda m: field_of(m, "events", "date").update(constraints={"required": "yes"}),
     "resource 'events', field 'date': constraint required must be true or false"),
    (lambda m: resource(m, "events")["schema"]["fields"].append({"name": "date"}),
     "resource 'events': field 'date' declared twice"),
])
def test_a_malformed_table_description_is_named(data_copy: Path, change: Callable[[dict], None],
                                                expected: str) -> None:
    edit_package(data_copy, change)
    message = load_error()
    assert re.match(r"datapackage\.json line \d+: ", message), message
    assert expected in message


def test_a_foreign_key_to_its_own_field_is_refused(data_copy: Path) -> None:
    """A key that can only ever find itself checks nothing (``sources`` once declared one)."""
    self_key = {"fields": "source_id", "reference": {"resource": "sources", "fields": "source_id"}}
    edit_package(data_copy, lambda meta: resource(meta, "sources")["schema"].setdefault("foreignKeys", [])
                 .append(self_key))
    assert "resource 'sources', field 'source_id': foreign key to the field itself can never fail" \
        in load_error()


def test_a_foreign_key_to_an_undeclared_table_is_refused(data_copy: Path) -> None:
    edit_package(data_copy, lambda meta: meta["resources"].remove(resource(meta, "demands")))
    message = load_error()
    assert "resource 'responses', field 'demand_id': foreign key to resource 'demands', which the package " \
           "does not declare" in message


def test_a_file_that_cannot_be_read_is_named(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = Path.read_bytes

    def locked(path: Path) -> bytes:
        if path.name == "glossary.csv":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)
    monkeypatch.setattr(Path, "read_bytes", locked)
    assert load_error() == "glossary.csv: cannot be read (Permission denied); is it open in another program?"


def test_a_whole_number_too_large_for_a_table(data_copy: Path) -> None:
    set_cell(data_copy / "agreement_figures.csv", 2, "value", "9" * 25)
    assert f"agreement_figures.csv row 2, field value: {'9' * 25} is too large a number" in load_error()


# --- the test suite itself --------------------------------------------------------------------

def test_a_broken_dataset_stops_the_test_run_with_one_message(tmp_path: Path) -> None:
    """A bad date must not fail every test and notebook that reads the data: the run stops
    before collecting anything, with the loader's message (conftest.py checks the data once)."""
    repo = tmp_path / "repo"
    skip = shutil.ignore_patterns("__pycache__", "quizzes")
    shutil.copytree(REPO / "helpers", repo / "helpers", ignore=skip)
    shutil.copytree(REPO / "data", repo / "data", ignore=skip)
    for name in ("conftest.py", "pyproject.toml"):
        shutil.copy(REPO / name, repo / name)
    (repo / "tests").mkdir()
    (repo / "tests" / "test_reads_data.py").write_text(
        "from helpers import data\n\n"
        + "".join(f"def test_{n}():\n    assert len(data.events())\n\n" for n in range(20)), encoding="utf-8")
    set_cell(repo / "data" / "events.csv", 14, "date", "2022-13-01")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "COURSE_DATA_DIR")}
    command = [sys.executable, "-m", "pytest", "-p", "no:nbval", "-p", "no:cacheprovider", "tests"]
    run = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=120)
    output = run.stdout + run.stderr
    assert run.returncode != 0, output
    assert "events.csv row 14, field date: '2022-13-01' is not a date (expected YYYY-MM-DD)" in output
    assert "the course data cannot be loaded, so the tests did not run" in output
    assert "passed" not in output and "failed" not in output, output
    assert len(output.splitlines()) < 15, output
