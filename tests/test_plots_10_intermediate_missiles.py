"""plots.range_bands: horizontal bands from a low to a high value (used for the INF range bands)."""
from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from helpers import data
from helpers.lesson import plots


def test_range_bands_draws_one_band_per_label_with_its_span() -> None:
    chart = plots.range_bands(["short", "long"], [500, 1000], [1000, 5500], "Bands", "km")
    assert isinstance(chart, plots.Chart)
    assert repr(chart) == "Chart: Bands (km): short 500–1,000, long 1,000–5,500"
    texts = chart.texts()
    assert texts.index("short") < texts.index("long")               # top to bottom, as given
    assert {"500–1,000", "1,000–5,500", "0", "2,000", "km"} <= set(texts)
    # the bands' ends on the drawn scale: where the axis puts 0 and 2,000 km
    root = ElementTree.fromstring(chart.svg)
    svg = "{http://www.w3.org/2000/svg}"
    ticks = {t.findtext(f"{svg}tspan"): float(t.find(f"{svg}tspan").get("x"))
             for t in root.iter(f"{svg}text")}
    per_km = (ticks["2,000"] - ticks["0"]) / 2000
    bands = [r for r in root.iter(f"{svg}rect") if r.get("fill") == plots.SIDE_COLOURS["NATO"]]
    spans = [(round((float(r.get("x")) - ticks["0"]) / per_km, -1),
              round((float(r.get("x")) + float(r.get("width")) - ticks["0"]) / per_km, -1)) for r in bands]
    assert spans == [(500, 1000), (1000, 5500)]


def test_range_bands_from_the_inf_figures() -> None:
    figures = data.agreement_figures().set_index("figure_id")["value"]
    chart = plots.range_bands(["shorter-range", "intermediate-range"],
                              [figures["inf-shorter-range-min"], figures["inf-intermediate-range-min"]],
                              [figures["inf-shorter-range-max"], figures["inf-intermediate-range-max"]],
                              "INF range bands", "km")
    assert "intermediate-range 1,000–5,500" in repr(chart)
