"""The course's own charts: drawn from the dataset, with the generic charts of
:mod:`helpers.display.charts` (``bars``, ``timeline``, ``range_bands``) at hand under the same name.

Every function returns a :class:`Chart`: a PNG in a notebook, a one-line description elsewhere.
No fact is typed here: dates and counts come from ``data/``.
"""
from __future__ import annotations

import pandas as pd

from helpers import data
from helpers.display.charts import (
    NEUTRAL_COLOURS,
    SIDE_COLOURS,
    Chart,
    bars,
    new_figure,
    range_bands,
    timeline,
)

__all__ = ["Chart", "bars", "members_over_time", "range_bands", "timeline", "SIDE_COLOURS", "NEUTRAL_COLOURS"]


def cut_off_date() -> pd.Timestamp:
    """The date named in Art. 4 of Russia's draft agreement: the signing of the NATO-Russia Founding Act."""
    agreements = data.agreements().set_index("agreement_id")
    return pd.Timestamp(agreements.loc["founding-act", "signed"])


def members_over_time(until: str | pd.Timestamp | None = None, mark_1997: bool = True) -> Chart:
    """Step chart of the number of NATO members, from 1949 to ``until`` (default: today's 32).

    Parameters
    ----------
    until
        Last date shown; members who joined later are left out.
    mark_1997
        Draw the line of the Founding Act's signing, the cut-off date named in Russia's draft agreement.
    """
    members = data.nato_members().sort_values("accession_date")
    end = pd.Timestamp(until) if until is not None else members["accession_date"].max()
    members = members[members["accession_date"] <= end]
    counts = members.groupby("accession_date").size().cumsum()
    cut_off = cut_off_date()
    fig, ax = new_figure()
    ax.step(list(counts.index) + [end], list(counts.values) + [counts.iloc[-1]], where="post",
            color=SIDE_COLOURS["NATO"], linewidth=2)
    for date, total in counts.items():
        ax.annotate(str(total), (date, total), textcoords="offset points", xytext=(0, 6),
                    ha="center", fontsize=8)
    if mark_1997 and end >= cut_off:
        ax.axvline(cut_off, color=NEUTRAL_COLOURS[-1], linestyle="--", linewidth=1)
        label = f" {cut_off.day} {cut_off:%B %Y}\n (cut-off in Russia's\n draft agreement, Art. 4)"
        ax.text(cut_off, 2, label,
                fontsize=8, color=NEUTRAL_COLOURS[-1], va="bottom")
    ax.set_ylim(0, counts.iloc[-1] * 1.1)
    ax.set_ylabel("member states")
    ax.set_title(f"NATO members, {counts.index[0]:%Y} to {end:%Y}")
    ax.grid(axis="y", alpha=0.3)
    first = counts.index[0]
    return Chart(fig, f"step chart of NATO's members from {counts.iloc[0]} in {first:%Y} to "
                      f"{counts.iloc[-1]} in {end:%Y}")


