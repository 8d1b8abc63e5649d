"""Teacher tools: the answer key, the GIFT and jupyterquiz exports, the class results.

The GIFT file is read back with an independent parser from PyPI (pygiftparser) and compared with
the quiz files question by question; the jupyterquiz files are checked against a JSON Schema of
jupyterquiz's format.
"""
from __future__ import annotations

import filecmp
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import jsonschema
import pytest
from pygiftparser import parser as gift_parser

from helpers.quiz import bank as quiz_bank
from helpers.teacher import answer_key, bank_export, class_results
from helpers.quiz.progress import ProgressStore

REPO = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((REPO / "tests" / "schemas" / "jupyterquiz.schema.json").read_text(encoding="utf-8"))
NASTY = "Costs {a} ~ b = c # d: e \\ f <script>alert(1)</script>"
# pygiftparser 1.1 ends a question's answer block at the first "}", escaped or not (Moodle does
# not), so inside the braces the round trip uses every special character but the braces; the
# escaping of braces is checked in the prompt and in test_gift_escape_handles_newlines_and_backslash.
NASTY_ANSWER = NASTY.replace("{", "(").replace("}", ")")


def own_questions(banks: dict[str, quiz_bank.Bank]) -> list[quiz_bank.Question]:
    return [q for bank in banks.values() for q in bank.questions if q.notebook == bank.notebook]


def unescape(text: str) -> str:
    """Undo GIFT escaping in what pygiftparser hands back (it keeps the backslashes)."""
    return re.sub(r"\\(.)", r"\1", text.replace("\\n", "\n"))


def parse_gift(text: str, tmp_path: Path) -> dict[str, object]:
    path = tmp_path / "bank.gift"
    path.write_text(text, encoding="utf-8")
    with path.open(encoding="utf-8") as handle:
        parsed = gift_parser.parseFile(handle)
    assert all(q.valid for q in parsed), [q.title for q in parsed if not q.valid]
    return {q.title: q for q in parsed}


@pytest.fixture
def nasty_folder(tmp_path: Path) -> Path:
    """A quiz file whose texts hold GIFT's special characters and HTML."""
    folder = tmp_path / "quizzes"
    folder.mkdir()
    (folder / "99_nasty.yaml").write_text(textwrap.dedent(f"""\
        notebook: 99_nasty
        title: Special characters
        questions:
          - id: nasty-single
            type: single
            prompt: '{NASTY}'
            options:
              - text: '{NASTY_ANSWER}'
                correct: true
                feedback: '{NASTY_ANSWER}'
              - text: plain wrong
                correct: false
            explanation: '{NASTY_ANSWER}'
            source_id: S32
          - id: nasty-matching
            type: matching
            prompt: 'Match: {{x}} = y'
            pairs:
              - left: 'a = 1'
                right: 'b # 2'
              - left: 'c ~ 3'
                right: 'd: 4'
            explanation: fine
            source_id: S32
        """), encoding="utf-8")
    return folder


# --- answer key ---------------------------------------------------------------------------------

def test_answer_key_lists_every_question_with_its_answer() -> None:
    banks = quiz_bank.load_all()
    key = answer_key.answer_key_markdown()
    for q in own_questions(banks):
        assert f"`{q.id}`" in key
        for line in answer_key.correct_answer(q):
            assert line in key, f"{q.id}: answer {line!r} missing from the key"
    for bank in banks.values():
        assert f"## {bank.notebook}: {bank.title}" in key


def test_answer_key_answers_are_the_graded_ones() -> None:
    banks = quiz_bank.load_all()
    for q in own_questions(banks):
        if q.type in ("single", "multiple"):
            for line in answer_key.correct_answer(q):
                assert quiz_bank.check(q, line if q.type == "single" else
                                       answer_key.correct_answer(q)).correct is True
        if q.type == "true_false":
            assert answer_key.correct_answer(q) == ["True" if q.answer else "False"]


def test_answer_key_html_escapes_quiz_text(nasty_folder: Path) -> None:
    page = answer_key.answer_key_html(nasty_folder)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_answer_key_command_writes_both_files(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "helpers.teacher.answer_key", str(tmp_path)], check=True,
                   cwd=tmp_path, capture_output=True)
    assert (tmp_path / "answer_key.md").read_text(encoding="utf-8").startswith("# Answer key")
    assert "<h1>Answer key</h1>" in (tmp_path / "answer_key.html").read_text(encoding="utf-8")


# --- GIFT ---------------------------------------------------------------------------------------

def test_gift_round_trip_through_an_independent_parser(tmp_path: Path) -> None:
    banks = quiz_bank.load_all()
    parsed = parse_gift(bank_export.to_gift(banks), tmp_path)
    exported = [q for q in own_questions(banks) if q.type not in bank_export.GIFT_SKIPPED]
    assert sorted(parsed) == sorted(q.id for q in exported)
    kinds = {"single": "SelectSet", "multiple": "MultipleChoicesSet", "true_false": "TrueFalseSet",
             "numeric": "NumericAnswerSet", "matching": "MatchingSet", "reflection": "Essay"}
    for q in exported:
        got = parsed[q.id]
        assert type(got.answers).__name__ == kinds[q.type], q.id
        assert unescape(got.text).startswith(q.prompt), q.id
        if q.explanation:
            assert unescape(got.generalFeedback).startswith(q.explanation), q.id
        if q.type in ("single", "multiple"):
            texts = [unescape(a.answer) for a in got.answers.answers]
            assert texts == [o.text for o in q.options], q.id
            credit = [a.fraction > 0 for a in got.answers.answers]
            assert credit == [o.correct for o in q.options], q.id
            if q.type == "multiple":
                assert sum(a.fraction for a in got.answers.answers if a.fraction > 0) == pytest.approx(100, abs=0.01)
            assert [unescape(a.feedback) for a in got.answers.answers] == [o.feedback or "" for o in q.options]
        elif q.type == "true_false":
            assert got.answers.answer is q.answer, q.id
            right_feedback = q.feedback_true if q.answer else q.feedback_false
            assert unescape(got.answers.feedbackCorrect) == (right_feedback or ""), q.id
        elif q.type == "numeric":
            [answer] = got.answers.answers
            if q.range is not None:
                assert (float(answer.mini), float(answer.maxi)) == q.range, q.id
            else:
                assert (answer.value, answer.tolerance) == (q.answer, q.tolerance), q.id
        elif q.type == "matching":
            pairs = [(unescape(a.question).strip(), unescape(a.answer).strip()) for a in got.answers.answers]
            assert pairs[:len(q.pairs)] == list(q.pairs), q.id
            assert [right for left, right in pairs[len(q.pairs):]] == list(q.distractors), q.id


def test_gift_skips_ordering_questions_by_name() -> None:
    banks = quiz_bank.load_all()
    gift = bank_export.to_gift(banks)
    for q in own_questions(banks):
        if q.type == "ordering":
            assert f"// skipped: {q.id} is an ordering question" in gift
            assert f"::{q.id}::" not in gift


def test_gift_escapes_special_characters(nasty_folder: Path, tmp_path: Path) -> None:
    banks = {"99_nasty": quiz_bank.load_bank("99_nasty", nasty_folder)}
    gift = bank_export.to_gift(banks)
    assert bank_export.gift_escape(NASTY) in gift
    parsed = parse_gift(gift, tmp_path)
    single = parsed["nasty-single"]
    assert unescape(single.text) == NASTY
    assert unescape(single.answers.answers[0].answer) == NASTY_ANSWER
    assert unescape(single.answers.answers[0].feedback) == NASTY_ANSWER
    assert unescape(single.generalFeedback).startswith(NASTY_ANSWER)
    pairs = [(unescape(a.question).strip(), unescape(a.answer).strip())
             for a in parsed["nasty-matching"].answers.answers]
    assert pairs == [("a = 1", "b # 2"), ("c ~ 3", "d: 4")]


def test_gift_escape_handles_newlines_and_backslash() -> None:
    assert bank_export.gift_escape("a\nb") == "a\\nb"
    assert bank_export.gift_escape("a\\b") == "a\\\\b"
    assert bank_export.gift_escape("{x}") == "\\{x\\}"


# --- jupyterquiz --------------------------------------------------------------------------------

def test_jupyterquiz_files_follow_its_schema(tmp_path: Path) -> None:
    written = bank_export.export_all(tmp_path)
    banks = quiz_bank.load_all()
    assert {p.stem for p in written[1:]} == set(banks)
    for path in written[1:]:
        questions = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.validate(questions, SCHEMA)
        own = [q for q in banks[path.stem].questions
               if q.notebook == path.stem and q.type in bank_export.JUPYTERQUIZ_TYPES]
        assert [item["question"].split(" (in ")[0] for item in questions] == \
               [q.prompt.split(" (in ")[0] for q in own]


def test_jupyterquiz_schema_rejects_a_broken_question() -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{"question": "x", "type": "multiple_choice", "answers": [{"answer": "a"}]}], SCHEMA)


def test_jupyterquiz_marks_the_right_answers() -> None:
    for bank in quiz_bank.load_all().values():
        for item, q in zip(bank_export.to_jupyterquiz(bank),
                           [q for q in bank.questions if q.notebook == bank.notebook
                            and q.type in bank_export.JUPYTERQUIZ_TYPES]):
            if q.type in ("single", "multiple"):
                assert [a["correct"] for a in item["answers"]] == [o.correct for o in q.options]
            elif q.type == "true_false":
                assert [a["correct"] for a in item["answers"]] == [q.answer is True, q.answer is False]
            else:
                low, high = item["answers"][0]["range"]
                assert quiz_bank.check(q, str(low)).correct and quiz_bank.check(q, str(high)).correct


# --- class results ------------------------------------------------------------------------------

def test_sample_class_is_synthetic_and_up_to_date(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(REPO / "tools" / "make_synthetic_class.py"), str(tmp_path)],
                   check=True, capture_output=True)
    shipped = class_results.SAMPLE_FOLDER
    names = sorted(p.name for p in shipped.glob("*.json"))
    assert names == sorted(p.name for p in tmp_path.glob("*.json"))
    match, mismatch, errors = filecmp.cmpfiles(shipped, tmp_path, names, shallow=False)
    assert not mismatch and not errors, \
        f"teacher/sample_class is stale ({mismatch}); run python tools/make_synthetic_class.py"
    for name in names:
        if name.startswith("synthetic-"):
            content = json.loads((shipped / name).read_text(encoding="utf-8"))
            assert content["synthetic"] is True and content["student"].startswith("Synthetic student")


def test_sample_class_loads_and_reports_the_broken_file() -> None:
    results = class_results.load_folder(class_results.SAMPLE_FOLDER)
    assert len(results.students) == 12
    assert results.problems == [p for p in results.problems if p.startswith("broken-example.json: ")]
    assert len(results.problems) == 1


def export_from_store(tmp_path: Path, name: str | None, answers: list[tuple[str, object, bool]]) -> Path:
    """A real export made by the progress store, as a student would make it."""
    store = ProgressStore(tmp_path / f"progress-{name}" / "progress.json")
    store.set_student(name)
    for question_id, answer, correct in answers:
        store.record("00_start_here", question_id, "true_false", answer, correct)
    return store.export_json(tmp_path / "class" / f"course-answers-{name}.json")


def test_summaries_first_try_counts_and_duplicates_count_once(tmp_path: Path) -> None:
    (tmp_path / "class").mkdir()
    export_from_store(tmp_path, "Ann", [("start-nato-members-2022", False, False),
                                        ("start-nato-members-2022", True, True)])
    bob = export_from_store(tmp_path, "Bob", [("start-nato-members-2022", True, True)])
    (tmp_path / "class" / "bob-again.json").write_bytes(bob.read_bytes())   # exported twice
    results = class_results.load_folder(tmp_path / "class")
    assert results.problems == []
    assert results.students == ["Ann", "Bob"]
    hard = class_results.hardest(results).set_index("question_id")
    assert hard.loc["start-nato-members-2022", "students"] == 2
    assert hard.loc["start-nato-members-2022", "share_right"] == 0.5
    wrong = class_results.wrong_answers(results).set_index("question_id")
    assert wrong.loc["start-nato-members-2022", "wrong_answer"] == "False"
    assert class_results.completion(results).loc["Ann", "00_start_here"].startswith("1/")


@pytest.mark.parametrize("content, expected", [
    (b"\xff\xfe not text", "not a text file in UTF-8"),
    (b'{"answers": []}', "not an answer export of this course"),
    (b'{"format": "us-nato-course-progress-export", "answers": 3}', "field answers: missing or not a list"),
    (b'{"format": "us-nato-course-progress-export", "answers": [{"id": "x"}]}', "answer 1: lacks the field(s)"),
    (b'[1, 2', "not valid JSON (line 1"),
])
def test_bad_export_is_named_and_others_still_load(tmp_path: Path, content: bytes, expected: str) -> None:
    (tmp_path / "class").mkdir()
    export_from_store(tmp_path, "Ann", [("start-nato-members-2022", True, True)])
    (tmp_path / "class" / "zoe.json").write_bytes(content)
    results = class_results.load_folder(tmp_path / "class")
    assert results.students == ["Ann"]
    [problem] = results.problems
    assert problem.startswith("zoe.json")
    assert expected in problem


def test_missing_folder_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="put the students' exported .json files"):
        class_results.load_folder(tmp_path / "nowhere")


def test_reflections_keep_the_last_version(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "p" / "progress.json")
    store.set_student("Ann")
    store.record("00_start_here", "start-first-impression", "reflection", "first draft", None)
    store.record("00_start_here", "start-first-impression", "reflection", "final text", None)
    store.export_json(tmp_path / "class.json")
    (tmp_path / "class").mkdir()
    (tmp_path / "class.json").rename(tmp_path / "class" / "ann.json")
    table = class_results.reflections(class_results.load_folder(tmp_path / "class"))
    assert list(table["text"]) == ["final text"]


def test_class_charts_render_and_are_kept_as_artifacts() -> None:
    """The class-results charts draw from the sample class; copies go to test-artifacts/."""
    results = class_results.load_folder(class_results.SAMPLE_FOLDER)
    out = REPO / "test-artifacts" / "class-results"
    out.mkdir(parents=True, exist_ok=True)
    for name, chart in (("hardest", class_results.hardest_chart(results)),
                        ("completion", class_results.completion_chart(results))):
        png = chart.png()
        assert png.startswith(b"\x89PNG")
        (out / f"{name}.png").write_bytes(png)
        print(f"chart: {(out / f'{name}.png').relative_to(REPO)}")
    hardest = class_results.hardest(results, 8, min_students=3)
    assert (hardest["students"] >= 3).all()
    assert str(class_results.hardest_chart(results)).startswith(f"Chart: The {len(hardest)} hardest questions")
