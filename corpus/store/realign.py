"""Alignment repair as recorded: old segments retired, their regrouped pieces stored.

A retired segment keeps its row (raw MT, annotations, review log: history and undo) with
a negative position (``-id``), which every query of live segments leaves out
(:data:`LIVE`). Its pieces take the freed stretch of positions, so the document's order
holds without renumbering the segments after them (positions may become fractional).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from mtmend.corpus.model import Edit, EditState, Segment, Status
from mtmend.corpus.store.schema import now

LIVE = "position >= 0"  # the segments an alignment repair has not replaced


@dataclass(frozen=True, slots=True)
class NewPiece:
    """A segment made by an alignment repair, with the annotations it carries over."""

    source: str
    mt: str
    target: str
    sep: str
    bead: str | None
    status: Status
    annotations: tuple[tuple[Edit, EditState, str], ...]  # (edit, state, comment), in replay order


class RealignStore:
    """Retiring and reviving segments (a part of :class:`~mtmend.corpus.store.Workspace`)."""

    conn: sqlite3.Connection

    def replace_segments(self, old: Sequence[Segment], pieces: Sequence[NewPiece], pass_id: int | None) -> list[int]:
        """Retire ``old`` (consecutive) and store ``pieces`` in their place; returns the new ids.

        Call inside a transaction.
        """
        first, last = old[0], old[-1]
        row = self.conn.execute(
            f"SELECT min(position) FROM segments WHERE doc_id = ? AND {LIVE} AND position > ?",
            (first.doc_id, last.position),
        ).fetchone()
        end = row[0] if row[0] is not None else last.position + 1
        self.retire_segments([s.id for s in old])
        step = (end - first.position) / len(pieces)
        ids = []
        for k, piece in enumerate(pieces):
            cur = self.conn.execute(
                "INSERT INTO segments (doc_id, position, para, source, mt, target, status, bead, reference, sep)"
                " VALUES (?,?,?,?,?,?,?,?,?,?)",
                (first.doc_id, first.position + k * step, first.para, piece.source, piece.mt, piece.target,
                 piece.status.value, piece.bead, None, piece.sep),
            )
            ids.append(cur.lastrowid)
            for seq, (edit, state, comment) in enumerate(piece.annotations):
                self.conn.execute(
                    'INSERT INTO annotations (segment_id, seq, author, author_kind, category, severity, start, "end",'
                    " before, after, auto, note, state, created, pass_id, comment)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (cur.lastrowid, seq, edit.author, edit.author_kind.value, edit.category, edit.severity.value,
                     edit.start, edit.end, edit.before, edit.after, int(edit.auto), edit.note, state.value, now(),
                     pass_id, comment),
                )
        return ids

    def retire_segments(self, segment_ids: Sequence[int]) -> None:
        """Take segments out of their document's order (kept for history and undo)."""
        self.conn.executemany("UPDATE segments SET position = -id WHERE id = ?", ((i,) for i in segment_ids))

    def revive_segments(self, positions: Sequence[tuple[int, float]]) -> None:
        """Put retired segments back at their positions (undo of a repair; retire the pieces first)."""
        self.conn.executemany("UPDATE segments SET position = ? WHERE id = ?", ((p, i) for i, p in positions))
