"""A clean writes its segments in batches (``corpus/store/writes.py``); what it stores must not change.

The reference is the store's per-segment API: every edit recorded by ``Workspace.add_annotation``
(which reads the segment, numbers the row after the segment's last, and writes the target at
once) and every statistics row by ``put_segment_stats`` as it comes. The same cleans run through
both on copies of one workspace — the sample articles (cleaned in this process) and a generated
document big enough for the worker processes — then a reviewer accepts and rejects a few
suggestions and both are cleaned again (segments with annotations, settled suggestions).
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from mtmend.cleaner import passes
from mtmend.cleaner import plan as planning
from mtmend.corpus import prescore
from mtmend.corpus.errors import ConflictError
from mtmend.corpus.model import EditState
from mtmend.corpus.store import SegmentWrites, Workspace

BENCH = Path(__file__).resolve().parents[1] / "bench"


class OneByOne:
    """Per-segment writes, through the store's long-standing methods: the reference."""

    def __init__(self, ws: Workspace):
        self.ws = ws

    def add_applied(self, seg, edits, *, pass_id=None) -> str:
        target = seg.target
        for edit in edits:
            self.ws.add_annotation(seg.id, edit, EditState.APPLIED, pass_id=pass_id)
            target = self.ws.segment(seg.id).target
        return target

    def add_suggested(self, seg, edits, *, pass_id=None) -> None:
        for edit in edits:
            self.ws.add_annotation(seg.id, edit, EditState.SUGGESTED, pass_id=pass_id)

    def put_segment_stats(self, rows) -> None:
        self.ws.put_segment_stats(rows)

    def flush(self, segment_id=None) -> None:
        pass  # nothing waits


@contextmanager
def _one_by_one(ws, annotated, size=None):
    yield OneByOne(ws)


def _stored(folder: Path) -> tuple[list, list, list]:
    """Segments (target, status), annotations (all but the clock) and kept statistics, in id order."""
    with sqlite3.connect(folder / "mtmend.db") as db:
        segments = db.execute("SELECT id, target, status FROM segments ORDER BY id").fetchall()
        notes = db.execute('SELECT id, segment_id, seq, author, author_kind, category, severity, start, "end", before,'
                           " after, auto, note, state, pass_id, comment FROM annotations ORDER BY id").fetchall()
        stats = db.execute("SELECT segment_id, digest, stats FROM segment_stats ORDER BY segment_id").fetchall()
    return segments, notes, stats


def _review(folder: Path) -> None:
    """Revert every third automatic change (the next clean makes it again), accept every seventh open
    suggestion and reject every fifth, as a reviewer would."""
    with Workspace.open(folder) as ws, ws.transaction():
        recorded = [a for d in ws.documents() for a in ws.document_annotations(d.id)]
        for a in [a for a in recorded if a.state is EditState.APPLIED and a.edit.after is not None][::3]:
            try:
                ws.revert(a.id)
            except ConflictError:  # a later edit changed what it made: the reviewer is told so
                pass
        suggested = [a for a in recorded if a.state is EditState.SUGGESTED and a.edit.after is not None]
        for a in suggested[::7]:
            ws.accept(a.id)
        for a in suggested[3::5]:
            if ws.annotation(a.id).state is EditState.SUGGESTED:
                ws.reject(a.id)


def _clean_both(cli, monkeypatch, batched: Path, reference: Path, parallel: bool, checked) -> None:
    """Clean ``batched`` through the batches (workers when ``parallel``) and ``reference`` one by one
    in this process; twice, with a review between (``checked()`` after the first)."""
    for step in range(2):
        with monkeypatch.context() as m:
            if parallel:
                m.setattr(planning, "CHUNK", 97)
                m.setattr(passes, "workers_for", lambda count: 2)
            assert cli("-w", batched, "clean")[0] == 0
        with monkeypatch.context() as m:
            m.setattr(passes, "workers_for", lambda count: 0)
            m.setattr(Workspace, "segment_writes", _one_by_one)
            assert cli("-w", reference, "clean")[0] == 0
        assert _stored(batched) == _stored(reference)
        if step == 0:
            checked()
            _review(batched)
            _review(reference)


def _versions(folder: Path) -> list[tuple[int, int]]:
    with sqlite3.connect(folder / "mtmend.db") as db:
        return db.execute("SELECT id, version FROM segments ORDER BY id").fetchall()


def _bumped_once(folder: Path, segments: list, versions: list) -> None:
    """After a first clean each segment it changed was written once (one version bump), the others never."""
    changed = {old[0] for old, new in zip(segments, _stored(folder)[0], strict=True) if old != new}
    assert changed
    assert _versions(folder) == [(i, v + (i in changed)) for i, v in versions]


@pytest.fixture
def generated_workspace(tmp_path, cli) -> Path:
    """A document of the benchmark's generated corpus (1,500 lines: quotes, furniture, glossary terms…)."""
    sys.path.insert(0, str(BENCH))
    try:
        from generator import GenParams, PairGenerator, load_glossary
    finally:
        sys.path.remove(str(BENCH))
    tsv = tmp_path / "generated.tsv"
    tsv.write_text("".join(f"{zh}\t{en}\n" for zh, en in PairGenerator(GenParams(lines=1500), load_glossary()).lines()),
                   encoding="utf-8")
    folder = tmp_path / "generated"
    assert cli("-w", folder, "import", tsv, "--name", "generated")[0] == 0
    return folder


@pytest.mark.parametrize("size", [1, 4, 1000])
def test_sample_corpus_in_batches_stores_what_one_by_one_does(sample_workspace, tmp_path, cli, monkeypatch, size):
    """The sample articles in batches of ``size`` segments: the same annotations (ids, seq, spans,
    states, passes), targets, statuses and statistics as per-segment writes, clean after clean."""
    from mtmend.corpus.store import writes

    monkeypatch.setattr(prescore, "PRESCORE_FROM", 0)  # statistics written by the loop, as a big workspace's
    monkeypatch.setattr(writes, "BATCH", size)
    reference = tmp_path / "reference"
    shutil.copytree(sample_workspace, reference)
    segments, versions = _stored(sample_workspace)[0], _versions(sample_workspace)
    _clean_both(cli, monkeypatch, sample_workspace, reference, parallel=False,
                checked=lambda: _bumped_once(sample_workspace, segments, versions))
    segments, notes, stats = _stored(sample_workspace)
    assert {n[13] for n in notes} >= {"applied", "suggested", "rejected", "reverted"}
    second = {n[1] for n in notes if n[14] == max(n[14] for n in notes) and n[13] == "applied"}
    assert any(n[1] in second and n[14] < max(n[14] for n in notes) for n in notes)  # numbered after earlier ones
    assert len(stats) == len(segments)


def test_generated_document_cleaned_by_workers_in_batches_stores_what_one_by_one_does(generated_workspace, tmp_path,
                                                                                      cli, monkeypatch):
    """A generated document cleaned in chunks by two worker processes, written in batches of 50
    segments, against the same cleaned in this process and written one by one."""
    from mtmend.corpus.store import writes

    monkeypatch.setattr(prescore, "PRESCORE_FROM", 0)
    monkeypatch.setattr(writes, "BATCH", 50)
    reference = tmp_path / "reference"
    shutil.copytree(generated_workspace, reference)
    segments, versions = _stored(generated_workspace)[0], _versions(generated_workspace)
    _clean_both(cli, monkeypatch, generated_workspace, reference, parallel=True,
                checked=lambda: _bumped_once(generated_workspace, segments, versions))
    segments, notes, stats = _stored(generated_workspace)
    assert len(segments) > 1000 and len(notes) > len(segments) // 2 and len(stats) == len(segments)


class _FailingConnection:
    """A connection whose ``executemany`` fails after ``left`` calls (the disk gave out mid-batch)."""

    def __init__(self, conn: sqlite3.Connection, left: int):
        self.conn, self.left = conn, left

    def executemany(self, statement, rows):
        if self.left == 0:
            raise sqlite3.OperationalError("disk I/O error")
        self.left -= 1
        return self.conn.executemany(statement, rows)

    def execute(self, *args):
        return self.conn.execute(*args)


def test_a_failure_mid_batch_leaves_the_workspace_as_before(generated_workspace, cli, monkeypatch):
    """The 7th batched statement fails (after two batches were written, in the third's middle):
    the clean reports it and the segments, annotations and statistics are as before the clean."""
    from mtmend.corpus.store import writes

    monkeypatch.setattr(prescore, "PRESCORE_FROM", 0)
    monkeypatch.setattr(writes, "BATCH", 50)
    monkeypatch.setattr(planning, "CHUNK", 97)
    monkeypatch.setattr(passes, "workers_for", lambda count: 2)
    failing: list[_FailingConnection] = []
    made = SegmentWrites.__init__

    def failing_writes(self, conn, annotated, size):
        made(self, conn, annotated, size)
        self.conn = _FailingConnection(conn, 6)
        failing.append(self.conn)

    monkeypatch.setattr(SegmentWrites, "__init__", failing_writes)
    before = _stored(generated_workspace), _versions(generated_workspace)
    code, _out, err = cli("-w", generated_workspace, "clean")
    assert code != 0 and "disk I/O error" in err and "Traceback" not in err
    assert failing and failing[0].left == 0  # it failed where meant, not earlier
    assert (_stored(generated_workspace), _versions(generated_workspace)) == before
    monkeypatch.setattr(SegmentWrites, "__init__", made)
    assert cli("-w", generated_workspace, "clean")[0] == 0  # and the next clean does the work
    assert _stored(generated_workspace)[1]
