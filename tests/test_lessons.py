"""Every lesson has the course's shape and reads well: course.yml and its files, generated headers
(title, navigation, computed time, objectives) that render as links, the set-up cell, the sections,
a lesson file whose questions measure every objective, stored outputs a student can read in full,
and none of the course's internal words in what a student sees.

The notebooks are read as files; executing them is nbval's job (and test_notebooks_standalone's).
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from helpers import data
from helpers.lesson.course import NAV_MARK, lessons, read_course
from helpers.paths import NOTEBOOKS_DIR, QUIZ_DIR, REPO
from helpers.quiz import bank as quiz_bank

LESSONS = lessons()
IDS = [entry.id for entry in LESSONS]
PROVISION_LESSONS = [entry for entry in LESSONS if entry.provision]
FRAME = {"start-here", "background", "russian-reaction", "review"}
MIN_QUESTIONS = 7
MIN_TYPES = 3
MAX_MINUTES_ALONE = 55
SECTIONS = ("Key points", "Quiz")
PROVISION_SECTIONS = ("The provision", "Read the documents", "What Russia asked", "Background",
                      "The two positions", "After February 2022", "Discussion", "Key points", "Quiz")
START_SECTIONS = ("Course map", "How the quizzes work", "Your progress", "Key points")
# A number of three or more digits, or a date, typed into code is a fact that belongs in data/.
FACT_IN_CODE = re.compile(r"(?<![\w.])\d{3,}(?![\w])|\d{4}-\d{2}-\d{2}")
# The course's own words, which a student never needs to see (CONTRIBUTING.md).
INTERNAL_WORDS = re.compile(r"(?i:\bseed\b|stored copy|cleaned text|\(cleaned\)|the dataset records|"
                            r"FACTS\.md)|\bVERIFIED(?:-2ND)?\b|\bUNVERIFIED\b|\bPARTIAL\b|\bCONFLICT\b")
ROW_ID_IN_PROSE = re.compile(r"\b(?:E|Q|S|R|M|X)\d{2,3}\b")
TRUNCATED_CELL = re.compile(r"(?:\.\.\.|…)\s*</td>")
TRUNCATED_LINE = re.compile(r"\S\.\.\.\s*$", re.MULTILINE)


def cells(entry) -> list[dict]:
    return json.loads(entry.path.read_text(encoding="utf-8"))["cells"]


def source(cell: dict) -> str:
    return "".join(cell["source"])


def headings(entry) -> list[str]:
    found = []
    for cell in cells(entry):
        if cell["cell_type"] == "markdown":
            found += [m.group(1).strip() for m in re.finditer(r"^## (.+)$", source(cell), re.MULTILINE)]
    return [re.sub(r"\s*\(optional\)$", "", h, flags=re.IGNORECASE) for h in found]


def outputs_text(cell: dict) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append("".join(out.get("text", "")))
        for mime in ("text/plain", "text/html", "text/markdown"):
            parts.append("".join(out.get("data", {}).get(mime, "")))
    return "\n".join(parts)


def own_questions(lesson_id: str) -> list[quiz_bank.Question]:
    return [q for q in quiz_bank.load_bank(lesson_id).questions if q.lesson == lesson_id]


# --- course.yml and the files it names -----------------------------------------------------------

def test_course_yml_names_every_notebook_and_lesson_file_once() -> None:
    files = [entry["file"] for entry in read_course()]
    on_disk = sorted(p.name for p in NOTEBOOKS_DIR.glob("*.ipynb"))
    assert sorted(files) == on_disk, "every notebook is one line of course.yml, and only those"
    assert sorted(p.stem for p in QUIZ_DIR.glob("*.yaml")) == sorted(IDS), \
        "every lesson has data/quizzes/<id>.yaml, and there is no other lesson file"
    assert files == sorted(files), "the numbered file names follow the teaching order"
    for entry in read_course():
        assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*", entry["id"]), f"{entry['id']}: ids are lowercase words"


def test_every_provision_has_exactly_one_lesson() -> None:
    taught = Counter(entry.provision for entry in PROVISION_LESSONS)
    assert sorted(taught) == sorted(data.provisions()["provision_id"])
    assert set(taught.values()) == {1}


def test_generated_lines_are_current() -> None:
    """Titles, navigation, computed times, objectives and the README's outline are up to date."""
    result = subprocess.run([sys.executable, str(REPO / "tools" / "update_navigation.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("entry", LESSONS, ids=IDS)
def test_navigation_renders_as_links_that_exist(entry) -> None:
    """JupyterLab renders Markdown as CommonMark: a nav line must come out as real links."""
    marked = [cell for cell in cells(entry) if cell["cell_type"] == "markdown" and NAV_MARK in source(cell)]
    assert len(marked) == 2, f"{entry.file}: a nav line at the top and at the bottom"
    for cell in marked:
        rendered = MarkdownIt("commonmark").render(source(cell))
        targets = re.findall(r'<a href="([^"#]+)', rendered)
        assert targets, f"{entry.file}: the nav line does not render as links:\n{rendered[:300]}"
        assert all((NOTEBOOKS_DIR / t).is_file() for t in targets), targets


@pytest.mark.parametrize("entry", LESSONS, ids=IDS)
def test_header_has_time_and_three_to_six_objectives(entry) -> None:
    first = source(cells(entry)[0])
    minutes = re.search(r"\*\*Time:\*\* about (\d+) minutes on your own", first)
    assert minutes, f"{entry.file}: no computed time in the first cell"
    assert int(minutes.group(1)) <= MAX_MINUTES_ALONE, \
        f"{entry.file}: {minutes.group(1)} minutes alone; mark sections (optional) or split the lesson"
    assert 3 <= len(entry.objectives) <= 6, f"{entry.id}: {len(entry.objectives)} objectives"


@pytest.mark.parametrize("entry", LESSONS, ids=IDS)
def test_setup_cell_is_first_collapsed_and_names_the_lesson(entry) -> None:
    code = [c for c in cells(entry) if c["cell_type"] == "code"]
    first = code[0]
    assert "setup" in first["metadata"].get("tags", []), f"{entry.file}: first code cell is not tagged setup"
    assert first["metadata"].get("jupyter", {}).get("source_hidden"), f"{entry.file}: set-up not collapsed"
    assert f'setup("{entry.id}")' in source(first)
    assert "lesson.quiz()" in source(code[-1]), f"{entry.file}: the last code cell shows lesson.quiz()"
    for cell in code[1:]:
        assert not re.search(r"^\s*(def|class|import|from)\b", source(cell), re.MULTILINE), \
            f"{entry.file}: plumbing (imports, functions) belongs in the set-up cell or in helpers/"


@pytest.mark.parametrize("entry", LESSONS, ids=IDS)
def test_required_sections_in_order(entry) -> None:
    found = headings(entry)
    if entry.id == "start-here":
        required = START_SECTIONS
    elif entry.provision:
        required = PROVISION_SECTIONS
    elif entry.id in {"russian-reaction", "review"}:
        required = ("Discussion",) + SECTIONS
    else:
        required = SECTIONS
    in_order = [s for s in found if s in required]
    assert in_order == list(required), f"{entry.file}: needs {required} in order; it has {found}"


@pytest.mark.parametrize("entry", PROVISION_LESSONS, ids=[e.id for e in PROVISION_LESSONS])
def test_provision_lesson_reads_the_documents(entry) -> None:
    code = "\n".join(source(c) for c in cells(entry) if c["cell_type"] == "code")
    for call in ("provision.documents()", "provision.positions()", "provision.demands()", "lesson.discussion()"):
        assert call in code, f"{entry.file}: no {call}"


# --- the lesson file ------------------------------------------------------------------------------

@pytest.mark.parametrize("entry", LESSONS, ids=IDS)
def test_lesson_file_measures_every_objective(entry) -> None:
    bank = quiz_bank.load_bank(entry.id)   # raises QuizBankError naming file, question and field
    own = own_questions(entry.id)
    assert len(bank.questions) >= MIN_QUESTIONS, f"{entry.id}: only {len(bank.questions)} questions"
    assert len({q.type for q in own}) >= MIN_TYPES, f"{entry.id}: only the types {sorted({q.type for q in own})}"
    assert {q.objective for q in own} == {key for key, _ in bank.objectives}
    if entry.id != "start-here":
        assert 2 <= len(bank.discussion) <= 4, f"{entry.id}: 2 to 4 discussion prompts, each with marking"


@pytest.mark.parametrize("entry", PROVISION_LESSONS, ids=[e.id for e in PROVISION_LESSONS])
def test_provision_quiz_covers_its_provision(entry) -> None:
    own = own_questions(entry.id)
    covering = [q.id for q in own if q.provision_id == entry.provision]
    assert len(covering) >= len(own) // 2, f"{entry.id}: only {covering} name {entry.provision}"
    assert {q.type for q in own} & {"matching", "ordering"}, f"{entry.id}: no matching or ordering question"


def test_the_right_answer_is_not_given_away_by_its_length() -> None:
    """Test-wise students pick the longest option: it must not be right much more than by chance."""
    singles = [q for bank in quiz_bank.load_all().values() for q in bank.questions
               if q.type == "single" and q.lesson == bank.lesson]
    longest_right = [q.id for q in singles
                     if max(q.options, key=lambda o: len(o.text)).correct]
    chance = sum(1 / len(q.options) for q in singles)
    assert len(longest_right) <= max(chance * 1.5, 3), \
        f"{len(longest_right)} of {len(singles)} single-choice questions have the longest option right: {longest_right}"


def test_the_review_synthesises_with_its_own_questions() -> None:
    own = own_questions("review")
    assert len(own) >= 8, f"the review defines only {len(own)} questions of its own"
    reused = [q for q in quiz_bank.load_bank("review").questions if q.lesson != "review"]
    assert len(reused) <= len(own) // 2


def test_reused_questions_stand_on_their_own() -> None:
    for bank in quiz_bank.load_all().values():
        for q in bank.questions:
            if q.lesson != bank.lesson:
                text = " ".join([q.prompt, q.explanation or ""] + [o.text for o in q.options])
                assert not re.search(r"\bthis (lesson|notebook)\b", text, re.IGNORECASE), \
                    f"{q.id} is reused in {bank.lesson} but speaks of 'this lesson'"


def test_every_source_a_lesson_cites_says_how_far_to_trust_it() -> None:
    sources = data.sources().set_index("source_id")
    cited = {s for bank in quiz_bank.load_all().values() for q in bank.questions for s in q.sources}
    cited |= set(data.load("excerpts")["source_id"])
    for notebook_text in (e.path.read_text(encoding="utf-8") for e in LESSONS):
        cited |= set(re.findall(r'citation\("(S\d+[a-z]?)"\)', notebook_text))
    vocabulary = set(sources["reliability"].cat.categories) if hasattr(sources["reliability"], "cat") \
        else set(sources["reliability"])
    for source_id in cited:
        assert source_id in sources.index, source_id
        assert sources.loc[source_id, "reliability"] in vocabulary


# --- what a student sees ------------------------------------------------------------------------

@pytest.mark.parametrize("entry", LESSONS, ids=IDS)
def test_stored_outputs_are_complete_and_executed(entry) -> None:
    for index, cell in enumerate(cells(entry)):
        if cell["cell_type"] != "code":
            continue
        assert cell.get("execution_count"), \
            f"{entry.file}: not executed; run python tools/execute_notebooks.py notebooks/{entry.file}"
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", f"{entry.file}, cell {index}: stored error"
            assert output.get("name") != "stderr", f"{entry.file}, cell {index}: stored stderr output"
        html_text = "".join("".join(o.get("data", {}).get("text/html", "")) for o in cell.get("outputs", []))
        assert not TRUNCATED_CELL.search(html_text), f"{entry.file}, cell {index}: a table cell is cut short"
        plain = "".join("".join(o.get("data", {}).get("text/plain", "")) for o in cell.get("outputs", [])
                        if "text/html" in o.get("data", {}))
        assert not TRUNCATED_LINE.search(plain), f"{entry.file}, cell {index}: a table line is cut short"


@pytest.mark.parametrize("entry", LESSONS, ids=IDS)
def test_no_internal_words_in_what_a_student_sees(entry) -> None:
    for index, cell in enumerate(cells(entry)):
        text = source(cell) if cell["cell_type"] == "markdown" else outputs_text(cell)
        found = INTERNAL_WORDS.findall(text)
        assert not found, f"{entry.file}, cell {index}: {sorted(set(found))} (say it in a student's words)"
        if cell["cell_type"] == "markdown":
            prose = re.sub(r"`[^`]*`", "", source(cell))
            assert not ROW_ID_IN_PROSE.findall(prose), f"{entry.file}, cell {index}: row ids in prose"
    for q in own_questions(entry.id):
        shown = " ".join([q.prompt, q.explanation or "", q.feedback_true or "", q.feedback_false or ""]
                         + [o.text + " " + (o.feedback or "") for o in q.options] + list(q.items)
                         + [left + " " + right for left, right in q.pairs])
        assert not INTERNAL_WORDS.findall(shown), f"{q.id}: {INTERNAL_WORDS.findall(shown)}"


@pytest.mark.parametrize("entry", LESSONS, ids=IDS)
def test_no_facts_typed_into_code(entry) -> None:
    for index, cell in enumerate(cells(entry)):
        if cell["cell_type"] != "code":
            continue
        text = re.sub(r"#.*", "", source(cell))       # comments may explain
        found = FACT_IN_CODE.findall(text)
        assert not found, (f"{entry.file}, cell {index}: {found} typed into code; "
                           "take numbers and dates from the dataset")


# a date or a year in helpers' code (docstrings and comments may explain with examples)
DATE_IN_HELPERS = re.compile(r"(?<![\w./-])(?:1[89]|20)\d\d(?![\w])|\b\d{1,2} (?:January|February|March|April|May|"
                             r"June|July|August|September|October|November|December)\b")


def typed_dates(path: Path) -> list[tuple[int, str]]:
    """Years and dates in the code and string literals of one helpers module, with line numbers
    (docstrings, comments and URLs left out)."""
    import io
    import tokenize

    tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline))
    found = []
    for index, token in enumerate(tokens):
        # (Python 3.12 splits f-strings into parts; 3.11 keeps them one STRING token)
        if token.type not in (tokenize.NUMBER, tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", -1)):
            continue
        alone = index == 0 or tokens[index - 1].type in (tokenize.INDENT, tokenize.DEDENT, tokenize.NEWLINE, tokenize.NL)
        if token.type == tokenize.STRING and alone and tokens[index + 1].type == tokenize.NEWLINE:
            continue                                   # a docstring
        text = re.sub(r"https?://\S+", "", token.string)
        found += [(token.start[0], match) for match in DATE_IN_HELPERS.findall(text)]
    return found


def test_no_facts_typed_into_the_helpers() -> None:
    """Dates and years a student reads come from data/, in the helpers as in the lessons (the
    review found the Founding Act's date and NATO's 1949 membership typed into the chart code)."""
    found = [f"{path.relative_to(REPO)}:{line}: {text}" for path in sorted((REPO / "helpers").rglob("*.py"))
             for line, text in typed_dates(path)]
    assert not found, "typed into helpers/ (take them from data/):\n" + "\n".join(found)


def test_the_helpers_fact_check_finds_a_typed_date(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('"""Docstring: 27 May 1997 is fine here."""\n'
                      'LABEL = "cut-off of 27 May 1997"  # a comment: 1949\n'
                      'first = 1949\nurl = "http://www.w3.org/2000/svg"\nlabel = f"{x} in 2022"\n', encoding="utf-8")
    assert typed_dates(module) == [(2, "27 May"), (2, "1997"), (3, "1949"), (5, "2022")]


@pytest.mark.parametrize("entry", LESSONS, ids=IDS)
def test_no_bare_string_results(entry) -> None:
    """A cell ending in a string shows it in quotes, like code: print sentences instead."""
    for index, cell in enumerate(cells(entry)):
        for output in cell.get("outputs", []):
            text = "".join(output.get("data", {}).get("text/plain", ""))
            assert not re.fullmatch(r"'.*'|\".*\"", text.strip(), re.DOTALL), \
                f"{entry.file}, cell {index}: shows a quoted string; print() it"


@pytest.mark.parametrize("stem, words", [("01_background", ("Crimea", "2014")),
                                         ("04_open_door", ("Crimea", "2014")),
                                         ("05_missiles_ukraine", ("Crimea", "2014"))])
def test_2014_is_part_of_the_story(stem: str, words: tuple[str, ...]) -> None:
    entry = next(e for e in LESSONS if e.path.stem == stem)
    shown = "\n".join(source(c) if c["cell_type"] == "markdown" else outputs_text(c) for c in cells(entry))
    for word in words:
        assert word in shown, f"{entry.file} never mentions {word}"
