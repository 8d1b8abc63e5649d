"""Write the previous / course map / next line into every notebook, and the README's outline.

    python tools/update_navigation.py           # rewrite the lines
    python tools/update_navigation.py --check   # exit 1 if any line is out of date
    python tools/update_navigation.py notebooks/05_missiles_ukraine.ipynb   # only this notebook

A notebook marks where the line goes with a Markdown line starting ``<!-- nav -->`` (in its first
cell and, if it likes, its last). Only Markdown cells change, so stored outputs stay valid. The
README's course outline sits between ``<!-- course-outline ... -->`` and ``<!-- /course-outline -->``.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from helpers.course import NAV_MARK, NOTEBOOKS_DIR, nav_line, outline_markdown  # noqa: E402

README = NOTEBOOKS_DIR.parent / "README.md"
OUTLINE = re.compile(r"(<!-- course-outline[^>]*-->\n).*?(\n<!-- /course-outline -->)", re.DOTALL)


def update_readme(check: bool) -> bool:
    """Bring the README's course outline up to date; return True if it was stale."""
    text = README.read_text(encoding="utf-8")
    if not OUTLINE.search(text):
        raise SystemExit("README.md has no <!-- course-outline --> … <!-- /course-outline --> block")
    new = OUTLINE.sub(lambda m: m.group(1) + outline_markdown() + m.group(2), text)
    if new != text and not check:
        README.write_text(new, encoding="utf-8")
    return new != text


def update(path: Path, check: bool) -> bool:
    """Bring one notebook's navigation lines up to date; return True if any was stale."""
    raw = path.read_text(encoding="utf-8")
    nb = json.loads(raw)
    expected = nav_line(path.stem)
    stale = False
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        lines = "".join(cell["source"]).split("\n")
        new = [expected if line.startswith(NAV_MARK) else line for line in lines]
        if new != lines:
            stale = True
            text = "\n".join(new)
            cell["source"] = [line + "\n" for line in text.split("\n")[:-1]] + [text.split("\n")[-1]]
    if stale and not check:
        path.write_text(json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return stale


def main(argv: list[str]) -> int:
    check = "--check" in argv
    chosen = [Path(a).resolve() for a in argv if a != "--check"]
    paths = chosen or sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    stale = [p.name for p in paths if update(p, check)]
    if not chosen and update_readme(check):
        stale.append("README.md (course outline)")
    for name in stale:
        print(f"{name}: navigation {'out of date' if check else 'updated'}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
