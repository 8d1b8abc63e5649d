"""Interactive explorations: a control (slider, dropdown ...) wired to a view that redraws.

Use it instead of ``ipywidgets.interact``: the view is written into the Output widget's outputs
(never ``with out:``), so stored notebook outputs stay the same under nbval, and the widget shows
a readable line of text where no kernel runs::

    from helpers.lesson.explore import explore
    explore(year_slider, lambda year: plots.members_over_time(f"{year}-12-31"),
            "NATO members up to a chosen year")
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from helpers.display.charts import show_in


class Exploration(widgets.VBox):
    """A control above a view that ``render`` redraws whenever the control's value changes.

    Parameters
    ----------
    control
        Any ipywidgets control with a ``value``.
    render
        Called with the control's value; returns what to show (a chart, a table, text ...).
    description
        What the exploration shows; its plain-text form.
    """

    def __init__(self, control: widgets.ValueWidget, render: Callable[[Any], Any], description: str) -> None:
        self.control = control
        self.render = render
        self.description = description
        self.view = widgets.Output()
        self.view.add_class("explore-view")
        control.add_class("explore-control")
        super().__init__(children=[control, self.view])
        self.add_class("explore")
        control.observe(self._redraw, names="value")
        self._redraw()

    def _redraw(self, _change: dict | None = None) -> None:
        show_in(self.view, self.render(self.control.value))

    def __repr__(self) -> str:
        return f"Interactive: {self.description} (run the notebook to use it)"


def explore(control: widgets.ValueWidget, render: Callable[[Any], Any], description: str) -> Exploration:
    """Return an :class:`Exploration` of ``render`` driven by ``control``."""
    return Exploration(control, render, description)
