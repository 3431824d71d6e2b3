"""Review bookkeeping: who holds which document, and the log of decisions (for undo)."""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from mtmend.corpus.processes import pid_alive
from mtmend.corpus.store.schema import marks, now


@dataclass(frozen=True, slots=True)
class ReviewLock:
    doc_id: int
    holder: str
    pid: int
    host: str
    since: str


@dataclass(frozen=True, slots=True)
class ReviewLogEntry:
    """One review decision; ``undo`` is the reviewer's own JSON recipe to reverse it."""

    id: int
    pass_id: int | None
    doc_id: int
    segment_id: int
    action: str
    reviewer: str
    created: str
    undo: str
    undone: bool


class ReviewStore:
    """The ``review_locks`` and ``review_log`` tables (a part of :class:`~mtmend.corpus.store.Workspace`)."""

    conn: sqlite3.Connection

    def review_lock(self, doc_id: int) -> ReviewLock | None:
        row = self.conn.execute("SELECT * FROM review_locks WHERE doc_id = ?", (doc_id,)).fetchone()
        return None if row is None else ReviewLock(row["doc_id"], row["holder"], row["pid"], row["host"], row["since"])

    def live_review_lock(self, doc_id: int) -> ReviewLock | None:
        """The document's lock if a reviewer may still hold it: a live process of this host, or
        any lock of another host (its process cannot be checked). Batch passes leave such a
        document alone."""
        lock = self.review_lock(doc_id)
        if lock is None or (lock.host == socket.gethostname() and not pid_alive(lock.pid)):
            return None
        return lock

    def set_review_lock(self, lock: ReviewLock) -> None:
        """Take (or take over) a document's review lock. Call inside a transaction."""
        self.conn.execute(
            "INSERT OR REPLACE INTO review_locks (doc_id, holder, pid, host, since) VALUES (?,?,?,?,?)",
            (lock.doc_id, lock.holder, lock.pid, lock.host, lock.since),
        )

    def release_review_lock(self, lock: ReviewLock) -> None:
        """Drop the lock only if it is still exactly ``lock`` (nobody took it over)."""
        self.conn.execute(
            "DELETE FROM review_locks WHERE doc_id = ? AND pid = ? AND host = ? AND since = ?",
            (lock.doc_id, lock.pid, lock.host, lock.since),
        )

    def log_review(
        self, pass_id: int | None, doc_id: int, segment_id: int, action: str, reviewer: str, undo: str
    ) -> int:
        """Record a review decision. Call inside the decision's own transaction."""
        cur = self.conn.execute(
            "INSERT INTO review_log (pass_id, doc_id, segment_id, action, reviewer, created, undo)"
            " VALUES (?,?,?,?,?,?,?)",
            (pass_id, doc_id, segment_id, action, reviewer, now(), undo),
        )
        return cur.lastrowid

    def review_entries(self, doc_id: int) -> list[ReviewLogEntry]:
        """A document's review decisions, oldest first (a full TMX archive carries them)."""
        rows = self.conn.execute("SELECT * FROM review_log WHERE doc_id = ? ORDER BY id", (doc_id,)).fetchall()
        return [_entry(row) for row in rows]

    def restore_review_entry(self, entry: ReviewLogEntry) -> None:
        """Insert a decision from a full TMX archive (its ``id`` is ignored). Call inside a transaction."""
        self.conn.execute(
            "INSERT INTO review_log (pass_id, doc_id, segment_id, action, reviewer, created, undo, undone)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (entry.pass_id, entry.doc_id, entry.segment_id, entry.action, entry.reviewer, entry.created,
             entry.undo, int(entry.undone)),
        )

    def last_review(self, doc_ids: Iterable[int]) -> ReviewLogEntry | None:
        """The latest decision on these documents that has not been undone."""
        ids = list(doc_ids)
        row = self.conn.execute(
            f"SELECT * FROM review_log WHERE undone = 0 AND doc_id IN ({marks(ids)}) ORDER BY id DESC LIMIT 1", ids
        ).fetchone()
        return None if row is None else _entry(row)

    def mark_review_undone(self, entry_id: int, pass_id: int | None = None) -> None:
        """Record that a decision was undone (by the review pass ``pass_id``)."""
        self.conn.execute("UPDATE review_log SET undone = 1, undone_by = ? WHERE id = ?", (pass_id, entry_id))

    def review_acted(self, pass_id: int) -> bool:
        """Whether a review pass decided or undid anything (even if undone since)."""
        row = self.conn.execute(
            "SELECT 1 FROM review_log WHERE pass_id = ? OR undone_by = ? LIMIT 1", (pass_id, pass_id)
        ).fetchone()
        return row is not None

    def review_counts(self, pass_id: int) -> dict[str, int]:
        """Decisions of a review pass per action (undone ones excluded)."""
        rows = self.conn.execute(
            "SELECT action, count(*) FROM review_log WHERE pass_id = ? AND undone = 0 GROUP BY action", (pass_id,)
        ).fetchall()
        return {r[0]: r[1] for r in rows}


def _entry(row: sqlite3.Row) -> ReviewLogEntry:
    return ReviewLogEntry(
        row["id"], row["pass_id"], row["doc_id"], row["segment_id"], row["action"], row["reviewer"],
        row["created"], row["undo"], bool(row["undone"]),
    )
