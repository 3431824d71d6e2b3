"""Linguistic quality assurance (LQA): the error list, MQM per 1,000 words with a verdict, pass decisions.

The figures a localisation team's LQA report carries, computed from the workspace:

- :func:`error_rows`: every annotation as one error — document, segment, source, current
  target, MQM category and severity, state (applied, open, rejected, reverted), who
  (a rule, a person, an import), the span and its correction, the comment. Streamed in
  document and segment order.
- :func:`verdicts`: per document and for the corpus, the MQM penalty per 1,000 words
  (MQM Core: the summed error weights of the chosen profile × 1,000 / the word count of
  the machine translation) for the errors *found* (everything flagged or fixed) and the
  errors *remaining* in the target (open suggestions and flags); the quality score is
  100 − remaining penalty per 1,000 words and the verdict is *pass* when it reaches the
  threshold: the translation delivered is what passes or fails.
- :func:`pass_decisions`: what each pass decided — accept, reject, edit, annotate (and
  confirm) — from the review log for review passes, from the annotations a pass created
  otherwise (an automatic change is an edit, a suggestion or flag an annotation).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass

from mtmend.corpus import mqm
from mtmend.corpus.model import Document

FIELDS = ("document", "segment", "source", "target", "category", "severity", "state", "author", "author_kind",
          "before", "after", "comment", "pass_id")


@dataclass(frozen=True, slots=True)
class ErrorRow:
    """One annotation as a line of the error list (``segment`` counts from 1, as people do)."""

    document: str
    segment: int
    source: str
    target: str
    category: str
    severity: str
    state: str
    author: str
    author_kind: str
    before: str
    after: str | None
    comment: str
    pass_id: int | None

    def as_dict(self) -> dict:
        return asdict(self)


def error_rows(ws, documents: Sequence[Document]) -> Iterator[ErrorRow]:
    """The error list of ``documents``, in document and segment order (see the module docstring)."""
    for doc in documents:
        pending = iter(ws.document_annotations(doc.id))
        ann = next(pending, None)
        for seg in ws.segments(doc.id):
            while ann is not None and ann.segment_id == seg.id:
                e = ann.edit
                yield ErrorRow(doc.name, seg.position + 1, seg.source, seg.target, e.category, e.severity.value,
                               ann.state.value, e.author, e.author_kind.value, e.before, e.after,
                               ann.comment or e.note, ann.pass_id)
                ann = next(pending, None)


@dataclass(frozen=True, slots=True)
class Verdict:
    """MQM per 1,000 words of one document (or of the corpus) and whether it passes."""

    name: str
    words: int
    found_per_1000: float
    remaining_per_1000: float
    threshold: float

    @property
    def quality(self) -> float:
        return 100.0 - self.remaining_per_1000

    @property
    def passed(self) -> bool:
        return self.quality >= self.threshold

    def as_dict(self) -> dict:
        return {**asdict(self), "quality": self.quality, "pass": self.passed}


def verdicts(ws, documents: Sequence[Document], threshold: float = mqm.DEFAULT_THRESHOLD,
             weights: mqm.Profile | None = None) -> tuple[list[Verdict], Verdict]:
    """Per-document verdicts and the corpus verdict (sums of penalties and words)."""
    from mtmend.corpus.mqm_scoring import workspace_scores

    weights = weights or mqm.PROFILES[0]
    found = {s.name: s for s in workspace_scores(ws, documents, weights)}
    remaining = {s.name: s for s in workspace_scores(ws, documents, weights, remaining=True)}
    per_doc = [Verdict(d.name, found[d.name].words, found[d.name].per_1000, remaining[d.name].per_1000, threshold)
               for d in documents if d.name in found]
    words = sum(found[v.name].words for v in per_doc)

    def per_1000(scores: dict) -> float:
        return sum(scores[v.name].penalty for v in per_doc) * 1000 / words if words else 0.0

    return per_doc, Verdict("corpus", words, per_1000(found), per_1000(remaining), threshold)


@dataclass(frozen=True, slots=True)
class PassDecisions:
    pass_id: int
    kind: str
    finished: str | None
    who: str  # the reviewer, or what ran (a file, a command)
    accept: int
    reject: int
    edit: int
    annotate: int
    confirm: int


def pass_decisions(ws) -> list[PassDecisions]:
    """What each finished pass decided (see the module docstring)."""
    created = ws.pass_annotation_counts()
    out = []
    for p in ws.passes():
        if not p.finished:
            continue
        summary = p.summary or {}
        decisions = summary.get("decisions")
        if isinstance(decisions, dict):
            d = {k: int(v) for k, v in decisions.items() if isinstance(v, int)}
            out.append(PassDecisions(p.id, p.kind, p.finished, str(summary.get("reviewer", "")),
                                     d.get("accept", 0) + d.get("accept_all", 0), d.get("reject", 0),
                                     d.get("edit", 0), d.get("flag", 0) + d.get("term", 0), d.get("confirm", 0)))
            continue
        changes, others = created.get(p.id, (0, 0))
        if "updated" in summary and "suggested" in summary:  # a TMX or XLIFF import: the file's edits
            changes, others = int(summary["updated"]), int(summary["suggested"])
        out.append(PassDecisions(p.id, p.kind, p.finished, _what_ran(p.detail), 0, 0, changes, others, 0))
    return out


def _what_ran(detail: str) -> str:
    """The pass detail without process bookkeeping (``pid=``, ``host=``)."""
    return " ".join(w for w in detail.split() if not w.startswith(("pid=", "host=")))
