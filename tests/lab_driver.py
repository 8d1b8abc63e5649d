"""A real JupyterLab and a real browser, for the browser tests and the benchmarks.

    from lab_driver import LabServer, launch_browser, open_notebook, run_all

:class:`LabServer` starts JupyterLab from this Python environment on 127.0.0.1 on a free port,
with its own config, data, IPython and progress folders in a temporary folder, a settings
``overrides.json`` (autosave off, no news, no windowing: every cell is in the page), a random
token, and a temporary copy of the notebooks as its root. It stops only the process group it
started, by its PID.

:func:`launch_browser` drives Debian's ``/usr/bin/chromium`` with Playwright for Python (never
``playwright install``). The page helpers open a notebook, wait for its kernel, Run All from the
menu and wait until every code cell has run.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
CHROMIUM = os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
INSTALL_HINT = "apt-get install chromium (Debian's package; Playwright drives /usr/bin/chromium)"
SETTINGS_OVERRIDES = {
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false",
                                                    "checkForUpdates": False},
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
STDERR = ('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], '
          ".jp-OutputArea-output.jp-mod-error, .jp-RenderedText.jp-mod-error")


def browser_missing() -> str | None:
    """Why the browser tests cannot run here (None if they can)."""
    if not Path(CHROMIUM).is_file():
        return f"{CHROMIUM} is missing: {INSTALL_HINT}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is missing: pip install -r requirements-dev.txt"
    return None


def require_browser() -> None:
    """Skip the calling test when no browser can run here; under CI (``CI=true``) fail instead,
    so that a CI machine without chromium never passes by skipping."""
    import pytest

    missing = browser_missing()
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser tests cannot run under CI: {missing}")
        pytest.skip(missing)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_notebooks(target: Path, source: Path = NOTEBOOKS) -> Path:
    """Copy the notebooks folder (only it) to ``target``; return ``target``."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return target


class LabServer:
    """JupyterLab on 127.0.0.1, isolated in a temporary folder; use as a context manager."""

    def __init__(self, root_dir: Path | None = None, env: dict[str, str] | None = None,
                 startup_timeout: float = 90, settings: dict[str, Any] | None = None) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="course-lab-"))
        self.root_dir = root_dir or copy_notebooks(self.tmp / "notebooks")
        self.progress_dir = self.tmp / "progress"
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.extra_env = env or {}
        # more settings overrides, e.g. {"@jupyterlab/apputils-extension:themes": {"theme": …}}
        self.settings = {**SETTINGS_OVERRIDES, **(settings or {})}
        self.startup_timeout = startup_timeout
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = self.tmp / "server.log"

    # --- life cycle ----------------------------------------------------------------------------

    def environment(self) -> dict[str, str]:
        """The server's environment: its own Jupyter, IPython and progress folders under its
        temporary folder, no course overrides from the calling process, then ``env``."""
        env = {k: v for k, v in os.environ.items()
               if k not in ("COURSE_QUIZ_DIR", "COURSE_DATA_DIR", "JUPYTER_PATH",
                            "JUPYTER_RUNTIME_DIR", "PYTEST_XDIST_WORKER")}
        for name, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                          ("IPYTHONDIR", "ipython"), ("COURSE_PROGRESS_DIR", "progress")):
            (self.tmp / sub).mkdir(exist_ok=True)
            env[name] = str(self.tmp / sub)
        env["JUPYTER_PLATFORM_DIRS"] = "1"
        env.update(self.extra_env)
        return env

    def start(self) -> "LabServer":
        settings = self.tmp / "lab-settings"
        settings.mkdir()
        (settings / "overrides.json").write_text(json.dumps(self.settings, indent=1))
        env = self.environment()
        cmd = [sys.executable, "-m", "jupyterlab", "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
               "--ServerApp.port_retries=0", f"--ServerApp.root_dir={self.root_dir}",
               f"--IdentityProvider.token={self.token}",
               f"--LabApp.app_settings_dir={settings}",
               "--LabApp.news_url=", "--ServerApp.terminals_enabled=False",
               "--LanguageServerManager.autodetect=False"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")   # CI and these machines run as root
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, cwd=self.tmp, env=env, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {self.proc.returncode}:\n{self.log()}")
            try:
                self.api("status")
                return self
            except (OSError, urllib.error.URLError):
                time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"JupyterLab did not answer within {self.startup_timeout} s:\n{self.log()}")

    def stop(self) -> None:
        """Stop the server and its kernels: the process group this object started, by its PID."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
            except ProcessLookupError:
                pass
        if self.proc is not None:
            self._log.close()
        self.proc = None
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> "LabServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    # --- REST API -----------------------------------------------------------------------------

    def api(self, path: str, method: str = "GET") -> Any:
        request = urllib.request.Request(f"{self.url}/api/{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def session(self, notebook: str) -> dict[str, Any] | None:
        for session in self.api("sessions"):
            if session.get("path", "").endswith(notebook):
                return session
        return None

    def wait_kernel_ready(self, notebook: str, timeout: float = 120) -> dict[str, Any]:
        """Wait until the notebook's kernel is idle with a browser connected (a cold server
        ignores an early Run All)."""
        deadline = time.monotonic() + timeout
        session = None
        while time.monotonic() < deadline:
            session = self.session(notebook)
            kernel = (session or {}).get("kernel") or {}
            if kernel.get("execution_state") == "idle" and kernel.get("connections", 0) >= 1:
                return session  # type: ignore[return-value]
            time.sleep(0.25)
        raise TimeoutError(f"the kernel of {notebook} was not idle and connected: {session}")

    def shutdown_sessions(self) -> None:
        """Shut down every kernel session (between notebooks, to spare the two cores)."""
        for session in self.api("sessions"):
            try:
                self.api(f"sessions/{session['id']}", method="DELETE")
            except urllib.error.URLError:
                pass


# --- the browser ------------------------------------------------------------------------------

def launch_browser(playwright: Any) -> Any:
    """Debian's chromium, headless, with the flags this machine needs."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                      args=CHROMIUM_FLAGS)


def new_context(browser: Any, server: LabServer) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 1400})
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.goto(f"{server.url}/lab?token={server.token}")   # sets the login cookie
    page.close()
    return context


def open_notebook(context: Any, server: LabServer, notebook: str, timeout: float = 120) -> Any:
    """Open ``notebook`` in a new page of a fresh workspace; return the page once its kernel
    is idle and connected. A new page per notebook (closing the old one skips the unsaved-changes
    prompt)."""
    page = context.new_page()
    page.goto(f"{server.url}/lab/tree/{notebook}?reset")
    page.wait_for_selector(f"{PANEL} .jp-Cell", timeout=timeout * 1000)
    server.wait_kernel_ready(notebook, timeout)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status=idle]",
                           timeout=timeout * 1000)
    return page


def menu(page: Any, top: str, item: str) -> None:
    """Click a main-menu entry, e.g. ``menu(page, "Run", "Run All Cells")``."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{re.escape(top)}$")).click()
    page.locator(".lm-Menu-itemLabel",
                 has_text=re.compile(f"^{re.escape(item)}$")).first.click()


_ALL_RAN = """(panel) => {
    const nb = document.querySelector(panel);
    if (!nb) return false;
    const prompts = [...nb.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
    const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
    return prompts.length > 0 && prompts.every(p => /^\\[\\d+\\]:$/.test(p.textContent.trim()))
        && (!indicator || indicator.dataset.status === 'idle');
}"""


def execution_counts(page: Any) -> list[str]:
    return page.locator(f"{PANEL} .jp-CodeCell .jp-InputArea-prompt").all_inner_texts()


def run_all(page: Any, server: LabServer, notebook: str, timeout: float = 300) -> float:
    """Clear all outputs (prompts go blank), Run All from the menu, wait until every code cell
    has an execution count and the kernel is idle; return the seconds from the click."""
    menu(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function("""(panel) => [...document.querySelectorAll(panel + ' .jp-CodeCell .jp-InputArea-prompt')]
        .every(p => !/\\d/.test(p.textContent))""", arg=PANEL)
    started = time.perf_counter()
    menu(page, "Run", "Run All Cells")
    page.wait_for_function(_ALL_RAN, arg=PANEL, timeout=timeout * 1000, polling=200)
    seconds = time.perf_counter() - started
    server.wait_kernel_ready(notebook, 60)
    return seconds


def restart_kernel(page: Any, server: LabServer, notebook: str) -> None:
    """Kernel → Restart Kernel…, accept the dialog, wait for the new kernel to be idle."""
    menu(page, "Kernel", "Restart Kernel…")
    page.locator(".jp-Dialog .jp-mod-accept").click()
    page.wait_for_selector(".jp-Dialog", state="detached")
    time.sleep(1)
    server.wait_kernel_ready(notebook, 60)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status=idle]")


def error_outputs(page: Any) -> list[str]:
    return page.locator(f"{PANEL} :is({STDERR})").all_inner_texts()


def broken_images(page: Any) -> list[str]:
    """Images in output areas that did not load (e.g. a chart with a bad data URL)."""
    page.wait_for_function("""(panel) => [...document.querySelectorAll(panel + ' .jp-OutputArea-output img')]
        .every(img => img.complete)""", arg=PANEL)
    return page.evaluate("""(panel) => [...document.querySelectorAll(panel + ' .jp-OutputArea-output img')]
        .filter(img => img.naturalWidth === 0).map(img => img.src.slice(0, 120))""", PANEL)


def wait_idle(page: Any) -> None:
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status=idle]")
