"""Binder (repo2docker) builds what we mean, and requirements.txt alone runs the course.

``repo2docker --no-build --debug .`` prints the Dockerfile Binder would build, offline and with no
Docker daemon: it must pick Python 3.12 (runtime.txt) and install requirements.txt (which holds
``-e .``, the helpers package). The clean-venv test builds a fresh virtual environment from
requirements.txt alone (the pip cache may be used), as a student without make does, checks that
no test tool came with it, and runs the start notebook in it.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import urllib.parse
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
START = "notebooks/00_start_here.ipynb"


@pytest.fixture(scope="module")
def dockerfile() -> str:
    repo2docker = shutil.which("repo2docker", path=str(BIN)) or shutil.which("repo2docker")
    if repo2docker is None:
        pytest.fail("repo2docker is missing: pip install -r requirements-dev.txt")
    run = subprocess.run([repo2docker, "--no-build", "--debug", str(REPO)], cwd=REPO,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return run.stdout + run.stderr


def venv_python(venv: Path) -> Path:
    """The interpreter of a virtual environment, on any OS (``bin/`` or ``Scripts\\``)."""
    scripts = sysconfig.get_paths(scheme="venv", vars={"base": str(venv), "platbase": str(venv)})["scripts"]
    return Path(scripts) / Path(sys.executable).name


def test_binder_reads_python_3_12_from_the_root_runtime_txt() -> None:
    assert (REPO / "runtime.txt").read_text(encoding="utf-8").strip() == "python-3.12"
    assert not (REPO / "binder").exists() and not (REPO / ".binder").exists(), \
        "a binder/ folder would make repo2docker ignore the root files"


def test_binder_uses_python_3_12(dockerfile: str) -> None:
    assert "python=3.12" in dockerfile
    # the conda lock file repo2docker copies in is named after the Python version
    assert re.search(r"environment(\.|-2e)py(-|-2d)3(\.|-2e)12", dockerfile), "no py-3.12 environment"


def test_binder_installs_requirements_txt(dockerfile: str) -> None:
    assert re.search(r"pip install .*-r \"?requirements\.txt", dockerfile)
    lines = [line.split("#")[0].strip() for line in
             (REPO / "requirements.txt").read_text().splitlines()]
    assert "-e ." in lines, "requirements.txt must install the helpers package (-e .)"


def test_readme_binder_badge_opens_the_start_notebook() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\((https://mybinder\.org/v2/[^)\s]+)\)", readme)
    assert links, "README has no Binder link"
    assert any(f"urlpath=lab/tree/{START}" in urllib.parse.unquote(link) for link in links), links


@pytest.mark.slow
def test_requirements_txt_alone_runs_the_start_notebook(tmp_path: Path) -> None:
    """A fresh venv from requirements.txt only; helpers imported from the notebooks folder."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv_python(venv)
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "COURSE_DATA_DIR", "COURSE_QUIZ_DIR",
                        "JUPYTER_PATH", "PYTEST_XDIST_WORKER")}
    env.update(JUPYTER_DATA_DIR=str(tmp_path / "jupyter-data"),
               JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"),
               IPYTHONDIR=str(tmp_path / "ipython"),
               COURSE_PROGRESS_DIR=str(tmp_path / "progress"),
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-r", "requirements.txt"],
                             cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
    assert install.returncode == 0, install.stderr[-3000:]
    listed = subprocess.run([str(python), "-m", "pip", "list", "--format=freeze"], env=env,
                            capture_output=True, text=True, check=True).stdout.lower()
    installed = {line.split("==")[0] for line in listed.split()}
    assert not installed & {"pytest", "nbval", "ruff", "mypy", "playwright", "jupytext"}, sorted(installed)
    copy = tmp_path / "run" / "00_start_here.ipynb"
    copy.parent.mkdir()
    shutil.copy(REPO / START, copy)
    script = textwrap.dedent(f"""\
        import sys
        import helpers, nbformat
        from nbclient import NotebookClient
        from pathlib import Path
        assert Path(helpers.__file__).resolve().parent == Path({str(REPO / "helpers")!r}), helpers.__file__
        assert sys.prefix == {str(venv)!r}, sys.prefix
        nb = nbformat.read({str(copy)!r}, as_version=4)
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={{"metadata": {{"path": {str(copy.parent)!r}}}}}).execute()
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
                  if o.output_type == "error" or o.get("name") == "stderr"]
        assert not errors, errors
        print("ran", sum(c.cell_type == "code" for c in nb.cells), "code cells")
        """)
    run = subprocess.run([str(python), "-c", script], cwd=REPO / "notebooks", env=env,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    assert "code cells" in run.stdout
