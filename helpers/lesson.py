"""Building blocks every provision lesson uses: the provision's text, the matching Russian
demands, the two positions side by side, and the history behind the point.

All of it comes from the dataset; nothing here knows any lesson's prose.
"""
from __future__ import annotations

import pandas as pd

from helpers import data
from helpers.render import Rich, card, side_by_side


def _provision_row(provision_id: str) -> pd.Series:
    prov = data.provisions().set_index("provision_id")
    if provision_id not in prov.index:
        raise KeyError(f"no provision {provision_id!r}; the ids are {', '.join(prov.index)}")
    return prov.loc[provision_id]


def _mentions(column: pd.Series, provision_id: str) -> pd.Series:
    """True where a '; '-separated list of provision ids contains ``provision_id``."""
    return column.fillna("").str.split(";").apply(lambda ids: provision_id in [i.strip() for i in ids])


def provision_card(provision_id: str) -> Rich:
    """The provision as the news summary gives it, what the US text says, and where they differ."""
    row = _provision_row(provision_id)
    paragraphs = [
        ("In the news summary (cleaned):", row["text"]),
        ("What the US document says, as reported:", row["us_text_summary"] if pd.notna(row["us_text_summary"]) else ""),
        ("Where the summary is imprecise:", row["note"] if pd.notna(row["note"]) else ""),
    ]
    sources = [row["source_id"], row["us_text_source_id"]]
    return card(f"Provision {row['number']}: {row['title']}", paragraphs,
                [s for s in sources if pd.notna(s)])


def seed_wording(provision_id: str) -> Rich:
    """The bullet exactly as the machine-translated article printed it, for comparison."""
    row = _provision_row(provision_id)
    return card(f"Provision {row['number']} in the original machine translation",
                [("", row["seed_text"])], [row["source_id"]])


def demands_for(provision_id: str) -> pd.DataFrame:
    """The Russian draft articles this provision answers, with how it answers them."""
    links = data.responses()
    links = links[links["provision_id"] == provision_id]
    table = links.merge(data.demands(), on="demand_id", suffixes=("", "_demand"))
    table = table.sort_values(["document", "article"], key=lambda col: col.astype(str))
    return table[["demand_id", "document", "article", "title", "relation", "note"]].rename(
        columns={"title": "demand", "note": "what the reply says"}).reset_index(drop=True)


def positions(provision_id: str) -> Rich:
    """Russia's demands on this point next to what the US reply offered, each with its source."""
    row = _provision_row(provision_id)
    links = data.responses()
    links = links[links["provision_id"] == provision_id]
    demands = data.demands().set_index("demand_id")
    asked = [f"{d} ({demands.loc[d, 'document']}, Art. {demands.loc[d, 'article']}): {demands.loc[d, 'summary']}"
             for d in links["demand_id"]]
    offered = [str(row["us_text_summary"])] if pd.notna(row["us_text_summary"]) else [str(row["text"])]
    offered += [f"On {d}: {note}" for d, note in zip(links["demand_id"], links["note"])]
    sources = [demands.loc[d, "source_id"] for d in links["demand_id"]]
    sources += [s for s in (row["us_text_source_id"], row["source_id"]) if pd.notna(s)]
    sources += list(links["source_id"])
    return side_by_side("What Russia's drafts asked", asked,
                        "What the US reply offered", offered, sources)


def agreements_for(provision_id: str) -> pd.DataFrame:
    """The agreements that bear on this provision, oldest first."""
    table = data.agreements()
    table = table[_mentions(table["provision_ids"], provision_id)].sort_values("signed")
    return table[["short_name", "kind", "parties", "signed", "in_force", "ended", "status"]].reset_index(drop=True)


def history_for(provision_id: str) -> pd.DataFrame:
    """Dated milestones that bear on this provision: its history up to the replies (period "before")
    and what became of it after 24 February 2022 (period "after")."""
    table = data.load("milestones")
    table = table[_mentions(table["provision_ids"], provision_id)].sort_values("date")
    return table[["date", "period", "title", "description", "source_id"]].reset_index(drop=True)


def figures_for(provision_id: str) -> pd.DataFrame:
    """Numbers about forces and exercises that bear on this provision."""
    table = data.load("military_figures")
    table = table[_mentions(table["provision_ids"], provision_id)]
    return table[["topic", "measure", "value", "unit", "reported_by", "note", "source_id"]].reset_index(drop=True)
