"""Fixtures shared by the tests in this folder."""
from __future__ import annotations

from pathlib import Path

import pytest

from mini_data import make_mini_data

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def repo() -> Path:
    """The repository's root folder."""
    return REPO


@pytest.fixture(scope="module")
def mini_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the dataset's sources and provisions only (what a quiz file refers to)."""
    return make_mini_data(tmp_path_factory.mktemp("data"))
