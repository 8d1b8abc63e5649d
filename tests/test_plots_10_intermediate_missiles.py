"""plots.range_bands: horizontal bands from a low to a high value (used for the INF range bands)."""
from __future__ import annotations

from helpers import data
from helpers.lesson import plots


def test_range_bands_draws_one_band_per_label_with_its_span() -> None:
    chart = plots.range_bands(["short", "long"], [500, 1000], [1000, 5500], "Bands", "km")
    assert isinstance(chart, plots.Chart)
    assert repr(chart) == "Chart: Bands (km): short 500–1,000, long 1,000–5,500"
    ax = chart.figure.axes[0]
    spans = [(patch.get_x(), patch.get_x() + patch.get_width()) for patch in ax.patches]
    assert spans == [(500, 1000), (1000, 5500)]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["short", "long"]
    assert chart.png().startswith(b"\x89PNG")


def test_range_bands_from_the_inf_figures() -> None:
    figures = data.agreement_figures().set_index("figure_id")["value"]
    chart = plots.range_bands(["shorter-range", "intermediate-range"],
                              [figures["inf-shorter-range-min"], figures["inf-intermediate-range-min"]],
                              [figures["inf-shorter-range-max"], figures["inf-intermediate-range-max"]],
                              "INF range bands", "km")
    assert "intermediate-range 1,000–5,500" in repr(chart)
