"""The pass lifecycle: open a pass, record what ran, close it with a snapshot.

Every command that records a pass (clean, review, TMX and MQM import, score) goes through
here: :func:`begin_pass` inside the transaction of the pass's first writes (so a failed
start leaves no pass), then :func:`end_pass` once its writes are committed. ``end_pass``
stores the command's own typed summary (its ``as_json()``), then takes a
:class:`~mtmend.corpus.snapshot.Snapshot` — segments per status, open annotations, MQM and
the sacrebleu metrics of :data:`mtmend.corpus.scoring.COMPARISONS` with their signatures —
*after* the write transaction, reading only, so no other writer (a reviewer) waits for
the scoring, whatever the workspace's size.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future
from typing import Protocol

from mtmend.corpus import mqm, mqm_scoring, workspace_scoring
from mtmend.corpus.errors import InputError
from mtmend.corpus.model import Pass
from mtmend.corpus.prescore import Prescore
from mtmend.corpus.processes import meanwhile, outcome, usable_cpus
from mtmend.corpus.snapshot import DocumentFigures, MetricFigures, MqmFigures, OpenCount, Snapshot
from mtmend.corpus.store import Workspace

SNAPSHOT_PROFILE = "google-2021"
# Above this many segments the snapshot's metrics use worker processes, and its MQM figures are
# read by another process meanwhile (below it, starting them costs more than it saves).
PARALLEL_FROM = 20_000


class Summary(Protocol):
    """What a command reports about its pass: stored as the pass's summary."""

    def as_json(self) -> dict: ...


def begin_pass(ws: Workspace, kind: str, detail: str = "") -> int:
    """Open a pass; call inside the transaction of its first writes. Returns its id."""
    return ws.begin_pass(kind, detail)


def end_pass(ws: Workspace, pass_id: int, summary: Summary | Mapping, prescored: Prescore | None = None) -> Pass:
    """Close a pass with ``summary``, then record its snapshot. Call outside any transaction.

    ``prescored``: statistics the pass had computed meanwhile (see :mod:`.prescore`).
    """
    with ws.transaction():
        ws.finish_pass(pass_id, _json(summary))
    record_snapshot(ws, [pass_id], prescored)
    return ws.pass_(pass_id)


def close_pass(ws: Workspace, pass_id: int, summary: Summary | Mapping) -> None:
    """Store ``summary`` and mark the pass finished, inside the caller's transaction;
    :func:`record_snapshot` adds the snapshot after the commit."""
    ws.finish_pass(pass_id, _json(summary))


def discard_pass(ws: Workspace, pass_id: int) -> None:
    """Forget a pass that decided nothing (call inside a transaction)."""
    ws.delete_pass(pass_id)


def record_snapshot(ws: Workspace, pass_ids: Sequence[int], prescored: Prescore | None = None) -> None:
    """Take one snapshot now (reading only) and store it with each of ``pass_ids``."""
    if not pass_ids:
        return
    if prescored is not None:
        workspace_scoring.keep(ws, prescored.finish())
    snap = take_snapshot(ws).to_json()
    with ws.transaction():
        for pass_id in pass_ids:
            ws.set_pass_snapshot(pass_id, snap)


def _json(summary: Summary | Mapping) -> dict:
    return dict(summary) if isinstance(summary, Mapping) else summary.as_json()


# ------------------------------------------------------------------- snapshot
def mqm_figures(ws: Workspace, documents, weights_name: str = SNAPSHOT_PROFILE) -> MqmFigures:
    """MQM per document and overall: ``found`` (applied + open) and ``remaining`` (open)."""
    weights = mqm.profile(weights_name)
    found, remaining = mqm_scoring.found_and_remaining(ws, documents, weights)
    segments = sum(s.segments for s in found)
    return MqmFigures(
        weights.name,
        weights.signature,
        sum(s.penalty for s in found) / segments if segments else 0.0,
        sum(s.penalty for s in remaining) / segments if segments else 0.0,
        {f.name: (f.score, r.score) for f, r in zip(found, remaining, strict=True)},
    )


def metric_figures(ws: Workspace, documents, workers: int = 1) -> dict[str, MetricFigures]:
    """sacrebleu scores per comparison: corpus and per document, each with its signature."""
    return {
        result.comparison.key: MetricFigures(
            result.comparison.label,
            result.segments,
            result.corpus,
            {d.document: (d.segments, d.scores) for d in result.documents},
        )
        for result in workspace_scoring.score_workspace(ws, documents, workers=workers)
    }


def take_snapshot(ws: Workspace) -> Snapshot:
    """Where the workspace stands now: statuses, open annotations, MQM and metrics (reading only)."""
    documents = ws.documents()
    per_status = ws.status_counts()
    statuses = _totals(per_status.values())
    issues = ws.open_issue_counts()
    base = Snapshot(
        segments=statuses,
        open_annotations=tuple(OpenCount(c, s, n) for c, s, n in ws.open_annotation_counts()),
        documents={d.name: DocumentFigures(per_status.get(d.id, {}), issues.get(d.id, 0)) for d in documents},
    )
    if not documents:
        return base
    big = sum(statuses.values()) >= PARALLEL_FROM
    elsewhere = meanwhile(_mqm_of, ws.folder, documents) if big else None  # read by another process
    try:
        metrics = metric_figures(ws, documents, min(usable_cpus(), 4) if big else 1)
    except InputError as exc:  # e.g. documents in different target languages
        return Snapshot(base.segments, base.open_annotations, base.documents, _mqm(ws, documents, elsewhere),
                        metrics_skipped=str(exc))
    return Snapshot(base.segments, base.open_annotations, base.documents, _mqm(ws, documents, elsewhere), metrics)


def _mqm_of(folder, documents) -> MqmFigures:
    """:func:`mqm_figures` in another process, with its own connection."""
    with Workspace.opened(folder) as ws:
        return mqm_figures(ws, documents)


def _mqm(ws: Workspace, documents, elsewhere: Future | None) -> MqmFigures:
    """The MQM figures from the other process, or read here (none started, or it could not run)."""
    return outcome(elsewhere, lambda: mqm_figures(ws, documents))


def _totals(counts: Iterable[Mapping[str, int]]) -> dict[str, int]:
    """The corpus totals are the documents' sums."""
    out: dict[str, int] = {}
    for per_doc in counts:
        for status, n in per_doc.items():
            out[status] = out.get(status, 0) + n
    return out
