"""The teacher's answer key: every question, its correct answer, explanation and source.

    python -m helpers.teacher.answer_key                 # writes build/answer-key/answer_key.md and .html
    python -m helpers.teacher.answer_key some/folder     # or into another folder

The key is built from the quiz files, so it is never out of date, and it is written outside the
notebooks: students never see it unless a teacher hands it out.
"""
from __future__ import annotations

import html
import sys
from pathlib import Path

from helpers.paths import REPO
from helpers.quiz import bank as quiz_bank
from helpers.quiz.bank import Bank, Question

DEFAULT_FOLDER = REPO / "build" / "answer-key"
TYPE_NAMES = {
    "single": "single choice", "multiple": "select all that apply", "true_false": "true or false",
    "numeric": "number", "matching": "matching", "ordering": "ordering", "reflection": "reflection",
}


def correct_answer(q: Question) -> list[str]:
    """The correct answer of a question as lines of plain text (a reflection has none)."""
    if q.type in ("single", "multiple"):
        return [o.text for o in q.options if o.correct]
    if q.type == "true_false":
        return ["True" if q.answer else "False"]
    if q.type == "numeric":
        unit = f" {q.unit}" if q.unit else ""
        if q.range is not None:
            return [f"from {quiz_bank.format_number(q.range[0])} to "
                    f"{quiz_bank.format_number(q.range[1])}{unit}"]
        tolerance = f" (± {quiz_bank.format_number(q.tolerance)})" if q.tolerance else ""
        return [f"{quiz_bank.format_number(float(q.answer))}{unit}{tolerance}"]
    if q.type == "matching":
        return [f"{left} → {right}" for left, right in q.pairs]
    if q.type == "ordering":
        return [f"{n}. {item}" for n, item in enumerate(q.items, start=1)]
    return ["(not marked: any thoughtful answer"
            + (f" of at least {q.min_words} words" if q.min_words else "") + ")"]


def _source_links() -> dict[str, tuple[str, str]]:
    """Every source as ``{source_id: (label, url)}``, read once per answer key."""
    from helpers import data

    sources = data.sources()
    return {sid: (data.source_label(sid), str(url)) for sid, url in zip(sources["source_id"], sources["url"])}


def _is_reused(q: Question, bank: Bank) -> bool:
    return q.lesson != bank.lesson


def answer_key_markdown(folder: str | Path | None = None) -> str:
    """The whole answer key as Markdown, grouped by notebook."""
    banks = quiz_bank.load_all(folder)
    links = _source_links()
    lines = ["# Answer key", "",
             "For teachers. Generated from the quiz files in `data/quizzes/`; do not hand it to "
             "students before they have answered.", ""]
    for bank in banks.values():
        lines += [f"## {bank.lesson}: {bank.title}", ""]
        for n, q in enumerate(bank.questions, start=1):
            if _is_reused(q, bank):
                lines += [f"{n}. `{q.id}` (reused from {q.lesson}; answer given there)", ""]
                continue
            label, url = links[q.source_id]
            lines.append(f"{n}. {q.prompt} *({TYPE_NAMES[q.type]}, `{q.id}`)*")
            lines.append("")
            lines += [f"   - **Answer:** {line}" for line in correct_answer(q)]
            if q.explanation:
                lines.append(f"   - Explanation: {q.explanation}")
            lines.append(f"   - Source: [{label}]({url})")
            lines.append("")
    return "\n".join(lines)


def answer_key_html(folder: str | Path | None = None) -> str:
    """The whole answer key as a standalone HTML page; all quiz text is escaped (then only
    ``*em*``, ``**strong**`` and ```code``` are rendered, as in the quizzes)."""
    from helpers.display.text import markup

    banks = quiz_bank.load_all(folder)
    links = _source_links()
    esc = html.escape
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             "<title>Answer key</title>",
             "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.4}"
             ".answer{color:#1a5e20}.meta{color:#555;font-size:.9em}</style></head><body>",
             "<h1>Answer key</h1>",
             "<p>For teachers. Generated from the quiz files in <code>data/quizzes/</code>.</p>"]
    for bank in banks.values():
        parts.append(f"<h2>{esc(bank.lesson)}: {esc(bank.title)}</h2><ol>")
        for q in bank.questions:
            if _is_reused(q, bank):
                parts.append(f'<li><span class="meta">{esc(q.id)}: reused from {esc(q.lesson)}; '
                             "answer given there</span></li>")
                continue
            label, url = links[q.source_id]
            answers = "".join(f'<li class="answer">{esc(line)}</li>' for line in correct_answer(q))
            explanation = f"<p>{markup(q.explanation)}</p>" if q.explanation else ""
            parts.append(
                f"<li><p>{markup(q.prompt)} <span class=\"meta\">"
                f"({esc(TYPE_NAMES[q.type])}, {esc(q.id)})</span></p><ul>{answers}</ul>"
                f'{explanation}<p class="meta">Source: <a href="{esc(url)}">{esc(label)}</a></p></li>')
        parts.append("</ol>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_answer_key(out_dir: str | Path = DEFAULT_FOLDER, folder: str | Path | None = None) -> list[Path]:
    """Write ``answer_key.md`` and ``answer_key.html`` into ``out_dir``; return their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    md_path, html_path = out / "answer_key.md", out / "answer_key.html"
    md_path.write_text(answer_key_markdown(folder) + "\n", encoding="utf-8")
    html_path.write_text(answer_key_html(folder) + "\n", encoding="utf-8")
    return [md_path, html_path]


def main(argv: list[str]) -> int:
    paths = write_answer_key(argv[0] if argv else DEFAULT_FOLDER)
    for path in paths:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
