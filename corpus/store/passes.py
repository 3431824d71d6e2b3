"""Passes: one row per run over the workspace, with its summary and snapshot (JSON).

Opening and closing them is :mod:`mtmend.corpus.progress`'s job; this is their storage."""

from __future__ import annotations

import json
import os
import socket
import sqlite3

from mtmend.corpus.errors import NotFoundError
from mtmend.corpus.model import Pass
from mtmend.corpus.processes import pid_alive
from mtmend.corpus.snapshot import Snapshot
from mtmend.corpus.store.schema import now


class PassStore:
    """The ``passes`` table (a part of :class:`~mtmend.corpus.store.Workspace`)."""

    conn: sqlite3.Connection

    def begin_pass(self, kind: str, detail: str = "") -> int:
        """Open a pass owned by this process, first closing passes whose process died."""
        self.close_interrupted_passes()
        cur = self.conn.execute(
            "INSERT INTO passes (kind, started, detail, pid, host) VALUES (?,?,?,?,?)",
            (kind, now(), detail, os.getpid(), socket.gethostname()),
        )
        return cur.lastrowid

    def close_interrupted_passes(self) -> list[int]:
        """Finish the open passes of dead processes on this host as ``{"interrupted": true}``.

        A killed ``clean`` leaves its pass open with the edits it committed; the next pass
        to start closes it so that ``progress`` shows it. Passes of other hosts (their
        processes cannot be checked) and of older versions (no pid recorded) stay open.
        Call inside a transaction.
        """
        rows = self.conn.execute(
            "SELECT id, kind, pid FROM passes WHERE finished IS NULL AND host = ? AND pid IS NOT NULL",
            (socket.gethostname(),),
        ).fetchall()
        closed = []
        for pass_id, kind, pid in rows:
            if pid_alive(pid):
                continue
            summary = {"interrupted": True}
            if kind == "review":
                summary["decisions"] = self.review_counts(pass_id)
            self.finish_pass(pass_id, summary)
            closed.append(pass_id)
        return closed

    def finish_pass(self, pass_id: int, summary: dict) -> None:
        self.conn.execute(
            "UPDATE passes SET finished = ?, summary = ? WHERE id = ?",
            (now(), json.dumps(summary, ensure_ascii=False, sort_keys=True), pass_id),
        )

    def set_pass_snapshot(self, pass_id: int, snapshot: dict) -> None:
        """Add the JSON form of a snapshot to a finished pass's summary. Call inside a transaction."""
        summary = self.pass_(pass_id).summary
        self.conn.execute(
            "UPDATE passes SET summary = ? WHERE id = ?",
            (json.dumps({**summary, "snapshot": snapshot}, ensure_ascii=False, sort_keys=True), pass_id),
        )

    def delete_pass(self, pass_id: int) -> None:
        """Forget a pass nothing refers to (it decided nothing). Call inside a transaction."""
        self.conn.execute("DELETE FROM passes WHERE id = ?", (pass_id,))

    def restore_pass(self, archived: Pass) -> None:
        """Insert a pass of a full TMX archive with its own id (restores go into an empty workspace)."""
        self.conn.execute(
            "INSERT INTO passes (id, kind, started, finished, detail, summary) VALUES (?,?,?,?,?,?)",
            (archived.id, archived.kind, archived.started, archived.finished, archived.detail,
             json.dumps(archived.summary, ensure_ascii=False, sort_keys=True)),
        )

    def passes(self) -> list[Pass]:
        rows = self.conn.execute("SELECT * FROM passes ORDER BY id").fetchall()
        return [_pass(r) for r in rows]

    def pass_(self, pass_id: int) -> Pass:
        row = self.conn.execute("SELECT * FROM passes WHERE id = ?", (pass_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no pass with id {pass_id}")
        return _pass(row)


def _pass(r: sqlite3.Row) -> Pass:
    summary = json.loads(r["summary"])
    snap = summary.get("snapshot")
    snapshot = Snapshot.from_json(snap) if isinstance(snap, dict) else None
    return Pass(r["id"], r["kind"], r["started"], r["finished"], r["detail"], summary, snapshot)
