"""Batch passes never change a document a reviewer holds; review refuses decisions on stale text."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import time

import pytest

from conftest import SAMPLE_DOCS, SAMPLES
from mtmend.corpus.model import AuthorKind, Edit, EditState, Severity
from mtmend.corpus.store import Workspace
from mtmend.review import ReviewSession, StaleSegmentError
from test_review_support import add_term_suggestions

DOC, OTHER = SAMPLE_DOCS
GLOSSARY = SAMPLES / "glossary.tsv"
PROMPT = "[y,n,e,s,q,?]? "


def _doc_state(folder, name: str):
    with Workspace.open(folder) as ws:
        doc = ws.document(name)
        segs = list(ws.segments(doc.id))
        return [(s.target, s.version, len(ws.annotations(s.id))) for s in segs]


def _read_until(proc: subprocess.Popen, marker: str, timeout: float = 60) -> str:
    """Read the reviewer's stdout until ``marker`` appears (its prompts end without a newline)."""
    seen, deadline = b"", time.monotonic() + timeout
    fd = proc.stdout.fileno()
    while marker.encode() not in seen:
        left = deadline - time.monotonic()
        if left <= 0 or proc.poll() is not None:
            raise AssertionError(f"no {marker!r} from the reviewer; got {seen.decode()[-500:]!r}")
        if select.select([fd], [], [], left)[0]:
            seen += os.read(fd, 65536)
    return seen.decode()


def _glossary_edits(folder, name: str) -> int:
    with Workspace.open(folder) as ws:
        return sum(1 for a in ws.document_annotations(ws.document(name).id) if a.edit.author == "apply_glossary")


def test_clean_leaves_a_held_document_alone_and_the_reviewer_edits_current_text(cli, sample_workspace, tmp_path):
    with Workspace.open(sample_workspace) as ws:
        assert add_term_suggestions(ws, DOC)
    control = tmp_path / "control"
    shutil.copytree(sample_workspace, control)
    assert cli("-w", control, "clean", "--glossary", GLOSSARY)[0] == 0
    assert _glossary_edits(control, DOC) > 0  # without a reviewer, this clean changes DOC

    reviewer = subprocess.Popen(
        [sys.executable, "-m", "mtmend.cli.main", "-w", str(sample_workspace), "review", "--plain",
         "--reviewer", "alice", DOC], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        shown = _read_until(reviewer, PROMPT)
        before = _doc_state(sample_workspace, DOC)
        code, _, err = cli("-w", sample_workspace, "clean", "--glossary", GLOSSARY)
        assert code == 6, err
        assert "left alone" in err and DOC in err
        assert _doc_state(sample_workspace, DOC) == before
        assert _glossary_edits(sample_workspace, DOC) == 0
        assert _glossary_edits(sample_workspace, OTHER) == _glossary_edits(control, OTHER)  # the rest was done
        target = shown.rsplit("target: ", 1)[1].split("\n", 1)[0]
        out, err = reviewer.communicate(f"e\n{target} [checked]\nq\n".encode(), timeout=60)
    finally:
        if reviewer.poll() is None:
            reviewer.kill()
            reviewer.wait()
    assert reviewer.returncode == 0, err
    with Workspace.open(sample_workspace) as ws:
        doc = ws.document(DOC)
        edits = [a for a in ws.document_annotations(doc.id) if a.edit.author == "alice"]
        # One hand edit, stored as word-level replacements (issue 13): all on the one segment.
        assert edits and len({a.segment_id for a in edits}) == 1 and all(a.state is EditState.APPLIED for a in edits)
        seg = ws.segment(edits[0].segment_id)
        assert seg.target.endswith(" [checked]") and seg.target == target + " [checked]"
        assert ws.conn.execute("SELECT count(*) FROM review_locks").fetchone()[0] == 0


def test_clean_wait_cleans_the_document_once_the_review_ends(cli, sample_workspace):
    with Workspace.open(sample_workspace) as ws:
        assert add_term_suggestions(ws, DOC)
    reviewer = subprocess.Popen(
        [sys.executable, "-m", "mtmend.cli.main", "-w", str(sample_workspace), "review", "--plain", DOC],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        _read_until(reviewer, PROMPT)
        cleaner = subprocess.Popen(
            [sys.executable, "-m", "mtmend.cli.main", "-w", str(sample_workspace), "clean", "--wait",
             "--glossary", str(GLOSSARY), DOC], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        time.sleep(1.5)
        assert cleaner.poll() is None  # waiting for the reviewer
        assert _glossary_edits(sample_workspace, DOC) == 0
        reviewer.communicate(b"q\n", timeout=60)
        _, err = cleaner.communicate(timeout=120)
    finally:
        for proc in (reviewer, locals().get("cleaner")):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
    assert cleaner.returncode == 0, err
    assert _glossary_edits(sample_workspace, DOC) > 0


def test_tmx_import_leaves_a_held_document_alone(cli, sample_workspace, tmp_path):
    archive = tmp_path / "changed.tmx"
    assert cli("-w", sample_workspace, "export", "-o", archive, DOC)[0] == 0
    text = archive.read_text(encoding="utf-8")
    archive.write_text(text.replace("</seg></tuv></tu>", " [CAT]</seg></tuv></tu>", 1), encoding="utf-8")
    with Workspace.open(sample_workspace) as ws:
        session = ReviewSession.start(ws, [DOC], "alice")
        before = _doc_state(sample_workspace, DOC)
        code, _, err = cli("-w", sample_workspace, "import", archive)
        session.close()
    assert code == 6 and "left alone" in err and DOC in err, err
    assert _doc_state(sample_workspace, DOC) == before
    assert cli("-w", sample_workspace, "import", archive)[0] == 0  # free again: the change arrives
    assert _doc_state(sample_workspace, DOC) != before


def test_a_decision_on_stale_text_is_refused_and_the_segment_shown_again(sample_workspace):
    with Workspace.open(sample_workspace) as ws:
        assert add_term_suggestions(ws, DOC)
        session = ReviewSession.start(ws, [DOC], "alice")
        index = next(i for i, e in enumerate(session.entries) if e.open_issues)
        seg = session.segment_at(index)  # what the reviewer sees
        suggestion = next(a for a in session.annotations_at(index) if a.state is EditState.SUGGESTED)
        # Another writer that ignores the lock (an older mtmend, a script) changes the target.
        with Workspace.open(sample_workspace) as other, other.transaction():
            end = len(seg.target)
            other.add_annotation(seg.id, Edit(end, end, "", " (x)", "script", "Other", Severity.NEUTRAL,
                                              author_kind=AuthorKind.PERSON), EditState.APPLIED)
        with pytest.raises(StaleSegmentError, match="changed since it was shown"):
            session.accept_edit(suggestion.id)
        assert ws.annotation(suggestion.id).state is EditState.SUGGESTED  # nothing saved
        with pytest.raises(StaleSegmentError):
            session.hand_edit(seg.id, seg.target + " edited")  # computed from the old text
        assert ws.segment(seg.id).target == seg.target + " (x)"
        current = session.segment_at(index)  # shown again: now the decision is on current text
        session.hand_edit(seg.id, current.target + " edited")
        assert ws.segment(seg.id).target == seg.target + " (x) edited"
        session.close()
