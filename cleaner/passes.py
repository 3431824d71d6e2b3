"""Cleaning a workspace: one recorded pass, annotations per edit, a report per rule.

The rules run over each segment's *current* target (the raw MT plus the edits already
applied), so a second run finds nothing new to apply; suggestions and flags already
open, rejected or confirmed are not recorded twice. Reviewed segments are left alone.
Each document is written in one transaction.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

from mtmend.cleaner import recheck
from mtmend.cleaner.config import CleanConfig, QuoteStyle
from mtmend.cleaner.engine import CleanResult, clean_text
from mtmend.cleaner.glossary import Inconsistency, inconsistencies
from mtmend.cleaner.rule import Context, Vocabulary
from mtmend.cleaner.rules.names import variants_by_spelling
from mtmend.cleaner.rules.qa import question_label
from mtmend.corpus import issues
from mtmend.corpus.model import Annotation, Document, EditState, Segment, Status
from mtmend.corpus.prescore import Prescore
from mtmend.corpus.progress import begin_pass, end_pass
from mtmend.corpus.store import Workspace


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


def document_quote_style(targets: Iterable[str], style: QuoteStyle) -> QuoteStyle:
    """Resolve ``auto`` to the document's majority style (straight on a tie; ``auto`` if it has no quotes)."""
    if style is not QuoteStyle.AUTO:
        return style
    curly = straight = 0
    for text in targets:
        curly += text.count("“") + text.count("”")
        straight += text.count('"')
    if not curly and not straight:
        return QuoteStyle.AUTO
    return QuoteStyle.TYPOGRAPHIC if curly > straight else QuoteStyle.STRAIGHT


def segment_contexts(segments: Sequence[Segment], config: CleanConfig, vocabulary: Vocabulary) -> list[Context]:
    """One context per segment: source, and the neighbouring paragraph where it matters."""
    paragraphs: list[list[int]] = []
    for i, seg in enumerate(segments):
        if not seg.target:
            continue
        if paragraphs and segments[paragraphs[-1][-1]].para == seg.para:
            paragraphs[-1].append(i)
        else:
            paragraphs.append([i])
    contexts = [Context(config, seg.source or None, config.glossary, vocabulary=vocabulary) for seg in segments]
    for k in range(1, len(paragraphs)):
        prev, para = paragraphs[k - 1], paragraphs[k]
        first = segments[para[0]]
        prev_text = segments[prev[0]].target
        label = question_label(prev_text)
        # A duplicate needs its source to repeat too (or to be missing: a 0-1 bead).
        repeats = len(prev) == 1 and len(para) == 1 and first.target == prev_text and (
            not first.source or first.source == segments[prev[0]].source
        )
        if label or repeats:
            contexts[para[0]] = replace(contexts[para[0]], after_question=label, repeats_previous=repeats)
    return contexts


def _plan(segments: list[Segment], config: CleanConfig, vocabulary: Vocabulary) -> Iterator[tuple[Segment, CleanResult]]:
    style = document_quote_style((s.target for s in segments), config.quote_style)
    doc_config = replace(config, quote_style=style)
    rules = doc_config.rules()
    contexts = segment_contexts(segments, doc_config, vocabulary)
    if any(r.id == "flag_name_variants" for r in rules):
        names = variants_by_spelling((s.source, s.target) for s in segments)
        if names:
            contexts = [replace(c, names=names) for c in contexts]
    for seg, ctx in zip(segments, contexts, strict=True):
        if seg.status is Status.REVIEWED or not seg.target:
            continue
        yield seg, clean_text(seg.target, source=seg.source or None, config=doc_config, rules=rules, context=ctx)


def _vocabulary(ws: Workspace) -> Vocabulary:
    return Vocabulary([s.target for s in ws.all_segments()])


def preview(ws: Workspace, documents: Sequence[Document], config: CleanConfig) -> Iterator[SegmentChange]:
    """What a clean would do, without writing anything."""
    vocabulary = _vocabulary(ws)
    for doc in documents:
        for seg, result in _plan(list(ws.segments(doc.id)), config, vocabulary):
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
    doc_segments = list(ws.segments(doc.id))
    reviewed = sum(1 for s in doc_segments if s.status is Status.REVIEWED)
    _flag_empty_sides(ws, doc_segments, pass_id)
    planned = set()
    for seg, result in _plan(doc_segments, config, vocabulary):
        segments += 1
        changed += bool(result.applied)
        if prescore is not None:
            planned.add(seg.id)
            prescore.add(doc.id, seg.mt, result.text, seg.reference, seg.status.value)
        for edit in result.applied:
            ws.add_annotation(seg.id, edit, EditState.APPLIED, pass_id=pass_id)
            counts[edit.author]["applied"] += 1
        known = {
            (a.edit.author, a.edit.before, a.edit.after)
            for a in _settle(ws, seg, result.text, config, bool(result.applied))
            if a.state in (EditState.SUGGESTED, EditState.REJECTED) or a.edit.after is None
        }
        for edit in result.suggested:
            key = (edit.author, edit.before, edit.after)
            if key in known:
                continue
            known.add(key)
            ws.add_annotation(seg.id, edit, EditState.SUGGESTED, pass_id=pass_id)
            counts[edit.author]["flagged" if edit.after is None else "suggested"] += 1
    if prescore is not None:  # the segments the rules left alone
        for s in doc_segments:
            if s.id not in planned:
                prescore.add(doc.id, s.mt, s.target, s.reference, s.status.value)
    return segments, changed, reviewed


def _settle(ws: Workspace, seg: Segment, text: str, config: CleanConfig, changed: bool) -> list[Annotation]:
    """Settle what the rules made moot (open suggestions whose change a rule just made) and the
    whole-segment flags their rule no longer raises; returns the segment's annotations after."""
    if not changed:
        anns = ws.annotations(seg.id)
        live = (EditState.SUGGESTED, EditState.APPLIED)
        if not any(a.state in live and issues.covers(a.edit, seg.target) for a in anns):
            return anns
    ws.settle(seg.id, previous=seg.target, holds=recheck.asker(seg.source, text, config))
    return ws.annotations(seg.id)


def _flag_empty_sides(ws: Workspace, segments: Sequence[Segment], pass_id: int) -> None:
    """Record the open issue of each bead whose raw MT or source is empty and has none yet (older workspaces).

    The raw MT decides: a target a rule emptied (web furniture) is a repair, not an omission.
    """
    for seg in segments:
        edits = [e for e in issues.side_issues(seg.source, seg.mt) if not issues.settled(seg.target, e)]
        if edits and not any(a.edit.author == issues.ALIGNMENT for a in ws.annotations(seg.id)):
            for edit in edits:
                ws.add_annotation(seg.id, edit, EditState.SUGGESTED, pass_id=pass_id)
