"""The project's setup: pins, lean installs, the two routes (make and plain pip), version,
licences. Nothing here runs make: the Makefile is read as text, so the tests run on Windows too."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

import helpers

REPO = Path(__file__).resolve().parent.parent
# Tools only the tests and maintainers use: never installed for students.
TEST_TOOLS = {"pytest", "nbval", "frictionless", "pytest-xdist", "pygiftparser", "jsonschema", "playwright",
              "jupyter-repo2docker", "jupytext", "ruff", "mypy"}


def requirement_lines(name: str) -> list[str]:
    lines = (REPO / name).read_text(encoding="utf-8").splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


def pins(name: str) -> dict[str, str]:
    found = {}
    for line in requirement_lines(name):
        if line.startswith("-"):
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==([0-9][0-9A-Za-z.]*)", line)
        assert match, f"{name}: {line!r} is not an exact pin (name==version)"
        found[match.group(1).lower()] = match.group(2)
    return found


def test_runtime_requirements_are_the_course_stack_only() -> None:
    runtime = pins("requirements.txt")
    assert "-e ." in requirement_lines("requirements.txt"), "Binder must install the helpers package"
    # the design card's stack, the quiz widget (anywidget) and the two other front ends the
    # course runs in: Notebook 7 and Voilà's reading mode (tests/test_frontends.py)
    for package in ("jupyterlab", "ipywidgets", "ipykernel", "pandas", "pyyaml",
                    "anywidget", "notebook", "voila"):
        assert package in runtime, package
    assert runtime["jupyterlab"].startswith("4.") and runtime["ipywidgets"].startswith("8.")
    assert runtime["notebook"].startswith("7.")
    misplaced = sorted(TEST_TOOLS & set(runtime))
    assert not misplaced, f"test tools in requirements.txt: {misplaced}"


def test_dev_requirements_add_the_test_tools_to_the_runtime_ones() -> None:
    assert requirement_lines("requirements-dev.txt")[0] == "-r requirements.txt"
    dev = pins("requirements-dev.txt")
    assert {"pytest", "nbval", "ruff", "mypy", "jupytext"} <= set(dev)
    assert not set(dev) & set(pins("requirements.txt")), "a package pinned in both files"


def test_package_supports_python_311() -> None:
    meta = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["requires-python"] == ">=3.11"


def test_helpers_import_from_any_folder_without_path_tricks(tmp_path: Path) -> None:
    code = "from helpers import data; import pathlib; print(pathlib.Path(data.data_dir()).resolve())"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "COURSE_DATA_DIR")}
    for cwd in (REPO / "notebooks", tmp_path):
        out = subprocess.run([sys.executable, "-c", code], cwd=cwd, check=True,
                             capture_output=True, text=True, env=env)
        assert Path(out.stdout.strip()) == REPO / "data"


# --- version, licences, citation ---------------------------------------------------------------

def test_one_course_version_everywhere() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    citation = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    released = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", changelog, flags=re.MULTILINE)
    assert released, "CHANGELOG.md has no '## [x.y.z] …' entry"
    assert project["version"] == helpers.__version__ == str(citation["version"]) == released[0]


def test_code_and_content_have_their_own_licences() -> None:
    code = (REPO / "LICENSE").read_text(encoding="utf-8")
    content = (REPO / "LICENSE-content").read_text(encoding="utf-8")
    assert code.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in code
    assert "https://creativecommons.org/licenses/by/4.0/" in content
    assert "stays under the terms of its publishers" in content
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT AND CC-BY-4.0"
    assert project["license-files"] == ["LICENSE", "LICENSE-content"]
    citation = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0" and citation["authors"] and citation["title"]
    assert set(citation["license"]) == {"MIT", "CC-BY-4.0"}


# --- make, read as text ------------------------------------------------------------------------

def make_rules() -> dict[str, tuple[list[str], list[str]]]:
    """target -> (prerequisites, recipe lines), from the Makefile's text (variables expanded)."""
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    variables = dict(re.findall(r"^([A-Z_]+)\s*[:?]?=\s*(.*?)\s*$", text, flags=re.MULTILINE))

    def expand(value: str) -> str:
        for _ in range(5):
            value = re.sub(r"\$\((\w+)\)", lambda m: variables.get(m.group(1), m.group(0)), value)
        return value

    rules: dict[str, tuple[list[str], list[str]]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("\t") and current is not None:
            current.append(expand(line.strip()))
            continue
        match = re.match(r"^([^\s:=#][^:=]*?):(?!=)([^#]*)", line)
        if match and not line.startswith("\t"):
            prereqs = expand(match.group(2)).replace("|", " ").split()
            current = []
            rules[expand(match.group(1)).strip()] = (prereqs, current)
        else:
            current = None
    return rules


def test_make_lab_installs_the_runtime_only_and_serves_on_localhost_with_a_token() -> None:
    rules = make_rules()
    prereqs, recipe = rules["lab"]
    assert prereqs == [".venv/.installed-runtime"]
    installs = " ".join(rules[".venv/.installed-runtime"][1])
    assert "-r requirements.txt" in installs and "requirements-dev" not in installs
    command = next(line for line in recipe if "jupyter lab" in line)
    assert "--ServerApp.ip=127.0.0.1" in command
    assert "token=''" not in command and 'token=""' not in command
    assert command.endswith("notebooks/00_start_here.ipynb")


def test_make_test_lints_first_then_runs_strict_nbval_with_the_dev_tools() -> None:
    rules = make_rules()
    prereqs, recipe = rules["test"]
    assert prereqs == ["lint"]
    assert rules["lint"][0] == [".venv/.installed-dev"]
    assert "-r requirements-dev.txt" in " ".join(rules[".venv/.installed-dev"][1])
    lint = " ".join(rules["lint"][1])
    assert "ruff check helpers" in lint and "mypy" in lint
    assert any("pytest --nbval " in line for line in recipe) and "--nbval-lax" not in " ".join(recipe)


# --- the route without make (README, CI) -------------------------------------------------------

def readme_section(title: str) -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index(title)
    end = readme.find("\n#", start + len(title))
    return readme[start:end]


def test_readme_route_without_make_uses_python_and_pip_only() -> None:
    section = readme_section("### Without make")
    for command in ("python -m venv .venv",
                    "python -m pip install -r requirements.txt",
                    "python -m pip install -r requirements-dev.txt",
                    "python -m jupyter lab notebooks/00_start_here.ipynb",
                    "python -m pytest"):
        assert command in section, command
    commands = "\n".join(re.findall(r"```[^\n]*\n(.*?)```", section, flags=re.DOTALL))
    assert not re.search(r"^\s*make\b", commands, flags=re.MULTILINE), commands
    assert "bin/python" not in commands and "bin\\python" not in commands


def test_ci_runs_make_test_and_the_plain_pip_route() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, flags=re.MULTILINE)
    plain = ci[ci.index("python3 -m venv"):]
    assert "pip install" in plain and "-r requirements-dev.txt" in plain
    assert "-m pytest" in plain and "make" not in plain


# The browser tests drive Debian's chromium (Linux only, by design); this file holds the pattern.
UNIT_TEST_FILES = sorted(p for p in (REPO / "tests").glob("*.py")
                         if p.name not in ("test_browser.py", "lab_driver.py", "test_setup.py"))
POSIX_ONLY = re.compile(r"""bin/python|["']bin["']|/usr/bin|/bin:|["']/tmp/?["']|["']make["']""")


@pytest.mark.parametrize("path", sorted((REPO / "helpers").rglob("*.py")) + UNIT_TEST_FILES,
                         ids=lambda p: str(p.relative_to(REPO)))
def test_no_posix_only_paths_or_make_calls(path: Path) -> None:
    """The plain-pip route works on Windows: sys.executable and pathlib, never bin/ or make."""
    text = path.read_text(encoding="utf-8")
    found = [f"line {text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}" for m in POSIX_ONLY.finditer(text)]
    assert not found, found
