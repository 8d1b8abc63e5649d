"""A teacher's broken CSV gives one clear message naming the file, the row and the field."""
from __future__ import annotations

import csv
import shutil
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
    assert "responses.csv row 2, field relation: 'ignores' is not one of: addresses, partly, rejects, not answered" \
        in load_error()


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
    assert "responses.csv row 2, field provision_id: 'P11' is not a provision_id in provisions.csv" in load_error()


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
