"""Cleaning a workspace: one recorded pass, annotations per edit, a report per rule.

The rules run over each segment's *current* target (the raw MT plus the edits already
applied), so a second run finds nothing new to apply; suggestions and flags already
open, rejected or confirmed are not recorded twice. Reviewed segments are left alone.
Each document is written in one transaction.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

from mtmend.cleaner import recheck
from mtmend.cleaner.config import CleanConfig
from mtmend.cleaner.engine import CleanResult
from mtmend.cleaner.glossary import Inconsistency, inconsistencies
from mtmend.cleaner.plan import PARALLEL_FROM, Names, document_names, plan, plan_parallel, workers_for
from mtmend.cleaner.rule import Vocabulary
from mtmend.corpus import issues
from mtmend.corpus.model import Document, Edit, EditState, Segment, Status
from mtmend.corpus.prescore import Prescore, segment_row
from mtmend.corpus.processes import meanwhile, outcome
from mtmend.corpus.progress import begin_pass, end_pass
from mtmend.corpus.store import SegmentWrites, Workspace


@dataclass(frozen=True, slots=True)
class RuleCount:
    """What one rule did in a pass: edits applied, suggestions and flags recorded."""

    rule: str
    applied: int = 0
    suggested: int = 0
    flagged: int = 0


@dataclass(frozen=True, slots=True)
class SegmentChange:
    """One segment's cleaning result (used for ``--diff`` previews)."""

    document: str
    segment: Segment
    result: CleanResult


@dataclass(frozen=True, slots=True)
class CleanReport:
    pass_id: int | None
    documents: tuple[str, ...]
    segments: int
    changed: int
    skipped_reviewed: int
    counts: tuple[RuleCount, ...]
    inconsistencies: tuple[Inconsistency, ...]
    signature: str
    held: tuple[str, ...] = ()  # documents left alone: a reviewer holds them
    ruleset: Mapping = field(default_factory=dict)  # the configuration, as CleanConfig.describe()
    alignment_issues: int = 0  # open issues of the alignment: empty sides, probable omissions

    def as_json(self) -> dict:
        """The pass summary stored for this clean."""
        return {
            "rules": {r.rule: {"applied": r.applied, "suggested": r.suggested, "flagged": r.flagged} for r in self.counts},
            "ruleset": dict(self.ruleset),
            "documents": list(self.documents),
            "segments": self.segments,
            "changed": self.changed,
            "skipped_reviewed": self.skipped_reviewed,
            "held": list(self.held),
            "open_alignment_issues": self.alignment_issues,
            "inconsistencies": [
                {"zh": i.zh, "approved": i.approved, "renderings": dict(i.renderings)} for i in self.inconsistencies
            ],
        }


def _vocabulary(ws: Workspace) -> Vocabulary:
    """The workspace's words; for a big workspace counted by another process while this one prepares."""
    vocabulary = Vocabulary(targets := list(ws.all_targets()))
    if len(targets) >= PARALLEL_FROM:
        vocabulary.count_elsewhere()
    return vocabulary


def preview(ws: Workspace, documents: Sequence[Document], config: CleanConfig) -> Iterator[SegmentChange]:
    """What a clean would do, without writing anything."""
    vocabulary = _vocabulary(ws)
    for doc in documents:
        for seg, result in plan(list(ws.segments(doc.id)), config, vocabulary):
            if result.applied or result.suggested:
                yield SegmentChange(doc.name, seg, result)


def clean_workspace(ws: Workspace, documents: Sequence[Document], config: CleanConfig, *, command: str = "",
                    wait: bool = False, poll: float = 1.0) -> CleanReport:
    """Run the rules over ``documents``, record one ``clean`` pass, and report per rule.

    A document a reviewer holds is never changed underneath them: it is left alone and
    listed in ``held``, or (``wait``) cleaned once the reviewer lets go, checking every ``poll`` s.
    """
    found: tuple[Inconsistency, ...] = ()
    if config.glossary is not None:
        pairs = [(s.source, s.target) for d in documents for s in ws.segments(d.id)]
        found = tuple(inconsistencies(config.glossary, pairs))
    vocabulary = _vocabulary(ws)
    detail = config.signature() + (f" | {command}" if command else "")
    with ws.transaction():
        pass_id = begin_pass(ws, "clean", detail)
    counts: dict[str, Counter] = {r.id: Counter() for r in config.rules()}
    segments = changed = reviewed = 0
    held: list[str] = []
    prescore = Prescore.for_pass(ws, documents)  # the snapshot's metrics, on other cores meanwhile
    try:
        for doc in documents:
            while True:
                with ws.transaction():  # the check and the edits in one transaction: no review starts between
                    lock = ws.live_review_lock(doc.id)
                    if lock is None:
                        done = _clean_document(ws, doc, config, vocabulary, pass_id, counts, prescore)
                        segments, changed, reviewed = segments + done[0], changed + done[1], reviewed + done[2]
                if lock is None or not wait:
                    break
                time.sleep(poll)  # outside the transaction: the reviewer's decisions go through
            if lock is not None:
                held.append(doc.name)
        rule_counts = tuple(RuleCount(rule, c["applied"], c["suggested"], c["flagged"]) for rule, c in counts.items())
        report = CleanReport(
            pass_id, tuple(d.name for d in documents), segments, changed, reviewed, rule_counts, found,
            config.signature(), tuple(held), config.describe(),
            ws.open_issue_count([d.id for d in documents], (issues.ALIGNMENT, issues.OMISSION_CHECK)),
        )
        end_pass(ws, pass_id, report, prescore)
    finally:
        if prescore is not None:
            prescore.close()
    return report


def _clean_document(ws: Workspace, doc: Document, config: CleanConfig, vocabulary: Vocabulary, pass_id: int,
                    counts: dict[str, Counter], prescore: Prescore | None) -> tuple[int, int, int]:
    """Apply and propose one document's edits; returns (segments cleaned, changed, reviewed). In a transaction.

    Each segment's final texts go to ``prescore`` (when given) for the pass's snapshot.
    """
    segments = changed = 0
    jobs = workers_for(ws.segment_count(doc.id))
    names = _names_meanwhile(ws, doc, config) if jobs else None
    doc_segments = list(ws.segments(doc.id))
    reviewed = sum(1 for s in doc_segments if s.status is Status.REVIEWED)
    _flag_empty_sides(ws, doc_segments, pass_id)
    planned = set()
    kept = ws.stats_digests(doc.id) if prescore is not None else {}
    annotated = ws.segments_annotated(doc.id)  # the others have only what this loop records
    whole = _whole_flagged(ws, doc.id, doc_segments) if annotated else set()
    if jobs:  # the workers that clean a big document score what they cleaned too
        score = None if prescore is None else partial(_scored, prescore.lang, kept)
        results = plan_parallel(doc_segments, config, vocabulary, jobs, after=score, names=names)
    else:
        results = ((seg, result, None) for seg, result in plan(doc_segments, config, vocabulary))
    with ws.segment_writes(annotated) as writes:  # flushed by the end of the document
        for seg, result, row in results:
            segments += 1
            changed += bool(result.applied)
            if prescore is not None:
                planned.add(seg.id)
                if jobs:
                    prescore.take(row)
                else:
                    prescore.add(seg.id, seg.mt, result.text, seg.reference, seg.status.value, kept.get(seg.id))
                writes.put_segment_stats(prescore.drain())  # committed with the texts they belong to
            _record(ws, writes, seg, result, config, pass_id, counts, annotated, whole)
        if prescore is not None:  # the segments the rules left alone
            for s in doc_segments:
                if s.id not in planned:
                    prescore.add(s.id, s.mt, s.target, s.reference, s.status.value, kept.get(s.id))
                    writes.put_segment_stats(prescore.drain())
    return segments, changed, reviewed


def _record(ws: Workspace, writes: SegmentWrites, seg: Segment, result: CleanResult, config: CleanConfig,
            pass_id: int, counts: dict[str, Counter], annotated: set[int], whole: set[int]) -> None:
    """One segment's applied edits, the suggestions they settle, and its new suggestions and flags."""
    for edit in result.applied:
        counts[edit.author]["applied"] += 1
    target = writes.add_applied(seg, result.applied, pass_id=pass_id)
    if (result.applied and (seg.id in annotated or any(e.is_flag for e in result.applied))) or seg.id in whole:
        # open suggestions whose change a rule just made; whole-segment flags their rule no longer raises
        writes.flush(seg.id)
        ws.settle(seg.id, target, previous=seg.target, holds=recheck.asker(seg.source, target, config))
    if result.suggested:
        if seg.id in annotated:
            writes.flush(seg.id)  # its annotations are read back
        new = _new_suggestions(ws, seg.id, seg.id in annotated, result)
        writes.add_suggested(seg, new, pass_id=pass_id)
        for edit in new:
            counts[edit.author]["flagged" if edit.is_flag else "suggested"] += 1


def _names_meanwhile(ws: Workspace, doc: Document, config: CleanConfig) -> Names:
    """A big document's name variants, found by another process while this one reads and prepares the document."""
    pairs = ws.source_target_pairs(doc.id)
    future = meanwhile(document_names, pairs, config)
    return lambda: outcome(future, lambda: document_names(pairs, config))


def _scored(lang: str, kept: dict[int, bytes], seg: Segment, result: CleanResult):
    """A cleaned segment's statistics row, computed in the worker that cleaned it."""
    return segment_row(lang, seg.id, seg.mt, result.text, seg.reference, seg.status.value, kept.get(seg.id))


def _whole_flagged(ws: Workspace, doc_id: int, segments: Sequence[Segment]) -> set[int]:
    """Segments with an open flag about their whole target: its rule is asked again (:mod:`.recheck`)."""
    targets = {s.id: s.target for s in segments}
    live = (EditState.SUGGESTED, EditState.APPLIED)
    return {a.segment_id for a in ws.document_flags(doc_id, live) if issues.covers(a.edit, targets.get(a.segment_id, ""))}


def _new_suggestions(ws: Workspace, segment_id: int, annotated: bool, result: CleanResult) -> list[Edit]:
    """The suggestions and flags of ``result`` not already open, rejected or recorded as flags."""
    recorded = ws.annotations(segment_id) if annotated else []
    known = {
        (a.edit.author, a.edit.before, a.edit.after)
        for a in recorded
        if a.state in (EditState.SUGGESTED, EditState.REJECTED) or a.edit.is_flag
    }
    known |= {(e.author, e.before, e.after) for e in result.applied if e.is_flag}  # recorded just now
    new = []
    for edit in result.suggested:
        key = (edit.author, edit.before, edit.after)
        if key not in known:
            known.add(key)
            new.append(edit)
    return new


def _flag_empty_sides(ws: Workspace, segments: Sequence[Segment], pass_id: int) -> None:
    """Record the open issue of each bead whose raw MT or source is empty and has none yet (older workspaces).

    The raw MT decides: a target a rule emptied (web furniture) is a repair, not an omission.
    """
    for seg in segments:
        edits = [e for e in issues.side_issues(seg.source, seg.mt) if not issues.settled(seg.target, e)]
        if edits and not any(a.edit.author == issues.ALIGNMENT for a in ws.annotations(seg.id)):
            for edit in edits:
                ws.add_annotation(seg.id, edit, EditState.SUGGESTED, pass_id=pass_id)
