"""The full TMX is the archive a restore needs: history survives, re-import is idempotent, it validates."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import SAMPLE_DOCS, SAMPLES
from mtmend.cli.main import main
from mtmend.corpus.model import Status
from mtmend.corpus.store import NewSegment, Workspace
from mtmend.review import ReviewSession
from test_review_support import add_term_suggestions
from tmx_helpers import assert_dtd_valid

DOC = SAMPLE_DOCS[0]
_STAMP = re.compile(rb' creationdate="[0-9TZ]+"', re.M)


def _with_history(folder) -> None:
    """Passes of several kinds, review decisions (one undone), a segment with an empty side."""
    assert main(["-w", str(folder), "clean", "--glossary", str(SAMPLES / "glossary.tsv")]) == 0
    with Workspace.open(folder) as ws:
        add_term_suggestions(ws, DOC)
        session = ReviewSession.start(ws, [DOC], "alice")
        index = next(i for i, e in enumerate(session.entries) if e.open_issues)
        seg = session.segment_at(index)
        session.hand_edit(seg.id, seg.target + " (checked)")
        session.confirm(seg.id)
        session.undo()
        session.confirm(seg.id)
        session.close()
        with ws.transaction():
            ws.add_document("one-sided", [NewSegment(0, "只有中文。", "", status=Status.RAW),
                                          NewSegment(1, "", "Only English.", status=Status.RAW)])
    assert main(["-w", str(folder), "clean", "one-sided"]) == 0


@pytest.fixture(scope="module")
def history_template(sample_workspace_template, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("history") / "ws"
    shutil.copytree(sample_workspace_template, folder)
    _with_history(folder)
    return folder


@pytest.fixture
def with_history(history_template, tmp_path) -> Path:
    folder = tmp_path / "ws"
    shutil.copytree(history_template, folder)
    return folder


def _history(folder):
    with Workspace.open(folder) as ws:
        passes = [(p.id, p.kind, p.started, p.finished, p.detail, p.summary) for p in ws.passes()]
        docs = [(d.name, d.created) for d in ws.documents()]
        anns = [(a.seq, a.pass_id, a.state, a.created, a.edit) for d in ws.documents()
                for a in ws.document_annotations(d.id)]
        log = ws.conn.execute("SELECT pass_id, action, reviewer, created, undone FROM review_log ORDER BY id").fetchall()
    return passes, docs, anns, [tuple(r) for r in log]


def test_restore_then_export_gives_the_same_file(cli, with_history, tmp_path):
    sample_workspace = with_history
    first, second = tmp_path / "first.tmx", tmp_path / "second.tmx"
    assert cli("-w", sample_workspace, "export", "--full", "-o", first)[0] == 0
    code, _, err = cli("-w", tmp_path / "restored", "import", first)
    assert code == 0, err
    assert cli("-w", tmp_path / "restored", "export", "--full", "-o", second)[0] == 0
    assert _STAMP.sub(b"", first.read_bytes()) == _STAMP.sub(b"", second.read_bytes())
    assert _history(tmp_path / "restored") == _history(sample_workspace)
    passes, _, _, log = _history(tmp_path / "restored")
    assert len(passes) >= 3 and any(kind == "review" for _, kind, *_ in passes) and len(log) >= 3


def test_reimporting_a_full_archive_changes_nothing(cli, with_history, tmp_path):
    sample_workspace = with_history
    archive = tmp_path / "full.tmx"
    assert cli("-w", sample_workspace, "export", "--full", "-o", archive)[0] == 0
    with Workspace.open(sample_workspace) as ws:
        before = ([d.name for d in ws.documents()], [(s.id, s.target, s.status) for s in ws.all_segments()])
    for _ in range(2):
        code, _, err = cli("-w", sample_workspace, "import", archive)
        assert code == 0, err
    with Workspace.open(sample_workspace) as ws:
        after = ([d.name for d in ws.documents()], [(s.id, s.target, s.status) for s in ws.all_segments()])
    assert after == before  # no "*-unmatched" document, no change


def test_full_export_with_empty_sides_validates(cli, with_history, tmp_path):
    sample_workspace = with_history
    archive = tmp_path / "full.tmx"
    assert cli("-w", sample_workspace, "export", "--full", "-o", archive)[0] == 0
    code, out, err = cli("tmx", "validate", archive)
    assert code == 0, out + err
    assert_dtd_valid(archive)
