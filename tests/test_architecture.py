"""The architecture in README.md holds in the source: imports point one way, SQL stays in the store.

Read with ``ast`` from the source tree, so imports inside functions count too (an import
hidden in a function is still a dependency).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("corpus", "cleaner", "tmx", "review", "cli")

# What each package may import besides itself (README "Architecture").
ALLOWED: dict[str, frozenset[str]] = {
    "corpus": frozenset(),
    "cleaner": frozenset({"corpus"}),
    "tmx": frozenset({"corpus"}),
    "review": frozenset({"corpus", "cleaner", "tmx"}),
    "cli": frozenset({"corpus", "cleaner", "tmx", "review"}),
}
SQL_CALLS = frozenset({"execute", "executemany", "executescript"})
STORE = ROOT / "corpus" / "store"


def _sources(package: str) -> list[Path]:
    generated = ROOT / "bench" / "out"  # benchmarks' copies of other trees (git-ignored)
    return sorted(p for p in (ROOT / package).rglob("*.py") if "__pycache__" not in p.parts and not p.is_relative_to(generated))


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every absolute import of an ``mtmend`` module in ``path``, at any depth."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        out += [(node.lineno, name) for name in names if name.startswith("mtmend.")]
    return out


def wrong_imports(package: str, path: Path) -> list[str]:
    """Imports in ``path`` (a module of ``package``) against the architecture: ``line: a -> b``."""
    return [
        f"{line}: {package} -> {module}"
        for line, module in _imports(path)
        if module.split(".")[1] != package and module.split(".")[1] not in ALLOWED[package]
    ]


def test_every_package_is_checked():
    assert all(_sources(p) for p in PACKAGES)
    assert set(ALLOWED) == set(PACKAGES)


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_point_one_way(package):
    bad = [f"{path.relative_to(ROOT)}:{v}" for path in _sources(package) for v in wrong_imports(package, path)]
    assert bad == []


def test_no_relative_imports():
    """Relative imports would slip past the direction check; the tree uses none."""
    relative = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for package in PACKAGES
        for path in _sources(package)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.level > 0
    ]
    assert relative == []


@pytest.mark.parametrize(
    ("package", "code", "forbidden"),
    [
        ("corpus", "from mtmend.cleaner.engine import clean_text\n", "corpus -> mtmend.cleaner.engine"),
        ("corpus", "def f():\n    import mtmend.review.session\n", "corpus -> mtmend.review.session"),
        ("cleaner", "from mtmend.tmx import writer\n", "cleaner -> mtmend.tmx"),
        ("tmx", "def f():\n    from mtmend.cleaner.rules import RULES\n", "tmx -> mtmend.cleaner.rules"),
        ("review", "from mtmend.cli.common import info\n", "review -> mtmend.cli.common"),
    ],
)
def test_the_check_catches_a_wrong_import(tmp_path, package, code, forbidden):
    """The check itself fails on imports against the direction, also inside functions."""
    probe = tmp_path / "probe.py"
    probe.write_text("from mtmend.corpus.model import Edit\n" + code, encoding="utf-8")
    found = wrong_imports(package, probe)
    assert len(found) == 1 and found[0].endswith(forbidden)


def _sql_calls(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_CALLS
    ]


def test_sql_only_in_the_store():
    outside = [
        f"{path.relative_to(ROOT)}:{line}"
        for package in PACKAGES
        for path in _sources(package)
        if STORE not in path.parents
        for line in _sql_calls(path)
    ]
    assert outside == []
    assert _sql_calls(STORE / "documents.py")  # the check sees the store's own SQL


def _module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(("mtmend",) + (parts[:-1] if parts[-1] == "__init__" else parts))


def _runtime_imports(path: Path, modules: frozenset[str]) -> set[str]:
    """The known modules ``path`` imports when it runs, at any depth (inside functions too).

    ``from pkg import name`` counts as importing ``pkg.name`` when that is a module. Imports
    under ``if TYPE_CHECKING:`` never run (annotations are strings here) and do not count.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    type_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for stmt in node.body
        for inner in ast.walk(stmt)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found & modules


def import_graph(paths: dict[str, Path]) -> dict[str, set[str]]:
    """Module name -> the modules it imports (among ``paths``), itself left out."""
    modules = frozenset(paths)
    return {name: _runtime_imports(path, modules) - {name} for name, path in paths.items()}


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or round a loop (strongly connected)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while not group or group[-1] != node:
                group.append(stack.pop())
            if len(group) > 1:
                cycles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_no_import_cycles():
    """No module imports one that imports it back, directly or round a loop, even from inside a function."""
    paths = {_module_name(path): path for package in PACKAGES for path in _sources(package)}
    graph = import_graph(paths)
    assert graph["mtmend.cleaner.engine"] >= {"mtmend.cleaner.config", "mtmend.cleaner.rule"}  # edges are seen
    assert "mtmend.cleaner.rule" in graph["mtmend.cleaner.rules.quotes"]
    assert import_cycles(graph) == []


def test_the_cycle_check_catches_a_loop_through_a_function(tmp_path):
    """A three-module loop closed by an import inside a function is found; a type-only import is not an edge."""
    (tmp_path / "a.py").write_text("from mtmend.b import thing\n", encoding="utf-8")
    (tmp_path / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from mtmend.d import T\n"
        "def thing():\n    import mtmend.c\n", encoding="utf-8")
    (tmp_path / "c.py").write_text("from mtmend import a\n", encoding="utf-8")
    (tmp_path / "d.py").write_text("import mtmend.b\n", encoding="utf-8")
    paths = {_module_name(p, tmp_path): p for p in sorted(tmp_path.glob("*.py"))}
    assert import_cycles(import_graph(paths)) == [["mtmend.a", "mtmend.b", "mtmend.c"]]


MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
SIZED = (*PACKAGES, "bench")
# Allowed over the limit, with the reason: "path" for a module, "path::function" (none today).
TOO_BIG_ALLOWED: dict[str, str] = {}


def oversized(path: Path, root: Path = ROOT) -> list[str]:
    """``path`` if it is over MAX_MODULE_LINES lines, and its functions (methods, nested ones
    too) over MAX_FUNCTION_LINES, counted from ``def`` to the last line, docstring included."""
    text = path.read_text(encoding="utf-8")
    name = str(path.relative_to(root))
    found = [f"{name}: {len(text.splitlines())} lines"] if len(text.splitlines()) > MAX_MODULE_LINES else []
    for node in ast.walk(ast.parse(text, name)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{name}::{node.name}: {length} lines")
    return found


def test_modules_and_functions_stay_small():
    """No module over 400 lines, no function over 60 (tests aside): split along a real seam instead."""
    found = [entry for package in SIZED for path in _sources(package) for entry in oversized(path)]
    assert [f for f in found if f.rsplit(": ", 1)[0] not in TOO_BIG_ALLOWED] == []


def test_the_size_check_catches_a_long_function_and_module(tmp_path):
    body = "".join(f"        x{k} = {k}\n" for k in range(60))
    probe = tmp_path / "probe.py"
    probe.write_text("def short():\n    return 1\n\n\nclass C:\n    def long(self):\n" + body + "\n" * 342, encoding="utf-8")
    assert oversized(probe, tmp_path) == ["probe.py: 408 lines", "probe.py::long: 61 lines"]
