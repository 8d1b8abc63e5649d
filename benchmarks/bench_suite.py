"""What the test suite, the notebooks and the environment cost, as ratios to a floor (a script,
never a timed test)::

    python benchmarks/bench_suite.py [--repeat N] [--skip browser,venv,...]

Prints one table:

(a) nbval over every notebook vs the same number of bare notebooks under the same
    ``pytest --nbval`` harness (the floor), each importing pandas, ipywidgets and matplotlib and
    drawing one chart, serially and with ``-n 2 --dist loadscope``; and serially vs bare
    notebooks that import pandas and ipywidgets only and show a table (no lesson imports a chart
    library);
(b) ``from helpers import data; data.load_all()`` vs ``import pandas, ipywidgets`` (fresh process);
(c) in JupyterLab in chromium, Run All until the quiz is live, per notebook, vs Run All of a
    notebook with one `pass` cell (same server and driver as tests/test_browser.py);
(d) the size of a fresh runtime venv (requirements.txt, what students install) vs a venv of the
    stack the course truly needs (BARE_STACK: jupyterlab ipywidgets anywidget psygnal ipykernel
    pandas pyyaml notebook voila, same pins), and of a fresh test venv
    (requirements-dev.txt); all cached under benchmarks/.cache/.

Numbers depend on the machine and on what else runs: compare ratios, re-measure before relying on
a figure.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CACHE = REPO / "benchmarks" / ".cache"
PYTHON = sys.executable
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
FLOOR = "import pandas, ipywidgets"
# What the course truly needs at runtime: the design card's stack, the quiz widget (anywidget and
# its psygnal) and the two other front ends it runs in (Notebook 7, Voilà). Charts are SVG the
# helpers write themselves: no chart library.
BARE_STACK = ("jupyterlab", "ipywidgets", "anywidget", "psygnal", "ipykernel", "pandas",
              "pyyaml", "notebook", "voila")
# The floor of (a) as issue 15 set it: one cell that imports pandas, ipywidgets and matplotlib and
# draws one chart (matplotlib is in requirements-dev.txt for this floor only).
BARE_CELL = """\
import io
import ipywidgets
import pandas as pd
from IPython.display import Image, display
from matplotlib.figure import Figure
fig = Figure(figsize=(8, 4)); ax = fig.add_subplot(); ax.bar(["a", "b", "c"], [1, 2, 3])
png = io.BytesIO(); fig.savefig(png, format="png", metadata={"Software": None})
display(Image(png.getvalue()))
pd.DataFrame({"x": [1, 2, 3]})"""
# A stricter floor, since no lesson imports a chart library: pandas and ipywidgets, one table.
LEAN_CELL = """\
import ipywidgets
import pandas as pd
pd.DataFrame({"x": [1, 2, 3]})"""


def bare_notebooks(folder: Path, count: int, cell: str = BARE_CELL) -> Path:
    """``count`` executed bare notebooks of one ``cell`` (outputs stored, as nbval needs) in
    ``folder``."""
    import nbformat
    from nbclient import NotebookClient

    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.ipynb"):
        old.unlink()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(cell)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, timeout=600, kernel_name="python3").execute()
    for n in range(count):
        nbformat.write(nb, folder / f"bare_{n:02d}.ipynb")
    return folder


def venv_python(venv: Path) -> Path:
    """The interpreter of a virtual environment on any OS (``bin/`` or ``Scripts\\``)."""
    scripts = sysconfig.get_paths(scheme="venv", vars={"base": str(venv), "platbase": str(venv)})["scripts"]
    return Path(scripts) / Path(PYTHON).name


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["COURSE_PROGRESS_DIR"] = tempfile.mkdtemp(prefix="bench-progress-")
    return env


def wall(cmd: list[str], cwd: Path = REPO) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=_env(), check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def median(fn: Callable[[], float], repeat: int) -> float:
    return statistics.median(fn() for _ in range(repeat))


def interleaved(commands: dict[str, list[str]], repeat: int) -> dict[str, float]:
    """Median wall time of each command, run in turns (A, B, C, A, B, C …) so that a machine
    that speeds up or slows down during the run weighs on every command alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            times[name].append(wall(command))
    return {name: statistics.median(values) for name, values in times.items()}


def bench_nbval(repeat: int) -> list[tuple[str, float, float]]:
    harness = [PYTHON, "-m", "pytest", "--nbval", "--nbval-current-env", "-q", "-p", "no:cacheprovider"]
    parallel = ["-n", "2", "--dist", "loadscope"]
    n = len(NOTEBOOKS)
    # inside the repository (git-ignored), so that the same conftest.py and settings apply
    floor = harness + [str(bare_notebooks(CACHE / "bare-notebooks", n).relative_to(REPO))]
    lean = harness + [str(bare_notebooks(CACHE / "lean-notebooks", n, LEAN_CELL).relative_to(REPO))]
    t = interleaved({"serial": harness + ["notebooks"], "floor": floor, "lean": lean,
                     "parallel": harness + ["notebooks", *parallel], "floor2": floor + parallel},
                    repeat)
    return [(f"(a) nbval, {n} notebooks, serial", t["serial"], t["floor"]),
            (f"(a) nbval, {n} notebooks, -n 2 --dist loadscope", t["parallel"], t["floor2"]),
            (f"(a) nbval, {n} notebooks, serial, vs a floor without matplotlib", t["serial"], t["lean"])]


def bench_load_all(repeat: int) -> list[tuple[str, float, float]]:
    cwd = REPO / "notebooks"
    floor = median(lambda: wall([PYTHON, "-c", FLOOR], cwd), repeat)
    load = median(lambda: wall([PYTHON, "-c", "from helpers import data; data.load_all()"], cwd),
                  repeat)
    return [("(b) data.load_all() in a fresh process", load, floor)]


def bench_browser() -> list[tuple[str, float, float]]:
    sys.path.insert(0, str(REPO / "tests"))
    import lab_driver
    import nbformat

    missing = lab_driver.browser_missing()
    if missing:
        print(f"(c) skipped: {missing}", file=sys.stderr)
        return []
    from playwright.sync_api import sync_playwright

    with lab_driver.LabServer() as server, sync_playwright() as playwright:
        empty = nbformat.v4.new_notebook()
        empty.cells = [nbformat.v4.new_code_cell("pass")]   # an empty cell gets no count
        empty.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                        "language": "python"}
        nbformat.write(empty, server.root_dir / "zz_empty.ipynb")
        browser = lab_driver.launch_browser(playwright)
        context = lab_driver.new_context(browser, server)

        def run(name: str, quiz: bool) -> float:
            page = lab_driver.open_notebook(context, server, name)
            try:
                seconds = lab_driver.run_all(page, server, name)
                if quiz:   # until the quiz's widgets are on the page
                    started = time.perf_counter()
                    page.wait_for_selector(f"{lab_driver.PANEL} .quiz .quiz-check")
                    seconds += time.perf_counter() - started
                return seconds
            finally:
                page.close()
                server.shutdown_sessions()

        run("zz_empty.ipynb", False)   # warm-up: first kernel of a cold server
        floor = statistics.median(run("zz_empty.ipynb", False) for _ in range(3))
        per_notebook = []
        for notebook in NOTEBOOKS:
            per_notebook.append(run(notebook.name, True))
            print(f"(c) {notebook.name}: {per_notebook[-1]:.2f} s (empty notebook {floor:.2f} s)",
                  file=sys.stderr)
        browser.close()
    return [(f"(c) Run All to a live quiz, median of {len(per_notebook)} notebooks",
             statistics.median(per_notebook), floor),
            ("(c) Run All to a live quiz, slowest notebook", max(per_notebook), floor)]


def folder_size(path: Path) -> int:
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def pins() -> list[str]:
    wanted = []
    for line in (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines():
        name = line.split("==")[0].strip().lower()
        if name in BARE_STACK:
            wanted.append(line.split("#")[0].strip())
    return wanted


def cached_venv(name: str, *pip_args: str) -> Path:
    """A fresh venv made with venv and pip alone, cached until the requirement files change."""
    key = hashlib.sha256(repr(pip_args).encode())
    for requirements in ("requirements.txt", "requirements-dev.txt", "pyproject.toml"):
        key.update((REPO / requirements).read_bytes())
    folder = CACHE / f"{name}-{key.hexdigest()[:12]}"
    if not (folder / ".installed").is_file():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([PYTHON, "-m", "venv", "--clear", str(folder)], check=True)
        python = str(venv_python(folder))
        subprocess.run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet", *pip_args], cwd=REPO, check=True)
        (folder / ".installed").touch()
    return folder


def bench_venv() -> list[tuple[str, float, float]]:
    mib = 2 ** 20
    bare = folder_size(cached_venv("bare", *pins())) / mib
    runtime = folder_size(cached_venv("runtime", "-r", "requirements.txt")) / mib
    dev = folder_size(cached_venv("dev", "-r", "requirements-dev.txt")) / mib
    return [("(d) runtime venv, requirements.txt (MiB) vs the stack the course needs", runtime, bare),
            ("(d) test venv, requirements-dev.txt (MiB) vs the runtime venv", dev, runtime)]


def print_table(rows: list[tuple[str, float, float]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"{'measurement':<{width}}  {'value':>9}  {'floor':>9}  ratio")
    for label, value, floor in rows:
        unit = "" if "MiB" in label else " s"
        print(f"{label:<{width}}  {value:>7.1f}{unit:2}  {floor:>7.1f}{unit:2}  {value / floor:.2f}x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per suite timing (default 1)")
    parser.add_argument("--skip", default="", help="comma list of: nbval,load,browser,venv")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    rows: list[tuple[str, float, float]] = []
    if "nbval" not in skip:
        rows += bench_nbval(args.repeat)
    if "load" not in skip:
        rows += bench_load_all(max(args.repeat, 5))
    if "browser" not in skip:
        rows += bench_browser()
    if "venv" not in skip:
        rows += bench_venv()
    if rows:
        print_table(rows)
        print(f"\n(python {sys.version.split()[0]}, {os.cpu_count()} cores; floors: (a) bare notebooks "
              "under nbval importing pandas, ipywidgets, matplotlib and drawing one chart, (b) "
              "import pandas, ipywidgets, (c) Run All of an empty notebook, (d) venv of "
              f"{' '.join(BARE_STACK)} at the same pins)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
