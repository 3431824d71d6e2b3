"""Per-segment statistics kept in the workspace: reused only while they hold, never a wrong figure."""

from __future__ import annotations

import json

import pytest

from mtmend.corpus import workspace_scoring
from mtmend.corpus.store import Workspace


def _scores(ws):
    return [(r.comparison.key, r.segments, r.corpus, r.documents) for r in workspace_scoring.score_workspace(ws, ws.documents())]


def _rows(ws) -> dict[int, tuple[bytes, str]]:
    return {r[0]: (r[1], r[2]) for r in ws.conn.execute("SELECT segment_id, digest, stats FROM segment_stats")}


def test_a_second_scoring_computes_nothing_and_agrees(sample_workspace, monkeypatch):
    with Workspace.open(sample_workspace) as ws:
        first = _scores(ws)
        assert len(_rows(ws)) == sum(ws.segment_count(d.id) for d in ws.documents())
        monkeypatch.setattr(workspace_scoring, "grouped_stats", lambda *a, **k: pytest.fail("scored again"))
        assert _scores(ws) == first


DAMAGE = [
    "{", "[]", "null", '{"effort": []}', '{"nonsense": [[1], [2], [3]]}',
    lambda s: s.replace("[", "[-1,", 1), lambda s: s.replace("0", "true", 1), lambda s: s.replace("]", ",7]", 1),
    lambda s: s.replace('"effort"', '"hter"'),
]


@pytest.mark.parametrize("damage", range(len(DAMAGE)))
def test_damaged_or_outdated_rows_are_recounted(sample_workspace, damage):
    with Workspace.open(sample_workspace) as ws:
        first = _scores(ws)
        rows = _rows(ws)
        victims = sorted(rows)[::3]
        change = DAMAGE[damage]
        with ws.transaction():
            for seg_id in victims:
                digest, stats = rows[seg_id]
                bad = change(stats) if callable(change) else change
                ws.put_segment_stats([(seg_id, digest, bad)])
            stale = sorted(rows)[1]  # a row kept for other texts: its digest no longer matches
            ws.put_segment_stats([(stale, b"\0" * 16, rows[sorted(rows)[2]][1])])
        assert _scores(ws) == first
        assert _rows(ws) == rows  # recounted and kept again


def test_a_changed_target_is_rescored_alone(sample_workspace, monkeypatch):
    with Workspace.open(sample_workspace) as ws:
        _scores(ws)
        seg = next(ws.all_segments())
        with ws.transaction():
            ws.conn.execute("UPDATE segments SET target = ? WHERE id = ?", (seg.target + " extra words", seg.id))
        counted = []
        real = workspace_scoring.grouped_stats

        def counting(items, **kwargs):
            items = list(items)
            counted.extend(items)
            return real(items, **kwargs)

        monkeypatch.setattr(workspace_scoring, "grouped_stats", counting)
        after = _scores(ws)
        monkeypatch.undo()
        assert {key[1] for key, _, _ in counted} == {seg.id}
        changed = ws.segment(seg.id)
        digest = workspace_scoring.digest("en", changed.mt, changed.target, changed.reference, changed.status.value)
        assert _rows(ws)[seg.id][0][:16] == digest and "effort" in json.loads(_rows(ws)[seg.id][1])  # kept anew
        with ws.transaction():
            ws.conn.execute("DELETE FROM segment_stats")
        assert _scores(ws) == after


def _workers(ws, workers):
    return [(r.comparison.key, r.segments, r.corpus, r.documents)
            for r in workspace_scoring.score_workspace(ws, ws.documents(), workers=workers)]


@pytest.mark.parametrize("workers", [2, 3, 7])
def test_stretches_read_by_other_processes_give_the_same_scores(sample_workspace, workers, monkeypatch):
    started = []
    real = workspace_scoring.meanwhile

    def counting(*args):
        started.append(args[-1])
        return real(*args)

    monkeypatch.setattr(workspace_scoring, "meanwhile", counting)
    with Workspace.open(sample_workspace) as ws:
        with ws.transaction():  # a reviewed segment and a reference: every comparison has a segment
            seg = next(ws.all_segments())
            ws.conn.execute("UPDATE segments SET status = 'reviewed', reference = ? WHERE id = ?", (seg.target + " x", seg.id))
        alone = _scores(ws)
        rows = _rows(ws)
        with ws.transaction():  # the other processes must score what no longer holds, and keep it
            ws.conn.execute("DELETE FROM segment_stats WHERE segment_id % 2 = 0")
        assert _workers(ws, workers) == alone
        assert len(started) == workers - 1  # this process reads the first stretch
        assert _rows(ws) == rows
        assert _workers(ws, workers) == alone  # from the kept rows


def test_a_stretch_no_process_could_read_is_read_here(sample_workspace, monkeypatch):
    with Workspace.open(sample_workspace) as ws:
        alone = _scores(ws)
        monkeypatch.setattr(workspace_scoring, "meanwhile", lambda *a: None)
        assert _workers(ws, 2) == alone


def test_stretches_cover_every_id_once():
    for low, high, parts in [(1, 1, 4), (1, 10, 3), (5, 100_000, 4), (7, 8, 2), (1, 3, 5)]:
        stretches = workspace_scoring._cut(low, high, parts)
        ids = [i for after, upto in stretches for i in range(after + 1, upto + 1)]
        assert ids == list(range(low, high + 1))
        assert len(stretches) == min(parts, high - low + 1)
