"""Interactive explorations: a control (slider, dropdown ...) wired to a view that redraws.

Use it instead of ``ipywidgets.interact``: the view is written into the Output widget's outputs
(never ``with out:``), so stored notebook outputs stay the same under nbval, and the widget shows
a readable line of text where no kernel runs::

    from helpers.lesson.explore import explore
    explore(year_slider, lambda year: plots.members_over_time(f"{year}-12-31"),
            "NATO members up to a chosen year")

Every control gets an accessible name, derived from the exploration's ``description``: ipywidgets
8 ties a Dropdown's or a Text's ``<label>`` to its input, but a slider's handle (a ``<div
role="slider">``) has no name at all, and a control without a ``description`` has an empty label
(axe-core's ``aria-input-field-name`` and ``select-name`` rules). ipywidgets offers no way to set
an ARIA attribute, so :class:`ControlNames`, a hidden anywidget inside the exploration, sets
``aria-label`` in the page on each of the control's inputs that has no name of its own. It also
keeps the keys pressed in the control from JupyterLab's notebook shortcuts (an arrow key on a
slider would otherwise move to another cell).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anywidget
import ipywidgets as widgets
import traitlets

from helpers.display.charts import show_in

__all__ = ["ControlNames", "Exploration", "accessible_name", "explore"]

# Finds the exploration around it once it is in the page, then names (and, as ipywidgets redraws,
# keeps naming) every input of the control that has no name: no aria-label, no label with text.
_NAMES_ESM = """
const INPUTS = '.explore-control :is(input, select, textarea, [role="slider"])';

function unnamed(input) {
  if (input.dataset.exploreNamed) return true;          // named here before: keep it current
  if ((input.getAttribute("aria-label") || "").trim()) return false;
  if (input.getAttribute("aria-labelledby")) return false;
  return ![...(input.labels || [])].some((label) => label.textContent.trim());
}

function render({ model, el }) {
  el.hidden = true;
  let frame = 0;
  let observer = null;
  const name = (box) => {
    for (const input of box.querySelectorAll(INPUTS)) {
      if (input.type === "hidden" || !unnamed(input)) continue;
      input.setAttribute("aria-label", model.get("name"));
      input.dataset.exploreNamed = "true";
    }
  };
  const attach = () => {
    const box = el.closest(".explore");
    if (!box) { frame = requestAnimationFrame(attach); return; }
    name(box);
    // keys pressed in the control (arrows on a slider or a drop-down, letters) stay there:
    // JupyterLab's notebook shortcuts would move to another cell or insert one
    box.setAttribute("data-lm-suppress-shortcuts", "true");
    box.addEventListener("keydown", (event) => event.stopPropagation());
    observer = new MutationObserver(() => name(box));   // child lists only: no loop on attributes
    observer.observe(box, { childList: true, subtree: true });
    model.on("change:name", () => name(box));
  };
  attach();
  return () => { cancelAnimationFrame(frame); if (observer) observer.disconnect(); };
}

export default { render };
"""

# ipywidgets draws a slider or a drop-down 300 px wide (plus its margins): on a phone that makes
# the output scroll sideways. Never wider than the exploration; the slider's track shrinks.
_CONTROL_CSS = """
.explore .explore-control {
  max-width: calc(100% - 2 * var(--jp-widgets-margin, 2px));
}
"""


class ControlNames(anywidget.AnyWidget):
    """Hidden: gives the inputs of its exploration's control the accessible name ``name``, and
    keeps the control within the exploration's width (``_CONTROL_CSS``)."""

    _esm = _NAMES_ESM
    _css = _CONTROL_CSS
    name = traitlets.Unicode("").tag(sync=True)
    # no Layout model of its own (DOMWidget would add one): it is never shown
    layout = traitlets.Instance(widgets.Layout, allow_none=True, default_value=None).tag(
        sync=True, **widgets.widget_serialization)


def accessible_name(control: widgets.Widget, description: str) -> str:
    """The name a screen reader gives the control: its visible label (its ``description``), if
    any, first (WCAG 2.5.3, label in name), then what the exploration shows.

    Parameters
    ----------
    control
        The exploration's control.
    description
        What the exploration shows.
    """
    label = " ".join(str(getattr(control, "description", "") or "").split())
    text = " ".join(description.split())
    if label and text and label.casefold() != text.casefold():
        return f"{label}: {text}"
    return label or text


class Exploration(widgets.VBox):
    """A control above a view that ``render`` redraws whenever the control's value changes.

    Parameters
    ----------
    control
        Any ipywidgets control with a ``value``.
    render
        Called with the control's value; returns what to show (a chart, a table, text ...).
    description
        What the exploration shows; its plain-text form, and the control's accessible name
        (after the control's own ``description``, if it has one).
    """

    def __init__(self, control: widgets.ValueWidget, render: Callable[[Any], Any], description: str) -> None:
        self.control = control
        self.render = render
        self.description = description
        self.view = widgets.Output()
        self.view.add_class("explore-view")
        self.names = ControlNames(name=accessible_name(control, description))
        control.add_class("explore-control")
        super().__init__(children=[control, self.view, self.names])
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
