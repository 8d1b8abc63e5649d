"""Read the course's CSV tables against ``datapackage.json`` and report every broken cell.

A teacher who edits a CSV in a spreadsheet must never meet a pandas traceback. Every problem
found here names the file, the row (as a spreadsheet numbers it: the header is row 1) and the
field, e.g. ``events.csv row 14, field date: '2022-13-01' is not a date (expected YYYY-MM-DD)``.

This module only uses the standard library; :mod:`helpers.data` turns the checked values into
typed pandas tables.
"""
from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Value = str | int | float | bool | dt.date | None


@dataclass(frozen=True)
class Problem:
    """One broken thing in one place of the dataset.

    ``row`` is a CSV row as a spreadsheet numbers it (the header is row 1); ``line`` is a line
    of a text file such as ``datapackage.json``. Either may be unknown (``None``).
    """

    file: str
    row: int | None
    field: str | None
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f" line {self.line}"
        if self.row is not None:
            where += f" row {self.row}"
        if self.field is not None:
            where += f", field {self.field}"
        return f"{where}: {self.message}"


class DataError(ValueError):
    """The dataset cannot be loaded; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem], limit: int = 15) -> None:
        self.problems = list(problems)
        lines = [str(p) for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"... and {len(self.problems) - limit} more problems")
        if len(self.problems) == 1:
            text = lines[0]
        else:
            text = f"the course data has {len(self.problems)} problems:\n  " + "\n  ".join(lines)
        super().__init__(text)


@dataclass(frozen=True)
class FieldSpec:
    """One column of a table, as ``datapackage.json`` describes it."""

    name: str
    type: str = "string"
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None

    @classmethod
    def from_json(cls, spec: dict[str, Any]) -> FieldSpec:
        cons = spec.get("constraints", {})
        enum = cons.get("enum")
        return cls(
            name=spec["name"],
            type=spec.get("type", "string"),
            required=bool(cons.get("required", False)),
            unique=bool(cons.get("unique", False)),
            enum=tuple(enum) if enum is not None else None,
            pattern=cons.get("pattern"),
            minimum=cons.get("minimum"),
            maximum=cons.get("maximum"),
        )


@dataclass(frozen=True)
class ForeignKey:
    """A column whose values must exist in a column of another table."""

    field: str
    resource: str
    reference_field: str


@dataclass(frozen=True)
class TableSpec:
    """One table (a *resource*) of the data package."""

    name: str
    path: str
    fields: tuple[FieldSpec, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


@dataclass
class Table:
    """A checked table: its spec, its rows as typed Python values, and the sheet row of each."""

    spec: TableSpec
    rows: list[dict[str, Value]] = field(default_factory=list)
    sheet_rows: list[int] = field(default_factory=list)


def read_package_spec(package_file: Path) -> list[TableSpec]:
    """Read ``datapackage.json`` into table specs, in the order the file lists them."""
    meta = json.loads(package_file.read_text(encoding="utf-8"))
    tables = []
    for res in meta["resources"]:
        schema = res["schema"]
        pk = schema.get("primaryKey", [])
        fks = []
        for fk in schema.get("foreignKeys", []):
            ref = fk["reference"]
            fks.append(ForeignKey(_single(fk["fields"]), ref["resource"], _single(ref["fields"])))
        tables.append(TableSpec(
            name=res["name"],
            path=res["path"],
            fields=tuple(FieldSpec.from_json(f) for f in schema["fields"]),
            primary_key=tuple([pk] if isinstance(pk, str) else pk),
            foreign_keys=tuple(fks),
        ))
    return tables


def _single(value: str | list[str]) -> str:
    if isinstance(value, list):
        if len(value) != 1:
            raise ValueError(f"only single-column keys are supported, got {value}")
        return value[0]
    return value


# --- reading one file -----------------------------------------------------------------------

def _decode(raw: bytes, name: str, problems: list[Problem]) -> str | None:
    """Decode UTF-8 (with or without a spreadsheet's BOM); name the row of the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append(Problem(name, row, None,
                                f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at character {col}); "
                                "save the file as 'CSV UTF-8'"))
        return None


def _check_header(spec: TableSpec, header: list[str], name: str, problems: list[Problem]) -> bool:
    """Check the header row; return True when the rows can be read by column name."""
    expected = spec.field_names
    ok = True
    if len(header) == 1 and ";" in header[0]:
        problems.append(Problem(name, 1, None, "the header is separated by ';' — save the file "
                                "as comma-separated CSV"))
        return False
    seen: set[str] = set()
    for col in header:
        if col in seen:
            problems.append(Problem(name, 1, col, "column appears twice in the header"))
            ok = False
        seen.add(col)
        if col not in expected:
            hint = difflib.get_close_matches(col, expected, n=1)
            extra = f" (did you mean '{hint[0]}'?)" if hint else f"; expected columns: {', '.join(expected)}"
            problems.append(Problem(name, 1, col or "(empty)", f"unknown column{extra}"))
            ok = False
    for col in expected:
        if col not in seen:
            problems.append(Problem(name, 1, col, "column is missing from the header"))
            ok = False
    return ok


def _convert(spec: FieldSpec, text: str) -> tuple[Value, str | None]:
    """Turn one cell's text into a typed value; return (value, error message or None)."""
    if text == "":
        return None, ("required value is missing" if spec.required else None)
    value: Value
    if spec.type == "date":
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            return None, f"'{text}' is not a date (expected YYYY-MM-DD)"
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return None, f"'{text}' is not a date (expected YYYY-MM-DD)"
    elif spec.type == "integer":
        if not re.fullmatch(r"[+-]?\d+", text):
            return None, f"'{text}' is not a whole number"
        value = int(text)
    elif spec.type == "number":
        try:
            value = float(text)
        except ValueError:
            return None, f"'{text}' is not a number (use a point for decimals, no thousands separator)"
    elif spec.type == "boolean":
        lowered = text.lower()
        if lowered not in ("true", "false"):
            return None, f"'{text}' is not true or false"
        value = lowered == "true"
    else:
        value = text
    if spec.enum is not None and text not in spec.enum:
        return None, f"'{text}' is not one of: {', '.join(spec.enum)}"
    if spec.pattern is not None and not re.fullmatch(spec.pattern, text):
        return None, f"'{text}' does not have the expected form ({spec.pattern})"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if spec.minimum is not None and value < spec.minimum:
            return None, f"{text} is less than the minimum {spec.minimum:g}"
        if spec.maximum is not None and value > spec.maximum:
            return None, f"{text} is more than the maximum {spec.maximum:g}"
    return value, None


def read_table(spec: TableSpec, data_dir: Path, problems: list[Problem]) -> Table:
    """Read and check one CSV file; append every problem found to ``problems``."""
    name = spec.path
    table = Table(spec)
    path = data_dir / spec.path
    if not path.is_file():
        problems.append(Problem(name, None, None, f"file not found in {data_dir}"))
        return table
    text = _decode(path.read_bytes(), name, problems)
    if text is None:
        return table
    if not text.strip():
        problems.append(Problem(name, 1, None,
                                f"the file is empty; expected a header row: {', '.join(spec.field_names)}"))
        return table
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1  # sheet row where the record being read begins
    try:
        header = [h.strip() for h in next(reader)]
        if not _check_header(spec, header, name, problems):
            return table
        by_name = {f.name: f for f in spec.fields}
        unique_cols = [f.name for f in spec.fields if f.unique or (f.name,) == spec.primary_key]
        first_seen: dict[str, dict[Value, int]] = {col: {} for col in unique_cols}
        start = reader.line_num + 1
        for cells in reader:
            row_no = start
            start = reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue  # a blank line, as spreadsheets sometimes leave at the end
            if len(cells) > len(header):
                problems.append(Problem(name, row_no, f"(value {len(header) + 1})",
                                        f"the row has {len(cells)} values but the header has "
                                        f"{len(header)} columns (a stray comma?)"))
                continue
            row: dict[str, Value] = {}
            for col, cell in zip(header, cells + [""] * (len(header) - len(cells))):
                value, error = _convert(by_name[col], cell.strip())
                if error and col in header[len(cells):]:
                    error += f" (the row has only {len(cells)} of {len(header)} values)"
                if error:
                    problems.append(Problem(name, row_no, col, error))
                row[col] = value
            for col, seen in first_seen.items():
                value = row.get(col)
                if value is None:
                    continue
                if value in seen:
                    problems.append(Problem(name, row_no, col,
                                            f"'{value}' is already used in row {seen[value]}; "
                                            "each value must be unique"))
                else:
                    seen[value] = row_no
            table.rows.append(row)
            table.sheet_rows.append(row_no)
    except csv.Error as exc:
        problems.append(Problem(name, start, None, f"not readable as CSV ({exc}); "
                                "check the quotation marks on this row"))
    return table


def check_foreign_keys(tables: dict[str, Table], problems: list[Problem]) -> None:
    """Check that every key that points into another table finds its row there."""
    for table in tables.values():
        for fk in table.spec.foreign_keys:
            target = tables.get(fk.resource)
            if target is None:
                continue
            known = {r.get(fk.reference_field) for r in target.rows}
            for row, row_no in zip(table.rows, table.sheet_rows):
                value = row.get(fk.field)
                if value is not None and value not in known:
                    problems.append(Problem(table.spec.path, row_no, fk.field,
                                            f"'{value}' is not a {fk.reference_field} in "
                                            f"{target.spec.path}"))


def read_package(data_dir: Path) -> dict[str, Table]:
    """Read and check every table of the package in ``data_dir``; raise DataError on any problem."""
    package_file = data_dir / "datapackage.json"
    if not package_file.is_file():
        raise DataError([Problem("datapackage.json", None, None, f"file not found in {data_dir}")])
    problems: list[Problem] = []
    tables = {spec.name: read_table(spec, data_dir, problems)
              for spec in read_package_spec(package_file)}
    check_foreign_keys(tables, problems)
    if problems:
        raise DataError(problems)
    return tables
