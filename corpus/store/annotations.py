"""Edits recorded as annotations: adding, accepting, rejecting, reverting, counting.

A segment's target is always its raw MT with its applied annotations replayed in order
(:mod:`mtmend.corpus.edits` does the arithmetic); this module keeps the two in step.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator

from mtmend.corpus import edits as edit_ops
from mtmend.corpus.errors import ConflictError, NotFoundError
from mtmend.corpus.model import Annotation, AuthorKind, Edit, EditState, Segment, Severity, Status
from mtmend.corpus.store.realign import LIVE
from mtmend.corpus.store.schema import now


class AnnotationStore:
    """The ``annotations`` table (a part of :class:`~mtmend.corpus.store.Workspace`)."""

    conn: sqlite3.Connection

    def annotations(self, segment_id: int, states: Iterable[EditState] | None = None) -> list[Annotation]:
        rows = self.conn.execute(
            "SELECT * FROM annotations WHERE segment_id = ? ORDER BY seq, id", (segment_id,)
        ).fetchall()
        wanted = None if states is None else {s.value for s in states}
        return [_annotation(r) for r in rows if wanted is None or r["state"] in wanted]

    def document_annotations(self, doc_id: int) -> Iterator[Annotation]:
        """Every annotation of a document in segment order, then ``seq`` (one query, for exports)."""
        cur = self.conn.execute(
            "SELECT a.* FROM annotations a JOIN segments s ON s.id = a.segment_id"
            f" WHERE s.doc_id = ? AND s.{LIVE} ORDER BY s.position, a.seq, a.id",
            (doc_id,),
        )
        for row in cur:
            yield _annotation(row)

    def document_flags(self, doc_id: int, states: Iterable[EditState]) -> Iterator[Annotation]:
        """A document's flags (annotations without an ``after``) in ``states``."""
        wanted = [s.value for s in states]
        cur = self.conn.execute(
            "SELECT a.* FROM annotations a JOIN segments s ON s.id = a.segment_id"
            f" WHERE s.doc_id = ? AND s.{LIVE} AND a.after IS NULL"
            f" AND a.state IN ({','.join('?' * len(wanted))}) ORDER BY s.position, a.seq, a.id",
            (doc_id, *wanted),
        )
        for row in cur:
            yield _annotation(row)

    def annotation(self, annotation_id: int) -> Annotation:
        row = self.conn.execute("SELECT * FROM annotations WHERE id = ?", (annotation_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no annotation with id {annotation_id}")
        return _annotation(row)

    def add_annotation(
        self,
        segment_id: int,
        edit: Edit,
        state: EditState,
        *,
        pass_id: int | None = None,
        comment: str = "",
        created: str | None = None,
        seq: int | None = None,
    ) -> Annotation:
        """Record ``edit``; if ``state`` is APPLIED, apply it to the segment's target.

        The edit's span refers to the current target. ``seq`` (default: after the last) is
        given by a restore, which keeps the archive's numbering. Call inside :meth:`transaction`.
        """
        seg = self.segment(segment_id)  # a missing segment is a NotFoundError, whatever the state
        if state is EditState.APPLIED:
            target = edit_ops.apply_edit(seg.target, edit)
            self._set_target(seg, target, edit.author_kind)
        seq = self._next_seq(segment_id) if seq is None else seq
        row = row_of(segment_id, seq, edit, state, created or now(), pass_id, comment)
        return self.annotation(self.conn.execute(INSERT, row).lastrowid)

    def accept(self, annotation_id: int) -> Annotation:
        """Apply a suggested edit to the current target. Call inside a transaction."""
        ann = self.annotation(annotation_id)
        if ann.state is EditState.APPLIED:
            return ann
        if ann.edit.after is None:
            # A flag has nothing to apply; accepting it confirms the error stays noted.
            self._set_state(ann.id, EditState.APPLIED)
            return self.annotation(ann.id)
        seg = self.segment(ann.segment_id)
        edit = _located(seg.target, ann.edit)
        target = edit_ops.apply_edit(seg.target, edit)
        self._set_target(seg, target, edit.author_kind)
        # Re-sequence it last: its span now refers to the target it was applied to.
        self.conn.execute(
            'UPDATE annotations SET state = ?, seq = ?, start = ?, "end" = ? WHERE id = ?',
            (EditState.APPLIED.value, self._next_seq(seg.id), edit.start, edit.end, ann.id),
        )
        return self.annotation(ann.id)

    def reject(self, annotation_id: int) -> Annotation:
        """Mark a suggestion rejected (an applied edit must be reverted instead)."""
        ann = self.annotation(annotation_id)
        if ann.state is EditState.APPLIED and ann.edit.after is not None:
            raise ConflictError(f"annotation {annotation_id} is applied: revert it instead")
        self._set_state(ann.id, EditState.REJECTED)
        return self.annotation(ann.id)

    def revert(self, annotation_id: int, *, to: EditState = EditState.REVERTED) -> Annotation:
        """Undo an applied edit without disturbing the others. Call inside a transaction.

        ``to`` is the state the annotation takes (REVERTED, or SUGGESTED to reopen it).
        """
        ann = self.annotation(annotation_id)
        if ann.state is not EditState.APPLIED:
            self._set_state(ann.id, to)
            return self.annotation(ann.id)
        seg = self.segment(ann.segment_id)
        applied = self.annotations(seg.id, [EditState.APPLIED])
        index = next(i for i, a in enumerate(applied) if a.id == ann.id)
        rebased = edit_ops.rebase_without([a.edit for a in applied], index)
        target = edit_ops.replay(seg.mt, rebased)
        others = [a for a in applied if a.id != ann.id]
        for other, edit in zip(others, rebased, strict=True):
            if (edit.start, edit.end) != (other.edit.start, other.edit.end):
                self.conn.execute(
                    'UPDATE annotations SET start = ?, "end" = ? WHERE id = ?', (edit.start, edit.end, other.id)
                )
        self.conn.execute("UPDATE segments SET target = ? WHERE id = ?", (target, seg.id))
        self._set_state(ann.id, to)
        if target == seg.mt and seg.status is Status.AUTO_FIXED:
            self.set_status(seg.id, Status.RAW)
        return self.annotation(ann.id)

    def recategorise(self, annotation_id: int, category: str, severity: Severity) -> None:
        """Set an annotation's MQM category and severity. Call inside a transaction."""
        self.conn.execute(
            "UPDATE annotations SET category = ?, severity = ? WHERE id = ?", (category, severity.value, annotation_id)
        )

    def settle(self, segment_id: int, target: str | None = None, *, previous: str | None = None,
               holds: Callable[[Edit], bool | None] | None = None) -> list[Annotation]:
        """Mark RESOLVED the open suggestions and live flags the current target made moot.

        The rule is :func:`mtmend.corpus.issues.settled` (the change was made by someone
        else, the flagged text is gone); ``previous`` is the target before the change and
        ``holds`` asks a whole-target flag's rule whether its issue is still there. A
        whole-target flag that stays open is moved onto the new target. Returns the
        annotations resolved or moved, as they were before, so a caller can undo.
        ``target``: the current target, when the caller has it. Call inside a transaction.
        """
        from mtmend.corpus.issues import covers, settled

        target = self.segment(segment_id).target if target is None else target
        changed = []
        for a in self.annotations(segment_id, [EditState.SUGGESTED, EditState.APPLIED]):
            if not (a.state is EditState.SUGGESTED or a.edit.is_flag):
                continue
            if settled(target, a.edit, previous=previous, holds=holds):
                self._set_state(a.id, EditState.RESOLVED)
                changed.append(a)
            elif previous is not None and previous != target and covers(a.edit, previous):
                self.move_flag(a.id, 0, len(target), target)
                changed.append(a)
        return changed

    def move_flag(self, annotation_id: int, start: int, end: int, before: str) -> None:
        """Give a flag a new span (a whole-target flag follows its edited target). Call inside a transaction."""
        self.conn.execute(
            'UPDATE annotations SET start = ?, "end" = ?, before = ? WHERE id = ? AND after IS NULL',
            (start, end, before, annotation_id),
        )

    def rebuild_target(self, segment_id: int) -> str:
        """Replay the applied annotations onto the raw MT (a consistency check and repair)."""
        seg = self.segment(segment_id)
        edits = [a.edit for a in self.annotations(segment_id, [EditState.APPLIED])]
        return edit_ops.replay(seg.mt, edits)

    def _set_target(self, seg: Segment, target: str, kind: AuthorKind) -> None:
        self.conn.execute(SET_TARGET, (target, status_after(seg.status, kind).value, seg.id))

    def _set_state(self, annotation_id: int, state: EditState) -> None:
        self.conn.execute("UPDATE annotations SET state = ? WHERE id = ?", (state.value, annotation_id))

    def _next_seq(self, segment_id: int) -> int:
        return next_seq(self.conn, segment_id)

    # --------------------------------------------------------------- summaries
    def annotation_facets(self, doc_id: int) -> list[tuple[str, str, int]]:
        """Distinct (author, category) of a document's annotations, with counts."""
        rows = self.conn.execute(
            "SELECT a.author, a.category, count(*) FROM annotations a JOIN segments s ON s.id = a.segment_id"
            f" WHERE s.doc_id = ? AND s.{LIVE} GROUP BY a.author, a.category ORDER BY a.author, a.category",
            (doc_id,),
        ).fetchall()
        return [(r[0], r[1], r[2]) for r in rows]

    def segments_annotated(self, doc_id: int, *, author: str | None = None, category: str | None = None) -> set[int]:
        """Ids of the document's segments with an annotation by ``author`` and/or in ``category``."""
        rows = self.conn.execute(
            "SELECT DISTINCT a.segment_id FROM annotations a JOIN segments s ON s.id = a.segment_id"
            f" WHERE s.doc_id = ? AND s.{LIVE} AND (? IS NULL OR a.author = ?) AND (? IS NULL OR a.category = ?)",
            (doc_id, author, author, category, category),
        ).fetchall()
        return {r[0] for r in rows}

    def open_annotation_counts(self) -> list[tuple[str, str, int]]:
        """Open suggestions and flags of the workspace per (category, severity), sorted."""
        rows = self.conn.execute(
            "SELECT category, severity, count(*) FROM annotations a JOIN segments s ON s.id = a.segment_id"
            f" WHERE a.state = 'suggested' AND s.{LIVE}"
            " GROUP BY category, severity ORDER BY category, severity"
        ).fetchall()
        return [(r[0], r[1], r[2]) for r in rows]

    def pass_annotation_counts(self) -> dict[int, tuple[int, int]]:
        """Per pass: (automatic changes, other annotations) created in it."""
        rows = self.conn.execute(
            "SELECT pass_id, sum(auto = 1 AND after IS NOT NULL), sum(NOT (auto = 1 AND after IS NOT NULL))"
            " FROM annotations WHERE pass_id IS NOT NULL GROUP BY pass_id"
        ).fetchall()
        return {r[0]: (r[1], r[2]) for r in rows}

    def category_state_counts(self) -> list[tuple[str, str, int]]:
        """Annotations of the workspace per (category, state)."""
        rows = self.conn.execute(
            "SELECT category, state, count(*) FROM annotations a JOIN segments s ON s.id = a.segment_id"
            f" WHERE s.{LIVE} GROUP BY category, state"
        )
        return [(r[0], r[1], r[2]) for r in rows.fetchall()]


INSERT = (
    'INSERT INTO annotations (segment_id, seq, author, author_kind, category, severity, start, "end",'
    " before, after, auto, note, state, created, pass_id, comment) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)
SET_TARGET = "UPDATE segments SET target = ?, status = ? WHERE id = ?"


def next_seq(conn: sqlite3.Connection, segment_id: int) -> int:
    """The ``seq`` a segment's next annotation takes: after its last one."""
    row = conn.execute("SELECT max(seq) FROM annotations WHERE segment_id = ?", (segment_id,)).fetchone()
    return 0 if row[0] is None else row[0] + 1


def status_after(status: Status, kind: AuthorKind) -> Status:
    """A segment's status once an edit by ``kind`` changed its target: a rule's makes a raw one auto-fixed."""
    return Status.AUTO_FIXED if kind is AuthorKind.RULE and status is Status.RAW else status


def row_of(segment_id: int, seq: int, edit: Edit, state: EditState, created: str, pass_id: int | None, comment: str) -> tuple:
    return (
        segment_id, seq, edit.author, edit.author_kind.value, edit.category, edit.severity.value, edit.start,
        edit.end, edit.before, edit.after, int(edit.auto), edit.note, state.value, created, pass_id, comment,
    )


def _located(target: str, edit: Edit) -> Edit:
    """``edit`` moved to where it applies in the current target (it may be stale)."""
    span = edit_ops.locate(target, edit)
    if span is None:
        raise ConflictError(
            f"suggestion by {edit.author} no longer fits the target ({edit.before!r} not found): "
            "re-run mtmend clean or edit by hand"
        )
    return edit.shifted(span[0] - edit.start)


def _annotation(r: sqlite3.Row) -> Annotation:
    edit = Edit(
        r["start"], r["end"], r["before"], r["after"], r["author"], r["category"],
        Severity(r["severity"]), bool(r["auto"]), r["note"], AuthorKind(r["author_kind"]),
    )
    return Annotation(
        r["id"], r["segment_id"], r["seq"], edit, EditState(r["state"]), r["created"], r["pass_id"], r["comment"]
    )
