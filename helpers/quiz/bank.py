"""Read the quiz question files (``data/quizzes/<notebook>.yaml``), check them, grade answers.

A teacher edits YAML, never Python; ``data/quizzes/README.md`` describes the format. Loading a
file checks it completely and raises one :class:`QuizBankError` that lists every problem, each
naming the file, the question and the field::

    data/quizzes/05_tomahawk.yaml, question tomahawk-2, field options: no option is marked correct

The widgets live in :mod:`helpers.quiz`; this module knows no widgets. Shuffled orders are
seeded by the question id, so a quiz looks the same on every run.

Set the environment variable ``COURSE_QUIZ_DIR`` (or pass ``folder=``) to read another folder.
"""
from __future__ import annotations

import difflib
import os
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from helpers.paths import QUIZ_DIR, REPO

__all__ = [
    "TYPES", "Bank", "Option", "Question", "QuizBankError", "Result", "bank_names", "check",
    "display_path", "find_question", "format_number", "load_all", "load_bank", "parse_number",
    "quiz_dir", "source_link",
]

PACKAGE_QUIZ_DIR = QUIZ_DIR

TYPES = ("single", "multiple", "true_false", "numeric", "matching", "ordering", "reflection")
TOP_FIELDS = ("schema", "lesson", "notebook", "title", "objectives", "discussion", "questions")
COMMON_FIELDS = ("id", "type", "prompt", "explanation", "sources", "source_id", "objective", "provision_id",
                 "marking")
SCHEMA = 2
TYPE_FIELDS: dict[str, tuple[str, ...]] = {
    "single": ("options",),
    "multiple": ("options",),
    "true_false": ("answer", "feedback_true", "feedback_false"),
    "numeric": ("answer", "tolerance", "range", "unit"),
    "matching": ("pairs", "distractors"),
    "ordering": ("items",),
    "reflection": ("min_words",),
}
TYPE_ONLY_FIELDS = tuple(sorted({f for fs in TYPE_FIELDS.values() for f in fs}))
ALL_FIELDS = COMMON_FIELDS + TYPE_ONLY_FIELDS + ("ref",)
UNREADABLE_NOTE = "which cannot be read (see the error for that file)"
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class QuizBankError(ValueError):
    """A quiz file cannot be used; ``problems`` lists every problem found, one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        if len(self.problems) == 1:
            text = self.problems[0]
        else:
            text = (f"{len(self.problems)} problems in the quiz files:\n  "
                    + "\n  ".join(self.problems))
        super().__init__(text)


# --- the questions ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Option:
    """One choice of a single or multiple choice question."""

    text: str
    correct: bool
    feedback: str | None = None


@dataclass(frozen=True)
class Question:
    """One checked question. ``notebook`` is the stem of the file that defines it."""

    id: str
    type: str
    prompt: str
    explanation: str | None
    sources: tuple[str, ...]
    lesson: str
    provision_id: str | None = None
    objective: str | None = None
    marking: str | None = None
    options: tuple[Option, ...] = ()
    answer: bool | float | None = None
    tolerance: float = 0.0
    range: tuple[float, float] | None = None
    unit: str | None = None
    feedback_true: str | None = None
    feedback_false: str | None = None
    pairs: tuple[tuple[str, str], ...] = ()
    distractors: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    min_words: int | None = None

    @property
    def source_id(self) -> str:
        """The first source (the one the key relies on most)."""
        return self.sources[0]

    @property
    def graded(self) -> bool:
        """False for a reflection (saved for the teacher, not scored)."""
        return self.type != "reflection"

    def shuffled_options(self) -> list[Option]:
        """The options in their display order (seeded by the question id)."""
        return _shuffled(self.options, self.id)

    def right_choices(self) -> list[str]:
        """A matching question's right-hand side plus distractors, in display order."""
        return _shuffled([right for _, right in self.pairs] + list(self.distractors), self.id)

    def display_items(self) -> list[str]:
        """An ordering question's items in display order: shuffled, never the correct order."""
        shown = _shuffled(self.items, self.id)
        if shown == list(self.items):
            shown = shown[1:] + shown[:1]
        return shown


@dataclass(frozen=True)
class Discussion:
    """A discussion prompt of a lesson, with the teacher's marking guidance (never shown to students)."""

    prompt: str
    marking: str


@dataclass(frozen=True)
class Bank:
    """One lesson's file: its title, objectives, discussion prompts and questions, in file order."""

    lesson: str
    title: str
    questions: tuple[Question, ...]
    path: Path
    objectives: tuple[tuple[str, str], ...] = ()
    discussion: tuple[Discussion, ...] = ()
    schema: int = SCHEMA

    def question(self, question_id: str) -> Question:
        """Return a question of this bank by id (KeyError if absent)."""
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(f"{self.lesson} has no question {question_id!r}")


def _shuffled(values: Any, seed: str) -> list[Any]:
    out = list(values)
    random.Random(seed).shuffle(out)
    return out


# --- finding and reading files ------------------------------------------------------------------

def quiz_dir() -> Path:
    """Return the folder of quiz files: ``COURSE_QUIZ_DIR`` or the course's ``data/quizzes``."""
    override = os.environ.get("COURSE_QUIZ_DIR")
    return Path(override).expanduser().resolve() if override else PACKAGE_QUIZ_DIR


def display_path(path: Path) -> str:
    """Name a file as messages show it: relative to the repository root when inside it."""
    path = Path(path).resolve()
    try:
        return path.relative_to(REPO).as_posix()
    except ValueError:
        return str(path)


def bank_names(folder: str | os.PathLike[str] | None = None) -> list[str]:
    """Return the notebook stems that have a quiz file, sorted."""
    base = Path(folder) if folder is not None else quiz_dir()
    return sorted(p.stem for p in base.glob("*.yaml"))


_BaseLoader = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader


class _UniqueKeyLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """A safe YAML loader that refuses a key given twice in one mapping (a common slip)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            if isinstance(key, (str, int, float, bool)) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key '{key}' appears twice in the same block",
                    key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-untyped-call]


_yaml_cache: dict[Path, tuple[tuple[int, int], Any]] = {}


def read_yaml(path: Path) -> Any:
    """Parse a YAML file (cached until the file changes); raise yaml.YAMLError if broken."""
    stat = path.stat()
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _yaml_cache.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    content = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506
    _yaml_cache[path] = (key, content)
    return content


def _yaml_problem(label: str, exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f"{label}, line {mark.line + 1}" if mark is not None else label
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    text = f"{context}, {problem}" if context else problem
    return f"{where}: YAML syntax error: {text}"


def _known_ids() -> tuple[set[str], set[str]]:
    """The source ids and provision ids of the dataset."""
    from helpers import data

    return set(data.load("sources")["source_id"]), set(data.provisions()["provision_id"])


def _definitions(folder: Path, skip: Path | None = None
                 ) -> dict[str, tuple[Path, dict[str, Any], int]]:
    """Every question defined (not referenced) in the files but ``skip``: id -> (file, raw, pos).

    A file that cannot be read is listed under the key ``""`` (its own error is reported when
    it is loaded), so that a ref into it is not reported a second time as missing.
    """
    found: dict[str, tuple[Path, dict[str, Any], int]] = {}
    for path in sorted(folder.glob("*.yaml")):
        if skip is not None and path.resolve() == skip.resolve():
            continue
        try:
            content = read_yaml(path)
        except (yaml.YAMLError, OSError, UnicodeDecodeError):
            found.setdefault("", (path, {}, 0))
            continue   # reported when that file itself is loaded
        questions = content.get("questions") if isinstance(content, dict) else None
        for pos, raw in enumerate(questions if isinstance(questions, list) else [], start=1):
            if isinstance(raw, dict) and "ref" not in raw and isinstance(raw.get("id"), str):
                found.setdefault(raw["id"], (path, raw, pos))
    return found


def load_bank(name: str, folder: str | os.PathLike[str] | None = None) -> Bank:
    """Load and check the quiz file of one notebook, e.g. ``load_bank("03_open_door")``.

    Parameters
    ----------
    name
        The notebook's stem (``.yaml`` or ``.ipynb`` suffixes are ignored).
    folder
        The folder of quiz files (default :func:`quiz_dir`).

    Raises
    ------
    FileNotFoundError
        If there is no such quiz file (the message lists the ones there are).
    QuizBankError
        Listing every problem of the file (YAML syntax, schema, unknown ids or refs).
    """
    base = Path(folder) if folder is not None else quiz_dir()
    stem = Path(name).name.removesuffix(".yaml").removesuffix(".ipynb")
    path = base / f"{stem}.yaml"
    if not path.is_file():
        names = bank_names(base)
        hint = difflib.get_close_matches(stem, names, n=1)
        extra = f" (did you mean '{hint[0]}'?)" if hint else ""
        raise FileNotFoundError(f"no quiz file {display_path(path)}{extra}; the quiz files are: "
                                f"{', '.join(names) or 'none'}")
    label = display_path(path)
    try:
        content = read_yaml(path)
    except yaml.YAMLError as exc:
        raise QuizBankError([_yaml_problem(label, exc)]) from None
    except UnicodeDecodeError:
        raise QuizBankError([f"{label}: not UTF-8 text; save the file as UTF-8"]) from None
    problems: list[str] = []
    bank = _check_bank(content, path, label, base, problems)
    if problems or bank is None:
        raise QuizBankError(problems)
    return bank


def load_all(folder: str | os.PathLike[str] | None = None) -> dict[str, Bank]:
    """Load every quiz file of a folder, checking also that ids are unique across files.

    Raises
    ------
    QuizBankError
        Listing the problems of every broken file together.
    """
    base = Path(folder) if folder is not None else quiz_dir()
    banks: dict[str, Bank] = {}
    problems: list[str] = []
    for name in bank_names(base):
        try:
            banks[name] = load_bank(name, base)
        except QuizBankError as exc:
            problems.extend(exc.problems)
    unreadable = [p for p in problems if "YAML syntax error" in p or "not UTF-8" in p]
    if unreadable:   # a ref into a broken file is that file's problem, reported once, there
        problems = [p for p in problems if UNREADABLE_NOTE not in p]
    if problems:
        raise QuizBankError(problems)
    return banks


def find_question(question_id: str, folder: str | os.PathLike[str] | None = None) -> Question:
    """Return the question with this id, from whichever quiz file defines it.

    Raises
    ------
    KeyError
        If no quiz file defines it (with a did-you-mean hint).
    """
    base = Path(folder) if folder is not None else quiz_dir()
    defs = _definitions(base)
    if question_id not in defs:
        hint = difflib.get_close_matches(question_id, list(defs), n=1)
        extra = f" (did you mean '{hint[0]}'?)" if hint else ""
        raise KeyError(f"no quiz file defines a question with id {question_id!r}{extra}")
    return load_bank(defs[question_id][0].stem, base).question(question_id)


# --- checking -----------------------------------------------------------------------------------

def _unknown(key: Any, allowed: tuple[str, ...], qtype: str | None = None) -> str:
    """The message for a field that does not belong, with a did-you-mean hint."""
    if qtype is not None and key in ALL_FIELDS and key != "ref":
        users = [t for t, fields in TYPE_FIELDS.items() if key in fields]
        return f"unknown field for type {qtype} (it belongs to type {' or '.join(users)})"
    hint = difflib.get_close_matches(str(key), allowed, n=1)
    if hint:
        return f"unknown field (did you mean '{hint[0]}'?)"
    return f"unknown field; the fields are: {', '.join(allowed)}"


def _check_bank(content: Any, path: Path, label: str, base: Path,
                problems: list[str]) -> Bank | None:
    """Check a parsed file; append problems; return the bank when the file is usable."""
    if content is None:
        problems.append(f"{label}: the file is empty; it needs notebook, title and questions")
        return None
    if not isinstance(content, dict):
        problems.append(f"{label}: the file must be a mapping with notebook, title and questions")
        return None
    for key in content:
        if key not in TOP_FIELDS:
            problems.append(f"{label}, field {key}: {_unknown(key, TOP_FIELDS)}")
    schema = content.get("schema", 1)
    if schema not in (1, SCHEMA):
        problems.append(f"{label}, field schema: must be {SCHEMA} (or left out for an old file)")
        schema = SCHEMA
    id_field = "lesson" if schema == SCHEMA else "notebook"
    lesson = content.get(id_field)
    if not isinstance(lesson, str) or not lesson.strip():
        problems.append(f"{label}, field {id_field}: required text is missing (the lesson id, "
                        f"which is this file's name: {path.stem})")
    elif lesson != path.stem:
        problems.append(f"{label}, field {id_field}: '{lesson}' does not match the file name "
                        f"(expected '{path.stem}')")
    title = content.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(f"{label}, field title: required text is missing")
    objectives = _check_objectives(content.get("objectives"), schema, label, problems)
    discussion = _check_discussion(content.get("discussion"), label, problems)
    raw_questions = content.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        problems.append(f"{label}, field questions: a list of at least one question is required")
        return None

    sources, provisions = _known_ids()
    defs: dict[str, tuple[Path, dict[str, Any], int]] | None = None
    questions: list[Question] = []
    own_ids: dict[str, int] = {}
    for pos, raw in enumerate(raw_questions, start=1):
        if isinstance(raw, dict) and "ref" in raw:
            if defs is None:
                defs = _definitions(base, skip=path)
            q = _resolve_ref(raw, pos, label, raw_questions, defs, sources, provisions, problems)
        else:
            q = _check_question(raw, pos, label, path.stem, sources, provisions, problems,
                                objectives=dict(objectives) if schema == SCHEMA else None)
            if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                qid = raw["id"]
                if qid in own_ids:
                    problems.append(f"{label}, question {qid}, field id: '{qid}' is used twice "
                                    f"in this file (questions #{own_ids[qid]} and #{pos})")
                own_ids.setdefault(qid, pos)
        if q is not None:
            questions.append(q)
    if own_ids:
        if defs is None:
            defs = _definitions(base, skip=path)
        for qid in own_ids:
            if qid in defs:
                problems.append(f"{label}, question {qid}, field id: '{qid}' is already used in "
                                f"{display_path(defs[qid][0])}; ids must be unique across all "
                                "quiz files (use {ref: " + qid + "} to reuse a question)")
    if schema == SCHEMA and objectives:
        measured = {q.objective for q in questions if q.lesson == path.stem}
        for key, _ in objectives:
            if key not in measured:
                problems.append(f"{label}, field objectives: objective '{key}' is measured by no "
                                "question of this file (give one question 'objective: " + key + "')")
    if problems:
        return None
    return Bank(lesson=str(lesson), title=str(title).strip(), questions=tuple(questions),
                path=path, objectives=objectives, discussion=discussion, schema=schema)


def _check_objectives(value: Any, schema: int, label: str,
                      problems: list[str]) -> tuple[tuple[str, str], ...]:
    """Check ``objectives`` (key: text); required in schema 2."""
    if value is None:
        if schema == SCHEMA:
            problems.append(f"{label}, field objectives: required; list what a student will be able "
                            "to do, as 'key: text' lines")
        return ()
    if not isinstance(value, dict) or not value:
        problems.append(f"{label}, field objectives: must be 'key: text' lines, e.g. "
                        "'read-offer: read what the US paper was willing to discuss'")
        return ()
    out = []
    for key, text in value.items():
        if not isinstance(key, str) or not ID_PATTERN.fullmatch(key):
            problems.append(f"{label}, objective {key}: the key must be a lowercase slug like 'read-offer'")
        elif not isinstance(text, str) or not text.strip():
            problems.append(f"{label}, objective {key}: the text is missing")
        else:
            out.append((key, " ".join(text.split())))
    return tuple(out)


def _check_discussion(value: Any, label: str, problems: list[str]) -> tuple[Discussion, ...]:
    """Check ``discussion``: a list of {prompt, marking}."""
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append(f"{label}, field discussion: must be a list of prompts, each with prompt and marking")
        return ()
    out = []
    for pos, item in enumerate(value, start=1):
        where = f"{label}, discussion #{pos}"
        if not isinstance(item, dict):
            problems.append(f"{where}: must have the fields prompt and marking")
            continue
        for key in item:
            if key not in ("prompt", "marking"):
                problems.append(f"{where}, field {key}: {_unknown(key, ('prompt', 'marking'))}")
        texts = {}
        for key in ("prompt", "marking"):
            text = item.get(key)
            if not isinstance(text, str) or not text.strip():
                problems.append(f"{where}, field {key}: required text is missing")
            else:
                texts[key] = " ".join(text.split())
        if len(texts) == 2:
            out.append(Discussion(texts["prompt"], texts["marking"]))
    return tuple(out)


def _resolve_ref(raw: dict[str, Any], pos: int, label: str, own: list[Any],
                 defs: dict[str, tuple[Path, dict[str, Any], int]], sources: set[str],
                 provisions: set[str], problems: list[str]) -> Question | None:
    """Return the question a ``{ref: id}`` entry points to, checked in its own file."""
    where = f"{label}, question #{pos}"
    ref = raw["ref"]
    extra = [k for k in raw if k != "ref"]
    if extra:
        problems.append(f"{where}, field {extra[0]}: a ref entry takes no other fields (edit "
                        "the question in the file that defines it)")
        return None
    if not isinstance(ref, str) or not ref:
        problems.append(f"{where}, field ref: the id of a question from another quiz file is "
                        "required")
        return None
    if ref not in defs and "" in defs:
        problems.append(f"{where}, field ref: '{ref}' may be defined in {display_path(defs[''][0])}, "
                        f"{UNREADABLE_NOTE}")
        return None
    if ref not in defs:
        own_ids = {q.get("id") for q in own if isinstance(q, dict) and "ref" not in q}
        if ref in own_ids:
            problems.append(f"{where}, field ref: '{ref}' is defined in this file; a ref reuses "
                            "a question from another quiz file")
            return None
        hint = difflib.get_close_matches(ref, list(defs), n=1)
        more = f" (did you mean '{hint[0]}'?)" if hint else ""
        problems.append(f"{where}, field ref: no other quiz file defines a question with id "
                        f"'{ref}'{more}")
        return None
    path, other, other_pos = defs[ref]
    return _check_question(other, other_pos, display_path(path), path.stem, sources, provisions,
                           problems)


def _as_text(value: Any) -> str | None:
    """Accept text (and plain numbers, which YAML reads as numbers); None otherwise."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return format_number(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_question(raw: Any, pos: int, label: str, lesson: str, sources: set[str],
                    provisions: set[str], problems: list[str],
                    objectives: dict[str, str] | None = None) -> Question | None:
    """Check one question mapping; append problems; return the question when it is valid."""
    if not isinstance(raw, dict):
        problems.append(f"{label}, question #{pos}: each question must be a mapping of fields "
                        "(id, type, prompt, ...)")
        return None
    qid = raw.get("id")
    name = qid if isinstance(qid, str) and qid.strip() else f"#{pos}"
    where = f"{label}, question {name}"
    start = len(problems)

    def bad(field_name: str, message: str) -> None:
        problems.append(f"{where}, field {field_name}: {message}")

    def text(field_name: str, required: bool) -> str | None:
        value = raw.get(field_name)
        if value is None:
            if required and field_name not in hinted:
                bad(field_name, "required text is missing")
            return None
        if not isinstance(value, str) or not value.strip():
            bad(field_name, "must be text")
            return None
        return value.strip()

    if qid is None:
        bad("id", "required; give the question a unique lowercase id like 'open-door-1'")
    elif not isinstance(qid, str) or not ID_PATTERN.fullmatch(qid):
        bad("id", f"'{qid}' is not a lowercase slug (letters a-z, digits and single hyphens, "
                  "e.g. 'open-door-1')")
    qtype = raw.get("type")
    if qtype is None:
        bad("type", f"required; one of: {', '.join(TYPES)}")
    elif qtype not in TYPES:
        hint = difflib.get_close_matches(str(qtype), TYPES, n=1)
        more = f" (did you mean '{hint[0]}'?)" if hint else ""
        bad("type", f"'{qtype}' is not a question type{more}; the types are: {', '.join(TYPES)}")
        qtype = None
    allowed = COMMON_FIELDS + (TYPE_FIELDS[qtype] if qtype else TYPE_ONLY_FIELDS)
    hinted: set[str] = set()   # fields a typo probably meant: do not also call them missing
    for key in raw:
        if key not in allowed:
            bad(str(key), _unknown(key, allowed, qtype))
            hinted.update(difflib.get_close_matches(str(key), allowed, n=1))
    prompt = text("prompt", required=True)
    explanation = text("explanation", required=qtype != "reflection")
    cited = _check_sources(raw, sources, bad)
    objective = text("objective", required=objectives is not None)
    if objective is not None and objectives is not None and objective not in objectives:
        hint = difflib.get_close_matches(objective, list(objectives), n=1)
        more = f" (did you mean '{hint[0]}'?)" if hint else ""
        bad("objective", f"'{objective}' is not one of this lesson's objectives{more}; they are: "
                         f"{', '.join(objectives) or 'none'}")
    marking = text("marking", required=qtype == "reflection" and objectives is not None)
    provision_id = text("provision_id", required=False)
    if provision_id is not None and provision_id not in provisions:
        bad("provision_id", f"'{provision_id}' is not a provision_id in provisions.csv "
                            f"(they are {', '.join(sorted(provisions))})")

    fields: dict[str, Any] = {}
    if qtype in ("single", "multiple"):
        fields["options"] = _check_options(raw.get("options"), qtype, bad)
    elif qtype == "true_false":
        answer = raw.get("answer")
        if not isinstance(answer, bool):
            bad("answer", "must be true or false (without quotes)")
        fields["answer"] = answer
        fields["feedback_true"] = text("feedback_true", required=False)
        fields["feedback_false"] = text("feedback_false", required=False)
    elif qtype == "numeric":
        fields.update(_check_numeric(raw, bad))
        fields["unit"] = text("unit", required=False)
    elif qtype == "matching":
        fields.update(_check_matching(raw, bad))
    elif qtype == "ordering":
        fields["items"] = _check_items(raw.get("items"), bad)
    elif qtype == "reflection":
        min_words = raw.get("min_words")
        if min_words is not None and (not isinstance(min_words, int) or isinstance(min_words, bool)
                                      or min_words < 1):
            bad("min_words", "must be a whole number of at least 1")
        fields["min_words"] = min_words

    if len(problems) > start or qtype is None:
        return None
    return Question(id=str(qid), type=qtype, prompt=str(prompt), explanation=explanation,
                    sources=cited, lesson=lesson, provision_id=provision_id,
                    objective=objective, marking=marking, **fields)


def _check_sources(raw: dict[str, Any], known: set[str], bad: Any) -> tuple[str, ...]:
    """The question's sources: ``sources`` (a list; schema 2) or ``source_id`` (one; schema 1)."""
    if "sources" in raw and "source_id" in raw:
        bad("source_id", "give either sources (a list) or source_id, not both")
        return ()
    field_name = "sources" if "sources" in raw else "source_id"
    value = raw.get(field_name)
    if value is None:
        bad("sources", "required: a list of the source ids the answer relies on, e.g. [S12, S68]")
        return ()
    ids = value if isinstance(value, list) else [value]
    if not ids or not all(isinstance(s, str) and s.strip() for s in ids):
        bad(field_name, "must be source ids from sources.csv, e.g. [S12, S68]")
        return ()
    ids = [s.strip() for s in ids]
    for sid in ids:
        if sid not in known:
            hint = difflib.get_close_matches(sid, sorted(known), n=1)
            more = f" (did you mean '{hint[0]}'?)" if hint else ""
            bad(field_name, f"'{sid}' is not a source_id in sources.csv{more}")
    if len(set(ids)) != len(ids):
        bad(field_name, "a source is listed twice")
    return tuple(dict.fromkeys(ids))


def _check_options(value: Any, qtype: str, bad: Any) -> tuple[Option, ...]:
    if not isinstance(value, list) or len(value) < 2:
        bad("options", "a list of at least 2 options is required (each with text and correct)")
        return ()
    options = []
    ok = True
    for n, opt in enumerate(value, start=1):
        if not isinstance(opt, dict):
            bad("options", f"option {n} must be a mapping with text and correct")
            ok = False
            continue
        for key in opt:
            if key not in ("text", "correct", "feedback"):
                hint = difflib.get_close_matches(str(key), ("text", "correct", "feedback"), n=1)
                more = f" (did you mean '{hint[0]}'?)" if hint else ""
                bad("options", f"option {n} has an unknown field '{key}'{more}")
                ok = False
        text = _as_text(opt.get("text"))
        if text is None:
            bad("options", f"option {n} needs text")
            ok = False
        if not isinstance(opt.get("correct"), bool):
            bad("options", f"option {n} needs 'correct: true' or 'correct: false'")
            ok = False
        feedback = opt.get("feedback")
        if feedback is not None and not (isinstance(feedback, str) and feedback.strip()):
            bad("options", f"option {n} has a feedback that is not text")
            ok = False
        if ok:
            options.append(Option(str(text), opt["correct"],
                                  feedback.strip() if isinstance(feedback, str) else None))
    if not ok:
        return ()
    texts = [o.text for o in options]
    for text in sorted({t for t in texts if texts.count(t) > 1}):
        bad("options", f"the option '{text}' appears twice")
    n_correct = sum(o.correct for o in options)
    if n_correct == 0:
        bad("options", "no option is marked correct")
    elif qtype == "single" and n_correct > 1:
        bad("options", f"{n_correct} options are marked correct; a single question needs "
                       "exactly one (use type multiple for several)")
    return tuple(options)


def _check_numeric(raw: dict[str, Any], bad: Any) -> dict[str, Any]:
    answer, tolerance, rng = raw.get("answer"), raw.get("tolerance"), raw.get("range")
    if (answer is None) == (rng is None):
        bad("answer", "give either answer (with an optional tolerance) or range: [min, max]")
        return {}
    if rng is not None:
        if tolerance is not None:
            bad("tolerance", "a tolerance goes with answer, not with range")
        if not (isinstance(rng, list) and len(rng) == 2 and all(map(_is_number, rng))):
            bad("range", "must be two numbers, [min, max]")
            return {}
        if rng[0] > rng[1]:
            bad("range", f"min {format_number(rng[0])} is larger than max {format_number(rng[1])}")
        return {"range": (float(rng[0]), float(rng[1]))}
    if not _is_number(answer):
        bad("answer", "must be a number (no quotes, no thousands separator: 1550)")
        return {}
    if tolerance is None:
        tolerance = 0
    if not _is_number(tolerance) or tolerance < 0:
        bad("tolerance", "must be a number of at least 0")
        return {}
    return {"answer": float(answer), "tolerance": float(tolerance)}


def _check_matching(raw: dict[str, Any], bad: Any) -> dict[str, Any]:
    pairs_raw, distractors_raw = raw.get("pairs"), raw.get("distractors")
    pairs: list[tuple[str, str]] = []
    if not isinstance(pairs_raw, list) or len(pairs_raw) < 2:
        bad("pairs", "a list of at least 2 pairs is required, each {left: ..., right: ...}")
        return {}
    for n, pair in enumerate(pairs_raw, start=1):
        if not isinstance(pair, dict) or set(pair) != {"left", "right"}:
            bad("pairs", f"pair {n} must have exactly the fields left and right")
            continue
        left, right = _as_text(pair["left"]), _as_text(pair["right"])
        if left is None or right is None:
            bad("pairs", f"pair {n} needs text on both sides")
            continue
        pairs.append((left, right))
    lefts, rights = [p[0] for p in pairs], [p[1] for p in pairs]
    for side, values in (("left", lefts), ("right", rights)):
        for value in sorted({v for v in values if values.count(v) > 1}):
            bad("pairs", f"the {side} side '{value}' appears twice")
    distractors: list[str] = []
    if distractors_raw is not None:
        if not isinstance(distractors_raw, list):
            bad("distractors", "must be a list of texts")
        else:
            for n, item in enumerate(distractors_raw, start=1):
                text = _as_text(item)
                if text is None:
                    bad("distractors", f"distractor {n} must be text")
                elif text in rights or text in distractors:
                    bad("distractors", f"'{text}' is already a choice on the right side")
                else:
                    distractors.append(text)
    return {"pairs": tuple(pairs), "distractors": tuple(distractors)}


def _check_items(value: Any, bad: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) < 3:
        bad("items", "a list of at least 3 items is required, in the correct order")
        return ()
    items = []
    for n, item in enumerate(value, start=1):
        text = _as_text(item)
        if text is None:
            bad("items", f"item {n} must be text")
        else:
            items.append(text)
    for text in sorted({t for t in items if items.count(t) > 1}):
        bad("items", f"the item '{text}' appears twice")
    return tuple(items)


# --- sources ------------------------------------------------------------------------------------

def source_link(source_id: str) -> tuple[str, str | None]:
    """Return ``(label, url)`` for a source id: ``data.source_citation`` and its first URL."""
    from helpers import data

    label = data.source_citation(source_id)
    sources = data.load("sources")
    url = sources.loc[sources["source_id"] == source_id, "url"].iloc[0]
    if not isinstance(url, str) or not url.strip():
        return label, None
    first = re.split(r"\s*;\s*|\s+", url.strip())[0]
    return label, first if first.startswith(("http://", "https://")) else None


# --- grading ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Result:
    """What checking a response found.

    ``outcome`` is ``"correct"``, ``"wrong"`` or ``"saved"`` (a reflection) for an answer worth
    recording, or ``"incomplete"`` when the student must do something first (then ``message``
    says what, and nothing is recorded). ``answer`` is the JSON-serialisable answer to store;
    ``details`` are plain-text feedback lines for what the student chose.
    """

    outcome: str
    correct: bool | None = None
    answer: Any = None
    message: str = ""
    details: tuple[str, ...] = ()

    @property
    def recordable(self) -> bool:
        return self.outcome in ("correct", "wrong", "saved")


def _incomplete(message: str) -> Result:
    return Result("incomplete", message=message)


def _graded(correct: bool, answer: Any, details: list[str]) -> Result:
    return Result("correct" if correct else "wrong", correct, answer, details=tuple(details))


def format_number(value: float) -> str:
    """Show a number the way a reader expects: 1,550 or 0.5."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,}"


_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")


def parse_number(text: str, unit: str | None = None) -> float:
    """Read a typed number: ``1550``, ``1,550``, ``1 550``, ``-2.5``, optionally with the unit.

    Raises
    ------
    ValueError
        With a message for the student when the text is not a number.
    """
    cleaned = text.strip().replace("\u2212", "-")
    if unit and cleaned.lower().endswith(unit.lower()):
        cleaned = cleaned[: -len(unit)].strip()
    cleaned = re.sub(r"(?<=\d)[ \u00a0\u202f](?=\d{3}\b)", "", cleaned)
    if not _NUMBER.fullmatch(cleaned):
        raise ValueError(f"“{text.strip()}” is not a number I can read. Type digits only, e.g. "
                         "2500 or 2,500 (use a point for decimals: 2.5).")
    return float(cleaned.replace(",", ""))


def check(question: Question, response: Any) -> Result:
    """Grade a response to a question (the widgets' neutral form of an answer).

    Parameters
    ----------
    question
        The question.
    response
        single: the chosen option's text or None; multiple: a list of chosen texts;
        true_false: True, False or None; numeric: the typed text (or a number);
        matching: a dict left -> chosen right (or None); ordering: a dict item -> position
        (1-based, or None); reflection: the text written.
    """
    grader = {
        "single": _check_single, "multiple": _check_multiple, "true_false": _check_true_false,
        "numeric": _check_numeric_answer, "matching": _check_matching_answer,
        "ordering": _check_ordering_answer, "reflection": _check_reflection,
    }[question.type]
    return grader(question, response)


def _check_single(q: Question, response: Any) -> Result:
    option = next((o for o in q.options if o.text == response), None)
    if option is None:
        return _incomplete("Choose one answer, then press Check.")
    details = [f"You chose “{option.text}”: {option.feedback}"] if option.feedback else []
    return _graded(option.correct, option.text, details)


def _check_multiple(q: Question, response: Any) -> Result:
    chosen = [o for o in q.options if o.text in set(response or ())]
    if not chosen:
        return _incomplete("Tick every answer that applies (at least one), then press Check.")
    right = {o.text for o in q.options if o.correct}
    picked = {o.text for o in chosen}
    details = [f"“{o.text}”: {o.feedback}" for o in chosen if o.feedback]
    correct = picked == right
    if not correct:
        details.append(f"You ticked {len(picked & right)} of the {len(right)} answers that apply"
                       f" and {len(picked - right)} that do not.")
    return _graded(correct, [o.text for o in chosen], details)


def _check_true_false(q: Question, response: Any) -> Result:
    if response is None:
        return _incomplete("Choose True or False, then press Check.")
    feedback = q.feedback_true if response else q.feedback_false
    details = [f"You chose {'True' if response else 'False'}: {feedback}"] if feedback else []
    return _graded(bool(response) == q.answer, bool(response), details)


def _check_numeric_answer(q: Question, response: Any) -> Result:
    if response is None or (isinstance(response, str) and not response.strip()):
        return _incomplete("Type a number in the box, then press Check.")
    if isinstance(response, str):
        try:
            value = parse_number(response, q.unit)
        except ValueError as exc:
            return _incomplete(str(exc))
    else:
        value = float(response)
    if q.range is not None:
        correct = q.range[0] <= value <= q.range[1]
    else:
        assert q.answer is not None
        correct = abs(value - float(q.answer)) <= q.tolerance + 1e-9 * max(1.0, abs(q.answer))
    unit = f" {q.unit}" if q.unit else ""
    stored: float | int = int(value) if value.is_integer() else value
    return _graded(correct, stored, [f"You answered {format_number(value)}{unit}."])


def _check_matching_answer(q: Question, response: Any) -> Result:
    response = response or {}
    missing = [left for left, _ in q.pairs if response.get(left) is None]
    if missing:
        return _incomplete(f"Choose a match for every item ({len(missing)} of {len(q.pairs)} "
                           "still to choose), then press Check.")
    details = []
    right_count = 0
    for left, right in q.pairs:
        ok = response[left] == right
        right_count += ok
        details.append(f"{'✓' if ok else '✗'} {left} → {response[left]}")
    details.insert(0, f"{right_count} of {len(q.pairs)} matches are right.")
    answer = {left: response[left] for left, _ in q.pairs}
    return _graded(right_count == len(q.pairs), answer, details)


def _check_ordering_answer(q: Question, response: Any) -> Result:
    response = response or {}
    n = len(q.items)
    missing = [item for item in q.items if response.get(item) is None]
    if missing:
        return _incomplete(f"Give every item a position from 1 to {n} ({len(missing)} of {n} "
                           "still to choose), then press Check.")
    positions = [response[item] for item in q.items]
    twice = sorted({p for p in positions if positions.count(p) > 1})
    if twice:
        which = ", ".join(str(p) for p in twice)
        return _incomplete(f"Each position can be used only once: position {which} is given to "
                           "more than one item. Change one of them, then press Check.")
    order = sorted(q.items, key=lambda item: response[item])
    in_place = sum(a == b for a, b in zip(order, q.items))
    return _graded(order == list(q.items), order,
                   [f"{in_place} of {n} items are in the right place."])


def _check_reflection(q: Question, response: Any) -> Result:
    text = (response or "").strip()
    if not text:
        return _incomplete("Write your thoughts in the box, then press Save.")
    words = len(text.split())
    if q.min_words and words < q.min_words:
        return _incomplete(f"Write at least {q.min_words} words (you have {words} so far), "
                           "then press Save.")
    return Result("saved", None, text)
