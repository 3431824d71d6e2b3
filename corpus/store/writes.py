"""A pass's writes for many segments, in batches: annotation rows, new targets, statistics.

A clean records tens of thousands of segments. Written one by one, each costs a ``SELECT``
for its next ``seq``, an ``INSERT`` and an ``UPDATE``; :class:`SegmentWrites` keeps them in
memory and writes each kind with one ``executemany`` per batch, in the order they were
made, so the rows, their ids and ``seq`` numbers, the targets, statuses and version bumps
are the ones the writes made segment by segment would leave. Nothing is written before a
flush: whatever reads a segment's annotations back flushes first (:meth:`SegmentWrites.flush`),
and :meth:`WritesStore.segment_writes` flushes what is left when its block ends. A block that
fails writes nothing more; its transaction rolls back the rest.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager

from mtmend.corpus import edits as edit_ops
from mtmend.corpus.model import AuthorKind, Edit, EditState, Segment
from mtmend.corpus.store.annotations import INSERT, SET_TARGET, next_seq, row_of, status_after
from mtmend.corpus.store.schema import now
from mtmend.corpus.store.stats import PUT_STATS

# Segments per batch: enough that a statement's cost is shared, few enough to keep memory flat.
BATCH = 1_000


class SegmentWrites:
    """Annotations, targets and kept statistics of many segments, written a batch at a time.

    ``annotated``: the segments that may hold annotations already; the others number theirs
    from 0 without asking the database. Use through :meth:`WritesStore.segment_writes`.
    """

    def __init__(self, conn: sqlite3.Connection, annotated: Collection[int], size: int):
        self.conn = conn
        self.annotated = annotated
        self.size = size
        self.seqs: dict[int, int] = {}  # the next seq of each segment written through this batch
        self.pending: set[int] = set()  # segments with rows not written yet
        self.rows: list[tuple] = []
        self.targets: list[tuple] = []
        self.stats: list[tuple] = []

    def add_applied(self, seg: Segment, edits: Sequence[Edit], *, pass_id: int | None = None) -> str:
        """Record ``edits`` as APPLIED, one after the other, to ``seg`` as read in this transaction;
        returns the new target."""
        if not edits:
            return seg.target
        target = seg.target
        for edit in edits:
            target = edit_ops.apply_edit(target, edit)
        self._add(seg.id, edits, EditState.APPLIED, pass_id)
        kind = AuthorKind.RULE if any(e.author_kind is AuthorKind.RULE for e in edits) else edits[-1].author_kind
        self.targets.append((target, status_after(seg.status, kind).value, seg.id))
        self._full()
        return target

    def add_suggested(self, seg: Segment, edits: Sequence[Edit], *, pass_id: int | None = None) -> None:
        """Record ``edits`` as SUGGESTED on ``seg``, in order, after its other annotations."""
        if edits:
            self._add(seg.id, edits, EditState.SUGGESTED, pass_id)
            self._full()

    def put_segment_stats(self, rows: Iterable[tuple[int, bytes, str]]) -> None:
        """Keep ``(segment_id, digest, stats)`` rows (as :meth:`StatsStore.put_segment_stats`)."""
        self.stats += rows
        if len(self.stats) >= self.size:
            self.flush()

    def flush(self, segment_id: int | None = None) -> None:
        """Write what is buffered (only if ``segment_id`` has rows waiting, when given): call it
        before reading back that segment's annotations."""
        if segment_id is not None and segment_id not in self.pending:
            return
        for statement, rows in ((INSERT, self.rows), (SET_TARGET, self.targets), (PUT_STATS, self.stats)):
            if rows:
                self.conn.executemany(statement, rows)
        self.rows, self.targets, self.stats = [], [], []
        self.pending.clear()

    def _add(self, segment_id: int, edits: Sequence[Edit], state: EditState, pass_id: int | None) -> None:
        seq, created = self._next_seq(segment_id), now()
        self.rows += [row_of(segment_id, seq + i, e, state, created, pass_id, "") for i, e in enumerate(edits)]
        self.seqs[segment_id] = seq + len(edits)
        self.pending.add(segment_id)

    def _next_seq(self, segment_id: int) -> int:
        seq = self.seqs.get(segment_id)
        if seq is not None:
            return seq
        if segment_id not in self.annotated:
            return 0
        return next_seq(self.conn, segment_id)  # all its rows are written: any waiting would be in ``seqs``

    def _full(self) -> None:
        if len(self.pending) >= self.size:
            self.flush()


class WritesStore:
    """Batched writes (a part of :class:`~mtmend.corpus.store.Workspace`)."""

    conn: sqlite3.Connection

    @contextmanager
    def segment_writes(self, annotated: Collection[int], size: int | None = None) -> Iterator[SegmentWrites]:
        """A :class:`SegmentWrites` (``size`` segments a batch, default :data:`BATCH`) whose rows
        are all written when the block ends without an error. ``annotated``: the segments that
        may have annotations already (the others have none). Call inside :meth:`transaction`."""
        writes = SegmentWrites(self.conn, annotated, BATCH if size is None else size)
        yield writes
        writes.flush()
