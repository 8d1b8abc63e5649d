"""A class on a real JupyterHub: start-up time, memory and CPU per student, hub and proxy.

    .venv/bin/python benchmarks/bench_hub.py                  # 12 students, the whole lesson
    .venv/bin/python benchmarks/bench_hub.py --students 20 --quiz-only

Uses the machinery of ``tests/test_hub.py`` (``tests/hub_harness.py``): the shipped
``deploy/jupyterhub/jupyterhub_config.py``, configurable-http-proxy from npm, every student at
once through the hub's REST API (server, nbgitpuller pull, a lesson kernel, answers, hand-in).
By default every code cell of the lesson (``notebooks/05_missiles_ukraine.ipynb``: tables,
charts, the quiz) runs in each student's kernel first, so the kernel's peak is a real lesson's.
A sampler reads every process's memory (RSS, PSS, USS) and CPU time once a second.

Prints a Markdown table (for ``benchmarks/hub.md``) and writes ``benchmarks/.cache/hub.json``.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import hub_harness as harness  # noqa: E402

RUN_LESSON = r'''
import json as _json
from pathlib import Path as _Path
_nb = _json.loads(_Path("05_missiles_ukraine.ipynb").read_text(encoding="utf-8"))
for _cell in _nb["cells"]:
    if _cell["cell_type"] == "code":
        _result = get_ipython().run_cell("".join(_cell["source"]))
        if not _result.success:
            raise RuntimeError(f"a lesson cell failed: "
                               f"{_result.error_in_exec or _result.error_before_exec!r}")
'''


def user_env() -> Path:
    """A venv of ``deploy/requirements-user.txt`` alone (what a hub's image holds: no course),
    made once and cached under ``benchmarks/.cache``; returns its ``jupyterhub-singleuser``."""
    requirements = REPO / "deploy" / "requirements-user.txt"
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()[:12]
    venv = REPO / "benchmarks" / ".cache" / f"hub-user-env-{digest}"
    command = venv / "bin" / "jupyterhub-singleuser"
    if not command.exists():
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                        "-r", str(requirements)], check=True)
    found = subprocess.run([str(venv / "bin" / "python"), "-c", "import helpers"],
                           cwd=tempfile.gettempdir(), capture_output=True)
    if found.returncode == 0:
        raise SystemExit(f"{venv} can import helpers: it must hold third-party packages only")
    return command


def summary(values: list[float]) -> str:
    if not values:
        return "—"
    return (f"{statistics.median(values):.0f} (max {max(values):.0f})" if len(values) > 1
            else f"{values[0]:.0f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=12, help="students at once (default 12)")
    parser.add_argument("--quiz-only", action="store_true",
                        help="run only the lesson's set-up and quiz code, as the test does")
    parser.add_argument("--test-env", action="store_true",
                        help="run the servers in this venv (with the test tools) instead of a "
                             "venv of deploy/requirements-user.txt alone")
    args = parser.parse_args()

    proxy = harness.ensure_proxy()
    singleuser = None if args.test_env else user_env()
    work = Path(tempfile.mkdtemp(prefix="bench-hub-"))
    course = harness.make_course_repo(work / "origin")
    hub = harness.Hub(work / "hub", proxy, singleuser=singleuser)
    load_before = os.getloadavg()
    began = time.monotonic()
    try:
        hub.start()
        hub_start = time.monotonic() - began
        with harness.Sampler(hub.proc.pid) as sampler:   # type: ignore[union-attr]
            time.sleep(3)
            idle = {p.kind: p.rss for p in sampler.peaks.values() if p.kind in ("hub", "proxy")}
            run = harness.run_class(hub, course, args.students,
                                    extra_code="" if args.quiz_only else RUN_LESSON)
            time.sleep(2)
        load_after = os.getloadavg()
        course_mib = harness.mib(sum(p.stat().st_size for p in
                                     (hub.homes / "s01" / harness.COURSE_FOLDER).rglob("*")
                                     if p.is_file()))
        progress_kib = round((hub.homes / "s01" / ".us-nato-course" / "progress.json")
                             .stat().st_size / 1024, 1)
    finally:
        hub.stop()
        shutil.rmtree(work, ignore_errors=True)

    students = {r.user for r in run.students}
    servers = [p for p in sampler.of_kind("server") if p.user in students]
    kernels = [p for p in sampler.of_kind("kernel") if p.user in students]
    [hub_proc] = sampler.of_kind("hub") or [harness.ProcessPeak(0, "hub", None)]
    proxies = sampler.of_kind("proxy")
    others = [p for p in sampler.of_kind("other") if p.user in students]
    mib = harness.mib
    figures = {
        "students": args.students,
        "user_env": "test venv" if args.test_env else "deploy/requirements-user.txt only",
        "pulled_course_mib": course_mib,
        "progress_file_kib": progress_kib,
        "lesson": "quiz only" if args.quiz_only else "every code cell of 05_missiles_ukraine",
        "cores": os.cpu_count(),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in load_after],
        "hub_start_s": round(hub_start, 1),
        "all_servers_ready_s": round(run.all_started_seconds, 1),
        "all_handed_in_s": round(run.all_done_seconds, 1),
        "server_ready_s": [round(r.start_seconds, 1) for r in run.students],
        "pull_s": [round(r.pull_seconds, 1) for r in run.students],
        "kernel_s": [round(r.kernel_seconds, 1) for r in run.students],
        "server_mib": {k: [mib(getattr(p, k)) for p in servers] for k in ("rss", "pss", "uss")},
        "kernel_mib": {k: [mib(getattr(p, k)) for p in kernels] for k in ("rss", "pss", "uss")},
        "server_cpu_s": [round(p.cpu, 1) for p in servers],
        "kernel_cpu_s": [round(p.cpu, 1) for p in kernels],
        "helpers_peak_mib": [mib(p.rss) for p in others],
        "hub_mib": {"idle": mib(idle.get("hub", 0)), "peak_rss": mib(hub_proc.rss),
                    "peak_pss": mib(hub_proc.pss), "cpu_s": round(hub_proc.cpu, 1)},
        "proxy_mib": {"idle": mib(idle.get("proxy", 0)),
                      "peak_rss": mib(max((p.rss for p in proxies), default=0)),
                      "cpu_s": round(max((p.cpu for p in proxies), default=0), 1)},
    }
    cache = REPO / "benchmarks" / ".cache"
    cache.mkdir(parents=True, exist_ok=True)
    (cache / "hub.json").write_text(json.dumps(figures, indent=1), encoding="utf-8")

    def row(name: str, value: str) -> None:
        print(f"| {name} | {value} |")

    print(f"\n{args.students} students at once, {figures['lesson']}, servers in "
          f"{figures['user_env']}; {figures['cores']} cores, load average before "
          f"{load_before[0]:.1f}, after {load_after[0]:.1f}\n")
    print("| measurement | value |\n|---|---|")
    row("hub start (until its API answers)", f"{hub_start:.1f} s")
    row(f"all {args.students} servers ready (from the first request)",
        f"{run.all_started_seconds:.0f} s")
    row("one server ready, median (max)", summary([r.start_seconds for r in run.students]) + " s")
    row("nbgitpuller pull, median (max)", summary([r.pull_seconds for r in run.students]) + " s")
    row("lesson kernel: open, run, answer, hand in, median (max)",
        summary([r.kernel_seconds for r in run.students]) + " s")
    row(f"all {args.students} handed in (from the first request)", f"{run.all_done_seconds:.0f} s")
    for label, procs in (("student server", servers), ("lesson kernel", kernels)):
        for key in ("rss", "pss", "uss"):
            row(f"{label}, peak {key.upper()} MiB, median (max)",
                summary([mib(getattr(p, key)) for p in procs]))
        row(f"{label}, CPU seconds, median (max)", summary([p.cpu for p in procs]))
    row("hub, RSS MiB idle / peak", f"{mib(idle.get('hub', 0)):.0f} / {mib(hub_proc.rss):.0f}")
    row("proxy, RSS MiB idle / peak",
        f"{mib(idle.get('proxy', 0)):.0f} / {figures['proxy_mib']['peak_rss']:.0f}")
    row("hub and proxy, CPU seconds", f"{hub_proc.cpu:.0f} + {figures['proxy_mib']['cpu_s']:.0f}")
    row("pulled course folder (with its .git)", f"{course_mib:.0f} MiB")
    row("a progress file after one lesson", f"{progress_kib} KiB")
    print(f"\nAll figures: {cache / 'hub.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
