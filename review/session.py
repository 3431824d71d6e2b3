"""Review decisions: what confirming, accepting, rejecting, editing or flagging does.

UI-free, shared by the full-screen application and ``review --plain``. A
:class:`ReviewSession` is one review pass over some documents of a workspace: it holds
their review locks, and every decision runs in its own transaction together with a
``review_log`` row that says how to undo it, so a killed session loses nothing decided
and undo works across sessions. Decisions (each documented on its method):

- confirm: the segment becomes *reviewed*; suggestions still pending are kept open,
  accepted or rejected as the reviewer chose — never dropped silently.
- accept / reject one annotation; rejecting an applied edit reverts its text and marks
  it REJECTED (a person said no); accept all pending replacements of a segment.
- hand edit: the reviewer's new target becomes one APPLIED ``AuthorKind.PERSON`` edit
  (category ``Other``, severity Neutral: a correction, not an error); suggestions whose
  change it made are resolved, those it made impossible rejected. An empty target is
  refused unless explicitly allowed.
- after every decision, open issues the new target made moot (a flagged text that is
  gone, an empty side that got text) are resolved (:meth:`Workspace.settle`).
- flag: an error annotation with ``after=None``, stored APPLIED — the reviewer's own
  verdict, recorded for scoring, not an open issue waiting for someone else.
- add term: a glossary entry, propagated to every segment as SUGGESTED annotations.
- undo: reverses the latest decision on the session's documents.

The session decides, the store records: each method here is a reviewer's action and
calls the :class:`~mtmend.corpus.store.Workspace` methods that record its effects.
Navigation values live in :mod:`mtmend.review.nav`, what is shown of a segment in
:mod:`mtmend.review.view`, locks and the review pass in :mod:`mtmend.review.locks`.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from mtmend.review import realign, settle, terms
from mtmend.review.terms import GLOSSARY_FILE
from mtmend.review import undo as undo_steps
from mtmend.review.locks import begin_review, end_review
from mtmend.review.nav import DocCounts, Entry, Filter, FilterKind
from mtmend.review.figures import LiveFigures
from mtmend.review.view import locate
from mtmend.corpus.edits import word_edits
from mtmend.corpus.errors import ConflictError, InputError, NotFoundError
from mtmend.corpus.model import (
    MQM_CATEGORIES,
    Annotation,
    AuthorKind,
    Document,
    Edit,
    EditState,
    Segment,
    Severity,
    Status,
)
from mtmend.corpus.store import ReviewLock, Workspace

__all__ = ["GLOSSARY_FILE", "HAND_EDIT_CATEGORY", "Pending", "ReviewSession", "StaleSegmentError"]


class StaleSegmentError(ConflictError):
    """A decision was computed from a version of the segment that is no longer current."""


HAND_EDIT_CATEGORY = "Other"


class Pending(enum.StrEnum):
    """What confirming a segment does with its pending suggestions (never a silent drop)."""

    KEEP = "keep"  # confirm; the suggestions stay open
    ACCEPT = "accept"  # apply those that fit, then confirm
    REJECT = "reject"  # reject them all, then confirm


class ReviewSession(realign.AlignmentRepair, terms.TermDecisions):
    """One review pass: documents locked, decisions committed one by one, undo log kept."""

    def __init__(self, ws: Workspace, documents: list[Document], reviewer: str, pass_id: int,
                 locks: list[ReviewLock]):
        self.ws = ws
        self.documents = documents
        self.reviewer = reviewer
        self.pass_id = pass_id
        self.locks = locks
        self.entries: list[Entry] = []
        self._where: dict[int, int] = {}  # segment id -> index in entries when it got there
        self._born: dict[int, int] = {}  # segment id -> how many splices had happened then (0: none)
        self._shifts: list[tuple[int, int, int]] = []  # per splice: (index, entries removed, count change)
        self.counts: list[DocCounts] = []
        self.skipped: list[Document] = []  # documents left out: under review elsewhere
        self._quality: dict[int, LiveFigures] = {}  # document index -> figures, once shown
        self.last_edit: list[int] = []  # annotation ids of the latest hand edit
        self._shown: dict[int, int] = {}  # segment id -> the version the reviewer was last shown
        self._load_entries()

    # ------------------------------------------------------------- lifecycle
    @classmethod
    def start(cls, ws: Workspace, names: Sequence[str], reviewer: str, *, take_over: bool = False) -> ReviewSession:
        """Lock the named documents (all when ``names`` is empty) and begin a review pass.

        A named document under review elsewhere raises :class:`ConflictError`; without
        names, documents under review elsewhere are left out (all taken: ConflictError).
        Locks of dead processes on this host are taken over; ``take_over`` also takes
        locks held on other hosts, whose processes cannot be checked.
        """
        if names:
            docs = [ws.document(n) for n in dict.fromkeys(names)]
        else:
            docs = ws.documents()
            if not docs:
                raise NotFoundError("the workspace has no documents: import one first (mtmend import)")
        free, locks, skipped, pass_id = begin_review(ws, docs, reviewer, named=bool(names), take_over=take_over)
        session = cls(ws, free, reviewer, pass_id, locks)
        session.skipped = skipped
        return session

    def close(self) -> dict:
        """Finish the pass (with a snapshot) and release the locks; returns the summary."""
        return end_review(self.ws, self.pass_id, self.reviewer, self.locks)

    def _load_entries(self) -> None:
        self.entries, self.counts = [], []
        for n, doc in enumerate(self.documents):
            rows = self.ws.segment_summaries(doc.id)
            self.entries.extend(Entry(r.id, n, r.position, r.status, r.open_issues) for r in rows)
            self.counts.append(DocCounts(
                len(rows), sum(r.status is Status.REVIEWED for r in rows), sum(r.open_issues for r in rows)
            ))
        self._where = {e.segment_id: i for i, e in enumerate(self.entries)}
        self._born, self._shifts = {}, []
        self.starts = [sum(c.segments for c in self.counts[:n]) for n in range(len(self.counts))]

    def _refresh(self, segment_ids: Iterable[int]) -> None:
        """Re-read the navigation entries and figures of changed segments and adjust the counts."""
        for figures in self._quality.values():
            figures.update(segment_ids := set(segment_ids))
        for sid in segment_ids:
            i = self.index_of(sid)
            if i is None:
                continue  # a segment of a document outside this session
            old = self.entries[i]
            seg = self.ws.segment(sid)
            open_issues = len(self.ws.annotations(sid, [EditState.SUGGESTED]))
            new = replace(old, status=seg.status, open_issues=open_issues)
            self.entries[i] = new
            c = self.counts[old.doc]
            self.counts[old.doc] = DocCounts(
                c.segments,
                c.reviewed + (new.status is Status.REVIEWED) - (old.status is Status.REVIEWED),
                c.open_issues + new.open_issues - old.open_issues,
            )

    # ------------------------------------------------------------- reading
    def number(self, index: int) -> int:
        """The 1-based number of the segment at ``index`` within its document (what screens show)."""
        return index - self.starts[self.entries[index].doc] + 1

    def index_of(self, segment_id: int) -> int | None:
        """Where a segment sits in :attr:`entries` (None: not in this session's documents)."""
        index = self._where.get(segment_id)
        if index is None:
            return None
        # Splices after this segment got its index moved it (a repair costs no renumbering).
        for at, removed, delta in self._shifts[self._born.get(segment_id, 0):]:
            if index >= at + removed:
                index += delta
        return index

    def segment_at(self, index: int) -> Segment:
        """The segment at ``index`` of :attr:`entries`, as stored now; the session remembers
        the version shown, so a decision made on an older one is refused (see :meth:`_decide`)."""
        seg = self.ws.segment(self.entries[index].segment_id)
        self._shown[seg.id] = seg.version
        return seg

    def annotations_at(self, index: int) -> list[Annotation]:
        """The annotations of the segment at ``index``, in the order they were made: the numbers
        screens show stay with their edit (an accepted edit is re-sequenced last in the store)."""
        return sorted(self.ws.annotations(self.entries[index].segment_id), key=lambda a: a.id)

    def annotated(self, flt: Filter) -> frozenset[int]:
        """Segment ids a RULE/CATEGORY filter keeps (empty for the other filters)."""
        if flt.kind not in (FilterKind.RULE, FilterKind.CATEGORY):
            return frozenset()
        key = "author" if flt.kind is FilterKind.RULE else "category"
        ids: set[int] = set()
        for doc in self.documents:
            ids |= self.ws.segments_annotated(doc.id, **{key: flt.value})
        return frozenset(ids)

    def facets(self) -> tuple[list[str], list[str]]:
        """Authors (rules and people) and categories present in the session's annotations."""
        authors, categories = set(), set()
        for doc in self.documents:
            for author, category, _ in self.ws.annotation_facets(doc.id):
                authors.add(author)
                categories.add(category)
        return sorted(authors), sorted(categories)

    def search(self, query: str, index: int, direction: int = 1) -> int | None:
        """The next segment (wrapping) whose source, MT or target contains ``query`` (any case)."""
        needle = query.casefold()
        if not needle or not self.entries:
            return None
        hits = set()
        for doc in self.documents:
            for seg in self.ws.segments(doc.id):
                if needle in seg.source.casefold() or needle in seg.target.casefold() or needle in seg.mt.casefold():
                    hits.add(seg.id)
        n = len(self.entries)
        for k in range(1, n + 1):
            i = (index + direction * k) % n
            if self.entries[i].segment_id in hits:
                return i
        return None

    def quality(self, doc: int) -> str:
        """A document's quality figures now (see :mod:`.figures`); loaded on first use."""
        if self._quality.get(doc) is None:
            self._quality[doc] = LiveFigures(self.ws, self.documents[doc])
        return self._quality[doc].text()

    # ------------------------------------------------------------- decisions
    def _decide(self, segment_id: int, action: str, work: Callable[[Segment], list[dict]]) -> None:
        """Run one decision and its undo record in one transaction, then refresh navigation."""
        with self.ws.transaction():
            seg = self.ws.segment(segment_id)
            shown = self._shown.get(segment_id)
            if shown is not None and shown != seg.version:  # refused until shown again (segment_at)
                raise StaleSegmentError(
                    "this segment changed since it was shown (another process wrote to it): nothing saved; "
                    "look at it again and decide on the current text")
            steps = work(seg)
            steps.extend(settle.after_decision(self.ws, seg))  # issues the decision made moot
            steps.append({"op": "status", "segment": seg.id, "status": seg.status.value})
            self.ws.log_review(self.pass_id, seg.doc_id, seg.id, action, self.reviewer, json.dumps(steps))
            if shown is not None:
                self._shown[segment_id] = self.ws.segment(segment_id).version
        self._refresh(undo_steps.segments_of(self.ws, steps))

    def pending(self, segment_id: int) -> list[Annotation]:
        """The segment's suggestions and flags still waiting for a decision."""
        return self.ws.annotations(segment_id, [EditState.SUGGESTED])

    def confirm(self, segment_id: int, pending: Pending = Pending.KEEP) -> None:
        """Confirm the target as it stands: the segment becomes reviewed.

        Pending suggestions are never dropped silently: ``pending`` says what happens to
        them — KEEP leaves them open (still counted as open issues), ACCEPT applies every
        replacement that still fits (the rest stay open), REJECT rejects them all.
        """

        def work(seg: Segment) -> list[dict]:
            steps: list[dict] = []
            if pending is Pending.ACCEPT:
                steps = self._accept_fitting(seg.id)
            elif pending is Pending.REJECT:
                for ann in self.pending(seg.id):
                    self.ws.reject(ann.id)
                    steps.append(undo_steps.restore(ann))
            self.ws.set_status(seg.id, Status.REVIEWED)
            return steps

        self._decide(segment_id, "confirm", work)

    def accept_edit(self, annotation_id: int) -> None:
        """Apply one suggestion (or confirm a flag); ConflictError if it no longer fits."""
        ann = self.ws.annotation(annotation_id)
        if ann.state is EditState.APPLIED:
            raise ConflictError("that edit is already applied")

        def work(seg: Segment) -> list[dict]:
            self.ws.accept(ann.id)
            return [undo_steps.restore(ann)]

        self._decide(ann.segment_id, "accept", work)

    def reject_edit(self, annotation_id: int) -> None:
        """Say no to one edit; an applied one has its text reverted and is marked REJECTED."""
        ann = self.ws.annotation(annotation_id)
        if ann.state is EditState.REJECTED:
            raise ConflictError("that edit is already rejected")

        def work(seg: Segment) -> list[dict]:
            if ann.state is EditState.APPLIED and not ann.edit.is_flag:
                self.ws.revert(ann.id, to=EditState.REJECTED)
            else:
                self.ws.reject(ann.id)
            return [undo_steps.restore(ann)]

        self._decide(ann.segment_id, "reject", work)

    def accept_all(self, segment_id: int) -> int:
        """Apply every pending replacement that still fits; returns how many were applied."""
        applied = 0

        def work(seg: Segment) -> list[dict]:
            nonlocal applied
            steps = self._accept_fitting(seg.id)
            applied = len(steps)
            return steps

        self._decide(segment_id, "accept_all", work)
        return applied

    def _accept_fitting(self, segment_id: int) -> list[dict]:
        """Apply the pending replacements that fit the target now; their undo steps, latest first."""
        steps: list[dict] = []
        for ann in self.pending(segment_id):
            if ann.edit.is_flag or locate(self.ws.segment(segment_id).target, ann.edit) is None:
                continue
            self.ws.accept(ann.id)
            steps.insert(0, undo_steps.restore(ann))  # undo in reverse order
        return steps

    def hand_edit(self, segment_id: int, new_target: str, *, allow_empty: bool = False) -> bool:
        """Replace the target by the reviewer's text, as APPLIED person edits of whole words.

        The change is stored as the smallest word-level replacements (category ``Other``,
        severity Neutral until :meth:`categorise` says otherwise; their ids are kept in
        :attr:`last_edit`). Returns False when nothing changed. An empty (or blank) target
        raises :class:`InputError` unless ``allow_empty``. Suggestions the reviewer made are
        resolved, those that no longer fit rejected.
        """
        if not new_target.strip() and not allow_empty:
            raise InputError("empty target not stored: type a translation, or confirm that it must be empty")
        if self.ws.segment(segment_id).target == new_target:
            return False
        made: list[int] = []

        def work(seg: Segment) -> list[dict]:
            for start, end, before, after in reversed(word_edits(seg.target, new_target)):  # right to left
                edit = Edit(start, end, before, after, self.reviewer, HAND_EDIT_CATEGORY, Severity.NEUTRAL,
                            auto=False, note="edited in review", author_kind=AuthorKind.PERSON)
                made.append(self.ws.add_annotation(seg.id, edit, EditState.APPLIED, pass_id=self.pass_id).id)
            steps = settle.after_decision(self.ws, seg)  # the reviewer made these changes
            for ann in self.ws.annotations(seg.id, [EditState.SUGGESTED]):
                if not ann.edit.is_flag and locate(new_target, ann.edit) is None:
                    self.ws.reject(ann.id)
                    steps.append(undo_steps.restore(ann))
            steps.extend(undo_steps.retract(i) for i in reversed(made))
            return steps

        self._decide(segment_id, "edit", work)
        self.last_edit = made
        return True

    def categorise(self, annotation_ids: Sequence[int], category: str, severity: Severity) -> None:
        """Give the reviewer's edits an MQM category and severity (the error they corrected)."""
        if category not in MQM_CATEGORIES:
            raise InputError(f"unknown MQM category {category!r}: pick one of the listed categories")
        if not annotation_ids:
            return
        anns = [self.ws.annotation(i) for i in annotation_ids]

        def work(seg: Segment) -> list[dict]:
            steps = [undo_steps.recategorised(a) for a in anns]
            for ann in anns:
                self.ws.recategorise(ann.id, category, severity)
            return steps

        self._decide(anns[0].segment_id, "categorise", work)

    def flag(self, segment_id: int, category: str, severity: Severity, *, span: str = "", comment: str = "") -> None:
        """Record an error (``after=None``) on ``span`` (its first occurrence; '' = whole target)."""
        if category not in MQM_CATEGORIES:
            raise InputError(f"unknown MQM category {category!r}: pick one of the listed categories")

        def work(seg: Segment) -> list[dict]:
            start = seg.target.find(span) if span else 0
            if start < 0:
                raise InputError(f"{span!r} does not occur in the target: give text of the target, or nothing")
            end = start + len(span) if span else len(seg.target)
            edit = Edit(start, end, seg.target[start:end], None, self.reviewer, category, severity,
                        auto=False, author_kind=AuthorKind.PERSON)
            made = self.ws.add_annotation(seg.id, edit, EditState.APPLIED, pass_id=self.pass_id, comment=comment)
            return [undo_steps.retract(made.id)]

        self._decide(segment_id, "flag", work)

    def undo(self) -> int | None:
        """Reverse the latest decision on the session's documents; returns its segment id (None: nothing)."""
        entry = self.ws.last_review(d.id for d in self.documents)
        if entry is None:
            return None
        steps = json.loads(entry.undo)
        with self.ws.transaction():
            for s in steps:
                undo_steps.run_step(self.ws, s)
            self.ws.mark_review_undone(entry.id, self.pass_id)
            touched = undo_steps.segments_of(self.ws, steps)
            for sid in set(touched) & self._shown.keys():  # our own change, not another writer's
                self._shown[sid] = self.ws.segment(sid).version
        for s in steps:
            if s["op"] == "realign":
                self._splice(s["retire"], [sid for sid, _ in s["revive"]])
        self._refresh(touched)
        return entry.segment_id
