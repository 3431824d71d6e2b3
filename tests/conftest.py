"""Shared fixtures: the sample corpus, the shared reference data, and running the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mtmend.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
SHARED = ROOT.parent / "shared" / "data"
SAMPLE_DOCS = ("000_46a1daae881aeae4", "003_3ffcd919ae816214")


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared/data not available: it ships only with dev and CI checkouts")
    return SHARED


@pytest.fixture
def cli(capsys):
    """Run ``mtmend`` in process; returns (exit code, stdout, stderr)."""

    def run(*argv: str) -> tuple[int, str, str]:
        code = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture(scope="session")
def sample_workspace_template(tmp_path_factory) -> Path:
    """The two sample articles imported once per test session (alignment is the slow part)."""
    folder = tmp_path_factory.mktemp("samples-ws")
    for doc in SAMPLE_DOCS:
        code = main(["-w", str(folder), "import", str(SAMPLES / f"{doc}.zh.txt"), str(SAMPLES / f"{doc}.txt")])
        assert code == 0
    return folder


@pytest.fixture
def sample_workspace(sample_workspace_template, tmp_path) -> Path:
    """A private copy of the imported sample corpus, safe to modify."""
    folder = tmp_path / "ws"
    shutil.copytree(sample_workspace_template, folder)
    return folder
