"""JupyterHub settings for running the course for a class on one machine.

Made for The Littlest JupyterHub (TLJH): copy this file to
``/opt/tljh/config/jupyterhub_config.d/us-nato-course.py`` and run
``sudo tljh-config reload hub``. It also works as (part of) a plain ``jupyterhub -f`` config on
one machine with the default ``LocalProcessSpawner``. ``deploy/README.md`` explains every step;
``tests/test_hub.py`` runs a real JupyterHub with this very file.

What it sets, and why:

- **The pulled folder is the course.** Students get the course through an nbgitpuller link
  (``tools/hub_link.py``), which clones it into ``~/us-nato-course``. The kernel finds
  ``helpers`` there through ``PYTHONPATH``, so a pull updates the helpers, notebooks, questions
  and data together. The image (TLJH's user environment) holds only third-party packages:
  ``deploy/requirements-user.txt``, never the course itself.
- **Progress stays out of the pulled folder**: ``COURSE_PROGRESS_DIR`` is ``~/.us-nato-course``,
  so a pull never touches a student's answers.
- **A hand-in drop box** (``COURSE_HANDIN_DIR``): a folder where every student can create their
  own file but cannot list the folder or read anyone else's file, and the teachers (the Unix
  group ``COURSE_HUB_TEACHERS_GROUP``; on TLJH the hub's admins) list and read all of them.
  Mode ``3773`` (``drwxrws-wt``): anyone may create, the sticky bit keeps students from deleting
  or renaming each other's files, set-group-id gives every file the teachers' group. Student
  servers run with umask ``027``, so a handed-in file is ``rw-r-----``: its owner and the
  teachers read it, nobody else.
- **Idle culling that loses nothing**: every answer is written to the progress file when the
  student presses Check, so stopping an idle server loses no answer, only the kernel's variables
  (a notebook is re-run from the top in seconds). Servers idle for an hour are stopped, and
  kernels nobody has had open for half an hour are shut down (``deploy/README.md``, "Idle
  culling", gives the reasons and the memory figures).

Edit the defaults below, or set the environment variables of the same name for the hub.
"""
from __future__ import annotations

import grp
import importlib.util
import logging
import os
import pwd
import sys

c = get_config()  # type: ignore[name-defined]  # noqa: F821 - provided by JupyterHub

log = logging.getLogger("JupyterHub")

# --- the settings a hub administrator may change ------------------------------------------------

# The folder nbgitpuller clones the course into, in each home (tools/hub_link.py --folder).
COURSE_FOLDER = os.environ.get("COURSE_HUB_FOLDER", "us-nato-course")
# Each student's progress file lives here, in their home and outside the pulled folder.
PROGRESS_FOLDER = ".us-nato-course"
# The hand-in drop box, and the Unix group whose members (the teachers) read it.
HANDIN_DIR = os.environ.get("COURSE_HUB_HANDIN_DIR", "/srv/us-nato-course/handin")
TEACHERS_GROUP = os.environ.get("COURSE_HUB_TEACHERS_GROUP", "jupyterhub-admins")
# Stop a student's server after this many seconds without activity (one class period).
IDLE_TIMEOUT = int(os.environ.get("COURSE_HUB_IDLE_TIMEOUT", "3600"))
CULL_EVERY = 300
# Shut down a kernel that no open notebook is connected to after this many idle seconds.
KERNEL_IDLE_TIMEOUT = 1800
# Files the students' servers create are not readable by other students.
UMASK = 0o027
HANDIN_MODE = 0o3773          # drwxrws-wt: create (any), list and read (owner, group), sticky

# --- helpers (kept in this file so that TLJH needs one file only) --------------------------------


def user_home(spawner) -> str:
    """The home folder of the Unix user a spawner starts the server as (the server's root).

    ``SimpleLocalProcessSpawner`` has ``home_dir``; TLJH's ``SystemdSpawner`` runs a hub user
    ``ann`` as the Unix user of its ``username_template`` (``jupyter-ann``); the plain
    ``LocalProcessSpawner`` as the Unix user of the same name.
    """
    home = getattr(spawner, "home_dir", None)
    if isinstance(home, str) and home:
        return home
    system_user = spawner.user.name
    template = getattr(spawner, "username_template", None)
    expand = getattr(spawner, "_expand_user_vars", None)
    if isinstance(template, str) and template and callable(expand):
        system_user = expand(template)
    try:
        return pwd.getpwnam(system_user).pw_dir
    except KeyError:
        return os.path.join("/home", system_user)


def course_dir(spawner) -> str:
    """``PYTHONPATH`` of a student's server: the pulled course folder (so ``helpers`` is found)."""
    return os.path.join(user_home(spawner), COURSE_FOLDER)


def progress_dir(spawner) -> str:
    """``COURSE_PROGRESS_DIR`` of a student's server: in the home, outside the pulled folder."""
    return os.path.join(user_home(spawner), PROGRESS_FOLDER)


def group_id(group: str | int | None) -> int | None:
    """The id of a Unix group given by name or number (None if there is no such group)."""
    if group is None or group == "":
        return None
    if isinstance(group, int) or str(group).isdigit():
        return int(group)
    try:
        return grp.getgrnam(str(group)).gr_gid
    except KeyError:
        return None


def prepare_handin_dir(path: str, group: str | int | None = TEACHERS_GROUP,
                       mode: int = HANDIN_MODE) -> int | None:
    """Create the drop box (its parents readable by all), give it the teachers' group and mode.

    Returns the group id it has, or None when the group does not exist (then only the owner, or
    root, can read the files: a warning says so). Safe to run at every start of the hub.
    """
    os.makedirs(path, mode=0o755, exist_ok=True)
    gid = group_id(group)
    if gid is None:
        log.warning("course hand-in: there is no Unix group %r; only %s (and root) can read the "
                    "handed-in files in %s. Set COURSE_HUB_TEACHERS_GROUP to the teachers' group.",
                    group, pwd.getpwuid(os.stat(path).st_uid).pw_name, path)
    elif os.stat(path).st_gid != gid:
        try:
            os.chown(path, -1, gid)
        except PermissionError:
            log.warning("course hand-in: cannot give %s to group %r (the hub is not root)",
                        path, group)
            gid = os.stat(path).st_gid
    os.chmod(path, mode)
    return gid


def _list(value) -> list:
    """A config value that is a list (or not set yet) as a list."""
    return value if isinstance(value, list) else []


def _has_culler(services: list) -> bool:
    for service in services:
        command = " ".join(str(part) for part in service.get("command") or ())
        if "idle_culler" in command or "idle-culler" in command or "cull_idle" in command:
            return True
    return False


# --- the settings -----------------------------------------------------------------------------------

# The server's root is the home, so the pulled course folder is ~/us-nato-course.
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = "/lab"
c.Spawner.environment.update({
    "PYTHONPATH": course_dir,
    "COURSE_PROGRESS_DIR": progress_dir,
    "COURSE_HANDIN_DIR": HANDIN_DIR,
})
# At the start of a class everyone arrives at once. A server needs about 6 CPU-seconds to start
# (benchmarks/hub.md), so 60 students on 8 cores take about a minute to all be in; on a busy or
# small machine longer. Wait up to three minutes before giving up on a server.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180

# Kernels whose notebook is closed free their memory; an open notebook's kernel is never culled.
c.Spawner.args.extend([
    f"--MappingKernelManager.cull_idle_timeout={KERNEL_IDLE_TIMEOUT}",
    f"--MappingKernelManager.cull_interval={CULL_EVERY}",
    "--MappingKernelManager.cull_connected=False",
])

# Student servers create files readable by their owner and group only (the hand-in relies on it).
c.LocalProcessSpawner.popen_kwargs.update({"umask": UMASK})               # plain one-machine hub
c.SystemdSpawner.unit_extra_properties.update({"UMask": f"{UMASK:04o}"})  # TLJH

# The drop box (the hub runs as root on TLJH and with LocalProcessSpawner).
prepare_handin_dir(HANDIN_DIR, TEACHERS_GROUP)

# Idle culling. TLJH runs its own culler ("cull-idle", 10 minutes by default): set its timeout
# with `sudo tljh-config set services.cull.timeout 3600` instead of running a second one.
_services = _list(c.JupyterHub.services)
if _has_culler(_services):
    log.info("course: an idle culler is configured already; set its timeout to %s s", IDLE_TIMEOUT)
elif importlib.util.find_spec("jupyterhub_idle_culler") is None:
    log.warning("course: jupyterhub-idle-culler is not installed in the hub's environment, so idle "
                "servers are never stopped (pip install -r deploy/requirements-hub.txt)")
else:
    c.JupyterHub.services.append({
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={IDLE_TIMEOUT}",
                    f"--cull-every={CULL_EVERY}", "--remove-named-servers=False",
                    "--cull-users=False"],
    })
    c.JupyterHub.load_roles.append({
        "name": "idle-culler",
        "description": "Stop servers idle for longer than the course's timeout",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    })
