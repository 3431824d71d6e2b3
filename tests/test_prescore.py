"""Metrics computed while a clean runs are the metrics of the stored workspace, or not used."""

from __future__ import annotations

from mtmend.cleaner.config import CleanConfig
from mtmend.cleaner.passes import clean_workspace
from mtmend.corpus import prescore, progress
from mtmend.corpus.store import Workspace


def _metrics(snap):
    return {k: (m.segments, m.scores, dict(m.documents)) for k, m in snap.metrics.items()}


def test_a_prescored_clean_records_the_same_metrics_as_scoring_afterwards(sample_workspace, monkeypatch):
    monkeypatch.setattr(prescore, "PRESCORE_FROM", 0)  # the sample corpus is small: prescore anyway
    used = []
    real = prescore.Prescore.verified
    monkeypatch.setattr(prescore.Prescore, "verified", lambda self, ws: used.append(real(self, ws)) or used[-1])
    with Workspace.open(sample_workspace) as ws:
        report = clean_workspace(ws, ws.documents(), CleanConfig())
        recorded = ws.pass_(report.pass_id).snapshot
        fresh = progress.take_snapshot(ws)
        assert len(used) == 1 and set(used[0]) == {d.id for d in ws.documents()}  # every document prescored
    assert report.changed > 0 and "effort" in recorded.metrics
    assert _metrics(recorded) == _metrics(fresh)


def test_a_document_changed_since_it_was_handed_over_is_scored_again(sample_workspace):
    with Workspace.open(sample_workspace) as ws:
        first, second = ws.documents()
        scores = prescore.Prescore("en-US", workers=1)
        try:
            for doc in (first, second):
                for seg in ws.segments(doc.id):
                    target = seg.target + " (edited)" if doc is first else seg.target
                    scores.add(doc.id, seg.mt, target, seg.reference, seg.status.value)
            verified = scores.verified(ws)
        finally:
            scores.close()
        assert set(verified) == {second.id}  # the first document's stored targets differ
        snap = progress.take_snapshot(ws)
        stats = verified[second.id][("effort", second.id)]
        assert stats[0] == snap.metrics["effort"].documents[second.name][0] == ws.segment_count(second.id)


def test_chunks_scored_here_give_the_same_sums_as_one_chunk(sample_workspace, monkeypatch):
    """Chunks the workers have not started, or that overflow their queue, are scored in this process."""
    with Workspace.open(sample_workspace) as ws:
        rows = [(d.id, s) for d in ws.documents() for s in ws.segments(d.id)]
    edited = [(doc_id, s.mt, s.target + " and more", s.reference, s.status.value) for doc_id, s in rows]
    monkeypatch.setattr(prescore, "MAX_QUEUED", 3)
    one_chunk = prescore.Prescore("en-US", workers=1, chunk_size=10**9)
    tiny = prescore.Prescore("en-US", workers=1, chunk_size=1)  # far more chunks than one worker keeps up with
    try:
        for row in edited:
            one_chunk.add(*row)
            tiny.add(*row)
        shared, whole = tiny.results(), one_chunk.results()
        overflowed, queued = len(tiny.here), len(tiny.waiting)
    finally:
        one_chunk.close()
        tiny.close()
    assert overflowed > 0 and queued == 0  # scored here, and no chunk's items kept once it is summed
    assert shared == whole and len(whole) == 2
