"""Run a real JupyterHub on 127.0.0.1 with the shipped configuration, and a class of students.

Used by ``tests/test_hub.py`` (the proof) and ``benchmarks/bench_hub.py`` (the figures). What it
does, step by step:

1. ``ensure_proxy``: configurable-http-proxy from npm, pinned by ``deploy/jupyterhub/package.json``
   and its lock file, installed once into ``build/hub-test/proxy`` (``npm ci``).
2. ``make_course_repo``: a git repository holding a snapshot of the course (the working tree's
   files that git would see), the "GitHub" the nbgitpuller link points at.
3. ``Hub``: ``jupyterhub -f`` a small test config that loads ``deploy/jupyterhub/jupyterhub_config.py``
   as shipped and overrides only what a test must: the authenticator (dummy), the spawner
   (``SimpleLocalProcessSpawner``), addresses and ports, temporary folders, an admin token for
   the test, and ``--allow-root`` where the test runs as root.
4. ``run_class``: every student, in parallel, gets a token through the hub's REST API, starts a
   server, pulls the course with the query of the link ``tools/hub_link.py`` makes, opens a
   lesson (a real kernel through the hub's proxy: Jupyter server REST and the kernel websocket),
   runs the lesson's own set-up and quiz code, answers with the quiz widgets as a student would,
   and hands in an export into ``COURSE_HANDIN_DIR``. A sampler records every process's memory.

Every process is stopped by its PID in :meth:`Hub.stop`, also after a failure.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import grp
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import psutil
import requests
import websocket
from requests.adapters import HTTPAdapter

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy" / "jupyterhub"
SHIPPED_CONFIG = DEPLOY / "jupyterhub_config.py"
PROXY_CACHE = REPO / "build" / "hub-test" / "proxy"
COURSE_FOLDER = "us-nato-course"
LESSON = "missiles-ukraine"
LESSON_NOTEBOOK = "notebooks/05_missiles_ukraine.ipynb"
TEACHER = "teacher"
# Names a class really has: Cyrillic, accents, and two students called Anna.
NAMES = ["Юлія Коваленко", "Anna", "Anna", "Zoë Müller", "Mehmet Yılmaz", "Oksana Petrenko",
         "Dmitri Sokolov", "Léa Martin", "Kwame Mensah", "Sofia Rossi", "Jan Nowak",
         "Aino Virtanen", "Tomás Ó Briain", "Nadia Haddad", "Lukas Bauer", "Mia Kowalczyk"]


class HubUnavailable(RuntimeError):
    """Node.js or npm (for the proxy) is missing or cannot install: the message says what to do."""


# --- the proxy --------------------------------------------------------------------------------------

def ensure_proxy(cache: Path = PROXY_CACHE) -> Path:
    """Install configurable-http-proxy (pinned) into ``cache`` once; return its command."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        raise HubUnavailable("the hub test needs Node.js 20 or newer and npm for "
                             "configurable-http-proxy (apt-get install nodejs npm)")
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    if not version.startswith("v") or int(version[1:].split(".")[0]) < 20:
        raise HubUnavailable(f"configurable-http-proxy needs Node.js 20 or newer (found {version})")
    from filelock import FileLock

    cache.mkdir(parents=True, exist_ok=True)
    command = cache / "node_modules" / ".bin" / "configurable-http-proxy"
    lock = (DEPLOY / "package-lock.json").read_bytes()
    with FileLock(str(cache / ".install.lock"), timeout=600):
        installed = cache / "package-lock.json"
        if command.exists() and installed.exists() and installed.read_bytes() == lock:
            return command
        shutil.copy(DEPLOY / "package.json", cache / "package.json")
        shutil.copy(DEPLOY / "package-lock.json", cache / "package-lock.json")
        done = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                              cwd=cache, capture_output=True, text=True, timeout=600)
        if done.returncode != 0 or not command.exists():
            installed.unlink(missing_ok=True)
            raise HubUnavailable("npm could not install configurable-http-proxy "
                                 f"(npm ci in {cache}):\n{done.stderr[-2000:]}")
    return command


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- the course repository ------------------------------------------------------------------------

GIT_ID = ["-c", "user.name=Course test", "-c", "user.email=course-test@localhost",
          "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *GIT_ID, *args], cwd=repo, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed in {repo}: {done.stderr}")
    return done.stdout


def make_course_repo(dest: Path) -> Path:
    """A git repository (branch ``main``) holding the course's files as they are in the working
    tree: what a teacher's published repository would hold."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=REPO, capture_output=True, text=True, check=True).stdout
    dest.mkdir(parents=True)
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file() and not name.startswith("deploy/jupyterhub/node_modules"):
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    _git(dest, "init", "--quiet", "--initial-branch=main")
    _git(dest, "add", "--all")
    _git(dest, "commit", "--quiet", "--no-verify", "-m", "The course as published")
    return dest


def commit_change(repo: Path, changes: dict[str, str], message: str) -> None:
    """Append text to files of the course repository and commit (the teacher's update)."""
    for name, text in changes.items():
        path = repo / name
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    _git(repo, "add", "--all")
    _git(repo, "commit", "--quiet", "--no-verify", "-m", message)


def load_hub_link() -> Any:
    """``tools/hub_link.py`` as a module (tools/ is not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("hub_link", REPO / "tools" / "hub_link.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("hub_link", module)
    spec.loader.exec_module(module)
    return module


def link_query(repo: Path) -> dict[str, str]:
    """The query of the link ``tools/hub_link.py`` makes for this repository (what a click sends)."""
    hub_link = load_hub_link()
    link = hub_link.make_link("http://127.0.0.1", repo.as_uri(), "main",
                              notebook=LESSON_NOTEBOOK)
    return dict(parse_qsl(urlsplit(link).query))


# --- processes and memory ---------------------------------------------------------------------------

def kind_of(proc: psutil.Process) -> str:
    try:
        cmd = " ".join(proc.cmdline())
    except (psutil.Error, OSError):
        return "gone"
    if "configurable-http-proxy" in cmd:
        return "proxy"
    if "jupyterhub_idle_culler" in cmd:
        return "culler"
    if "jupyterhub-singleuser" in cmd or "jupyterhub.singleuser" in cmd:
        return "server"
    if "ipykernel" in cmd:
        return "kernel"
    if "jupyterhub" in cmd and "-f" in cmd:
        return "hub"
    return "other"


@dataclasses.dataclass
class ProcessPeak:
    pid: int
    kind: str
    user: str | None
    rss: int = 0
    uss: int = 0
    pss: int = 0
    created: float = 0.0
    cmd: str = ""
    cpu: float = 0.0               # user + system CPU seconds, the last value seen


class Sampler:
    """Every second, the memory of the hub and all its descendants; keeps each process's peak."""

    def __init__(self, root_pid: int, every: float = 1.0) -> None:
        self.root_pid = root_pid
        self.every = every
        self.peaks: dict[tuple[int, float], ProcessPeak] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="memory-sampler", daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def sample(self) -> None:
        try:
            root = psutil.Process(self.root_pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            return
        for proc in procs:
            try:
                key = (proc.pid, proc.create_time())
                peak = self.peaks.get(key)
                if peak is None:
                    peak = self.peaks[key] = ProcessPeak(proc.pid, "other", None, created=key[1])
                if peak.kind in ("other", "gone", "hub") and proc.pid != self.root_pid:
                    # a child seen between fork and exec still shows its parent's command line
                    peak.kind = kind_of(proc)
                    peak.cmd = " ".join(proc.cmdline())[:200]
                    with contextlib.suppress(psutil.Error, OSError):
                        peak.user = proc.environ().get("JUPYTERHUB_USER") or peak.user
                elif proc.pid == self.root_pid:
                    peak.kind = "hub"
                info = proc.memory_full_info()
                times = proc.cpu_times()
            except (psutil.Error, OSError):
                continue
            peak.cpu = max(peak.cpu, times.user + times.system)
            peak.rss = max(peak.rss, info.rss)
            peak.uss = max(peak.uss, getattr(info, "uss", 0))
            peak.pss = max(peak.pss, getattr(info, "pss", 0))

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every)

    def of_kind(self, kind: str) -> list[ProcessPeak]:
        return [p for p in self.peaks.values() if p.kind == kind]


# --- the hub ----------------------------------------------------------------------------------------

TEST_CONFIG = '''\
# Written by tests/hub_harness.py: the shipped configuration, then only what a test must change.
import os
c = get_config()  # noqa: F821
load_subconfig({shipped!r})  # noqa: F821 - deploy/jupyterhub/jupyterhub_config.py, as shipped

c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.spawner_class = "simple"          # SimpleLocalProcessSpawner: no Unix users needed
c.SimpleLocalProcessSpawner.home_dir_template = {home_template!r}
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.pid_file = {proxy_pid!r}
c.JupyterHub.db_url = {db_url!r}
c.JupyterHub.cookie_secret_file = {cookie!r}
c.JupyterHub.services.append({{"name": "course-test", "api_token": {admin_token!r}}})
c.JupyterHub.load_roles.append({{"name": "admin", "services": ["course-test"]}})
if {as_root!r}:
    c.Spawner.args.append("--allow-root")      # jupyter server refuses root without it
if {singleuser!r}:
    c.Spawner.cmd = [{singleuser!r}]            # another user environment (benchmarks/bench_hub.py)
'''


class Hub:
    """A JupyterHub started from the shipped configuration in ``workdir``; stop it with :meth:`stop`."""

    def __init__(self, workdir: Path, proxy: Path, handin_dir: Path | None = None,
                 singleuser: Path | None = None) -> None:
        self.workdir = workdir
        self.singleuser = singleuser
        self.proxy = proxy
        self.homes = workdir / "home"
        self.handin_dir = handin_dir or workdir / "srv" / "handin"
        self.port, self.hub_port, self.api_port = free_port(), free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.admin_token = secrets.token_hex(24)
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = workdir / "jupyterhub.log"
        self.extra_pids: list[tuple[int, float]] = []     # other processes the test started
        self.seen: dict[int, float] = {}                  # every descendant ever seen: pid -> created
        self.session = requests.Session()                 # shared by the students' threads
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=64)
        self.session.mount("http://", adapter)

    # --- starting and stopping

    def start(self, timeout: float = 90) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.homes.mkdir(exist_ok=True)
        config = self.workdir / "test_jupyterhub_config.py"
        config.write_text(TEST_CONFIG.format(
            shipped=str(SHIPPED_CONFIG), home_template=str(self.homes / "{username}"),
            port=self.port, hub_port=self.hub_port, api_port=self.api_port,
            proxy=str(self.proxy), proxy_pid=str(self.workdir / "proxy.pid"),
            db_url=f"sqlite:///{self.workdir / 'jupyterhub.sqlite'}",
            cookie=str(self.workdir / "cookie_secret"), admin_token=self.admin_token,
            as_root=os.geteuid() == 0,
            singleuser=str(self.singleuser) if self.singleuser else ""), encoding="utf-8")
        env = {
            "PATH": os.pathsep.join([str(Path(sys.executable).parent),
                                     os.environ.get("PATH") or os.defpath]),
            "HOME": str(self.workdir),
            "LANG": "C.UTF-8",
            "COURSE_HUB_HANDIN_DIR": str(self.handin_dir),
            "COURSE_HUB_TEACHERS_GROUP": grp.getgrgid(os.getegid()).gr_name,
        }
        log = self.log_path.open("wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)],
                                     cwd=self.workdir, env=env, stdout=log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterHub stopped at start-up:\n{self.log_tail()}")
            try:
                if self.session.get(f"{self.url}/hub/api/", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"JupyterHub did not answer within {timeout} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def remember_tree(self) -> None:
        """Note every descendant of the hub now (so that :meth:`stop` can end it by PID)."""
        if self.proc is None:
            return
        try:
            for child in psutil.Process(self.proc.pid).children(recursive=True):
                self.seen.setdefault(child.pid, child.create_time())
        except psutil.Error:
            pass

    def stop(self) -> None:
        """Stop the hub (which stops the servers and the proxy), then end by PID every process it
        or the test started that is still running."""
        self.remember_tree()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=45)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        for pid, created in [*self.seen.items(), *self.extra_pids]:
            try:
                proc = psutil.Process(pid)
                if abs(proc.create_time() - created) < 0.01:
                    proc.kill()
            except psutil.Error:
                continue
        self.session.close()

    def start_process(self, args: list[str], env: dict[str, str], log_name: str) -> subprocess.Popen[bytes]:
        """Start a helper process (e.g. the idle culler), stopped by PID in :meth:`stop`."""
        with (self.workdir / log_name).open("wb") as log:
            proc = subprocess.Popen(args, cwd=self.workdir, env=env, stdout=log,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        self.extra_pids.append((proc.pid, psutil.Process(proc.pid).create_time()))
        return proc

    # --- the REST API

    def api(self, method: str, path: str, token: str | None = None, **kwargs: Any) -> Any:
        response = self.session.request(
            method, f"{self.url}/hub/api{path}", timeout=kwargs.pop("timeout", 30),
            headers={"Authorization": f"token {token or self.admin_token}"}, **kwargs)
        if response.status_code >= 400:
            raise RuntimeError(f"{method} /hub/api{path}: {response.status_code} {response.text}")
        return response.json() if response.content else None

    def add_users(self, names: Iterable[str], admin: bool = False) -> dict[str, str]:
        """Create users; return each one's own API token (made by the admin token)."""
        names = list(names)
        self.api("POST", "/users", json={"usernames": names, "admin": admin})
        return {name: self.api("POST", f"/users/{name}/tokens",
                               json={"note": "course test", "expires_in": 3600})["token"]
                for name in names}

    def start_server(self, user: str, token: str, timeout: float = 180) -> float:
        """Start the user's server as the user; return the seconds until the hub says it is ready."""
        started = time.monotonic()
        self.api("POST", f"/users/{user}/server", token=token)
        while time.monotonic() - started < timeout:
            model = self.api("GET", f"/users/{user}")
            server = (model.get("servers") or {}).get("")
            if server and server.get("ready"):
                return time.monotonic() - started
            time.sleep(0.25)
        raise RuntimeError(f"the server of {user} was not ready in {timeout} s:\n{self.log_tail()}")

    def server_running(self, user: str) -> bool:
        return bool((self.api("GET", f"/users/{user}").get("servers") or {}).get(""))

    def user_url(self, user: str, path: str) -> str:
        return f"{self.url}/user/{user}/{path.lstrip('/')}"

    def pull(self, user: str, token: str, query: dict[str, str],
             timeout: float = 120) -> list[dict[str, Any]]:
        """What the nbgitpuller page does after a click on the link: its API's event stream."""
        params = {k: query[k] for k in ("repo", "branch", "targetpath")}
        events: list[dict[str, Any]] = []
        with self.session.get(self.user_url(user, "git-pull/api"), params=params, stream=True,
                              timeout=timeout, headers={"Authorization": f"token {token}"}) as response:
            response.raise_for_status()
            for line in response.iter_lines(decode_unicode=True):
                if line and line.startswith("data:"):
                    event = json.loads(line[5:])
                    events.append(event)
                    if event.get("phase") in ("finished", "error"):
                        break
        if not events or events[-1].get("phase") != "finished":
            raise RuntimeError(f"nbgitpuller did not finish for {user}: {events[-3:]}")
        return events

    def open_notebook(self, user: str, token: str, path: str) -> str:
        """Open a notebook as JupyterLab does (a session with a new kernel); return the kernel id."""
        response = self.session.post(
            self.user_url(user, "api/sessions"), timeout=120,
            headers={"Authorization": f"token {token}"},
            json={"path": path, "name": Path(path).name, "type": "notebook",
                  "kernel": {"name": "python3"}})
        response.raise_for_status()
        return str(response.json()["kernel"]["id"])

    def shutdown_kernel(self, user: str, token: str, kernel_id: str) -> None:
        self.session.delete(self.user_url(user, f"api/kernels/{kernel_id}"), timeout=60,
                            headers={"Authorization": f"token {token}"})

    def execute(self, user: str, token: str, kernel_id: str, code: str, timeout: float = 180) -> str:
        """Run code in a kernel through the hub's proxy (kernel websocket); return its stdout.

        Raises RuntimeError with the traceback if the code fails.
        """
        url = self.user_url(user, f"api/kernels/{kernel_id}/channels").replace("http://", "ws://")
        for attempt in range(1, 4):       # a kernel still starting may refuse the first handshake
            try:
                ws = websocket.create_connection(url, header=[f"Authorization: token {token}"],
                                                 timeout=timeout)
                break
            except (websocket.WebSocketException, OSError) as exc:
                if attempt == 3:
                    raise RuntimeError(f"no kernel websocket for {user} ({kernel_id}): {exc!r}") from exc
                time.sleep(2 * attempt)
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": user, "session": uuid.uuid4().hex,
                       "msg_type": "execute_request", "version": "5.3",
                       "date": dt.datetime.now(dt.UTC).isoformat()},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
        }))
        out: list[str] = []
        error: str | None = None
        replied = idle = False
        deadline = time.monotonic() + timeout
        try:
            while not (replied and idle):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the kernel of {user} did not finish in {timeout} s")
                try:
                    msg = json.loads(ws.recv())
                except (websocket.WebSocketException, OSError) as exc:
                    raise RuntimeError(f"the kernel websocket of {user} failed while running "
                                       f"code: {exc!r}; output so far: {''.join(out)[-500:]}") from exc
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = msg["header"]["msg_type"]
                if kind == "stream":
                    out.append(msg["content"]["text"])
                elif kind == "error":
                    error = "\n".join(msg["content"]["traceback"])
                elif kind == "execute_reply":
                    replied = True
                elif kind == "status" and msg["content"]["execution_state"] == "idle":
                    idle = True
        finally:
            ws.close()
        if error is not None:
            raise RuntimeError(f"code failed in the kernel of {user}:\n{error}")
        return "".join(out)


def result_of(output: str) -> dict[str, Any]:
    """The ``RESULT:{json}`` line a kernel printed."""
    for line in output.splitlines():
        if line.startswith("RESULT:"):
            return dict(json.loads(line[len("RESULT:"):]))
    raise RuntimeError(f"no RESULT line in the kernel's output:\n{output}")


# --- what students do -------------------------------------------------------------------------------

REFLECTION = ("Both papers claim to answer the other side's concerns, but each uses its own words. "
              "I compared the US text as published with the Russian draft and noted which "
              "commitments were only offered for discussion, which were conditional on "
              "reciprocity, and which concerns of Ukraine and the neighbouring states were "
              "mentioned at all. I would want a second source before saying more.")


def plan_for(index: int, questions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """What student ``index`` does: ``(question_id, "right" | "wrong" | "text")`` in order.

    Students skip 0–2 of the last graded questions, get some wrong, the even ones write the
    reflection, and every fifth one tries a question again after a wrong first answer (only the
    first try counts).
    """
    graded = [qid for qid, qtype in questions if qtype != "reflection"]
    reflections = [qid for qid, qtype in questions if qtype == "reflection"]
    answered = graded[: len(graded) - index % 3]
    steps = [(qid, "wrong" if (index + n) % 4 == 0 else "right") for n, qid in enumerate(answered)]
    if index % 5 == 0:
        first_wrong = next((qid for qid, how in steps if how == "wrong"), None)
        if first_wrong:
            steps.append((first_wrong, "right"))
    if index % 2 == 0:
        steps.extend((qid, "text") for qid in reflections)
    return steps


def expected(plan: list[tuple[str, str]]) -> dict[str, int]:
    """What the teacher should see for one plan: attempts, questions answered, right first."""
    first: dict[str, str] = {}
    for qid, how in plan:
        first.setdefault(qid, how)
    return {"attempts": len(plan), "answered": len(first),
            "right": sum(1 for how in first.values() if how == "right")}


STUDENT_CODE = r'''
import json, os, sys
PLAN = json.loads({plan!r})

# The lesson's own set-up and quiz cells (notebooks/05_missiles_ukraine.ipynb).
from helpers import data
from helpers.lesson.setup import setup
lesson = setup(PLAN["lesson"])
q = lesson.quiz()

# Answer as a student does: set the widgets, press Check (as tests/test_quiz_widgets.py does).
from helpers.quiz import bank as quiz_bank

def answer(view, how):
    question, controls = view.question, view.controls
    kind = question.type
    if how == "text":
        controls[0].value = PLAN["reflection"]
    elif kind == "single":
        options = [o.text for o in question.options if o.correct == (how == "right")]
        controls[0].value = options[0]
    elif kind == "true_false":
        controls[0].value = question.answer if how == "right" else (not question.answer)
    elif kind == "multiple":
        wanted = [o.text for o in question.options if o.correct or how == "wrong"]
        for box in controls:
            box.value = box.description in wanted
    elif kind == "numeric":
        right = question.answer if question.answer is not None else sum(question.range) / 2
        far = abs(right) * 10 + 12345
        controls[0].value = quiz_bank.format_number(right if how == "right" else far)
    elif kind == "matching":
        rights = [r for _, r in question.pairs]
        pick = {{left: (right if how == "right" else rights[(n + 1) % len(rights)])
                for n, (left, right) in enumerate(question.pairs)}}
        for dropdown in controls:
            dropdown.value = pick[dropdown.description]
    elif kind == "ordering":
        n = len(question.items)
        pick = {{item: (k if how == "right" else n + 1 - k)
                for k, item in enumerate(question.items, start=1)}}
        for dropdown in controls:
            dropdown.value = pick[dropdown.description]
    view.check_button.click()
    return view.feedback.value

feedback = [answer(q.view(qid), how) for qid, how in PLAN["steps"]]

# Hand in, as the dashboard's Hand in button does: a new file in the hub's drop box.
from helpers.quiz import dashboard
from helpers.quiz.progress import get_store
store = get_store()
store.set_student(PLAN["name"])
handin = dashboard.hand_in(store)

import helpers
print("RESULT:" + json.dumps({{
    "helpers": helpers.__file__, "cwd": os.getcwd(), "sys_path_0": sys.path[:3],
    "progress": store.location(), "student_id": store.student_id,
    "records": len(store.records()), "handin": str(handin),
    "handin_mode": os.stat(handin).st_mode & 0o7777, "handin_gid": os.stat(handin).st_gid,
    "feedback": feedback,
    "env": {{k: os.environ.get(k) for k in ("PYTHONPATH", "COURSE_PROGRESS_DIR",
                                           "COURSE_HANDIN_DIR", "JUPYTERHUB_USER", "HOME")}},
}}, ensure_ascii=False))
'''

TEACHER_CODE = r'''
import json, os
from helpers.teacher import class_results
r = class_results.load_folder(os.environ["COURSE_HANDIN_DIR"])
firsts = class_results.first_tries(r)
per = {}
for sid, rows in r.answers.groupby("student_id"):
    per[sid] = {"attempts": int(len(rows))}
for sid, rows in firsts.groupby("student_id"):
    graded = rows[rows["question_type"] != "reflection"]
    per[sid]["answered"] = int(len(rows))
    per[sid]["right"] = int(graded["correct"].fillna(False).astype(bool).sum())
totals = class_results.scores(r)["total"]
print("RESULT:" + json.dumps({
    "files": r.files, "problems": r.problems, "warnings": r.warnings,
    "mismatches": int(len(r.mismatches)),
    "students": {str(row.student_id): {"name": row.name, "label": row.student}
                 for row in r.students_table.itertuples(index=False)},
    "per": per, "totals": {str(k): int(v) for k, v in totals.items()},
}, ensure_ascii=False))
'''


def student_code(name: str, steps: list[tuple[str, str]]) -> str:
    plan = {"lesson": LESSON, "name": name, "steps": steps, "reflection": REFLECTION}
    return STUDENT_CODE.format(plan=json.dumps(plan, ensure_ascii=False))


@dataclasses.dataclass
class StudentRun:
    user: str
    name: str
    token: str
    steps: list[tuple[str, str]]
    start_seconds: float = 0.0
    ready_at: float = 0.0          # seconds after the whole class started
    pull_seconds: float = 0.0
    kernel_seconds: float = 0.0
    result: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class ClassRun:
    students: list[StudentRun]
    teacher: dict[str, Any]
    teacher_token: str
    all_started_seconds: float     # from the first request to the last server ready
    all_done_seconds: float        # from the first request to the last hand-in
    query: dict[str, str]


def lesson_questions(course: Path) -> list[tuple[str, str]]:
    """The lesson's questions ``(id, type)`` as the course repository has them."""
    import yaml

    content = yaml.safe_load((course / "data" / "quizzes" / f"{LESSON}.yaml").read_text("utf-8"))
    out = []
    for raw in content["questions"]:
        if "ref" in raw:
            continue
        out.append((str(raw["id"]), str(raw["type"])))
    return out


def run_class(hub: Hub, course: Path, n_students: int = 12, extra_code: str = "") -> ClassRun:
    """Every student at once: token, server, pull, lesson kernel, answers, hand-in; then the
    teacher's class results in the teacher's own kernel."""
    query = link_query(course)
    questions = lesson_questions(course)
    users = [f"s{n:02d}" for n in range(1, n_students + 1)]
    tokens = hub.add_users(users)
    teacher_token = hub.add_users([TEACHER], admin=True)[TEACHER]
    runs = [StudentRun(user, NAMES[n % len(NAMES)], tokens[user], plan_for(n, questions))
            for n, user in enumerate(users)]
    notebook = f"{COURSE_FOLDER}/{LESSON_NOTEBOOK}"
    began = time.monotonic()

    def one(run: StudentRun) -> StudentRun:
        run.start_seconds = hub.start_server(run.user, run.token)
        run.ready_at = time.monotonic() - began
        hub.remember_tree()
        t = time.monotonic()
        hub.pull(run.user, run.token, query)
        run.pull_seconds = time.monotonic() - t
        t = time.monotonic()
        kernel = hub.open_notebook(run.user, run.token, notebook)
        hub.remember_tree()
        out = hub.execute(run.user, run.token, kernel, extra_code + student_code(run.name, run.steps))
        run.kernel_seconds = time.monotonic() - t
        run.result = result_of(out)
        return run

    def teacher_arrives() -> None:          # the teacher logs in with the class
        hub.start_server(TEACHER, teacher_token)
        hub.pull(TEACHER, teacher_token, query)

    with ThreadPoolExecutor(max_workers=n_students + 1) as pool:
        teacher_ready = pool.submit(teacher_arrives)
        runs = list(pool.map(one, runs))
        teacher_ready.result()
    all_started = max(r.ready_at for r in runs)
    all_done = time.monotonic() - began
    # After the hand-in: the teacher's class results, in the teacher's own kernel.
    kernel = hub.open_notebook(TEACHER, teacher_token, f"{COURSE_FOLDER}/teacher/class_results.ipynb")
    teacher = result_of(hub.execute(TEACHER, teacher_token, kernel, TEACHER_CODE))
    hub.remember_tree()
    return ClassRun(runs, teacher, teacher_token, all_started, all_done, query)


def mib(n: int | float) -> float:
    return round(n / 2**20, 1)
