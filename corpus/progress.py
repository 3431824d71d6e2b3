"""Pass snapshots: where the workspace stands at the end of each pass.

Every pass (clean, review, TMX import, score) ends with :func:`finish_pass`, which adds
a snapshot of the workspace to the pass's own summary. Reading only: the snapshot code
never changes segments or annotations.

A snapshot holds, for the whole workspace and for each document: segments per status,
open annotations, MQM (errors found in the raw MT, and those still in the target) and
the sacrebleu metrics of :data:`mtmend.corpus.scoring.COMPARISONS`, each with its
signature. Metrics are left out (and the snapshot says why) above
:data:`METRICS_LIMIT` segments, where ``mtmend score`` with worker processes is the tool.
"""

from __future__ import annotations

from mtmend.corpus.errors import InputError
from mtmend.corpus.store import Workspace

# Segments above which a pass's snapshot leaves the sacrebleu metrics to `mtmend score`:
# the snapshot runs inside the pass's write transaction, and TER over 10,000 segments
# takes ~25 s here, time during which every other writer (a reviewer) would wait.
METRICS_LIMIT = 2_000
SNAPSHOT_PROFILE = "google-2021"


def mqm_figures(ws: Workspace, documents, weights_name: str = SNAPSHOT_PROFILE) -> dict:
    """MQM per document and overall: ``found`` (applied + open) and ``remaining`` (open)."""
    from mtmend.corpus import mqm, mqm_workspace

    weights = mqm.profile(weights_name)
    out: dict = {"profile": weights.name, "signature": weights.signature, "documents": {}}
    for key, remaining in (("found", False), ("remaining", True)):
        scores = mqm_workspace.workspace_scores(ws, documents, weights, remaining=remaining)
        for s in scores:
            out["documents"].setdefault(s.name, {})[key] = s.score
        segments = sum(s.segments for s in scores)
        out[key] = sum(s.penalty for s in scores) / segments if segments else 0.0
    return out


def metric_figures(ws: Workspace, documents) -> dict:
    """sacrebleu scores per comparison: corpus and per document, each with its signature."""
    from mtmend.corpus import scoring

    out: dict = {}
    for result in scoring.score_workspace(ws, documents):
        out[result.comparison.key] = {
            "label": result.comparison.label,
            "segments": result.segments,
            "scores": [s.as_dict() for s in result.corpus],
            "documents": {d.document: {"segments": d.segments, "scores": [s.as_dict() for s in d.scores]} for d in result.documents},
        }
    return out


def snapshot(ws: Workspace) -> dict:
    """Segments per status, open annotations per category and severity, MQM and metrics."""
    open_rows = ws.open_annotation_counts()
    documents = ws.documents()
    per_status = ws.status_counts()
    statuses: dict[str, int] = {}
    for counts in per_status.values():  # the corpus totals are the documents' sums
        for status, n in counts.items():
            statuses[status] = statuses.get(status, 0) + n
    issues = ws.open_issue_counts()
    snap: dict = {
        "segments": statuses,
        "open_annotations": [{"category": c, "severity": s, "count": n} for c, s, n in open_rows],
        "documents": {
            d.name: {"segments": per_status.get(d.id, {}), "open_issues": issues.get(d.id, 0)} for d in documents
        },
    }
    if not documents:
        return snap
    snap["mqm"] = mqm_figures(ws, documents)
    total = sum(statuses.values())
    if total > METRICS_LIMIT:
        snap["metrics_skipped"] = f"{total} segments (> {METRICS_LIMIT}): run mtmend score for the metrics"
        return snap
    try:
        snap["metrics"] = metric_figures(ws, documents)
    except InputError as exc:  # e.g. documents in different target languages
        snap["metrics_skipped"] = str(exc)
    return snap


def finish_pass(ws: Workspace, pass_id: int, summary: dict) -> None:
    """Close a pass, storing ``summary`` plus a snapshot. Call inside a transaction."""
    ws.finish_pass(pass_id, {**summary, "snapshot": snapshot(ws)})
