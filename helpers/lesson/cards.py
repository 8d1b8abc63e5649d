"""Small display objects for notebooks: escaped HTML with a readable plain-text twin.

Text from the dataset is always escaped before it becomes HTML. Every object here shows as HTML
in JupyterLab and as plain text where no HTML is shown; both are deterministic, so strict nbval
can compare them.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from helpers import data
from helpers.display.text import Rich, esc


def citation(source_id: str) -> Rich:
    """A citation of one source: publisher, title, date and how far to trust it, linked to the copy
    we read (and the site that holds that copy, when it is not the publisher's)."""
    src = data.sources().set_index("source_id").loc[source_id]
    label = data.source_citation(source_id)
    via = f" (copy at {esc(src['via'])})" if isinstance(src["via"], str) and src["via"] else ""
    return Rich(f'<a href="{esc(src["url"])}" target="_blank" rel="noopener">{esc(label)}</a>{via}',
                label)


def source_note(source_ids: Iterable[str]) -> Rich:
    """A 'Sources:' line citing each id once, in order."""
    unique = list(dict.fromkeys(s for s in source_ids if isinstance(s, str) and s))
    cites = [citation(s) for s in unique]
    return Rich('<p class="course-sources"><small>Sources: ' + "; ".join(c.html for c in cites)
                + "</small></p>", "Sources: " + "; ".join(c.text for c in cites))


def card(title: str, paragraphs: Sequence[tuple[str, str]], source_ids: Iterable[str] = ()) -> Rich:
    """A boxed block: a title, labelled paragraphs ``(label, text)`` and a sources line."""
    sources = source_note(source_ids)
    body = "".join(f"<p><strong>{esc(label)}</strong> {esc(text)}</p>" if label else f"<p>{esc(text)}</p>"
                   for label, text in paragraphs if text)
    html_text = ('<div class="course-card" style="border:1px solid var(--jp-border-color1, #888);'
                 f'border-radius:6px;padding:0.6em 1em;margin:0.4em 0"><h4>{esc(title)}</h4>{body}'
                 f"{sources.html}</div>")
    lines = [title, "=" * len(title)]
    lines += [f"{label} {text}".strip() for label, text in paragraphs if text]
    lines.append(sources.text)
    return Rich(html_text, "\n".join(lines))


def side_by_side(left_title: str, left: Sequence[str], right_title: str, right: Sequence[str],
                 source_ids: Iterable[str] = ()) -> Rich:
    """Two columns of points, e.g. the Russian demand and the US answer, with their sources."""
    def column(title: str, points: Sequence[str]) -> str:
        items = "".join(f"<li>{esc(p)}</li>" for p in points) or "<li><em>(nothing on this point)</em></li>"
        return (f'<div style="flex:1;min-width:16em;padding:0 0.8em"><h4>{esc(title)}</h4>'
                f"<ul>{items}</ul></div>")

    sources = source_note(source_ids)
    html_text = (f'<div class="course-side-by-side" style="display:flex;flex-wrap:wrap;gap:1em">'
                 f"{column(left_title, left)}{column(right_title, right)}</div>{sources.html}")
    lines = []
    for title, points in ((left_title, left), (right_title, right)):
        lines.append(title + ":")
        lines += [f"  - {p}" for p in points] or ["  (nothing on this point)"]
    lines.append(sources.text)
    return Rich(html_text, "\n".join(lines))
