"""A snapshot: where the workspace stood when a pass ended, as one frozen value.

Stored with its pass as JSON (the ``"snapshot"`` key of the pass summary), in the form
numbered :data:`SNAPSHOT_VERSION`; the workspace schema's migrations
(:mod:`mtmend.corpus.store.schema`) bring stored snapshots to that form, and
:meth:`Snapshot.from_json` refuses a newer one. Taking one is
:func:`mtmend.corpus.progress.take_snapshot`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from mtmend.corpus.errors import WorkspaceError
from mtmend.corpus.scoring import Score

# The JSON form of a snapshot. Changing it means a schema migration rewriting the stored ones.
SNAPSHOT_VERSION = 1


@dataclass(frozen=True, slots=True)
class OpenCount:
    """Open suggestions and flags of one category and severity."""

    category: str
    severity: str
    count: int


@dataclass(frozen=True, slots=True)
class DocumentFigures:
    """One document: segments per status value, open issues."""

    segments: Mapping[str, int]
    open_issues: int


@dataclass(frozen=True, slots=True)
class MqmFigures:
    """MQM per segment of the errors found in the raw MT and of those remaining, overall and per document."""

    profile: str
    signature: str
    found: float
    remaining: float
    documents: Mapping[str, tuple[float | None, float | None]]  # name -> (found, remaining)


@dataclass(frozen=True, slots=True)
class MetricFigures:
    """One comparison's sacrebleu scores, overall and per document (name -> (segments, scores))."""

    label: str
    segments: int
    scores: tuple[Score, ...]
    documents: Mapping[str, tuple[int, tuple[Score, ...]]]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Segments per status, open annotations, MQM and metrics of the workspace at one moment."""

    segments: Mapping[str, int]
    open_annotations: tuple[OpenCount, ...]
    documents: Mapping[str, DocumentFigures]
    mqm: MqmFigures | None = None
    metrics: Mapping[str, MetricFigures] = field(default_factory=dict)
    metrics_skipped: str | None = None

    @property
    def open_issues(self) -> int:
        return sum(a.count for a in self.open_annotations)

    def status_counts(self, document: str | None = None) -> Mapping[str, int]:
        """Segments per status value, of the workspace or of one document ({} if unknown)."""
        if document is None:
            return self.segments
        entry = self.documents.get(document)
        return {} if entry is None else entry.segments

    def mqm_scores(self, document: str | None = None) -> tuple[float | None, float | None]:
        """(found, remaining) MQM per segment, of the workspace or of one document."""
        if self.mqm is None:
            return None, None
        if document is None:
            return self.mqm.found, self.mqm.remaining
        return self.mqm.documents.get(document, (None, None))

    def metric(self, comparison: str, prefix: str, document: str | None = None) -> float | None:
        """The score of the first metric named ``prefix…`` (``TER``, ``chrF``) in a comparison."""
        entry = self.metrics.get(comparison)
        if entry is None:
            return None
        scores = entry.scores
        if document is not None:
            if document not in entry.documents:
                return None
            scores = entry.documents[document][1]
        return next((s.score for s in scores if s.metric.startswith(prefix)), None)

    # ------------------------------------------------------------------ JSON
    def to_json(self) -> dict:
        out: dict = {
            "version": SNAPSHOT_VERSION,
            "segments": dict(self.segments),
            "open_annotations": [
                {"category": a.category, "severity": a.severity, "count": a.count} for a in self.open_annotations
            ],
            "documents": {
                name: {"segments": dict(d.segments), "open_issues": d.open_issues} for name, d in self.documents.items()
            },
        }
        if self.mqm is not None:
            m = self.mqm
            docs = {name: {"found": f, "remaining": r} for name, (f, r) in m.documents.items()}
            out["mqm"] = {"profile": m.profile, "signature": m.signature, "found": m.found,
                          "remaining": m.remaining, "documents": docs}
        if self.metrics:
            out["metrics"] = {key: _metric_json(m) for key, m in self.metrics.items()}
        if self.metrics_skipped is not None:
            out["metrics_skipped"] = self.metrics_skipped
        return out

    @classmethod
    def from_json(cls, data: Mapping) -> Snapshot:
        """Read a stored snapshot (version 1, or the unnumbered form before it: the same keys)."""
        version = data.get("version", 1)
        if version > SNAPSHOT_VERSION:
            raise WorkspaceError(
                f"a pass snapshot has version {version}, this mtmend reads up to {SNAPSHOT_VERSION}: upgrade mtmend"
            )
        mqm = data.get("mqm")
        return cls(
            segments=dict(data.get("segments", {})),
            open_annotations=tuple(
                OpenCount(a["category"], a["severity"], a["count"]) for a in data.get("open_annotations", ())
            ),
            documents={
                name: DocumentFigures(dict(d.get("segments", {})), d.get("open_issues", 0))
                for name, d in data.get("documents", {}).items()
            },
            mqm=None if mqm is None else MqmFigures(
                mqm["profile"], mqm["signature"], mqm["found"], mqm["remaining"],
                {n: (d.get("found"), d.get("remaining")) for n, d in mqm.get("documents", {}).items()},
            ),
            metrics={key: _metric_from_json(m) for key, m in data.get("metrics", {}).items()},
            metrics_skipped=data.get("metrics_skipped"),
        )


def _scores(items) -> tuple[Score, ...]:
    return tuple(Score(s["metric"], s["score"], s["signature"]) for s in items)


def _metric_json(m: MetricFigures) -> dict:
    return {
        "label": m.label,
        "segments": m.segments,
        "scores": [s.as_dict() for s in m.scores],
        "documents": {name: {"segments": n, "scores": [s.as_dict() for s in sc]} for name, (n, sc) in m.documents.items()},
    }


def _metric_from_json(m: Mapping) -> MetricFigures:
    docs = {name: (d["segments"], _scores(d["scores"])) for name, d in m.get("documents", {}).items()}
    return MetricFigures(m["label"], m["segments"], _scores(m["scores"]), docs)
