"""The question bank: the shipped quiz files, the schema and its messages, shuffling, grading."""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from helpers.quiz.types.base import shuffled
from helpers.quiz import bank as quiz_bank
from helpers.quiz.bank import QuizBankError, check, parse_number

REPO = Path(__file__).resolve().parent.parent
QUIZ_DIR = REPO / "data" / "quizzes"
SHIPPED = sorted(QUIZ_DIR.glob("*.yaml"))


@pytest.fixture
def bank_dir(tmp_path: Path, mini_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty ``data/quizzes`` folder in a fake repository root, so messages read as shipped."""
    monkeypatch.setenv("COURSE_DATA_DIR", str(mini_data_dir))
    monkeypatch.setattr(quiz_bank, "REPO", tmp_path)
    folder = tmp_path / "data" / "quizzes"
    folder.mkdir(parents=True)
    return folder


def write(folder: Path, name: str, body: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return path


def bank_text(notebook: str, questions: str, title: str = "Test quiz") -> str:
    return (f"notebook: {notebook}\ntitle: {title}\nquestions:\n"
            + textwrap.indent(textwrap.dedent(questions).strip("\n"), "  ") + "\n")


SINGLE = """\
- id: tomahawk-1
  type: single
  prompt: Which sites?
  options:
    - text: Aegis Ashore sites
      correct: true
    - text: Bases in Spain
      correct: false
  explanation: The Aegis Ashore sites.
  source_id: S52
"""


def problems_of(folder: Path, name: str) -> list[str]:
    with pytest.raises(QuizBankError) as info:
        quiz_bank.load_bank(name, folder)
    assert isinstance(info.value, ValueError)
    return info.value.problems


# --- schema 2: objectives, several sources, marking, discussion -------------------------------

LESSON_V2 = """\
schema: 2
lesson: tomahawk
title: Aegis Ashore and the Tomahawk question
objectives:
  read-texts: read what each text commits to
  weigh-reasons: give each side's stated reasons
discussion:
  - prompt: Why did the launchers matter to Russia?
    marking: Names Russia's claim about the launchers and the US reply, each attributed.
questions:
  - id: tomahawk-1
    type: single
    objective: read-texts
    sources: [S52, S53]
    prompt: Which sites?
    options:
      - text: Aegis Ashore sites
        correct: true
      - text: Bases in Spain
        correct: false
    explanation: The Aegis Ashore sites.
  - id: tomahawk-2
    type: reflection
    objective: weigh-reasons
    sources: [S52]
    prompt: What reasons did each side give?
    marking: Gives Russia's stated reason and the US stated purpose, attributed.
"""


def test_a_schema_2_lesson_file_loads_with_everything(bank_dir: Path) -> None:
    write(bank_dir, "tomahawk", LESSON_V2)
    bank = quiz_bank.load_bank("tomahawk", bank_dir)
    assert bank.lesson == "tomahawk" and bank.schema == 2
    assert [key for key, _ in bank.objectives] == ["read-texts", "weigh-reasons"]
    assert bank.discussion[0].marking.startswith("Names Russia's claim")
    first, second = bank.questions
    assert first.sources == ("S52", "S53") and first.source_id == "S52"
    assert first.objective == "read-texts" and second.marking.startswith("Gives Russia's")


@pytest.mark.parametrize("change, expected", [
    (("objective: read-texts\n    sources: [S52, S53]", "sources: [S52, S53]"),
     "data/quizzes/tomahawk.yaml, question tomahawk-1, field objective: required text is missing"),
    (("objective: read-texts", "objective: read-text"),
     "data/quizzes/tomahawk.yaml, question tomahawk-1, field objective: 'read-text' is not one of this "
     "lesson's objectives (did you mean 'read-texts'?); they are: read-texts, weigh-reasons"),
    (("sources: [S52, S53]", "sources: [S52, S999]"),
     "data/quizzes/tomahawk.yaml, question tomahawk-1, field sources: 'S999' is not a source_id in "
     "sources.csv"),
    (("sources: [S52, S53]", "sources: []"),
     "data/quizzes/tomahawk.yaml, question tomahawk-1, field sources: must be source ids from "
     "sources.csv, e.g. [S12, S68]"),
    (("    marking: Gives Russia's stated reason and the US stated purpose, attributed.\n", ""),
     "data/quizzes/tomahawk.yaml, question tomahawk-2, field marking: required text is missing"),
    (("    marking: Names Russia's claim about the launchers and the US reply, each attributed.\n", ""),
     "data/quizzes/tomahawk.yaml, discussion #1, field marking: required text is missing"),
    (("    objective: weigh-reasons\n", "    objective: read-texts\n"),
     "data/quizzes/tomahawk.yaml, field objectives: objective 'weigh-reasons' is measured by no "
     "question of this file (give one question 'objective: weigh-reasons')"),
    (("lesson: tomahawk", "lesson: aegis"),
     "data/quizzes/tomahawk.yaml, field lesson: 'aegis' does not match the file name (expected "
     "'tomahawk')"),
], ids=["objective-missing", "objective-typo", "unknown-source", "empty-sources", "reflection-marking",
        "discussion-marking", "objective-unmeasured", "lesson-name"])
def test_schema_2_problems_name_file_question_and_field(bank_dir: Path, change: tuple[str, str],
                                                       expected: str) -> None:
    old, new = change
    assert old in LESSON_V2
    write(bank_dir, "tomahawk", LESSON_V2.replace(old, new, 1))
    problems = problems_of(bank_dir, "tomahawk")
    assert any(p.startswith(expected) for p in problems), problems


def test_a_schema_2_file_without_objectives_says_what_to_add(bank_dir: Path) -> None:
    text = LESSON_V2.replace("objectives:\n  read-texts: read what each text commits to\n"
                             "  weigh-reasons: give each side's stated reasons\n", "")
    write(bank_dir, "tomahawk", text)
    assert any("field objectives: required" in p for p in problems_of(bank_dir, "tomahawk"))


def test_an_old_schema_1_file_still_loads(bank_dir: Path) -> None:
    """A teacher's file written before schema 2 (notebook:, one source_id) keeps working."""
    write(bank_dir, "05_tomahawk", bank_text("05_tomahawk", SINGLE))
    bank = quiz_bank.load_bank("05_tomahawk", bank_dir)
    assert bank.schema == 1 and bank.questions[0].sources == ("S52",)


# --- broken files: one exact message each -------------------------------------------------------

BROKEN = [
    ("no-correct", """\
- id: tomahawk-2
  type: single
  prompt: Which sites?
  options:
    - {text: Romania and Poland, correct: false}
    - {text: Spain, correct: false}
  explanation: x
  source_id: S52
""", "data/quizzes/05_tomahawk.yaml, question tomahawk-2, field options: no option is marked "
     "correct"),
    ("two-correct", """\
- id: tomahawk-2
  type: single
  prompt: Which sites?
  options:
    - {text: Romania, correct: true}
    - {text: Poland, correct: true}
  explanation: x
  source_id: S52
""", "data/quizzes/05_tomahawk.yaml, question tomahawk-2, field options: 2 options are marked "
     "correct; a single question needs exactly one (use type multiple for several)"),
    ("missing-id", SINGLE + """\
- type: true_false
  prompt: Redzikowo was operational in January 2022.
  answer: false
  explanation: It was not.
  source_id: S77
""", "data/quizzes/05_tomahawk.yaml, question #2, field id: required; give the question a "
     "unique lowercase id like 'open-door-1'"),
    ("typo", """\
- id: tomahawk-3
  type: true_false
  prompt: Redzikowo was operational in January 2022.
  answer: false
  explaination: It was not.
  source_id: S77
""", "data/quizzes/05_tomahawk.yaml, question tomahawk-3, field explaination: unknown field "
     "(did you mean 'explanation'?)"),
    ("bad-type", """\
- id: tomahawk-3
  type: singel
  prompt: Which?
  explanation: x
  source_id: S52
""", "data/quizzes/05_tomahawk.yaml, question tomahawk-3, field type: 'singel' is not a "
     "question type (did you mean 'single'?); the types are: single, multiple, true_false, "
     "numeric, matching, ordering, reflection"),
    ("unknown-source", """\
- id: tomahawk-3
  type: true_false
  prompt: Redzikowo was operational in January 2022.
  answer: false
  explanation: It was not.
  source_id: S999
""", "data/quizzes/05_tomahawk.yaml, question tomahawk-3, field source_id: 'S999' is not a "
     "source_id in sources.csv (did you mean 'S99'?)"),
    ("unknown-provision", """\
- id: tomahawk-3
  type: true_false
  prompt: Redzikowo was operational in January 2022.
  answer: false
  explanation: It was not.
  source_id: S77
  provision_id: P11
""", "data/quizzes/05_tomahawk.yaml, question tomahawk-3, field provision_id: 'P11' is not a "
     "provision_id in provisions.csv (they are P01, P02, P03, P04, P05, P06, P07, P08, P09, P10)"),
    ("quoted-boolean", """\
- id: tomahawk-3
  type: true_false
  prompt: Redzikowo was operational in January 2022.
  answer: "no"
  explanation: It was not.
  source_id: S77
""", "data/quizzes/05_tomahawk.yaml, question tomahawk-3, field answer: must be true or false "
     "(without quotes)"),
    ("numeric-both", """\
- id: tomahawk-4
  type: numeric
  prompt: How many Russian bases?
  answer: 2
  range: [1, 3]
  explanation: Two.
  source_id: S52
""", "data/quizzes/05_tomahawk.yaml, question tomahawk-4, field answer: give either answer "
     "(with an optional tolerance) or range: [min, max]"),
    ("negative-tolerance", """\
- id: tomahawk-4
  type: numeric
  prompt: How many Russian bases?
  answer: 2
  tolerance: -1
  explanation: Two.
  source_id: S52
""", "data/quizzes/05_tomahawk.yaml, question tomahawk-4, field tolerance: must be a number of "
     "at least 0"),
    ("range-reversed", """\
- id: tomahawk-4
  type: numeric
  prompt: How many troops on alert?
  range: [9000, 8000]
  explanation: About 8,500.
  source_id: S26
""", "data/quizzes/05_tomahawk.yaml, question tomahawk-4, field range: min 9,000 is larger "
     "than max 8,000"),
    ("one-pair", """\
- id: tomahawk-5
  type: matching
  prompt: Match.
  pairs:
    - {left: Deveselu, right: Romania}
  explanation: x
  source_id: S74
""", "data/quizzes/05_tomahawk.yaml, question tomahawk-5, field pairs: a list of at least 2 "
     "pairs is required, each {left: ..., right: ...}"),
    ("two-items", """\
- id: tomahawk-6
  type: ordering
  prompt: Order.
  items: [Deveselu operational, Redzikowo operational]
  explanation: x
  source_id: S74
""", "data/quizzes/05_tomahawk.yaml, question tomahawk-6, field items: a list of at least 3 "
     "items is required, in the correct order"),
    ("duplicate-id", SINGLE + SINGLE,
     "data/quizzes/05_tomahawk.yaml, question tomahawk-1, field id: 'tomahawk-1' is used twice "
     "in this file (questions #1 and #2)"),
    ("field-of-other-type", """\
- id: tomahawk-4
  type: numeric
  prompt: How many Russian bases?
  answer: 2
  options: [a, b]
  explanation: Two.
  source_id: S52
""", "data/quizzes/05_tomahawk.yaml, question tomahawk-4, field options: unknown field for "
     "type numeric (it belongs to type single or multiple)"),
    ("bad-slug", """\
- id: Tomahawk 7
  type: true_false
  prompt: x
  answer: true
  explanation: x
  source_id: S52
""", "data/quizzes/05_tomahawk.yaml, question Tomahawk 7, field id: 'Tomahawk 7' is not a "
     "lowercase slug (letters a-z, digits and single hyphens, e.g. 'open-door-1')"),
    ("missing-explanation", """\
- id: tomahawk-8
  type: true_false
  prompt: x
  answer: true
  source_id: S52
""", "data/quizzes/05_tomahawk.yaml, question tomahawk-8, field explanation: required text is "
     "missing"),
    ("multiple-none-correct", """\
- id: tomahawk-9
  type: multiple
  prompt: Which?
  options:
    - {text: a, correct: false}
    - {text: b, correct: false}
  explanation: x
  source_id: S52
""", "data/quizzes/05_tomahawk.yaml, question tomahawk-9, field options: no option is marked "
     "correct"),
    ("option-without-correct", """\
- id: tomahawk-9
  type: single
  prompt: Which?
  options:
    - {text: a, correct: true}
    - {text: b}
  explanation: x
  source_id: S52
""", "data/quizzes/05_tomahawk.yaml, question tomahawk-9, field options: option 2 needs "
     "'correct: true' or 'correct: false'"),
    ("unknown-ref", """\
- ref: tomahawk-99
""", "data/quizzes/05_tomahawk.yaml, question #1, field ref: no other quiz file defines a "
     "question with id 'tomahawk-99'"),
    ("reflection-min-words", """\
- id: tomahawk-10
  type: reflection
  prompt: Your view?
  min_words: 0
  source_id: S52
""", "data/quizzes/05_tomahawk.yaml, question tomahawk-10, field min_words: must be a whole "
     "number of at least 1"),
]


@pytest.mark.parametrize("questions, expected", [b[1:] for b in BROKEN],
                         ids=[b[0] for b in BROKEN])
def test_broken_question_gives_the_exact_message(bank_dir: Path, questions: str,
                                                 expected: str) -> None:
    write(bank_dir, "05_tomahawk", bank_text("05_tomahawk", questions))
    problems = problems_of(bank_dir, "05_tomahawk")
    assert problems == [expected]
    with pytest.raises(QuizBankError, match="^" + re.escape(expected) + "$"):
        quiz_bank.load_bank("05_tomahawk", bank_dir)


def test_yaml_syntax_error_names_file_and_line(bank_dir: Path) -> None:
    write(bank_dir, "05_tomahawk", """\
        notebook: 05_tomahawk
        title: Tomahawks
        questions:
          - id: tomahawk-1
            type: single
            prompt: "unclosed quote
            source_id: S52
        """)
    [problem] = problems_of(bank_dir, "05_tomahawk")
    assert problem.startswith("data/quizzes/05_tomahawk.yaml, line ")
    line = int(problem.split("line ")[1].split(":")[0])
    assert line in (6, 7, 8)
    assert "YAML syntax error" in problem


def test_a_key_given_twice_is_a_yaml_error_with_its_line(bank_dir: Path) -> None:
    write(bank_dir, "05_tomahawk", bank_text("05_tomahawk", SINGLE.replace(
        "  explanation: The Aegis Ashore sites.\n",
        "  explanation: The Aegis Ashore sites.\n  prompt: Again?\n")))
    [problem] = problems_of(bank_dir, "05_tomahawk")
    assert problem == ("data/quizzes/05_tomahawk.yaml, line 13: YAML syntax error: "
                       "the key 'prompt' appears twice in the same block")


def test_all_problems_of_a_file_come_in_one_error(bank_dir: Path) -> None:
    write(bank_dir, "05_tomahawk", """\
        notebook: 05_tomahawc
        titel: Tomahawks
        questions:
          - id: tomahawk-1
            type: true_false
            prompt: x
            answer: maybe
            source_id: S999
          - not a mapping
        """)
    with pytest.raises(QuizBankError) as info:
        quiz_bank.load_bank("05_tomahawk", bank_dir)
    label = "data/quizzes/05_tomahawk.yaml"
    assert info.value.problems == [
        f"{label}, field titel: unknown field (did you mean 'title'?)",
        f"{label}, field notebook: '05_tomahawc' does not match the file name "
        "(expected '05_tomahawk')",
        f"{label}, field title: required text is missing",
        f"{label}, question tomahawk-1, field explanation: required text is missing",
        f"{label}, question tomahawk-1, field source_id: 'S999' is not a source_id in "
        "sources.csv (did you mean 'S99'?)",
        f"{label}, question tomahawk-1, field answer: must be true or false (without quotes)",
        f"{label}, question #2: each question must be a mapping of fields (id, type, prompt, ...)",
    ]
    assert str(info.value).startswith("7 problems in the quiz files:\n  ")


def test_empty_file_and_missing_questions(bank_dir: Path) -> None:
    write(bank_dir, "05_tomahawk", "")
    assert problems_of(bank_dir, "05_tomahawk") == [
        "data/quizzes/05_tomahawk.yaml: the file is empty; it needs notebook, title and questions"]
    write(bank_dir, "05_tomahawk", "notebook: 05_tomahawk\ntitle: T\nquestions: []\n")
    assert problems_of(bank_dir, "05_tomahawk") == [
        "data/quizzes/05_tomahawk.yaml, field questions: a list of at least one question is "
        "required"]


def test_ids_must_be_unique_across_files(bank_dir: Path) -> None:
    write(bank_dir, "04_missiles", bank_text("04_missiles", SINGLE))
    write(bank_dir, "05_tomahawk", bank_text("05_tomahawk", SINGLE))
    assert problems_of(bank_dir, "05_tomahawk") == [
        "data/quizzes/05_tomahawk.yaml, question tomahawk-1, field id: 'tomahawk-1' is already "
        "used in data/quizzes/04_missiles.yaml; ids must be unique across all quiz files "
        "(use {ref: tomahawk-1} to reuse a question)"]
    with pytest.raises(QuizBankError) as info:
        quiz_bank.load_all(bank_dir)
    assert len(info.value.problems) == 2   # each file names the other


def test_unknown_notebook_says_which_files_exist(bank_dir: Path) -> None:
    write(bank_dir, "05_tomahawk", bank_text("05_tomahawk", SINGLE))
    with pytest.raises(FileNotFoundError, match="did you mean '05_tomahawk'"):
        quiz_bank.load_bank("05_tomahawc", bank_dir)


def test_display_path_is_relative_to_the_repository() -> None:
    assert quiz_bank.display_path(REPO / "data" / "quizzes" / "05_tomahawk.yaml") == \
        "data/quizzes/05_tomahawk.yaml"
    outside = Path("/nonexistent/elsewhere/x.yaml")
    assert quiz_bank.display_path(outside) == str(outside)


# --- refs ---------------------------------------------------------------------------------------

def test_ref_reuses_a_question_from_another_file(bank_dir: Path) -> None:
    write(bank_dir, "05_tomahawk", bank_text("05_tomahawk", SINGLE))
    write(bank_dir, "13_review", bank_text("13_review", "- ref: tomahawk-1\n"))
    review = quiz_bank.load_bank("13_review", bank_dir)
    original = quiz_bank.load_bank("05_tomahawk", bank_dir).questions[0]
    assert review.questions == (original,)
    assert review.questions[0].lesson == "05_tomahawk"
    assert set(quiz_bank.load_all(bank_dir)) == {"05_tomahawk", "13_review"}


def test_ref_with_a_typo_gets_a_hint(bank_dir: Path) -> None:
    write(bank_dir, "05_tomahawk", bank_text("05_tomahawk", SINGLE))
    write(bank_dir, "13_review", bank_text("13_review", "- ref: tomahawk-l\n"))
    assert problems_of(bank_dir, "13_review") == [
        "data/quizzes/13_review.yaml, question #1, field ref: no other quiz file defines a "
        "question with id 'tomahawk-l' (did you mean 'tomahawk-1'?)"]


def test_ref_takes_no_other_fields(bank_dir: Path) -> None:
    write(bank_dir, "05_tomahawk", bank_text("05_tomahawk", SINGLE))
    write(bank_dir, "13_review", bank_text("13_review", "- {ref: tomahawk-1, prompt: x}\n"))
    assert problems_of(bank_dir, "13_review") == [
        "data/quizzes/13_review.yaml, question #1, field prompt: a ref entry takes no other "
        "fields (edit the question in the file that defines it)"]


def test_find_question_and_env_var_folder(bank_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(bank_dir, "05_tomahawk", bank_text("05_tomahawk", SINGLE))
    monkeypatch.setenv("COURSE_QUIZ_DIR", str(bank_dir))
    assert quiz_bank.quiz_dir() == bank_dir.resolve()
    assert quiz_bank.find_question("tomahawk-1").lesson == "05_tomahawk"
    assert quiz_bank.load_bank("05_tomahawk").title == "Test quiz"
    with pytest.raises(KeyError, match="did you mean 'tomahawk-1'"):
        quiz_bank.find_question("tomahawk-2")


def test_an_edited_file_is_read_again(bank_dir: Path) -> None:
    path = write(bank_dir, "05_tomahawk", bank_text("05_tomahawk", SINGLE))
    assert quiz_bank.load_bank("05_tomahawk", bank_dir).title == "Test quiz"
    path.write_text(bank_text("05_tomahawk", SINGLE, title="Changed title!"), encoding="utf-8")
    assert quiz_bank.load_bank("05_tomahawk", bank_dir).title == "Changed title!"


# --- shuffling ----------------------------------------------------------------------------------

def _question(**fields: object) -> quiz_bank.Question:
    base = dict(id="q-1", type="single", prompt="p", explanation="e", sources=("S01",),
                lesson="nb")
    base.update(fields)
    return quiz_bank.Question(**base)  # type: ignore[arg-type]


def test_options_are_shuffled_by_question_id() -> None:
    """The same question shows the same order every time; another question shuffles apart."""
    options = tuple(quiz_bank.Option(t, t == "a") for t in "abcdefgh")
    q = _question(options=options)
    assert sorted(o.text for o in q.shuffled_options()) == list("abcdefgh")
    assert q.shuffled_options() == _question(options=options).shuffled_options()
    others = {tuple(o.text for o in _question(id=f"q-{n}", options=options).shuffled_options())
              for n in range(2, 12)}
    assert len(others) > 5


def test_ordering_is_never_shown_in_the_correct_order() -> None:
    """Even for an id whose seeded shuffle happens to give the correct order, the items are
    shown in another order (the first one moved to the end)."""
    items = ("first", "second", "third")
    unlucky = next(f"order-{n}" for n in range(1000)
                   if shuffled(items, f"order-{n}") == list(items))
    q = _question(id=unlucky, type="ordering", items=items)
    assert q.display_items() == ["second", "third", "first"]
    lucky = next(f"order-{n}" for n in range(1000)
                 if shuffled(items, f"order-{n}") != list(items))
    assert _question(id=lucky, type="ordering", items=items).display_items() == \
        shuffled(items, lucky)


def test_matching_offers_every_right_side_and_the_distractors() -> None:
    q = _question(type="matching", pairs=(("a", "1"), ("b", "2"), ("c", "3")),
                  distractors=("4",))
    assert sorted(q.right_choices()) == ["1", "2", "3", "4"]
    assert q.right_choices() == _question(type="matching", pairs=q.pairs,
                                          distractors=q.distractors).right_choices()


# --- grading ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("1550", 1550), ("1,550", 1550), (" 1 550 ", 1550), ("1550.0", 1550), ("-2.5", -2.5),
    ("1,550 warheads", 1550), ("12,345,678", 12345678), (".5", 0.5), ("\u22123", -3),
])
def test_parse_number_accepts_common_forms(text: str, value: float) -> None:
    assert parse_number(text, unit="warheads") == value


@pytest.mark.parametrize("text", ["abc", "1,55", "1.550,0", "15 50", "1e3", "--1", ""])
def test_parse_number_rejects_with_a_clear_message(text: str) -> None:
    with pytest.raises(ValueError, match="is not a number I can read"):
        parse_number(text)


def test_check_single_and_multiple() -> None:
    options = (quiz_bank.Option("a", True, "Yes, a."), quiz_bank.Option("b", False, "Not b."),
               quiz_bank.Option("c", True))
    single = _question(options=options[:2])
    assert check(single, None).outcome == "incomplete"
    assert check(single, "a").correct is True
    wrong = check(single, "b")
    assert (wrong.correct, wrong.answer, wrong.details) == (False, "b", ("You chose “b”: Not b.",))
    multi = _question(type="multiple", options=options)
    assert check(multi, []).outcome == "incomplete"
    assert check(multi, ["c", "a"]).correct is True
    assert check(multi, ["c", "a"]).answer == ["a", "c"]
    partial = check(multi, ["a", "b"])
    assert partial.correct is False
    assert "You ticked 1 of the 2 answers that apply and 1 that do not." in partial.details
    assert "Not ticked, but it applies: “c”." in partial.details     # names what was missed
    assert "Ticked, but it does not apply: “b”." in partial.details


def test_check_numeric_tolerance_and_range() -> None:
    exact = _question(type="numeric", answer=1550.0, tolerance=0.0, unit="warheads")
    assert check(exact, "1,550").correct is True
    assert check(exact, "1,551").correct is False
    assert check(exact, "1,550").answer == 1550
    assert check(exact, "").outcome == "incomplete"
    assert check(exact, "many").outcome == "incomplete"
    loose = _question(type="numeric", answer=8500.0, tolerance=500.0)
    assert check(loose, "9000").correct is True and check(loose, "9001").correct is False
    ranged = _question(type="numeric", range=(8000.0, 9000.0))
    assert check(ranged, "8000").correct is True and check(ranged, "7999").correct is False


def test_check_matching_ordering_reflection() -> None:
    match = _question(type="matching", pairs=(("SSD", "Geneva"), ("NRC", "Brussels")))
    assert check(match, {"SSD": "Geneva", "NRC": None}).outcome == "incomplete"
    assert check(match, {"SSD": "Geneva", "NRC": "Brussels"}).correct is True
    wrong = check(match, {"SSD": "Brussels", "NRC": "Brussels"})
    assert wrong.correct is False
    assert wrong.details == ("1 of 2 matches are right.", "✗ not right: SSD → Brussels",
                             "✓ right: NRC → Brussels")
    order = _question(type="ordering", items=("a", "b", "c"))
    assert check(order, {"a": 1, "b": 2}).outcome == "incomplete"
    twice = check(order, {"a": 1, "b": 1, "c": 3})
    assert twice.outcome == "incomplete" and "position 1 is given to more" in twice.message
    assert check(order, {"a": 1, "b": 2, "c": 3}).answer == ["a", "b", "c"]
    swapped = check(order, {"a": 2, "b": 1, "c": 3})
    assert swapped.correct is False
    assert swapped.details == ("1 of 3 items are in the right place.", "✗ not in its place: 1st, b",
                               "✗ not in its place: 2nd, a", "✓ right place: 3rd, c")
    refl = _question(type="reflection", explanation=None, min_words=3)
    assert check(refl, "  ").outcome == "incomplete"
    assert "at least 3 words (you have 2" in check(refl, "two words").message
    saved = check(refl, " three short words ")
    assert (saved.outcome, saved.correct, saved.answer) == ("saved", None, "three short words")


def test_every_question_example_in_the_readme_is_valid(bank_dir: Path) -> None:
    readme = (QUIZ_DIR / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, flags=re.S)
    examples = [b for b in blocks if b.startswith("  - id:")]
    assert len(examples) == len(quiz_bank.TYPES)
    body = "notebook: 98_readme\ntitle: README examples\nquestions:\n" + "".join(examples)
    (bank_dir / "98_readme.yaml").write_text(body, encoding="utf-8")
    bank = quiz_bank.load_bank("98_readme", bank_dir)
    assert sorted(q.type for q in bank.questions) == sorted(quiz_bank.TYPES)
    assert "data/quizzes/aegis-ashore.yaml, question aegis-ashore-2, field options: no option is " \
        "marked correct" in readme


