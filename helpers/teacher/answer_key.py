"""The teacher's answer key: per lesson its objectives and discussion prompts with their marking
guidance; per question its correct answer, the objective it measures, its explanation, every
source with how far it can be trusted, and its marking guidance.

    python -m helpers.teacher.answer_key                 # writes build/answer-key/answer_key.md and .html
    python -m helpers.teacher.answer_key some/folder     # or into another folder

The key is built from the lesson files, so it is never out of date, and it is written outside
the notebooks: students never see it unless a teacher hands it out. Every text from a lesson file
is HTML-escaped (then only ``*em*``, ``**strong**`` and ```code``` are rendered, as in the quizzes).
"""
from __future__ import annotations

import html
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from helpers.display.text import markup, md_prose
from helpers.paths import REPO
from helpers.quiz import bank as quiz_bank
from helpers.quiz import types
from helpers.quiz.bank import Bank, Question

DEFAULT_FOLDER = REPO / "build" / "answer-key"
INTRO = ("For teachers. Generated from the lesson files in `data/quizzes/`; do not hand it to "
         "students before they have answered. A determined student can read the answers in the "
         "lesson files: use the Moodle export for graded tests.")


def correct_answer(q: Question) -> list[str]:
    """The correct answer of a question as lines of plain text (its type's module says how)."""
    return list(types.get(q.type).correct_answer(q))


def type_name(q: Question) -> str:
    """The question's type as the key names it ("single choice", "select all that apply" …)."""
    return str(types.get(q.type).KEY_NAME)


@dataclass(frozen=True)
class Source:
    """A source as the key cites it."""

    id: str
    label: str
    url: str | None
    reliability: str | None


def _sources(banks: dict[str, Bank]) -> dict[str, Source]:
    """Every source the questions cite, looked up once per answer key."""
    from helpers import data

    table = data.sources()
    trust = dict(zip(table["source_id"], table["reliability"], strict=True)) if "reliability" in table else {}
    cited = dict.fromkeys(s for bank in banks.values() for q in bank.questions for s in q.sources)
    out = {}
    for sid in cited:
        label, url = quiz_bank.source_link(sid)
        reliability = trust.get(sid)
        out[sid] = Source(sid, label, url,
                          str(reliability) if isinstance(reliability, str) and reliability else None)
    return out


def _is_reused(q: Question, bank: Bank) -> bool:
    return q.lesson != bank.lesson


def _objective(q: Question, banks: dict[str, Bank]) -> tuple[str, str] | None:
    """The objective a question measures: (key, text) from its home lesson."""
    home = banks.get(q.lesson)
    if q.objective is None or home is None:
        return None
    return q.objective, dict(home.objectives).get(q.objective, "")


# --- Markdown -----------------------------------------------------------------------------------

def _md_source(source: Source) -> str:
    name = md_prose(source.label)
    link = f"[{name}]({source.url})" if source.url else name
    return link + (f" — *{md_prose(source.reliability)}*" if source.reliability else "")


def answer_key_markdown(folder: str | os.PathLike[str] | None = None) -> str:
    """The whole answer key as Markdown, grouped by lesson."""
    banks = quiz_bank.load_all(folder)
    sources = _sources(banks)
    lines = ["# Answer key", "", INTRO, ""]
    for bank in banks.values():
        lines += [f"## {md_prose(bank.lesson)}: {md_prose(bank.title)}", ""]
        if bank.objectives:
            lines += ["**Objectives** (by the end students will be able to):", ""]
            lines += [f"- `{key}`: {md_prose(text)}" for key, text in bank.objectives]
            lines.append("")
        if bank.discussion:
            lines += ["**Discussion prompts**", ""]
            for n, prompt in enumerate(bank.discussion, start=1):
                lines += [f"{n}. {md_prose(prompt.prompt)}",
                          f"   - *Marking:* {md_prose(prompt.marking)}"]
            lines.append("")
        lines += ["**Questions**", ""]
        for n, q in enumerate(bank.questions, start=1):
            if _is_reused(q, bank):
                lines += [f"{n}. `{q.id}` (reused from {q.lesson}; answer given there)", ""]
                continue
            lines.append(f"{n}. {md_prose(q.prompt)} *({type_name(q)}, `{q.id}`)*")
            lines.append("")
            lines += [f"   - **Answer:** {html.escape(line, quote=False)}" for line in correct_answer(q)]
            objective = _objective(q, banks)
            if objective:
                lines.append(f"   - Objective: `{objective[0]}`: {md_prose(objective[1])}")
            if q.explanation:
                lines.append(f"   - Explanation: {md_prose(q.explanation)}")
            if q.marking:
                lines.append(f"   - *Marking:* {md_prose(q.marking)}")
            word = "Source" if len(q.sources) == 1 else "Sources"
            lines.append(f"   - {word}: " + "; ".join(_md_source(sources[s]) for s in q.sources))
            lines.append("")
    return "\n".join(lines)


# --- HTML ---------------------------------------------------------------------------------------

def _html_source(source: Source) -> str:
    esc = html.escape
    name = esc(source.label)
    link = f'<a href="{esc(source.url, quote=True)}">{name}</a>' if source.url else name
    trust = f' <span class="reliability">({esc(source.reliability)})</span>' if source.reliability else ""
    return f"<li>{link}{trust}</li>"


def answer_key_html(folder: str | os.PathLike[str] | None = None) -> str:
    """The whole answer key as a standalone HTML page; all lesson-file text is escaped."""
    banks = quiz_bank.load_all(folder)
    sources = _sources(banks)
    esc = html.escape
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             "<title>Answer key</title>",
             "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.4}"
             ".answer{color:#1a5e20}.meta,.reliability{color:#555;font-size:.9em}"
             ".marking{background:#f4f4ec;padding:.2em .5em}</style></head><body>",
             "<h1>Answer key</h1>", f"<p>{markup(INTRO)}</p>"]
    for bank in banks.values():
        parts.append(f"<h2>{esc(bank.lesson)}: {markup(bank.title)}</h2>")
        if bank.objectives:
            items = "".join(f"<li><code>{esc(key)}</code>: {markup(text)}</li>"
                            for key, text in bank.objectives)
            parts.append(f"<h3>Objectives</h3><p>By the end students will be able to:</p><ul>{items}</ul>")
        if bank.discussion:
            items = "".join(f'<li><p>{markup(d.prompt)}</p><p class="marking"><em>Marking:</em> '
                            f"{markup(d.marking)}</p></li>" for d in bank.discussion)
            parts.append(f"<h3>Discussion prompts</h3><ol>{items}</ol>")
        parts.append("<h3>Questions</h3><ol>")
        for q in bank.questions:
            if _is_reused(q, bank):
                parts.append(f'<li><span class="meta">{esc(q.id)}: reused from {esc(q.lesson)}; '
                             "answer given there</span></li>")
                continue
            answers = "".join(f'<li class="answer">{esc(line)}</li>' for line in correct_answer(q))
            objective = _objective(q, banks)
            objective_html = (f'<p class="meta">Objective: <code>{esc(objective[0])}</code>: '
                              f"{markup(objective[1])}</p>" if objective else "")
            explanation = f"<p>{markup(q.explanation)}</p>" if q.explanation else ""
            marking = (f'<p class="marking"><em>Marking:</em> {markup(q.marking)}</p>'
                       if q.marking else "")
            word = "Source" if len(q.sources) == 1 else "Sources"
            cited = "".join(_html_source(sources[s]) for s in q.sources)
            parts.append(
                f"<li><p>{markup(q.prompt)} <span class=\"meta\">"
                f"({esc(type_name(q))}, {esc(q.id)})</span></p><ul>{answers}</ul>"
                f'{objective_html}{explanation}{marking}<p class="meta">{word}:</p><ul>{cited}</ul></li>')
        parts.append("</ol>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_answer_key(out_dir: str | os.PathLike[str] = DEFAULT_FOLDER,
                     folder: str | os.PathLike[str] | None = None) -> list[Path]:
    """Write ``answer_key.md`` and ``answer_key.html`` into ``out_dir``; return their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    md_path, html_path = out / "answer_key.md", out / "answer_key.html"
    md_path.write_text(answer_key_markdown(folder) + "\n", encoding="utf-8")
    html_path.write_text(answer_key_html(folder) + "\n", encoding="utf-8")
    return [md_path, html_path]


def main(argv: list[str]) -> int:
    """``python -m helpers.teacher.answer_key [OUT_FOLDER]``; a broken lesson file is reported
    as the problems the loader lists, without a traceback."""
    try:
        paths = write_answer_key(argv[0] if argv else DEFAULT_FOLDER)
    except quiz_bank.QuizBankError as error:
        print(f"The answer key was not written: {error}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
