"""Where documents imported from an MQM file came from, and the ratings MQM scores read."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from mtmend.corpus.store.realign import LIVE
from mtmend.corpus.store.schema import marks


@dataclass(frozen=True, slots=True)
class MqmDocument:
    """An imported document's place in its MQM file: system, doc and the file's header line."""

    doc_id: int
    system: str
    doc: str
    header: str


@dataclass(frozen=True, slots=True)
class MqmFileRow:
    """An applied or open annotation of an imported document, with what its file row needs."""

    system: str
    doc: str
    doc_seg_id: str
    global_seg_id: str
    source: str
    mt: str
    author: str
    category: str
    severity: str
    note: str
    start: int
    end: int
    before: str


class MqmStore:
    """The ``mqm_documents`` and ``mqm_segments`` tables (a part of :class:`~mtmend.corpus.store.Workspace`)."""

    conn: sqlite3.Connection

    def add_mqm_document(self, source: MqmDocument, segment_keys: Sequence[tuple[str, str]]) -> list[int]:
        """Record where a stored document came from; ``segment_keys`` are its segments'
        ``(doc_seg_id, global_seg_id)`` in order. Returns the segment ids. Call inside a transaction."""
        self.conn.execute(
            "INSERT INTO mqm_documents VALUES (?,?,?,?)", (source.doc_id, source.system, source.doc, source.header)
        )
        ids = self.segment_ids(source.doc_id)
        self.conn.executemany(
            "INSERT INTO mqm_segments VALUES (?,?,?)",
            [(seg_id, doc_seg_id, global_id) for seg_id, (doc_seg_id, global_id) in zip(ids, segment_keys, strict=True)],
        )
        return ids

    def mqm_documents(self, doc_ids: Sequence[int]) -> dict[int, MqmDocument]:
        """The documents among ``doc_ids`` that came from an MQM file, by id."""
        cur = self.conn.execute(f"SELECT * FROM mqm_documents WHERE doc_id IN ({marks(doc_ids)})", tuple(doc_ids))
        return {r["doc_id"]: MqmDocument(r["doc_id"], r["system"], r["doc"], r["header"]) for r in cur}

    def mqm_file_rows(self, doc_ids: Sequence[int]) -> Iterator[MqmFileRow]:
        """Applied, open and fixed-error annotations of imported documents, in the order they were stored."""
        cur = self.conn.execute(
            "SELECT md.system, md.doc, ms.doc_seg_id, ms.global_seg_id, s.source, s.mt, a.author, a.category,"
            ' a.severity, a.note, a.start, a."end", a.before'
            " FROM annotations a JOIN segments s ON s.id = a.segment_id"
            " JOIN mqm_segments ms ON ms.segment_id = s.id JOIN mqm_documents md ON md.doc_id = s.doc_id"
            f" WHERE s.doc_id IN ({marks(doc_ids)}) AND s.{LIVE}"
            " AND (a.state IN ('applied', 'suggested') OR (a.state = 'resolved' AND a.after IS NULL)) ORDER BY a.id",
            tuple(doc_ids),
        )
        for r in cur:
            yield MqmFileRow(*r)

    def rating_rows(self, doc_ids: Sequence[int]) -> Iterator[tuple[int, int, str, str, str, str, str, str | None]]:
        """``(segment_id, doc_id, author, category, severity, note, state, after)`` of the
        documents' applied and open annotations and fixed errors, streamed."""
        yield from self.conn.execute(
            "SELECT a.segment_id, s.doc_id, a.author, a.category, a.severity, a.note, a.state, a.after"
            f" FROM annotations a JOIN segments s ON s.id = a.segment_id WHERE s.doc_id IN ({marks(doc_ids)})"
            f" AND s.{LIVE} AND (a.state IN ('applied', 'suggested') OR (a.state = 'resolved' AND a.after IS NULL))",
            tuple(doc_ids),
        )
