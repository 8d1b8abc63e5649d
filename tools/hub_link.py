"""Print the link that opens the course on a JupyterHub (an nbgitpuller link).

    python tools/hub_link.py --hub https://hub.example.edu --repo https://github.com/ORG/REPO --branch main

A student who clicks the link logs in to the hub; nbgitpuller then clones the repository into
``~/us-nato-course`` (or, on later clicks, merges the teacher's updates without overwriting the
student's own changes) and opens ``notebooks/00_start_here.ipynb`` in JupyterLab. The hub's
settings (``deploy/jupyterhub/jupyterhub_config.py``) expect the course in that folder: keep the
default ``--folder``. ``--notebook`` opens another lesson, e.g. ``notebooks/05_missiles_ukraine.ipynb``.

Exit status 2, with one line saying what is wrong, for a hub or repository address that cannot
work (no ``https://``, a hub page instead of the hub's address, spaces …).
"""
from __future__ import annotations

import argparse
import re
import sys
from urllib.parse import quote, urlencode, urlsplit

DEFAULT_FOLDER = "us-nato-course"          # = COURSE_FOLDER in deploy/jupyterhub/jupyterhub_config.py
DEFAULT_NOTEBOOK = "notebooks/00_start_here.ipynb"
HUB_PAGES = ("/hub", "/user", "/lab", "/tree")   # pasted from a browser: not the hub's own address


class LinkError(ValueError):
    """An argument that cannot make a working link; the message says why and what to do."""


def _check_hub(hub: str) -> str:
    text = hub.strip()
    if not text:
        raise LinkError("--hub is empty: give the hub's address, e.g. https://hub.example.edu")
    if " " in text:
        raise LinkError(f"--hub {hub!r} contains a space; give the hub's address, e.g. "
                        "https://hub.example.edu")
    if "://" not in text:
        raise LinkError(f"--hub {hub!r} has no https:// in front; did you mean https://{text}?")
    parts = urlsplit(text)
    if parts.scheme not in ("https", "http"):
        raise LinkError(f"--hub {hub!r} must start with https:// (or http:// on a test machine)")
    if not parts.hostname:
        raise LinkError(f"--hub {hub!r} has no host name, e.g. https://hub.example.edu")
    path = parts.path.rstrip("/")
    base = path
    for page in HUB_PAGES:              # cut a page of the hub off: /jupyter/hub/login -> /jupyter
        at = (base + "/").find(f"{page}/")
        if at >= 0:
            base = base[:at]
    address = f"{parts.scheme}://{parts.netloc}{base}"
    if base != path or parts.query or parts.fragment:
        raise LinkError(f"--hub {hub!r} is a page of the hub, not its address; "
                        f"did you mean {address}?")
    return address


def _check_repo(repo: str) -> str:
    text = repo.strip()
    if not text or " " in text:
        raise LinkError(f"--repo {repo!r} is not a repository address, e.g. "
                        "https://github.com/ORG/REPO")
    if text.startswith("git@"):
        raise LinkError(f"--repo {repo!r} is an SSH address, which a hub cannot clone without a "
                        "key; give the https:// address, e.g. https://github.com/ORG/REPO")
    if "://" not in text:
        raise LinkError(f"--repo {repo!r} has no https:// in front; did you mean https://{text}?")
    parts = urlsplit(text)
    if parts.scheme == "file" and parts.path:
        return text                 # a repository on the hub's own disk (a test, or an offline hub)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise LinkError(f"--repo {repo!r} must be an https:// address of a git repository, e.g. "
                        "https://github.com/ORG/REPO")
    if parts.query or parts.fragment:
        raise LinkError(f"--repo {repo!r} has a ?query or #fragment; give the repository's "
                        "address only, e.g. https://github.com/ORG/REPO")
    if re.search(r"/(tree|blob)/", parts.path):
        cut = parts.path[: re.search(r"/(tree|blob)/", parts.path).start()]
        raise LinkError(f"--repo {repo!r} is a page inside the repository; give the repository "
                        f"itself (https://{parts.netloc}{cut}) and the branch with --branch")
    if parts.path.strip("/").count("/") < 1:
        raise LinkError(f"--repo {repo!r} names no repository; expected "
                        "https://HOST/OWNER/REPOSITORY")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def _check_relative(name: str, value: str, example: str) -> str:
    text = value.strip().strip("/")
    if not text or " " in value or ".." in text.split("/") or "\\" in text:
        raise LinkError(f"--{name} {value!r} is not a plain relative path, e.g. {example}")
    return text


def make_link(hub: str, repo: str, branch: str = "main", notebook: str = DEFAULT_NOTEBOOK,
              folder: str = DEFAULT_FOLDER) -> str:
    """Return the nbgitpuller link (raises :class:`LinkError` with a clear message)."""
    hub_url = _check_hub(hub)
    repo_url = _check_repo(repo)
    branch = branch.strip()
    if not branch or re.search(r"[\s~^:?*\[\\]", branch) or branch.startswith("-"):
        raise LinkError(f"--branch {branch!r} is not a branch name, e.g. main")
    folder = _check_relative("folder", folder, DEFAULT_FOLDER)
    notebook = _check_relative("notebook", notebook, DEFAULT_NOTEBOOK)
    query = urlencode({
        "repo": repo_url,
        "branch": branch,
        "targetpath": folder,
        "urlpath": f"lab/tree/{folder}/{notebook}",
    }, quote_via=quote, safe="")
    return f"{hub_url}/hub/user-redirect/git-pull?{query}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Print the link that opens the course on a JupyterHub (nbgitpuller).")
    parser.add_argument("--hub", required=True, help="the hub's address, e.g. https://hub.example.edu")
    parser.add_argument("--repo", required=True,
                        help="the course repository, e.g. https://github.com/ORG/REPO")
    parser.add_argument("--branch", default="main", help="the branch to pull (default: main)")
    parser.add_argument("--notebook", default=DEFAULT_NOTEBOOK,
                        help=f"the notebook to open (default: {DEFAULT_NOTEBOOK})")
    parser.add_argument("--folder", default=DEFAULT_FOLDER,
                        help=f"the folder in each home (default: {DEFAULT_FOLDER}; the hub's "
                             "settings expect it)")
    args = parser.parse_args(argv)
    try:
        link = make_link(args.hub, args.repo, args.branch, args.notebook, args.folder)
    except LinkError as error:
        print(f"hub_link: {error}", file=sys.stderr)
        return 2
    if args.folder.strip().strip("/") != DEFAULT_FOLDER:
        print(f"hub_link: note: the hub's settings expect the folder {DEFAULT_FOLDER!r}; set "
              f"COURSE_HUB_FOLDER={args.folder} for the hub too", file=sys.stderr)
    print(link)
    return 0


if __name__ == "__main__":
    sys.exit(main())
