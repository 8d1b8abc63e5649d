"""The course's own charts: drawn from the dataset, with the generic charts of
:mod:`helpers.display.charts` (``bars``, ``timeline``, ``range_bands``) at hand under the same name.

Every function returns a :class:`Chart`: an SVG image in a notebook, a one-line description elsewhere.
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
    range_bands,
    steps,
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
    mark: tuple[pd.Timestamp, list[str]] | None = None
    if mark_1997 and end >= cut_off:
        mark = (cut_off, [f"{cut_off.day} {cut_off:%B %Y}", "(cut-off in Russia's",
                          "draft agreement, Art. 4)"])
    first = counts.index[0]
    return steps(list(counts.index), [int(total) for total in counts.values], end,
                 f"NATO members, {first:%Y} to {end:%Y}", "member states", mark,
                 f"step chart of NATO's members from {counts.iloc[0]} in {first:%Y} to "
                 f"{counts.iloc[-1]} in {end:%Y}")
