"""Review decisions: what confirming, accepting, rejecting, editing or flagging does.

UI-free, shared by the full-screen application and ``review --plain``. A
:class:`ReviewSession` is one review pass over some documents of a workspace: it holds
their review locks, and every decision runs in its own transaction together with a
``review_log`` row that says how to undo it, so a killed session loses nothing decided
and undo works across sessions. Decisions (each documented on its method):

- confirm: the segment becomes *reviewed*; suggestions still pending are rejected.
- accept / reject one annotation; rejecting an applied edit reverts its text and marks
  it REJECTED (a person said no); accept all pending replacements of a segment.
- hand edit: the reviewer's new target becomes one APPLIED ``AuthorKind.PERSON`` edit
  (category ``Other``, severity Neutral: a correction, not an error); suggestions it
  made obsolete are rejected. An empty target is refused unless explicitly allowed.
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

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from mtmend.review.locks import begin_review, end_review
from mtmend.review.nav import DocCounts, Entry, Filter, FilterKind
from mtmend.review.view import locate, snapshot_figures
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

__all__ = ["GLOSSARY_FILE", "HAND_EDIT_CATEGORY", "ReviewSession", "StaleSegmentError"]

class StaleSegmentError(ConflictError):
    """A decision was computed from a version of the segment that is no longer current."""


HAND_EDIT_CATEGORY = "Other"
GLOSSARY_FILE = "glossary.tsv"


class ReviewSession:
    """One review pass: documents locked, decisions committed one by one, undo log kept."""

    def __init__(self, ws: Workspace, documents: list[Document], reviewer: str, pass_id: int,
                 locks: list[ReviewLock]):
        self.ws = ws
        self.documents = documents
        self.reviewer = reviewer
        self.pass_id = pass_id
        self.locks = locks
        self.entries: list[Entry] = []
        self._where: dict[int, int] = {}  # segment id -> index in entries
        self.counts: list[DocCounts] = []
        self.skipped: list[Document] = []  # documents left out: under review elsewhere
        self._quality: list[str] | None = None
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

    def _refresh(self, segment_ids: Iterable[int]) -> None:
        """Re-read the navigation entries of changed segments and adjust the counts."""
        for sid in set(segment_ids):
            i = self._where.get(sid)
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
    def index_of(self, segment_id: int) -> int | None:
        """Where a segment sits in :attr:`entries` (None: not in this session's documents)."""
        return self._where.get(segment_id)

    def segment_at(self, index: int) -> Segment:
        """The segment at ``index`` of :attr:`entries`, as stored now; the session remembers
        the version shown, so a decision made on an older one is refused (see :meth:`_decide`)."""
        seg = self.ws.segment(self.entries[index].segment_id)
        self._shown[seg.id] = seg.version
        return seg

    def annotations_at(self, index: int) -> list[Annotation]:
        """The annotations of the segment at ``index`` of :attr:`entries`."""
        return self.ws.annotations(self.entries[index].segment_id)

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
        """A document's quality figures from the latest pass snapshot that has them ('' if none).

        Read once per session (a snapshot only changes when a pass ends): MQM per segment
        found → remaining, and the first metric comparison's scores.
        """
        if self._quality is None:
            self._quality = [snapshot_figures(self.ws.passes(), d.name) for d in self.documents]
        return self._quality[doc]

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
            steps.append({"op": "status", "segment": seg.id, "status": seg.status.value})
            self.ws.log_review(self.pass_id, seg.doc_id, seg.id, action, self.reviewer, json.dumps(steps))
            if shown is not None:
                self._shown[segment_id] = self.ws.segment(segment_id).version
        self._refresh(_segments_of(self.ws, steps))

    def confirm(self, segment_id: int) -> None:
        """Confirm the target as it stands: the segment becomes reviewed, pending suggestions rejected."""

        def work(seg: Segment) -> list[dict]:
            steps = []
            for ann in self.ws.annotations(seg.id, [EditState.SUGGESTED]):
                self.ws.reject(ann.id)
                steps.append(_restore(ann))
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
            return [_restore(ann)]

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
            return [_restore(ann)]

        self._decide(ann.segment_id, "reject", work)

    def accept_all(self, segment_id: int) -> int:
        """Apply every pending replacement that still fits; returns how many were applied."""
        applied = 0

        def work(seg: Segment) -> list[dict]:
            nonlocal applied
            steps = []
            for ann in self.ws.annotations(seg.id, [EditState.SUGGESTED]):
                if ann.edit.is_flag or locate(self.ws.segment(seg.id).target, ann.edit) is None:
                    continue
                self.ws.accept(ann.id)
                steps.insert(0, _restore(ann))  # undo in reverse order
                applied += 1
            return steps

        self._decide(segment_id, "accept_all", work)
        return applied

    def hand_edit(self, segment_id: int, new_target: str, *, allow_empty: bool = False) -> bool:
        """Replace the target by the reviewer's text, as one APPLIED person edit.

        Returns False when nothing changed. An empty (or blank) target raises
        :class:`InputError` unless ``allow_empty``. Suggestions that no longer fit are rejected.
        """
        if not new_target.strip() and not allow_empty:
            raise InputError("empty target not stored: type a translation, or confirm that it must be empty")
        if self.ws.segment(segment_id).target == new_target:
            return False

        def work(seg: Segment) -> list[dict]:
            from mtmend.corpus.edits import minimal_edit

            start, end, before, after = minimal_edit(seg.target, new_target)
            edit = Edit(start, end, before, after, self.reviewer, HAND_EDIT_CATEGORY, Severity.NEUTRAL,
                        auto=False, note="edited in review", author_kind=AuthorKind.PERSON)
            made = self.ws.add_annotation(seg.id, edit, EditState.APPLIED, pass_id=self.pass_id)
            steps = []
            for ann in self.ws.annotations(seg.id, [EditState.SUGGESTED]):
                if not ann.edit.is_flag and locate(new_target, ann.edit) is None:
                    self.ws.reject(ann.id)
                    steps.append(_restore(ann))
            steps.append(_retract(made.id))
            return steps

        self._decide(segment_id, "edit", work)
        return True

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
            return [_retract(made.id)]

        self._decide(segment_id, "flag", work)

    def add_term(self, segment_id: int, zh: str, en: str, forbidden: Sequence[str] = (), note: str = "") -> int:
        """Add a glossary entry and propose it to every segment of the workspace; returns how many.

        The entry goes to ``glossary.tsv`` in the workspace folder; each proposal is a
        SUGGESTED annotation of its own (undo retracts the proposals; the entry stays).
        """
        zh, en = zh.strip(), en.strip()
        if not zh or not en:
            raise InputError("a glossary entry needs both the Chinese term and its English translation")
        from mtmend.cleaner import glossary as gloss

        path = self.ws.folder / GLOSSARY_FILE
        entry = gloss.Glossary.add_entry(path, zh, en, forbidden=tuple(f for f in forbidden if f.strip()), note=note)
        proposals = _term_proposals(entry)
        made: list[int] = []

        def work(seg: Segment) -> list[dict]:
            for other in self.ws.all_segments():
                if zh not in other.source:
                    continue
                pending = {(a.edit.before, a.edit.after) for a in self.ws.annotations(other.id, [EditState.SUGGESTED])}
                for edit in proposals(other.source, other.target):
                    if (edit.before, edit.after) not in pending:
                        ann = self.ws.add_annotation(other.id, edit, EditState.SUGGESTED, pass_id=self.pass_id)
                        made.append(ann.id)
                        pending.add((edit.before, edit.after))
            return [_retract(i) for i in made]

        self._decide(segment_id, "term", work)
        return len(made)

    def undo(self) -> int | None:
        """Reverse the latest decision on the session's documents; returns its segment id (None: nothing)."""
        entry = self.ws.last_review(d.id for d in self.documents)
        if entry is None:
            return None
        steps = json.loads(entry.undo)
        with self.ws.transaction():
            for s in steps:
                _run_undo_step(self.ws, s)
            self.ws.mark_review_undone(entry.id, self.pass_id)
            touched = _segments_of(self.ws, steps)
            for sid in set(touched) & self._shown.keys():  # our own change, not another writer's
                self._shown[sid] = self.ws.segment(sid).version
        self._refresh(touched)
        return entry.segment_id


# ------------------------------------------------------------------- internals
def _restore(ann: Annotation) -> dict:
    """The undo step that puts an annotation back in the state it has now."""
    return {"op": "restore", "id": ann.id, "state": ann.state.value}


def _retract(annotation_id: int) -> dict:
    """The undo step that withdraws an annotation this decision made."""
    return {"op": "restore", "id": annotation_id, "state": EditState.REVERTED.value}


def _segments_of(ws: Workspace, steps: Iterable[dict]) -> list[int]:
    """The segments an undo recipe touches (navigation refreshes them)."""
    return [s["segment"] if "segment" in s else ws.annotation(s["id"]).segment_id for s in steps]


def _run_undo_step(ws: Workspace, step_: dict) -> None:
    """Carry out one step of an undo recipe (a status to set back, an annotation state to restore)."""
    if step_["op"] == "status":
        ws.set_status(step_["segment"], Status(step_["status"]))
        return
    ann = ws.annotation(step_["id"])
    state = EditState(step_["state"])
    if ann.state is state:
        return
    if state is EditState.APPLIED:
        ws.accept(ann.id)
    else:
        ws.revert(ann.id, to=state)  # reverts the text when the edit is applied


def _term_proposals(entry) -> Callable[[str, str], list[Edit]]:
    """Proposals of the new entry only: the others are the cleaner's job (and already proposed)."""
    from mtmend.cleaner import glossary as gloss

    return gloss.Glossary((entry,), GLOSSARY_FILE).propose
