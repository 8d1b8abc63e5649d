"""Building blocks every provision lesson uses, reached through one object::

    p = Provision("P04")
    p.card()          # the provision as the news summary gives it, what the US text says
    p.news_wording()  # the bullet exactly as the machine-translated news report printed it
    p.demands()       # the Russian draft articles it answers, and how
    p.documents()     # Russia's articles and the replies' passages side by side, with links
    p.positions()     # what Russia's drafts asked next to what the replies said
    p.statements(), p.history(), p.agreements(), p.figures(), p.events()

All of it comes from the dataset, picked by the ``provision_ids`` columns; nothing here knows
any lesson's prose.
"""
from __future__ import annotations

import pandas as pd

from helpers import data
from helpers.display.text import Rich, esc
from helpers.lesson.cards import card, citation, side_by_side

DOCUMENT_NAMES = {"US treaty": "Russia's draft treaty with the US",
                  "NATO agreement": "Russia's draft agreement with NATO",
                  "US reply": "the US reply", "NATO reply": "NATO's reply"}
PAPER_NAMES = {"US": "US paper", "NATO": "NATO's paper", "both": "US and NATO papers"}


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
        ("In the news summary (translation errors corrected):", row["text"]),
        ("What the US document says, as reported:",
         row["us_text_summary"] if pd.notna(row["us_text_summary"]) else ""),
        ("Where the summary is imprecise:", row["note"] if pd.notna(row["note"]) else ""),
    ]
    sources = [row["source_id"], row["us_text_source_id"]]
    return card(f"Provision {row['number']}: {row['title']}", paragraphs,
                [s for s in sources if pd.notna(s)])


def news_wording(provision_id: str) -> Rich:
    """The bullet exactly as the machine-translated news report printed it, for comparison."""
    row = _provision_row(provision_id)
    return card(f"Provision {row['number']} as the machine-translated news report printed it",
                [("", row["seed_text"])], [row["source_id"]])


def demands_for(provision_id: str) -> pd.DataFrame:
    """The Russian draft articles this provision answers, with how it answers them."""
    links = data.responses()
    links = links[links["provision_id"] == provision_id]
    table = links.merge(data.demands(), on="demand_id", suffixes=("", "_demand"))
    table = table.sort_values(["document", "article"], key=lambda col: col.astype(str))
    table = table.assign(document=table["document"].map(DOCUMENT_NAMES).fillna(table["document"]))
    return table[["document", "article", "title", "paper", "relation", "note"]].rename(
        columns={"document": "Russia's draft", "title": "what the article asks", "paper": "reply",
                 "note": "what the reply says"}).reset_index(drop=True)


def positions(provision_id: str) -> Rich:
    """Russia's demands on this point next to what the replies said, each with its source."""
    row = _provision_row(provision_id)
    links = data.responses()
    links = links[links["provision_id"] == provision_id]
    demands = data.demands().set_index("demand_id")
    asked = [f"{_article_name(demands, d)}: {demands.loc[d, 'summary']}" for d in links["demand_id"]]
    said = [f"US paper, as reported: {row['us_text_summary']}" if pd.notna(row["us_text_summary"])
            else f"News summary: {row['text']}"]
    said += [f"On {_article_name(demands, d)} ({PAPER_NAMES[paper]}): {note}"
             for d, paper, note in zip(links["demand_id"], links["paper"], links["note"], strict=True)]
    sources = [demands.loc[d, "source_id"] for d in links["demand_id"]]
    sources += [s for s in (row["us_text_source_id"], row["source_id"]) if pd.notna(s)]
    sources += list(links["source_id"])
    return side_by_side("What Russia's drafts asked", asked,
                        "What the replies said", said, sources)


def agreements_for(provision_id: str) -> pd.DataFrame:
    """The agreements that bear on this provision, oldest first."""
    table = data.agreements()
    table = table[_mentions(table["provision_ids"], provision_id)].sort_values("signed")
    columns = ["short_name", "kind", "parties", "signed", "in_force", "ended", "status"]
    return table[columns].reset_index(drop=True)


def _article_name(demands: pd.DataFrame, demand_id: str) -> str:
    document = DOCUMENT_NAMES.get(str(demands.loc[demand_id, "document"]), demands.loc[demand_id, "document"])
    return f"{document}, Art. {demands.loc[demand_id, 'article']}"


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
    columns = ["topic", "measure", "value", "unit", "reported_by", "note", "source_id"]
    return table[columns].reset_index(drop=True)


def statements_for(provision_id: str, side: str | None = None, country: str | None = None) -> pd.DataFrame:
    """What each side, and the states concerned, said on this provision, oldest first.

    ``side`` ("Russia", "United States", "NATO", "other") or ``country`` (e.g. "Ukraine") keep only
    those speakers.
    """
    table = data.statements()
    table = table[_mentions(table["provision_ids"], provision_id)].sort_values("date")
    if side is not None:
        table = table[table["side"].astype(str) == side]
    if country is not None:
        table = table[table["country"].astype(str) == country]
    return table[["date", "speaker", "role", "country", "form", "text", "source_id"]].reset_index(drop=True)


def events_for(provision_id: str) -> pd.DataFrame:
    """Events of October 2021 to February 2022 that bear on this provision."""
    table = data.events()
    table = table[_mentions(table["provision_ids"], provision_id)].sort_values("date")
    return table[["date", "title", "description", "actors", "event_type", "source_id"]].reset_index(drop=True)


def excerpts_for(provision_id: str) -> pd.DataFrame:
    """The key passages of the four documents on this provision: Russia's drafts first."""
    table = data.load("excerpts")
    table = table[_mentions(table["provision_ids"], provision_id)]
    order = {name: n for n, name in enumerate(DOCUMENT_NAMES)}
    table = table.assign(_order=table["document"].astype(str).map(order))
    table = table.sort_values(["_order", "excerpt_id"])
    return table.drop(columns="_order").reset_index(drop=True)


def _passage_html(row: pd.Series) -> str:
    words = esc(row["key_words"])
    quoted = (f"<q>{words}</q>" if row["quoted"] else f"{words} <em>(no published wording found; "
              "this is a paraphrase)</em>")
    return (f"<p><strong>{esc(DOCUMENT_NAMES.get(str(row['document']), row['document']))}, "
            f"{esc(row['reference'])}</strong> — {quoted} "
            f"<small>({esc(row['published_by'])}; "
            f'<a href="{esc(row["full_text_url"])}" target="_blank" rel="noopener">full text</a>)</small></p>'
            f"<p>{esc(row['close_reading'])}</p>")


def _passage_text(row: pd.Series) -> str:
    words = f'"{row["key_words"]}"' if row["quoted"] else f"{row['key_words']} (paraphrase)"
    return (f"{DOCUMENT_NAMES.get(str(row['document']), row['document'])}, {row['reference']}: {words} "
            f"({row['published_by']}; full text: {row['full_text_url']})\n  {row['close_reading']}")


def documents(provision_id: str) -> Rich:
    """Russia's draft articles and the replies' passages on this provision, side by side."""
    table = excerpts_for(provision_id)
    russian = table[table["document"].isin(["US treaty", "NATO agreement"])]
    replies = table[table["document"].isin(["US reply", "NATO reply"])]
    columns = []
    texts = []
    for title, part in ((f"Russia's drafts ({data.event_day(data.DRAFTS_PUBLISHED)})", russian),
                        (f"The replies ({data.event_day(data.REPLIES_DELIVERED)})", replies)):
        body = "".join(_passage_html(row) for _, row in part.iterrows()) or "<p>No passage.</p>"
        columns.append(f'<div class="course-column"><h4>{esc(title)}</h4>{body}</div>')
        texts.append(title + ":\n" + "\n".join("- " + _passage_text(row) for _, row in part.iterrows()))
    sources = list(dict.fromkeys(table["source_id"]))
    cites = [citation(s) for s in sources]
    html_text = ('<div class="course-side-by-side" style="display:flex;flex-wrap:wrap;gap:1em">'
                 + "".join(columns) + "</div>"
                 + '<p class="course-sources"><small>Sources: ' + "; ".join(c.html for c in cites)
                 + "</small></p>")
    return Rich(html_text, "\n\n".join(texts) + "\nSources: " + "; ".join(c.text for c in cites))


class Provision:
    """One provision of the US reply and everything the dataset holds on it.

    Parameters
    ----------
    provision_id
        ``"P01"`` … ``"P10"``.
    """

    def __init__(self, provision_id: str) -> None:
        row = _provision_row(provision_id)
        self.id = provision_id
        self.number = int(row["number"])
        self.title = str(row["title"])

    def __repr__(self) -> str:
        return f"Provision {self.number}: {self.title}"

    def card(self) -> Rich:
        """The provision as the news summary gives it, what the US text says, where they differ."""
        return provision_card(self.id)

    def news_wording(self) -> Rich:
        """The bullet exactly as the machine-translated news report printed it."""
        return news_wording(self.id)

    def demands(self) -> pd.DataFrame:
        """The Russian draft articles this provision answers, and how each reply relates to them."""
        return demands_for(self.id)

    def documents(self) -> Rich:
        """Russia's articles and the replies' passages side by side, with links to the full texts."""
        return documents(self.id)

    def excerpts(self) -> pd.DataFrame:
        """The key passages as a table."""
        return excerpts_for(self.id)

    def positions(self) -> Rich:
        """What Russia's drafts asked next to what the replies said."""
        return positions(self.id)

    def statements(self, side: str | None = None, country: str | None = None) -> pd.DataFrame:
        """Who said what on this provision (optionally one side or one country's speakers)."""
        return statements_for(self.id, side, country)

    def events(self) -> pd.DataFrame:
        """Events of the exchange that bear on this provision."""
        return events_for(self.id)

    def history(self, period: str | None = None) -> pd.DataFrame:
        """Milestones before the replies (``"before"``) and after 24 February 2022 (``"after"``)."""
        table = history_for(self.id)
        return table[table["period"] == period].reset_index(drop=True) if period else table

    def agreements(self) -> pd.DataFrame:
        """The agreements that bear on this provision."""
        return agreements_for(self.id)

    def figures(self) -> pd.DataFrame:
        """Numbers about forces and exercises that bear on this provision."""
        return figures_for(self.id)
