"""Copies of mtmend's code to measure, so edits made during a long run never mix two versions.

A copy is ``bench/out/<name>/mtmend/<folders>``; a launcher puts its root first on ``sys.path``,
ahead of the editable install's finder.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import common

FOLDERS = ("corpus", "cleaner", "review", "cli", "tmx")


def freeze(prefix: str = "frozen") -> Path:
    """This working tree's code folders, copied once per content into ``bench/out/<prefix>-<hash>/``."""
    folders = [f for f in FOLDERS if (common.ROOT / f).is_dir()]
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted((common.ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(common.ROOT)).encode() + path.read_bytes())
    return _staged(common.OUT / f"{prefix}-{digest.hexdigest()[:12]}",
                   lambda package: [shutil.copytree(common.ROOT / f, package / f,
                                                    ignore=shutil.ignore_patterns("__pycache__")) for f in folders])


def of_commit(commit: str) -> Path:
    """The code folders of ``commit`` (``git archive``), in ``bench/out/tree-<commit>/``."""
    def fill(package: Path) -> None:
        listed = subprocess.run(["git", "-C", str(common.ROOT), "ls-tree", "--name-only", commit],
                                capture_output=True, text=True, check=True).stdout.split()
        archive = subprocess.run(["git", "-C", str(common.ROOT), "archive", commit,
                                  *[f for f in FOLDERS if f in listed]], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(package)], input=archive, check=True)

    return _staged(common.OUT / f"tree-{commit}", fill)


def launcher(root: Path) -> tuple[str, ...]:
    """``mtmend`` running the code in ``root``."""
    launch = f"import sys; sys.path.insert(0, {str(root)!r}); from mtmend.cli.main import entry; entry()"
    return (sys.executable, "-c", launch)


def _staged(root: Path, fill) -> Path:
    # Built under a .part name and renamed, so a killed run never leaves a half copy in use.
    if not root.exists():
        staging = root.parent / f".{root.name}.part"
        shutil.rmtree(staging, ignore_errors=True)
        package = staging / "mtmend"
        package.mkdir(parents=True)
        fill(package)
        (package / "__init__.py").write_text("", encoding="utf-8")
        staging.rename(root)
    return root
