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
    return sorted(p for p in (ROOT / package).rglob("*.py") if "__pycache__" not in p.parts)


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
