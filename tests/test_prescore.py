"""Statistics computed while a clean runs are kept for the texts they belong to, or not used."""

from __future__ import annotations

from mtmend.cleaner.config import CleanConfig
from mtmend.cleaner.passes import clean_workspace
from mtmend.corpus import prescore, progress, workspace_scoring
from mtmend.corpus.store import Workspace


def _metrics(snap):
    return {k: (m.segments, m.scores, dict(m.documents)) for k, m in snap.metrics.items()}


def _forget(ws):
    with ws.transaction():
        ws.conn.execute("DELETE FROM segment_stats")


def _counting(monkeypatch) -> list[int]:
    """Record how many segments each scoring of kept-statistics misses computes."""
    scored: list[int] = []
    real = workspace_scoring._score
    monkeypatch.setattr(workspace_scoring, "_score", lambda ws, todo, *a: scored.append(len(todo)) or real(ws, todo, *a))
    return scored


def test_a_prescored_clean_records_the_same_metrics_as_scoring_afterwards(sample_workspace, monkeypatch):
    monkeypatch.setattr(prescore, "PRESCORE_FROM", 0)  # the sample corpus is small: prescore anyway
    scored = _counting(monkeypatch)
    with Workspace.open(sample_workspace) as ws:
        report = clean_workspace(ws, ws.documents(), CleanConfig())
        recorded = ws.pass_(report.pass_id).snapshot
        assert sum(scored) == 0  # the snapshot found every segment prescored
        _forget(ws)
        fresh = progress.take_snapshot(ws)
        assert sum(scored) == sum(ws.segment_count(d.id) for d in ws.documents())
    assert report.changed > 0 and "effort" in recorded.metrics
    assert _metrics(recorded) == _metrics(fresh)


def test_a_segment_changed_since_it_was_handed_over_is_scored_again(sample_workspace, monkeypatch):
    scored = _counting(monkeypatch)
    with Workspace.open(sample_workspace) as ws:
        first, second = ws.documents()
        scores = prescore.Prescore("en-US", workers=1)
        try:
            for doc in (first, second):
                for seg in ws.segments(doc.id):
                    target = seg.target + " (edited)" if doc is first else seg.target
                    scores.add(seg.id, seg.mt, target, seg.reference, seg.status.value)
            workspace_scoring.keep(ws, scores.finish())
        finally:
            scores.close()
        snap = progress.take_snapshot(ws)
        assert scored == [ws.segment_count(first.id)]  # the first document's stored targets differ
        _forget(ws)
        assert _metrics(progress.take_snapshot(ws)) == _metrics(snap)


def test_chunks_scored_here_give_the_same_rows_as_one_chunk(sample_workspace, monkeypatch):
    """Chunks the workers have not started, or that overflow their queue, are scored in this process."""
    with Workspace.open(sample_workspace) as ws:
        segments = [s for d in ws.documents() for s in ws.segments(d.id)]
    monkeypatch.setattr(prescore, "MAX_QUEUED", 3)
    one_chunk = prescore.Prescore("en-US", workers=1, chunk_size=10**9)
    tiny = prescore.Prescore("en-US", workers=1, chunk_size=1)  # far more chunks than one worker keeps up with
    try:
        drained = []
        for s in segments:
            for scores in (one_chunk, tiny):
                scores.add(s.id, s.mt, s.target + " and more", s.reference, s.status.value)
            drained += tiny.drain(now=len(drained) % 2 == 0)
        shared, whole = sorted(drained + tiny.finish()), sorted(one_chunk.finish())
    finally:
        one_chunk.close()
        tiny.close()
    assert tiny.here > 0 and not tiny.futures and not tiny.digests  # scored here; nothing left behind
    assert shared == whole and len(whole) == len(segments)


def test_a_segment_whose_kept_statistics_still_hold_is_not_handed_over(sample_workspace):
    with Workspace.open(sample_workspace) as ws:
        seg = next(ws.all_segments())
        scores = prescore.Prescore("en-US", workers=1)
        try:
            same = workspace_scoring.digest("en-US", seg.mt, seg.target, seg.reference, seg.status.value)
            scores.add(seg.id, seg.mt, seg.target, seg.reference, seg.status.value, same)
            assert scores.finish() == []
            scores.add(seg.id, seg.mt, seg.target, seg.reference, seg.status.value, b"other")
            assert [(row[0], row[1][:16]) for row in scores.finish()] == [(seg.id, same)]
        finally:
            scores.close()
