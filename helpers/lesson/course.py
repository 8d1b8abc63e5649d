"""The course as a whole: its lessons in order (``course.yml``), their navigation, their timings.

``course.yml`` gives each lesson a stable id and its notebook file; the lesson's question file
(``data/quizzes/<id>.yaml``) gives its title, objectives and discussion prompts. From these and
the notebook itself come the course map, the previous/next links, each lesson's header (title,
time, objectives) and the README's outline, so none of them is typed by hand.

A lesson's first Markdown cell has this shape; ``tools/update_navigation.py`` rewrites the lines
marked *generated*::

    # 05 · Missiles and combat forces in Ukraine             (generated: number and title)
    <!-- nav -->
    [← 04 · NATO's open door](04_open_door.ipynb) · …        (generated)

    One or two sentences on what the lesson is about.        (the writer's)

    **Time:** about 50 minutes on your own …                 (generated)

    **By the end you will be able to**                       (generated, from the objectives)
    - …
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from helpers.display.text import Rich, esc, markup
from helpers.paths import COURSE_FILE, NOTEBOOKS_DIR
from helpers.quiz import bank as quiz_bank

NAV_MARK = "<!-- nav -->"
START = "start-here"

# How long things take, for a student reading in a second language (see CONTRIBUTING.md).
READING_WORDS_PER_MINUTE = 130     # the lesson's prose
SCANNING_WORDS_PER_MINUTE = 200    # tables, cards and other outputs the prose asks them to read
MINUTES_PER_CODE_CELL = 0.25       # run it, look at what it shows
MINUTES_PER_CHART = 1.0
MINUTES_PER_EXPLORATION = 3.0      # try a few settings of an interactive control
MINUTES_PER_QUESTION = 1.5         # a graded question, with its feedback
MINUTES_PER_REFLECTION = 5.0       # a written answer
MINUTES_PER_DISCUSSION = 7.0       # one discussion prompt in class (shown separately)
OPTIONAL_MARK = "(optional)"       # a "## … (optional)" section is timed separately


def notebooks_dir() -> Path:
    """The folder of the lesson notebooks (next to ``course.yml``)."""
    return COURSE_FILE.parent / NOTEBOOKS_DIR.name


class CourseError(ValueError):
    """``course.yml`` cannot be used; the message names the line and the field."""


@dataclass(frozen=True)
class Timing:
    """Minutes a lesson takes: alone (core and optional sections) and in class discussion."""

    core: int
    optional: int
    discussion: int

    def sentence(self) -> str:
        """The time as the lesson header states it."""
        text = f"about {self.core} minutes on your own"
        if self.optional:
            text += f" (optional sections: about {self.optional} more)"
        if self.discussion:
            text += f"; class discussion: about {self.discussion} minutes"
        return text


@dataclass(frozen=True)
class Lesson:
    """One lesson of the course, as ``course.yml`` and its question file describe it."""

    number: int
    id: str
    file: str
    title: str
    objectives: tuple[tuple[str, str], ...]
    provision: str | None = None
    formerly: tuple[str, ...] = ()

    @property
    def stem(self) -> str:
        return Path(self.file).stem

    @property
    def label(self) -> str:
        return f"{self.number:02d} · {self.title}"

    @property
    def path(self) -> Path:
        return notebooks_dir() / self.file


def read_course(path: Path | None = None) -> list[dict[str, Any]]:
    """The raw entries of ``course.yml``, checked (ids unique, files named)."""
    path = path if path is not None else COURSE_FILE
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CourseError(f"{path.name}: YAML syntax error: {exc}") from None
    entries = content.get("lessons") if isinstance(content, dict) else None
    if not isinstance(entries, list) or not entries:
        raise CourseError(f"{path.name}: needs 'lessons:', a list of {{id: …, file: …}} lines")
    seen: set[str] = set()
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) \
                or not isinstance(entry.get("file"), str):
            raise CourseError(f"{path.name}, lesson #{n}: needs id and file, e.g. "
                              "{id: open-door, file: 04_open_door.ipynb}")
        unknown = set(entry) - {"id", "file", "provision", "formerly"}
        if unknown:
            raise CourseError(f"{path.name}, lesson {entry['id']}: unknown field {sorted(unknown)[0]} "
                              "(the fields are id, file, provision, formerly)")
        if entry["id"] in seen:
            raise CourseError(f"{path.name}, lesson {entry['id']}: the id is used twice")
        seen.add(entry["id"])
    return entries


def _title_and_objectives(lesson_id: str, folder: Path | None) -> tuple[str, tuple[tuple[str, str], ...]]:
    """A lesson's title and objectives, read from its file without checking the questions (so
    that navigation works while another part of the file is being edited; ``make check`` and the
    tests check the whole file)."""
    path = (Path(folder) if folder is not None else quiz_bank.quiz_dir()) / f"{lesson_id}.yaml"
    try:
        content = quiz_bank.read_yaml(path)
    except (OSError, yaml.YAMLError) as exc:
        raise CourseError(f"course.yml, lesson {lesson_id}: cannot read {path.name}: {exc}") from None
    if not isinstance(content, dict) or not isinstance(content.get("title"), str):
        raise CourseError(f"{path.name}: needs a title")
    raw = content.get("objectives")
    objectives: dict[str, Any] = raw if isinstance(raw, dict) else {}
    return (" ".join(content["title"].split()),
            tuple((str(k), " ".join(str(v).split())) for k, v in objectives.items()))


def _lesson(number: int, entry: dict[str, Any], folder: Path | None) -> Lesson:
    title, objectives = _title_and_objectives(entry["id"], folder)
    return Lesson(number, entry["id"], entry["file"], title, objectives,
                  entry.get("provision"), tuple(entry.get("formerly") or ()))


def lessons(folder: Path | None = None) -> list[Lesson]:
    """Every lesson of the course, in teaching order, with title and objectives from its file."""
    return [_lesson(number, entry, folder) for number, entry in enumerate(read_course())]


def lesson(lesson_id: str) -> Lesson:
    """One lesson by id, reading only its own file (KeyError naming the ids if there is no such
    lesson)."""
    entries = read_course()
    for number, entry in enumerate(entries):
        if entry["id"] == lesson_id:
            return _lesson(number, entry, None)
    raise KeyError(f"no lesson {lesson_id!r} in course.yml; the ids are "
                   f"{', '.join(e['id'] for e in entries)}")


def lesson_ids_by_stem() -> dict[str, str]:
    """Every notebook stem a lesson has had (its file, and ``formerly``) → its id."""
    out = {}
    for entry in read_course():
        out[Path(entry["file"]).stem] = entry["id"]
        for old in entry.get("formerly") or ():
            out[str(old)] = entry["id"]
    return out


# --- timings ------------------------------------------------------------------------------------

def _words(text: str) -> int:
    return len(re.findall(r"[A-Za-zÀ-ÿА-я0-9][\w'’-]*", text))


def _is_chart(out: dict[str, Any]) -> bool:
    """A chart output: an image, or a course chart's HTML ``<img>`` (helpers.display.charts)."""
    data = out.get("data", {})
    return "image/png" in data or 'class="course-chart"' in "".join(data.get("text/html", ""))


def _output_text(cell: dict[str, Any]) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append("".join(out.get("text", "")))
        plain = out.get("data", {}).get("text/plain")
        if plain and not _is_chart(out):
            parts.append("".join(plain))
    return "\n".join(parts)


def timing(notebook: Path, bank: quiz_bank.Bank) -> Timing:
    """How long a lesson takes, computed from its notebook and its question file.

    Prose is read at :data:`READING_WORDS_PER_MINUTE`, outputs scanned at
    :data:`SCANNING_WORDS_PER_MINUTE`; each code cell, chart, exploration and question adds its
    allowance; sections headed ``## … (optional)`` are counted apart; discussion prompts count
    for class time only. Minutes round up to the next 5.
    """
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    minutes = {"core": 0.0, "optional": 0.0}
    part = "core"
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            heading = re.search(r"^## (.+)$", source, re.MULTILINE)
            if heading:
                part = "optional" if OPTIONAL_MARK in heading.group(1).lower() else "core"
            prose = re.sub(r"<!--.*?-->|\[([^\]]*)\]\([^)]*\)", r"\1", source, flags=re.DOTALL)
            minutes[part] += _words(prose) / READING_WORDS_PER_MINUTE
            continue
        if cell["cell_type"] != "code" or not source.strip():
            continue
        minutes[part] += MINUTES_PER_CODE_CELL
        minutes[part] += _words(_output_text(cell)) / SCANNING_WORDS_PER_MINUTE
        charts = sum(_is_chart(out) for out in cell.get("outputs", []))
        minutes[part] += MINUTES_PER_CHART * charts
        if "explore(" in source:
            minutes[part] += MINUTES_PER_EXPLORATION
    for q in bank.questions:
        minutes["core"] += MINUTES_PER_QUESTION if q.graded else MINUTES_PER_REFLECTION

    def up(value: float) -> int:
        return int(5 * math.ceil(value / 5)) if value else 0

    return Timing(up(minutes["core"]), up(minutes["optional"]),
                  up(MINUTES_PER_DISCUSSION * len(bank.discussion)))


def lesson_timing(entry: Lesson) -> Timing:
    """The timing of one lesson of the course."""
    return timing(entry.path, quiz_bank.load_bank(entry.id))


# --- navigation and headers ---------------------------------------------------------------------

def nav_line(lesson_id: str) -> str:
    """The navigation line a lesson should carry (below the NAV_MARK line): previous, map, next."""
    all_lessons = lessons()
    ids = [entry.id for entry in all_lessons]
    index = ids.index(lesson_id)
    start = all_lessons[0]
    parts = []
    if index > 0:
        prev = all_lessons[index - 1]
        parts.append(f"[← {prev.label}]({prev.file})")
    if lesson_id != START:
        parts.append(f"[Course map]({start.file}#Course-map)")
    if index + 1 < len(all_lessons):
        nxt = all_lessons[index + 1]
        parts.append(f"[{nxt.label} →]({nxt.file})")
    return " · ".join(parts)


def header_lines(entry: Lesson, time: Timing) -> dict[str, str]:
    """The generated parts of a lesson's first cell: title line, time line, objectives block."""
    objectives = "\n".join(f"- {text}" for _, text in entry.objectives)
    return {"title": f"# {entry.label}",
            "time": f"**Time:** {time.sentence()}",
            "objectives": f"**By the end you will be able to**\n{objectives}"}


def outline_markdown() -> str:
    """The course outline as a Markdown table, for the README (links relative to the repo)."""
    rows = ["| # | Lesson | On your own | Class discussion |", "| --- | --- | --- | --- |"]
    for entry in lessons():
        time = lesson_timing(entry)
        alone = f"{time.core} min" + (f" (+{time.optional} optional)" if time.optional else "")
        rows.append(f"| {entry.number:02d} | [{entry.title}](notebooks/{entry.file}) | {alone} | "
                    f"{time.discussion or '–'} min |".replace("– min", "–"))
    return "\n".join(rows)


def course_map_table() -> Rich:
    """The course map as a linked HTML table (plain text where HTML is not shown)."""
    all_lessons = lessons()
    timings = {entry.id: lesson_timing(entry) for entry in all_lessons}
    rows_html = "".join(
        f'<tr><td>{entry.number:02d}</td><td><a href="{esc(entry.file)}">{markup(entry.title)}</a></td>'
        f'<td style="white-space:nowrap">{timings[entry.id].core} min</td>'
        f"<td>{'<br>'.join(markup(text) for _, text in entry.objectives)}</td></tr>"
        for entry in all_lessons)
    html_text = ('<table class="course-map"><thead><tr><th>#</th><th>Lesson</th><th>Time</th>'
                 f"<th>By the end you will be able to</th></tr></thead><tbody>{rows_html}</tbody></table>")
    total = sum(t.core for t in timings.values())
    discussion = sum(t.discussion for t in timings.values())
    summary = (f"{len(all_lessons)} lessons: about {total} minutes on your own, and about "
               f"{discussion} minutes of class discussion if your teacher uses the prompts.")
    lines = [f"{entry.label} ({timings[entry.id].core} min) -> {entry.file}" for entry in all_lessons]
    return Rich(html_text + f"<p>{esc(summary)}</p>", "\n".join(lines + [summary]))
