"""The layers of ``helpers/`` (ARCHITECTURE.md): imports flow down, never back up.

    layer 0  helpers.paths, helpers.display   (and the package root ``helpers``)
    layer 1  helpers.data
    layer 2  helpers.quiz
    layer 3  helpers.lesson | helpers.teacher (side by side: neither imports the other)

Every import counts, wherever it is written (at the top, inside a function, under
``TYPE_CHECKING``): a lazy import going up is still a dependency going up. The widget rule is
about import time: importing ``helpers``, ``helpers.data``, ``helpers.quiz.bank``,
``helpers.quiz.progress`` or a teacher tool must not load ipywidgets.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
HELPERS = REPO / "helpers"
MODULES = sorted(HELPERS.rglob("*.py"))

# package prefix -> (layer, name of its place in the layer)
LAYERS = {
    "helpers.paths": (0, "paths"),
    "helpers.display": (0, "display"),
    "helpers.data": (1, "data"),
    "helpers.quiz": (2, "quiz"),
    "helpers.lesson": (3, "lesson"),
    "helpers.teacher": (3, "teacher"),
}
# Modules that a teacher tool or a plain script imports: no widget library at import time.
WIDGET_FREE = ["helpers", "helpers.paths", "helpers.data", "helpers.quiz", "helpers.quiz.bank",
               "helpers.quiz.progress", "helpers.quiz.fallback", "helpers.quiz.types",
               *[f"helpers.quiz.types.{name}" for name in ("single", "multiple", "true_false", "numeric",
                                                         "matching", "ordering", "reflection")],
               "helpers.teacher.answer_key", "helpers.teacher.bank_export",
               "helpers.teacher.class_results"]
WIDGET_LIBRARIES = ("ipywidgets", "anywidget")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def place(module: str) -> tuple[int, str]:
    """The layer of a ``helpers`` module (the package root counts as layer 0)."""
    for prefix, layer in LAYERS.items():
        if module == prefix or module.startswith(prefix + "."):
            return layer
    return 0, "root"


def imports(path: Path) -> list[tuple[int, str, bool]]:
    """(line, imported module, at import time?) for every import in the file.

    ``from a import b`` yields ``a.b`` (``b`` may be a module); relative imports are resolved.
    "At import time" means at module level and not under ``if TYPE_CHECKING:``.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found: list[tuple[int, str, bool]] = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                visit(child, False)
                continue
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for part in child.body:
                    visit(ast.Module(body=[part], type_ignores=[]), False)
                for part in child.orelse:
                    visit(ast.Module(body=[part], type_ignores=[]), top)
                continue
            if isinstance(child, ast.Import):
                found.extend((child.lineno, alias.name, top) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (child.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                found.extend((child.lineno, f"{base}.{alias.name}", top) for alias in child.names)
            visit(child, top)

    visit(tree, True)
    return found


def upward_imports(path: Path) -> list[str]:
    source = module_name(path)
    layer, name = place(source)
    wrong = []
    for line, target, _ in imports(path):
        if target != "helpers" and not target.startswith("helpers."):
            continue
        target_layer, target_name = place(target)
        if target_layer > layer:
            wrong.append(f"line {line}: {target} (layer {target_layer}, {target_name}) is above "
                         f"{source} (layer {layer}, {name})")
        elif target_layer == layer == 3 and target_name != name:
            wrong.append(f"line {line}: {target}: helpers.lesson and helpers.teacher never import each other")
    return wrong


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(REPO)) for p in MODULES])
def test_imports_flow_down_the_layers(path: Path) -> None:
    wrong = upward_imports(path)
    assert not wrong, f"{path.relative_to(REPO)}:\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize("path", [p for p in MODULES if module_name(p).startswith(("helpers.teacher",
                                                                                   "helpers.quiz.bank",
                                                                                   "helpers.quiz.progress",
                                                                                   "helpers.quiz.types",
                                                                                   "helpers.quiz.fallback"))],
                         ids=lambda p: str(p.relative_to(REPO)))
def test_no_widget_import_at_import_time(path: Path) -> None:
    wrong = [f"line {line}: {target}" for line, target, top in imports(path)
             if top and target.split(".")[0] in WIDGET_LIBRARIES]
    if module_name(path).startswith(("helpers.teacher", "helpers.quiz.types")):   # never, anywhere
        wrong += [f"line {line}: {target} (in a function)" for line, target, top in imports(path)
                  if not top and target.split(".")[0] in WIDGET_LIBRARIES]
    assert not wrong, wrong


def test_importing_the_widget_free_modules_loads_no_widget_library() -> None:
    """What the modules pull in with them (through ``helpers.quiz``'s ``__init__`` and the rest)."""
    code = ("import importlib, sys\n"
            f"for name in {WIDGET_FREE!r}:\n"
            "    importlib.import_module(name)\n"
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {WIDGET_LIBRARIES!r}))\n")
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]", f"widget modules loaded: {run.stdout.strip()}"


def test_a_lesson_draws_its_charts_without_a_chart_library() -> None:
    """Charts are SVG written by helpers.display.svg: a lesson never imports matplotlib (its
    import cost 0.6 s of every lesson's Run All)."""
    code = ("import sys\n"
            "from helpers import data\n"
            "from helpers.lesson import plots\n"
            "from helpers.lesson.setup import setup\n"
            "setup('missiles-ukraine')\n"
            "plots.bars(['a', 'b'], [1, 2], 'A chart', 'things').html()\n"
            "plots.members_over_time().html(); plots.timeline(data.events()).html()\n"
            "print('matplotlib' in sys.modules)\n")
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["False"]


# --- the checker itself: an upward import must be caught ---------------------------------------

@pytest.mark.parametrize(("module", "code", "caught"), [
    ("helpers/data/loader.py", "from helpers.quiz import bank\n", "is above helpers.data.loader"),
    ("helpers/display/text.py", "def f():\n    from helpers import data\n", "helpers.data (layer 1"),
    ("helpers/quiz/bank.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                             "    from helpers.lesson.course import lesson\n", "is above helpers.quiz.bank"),
    ("helpers/teacher/tool.py", "from helpers.lesson import course\n", "never import each other"),
    ("helpers/lesson/x.py", "from ..teacher import answer_key\n", "never import each other"),
    ("helpers/paths.py", "import helpers.data.validation\n", "is above helpers.paths"),
])
def test_the_checker_catches_an_upward_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              module: str, code: str, caught: str) -> None:
    path = tmp_path / module
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(code, encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "REPO", tmp_path)
    wrong = upward_imports(path)
    assert len(wrong) == 1 and caught in wrong[0], wrong


def test_the_checker_allows_downward_and_sideways_imports(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "helpers" / "lesson" / "x.py"
    path.parent.mkdir(parents=True)
    path.write_text("from helpers import data\nfrom helpers.quiz import bank\nfrom . import course\n"
                    "from helpers.display.text import esc\nimport helpers\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "REPO", tmp_path)
    assert upward_imports(path) == []


TYPE_NAMES = {"single", "multiple", "true_false", "numeric", "matching", "ordering", "reflection"}


def _branches_on_a_type(tree: ast.AST) -> list[int]:
    """Lines that compare something's ``.type`` with a question type's name (``q.type == "x"``,
    ``q.type in ("x", …)``)."""
    lines = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute)
                and node.left.attr == "type"):
            continue
        named = {c.value for comp in node.comparators for c in ast.walk(comp)
                 if isinstance(c, ast.Constant) and isinstance(c.value, str)}
        if named & TYPE_NAMES:
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("path", [p for p in MODULES if "types" not in p.relative_to(HELPERS).parts],
                         ids=lambda p: str(p.relative_to(REPO)))
def test_only_a_type_module_knows_its_type(path: Path) -> None:
    """Adding a question type means adding one module: no other helper branches on a type name."""
    found = _branches_on_a_type(ast.parse(path.read_text(encoding="utf-8")))
    assert not found, f"{path.relative_to(REPO)} branches on a question type at lines {found}"


def test_the_type_check_sees_a_branch() -> None:
    code = 'if q.type == "ordering":\n    pass\nok = q.type in ("single", "x")\nfine = q.kind == "single"\n'
    assert _branches_on_a_type(ast.parse(code)) == [1, 3]
