"""Write every lesson's generated lines, and the README's outline, from ``course.yml`` and the
lesson files.

    python tools/update_navigation.py           # rewrite what is out of date
    python tools/update_navigation.py --check   # exit 1 if anything is out of date
    python tools/update_navigation.py notebooks/05_missiles_ukraine.ipynb   # only this notebook

In a lesson's first Markdown cell it rewrites the title line (``# 05 · Title``), the navigation
line below ``<!-- nav -->``, the ``**Time:**`` line (computed by
:func:`helpers.lesson.course.timing`) and the ``**By the end you will be able to**`` list (the
objectives of ``data/quizzes/<id>.yaml``). Any later Markdown cell with a ``<!-- nav -->`` line
gets the navigation line too. A code cell tagged ``setup`` is collapsed (``source_hidden``), as
JupyterLab and Notebook 7 honour. Only Markdown text and cell metadata change, so stored outputs
stay valid. The README's outline sits between ``<!-- course-outline … -->`` and
``<!-- /course-outline -->``.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from helpers.lesson.course import NAV_MARK, header_lines, lesson_timing, lessons, nav_line, outline_markdown  # noqa: E402
from helpers.paths import REPO  # noqa: E402

README = REPO / "README.md"
OUTLINE = re.compile(r"(<!-- course-outline[^>]*-->\n).*?(\n<!-- /course-outline -->)", re.DOTALL)
OBJECTIVES = re.compile(r"^\*\*(?:By the end you will be able to|You will learn)\*\*\n(?:[-*] .*\n?)*",
                        re.MULTILINE)


def update_readme(check: bool) -> bool:
    """Bring the README's course outline up to date; return True if it was stale."""
    text = README.read_text(encoding="utf-8")
    if not OUTLINE.search(text):
        raise SystemExit("README.md has no <!-- course-outline --> … <!-- /course-outline --> block")
    new = OUTLINE.sub(lambda m: m.group(1) + outline_markdown() + m.group(2), text)
    if new != text and not check:
        README.write_text(new, encoding="utf-8")
    return new != text


def with_nav(text: str, nav: str) -> str:
    """Put ``nav`` on the line after every NAV_MARK line (the old one-line form is converted)."""
    lines = text.split("\n")
    out: list[str] = []
    skip_next = False
    for n, line in enumerate(lines):
        if skip_next:
            skip_next = False
            continue
        if line.startswith(NAV_MARK):
            out += [NAV_MARK, nav]
            following = lines[n + 1] if n + 1 < len(lines) else ""
            skip_next = following.startswith("[") and ".ipynb)" in following
        else:
            out.append(line)
    return "\n".join(out)


def first_cell(text: str, parts: dict[str, str], nav: str) -> str:
    """The first cell with its generated lines brought up to date."""
    text = re.sub(r"\A# .*$", parts["title"], text, count=1, flags=re.MULTILINE)
    text = with_nav(text, nav)
    if re.search(r"^\*\*Time:\*\*.*$", text, flags=re.MULTILINE):
        text = re.sub(r"^\*\*Time:\*\*.*$", parts["time"], text, count=1, flags=re.MULTILINE)
    else:
        text = text.rstrip("\n") + "\n\n" + parts["time"]
    block = parts["objectives"]
    if OBJECTIVES.search(text):
        text = OBJECTIVES.sub(lambda _m: block + "\n", text, count=1).rstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + block
    return text


def _set_source(cell: dict, text: str) -> None:
    lines = text.split("\n")
    cell["source"] = [line + "\n" for line in lines[:-1]] + [lines[-1]]


def update(path: Path, check: bool) -> bool:
    """Bring one lesson's generated lines up to date; return True if anything was stale."""
    entry = next((e for e in lessons() if e.file == path.name), None)
    if entry is None:
        raise SystemExit(f"{path.name} is not in course.yml")
    nb = json.loads(path.read_text(encoding="utf-8"))
    parts = header_lines(entry, lesson_timing(entry))
    nav = nav_line(entry.id)
    stale = False
    first = True
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            new = first_cell(source, parts, nav) if first else (
                with_nav(source, nav) if NAV_MARK in source else source)
            first = False
            if new != source:
                stale = True
                _set_source(cell, new)
        elif cell["cell_type"] == "code" and "setup" in cell.get("metadata", {}).get("tags", []):
            jupyter = cell["metadata"].setdefault("jupyter", {})
            if not jupyter.get("source_hidden"):
                jupyter["source_hidden"] = True
                stale = True
    if stale and not check:
        path.write_text(json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    return stale


def main(argv: list[str]) -> int:
    check = "--check" in argv
    chosen = [Path(a).resolve() for a in argv if a != "--check"]
    paths = chosen or [e.path for e in lessons()]
    stale = [p.name for p in paths if update(p, check)]
    if not chosen and update_readme(check):
        stale.append("README.md (course outline)")
    for name in stale:
        print(f"{name}: {'out of date (run python tools/update_navigation.py)' if check else 'updated'}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
