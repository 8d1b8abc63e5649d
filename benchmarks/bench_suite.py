"""What the test suite, the notebooks and the environment cost, as ratios to a floor (a script,
never a timed test)::

    .venv/bin/python benchmarks/bench_suite.py [--repeat N] [--skip browser,venv,...]

Prints one table:

(a) nbval over every notebook vs the same number of bare kernels that only import pandas and
    ipywidgets (the floor), serially and with ``-n 2 --dist loadscope`` (floor: two at a time);
(b) ``from helpers import data; data.load_all()`` vs ``import pandas, ipywidgets`` (fresh process);
(c) in JupyterLab in chromium, Run All until the quiz is live, per notebook, vs Run All of a
    notebook with one `pass` cell (same server and driver as tests/test_browser.py);
(d) the size of .venv vs a venv of the bare design-card stack (jupyterlab ipywidgets pandas nbval,
    same pins), cached under benchmarks/.cache/.

Numbers depend on the machine and on what else runs: compare ratios, re-measure before relying on
a figure.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CACHE = REPO / "benchmarks" / ".cache"
PYTHON = sys.executable
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
FLOOR = "import pandas, ipywidgets"
BARE_STACK = ("jupyterlab", "ipywidgets", "pandas", "nbval")

BARE_KERNEL = f"""
import nbformat
from nbclient import NotebookClient
nb = nbformat.v4.new_notebook()
nb.cells = [nbformat.v4.new_code_cell({FLOOR!r})]
nb.metadata["kernelspec"] = {{"name": "python3", "display_name": "Python 3", "language": "python"}}
NotebookClient(nb, timeout=600, kernel_name="python3").execute()
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["COURSE_PROGRESS_DIR"] = tempfile.mkdtemp(prefix="bench-progress-")
    return env


def wall(cmd: list[str], cwd: Path = REPO) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=_env(), check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def bare_kernels(count: int, workers: int) -> float:
    """Seconds to run ``count`` bare kernels (import pandas, ipywidgets), ``workers`` at a time."""
    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda _: wall([PYTHON, "-c", BARE_KERNEL]), range(count)))
    return time.perf_counter() - started


def median(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    return statistics.median(fn() for _ in range(repeat))


def bench_nbval(repeat: int) -> list[tuple[str, float, float]]:
    base = [PYTHON, "-m", "pytest", "--nbval", "--nbval-current-env", "-q", "-p", "no:cacheprovider",
            "notebooks"]
    n = len(NOTEBOOKS)
    serial = median(lambda: wall(base), repeat)
    floor1 = median(lambda: bare_kernels(n, 1), repeat)
    parallel = median(lambda: wall(base + ["-n", "2", "--dist", "loadscope"]), repeat)
    floor2 = median(lambda: bare_kernels(n, 2), repeat)
    return [(f"(a) nbval, {n} notebooks, serial", serial, floor1),
            (f"(a) nbval, {n} notebooks, -n 2 --dist loadscope", parallel, floor2)]


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
        per_notebook = [run(p.name, True) for p in NOTEBOOKS]
        browser.close()
    return [(f"(c) Run All to a live quiz, median of {len(per_notebook)} notebooks",
             statistics.median(per_notebook), floor),
            ("(c) Run All to a live quiz, slowest notebook", max(per_notebook), floor)]


def folder_size(path: Path) -> int:
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def pins() -> list[str]:
    wanted = []
    for line in (REPO / "requirements.txt").read_text().splitlines():
        name = line.split("==")[0].strip().lower()
        if name in BARE_STACK:
            wanted.append(line.split("#")[0].strip())
    return wanted


def bench_venv() -> list[tuple[str, float, float]]:
    bare = CACHE / ("bare-venv-" + "-".join(p.replace("==", "") for p in pins()))
    if not (bare / ".installed").is_file():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([PYTHON, "-m", "venv", "--clear", str(bare)], check=True)
        subprocess.run([str(bare / "bin" / "python"), "-m", "pip", "install", "--quiet", *pins()],
                       check=True)
        (bare / ".installed").touch()
    mib = 2 ** 20
    return [("(d) .venv size (MiB) vs bare design-card stack", folder_size(Path(sys.prefix)) / mib,
             folder_size(bare) / mib)]


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
        print(f"\n(python {sys.version.split()[0]}, {os.cpu_count()} cores; floors: (a) bare kernels "
              "importing pandas+ipywidgets, (b) that import alone, (c) Run All of an empty "
              "notebook, (d) venv of jupyterlab ipywidgets pandas nbval)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
