"""Load the course dataset (``data/*.csv`` described by ``data/datapackage.json``) as typed tables.

Every notebook gets its facts from here::

    from helpers import data
    events = data.events()          # one loader per table
    tables = data.load_all()        # all of them, by name

Dates are datetimes, fixed vocabularies are categoricals, ids are strings. The whole package is
read and checked once per kernel and then served from memory; each call returns a fresh copy,
so a notebook may change its table freely. A broken CSV raises :class:`DataError` that names the
file, the row and the field.

The data folder is found next to this package (never through the working directory). Set the
environment variable ``COURSE_DATA_DIR`` to use another copy, e.g. a teacher's edited dataset.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path

import pandas as pd

from helpers.data.validation import DataError, Problem, Table, read_package
from helpers.paths import DATA_DIR

__all__ = [
    "DataError", "Problem", "data_dir", "load", "load_all", "table_names", "clear_cache",
    "sources", "provisions", "events", "demands", "responses", "statements", "agreements",
    "agreement_figures", "nato_members", "glossary", "excluded_lines", "source_label",
    "VERIFIED_WORDS", "how_checked", "source_citation",
]

PACKAGE_DATA_DIR = DATA_DIR


def data_dir() -> Path:
    """Return the folder the dataset is read from (``COURSE_DATA_DIR`` or the shipped ``data/``)."""
    override = os.environ.get("COURSE_DATA_DIR")
    return Path(override).expanduser().resolve() if override else PACKAGE_DATA_DIR


def _to_frame(table: Table) -> pd.DataFrame:
    """Build a typed DataFrame from a checked table."""
    columns = {}
    for spec in table.spec.fields:
        values = [row.get(spec.name) for row in table.rows]
        if spec.type == "date":
            series = pd.to_datetime(pd.Series(values, dtype="object"))
        elif spec.type == "integer":
            series = pd.Series(values, dtype="Int64")
        elif spec.type == "number":
            series = pd.Series(values, dtype="float64")
        elif spec.type == "boolean":
            series = pd.Series(values, dtype="boolean")
        elif spec.enum is not None:
            series = pd.Series(pd.Categorical(values, categories=list(spec.enum)))
        else:
            series = pd.Series(values, dtype="str")
        columns[spec.name] = series
    return pd.DataFrame(columns, index=pd.RangeIndex(len(table.rows)))


@functools.cache
def _package(folder: Path) -> dict[str, pd.DataFrame]:
    return {name: _to_frame(table) for name, table in read_package(folder).items()}


def load_all() -> dict[str, pd.DataFrame]:
    """Return every table of the dataset, by name (copies: change them freely)."""
    return {name: frame.copy() for name, frame in _package(data_dir()).items()}


def load(name: str) -> pd.DataFrame:
    """Return one table by name, e.g. ``load("events")``.

    Raises
    ------
    KeyError
        If the dataset has no table of that name (the message lists the names it has).
    DataError
        If any file of the dataset is broken.
    """
    tables = _package(data_dir())
    if name not in tables:
        raise KeyError(f"no table named {name!r}; the tables are: {', '.join(tables)}")
    return tables[name].copy()


def table_names() -> list[str]:
    """Return the names of the tables, in the order of ``datapackage.json``."""
    return list(_package(data_dir()))


def clear_cache() -> None:
    """Forget the loaded tables, so the next call reads the CSV files again."""
    _package.cache_clear()


def source_label(source_id: str) -> str:
    """Return a short citation for a source id: ``"Publisher, Title (date)"``.

    Raises
    ------
    KeyError
        If the id is not in ``sources.csv``.
    """
    src = _package(data_dir())["sources"]
    match = src[src["source_id"] == source_id]
    if match.empty:
        raise KeyError(f"unknown source id {source_id!r} (not in sources.csv)")
    row = match.iloc[0]
    label = f"{row['publisher']}, {row['title']}"
    if pd.notna(row["date"]):
        day = row["date"]
        label += f" ({day.day} {day:%B %Y})"
    return label


# How well a fact is checked, in words a student understands (METHODOLOGY.md explains them).
VERIFIED_WORDS = {
    "VERIFIED": "confirmed",          # an official text, or two independent reliable reports
    "VERIFIED-2ND": "one source",     # one secondary source: usable, cited with care
    "PARTIAL": "partly confirmed",    # the core is confirmed, a detail (number, wording) is not
    "CONFLICT": "sources disagree",   # both versions are given
}


def how_checked(table: pd.DataFrame) -> pd.DataFrame:
    """Replace a table's ``verified`` column by ``how checked``, in words (see VERIFIED_WORDS)."""
    words = table["verified"].astype(str).map(VERIFIED_WORDS)
    return table.drop(columns="verified").assign(**{"how checked": words})


def source_citation(source_id: str) -> str:
    """Return :func:`source_label` with the source's reliability class, e.g.
    ``"Reuters, … (2 February 2022) [wire service or newspaper of record]"``."""
    src = _package(data_dir())["sources"]
    reliability = src.loc[src["source_id"] == source_id, "reliability"]
    label = source_label(source_id)
    return f"{label} [{reliability.iloc[0]}]" if len(reliability) else label


def sources() -> pd.DataFrame:
    """Sources of every fact: publisher, title, date, access URL, kind."""
    return load("sources")


def provisions() -> pd.DataFrame:
    """The ten provisions of the US response, in the seed article's order."""
    return load("provisions")


def events() -> pd.DataFrame:
    """Timeline, October 2021 to 24 February 2022."""
    return load("events")


# The two events the whole course turns on, by their rows in events.csv.
DRAFTS_PUBLISHED = "E05"
REPLIES_DELIVERED = "E14"


def event_day(event_id: str) -> str:
    """The date of one event of ``events.csv`` in words, e.g. "26 January 2022"."""
    table = events().set_index("event_id")
    if event_id not in table.index:
        raise KeyError(f"data/events.csv has no event {event_id!r}")
    day = pd.Timestamp(table.loc[event_id, "date"])
    return f"{day.day} {day:%B %Y}"


def demands() -> pd.DataFrame:
    """Every article of Russia's two draft documents of 17 December 2021."""
    return load("demands")


def responses() -> pd.DataFrame:
    """Links between Russian demands and US provisions, with the kind of answer."""
    return load("responses")


def statements() -> pd.DataFrame:
    """Reactions and positions: who said what, when."""
    return load("statements")


def agreements() -> pd.DataFrame:
    """Treaties and agreements the documents refer to."""
    return load("agreements")


def agreement_figures() -> pd.DataFrame:
    """Key numbers of the agreements, one per row."""
    return load("agreement_figures")


def nato_members() -> pd.DataFrame:
    """The 32 members of NATO with their accession dates."""
    return load("nato_members")


def glossary() -> pd.DataFrame:
    """Terms a student meets in the course."""
    return load("glossary")


def excluded_lines() -> pd.DataFrame:
    """Lines of the seed article kept out of the dataset, and why."""
    return load("excluded_lines")
