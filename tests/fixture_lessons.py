"""Fixture lesson files for the quiz engine's tests: never the course's own questions.

``write_lessons(folder, data_dir)`` writes three schema-2 lesson files with invented, neutral
content (no facts of the course):

- ``alpha``: one question of each of the seven types, two objectives, a discussion prompt;
- ``beta``: two questions;
- ``recap``: two questions reused from ``alpha`` by ``ref`` and one of its own (like the review).

Source ids are taken from the copied ``sources.csv`` (the first three rows), so the fixture does
not depend on which ids the course's dataset uses.
"""
from __future__ import annotations

import csv
import itertools
from pathlib import Path

from mini_data import make_mini_data

ALPHA = """\
schema: 2
lesson: alpha
title: "Fixture lesson *alpha*"
objectives:
  choose: choose the right option of a fixture question
  order: put fixture items in order
discussion:
  - prompt: Which fixture option would you pick, and why?
    marking: A strong answer names an option and gives one reason from the fixture text.
questions:
  - id: alpha-single
    type: single
    objective: choose
    sources: [{s1}, {s2}]
    prompt: Which option is the right one in this fixture?
    options:
      - text: Option one, the right one
        correct: true
        feedback: Yes, option one is right.
      - text: Option two
        correct: false
        feedback: Option two is the second option, not the right one.
      - text: Option three
        correct: false
      - text: Option four
        correct: false
    explanation: "The fixture marks *option one* as right."

  - id: alpha-multiple
    type: multiple
    objective: choose
    sources: [{s1}]
    prompt: "Which of these numbers are even? **Select all that apply.**"
    options:
      - text: Two
        correct: true
      - text: Four
        correct: true
      - text: Six
        correct: true
      - text: Seven
        correct: false
        feedback: Seven is odd.
    explanation: Two, four and six are even.

  - id: alpha-true-false
    type: true_false
    objective: choose
    sources: [{s2}]
    prompt: Two plus two makes four.
    answer: true
    feedback_true: Right, four.
    feedback_false: It is true, in fact.
    explanation: Two and two make four.

  - id: alpha-numeric
    type: numeric
    objective: choose
    sources: [{s1}]
    prompt: A box holds one thousand five hundred and fifty apples. How many apples is that?
    answer: 1550
    unit: apples
    explanation: The fixture box holds that many apples.

  - id: alpha-matching
    type: matching
    objective: order
    sources: [{s3}]
    prompt: Match each word with its first letter.
    pairs:
      - left: Apple
        right: A
      - left: Banana
        right: B
      - left: Cherry
        right: C
    distractors: [D, E]
    explanation: Each word starts with its letter.

  - id: alpha-ordering
    type: ordering
    objective: order
    sources: [{s3}]
    prompt: Put these numbers in increasing order.
    items: [One, Two, Three, Four]
    explanation: One, two, three, four.

  - id: alpha-reflection
    type: reflection
    objective: choose
    sources: [{s1}]
    prompt: What did you expect of this fixture? Write two or three sentences.
    min_words: 10
    explanation: There is no right or wrong answer here.
    marking: A strong answer states an expectation and one reason for it.
"""

BETA = """\
schema: 2
lesson: beta
title: Fixture lesson beta
objectives:
  recall: recall a fixture fact
questions:
  - id: beta-single
    type: single
    objective: recall
    sources: [{s2}]
    prompt: Which letter comes first in the alphabet?
    options:
      - {{text: A, correct: true}}
      - {{text: Z, correct: false}}
    explanation: A comes first.
  - id: beta-true-false
    type: true_false
    objective: recall
    sources: [{s2}]
    prompt: Z comes before A.
    answer: false
    explanation: A comes before Z.
"""

RECAP = """\
schema: 2
lesson: recap
title: Fixture recap
objectives:
  combine: combine two fixture lessons
questions:
  - ref: alpha-numeric
  - ref: alpha-ordering
  - id: recap-single
    type: single
    objective: combine
    sources: [{s1}, {s3}]
    prompt: Which fixture lessons came before this one?
    options:
      - {{text: Alpha and beta, correct: true}}
      - {{text: Only alpha, correct: false}}
    explanation: Both came before.
"""

LESSONS = {"alpha": ALPHA, "beta": BETA, "recap": RECAP}
QUESTIONS = {"alpha": 7, "beta": 2, "recap": 3}


def source_ids(data_dir: Path, n: int = 3) -> list[str]:
    with (data_dir / "sources.csv").open(encoding="utf-8", newline="") as handle:
        return [row["source_id"] for row in itertools.islice(csv.DictReader(handle), n)]


def write_lessons(folder: Path, data_dir: Path) -> Path:
    """Write the three fixture lesson files into ``folder``; return ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    s1, s2, s3 = source_ids(data_dir)
    for name, text in LESSONS.items():
        (folder / f"{name}.yaml").write_text(text.format(s1=s1, s2=s2, s3=s3), encoding="utf-8")
    return folder


def make_course(root: Path) -> tuple[Path, Path]:
    """A mini dataset and the fixture lessons under ``root``: (data folder, lesson folder)."""
    data_dir = make_mini_data(root / "data")
    return data_dir, write_lessons(root / "quizzes", data_dir)
