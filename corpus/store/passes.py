"""Passes: one row per run over the workspace, with its summary (JSON)."""

from __future__ import annotations

import json
import os
import socket
import sqlite3

from mtmend.corpus.model import Pass
from mtmend.corpus.processes import pid_alive
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

    def restore_pass(self, archived: Pass) -> None:
        """Insert a pass of a full TMX archive with its own id (restores go into an empty workspace)."""
        self.conn.execute(
            "INSERT INTO passes (id, kind, started, finished, detail, summary) VALUES (?,?,?,?,?,?)",
            (archived.id, archived.kind, archived.started, archived.finished, archived.detail,
             json.dumps(archived.summary, ensure_ascii=False, sort_keys=True)),
        )

    def passes(self) -> list[Pass]:
        rows = self.conn.execute("SELECT * FROM passes ORDER BY id").fetchall()
        return [
            Pass(r["id"], r["kind"], r["started"], r["finished"], r["detail"], json.loads(r["summary"]))
            for r in rows
        ]
