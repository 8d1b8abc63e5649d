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
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from helpers.paths import QUIZ_DIR, REPO
from helpers.quiz import types as question_types
from helpers.quiz.types.base import (
    Option,
    Question,
    Result,
    as_text,
    format_number,
    is_number,
    parse_number,
)

__all__ = [
    "TYPES", "Bank", "Option", "Question", "QuizBankError", "Result", "bank_names", "check",
    "display_path", "find_question", "format_number", "load_all", "load_bank", "parse_number",
    "quiz_dir", "source_link",
]

PACKAGE_QUIZ_DIR = QUIZ_DIR

TYPES = question_types.NAMES
TOP_FIELDS = ("schema", "lesson", "notebook", "title", "objectives", "discussion", "questions")
COMMON_FIELDS = ("id", "type", "prompt", "explanation", "sources", "source_id", "objective", "provision_id",
                 "marking")
SCHEMA = 2
TYPE_FIELDS: dict[str, tuple[str, ...]] = question_types.fields()
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
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, (str, int, float, bool)) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key '{key}' appears twice in the same block",
                    key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


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


_as_text = as_text
_is_number = is_number


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
    if qtype is not None:
        fields = question_types.get(qtype).validate(
            raw, bad, lambda name, required: text(name, required=required))

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
        (1-based, or None); reflection: the text written. Each type's module
        (:mod:`helpers.quiz.types`) grades its own.
    """
    return question_types.get(question.type).grade(question, response)
