"""The class setup on JupyterHub: the shipped configuration, the link, the drop box, and a real hub.

The slow test starts a real JupyterHub (PyPI) with configurable-http-proxy (npm) on 127.0.0.1,
loading ``deploy/jupyterhub/jupyterhub_config.py`` as shipped, and runs a class of twelve
students through it (``tests/hub_harness.py`` says how). Without Node.js/npm it is skipped with a
message; under CI (``CI=true``) that is a failure instead.
"""
from __future__ import annotations

import json
import os
import re
import runpy
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml
from hub_harness import (
    COURSE_FOLDER,
    LESSON,
    LESSON_NOTEBOOK,
    SHIPPED_CONFIG,
    TEACHER,
    Hub,
    HubUnavailable,
    Sampler,
    commit_change,
    ensure_proxy,
    expected,
    load_hub_link,
    make_course_repo,
    mib,
    result_of,
    run_class,
)

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
hub_link = load_hub_link()

N_STUDENTS = 12


def load_shipped_config(env: dict[str, str]) -> dict[str, Any]:
    """Run the shipped config file as JupyterHub does (a traitlets Config named ``c``)."""
    from traitlets.config import Config

    config = Config()
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        namespace = runpy.run_path(str(SHIPPED_CONFIG),
                                   init_globals={"c": config, "get_config": lambda: config})
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    namespace["c"] = config
    return namespace


# --- the shipped configuration ----------------------------------------------------------------------

@pytest.fixture
def shipped(tmp_path: Path) -> dict[str, Any]:
    return load_shipped_config({"COURSE_HUB_HANDIN_DIR": str(tmp_path / "srv" / "handin"),
                                "COURSE_HUB_TEACHERS_GROUP": str(os.getegid())})


class FakeUser:
    def __init__(self, name: str) -> None:
        self.name, self.id = name, 7


def test_the_kernel_finds_the_course_in_the_pulled_folder(shipped: dict[str, Any]) -> None:
    c = shipped["c"]
    env = c.Spawner.environment.get_value({}) if hasattr(c.Spawner.environment, "get_value") \
        else c.Spawner.environment
    assert set(env) == {"PYTHONPATH", "COURSE_PROGRESS_DIR", "COURSE_HANDIN_DIR"}

    class Simple:                      # SimpleLocalProcessSpawner: a home_dir of its own
        user, home_dir = FakeUser("ann"), "/tmp/homes/ann"

    class Systemd:                     # TLJH: hub user "ann" runs as the Unix user jupyter-ann
        user, username_template = FakeUser("ann"), "jupyter-{USERNAME}"

        def _expand_user_vars(self, text: str) -> str:
            return text.format(USERNAME=self.user.name, USERID=self.user.id)

    class Local:                       # LocalProcessSpawner: the Unix user of the same name
        user = FakeUser("root")

    assert env["PYTHONPATH"](Simple()) == f"/tmp/homes/ann/{COURSE_FOLDER}"
    assert env["COURSE_PROGRESS_DIR"](Simple()) == "/tmp/homes/ann/.us-nato-course"
    assert env["PYTHONPATH"](Systemd()) == f"/home/jupyter-ann/{COURSE_FOLDER}"
    import pwd

    assert env["PYTHONPATH"](Local()) == f"{pwd.getpwnam('root').pw_dir}/{COURSE_FOLDER}"
    # Progress is never inside the pulled folder (a git pull must not touch it).
    assert not env["COURSE_PROGRESS_DIR"](Simple()).startswith(env["PYTHONPATH"](Simple()) + "/")
    assert shipped["COURSE_FOLDER"] == hub_link.DEFAULT_FOLDER
    assert c.Spawner.notebook_dir == "~" and c.Spawner.default_url == "/lab"


def test_the_shipped_config_culls_idle_servers_and_closed_kernels(shipped: dict[str, Any]) -> None:
    c = shipped["c"]
    services = c.JupyterHub.services.get_value([])
    [culler] = [s for s in services if s["name"] == "idle-culler"]
    assert culler["command"][1:3] == ["-m", "jupyterhub_idle_culler"]
    assert f"--timeout={shipped['IDLE_TIMEOUT']}" in culler["command"]
    assert shipped["IDLE_TIMEOUT"] == 3600
    [role] = [r for r in c.JupyterHub.load_roles.get_value([]) if r["name"] == "idle-culler"]
    assert set(role["scopes"]) == {"list:users", "read:users:activity", "read:servers",
                                   "delete:servers"}
    args = c.Spawner.args.get_value([])
    assert "--MappingKernelManager.cull_connected=False" in args
    assert f"--MappingKernelManager.cull_idle_timeout={shipped['KERNEL_IDLE_TIMEOUT']}" in args
    assert c.LocalProcessSpawner.popen_kwargs.get_value({}) == {"umask": 0o027}
    assert c.SystemdSpawner.unit_extra_properties.get_value({}) == {"UMask": "0027"}


def test_a_tljh_culler_is_not_doubled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from traitlets.config import Config

    config = Config()
    tljh = {"name": "cull-idle", "admin": True,
            "command": [sys.executable, "-m", "jupyterhub_idle_culler", "--timeout=600"]}
    config.JupyterHub.services = [tljh]
    monkeypatch.setenv("COURSE_HUB_HANDIN_DIR", str(tmp_path / "handin"))
    monkeypatch.setenv("COURSE_HUB_TEACHERS_GROUP", str(os.getegid()))
    runpy.run_path(str(SHIPPED_CONFIG), init_globals={"c": config, "get_config": lambda: config})
    assert config.JupyterHub.services == [tljh]


def test_the_drop_box_is_made_with_the_teachers_group(shipped: dict[str, Any], tmp_path: Path) -> None:
    box = tmp_path / "srv" / "handin"
    info = box.stat()
    assert stat.S_IMODE(info.st_mode) == 0o3773          # drwxrws-wt
    assert info.st_gid == os.getegid()
    assert stat.S_IMODE(box.parent.stat().st_mode) & 0o005 == 0o005   # others may pass through
    # Made again at every start of the hub: nothing changes, nothing fails.
    assert shipped["prepare_handin_dir"](str(box), str(os.getegid())) == os.getegid()
    assert shipped["prepare_handin_dir"](str(tmp_path / "x"), "no-such-group-here") is None


def _as(uid: int, gid: int, groups: list[int], action: Any) -> Any:
    """Run ``action()`` in a forked child as another Unix user (umask 027, as on the hub)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:                                  # the child: no exec, only system calls
        code = 0
        try:
            os.close(read)
            os.setgroups(groups)
            os.setgid(gid)
            os.setuid(uid)
            os.umask(0o027)
            out = action()
        except BaseException as exc:              # noqa: BLE001 - reported to the parent
            out, code = {"error": repr(exc)}, 1
        os.write(write, json.dumps(out).encode())
        os._exit(code)
    os.close(write)
    with os.fdopen(read) as pipe:
        text = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(text)


def _try(call: Any) -> str:
    try:
        result = call()
        return "ok" if result is None else json.dumps(result)
    except PermissionError:
        return "denied"
    except OSError as exc:
        return type(exc).__name__


@pytest.mark.skipif(os.geteuid() != 0, reason="acting as several Unix users needs root")
def test_students_hand_in_but_cannot_look_into_the_drop_box() -> None:
    teachers, teacher, ann, ben = 64100, 64001, 64011, 64012
    base = Path(tempfile.mkdtemp(prefix="course-dropbox-"))
    try:
        os.chmod(base, 0o755)
        namespace = load_shipped_config({"COURSE_HUB_HANDIN_DIR": str(base / "handin"),
                                         "COURSE_HUB_TEACHERS_GROUP": str(teachers)})
        box = Path(namespace["HANDIN_DIR"])
        a_file, b_file = box / "course-answers-ann-1a2b3c.json", box / "course-answers-ben-4d5e6f.json"

        def hand_in(path: Path) -> Any:
            def act() -> dict[str, str]:
                path.write_text('{"format": "us-nato-course-progress"}', encoding="utf-8")
                return {"list": _try(lambda: sorted(os.listdir(box)))}
            return act

        assert _as(ann, ann, [], hand_in(a_file)) == {"list": "denied"}
        assert _as(ben, ben, [], hand_in(b_file)) == {"list": "denied"}
        for path in (a_file, b_file):
            info = path.stat()
            assert stat.S_IMODE(info.st_mode) == 0o640 and info.st_gid == teachers

        def snoop() -> dict[str, str]:
            return {"read": _try(lambda: a_file.read_text() and None),
                    "append": _try(lambda: a_file.open("a").close()),
                    "delete": _try(lambda: a_file.unlink()),
                    "rename": _try(lambda: a_file.rename(box / "mine.json")),
                    "own": _try(lambda: b_file.read_text() and None)}

        assert _as(ben, ben, [], snoop) == {"read": "denied", "append": "denied",
                                            "delete": "denied", "rename": "denied", "own": "ok"}

        def teacher_reads() -> dict[str, Any]:
            return {"list": sorted(os.listdir(box)),
                    "read": [len(p.read_text()) > 0 for p in (a_file, b_file)]}

        assert _as(teacher, teacher, [teachers], teacher_reads) == {
            "list": sorted([a_file.name, b_file.name]), "read": [True, True]}
    finally:
        import shutil

        shutil.rmtree(base, ignore_errors=True)


# --- the packages and the Kubernetes values ---------------------------------------------------------

def _pins(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def test_the_user_environment_has_the_course_pins_but_not_the_course() -> None:
    course = [p for p in _pins(REPO / "requirements.txt") if p != "-e ."]
    user = _pins(DEPLOY / "requirements-user.txt")
    assert "-e ." not in user and not any(p.startswith(("-e", ".")) for p in user)
    extra = [p for p in user if p not in course]
    assert user[: len(course)] == course, (
        "deploy/requirements-user.txt must list requirements.txt's pins (without `-e .`), in the "
        "same order: copy them over after changing requirements.txt")
    assert sorted(p.split("==")[0] for p in extra) == ["jupyterhub", "nbgitpuller"]
    dev = _pins(REPO / "requirements-dev.txt")
    for pin in extra + _pins(DEPLOY / "requirements-hub.txt"):
        assert pin in dev, f"{pin} is tested by requirements-dev.txt with another version"


def test_the_kubernetes_values_match_the_one_machine_config(shipped: dict[str, Any]) -> None:
    values = yaml.safe_load((DEPLOY / "zero-to-jupyterhub" / "values.yaml").read_text("utf-8"))
    single = values["singleuser"]
    home = "/home/jovyan"
    assert single["extraEnv"]["PYTHONPATH"] == f"{home}/{shipped['COURSE_FOLDER']}"
    assert single["extraEnv"]["COURSE_PROGRESS_DIR"] == f"{home}/{shipped['PROGRESS_FOLDER']}"
    handin = single["extraEnv"]["COURSE_HANDIN_DIR"]
    [mount] = single["storage"]["extraVolumeMounts"]
    assert mount["mountPath"] == handin and mount["subPath"] == "{username}"
    assert single["defaultUrl"] == "/lab"
    assert values["cull"]["timeout"] == shipped["IDLE_TIMEOUT"]
    assert values["cull"]["every"] == shipped["CULL_EVERY"]
    assert values["cull"]["users"] is False
    kernels = single["extraFiles"]["course-kernel-culling"]["data"]["MappingKernelManager"]
    assert kernels == {"cull_idle_timeout": shipped["KERNEL_IDLE_TIMEOUT"],
                       "cull_interval": shipped["CULL_EVERY"], "cull_connected": False}
    # The teachers' hook is valid Python that defines and sets a pre-spawn hook.
    compile(values["hub"]["extraConfig"]["course-handin"], "extraConfig", "exec")
    dockerfile = (DEPLOY / "zero-to-jupyterhub" / "Dockerfile").read_text(encoding="utf-8")
    assert "requirements-user.txt" in dockerfile and "-e ." not in dockerfile


# --- the link ---------------------------------------------------------------------------------------

def test_the_link_opens_the_start_notebook_in_jupyterlab() -> None:
    link = hub_link.make_link("https://hub.example.edu/", "https://github.com/ORG/REPO/", "main")
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == \
        "https://hub.example.edu/hub/user-redirect/git-pull"
    assert dict(parse_qsl(parts.query)) == {
        "repo": "https://github.com/ORG/REPO", "branch": "main", "targetpath": COURSE_FOLDER,
        "urlpath": f"lab/tree/{COURSE_FOLDER}/notebooks/00_start_here.ipynb"}
    # A hub under a path keeps it.
    assert hub_link.make_link("https://uni.edu/jupyter", "https://github.com/O/R").startswith(
        "https://uni.edu/jupyter/hub/user-redirect/git-pull?")


@pytest.mark.parametrize(("hub", "repo", "branch", "says"), [
    ("hub.example.edu", "https://github.com/O/R", "main", "did you mean https://hub.example.edu?"),
    ("https://hub.example.edu/hub/home", "https://github.com/O/R", "main",
     "did you mean https://hub.example.edu?"),
    ("https://uni.edu/jupyter/user/ann/lab?reset", "https://github.com/O/R", "main",
     "did you mean https://uni.edu/jupyter?"),
    ("ftp://hub.example.edu", "https://github.com/O/R", "main", "must start with https://"),
    ("https://hub.example.edu", "github.com/O/R", "main", "did you mean https://github.com/O/R?"),
    ("https://hub.example.edu", "git@github.com:O/R.git", "main", "SSH address"),
    ("https://hub.example.edu", "https://github.com/O/R/tree/main/notebooks", "main",
     "give the repository itself (https://github.com/O/R)"),
    ("https://hub.example.edu", "https://github.com/O", "main", "names no repository"),
    ("https://hub.example.edu", "https://github.com/O/R", "my branch", "not a branch name"),
])
def test_a_bad_address_gets_a_clear_message(hub: str, repo: str, branch: str, says: str) -> None:
    with pytest.raises(hub_link.LinkError, match=re.escape(says)):
        hub_link.make_link(hub, repo, branch)


def test_the_command_prints_the_link_or_one_line_and_status_2() -> None:
    tool = [sys.executable, str(REPO / "tools" / "hub_link.py")]
    good = subprocess.run([*tool, "--hub", "https://hub.example.edu", "--repo",
                           "https://github.com/ORG/REPO", "--branch", "main"],
                          capture_output=True, text=True)
    assert good.returncode == 0 and good.stderr == ""
    assert good.stdout.strip() == hub_link.make_link("https://hub.example.edu",
                                                     "https://github.com/ORG/REPO", "main")
    bad = subprocess.run([*tool, "--hub", "hub.example.edu", "--repo", "https://github.com/O/R"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.count("\n") == 1 and "https://hub.example.edu" in bad.stderr


# --- a class on a real hub --------------------------------------------------------------------------

def _proxy_or_skip() -> Path:
    try:
        return ensure_proxy()
    except HubUnavailable as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the hub test cannot run under CI: {exc}")
        pytest.skip(str(exc))


UPDATE_CHECK = r'''
import json
from helpers import paths
from helpers.quiz import bank
from helpers.quiz.progress import get_store
print("RESULT:" + json.dumps({"mark": getattr(paths, "HUB_UPDATE_MARK", None),
                              "title": bank.load_bank(%r).title,
                              "records": len(get_store().records())}, ensure_ascii=False))
'''


@pytest.mark.slow
def test_a_class_of_twelve_on_a_real_jupyterhub(tmp_path: Path) -> None:
    proxy = _proxy_or_skip()
    course = make_course_repo(tmp_path / "origin")
    hub = Hub(tmp_path / "hub", proxy)
    try:
        hub.start()
        services = {s["name"]: s for s in hub.api("GET", "/services").values()}
        assert "idle-culler" in services, "the shipped config's idle culler is not running"
        with Sampler(hub.proc.pid) as sampler:   # type: ignore[union-attr]
            run = run_class(hub, course, N_STUDENTS)
            _check_students(hub, run)
            _check_teacher(hub, run)
            _check_an_update_reaches_a_student(hub, run, course)
            _check_culling_loses_no_answer(hub, run)
        servers = {p.user for p in sampler.of_kind("server")}
        kernels = {p.user for p in sampler.of_kind("kernel")}
        assert {r.user for r in run.students} <= servers and {r.user for r in run.students} <= kernels
        print(f"\n{N_STUDENTS} students: all servers ready after {run.all_started_seconds:.0f} s, "
              f"all handed in after {run.all_done_seconds:.0f} s; peak per server "
              f"{mib(max(p.rss for p in sampler.of_kind('server')))} MiB RSS, per lesson kernel "
              f"{mib(max(p.rss for p in sampler.of_kind('kernel')))} MiB RSS")
    except BaseException:
        # the whole log (the hub's, the proxy's and every student's server's) for a post-mortem
        kept = REPO / "test-artifacts" / "hub" / "jupyterhub-class-of-twelve.log"
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_bytes(hub.log_path.read_bytes() if hub.log_path.is_file() else b"(no log)")
        print(f"--- JupyterHub log (last lines; all of it in {kept.relative_to(REPO)}) ---\n"
              f"{hub.log_tail(80)}")
        raise
    finally:
        hub.stop()


def _check_students(hub: Hub, run: Any) -> None:
    box = hub.handin_dir
    assert stat.S_IMODE(box.stat().st_mode) == 0o3773
    for student in run.students:
        res, home = student.result, hub.homes / student.user
        folder = home / COURSE_FOLDER
        # The pulled folder is the course: helpers come from it, first on the path.
        assert res["helpers"] == str(folder / "helpers" / "__init__.py"), res["helpers"]
        assert res["sys_path_0"][0] == str(folder)
        assert res["cwd"] == str(folder / "notebooks")
        # Progress: per user, in the home, outside the pulled folder; the student is the hub user.
        assert res["progress"] == str(home / ".us-nato-course" / "progress.json")
        assert res["student_id"] == f"hub:{student.user}"
        assert res["env"]["JUPYTERHUB_USER"] == student.user
        assert res["records"] == expected(student.steps)["attempts"]
        assert all("quiz" in f for f in res["feedback"]), res["feedback"]
        # Handed in: in the drop box, readable by the owner and the teachers' group only.
        handin = Path(res["handin"])
        assert handin.parent == box and handin.is_file()
        assert res["handin_mode"] == 0o640 and res["handin_gid"] == box.stat().st_gid
        slug = student.name.lower().replace(" ", "-")
        assert slug in handin.name, handin.name                  # any alphabet is kept
    names = [Path(s.result["handin"]).name for s in run.students]
    assert len(set(names)) == len(names)                         # the two Annas do not collide
    assert sorted(p.name for p in box.iterdir()) == sorted(names)  # no half-written file left


def _check_teacher(hub: Hub, run: Any) -> None:
    teacher = run.teacher
    ids = {f"hub:{s.user}" for s in run.students}
    assert teacher["files"] == len(run.students)
    assert teacher["problems"] == [] and teacher["mismatches"] == 0
    assert set(teacher["students"]) == ids
    for student in run.students:
        sid = f"hub:{student.user}"
        assert teacher["students"][sid]["name"] == student.name
        assert teacher["per"][sid] == expected(student.steps), sid
        label = teacher["students"][sid]["label"]
        assert teacher["totals"][label] == expected(student.steps)["right"]
    annas = [w for w in teacher["warnings"] if "Anna" in w]
    assert len(annas) == 1 and "hub:s02" in annas[0] and "hub:s03" in annas[0]
    # The same results read here from the drop box, against the course as published.
    from helpers.teacher import class_results

    results = class_results.load_folder(hub.handin_dir, quizzes=hub.homes / TEACHER /
                                        COURSE_FOLDER / "data" / "quizzes")
    assert results.files == len(run.students) and results.problems == []
    assert len(results.answers) == sum(expected(s.steps)["attempts"] for s in run.students)


def _check_an_update_reaches_a_student(hub: Hub, run: Any, course: Path) -> None:
    student = run.students[0]
    progress = hub.homes / student.user / ".us-nato-course" / "progress.json"
    before = progress.read_bytes()
    quiz_file = course / "data" / "quizzes" / f"{LESSON}.yaml"
    content = yaml.safe_load(quiz_file.read_text(encoding="utf-8"))
    title = f"{content['title']} (updated)"
    text = quiz_file.read_text(encoding="utf-8")
    line = "title: " + json.dumps(title, ensure_ascii=False)
    quiz_file.write_text(re.sub(r"(?m)^title: .*$", lambda _m: line, text, count=1), encoding="utf-8")
    commit_change(course, {"helpers/paths.py": "\nHUB_UPDATE_MARK = 'second version'\n"},
                  "The teacher updates a helper and a lesson file")
    hub.pull(student.user, student.token, run.query)             # the student clicks the link again
    kernel = hub.open_notebook(student.user, student.token,
                               f"{COURSE_FOLDER}/notebooks/00_start_here.ipynb")
    seen = result_of(hub.execute(student.user, student.token, kernel, UPDATE_CHECK % LESSON))
    assert seen["mark"] == "second version" and seen["title"] == title
    assert seen["records"] == expected(student.steps)["attempts"]
    assert progress.read_bytes() == before                       # the pull left the answers alone


def _check_culling_loses_no_answer(hub: Hub, run: Any) -> None:
    """The real jupyterhub-idle-culler (with a one-second timeout) stops every server; the answers
    and the hand-ins are all still there, and a restarted server shows them."""
    env = {"PATH": os.environ.get("PATH", ""), "JUPYTERHUB_API_TOKEN": hub.admin_token,
           "HOME": str(hub.workdir)}
    culler = hub.start_process([sys.executable, "-m", "jupyterhub_idle_culler",
                                f"--url={hub.url}/hub/api", "--timeout=1", "--cull-every=2"],
                               env, "culler.log")
    users = [s.user for s in run.students]
    deadline = time.monotonic() + 120
    while any(hub.server_running(u) for u in users) and time.monotonic() < deadline:
        time.sleep(1)
    culler.terminate()
    culler.wait(timeout=30)
    assert not any(hub.server_running(u) for u in users), "the idle culler did not stop the servers"
    for student in run.students:
        saved = json.loads((hub.homes / student.user / ".us-nato-course" / "progress.json")
                           .read_text(encoding="utf-8"))
        assert len(saved["answers"]) == expected(student.steps)["attempts"]
        assert Path(student.result["handin"]).is_file()
    student = run.students[1]
    hub.start_server(student.user, student.token)
    kernel = hub.open_notebook(student.user, student.token, f"{COURSE_FOLDER}/{LESSON_NOTEBOOK}")
    seen = result_of(hub.execute(student.user, student.token, kernel, UPDATE_CHECK % LESSON))
    assert seen["records"] == expected(student.steps)["attempts"]
