"""Read the course's CSV tables against ``datapackage.json`` and report every broken cell.

A teacher who edits a CSV in a spreadsheet must never meet a pandas traceback. Every problem
found here names the file, the row (as a spreadsheet numbers it: the header is row 1) and the
field, e.g. ``events.csv row 14, field date: '2022-13-01' is not a date (expected YYYY-MM-DD)``.
A broken ``datapackage.json`` names its line instead, e.g.
``datapackage.json line 684: not valid JSON: Expecting value (column 8) — the file looks cut short``.

Besides types and constraints, keys are checked across tables: every ``foreignKeys`` entry, and
every item of a ``list`` column that names an ``itemReference``::

    {"name": "provision_ids", "type": "list", "delimiter": ";", "itemType": "string",
     "itemReference": {"resource": "provisions", "field": "provision_id"}}

so ``P03; P3x`` in ``milestones.csv`` is reported, instead of the row silently dropping out of
every lesson. (``list`` is Table Schema v2's type, which frictionless also validates;
``itemReference`` is this course's own property, ignored by other tools.)

This module only uses the standard library; :mod:`helpers.data` turns the checked values into
typed pandas tables.
"""
from __future__ import annotations

import bisect
import csv
import datetime as dt
import difflib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

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


# The Table Schema types the course uses. ``list`` is Table Schema v2's list type: the cell holds
# items separated by ``delimiter`` (only string items here); pandas keeps the cell's text.
FIELD_TYPES = ("string", "integer", "number", "boolean", "date", "list")
PACKAGE_FILE = "datapackage.json"


@dataclass(frozen=True)
class Reference:
    """Where the values of a column (or the items of a list column) must be found."""

    resource: str
    field: str


@dataclass(frozen=True)
class FieldSpec:
    """One column of a table, as ``datapackage.json`` describes it.

    A ``list`` column (e.g. ``provision_ids``, ``P03; P04``) may name an ``itemReference``:
    ``{"resource": "provisions", "field": "provision_id"}``; every item must then be a value of
    that column, as with a foreign key.
    """

    name: str
    type: str = "string"
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    delimiter: str = ","
    item_reference: Reference | None = None


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


# --- reading datapackage.json ----------------------------------------------------------------

_NAME_KEY = re.compile(r'"name"\s*:\s*("(?:[^"\\]|\\.)*")')

class _SpecReader:
    """Turn the parsed ``datapackage.json`` into table specs, collecting every problem with the
    line it is on (found by the ``"name": "…"`` of its resource and field)."""

    def __init__(self, text: str, problems: list[Problem]) -> None:
        self.problems = problems
        self.declared: set[str] = set()
        # every "name": "…" of the file and the lines it is on, read in one pass
        self.name_lines: dict[str, list[int]] = {}
        for number, line in enumerate(text.split("\n"), start=1):
            for match in _NAME_KEY.finditer(line):
                try:
                    name = json.loads(match.group(1))
                except ValueError:
                    continue
                self.name_lines.setdefault(name, []).append(number)

    def line_of(self, name: object, after: int | None = None) -> int | None:
        """The first line at or after ``after`` holding ``"name": "<name>"``."""
        if not isinstance(name, str):
            return after
        lines = self.name_lines.get(name, [])
        found = bisect.bisect_left(lines, after or 1)
        return lines[found] if found < len(lines) else after

    def problem(self, line: int | None, where: str, message: str) -> None:
        self.problems.append(Problem(PACKAGE_FILE, None, None, f"{where}: {message}" if where else message,
                                     line=line))

    def package(self, meta: object) -> list[TableSpec]:
        resources = meta.get("resources") if isinstance(meta, dict) else None
        if not isinstance(resources, list) or not resources:
            self.problem(1, "", 'expected an object with a non-empty "resources" list')
            return []
        tables: list[TableSpec] = []
        self.declared = {r["name"] for r in resources
                         if isinstance(r, dict) and isinstance(r.get("name"), str)}
        for index, res in enumerate(resources, start=1):
            spec = self.resource(index, res)
            if spec is None:
                continue
            if spec.name in {t.name for t in tables}:
                self.problem(self.line_of(spec.name), f"resource '{spec.name}'", "the name is used twice")
                continue
            tables.append(spec)
        self.references(tables)
        return tables

    def resource(self, index: int, res: object) -> TableSpec | None:
        if not isinstance(res, dict):
            self.problem(None, f"resource {index}", "expected an object")
            return None
        name, line = res.get("name"), self.line_of(res.get("name"))
        where = f"resource '{name}'" if isinstance(name, str) else f"resource {index}"
        ok = True
        for key in ("name", "path"):
            if not isinstance(res.get(key), str) or not res[key]:
                self.problem(line, where, f'"{key}" is missing (expected a text)')
                ok = False
        path = res.get("path")
        if isinstance(path, str) and (Path(path).is_absolute() or ".." in Path(path).parts or "\\" in path):
            self.problem(line, where, f"path '{path}' must be a file inside the data folder, "
                                      "written with '/' (e.g. 'source/excluded_lines.csv')")
            ok = False
        schema = res.get("schema")
        raw_fields = schema.get("fields") if isinstance(schema, dict) else None
        if not isinstance(schema, dict) or not isinstance(raw_fields, list) or not raw_fields:
            self.problem(line, where, 'expected a "schema" with a non-empty "fields" list')
            return None
        fields = [self.field(line, where, f) for f in raw_fields]
        if not ok or None in fields:
            return None
        specs = tuple(f for f in fields if f is not None)
        names = [f.name for f in specs]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            self.problem(self.line_of(twice[0], line), where, f"field {', '.join(map(repr, twice))} "
                                                              "declared twice")
            return None
        primary_key = self.key_list(line, where, schema.get("primaryKey", []), names, "primaryKey")
        if primary_key is None:
            return None
        if len(primary_key) > 1:
            self.problem(line, where, "only single-column primary keys are supported")
            return None
        declared_fks = schema.get("foreignKeys", [])
        if not isinstance(declared_fks, list):
            self.problem(line, where, '"foreignKeys" must be a list')
            return None
        fks = [self.foreign_key(line, where, fk, names) for fk in declared_fks]
        if None in fks:
            return None
        return TableSpec(name=str(name), path=str(path), fields=specs, primary_key=tuple(primary_key),
                         foreign_keys=tuple(fk for fk in fks if fk is not None))

    def foreign_key(self, line: int | None, where: str, fk: object, names: list[str]) -> ForeignKey | None:
        usage = 'a foreign key needs "fields" and a "reference" with a "resource" and its "fields"'
        if not isinstance(fk, dict) or not isinstance(fk.get("reference"), dict):
            self.problem(line, where, usage)
            return None
        own = self.key_list(line, where, fk.get("fields"), names, "foreignKeys fields")
        ref = fk["reference"]
        other = [ref.get("fields")] if isinstance(ref.get("fields"), str) else ref.get("fields")
        if own is None:
            return None
        if (not isinstance(ref.get("resource"), str) or not isinstance(other, list)
                or not all(isinstance(o, str) for o in other)):
            self.problem(line, where, usage)
            return None
        if len(own) != 1 or len(other) != 1:
            self.problem(line, where, "only single-column foreign keys are supported")
            return None
        return ForeignKey(own[0], ref["resource"], other[0])

    def key_list(self, line: int | None, where: str, value: object, names: list[str],
                 what: str) -> list[str] | None:
        keys = [value] if isinstance(value, str) else value
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            self.problem(line, where, f"{what}: expected a field name or a list of them")
            return None
        unknown = [k for k in keys if k not in names]
        if unknown:
            self.problem(line, where, f"{what}: no field named {', '.join(map(repr, unknown))}")
            return None
        return keys

    def field(self, res_line: int | None, res_where: str, spec: object) -> FieldSpec | None:
        if not isinstance(spec, dict) or not isinstance(spec.get("name"), str) or not spec["name"]:
            self.problem(res_line, res_where, 'every field needs a "name"')
            return None
        name = spec["name"]
        line = self.line_of(name, res_line)
        where = f"{res_where}, field '{name}'"
        type_ = spec.get("type", "string")
        if type_ not in FIELD_TYPES:
            hint = difflib.get_close_matches(str(type_), FIELD_TYPES, n=1)
            extra = f" (did you mean '{hint[0]}'?)" if hint else f"; the types are: {', '.join(FIELD_TYPES)}"
            self.problem(line, where, f"unknown type '{type_}'{extra}")
            return None
        cons = spec.get("constraints", {})
        if not isinstance(cons, dict):
            self.problem(line, where, '"constraints" must be an object')
            return None
        ok = True
        for key in ("required", "unique"):
            if not isinstance(cons.get(key, False), bool):
                self.problem(line, where, f"constraint {key} must be true or false")
                ok = False
        for key in ("minimum", "maximum"):
            if key in cons and (not isinstance(cons[key], (int, float)) or isinstance(cons[key], bool)):
                self.problem(line, where, f"constraint {key} must be a number")
                ok = False
        enum = cons.get("enum")
        if enum is not None and (not isinstance(enum, list) or not all(isinstance(e, str) for e in enum)):
            self.problem(line, where, "constraint enum must be a list of texts")
            ok = False
        pattern = cons.get("pattern")
        if pattern is not None:
            try:
                re.compile(pattern)
            except (re.error, TypeError) as exc:
                self.problem(line, where, f"constraint pattern is not a valid regular expression ({exc})")
                ok = False
        delimiter, reference = ",", None
        if type_ == "list":
            delimiter = spec.get("delimiter", ",")
            if not isinstance(delimiter, str) or not delimiter.strip():
                self.problem(line, where, 'a list needs a "delimiter" such as ";"')
                ok = False
            if spec.get("itemType", "string") != "string":
                self.problem(line, where, 'only lists of texts are supported ("itemType": "string")')
                ok = False
            ref = spec.get("itemReference")
            if ref is not None:
                if (not isinstance(ref, dict) or not isinstance(ref.get("resource"), str)
                        or not isinstance(ref.get("field"), str)):
                    self.problem(line, where, 'itemReference needs a "resource" and a "field", e.g. '
                                              '{"resource": "provisions", "field": "provision_id"}')
                    ok = False
                else:
                    reference = Reference(ref["resource"], ref["field"])
        elif "itemReference" in spec:
            self.problem(line, where, 'itemReference is only for fields of type "list"')
            ok = False
        if not ok:
            return None
        return FieldSpec(
            name=name, type=type_, required=cons.get("required", False), unique=cons.get("unique", False),
            enum=tuple(enum) if enum is not None else None, pattern=pattern,
            minimum=cons.get("minimum"), maximum=cons.get("maximum"),
            delimiter=delimiter, item_reference=reference,
        )

    def references(self, tables: list[TableSpec]) -> None:
        """Every reference must name a declared table and column, and not point at itself."""
        columns = {t.name: set(t.field_names) for t in tables}
        for table in tables:
            line = self.line_of(table.name)
            links = [(fk.field, Reference(fk.resource, fk.reference_field), "foreign key")
                     for fk in table.foreign_keys]
            links += [(f.name, f.item_reference, "itemReference") for f in table.fields if f.item_reference]
            for own, ref, what in links:
                where = f"resource '{table.name}', field '{own}'"
                if ref.resource not in self.declared:
                    self.problem(line, where, f"{what} to resource '{ref.resource}', which the package "
                                              "does not declare")
                elif ref.resource not in columns:
                    continue  # declared but broken: its own problem is reported
                elif ref.field not in columns[ref.resource]:
                    self.problem(line, where,
                                 f"{what} to '{ref.resource}.{ref.field}', which has no such field")
                elif (ref.resource, ref.field) == (table.name, own):
                    self.problem(line, where, f"{what} to the field itself can never fail; remove it")


def _cut_short(text: str) -> bool:
    """True when the JSON text ends inside a string or with a bracket still open."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
    return in_string or depth > 0


def read_package_spec(package_file: Path, problems: list[Problem] | None = None) -> list[TableSpec]:
    """Read ``datapackage.json`` into table specs, in the order the file lists them.

    Problems (not UTF-8, not JSON, a missing or malformed part) are appended to ``problems``
    and name the line; without a list to collect them, they raise :class:`DataError`.
    """
    found: list[Problem] = []
    try:
        raw = package_file.read_bytes()
    except OSError as exc:
        raise DataError([Problem(PACKAGE_FILE, None, None, f"cannot be read ({exc.strerror})")]) from exc
    text = _decode(raw, PACKAGE_FILE, found)
    tables: list[TableSpec] = []
    if text is not None:
        try:
            meta = json.loads(text)
        except json.JSONDecodeError as exc:
            hint = " — the file looks cut short" if _cut_short(text) else ""
            found.append(Problem(PACKAGE_FILE, None, None,
                                 f"not valid JSON: {exc.msg} (column {exc.colno}){hint}", line=exc.lineno))
        else:
            tables = _SpecReader(text, found).package(meta)
    if problems is None:
        if found:
            raise DataError(found)
    else:
        problems.extend(found)
    return tables


# --- reading one file -----------------------------------------------------------------------

def _decode(raw: bytes, name: str, problems: list[Problem]) -> str | None:
    """Decode UTF-8 (with or without a spreadsheet's BOM); name the row (CSV) or line of the first
    bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        number = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        is_csv = name.endswith(".csv")
        advice = "save the file as 'CSV UTF-8'" if is_csv else "save the file as UTF-8"
        problems.append(Problem(name, number if is_csv else None, None,
                                f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at character {col}); {advice}",
                                line=None if is_csv else number))
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
        if abs(value) >= 2**63:
            return None, f"{text} is too large a number"
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
    elif spec.type == "list":
        items = [item.strip() for item in text.split(spec.delimiter)]
        if "" in items:
            return None, (f"'{text}' has an empty item; separate the items with '{spec.delimiter}', "
                          f"e.g. 'P03{spec.delimiter} P04'")
        repeated = sorted({item for item in items if items.count(item) > 1})
        if repeated:
            return None, f"'{text}' lists {', '.join(repeated)} twice"
        value = text
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
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(name, None, None, f"cannot be read ({exc.strerror}); is it open in "
                                "another program?"))
        return table
    text = _decode(raw, name, problems)
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
            for col, cell in zip(header, cells + [""] * (len(header) - len(cells)), strict=True):
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
    """Check that every key that points into another table finds its row there, and every item
    of a list column with an ``itemReference`` (e.g. each id of ``P03; P04``) too."""
    for table in tables.values():
        links: list[tuple[str, str, str, str | None]] = [
            (fk.field, fk.resource, fk.reference_field, None) for fk in table.spec.foreign_keys]
        links += [(f.name, f.item_reference.resource, f.item_reference.field, f.delimiter)
                  for f in table.spec.fields if f.item_reference is not None]
        for column, resource, reference_field, delimiter in links:
            target = tables.get(resource)
            if target is None:
                continue
            known = {r.get(reference_field) for r in target.rows}
            for row, row_no in zip(table.rows, table.sheet_rows, strict=True):
                value = row.get(column)
                if value is None:
                    continue
                items = [i.strip() for i in str(value).split(delimiter)] if delimiter else [value]
                for item in items:
                    if item not in known:
                        problems.append(Problem(table.spec.path, row_no, column,
                                                f"'{item}' is not a {reference_field} in {target.spec.path}"))


def read_package(data_dir: Path) -> dict[str, Table]:
    """Read and check every table of the package in ``data_dir``; raise DataError on any problem."""
    package_file = data_dir / PACKAGE_FILE
    if not package_file.is_file():
        raise DataError([Problem(PACKAGE_FILE, None, None, f"file not found in {data_dir}")])
    problems: list[Problem] = []
    specs = read_package_spec(package_file, problems)
    if problems:  # without a sound description, the CSV files cannot be checked
        raise DataError(problems)
    tables = {spec.name: read_table(spec, data_dir, problems) for spec in specs}
    check_foreign_keys(tables, problems)
    if problems:
        raise DataError(problems)
    return tables
