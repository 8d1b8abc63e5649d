"""Notebook 7 and Voilà, next to JupyterLab, for the browser tests (tests/test_frontends.py).

    from frontend_driver import NotebookServer, VoilaServer, CourseLabServer

Each server is isolated like :class:`lab_driver.LabServer` (it is one): a temporary folder with
its own Jupyter config, data, IPython and progress folders (``COURSE_PROGRESS_DIR``), a random
token, a free port on 127.0.0.1, the process group it started stopped by its PID. The root is laid
out like the repository (a copy of ``notebooks/`` inside a course folder), so that the paths are
the ones a student meets:

- :class:`NotebookServer`: ``python -m notebook`` (Notebook 7) on the course folder; a lesson is at
  ``/notebooks/notebooks/<file>``.
- :class:`VoilaServer`: ``python -m voila notebooks`` run in the course folder (the README's
  reading mode); a lesson is at ``/voila/render/<file>``.
- :class:`CourseLabServer`: JupyterLab on the course folder (``make lab`` and Binder serve the
  repository's root); Voilà's server extension renders a lesson at
  ``/voila/render/notebooks/<file>``, the address Binder opens with
  ``urlpath=voila/render/notebooks/00_start_here.ipynb``.

The lessons find ``data/`` through the installed ``helpers`` package, as in ``LabServer``.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Any

from lab_driver import LabServer, copy_notebooks

COURSE = "course"        # the course folder inside the server's temporary folder
RIGHT = "✓ Correct"      # helpers/quiz/fallback.py, feedback_html
WRONG = "✗ Not quite"


def as_root() -> list[str]:
    """``--allow-root`` when this process runs as root (CI and these machines do)."""
    return ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


class CourseLabServer(LabServer):
    """JupyterLab on a course folder with ``notebooks/`` inside, as ``make lab`` and Binder serve
    the repository: Voilà's server extension renders a lesson at
    ``/voila/render/notebooks/<file>``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        shutil.rmtree(self.root_dir, ignore_errors=True)   # LabServer's flat copy
        self.root_dir = self.tmp / COURSE
        copy_notebooks(self.root_dir / "notebooks")

    def voila_url(self, notebook: str) -> str:
        return f"{self.url}/voila/render/notebooks/{notebook}"


class FrontendServer(LabServer):
    """A Jupyter front end other than JupyterLab, isolated as ``LabServer`` is; subclasses name
    the command (:meth:`command`) and how to tell that it answers (:meth:`answers`)."""

    app = "server"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        shutil.rmtree(self.root_dir, ignore_errors=True)
        self.course = self.tmp / COURSE
        copy_notebooks(self.course / "notebooks")
        self.root_dir = self.course

    def command(self) -> list[str]:
        raise NotImplementedError

    def answers(self) -> bool:
        """True once the server answers HTTP (an error status counts: it is up)."""
        try:
            with urllib.request.urlopen(f"{self.url}/?token={self.token}", timeout=10):
                return True
        except urllib.error.HTTPError:
            return True

    def start(self) -> FrontendServer:
        env = self.environment()
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.command(), cwd=self.course, env=env, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.app} exited with {self.proc.returncode}:\n{self.log()}")
            try:
                if self.answers():
                    return self
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"{self.app} did not answer within {self.startup_timeout} s:\n{self.log()}")

    def __enter__(self) -> FrontendServer:
        return self.start()


class NotebookServer(FrontendServer):
    """Notebook 7 (``python -m notebook``) on the course folder, with LabServer's settings
    overrides (autosave off, no news, every cell in the page)."""

    app = "Notebook 7"

    def command(self) -> list[str]:
        settings = self.tmp / "notebook-settings"
        settings.mkdir(exist_ok=True)
        (settings / "overrides.json").write_text(json.dumps(self.settings, indent=1))
        return [sys.executable, "-m", "notebook", "--no-browser",
                "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
                "--ServerApp.port_retries=0", f"--ServerApp.root_dir={self.root_dir}",
                f"--IdentityProvider.token={self.token}",
                # the settings API at /lab/api/settings may be JupyterLab's (its extension is
                # loaded too): both read the same overrides
                f"--JupyterNotebookApp.app_settings_dir={settings}",
                f"--LabApp.app_settings_dir={settings}",
                "--ServerApp.terminals_enabled=False",
                "--LanguageServerManager.autodetect=False", *as_root()]

    def answers(self) -> bool:
        self.api("status")
        return True

    def notebook_url(self, notebook: str) -> str:
        return f"{self.url}/notebooks/notebooks/{notebook}"


class VoilaServer(FrontendServer):
    """Voilà on its own, serving the lessons folder: ``python -m voila notebooks`` run in the
    course folder, as the README's reading mode does; a lesson is at ``/voila/render/<file>``."""

    app = "Voilà"

    def command(self) -> list[str]:
        return [sys.executable, "-m", "voila", "notebooks", "--no-browser",
                "--Voila.ip=127.0.0.1", f"--port={self.port}", "--Voila.port_retries=0",
                f"--token={self.token}"]

    def login(self, context: Any) -> None:
        """Give the browser context Voilà's login cookie (the token, once)."""
        page = context.new_page()
        page.goto(f"{self.url}/?token={self.token}")
        page.close()

    def voila_url(self, notebook: str) -> str:
        return f"{self.url}/voila/render/{notebook}"


# --- pages ---------------------------------------------------------------------------------------

def new_context(browser: Any) -> Any:
    """A browser context at lab_driver's window size and time-out."""
    context = browser.new_context(viewport={"width": 1280, "height": 1400})
    context.set_default_timeout(60_000)
    return context


def open_in_notebook7(context: Any, server: NotebookServer, notebook: str,
                      timeout: float = 120) -> Any:
    """Open ``notebook`` in Notebook 7; return the page once its kernel is idle and connected."""
    page = context.new_page()
    page.goto(f"{server.notebook_url(notebook)}?token={server.token}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=timeout * 1000)
    server.wait_kernel_ready(notebook, timeout)
    return page


def app_name(page: Any) -> str:
    """The front end's name from the page's Jupyter config ("Jupyter Notebook", "JupyterLab")."""
    return page.evaluate("""() => {
        const node = document.getElementById('jupyter-config-data');
        return node ? JSON.parse(node.textContent).appName || '' : '';
    }""")


def open_in_voila(context: Any, url: str, timeout: float = 300) -> Any:
    """Open a Voilà render and wait until the notebook has run and its quiz is live (its first
    Check button is in the page): Voilà sends the page once every cell has run, then draws the
    widgets."""
    page = context.new_page()
    page.goto(url, timeout=timeout * 1000, wait_until="load")
    page.wait_for_selector(".quiz .quiz-check", timeout=timeout * 1000)
    return page


def page_text_has_code(page: Any, snippets: list[str]) -> list[str]:
    """The code snippets (from the notebook's code cells) whose text the page shows."""
    text = page.locator("body").inner_text()
    return [s for s in snippets if s in text]


def code_snippets(cells: list[Any]) -> list[str]:
    """One distinctive line of every code cell: what a page that shows code would show."""
    found = []
    for cell in cells:
        if cell.cell_type != "code":
            continue
        lines = [line.strip() for line in cell.source.splitlines() if line.strip()]
        if lines:
            found.append(max(lines, key=len))
    return found


def exact(text: str) -> re.Pattern[str]:
    """A pattern for a label's exact text (a hidden empty label may add a zero-width space)."""
    return re.compile(rf"^[\s\u200b]*{re.escape(text)}[\s\u200b]*$")


def answer_single_right(question_box: Any, option_text: str) -> str:
    """Pick ``option_text`` of a single-choice or true/false question with a click, press Check,
    and return the feedback once it says it is right."""
    from playwright.sync_api import expect

    question_box.scroll_into_view_if_needed()
    question_box.locator(".quiz-option label").filter(has_text=exact(option_text)).click()
    question_box.locator("button.quiz-check").click()
    feedback = question_box.locator('.quiz-feedback[role="status"]')
    expect(feedback).to_contain_text(RIGHT, timeout=30_000)
    return feedback.inner_text()
