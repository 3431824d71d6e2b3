"""A document's quality figures as the review changes them: MQM found → remaining and effort.

The review header shows them after every decision. A pass snapshot only changes when a
pass ends, so the figures are kept here per segment and summed per document: loading a
document reads it once; a decision re-reads only the segments it touched (one segment's
annotations and one sentence-level effort computation), so a key stays cheap on any size.

MQM per segment is the snapshot's (profile :data:`SNAPSHOT_PROFILE`, every rater of an
imported MQM document counted apart); effort is sacrebleu BLEU and TER of the raw MT
against the current target (HTER-style), summed from sentence statistics as a corpus score.
"""

from __future__ import annotations

from collections.abc import Iterable

from mtmend.corpus import mqm
from mtmend.corpus.mqm_scoring import mqm_note
from mtmend.corpus.progress import SNAPSHOT_PROFILE
from mtmend.corpus.scoring import chunk_stats, scores_from_stats
from mtmend.corpus.store import Workspace

EFFORT = ("BLEU", "TER")


class LiveFigures:
    """Per-segment MQM (found, remaining) and effort statistics of one document, kept current."""

    def __init__(self, ws: Workspace, doc) -> None:
        self.ws, self.doc = ws, doc
        self.weights = mqm.profile(SNAPSHOT_PROFILE)
        self.imported = doc.id in ws.mqm_documents([doc.id])  # raters counted apart
        self.mqm: dict[int, tuple[float, float]] = {}
        self.stats: dict[int, list[list]] = {}
        self._text: str | None = None
        segments = {s.id: s for s in ws.segments(doc.id)}
        ratings: dict[int, list] = {}
        for sid, _doc, author, cat, sev, note, state, after in ws.rating_rows([doc.id]):
            ratings.setdefault(sid, []).append((author, cat, sev, note, state, after))
        for sid in segments:
            self.mqm[sid] = self._mqm(ratings.get(sid, ()))
        self.stats = chunk_stats(EFFORT, doc.target_lang, [(s.id, s.mt, s.target) for s in segments.values()])
        # Running sums, so that a decision costs the segments it touched, not the document.
        self.found = sum(f for f, _ in self.mqm.values())
        self.remaining = sum(r for _, r in self.mqm.values())
        self.totals = [[sum(col) for col in zip(*(s[k] for s in self.stats.values()))] for k in range(len(EFFORT))]

    def update(self, segment_ids: Iterable[int]) -> None:
        """Re-read these segments (changed, new or retired by an alignment repair)."""
        for sid in set(segment_ids):
            seg = self.ws.segment(sid)
            if seg.doc_id != self.doc.id:
                continue
            self._text = None
            self._add(sid, -1)
            if seg.position < 0:  # retired by a split or merge
                continue
            rows = [(a.edit.author, a.edit.category, a.edit.severity.value, a.edit.note, a.state.value, a.edit.after)
                    for a in self.ws.annotations(sid)]
            self.mqm[sid] = self._mqm([r for r in rows if _rated(r[4], r[5])])
            self.stats.update(chunk_stats(EFFORT, self.doc.target_lang, [(sid, seg.mt, seg.target)]))
            self._add(sid, 1)

    def _add(self, sid: int, sign: int) -> None:
        """Add a segment's figures to the running sums (``sign`` -1: take them out and forget them)."""
        if sid not in self.mqm:
            return
        f, r = self.mqm[sid]
        self.found += sign * f
        self.remaining += sign * r
        self.totals = [[t + sign * v for t, v in zip(total, stats)] for total, stats in zip(self.totals, self.stats[sid])]
        if sign < 0:
            del self.mqm[sid], self.stats[sid]

    def text(self) -> str:
        """'MQM 4.20→1.10 · effort BLEU 61.3 TER 22.0' (MQM per segment; effort: MT vs target)."""
        if self._text is None:
            n = len(self.mqm) or 1
            parts = [f"MQM {self.found / n:.2f}→{self.remaining / n:.2f}"]
            if self.stats:
                scores = scores_from_stats(self.totals, metrics=EFFORT, target_lang=self.doc.target_lang)
                parts.append("effort " + " ".join(f"{s.metric} {s.score:.1f}" for s in scores))
            self._text = " · ".join(parts)
        return self._text

    def _mqm(self, rows) -> tuple[float, float]:
        """(found, remaining) of one segment: the mean over raters of each rater's weighted sum."""
        found: dict[str, float] = {}
        remaining: dict[str, float] = {}
        for author, cat, sev, note, state, after in rows:
            rater = author if self.imported else ""
            weight = self.weights.weight(mqm_note(note).get("severity", sev), cat)
            found[rater] = found.get(rater, 0.0) + weight
            if not (state == "resolved" or (state == "applied" and after is not None)):
                remaining[rater] = remaining.get(rater, 0.0) + weight
        # As mqm_scoring.workspace_scores: each figure averages over the raters it counts.
        return (sum(found.values()) / len(found) if found else 0.0,
                sum(remaining.values()) / len(remaining) if remaining else 0.0)


def _rated(state: str, after: str | None) -> bool:
    """The annotations MQM counts (as the store's rating rows): applied, open, fixed errors."""
    return state in ("applied", "suggested") or (state == "resolved" and after is None)
