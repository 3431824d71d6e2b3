"""Per-segment metric statistics kept between passes (the ``segment_stats`` table).

A row holds a segment's sacrebleu statistics with the digest of everything they depend on
(:mod:`mtmend.corpus.stats_cache` computes both); a reader uses a row only when its digest
is the digest of the segment's texts now, so an outdated or damaged row costs a recount,
never a wrong figure.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from mtmend.corpus.store.realign import LIVE
from mtmend.corpus.store.schema import marks


_NO_ID = 2**63 - 1  # above every rowid SQLite gives


class StatsStore:
    """The ``segment_stats`` table (a part of :class:`~mtmend.corpus.store.Workspace`)."""

    conn: sqlite3.Connection

    def segment_texts_page(self, doc_ids: Sequence[int], after_id: int, limit: int, upto_id: int | None = None) -> list[tuple]:
        """``(id, doc_id, mt, target, reference, status, digest, stats)`` of up to ``limit`` segments
        with ids above ``after_id`` (and at most ``upto_id``), in id order; ``digest`` and ``stats``
        are None when none is kept."""
        return self.conn.execute(
            "SELECT s.id, s.doc_id, s.mt, s.target, s.reference, s.status, c.digest, c.stats"
            " FROM segments s LEFT JOIN segment_stats c ON c.segment_id = s.id"
            f" WHERE s.{LIVE} AND s.doc_id IN ({marks(doc_ids)}) AND s.id > ? AND s.id <= ? ORDER BY s.id LIMIT ?",
            (*doc_ids, after_id, _NO_ID if upto_id is None else upto_id, limit),
        ).fetchall()

    def segment_id_range(self, doc_ids: Sequence[int]) -> tuple[int, int] | None:
        """The smallest and largest id of the documents' live segments (None: they have none)."""
        low, high = self.conn.execute(
            f"SELECT min(id), max(id) FROM segments WHERE {LIVE} AND doc_id IN ({marks(doc_ids)})", tuple(doc_ids)
        ).fetchone()
        return None if low is None else (low, high)

    def stats_digests(self, doc_id: int) -> dict[int, bytes]:
        """The digest of each kept row of a document's segments, by segment id."""
        rows = self.conn.execute(
            "SELECT c.segment_id, c.digest FROM segment_stats c JOIN segments s ON s.id = c.segment_id WHERE s.doc_id = ?",
            (doc_id,),
        )
        return dict(rows)

    def put_segment_stats(self, rows: Iterable[tuple[int, bytes, str]]) -> None:
        """Keep ``(segment_id, digest, stats)`` rows, replacing older ones. Call inside a transaction."""
        self.conn.executemany(PUT_STATS, rows)


PUT_STATS = (
    "INSERT INTO segment_stats (segment_id, digest, stats) VALUES (?, ?, ?)"
    " ON CONFLICT (segment_id) DO UPDATE SET digest = excluded.digest, stats = excluded.stats"
)
