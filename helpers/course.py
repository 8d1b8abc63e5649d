"""The course as a whole: its notebooks, read from the files themselves.

Every lesson's first Markdown cell follows one shape, which this module reads::

    # 03 · NATO's open door
    <!-- nav --> (navigation line, written by tools/update_navigation.py)
    ...
    **Time:** about 25 minutes

    **You will learn**
    - first objective
    - second objective

From it come the course map of the start notebook and the previous/next links of every lesson,
so neither is typed by hand.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.render import Rich, esc

NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NAV_MARK = "<!-- nav -->"
START = "00_start_here"


@dataclass(frozen=True)
class Lesson:
    """What the course map needs to know about one notebook."""

    number: int
    stem: str
    title: str
    minutes: int | None
    objectives: tuple[str, ...]

    @property
    def file(self) -> str:
        return f"{self.stem}.ipynb"

    @property
    def label(self) -> str:
        return f"{self.number:02d} · {self.title}"


def first_markdown(path: Path) -> str:
    """The source of the notebook's first Markdown cell."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            return "".join(cell["source"])
    raise ValueError(f"{path.name}: no Markdown cell")


def read_lesson(path: Path) -> Lesson:
    """Read number, title, time and objectives from a notebook's first Markdown cell."""
    text = first_markdown(path)
    heading = re.search(r"^# (\d\d) · (.+)$", text, re.MULTILINE)
    if heading is None:
        raise ValueError(f"{path.name}: the first cell must start with a title like '# 03 · Title'")
    minutes = re.search(r"\*\*Time:\*\*\s*about (\d+) minutes", text)
    objectives: list[str] = []
    block = re.search(r"\*\*You will learn\*\*\s*\n((?:\s*[-*] .+\n?)+)", text)
    if block:
        objectives = [re.sub(r"^\s*[-*] ", "", line).strip()
                      for line in block.group(1).splitlines() if line.strip()]
    return Lesson(int(heading.group(1)), path.stem, heading.group(2).strip(),
                  int(minutes.group(1)) if minutes else None, tuple(objectives))


def lessons(folder: Path = NOTEBOOKS_DIR) -> list[Lesson]:
    """Every numbered notebook of the course, in order."""
    return [read_lesson(p) for p in sorted(folder.glob("[0-9][0-9]_*.ipynb"))]


def nav_line(stem: str, folder: Path = NOTEBOOKS_DIR) -> str:
    """The navigation line a notebook should carry: previous, course map, next."""
    all_lessons = lessons(folder)
    stems = [lesson.stem for lesson in all_lessons]
    index = stems.index(stem)
    parts = []
    if index > 0:
        prev = all_lessons[index - 1]
        parts.append(f"[← {prev.label}]({prev.file})")
    if stem != START:
        parts.append(f"[Course map]({START}.ipynb#Course-map)")
    if index + 1 < len(all_lessons):
        nxt = all_lessons[index + 1]
        parts.append(f"[{nxt.label} →]({nxt.file})")
    return f"{NAV_MARK} " + " · ".join(parts)


def outline_markdown(folder: Path = NOTEBOOKS_DIR) -> str:
    """The course outline as a Markdown table, for the README (links relative to the repo)."""
    rows = ["| # | Notebook | Minutes |", "| --- | --- | --- |"]
    rows += [f"| {lesson.number:02d} | [{lesson.title}](notebooks/{lesson.file}) | {lesson.minutes or ''} |"
             for lesson in lessons(folder)]
    return "\n".join(rows)


def course_map(folder: Path = NOTEBOOKS_DIR) -> pd.DataFrame:
    """The course map as a table: number, title, minutes, objectives, file."""
    rows = [{"number": lesson.number, "title": lesson.title, "minutes": lesson.minutes,
             "objectives": len(lesson.objectives), "file": lesson.file} for lesson in lessons(folder)]
    return pd.DataFrame(rows, columns=["number", "title", "minutes", "objectives", "file"])


def course_map_table(folder: Path = NOTEBOOKS_DIR) -> Rich:
    """The course map as a linked HTML table (plain text where HTML is not shown)."""
    all_lessons = lessons(folder)
    rows_html = "".join(
        f'<tr><td>{lesson.number:02d}</td><td><a href="{esc(lesson.file)}">{esc(lesson.title)}</a></td>'
        f"<td>{lesson.minutes or ''}</td><td>{'<br>'.join(esc(o) for o in lesson.objectives)}</td></tr>"
        for lesson in all_lessons)
    html_text = ('<table class="course-map"><thead><tr><th>#</th><th>Notebook</th><th>Minutes</th>'
                 f"<th>You will learn</th></tr></thead><tbody>{rows_html}</tbody></table>")
    total = sum(lesson.minutes or 0 for lesson in all_lessons)
    lines = [f"{lesson.label} ({lesson.minutes} min) -> {lesson.file}" for lesson in all_lessons]
    lines.append(f"{len(all_lessons)} notebooks, about {total} minutes in all")
    return Rich(html_text + f"<p>{len(all_lessons)} notebooks, about {total} minutes in all.</p>",
                "\n".join(lines))
