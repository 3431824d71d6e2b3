"""Two reviewers on different documents of one workspace, in two real processes at once."""

from __future__ import annotations

import subprocess
import sys
import time

from conftest import SAMPLE_DOCS
from mtmend.corpus.model import Status
from mtmend.corpus.store import Workspace
from test_review_support import add_term_suggestions


def _reviewer(folder, doc, name):
    return subprocess.Popen(
        [sys.executable, "-m", "mtmend.cli.main", "-w", str(folder), "review", "--plain", "--reviewer", name, doc],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def test_two_reviewers_on_different_documents_work_at_the_same_time(sample_workspace):
    with Workspace.open(sample_workspace) as ws:
        pending = {doc: add_term_suggestions(ws, doc) for doc in SAMPLE_DOCS}
    assert all(pending.values())
    alice = _reviewer(sample_workspace, SAMPLE_DOCS[0], "alice")
    bob = _reviewer(sample_workspace, SAMPLE_DOCS[1], "bob")
    # Interleave their answers so both sessions hold their documents at once.
    for _ in range(max(pending.values())):
        for proc in (alice, bob):
            if proc.poll() is None:
                try:
                    proc.stdin.write("y\n")
                    proc.stdin.flush()
                except BrokenPipeError:
                    pass
        time.sleep(0.05)
    results = {}
    for name, proc in (("alice", alice), ("bob", bob)):
        out, err = proc.communicate("q\n", timeout=60)
        results[name] = (proc.returncode, err)
    assert results["alice"][0] == 0, results["alice"][1]
    assert results["bob"][0] == 0, results["bob"][1]
    with Workspace.open(sample_workspace) as ws:
        for doc, reviewer in zip(SAMPLE_DOCS, ("alice", "bob"), strict=True):
            segs = list(ws.segments(ws.document(doc).id))
            reviewed = [s for s in segs if s.status is Status.REVIEWED]
            assert reviewed, f"{reviewer} reviewed nothing in {doc}"
            people = {
                a.edit.author
                for s in reviewed
                for a in ws.annotations(s.id)
            }
            assert "term-check" in people  # the accepted suggestions are there
        kinds = [p.kind for p in ws.passes()]
        assert kinds.count("review") == 2
        assert ws.conn.execute("SELECT count(*) FROM review_locks").fetchone()[0] == 0
