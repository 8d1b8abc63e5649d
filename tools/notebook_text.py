"""Write a lesson as plain text and turn it into a notebook, or back.

    python tools/notebook_text.py build lesson.txt notebooks/03_open_door.ipynb
    python tools/notebook_text.py dump notebooks/03_open_door.ipynb lesson.txt

The text form is a sequence of cells, each opened by a marker line ``%% md`` or ``%% code``::

    %% md
    # 03 · NATO's open door
    ...
    %% code
    from helpers import data

``build`` writes a notebook without outputs (run ``python tools/execute_notebooks.py`` next);
``dump`` writes the text form of an existing notebook, dropping its outputs.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

MARKERS = {"%% md": "markdown", "%% code": "code"}


def parse(text: str) -> list[tuple[str, str]]:
    """Split the text form into ``(cell_type, source)`` pairs."""
    cells: list[tuple[str, list[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() in MARKERS:
            cells.append((MARKERS[line.strip()], []))
        elif cells:
            cells[-1][1].append(line)
        elif line.strip():
            raise ValueError(f"line {number}: text before the first '%% md' or '%% code' marker")
    return [(kind, "\n".join(lines).strip("\n")) for kind, lines in cells]


def build(text: str) -> nbformat.NotebookNode:
    """A notebook (no outputs) from the text form, with the course's Python kernel."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for kind, source in parse(text):
        if kind == "markdown":
            nb.cells.append(nbformat.v4.new_markdown_cell(source))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(source))
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index:03d}"
    return nb


def dump(nb: nbformat.NotebookNode) -> str:
    """The text form of a notebook."""
    parts = []
    for cell in nb.cells:
        marker = "%% md" if cell.cell_type == "markdown" else "%% code"
        parts.append(f"{marker}\n{cell.source}\n")
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] not in ("build", "dump"):
        print(__doc__)
        return 2
    command, source, target = argv
    if command == "build":
        nb = build(Path(source).read_text(encoding="utf-8"))
        nbformat.write(nb, target)
    else:
        Path(target).write_text(dump(nbformat.read(source, as_version=4)), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
