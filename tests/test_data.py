"""The shipped dataset: schema, keys, sources, the seed article, and the typed loaders."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers import data

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
SEED = DATA / "source" / "article_original.txt"
# The verified list of members and accession dates from the course's fact sheet, kept with the
# tests so that the check runs in every clone (it is not course data: lessons never read it).
MEMBERS_REFERENCE = REPO / "tests" / "reference" / "nato_members.csv"
# Lines of the seed that are not part of the article (fact sheet §F2), by line number.
NOISE_LINE_NUMBERS = {14, 16, 26, 28, 38, 40}


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    data.clear_cache()
    return data.load_all()


def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").split("\n")


def seed_bullets() -> list[str]:
    return [line.strip().removeprefix("•").strip() for line in seed_lines() if line.lstrip().startswith("•")]


def content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) >= 4}


def test_package_validates_with_frictionless() -> None:
    """An independent validator agrees with ours (Table Schema v2 ``list`` type included)."""
    try:
        import frictionless
    except ImportError:
        pytest.fail("frictionless is missing: the tests need pip install -r requirements-dev.txt")
    report = frictionless.Package(str(DATA / "datapackage.json")).validate()
    errors = [f"{task.name}: {err.message}" for task in report.tasks for err in task.errors]
    assert report.valid, "\n".join(errors[:20])


def test_every_table_in_the_package_loads_with_rows(tables: dict[str, pd.DataFrame]) -> None:
    assert set(tables) >= {"sources", "provisions", "events", "demands", "responses", "statements",
                           "agreements", "agreement_figures", "nato_members", "glossary",
                           "excluded_lines"}
    for name, frame in tables.items():
        assert len(frame) > 0, name


def test_loaders_return_typed_columns(tables: dict[str, pd.DataFrame]) -> None:
    events = data.events()
    assert pd.api.types.is_datetime64_any_dtype(events["date"])
    assert isinstance(events["event_type"].dtype, pd.CategoricalDtype)
    assert pd.api.types.is_string_dtype(events["event_id"])
    assert str(data.provisions()["number"].dtype) == "Int64"
    assert str(data.demands()["fundamental"].dtype) == "boolean"
    assert str(data.agreement_figures()["value"].dtype) == "Int64"
    assert str(data.load("military_figures")["value"].dtype) == "Int64"
    # a list column keeps its text ("P03; P04"); lessons pick rows by the ids in it
    assert pd.api.types.is_string_dtype(data.load("excerpts")["provision_ids"])
    assert data.load("excerpts")["provision_ids"].str.contains("; ").any()


def test_loaders_return_copies_that_callers_may_change() -> None:
    first = data.events()
    first.loc[0, "title"] = "changed by a notebook"
    assert data.events().loc[0, "title"] != "changed by a notebook"


def test_every_source_id_resolves(tables: dict[str, pd.DataFrame]) -> None:
    known = set(tables["sources"]["source_id"])
    for name, frame in tables.items():
        for column in ("source_id", "us_text_source_id"):
            if column in frame:
                unknown = set(frame[column].dropna()) - known
                assert not unknown, f"{name}.{column}: {sorted(unknown)}"


@pytest.mark.parametrize("name", ["provisions", "demands", "events", "responses", "statements",
                                  "agreements", "agreement_figures", "nato_members", "glossary"])
def test_every_factual_row_has_a_source(tables: dict[str, pd.DataFrame], name: str) -> None:
    assert tables[name]["source_id"].notna().all()


def test_sources_name_a_publisher_and_an_access_url(tables: dict[str, pd.DataFrame]) -> None:
    src = tables["sources"]
    assert src["publisher"].str.len().gt(1).all()
    assert src["url"].str.match(r"https?://").all()
    assert set(src["kind"].dropna()) <= {"primary", "press", "analysis", "reference"}


def test_source_label_cites_publisher_and_title(tables: dict[str, pd.DataFrame]) -> None:
    row = tables["sources"].iloc[0]
    label = data.source_label(row["source_id"])
    assert label.startswith(f"{row['publisher']}, {row['title']}")
    with pytest.raises(KeyError, match="S0000"):
        data.source_label("S0000")


def test_ten_provisions_match_the_seed_bullets_in_order(tables: dict[str, pd.DataFrame]) -> None:
    prov = tables["provisions"]
    bullets = seed_bullets()
    assert len(bullets) == 10
    assert list(prov["provision_id"]) == [f"P{n:02d}" for n in range(1, 11)]
    assert list(prov["number"]) == list(range(1, 11))
    assert list(prov["seed_text"]) == bullets


@pytest.mark.parametrize("number", range(1, 11))
def test_clean_provision_text_keeps_the_seed_meaning(tables: dict[str, pd.DataFrame], number: int) -> None:
    row = tables["provisions"].iloc[number - 1]
    seed_words = content_words(row["seed_text"])
    kept = seed_words & content_words(row["text"])
    assert len(kept) / len(seed_words) >= 0.6, sorted(seed_words - kept)
    assert row["text"] != row["seed_text"] or "Russia-NATO" not in row["text"]
    assert "Russia-NATO Council" not in row["text"]


def test_excluded_lines_are_exactly_the_noise_lines_of_the_seed(tables: dict[str, pd.DataFrame]) -> None:
    lines = seed_lines()
    excluded = tables["excluded_lines"]
    assert set(excluded["line"]) == NOISE_LINE_NUMBERS
    for _, row in excluded.iterrows():
        assert lines[row["line"] - 1].strip() == row["text"].strip()
        assert row["reason"]


def test_cleaned_article_is_the_seed_without_noise_lines() -> None:
    lines = seed_lines()
    body = (DATA / "source" / "article_body.txt").read_text(encoding="utf-8")
    for number in NOISE_LINE_NUMBERS:
        assert lines[number - 1].strip() not in body
    kept = [line for n, line in enumerate(lines, start=1) if n not in NOISE_LINE_NUMBERS and line.strip()]
    body_lines = [line for line in body.split("\n") if line.strip()]
    assert body_lines == kept


def test_no_noise_line_appears_in_any_table() -> None:
    noise = [seed_lines()[n - 1].strip() for n in NOISE_LINE_NUMBERS]
    for path in sorted(DATA.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row_no, row in enumerate(csv.reader(handle), start=1):
                for cell in row:
                    for text in noise:
                        assert text not in cell, f"{path.name} row {row_no} carries noise line {text!r}"


def test_events_cover_october_2021_to_the_invasion(tables: dict[str, pd.DataFrame]) -> None:
    events = tables["events"]
    assert len(events) >= 25
    assert events["date"].min() <= pd.Timestamp("2021-10-31")
    assert events["date"].max() == pd.Timestamp("2022-02-24")
    out_of_order = events[events["date"] < events["date"].cummax()]
    listed = ", ".join(f"{r.event_id} ({r.date:%Y-%m-%d})" for r in out_of_order.itertuples())
    assert out_of_order.empty, f"events.csv rows must be in date order (ids need not be): {listed} are not"
    assert events["actors"].str.len().gt(0).all()
    delivered = events[events["date"] == pd.Timestamp("2022-01-26")]
    assert not delivered.empty


def test_demands_cover_every_article_of_both_drafts(tables: dict[str, pd.DataFrame]) -> None:
    demands = tables["demands"]
    us = demands[demands["document"] == "US treaty"]["article"]
    nato = demands[demands["document"] == "NATO agreement"]["article"]
    assert sorted(us) == list(range(1, 9))
    assert sorted(nato) == list(range(1, 10))
    for _, row in demands.iterrows():
        prefix = "US" if row["document"] == "US treaty" else "NATO"
        assert row["demand_id"] == f"{prefix}-{row['article']}"


def test_every_demand_has_a_response_row(tables: dict[str, pd.DataFrame]) -> None:
    responses = tables["responses"]
    assert set(responses["demand_id"]) == set(tables["demands"]["demand_id"])
    unanswered = responses[responses["relation"] == "not answered"]
    assert unanswered["provision_id"].isna().all()
    answered = responses[responses["relation"] != "not answered"]
    assert answered["provision_id"].notna().all()


def test_nato_members_match_the_fact_sheet(tables: dict[str, pd.DataFrame]) -> None:
    members = tables["nato_members"].set_index("iso3")
    reference = pd.read_csv(MEMBERS_REFERENCE, parse_dates=["accession_date"]).set_index("iso3")
    assert sorted(members.index) == sorted(reference.index)
    wrong = members["accession_date"].ne(reference["accession_date"].reindex(members.index))
    assert not wrong.any(), members.loc[wrong, ["country", "accession_date"]]
    in_jan_2022 = (members["accession_date"] <= pd.Timestamp("2022-01-26")).sum()
    assert in_jan_2022 == 30
    assert members["enlargement_round"].max() == 10


def test_statements_are_attributed_and_balanced(tables: dict[str, pd.DataFrame]) -> None:
    st = tables["statements"]
    assert st["speaker"].str.len().gt(0).all()
    sides = st["side"].value_counts()
    assert sides.get("Russia", 0) >= 4
    assert sides.get("United States", 0) + sides.get("NATO", 0) >= 4
    quotes = st[st["form"] == "quote"]
    long_quotes = quotes[quotes["text"].str.len() > 300]
    assert long_quotes.empty, f"quotes stay short (300 characters at most): {list(long_quotes.statement_id)}"


def test_glossary_defines_the_terms_students_meet(tables: dict[str, pd.DataFrame]) -> None:
    terms = set(tables["glossary"]["term"])
    for term in ("SSD", "NRC", "OSCE", "Aegis Ashore", "INF", "New START"):
        assert term in terms


def test_data_dir_resolves_from_the_package_not_the_working_directory(monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)
    assert data.data_dir() == DATA
    assert (data.data_dir() / "datapackage.json").is_file()


def test_unknown_table_name_lists_the_tables() -> None:
    with pytest.raises(KeyError, match="events"):
        data.load("event")


def test_milestone_periods_match_their_dates(tables: dict[str, pd.DataFrame]) -> None:
    milestones = tables["milestones"]
    before = milestones[milestones["period"] == "before"]
    after = milestones[milestones["period"] == "after"]
    replies, invasion = pd.Timestamp("2022-01-26"), pd.Timestamp("2022-02-24")
    assert (before["date"] < replies).all(), before[before["date"] >= replies]
    assert (after["date"] > invasion).all(), after[after["date"] <= invasion]
