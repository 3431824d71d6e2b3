"""Documents and their segments: storing, selecting, counting."""

from __future__ import annotations

import difflib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from mtmend.corpus.errors import NotFoundError
from mtmend.corpus.model import AuthorKind, Bead, Document, Segment, Status
from mtmend.corpus.store.realign import LIVE
from mtmend.corpus.store.schema import marks, now


@dataclass(frozen=True, slots=True)
class NewSegment:
    """A segment about to be stored by an import."""

    para: int
    source: str
    mt: str
    bead: Bead | None = None
    reference: str | None = None
    target: str | None = None  # defaults to ``mt``
    status: Status = Status.RAW
    sep: str = ""


@dataclass(frozen=True, slots=True)
class DocStatus:
    document: str
    segments: int
    raw: int
    auto_fixed: int
    reviewed: int
    open_issues: int


@dataclass(frozen=True, slots=True)
class SegmentSummary:
    """What review navigation needs of a segment, without its texts."""

    id: int
    position: int
    status: Status
    open_issues: int


class DocumentStore:
    """The ``documents`` and ``segments`` tables (a part of :class:`~mtmend.corpus.store.Workspace`)."""

    conn: sqlite3.Connection

    # --------------------------------------------------------------- documents
    def documents(self) -> list[Document]:
        rows = self.conn.execute("SELECT * FROM documents ORDER BY id").fetchall()
        return [_document(r) for r in rows]

    def document(self, name_or_id: str | int) -> Document:
        if isinstance(name_or_id, int):
            row = self.conn.execute("SELECT * FROM documents WHERE id = ?", (name_or_id,)).fetchone()
        else:
            row = self.conn.execute("SELECT * FROM documents WHERE name = ?", (name_or_id,)).fetchone()
        if row is None:
            known = [d.name for d in self.documents()]
            close = difflib.get_close_matches(str(name_or_id), known, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise NotFoundError(
                f"no document {name_or_id!r} in the workspace ({hint}documents: {', '.join(known) or 'none'})"
            )
        return _document(row)

    def select_documents(self, names: Sequence[str] = ()) -> list[Document]:
        """The named documents (in the order given), or all of them when no name is given.

        An unknown name raises :class:`NotFoundError` naming the known documents.
        """
        return [self.document(n) for n in names] if names else self.documents()

    def find_document(self, name: str) -> Document | None:
        row = self.conn.execute("SELECT * FROM documents WHERE name = ?", (name,)).fetchone()
        return None if row is None else _document(row)

    def add_document(
        self,
        name: str,
        segments: Iterable[NewSegment],
        *,
        source_lang: str = "zh-CN",
        target_lang: str = "en-US",
        fingerprint: str = "",
        created: str | None = None,
    ) -> Document:
        """Store a new document and its segments (``created``: now, unless a restore gives it).
        Call inside :meth:`transaction`."""
        cur = self.conn.execute(
            "INSERT INTO documents (name, source_lang, target_lang, created, fingerprint) VALUES (?,?,?,?,?)",
            (name, source_lang, target_lang, created or now(), fingerprint),
        )
        doc_id = cur.lastrowid
        self.conn.executemany(
            "INSERT INTO segments (doc_id, position, para, source, mt, target, status, bead, reference, sep)"
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                (
                    doc_id,
                    pos,
                    s.para,
                    s.source,
                    s.mt,
                    s.mt if s.target is None else s.target,
                    s.status.value,
                    None if s.bead is None else str(s.bead),
                    s.reference,
                    s.sep,
                )
                for pos, s in enumerate(segments)
            ),
        )
        return self.document(doc_id)

    def delete_document(self, doc_id: int) -> None:
        """Remove a document with its segments and annotations. Call inside a transaction."""
        self.conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    def has_human_work(self, doc_id: int) -> bool:
        """Whether a person touched the document: a reviewed segment or a non-rule annotation."""
        row = self.conn.execute(
            "SELECT 1 FROM segments s WHERE s.doc_id = ? AND (s.status = ? OR EXISTS ("
            " SELECT 1 FROM annotations a WHERE a.segment_id = s.id AND a.author_kind != ?)) LIMIT 1",
            (doc_id, Status.REVIEWED.value, AuthorKind.RULE.value),
        ).fetchone()
        return row is not None

    # ---------------------------------------------------------------- segments
    def segments(self, doc_id: int) -> Iterator[Segment]:
        yield from map(_segment, self._tuples(f"{_SEGMENT} WHERE doc_id = ? AND {LIVE} ORDER BY position", (doc_id,)))

    def all_segments(self) -> Iterator[Segment]:
        yield from map(_segment, self._tuples(f"{_SEGMENT} WHERE {LIVE} ORDER BY doc_id, position"))

    def _tuples(self, sql: str, params: tuple = ()) -> sqlite3.Cursor:
        """``sql``'s rows as plain tuples (a pass reads every segment: no look-up by column name)."""
        cur = self.conn.cursor()
        cur.row_factory = None
        return cur.execute(sql, params)

    def all_targets(self) -> Iterator[str]:
        """Every live segment's target (the workspace's English, without building segments)."""
        for (target,) in self.conn.execute(f"SELECT target FROM segments WHERE {LIVE} ORDER BY doc_id, position"):
            yield target

    def segment(self, segment_id: int) -> Segment:
        row = self._tuples(f"{_SEGMENT} WHERE id = ?", (segment_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no segment with id {segment_id}")
        return _segment(row)

    def segment_ids(self, doc_id: int) -> list[int]:
        """The ids of a document's segments, in order."""
        cur = self.conn.execute(f"SELECT id FROM segments WHERE doc_id = ? AND {LIVE} ORDER BY position", (doc_id,))
        return [r[0] for r in cur]

    def segment_count(self, doc_id: int) -> int:
        return self.conn.execute(f"SELECT count(*) FROM segments WHERE doc_id = ? AND {LIVE}", (doc_id,)).fetchone()[0]

    def set_status(self, segment_id: int, status: Status) -> None:
        self.conn.execute("UPDATE segments SET status = ? WHERE id = ?", (status.value, segment_id))

    def segment_texts(self, doc_ids: Sequence[int]) -> Iterator[tuple[int, str, str, str | None, str]]:
        """``(doc_id, mt, target, reference, status)`` of the documents' segments, streamed in order."""
        yield from self.conn.execute(
            f"SELECT doc_id, mt, target, reference, status FROM segments WHERE {LIVE} AND doc_id IN ({marks(doc_ids)})"
            " ORDER BY doc_id, position",
            tuple(doc_ids),
        )

    def source_target_pairs(self, doc_id: int) -> list[tuple[str, str]]:
        """``(source, target)`` of a document's segments, in order (without building segments)."""
        return self._tuples(f"SELECT source, target FROM segments WHERE doc_id = ? AND {LIVE} ORDER BY position", (doc_id,)).fetchall()

    def segment_mts(self, doc_ids: Sequence[int]) -> Iterator[tuple[int, int, str]]:
        """``(segment_id, doc_id, mt)`` of the documents' segments, streamed in order."""
        yield from self.conn.execute(
            f"SELECT id, doc_id, mt FROM segments WHERE {LIVE} AND doc_id IN ({marks(doc_ids)}) ORDER BY doc_id, position",
            tuple(doc_ids),
        )

    # ------------------------------------------------------------------ status
    def status_counts(self) -> dict[int, dict[str, int]]:
        """Segments per status value, per document id (documents without segments left out)."""
        out: dict[int, dict[str, int]] = {}
        for doc_id, status, n in self.conn.execute(
            f"SELECT doc_id, status, count(*) FROM segments WHERE {LIVE} GROUP BY doc_id, status"
        ):
            out.setdefault(doc_id, {})[status] = n
        return out

    def status(self) -> list[DocStatus]:
        rows = self.conn.execute(
            "SELECT d.id, d.name, count(s.id) AS n,"
            " sum(s.status = 'raw') AS raw, sum(s.status = 'auto_fixed') AS auto_fixed,"
            " sum(s.status = 'reviewed') AS reviewed"
            f" FROM documents d LEFT JOIN segments s ON s.doc_id = d.id AND s.{LIVE} GROUP BY d.id ORDER BY d.id"
        ).fetchall()
        issues = self.open_issue_counts()
        return [
            DocStatus(r["name"], r["n"], r["raw"] or 0, r["auto_fixed"] or 0, r["reviewed"] or 0, issues.get(r["id"], 0))
            for r in rows
        ]

    def segment_summaries(self, doc_id: int) -> list[SegmentSummary]:
        """Every segment of a document in order, with its open issues (one query)."""
        rows = self.conn.execute(
            "SELECT s.id, s.position, s.status, count(a.id) FROM segments s"
            " LEFT JOIN annotations a ON a.segment_id = s.id AND a.state = 'suggested'"
            f" WHERE s.doc_id = ? AND s.{LIVE} GROUP BY s.id ORDER BY s.position",
            (doc_id,),
        ).fetchall()
        return [SegmentSummary(r[0], r[1], Status(r[2]), r[3]) for r in rows]

    def open_issue_count(self, doc_ids: Sequence[int], authors: Sequence[str]) -> int:
        """Open issues of the documents raised by ``authors`` (e.g. the alignment checks)."""
        if not doc_ids or not authors:
            return 0
        return self.conn.execute(
            "SELECT count(*) FROM annotations a JOIN segments s ON s.id = a.segment_id"
            f" WHERE a.state = 'suggested' AND s.{LIVE} AND s.doc_id IN ({marks(doc_ids)}) AND a.author IN ({marks(authors)})",
            (*doc_ids, *authors),
        ).fetchone()[0]

    def open_issue_counts(self) -> dict[int, int]:
        """Open issues per document: suggestions waiting for a decision, and flags."""
        rows = self.conn.execute(
            "SELECT s.doc_id, count(*) FROM annotations a JOIN segments s ON s.id = a.segment_id"
            f" WHERE a.state = 'suggested' AND s.{LIVE} GROUP BY s.doc_id"
        ).fetchall()
        return {r[0]: r[1] for r in rows}


def _document(r: sqlite3.Row) -> Document:
    return Document(r["id"], r["name"], r["source_lang"], r["target_lang"], r["created"], r["fingerprint"])


_STATUS = {s.value: s for s in Status}  # a dict look-up, not the enum's call, for each segment read


_SEGMENT = "SELECT id, doc_id, position, para, source, mt, target, status, bead, reference, sep, version FROM segments"


def _segment(r: tuple) -> Segment:
    """A row of :data:`_SEGMENT`."""
    seg_id, doc_id, position, para, source, mt, target, status, bead, reference, sep, version = r
    return Segment(seg_id, doc_id, position, para, source, mt, target, _STATUS[status],
                   None if bead is None else Bead.parse(bead), reference, sep, version)
