"""The project's setup: pins, Binder files, the two-command quick start, saved notebooks."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def requirement_lines(name: str) -> list[str]:
    lines = (REPO / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def test_runtime_requirements_are_pinned_exactly() -> None:
    lines = requirement_lines("requirements.txt")
    pins = {}
    for line in lines:
        if line == "-e .":
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==([0-9][0-9A-Za-z.]*)", line)
        assert match, f"requirements.txt: {line!r} is not an exact pin (name==version)"
        pins[match.group(1).lower()] = match.group(2)
    assert "-e ." in lines, "Binder must install the helpers package from the repository"
    for package in ("jupyterlab", "ipywidgets", "pandas", "matplotlib", "nbval", "pytest"):
        assert package in pins, package
    assert pins["jupyterlab"].startswith("4.")
    assert pins["ipywidgets"].startswith("8.")


def test_dev_requirements_build_on_the_runtime_ones() -> None:
    lines = requirement_lines("requirements-dev.txt")
    assert "-r requirements.txt" in lines
    for line in lines:
        assert line.startswith("-r ") or "==" in line, line


def test_binder_reads_python_version_from_runtime_txt() -> None:
    assert (REPO / "runtime.txt").read_text(encoding="utf-8").strip() == "python-3.12"
    assert not (REPO / "binder").exists(), "a binder/ folder would make repo2docker ignore the root files"


def test_package_supports_python_311() -> None:
    meta = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["requires-python"] == ">=3.11"


def test_helpers_import_from_the_notebook_folder_without_path_tricks(tmp_path: Path) -> None:
    code = "from helpers import data; import pathlib; print(pathlib.Path(data.data_dir()).resolve())"
    for cwd in (REPO / "notebooks", tmp_path):
        out = subprocess.run([sys.executable, "-c", code], cwd=cwd, check=True,
                             capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
        assert Path(out.stdout.strip()) == REPO / "data"


def test_quick_start_is_make_lab_and_make_test() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make lab" in readme and "make test" in readme
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_make_lab_serves_on_localhost_with_a_token() -> None:
    dry_run = subprocess.run(["make", "-n", "-W", ".venv/.installed", "lab"], cwd=REPO,
                             capture_output=True, text=True, check=True).stdout
    command = [line for line in dry_run.splitlines() if "jupyter lab" in line]
    assert command, dry_run
    assert "--ServerApp.ip=127.0.0.1" in command[0]
    assert "token=''" not in command[0] and 'token=""' not in command[0]
    assert "notebooks/00_start_here.ipynb" in command[0]


def test_make_test_runs_strict_nbval() -> None:
    dry_run = subprocess.run(["make", "-n", "-W", ".venv/.installed", "test"], cwd=REPO,
                             capture_output=True, text=True, check=True).stdout
    assert "pytest --nbval " in dry_run
    assert "--nbval-lax" not in dry_run


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_saved_notebook_is_executed_and_clean(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert "widgets" not in nb["metadata"], "widget state must not be saved (make execute strips it)"
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code" or not "".join(cell["source"]).strip():
            continue
        assert cell["execution_count"] is not None, f"cell {index} was never executed"
        assert "execution" not in cell["metadata"], f"cell {index} stores timing metadata"
        for output in cell["outputs"]:
            assert output["output_type"] != "error", f"cell {index} stores an error"
            assert "/tmp/" not in json.dumps(output), f"cell {index} stores a temporary path"
