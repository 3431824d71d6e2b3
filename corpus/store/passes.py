"""Passes: one row per run over the workspace, with its summary (JSON)."""

from __future__ import annotations

import json
import sqlite3

from mtmend.corpus.model import Pass
from mtmend.corpus.store.schema import now


class PassStore:
    """The ``passes`` table (a part of :class:`~mtmend.corpus.store.Workspace`)."""

    conn: sqlite3.Connection

    def begin_pass(self, kind: str, detail: str = "") -> int:
        cur = self.conn.execute(
            "INSERT INTO passes (kind, started, detail) VALUES (?,?,?)", (kind, now(), detail)
        )
        return cur.lastrowid

    def finish_pass(self, pass_id: int, summary: dict) -> None:
        self.conn.execute(
            "UPDATE passes SET finished = ?, summary = ? WHERE id = ?",
            (now(), json.dumps(summary, ensure_ascii=False, sort_keys=True), pass_id),
        )

    def passes(self) -> list[Pass]:
        rows = self.conn.execute("SELECT * FROM passes ORDER BY id").fetchall()
        return [
            Pass(r["id"], r["kind"], r["started"], r["finished"], r["detail"], json.loads(r["summary"]))
            for r in rows
        ]
