"""The workspace: a folder holding one SQLite database.

Every write happens inside :meth:`Workspace.transaction` (``BEGIN IMMEDIATE``), the
database runs in WAL mode, and a second process waits up to ``timeout`` seconds for a
writer instead of failing. The schema version lives in ``PRAGMA user_version`` and
:data:`MIGRATIONS` upgrades older workspaces in place.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from mtmend.corpus import edits as edit_ops
from mtmend.corpus.errors import (
    ConflictError,
    NotFoundError,
    SchemaTooNewError,
    WorkspaceBusyError,
    WorkspaceError,
)
from mtmend.corpus.model import (
    Annotation,
    AuthorKind,
    Bead,
    Document,
    Edit,
    EditState,
    Pass,
    Segment,
    Severity,
    Status,
)

DB_NAME = "mtmend.db"
DEFAULT_TIMEOUT = float(os.environ.get("MTMEND_BUSY_TIMEOUT", "30"))

# One entry per schema version; entry i upgrades a database at version i to i+1.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        source_lang TEXT NOT NULL,
        target_lang TEXT NOT NULL,
        created TEXT NOT NULL,
        fingerprint TEXT NOT NULL
    );
    CREATE TABLE segments (
        id INTEGER PRIMARY KEY,
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        para INTEGER NOT NULL,
        source TEXT NOT NULL,
        mt TEXT NOT NULL,
        target TEXT NOT NULL,
        status TEXT NOT NULL,
        bead TEXT,
        reference TEXT,
        sep TEXT NOT NULL DEFAULT '',
        UNIQUE (doc_id, position)
    );
    -- The raw machine translation is immutable once imported.
    CREATE TRIGGER segments_mt_immutable BEFORE UPDATE OF mt, source ON segments
    BEGIN SELECT RAISE(ABORT, 'raw machine translation and source are immutable'); END;
    CREATE TABLE annotations (
        id INTEGER PRIMARY KEY,
        segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        author TEXT NOT NULL,
        author_kind TEXT NOT NULL,
        category TEXT NOT NULL,
        severity TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        before TEXT NOT NULL,
        after TEXT,
        auto INTEGER NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL,
        created TEXT NOT NULL,
        pass_id INTEGER REFERENCES passes(id),
        comment TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX annotations_segment ON annotations(segment_id, seq);
    CREATE TABLE passes (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        started TEXT NOT NULL,
        finished TEXT,
        detail TEXT NOT NULL DEFAULT '',
        summary TEXT NOT NULL DEFAULT '{}'
    );
    -- Who is reviewing which document, so two reviewers are told instead of clashing.
    CREATE TABLE review_locks (
        doc_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        holder TEXT NOT NULL,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        since TEXT NOT NULL
    );
    """,
    """
    -- One row per review decision and the steps that undo it (JSON written by
    -- mtmend.cleaner.review), so undo survives a killed session.
    CREATE TABLE review_log (
        id INTEGER PRIMARY KEY,
        pass_id INTEGER REFERENCES passes(id),
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
        action TEXT NOT NULL,
        reviewer TEXT NOT NULL,
        created TEXT NOT NULL,
        undo TEXT NOT NULL,
        undone INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX review_log_doc ON review_log(doc_id, undone, id);
    """,
    """
    -- Where documents imported from an MQM file (mtmend.corpus.mqm_workspace) came from,
    -- so their raters are kept apart when scoring and `mtmend mqm export` writes the file back.
    CREATE TABLE mqm_documents (
        doc_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        system TEXT NOT NULL,
        doc TEXT NOT NULL,
        header TEXT NOT NULL
    );
    CREATE TABLE mqm_segments (
        segment_id INTEGER PRIMARY KEY REFERENCES segments(id) ON DELETE CASCADE,
        doc_seg_id TEXT NOT NULL,
        global_seg_id TEXT NOT NULL
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def now() -> str:
    """UTC time as ISO 8601 with seconds, the format every table uses."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


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


def resolve_workspace(option: str | None) -> Path:
    """``--workspace`` if given, else ``$MTMEND_WORKSPACE``, else the current directory."""
    return Path(option or os.environ.get("MTMEND_WORKSPACE") or ".")


class Workspace:
    """An open workspace. Use as a context manager, or call :meth:`close`."""

    def __init__(self, folder: Path, conn: sqlite3.Connection):
        self.folder = folder
        self.conn = conn

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, folder: Path | str, *, create: bool = False, timeout: float = DEFAULT_TIMEOUT) -> Workspace:
        folder = Path(folder)
        db = folder / DB_NAME
        if not db.exists():
            if not create:
                raise WorkspaceError(
                    f"no workspace in {folder}: import an article first (mtmend import) "
                    "or point -w/--workspace at one"
                )
            if folder.exists() and not folder.is_dir():
                raise WorkspaceError(f"workspace path {folder} is a file, not a folder")
            folder.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(db, timeout=timeout, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise WorkspaceError(f"{db}: could not switch to WAL mode ({mode})")
            conn.execute("PRAGMA synchronous = FULL")
        except sqlite3.DatabaseError as exc:
            raise _translate(exc, db) from exc
        ws = cls(folder, conn)
        try:
            ws._migrate()
        except BaseException:
            conn.close()
            raise
        return ws

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise SchemaTooNewError(
                f"{self.folder / DB_NAME} has schema version {version}, this mtmend knows "
                f"up to {SCHEMA_VERSION}: upgrade mtmend to open it"
            )
        if version == SCHEMA_VERSION:
            return
        with self.transaction():
            # Re-read under the write lock: another process may have migrated meanwhile.
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            for step in range(version, SCHEMA_VERSION):
                for statement in _statements(MIGRATIONS[step]):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {step + 1}")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; rolls back on any exception."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _translate(exc, self.folder / DB_NAME) from exc
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self.conn.execute("ROLLBACK")
            raise _translate(exc, self.folder / DB_NAME) from exc

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
            names = ", ".join(d.name for d in self.documents()) or "none"
            raise NotFoundError(f"no document {name_or_id!r} in the workspace (documents: {names})")
        return _document(row)

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
    ) -> Document:
        """Store a new document and its segments. Call inside :meth:`transaction`."""
        cur = self.conn.execute(
            "INSERT INTO documents (name, source_lang, target_lang, created, fingerprint) VALUES (?,?,?,?,?)",
            (name, source_lang, target_lang, now(), fingerprint),
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

    # ---------------------------------------------------------------- segments
    def segments(self, doc_id: int) -> Iterator[Segment]:
        cur = self.conn.execute(
            "SELECT * FROM segments WHERE doc_id = ? ORDER BY position", (doc_id,)
        )
        for row in cur:
            yield _segment(row)

    def all_segments(self) -> Iterator[Segment]:
        for row in self.conn.execute("SELECT * FROM segments ORDER BY doc_id, position"):
            yield _segment(row)

    def segment(self, segment_id: int) -> Segment:
        row = self.conn.execute("SELECT * FROM segments WHERE id = ?", (segment_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no segment with id {segment_id}")
        return _segment(row)

    def segment_count(self, doc_id: int) -> int:
        return self.conn.execute("SELECT count(*) FROM segments WHERE doc_id = ?", (doc_id,)).fetchone()[0]

    def set_status(self, segment_id: int, status: Status) -> None:
        self.conn.execute("UPDATE segments SET status = ? WHERE id = ?", (status.value, segment_id))

    # ------------------------------------------------------------- annotations
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
            " WHERE s.doc_id = ? ORDER BY s.position, a.seq, a.id",
            (doc_id,),
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
    ) -> Annotation:
        """Record ``edit``; if ``state`` is APPLIED, apply it to the segment's target.

        The edit's span refers to the current target. Call inside :meth:`transaction`.
        """
        seg = self.segment(segment_id)
        if state is EditState.APPLIED:
            target = edit_ops.apply_edit(seg.target, edit)
            self._set_target(seg, target, edit.author_kind)
        seq = self._next_seq(segment_id)
        cur = self.conn.execute(
            'INSERT INTO annotations (segment_id, seq, author, author_kind, category, severity, start, "end",'
            " before, after, auto, note, state, created, pass_id, comment)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                segment_id, seq, edit.author, edit.author_kind.value, edit.category,
                edit.severity.value, edit.start, edit.end, edit.before, edit.after,
                int(edit.auto), edit.note, state.value, created or now(), pass_id, comment,
            ),
        )
        return self.annotation(cur.lastrowid)

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
        edit = _locate(seg.target, ann.edit)
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

    def rebuild_target(self, segment_id: int) -> str:
        """Replay the applied annotations onto the raw MT (a consistency check and repair)."""
        seg = self.segment(segment_id)
        edits = [a.edit for a in self.annotations(segment_id, [EditState.APPLIED])]
        return edit_ops.replay(seg.mt, edits)

    def _set_target(self, seg: Segment, target: str, kind: AuthorKind) -> None:
        status = seg.status
        if kind is AuthorKind.RULE and status is Status.RAW:
            status = Status.AUTO_FIXED
        self.conn.execute(
            "UPDATE segments SET target = ?, status = ? WHERE id = ?", (target, status.value, seg.id)
        )

    def _set_state(self, annotation_id: int, state: EditState) -> None:
        self.conn.execute("UPDATE annotations SET state = ? WHERE id = ?", (state.value, annotation_id))

    def _next_seq(self, segment_id: int) -> int:
        row = self.conn.execute("SELECT max(seq) FROM annotations WHERE segment_id = ?", (segment_id,)).fetchone()
        return 0 if row[0] is None else row[0] + 1

    def open_issue_counts(self) -> dict[int, int]:
        """Open issues per document: suggestions waiting for a decision, and flags."""
        rows = self.conn.execute(
            "SELECT s.doc_id, count(*) FROM annotations a JOIN segments s ON s.id = a.segment_id"
            " WHERE a.state = 'suggested' GROUP BY s.doc_id"
        ).fetchall()
        return {r[0]: r[1] for r in rows}

    # ------------------------------------------------------------------ passes
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

    # ------------------------------------------------------------------ status
    def status(self) -> list[DocStatus]:
        rows = self.conn.execute(
            "SELECT d.id, d.name, count(s.id) AS n,"
            " sum(s.status = 'raw') AS raw, sum(s.status = 'auto_fixed') AS auto_fixed,"
            " sum(s.status = 'reviewed') AS reviewed"
            " FROM documents d LEFT JOIN segments s ON s.doc_id = d.id GROUP BY d.id ORDER BY d.id"
        ).fetchall()
        issues = self.open_issue_counts()
        return [
            DocStatus(r["name"], r["n"], r["raw"] or 0, r["auto_fixed"] or 0, r["reviewed"] or 0, issues.get(r["id"], 0))
            for r in rows
        ]


    # ------------------------------------------------------------------ review
    def segment_summaries(self, doc_id: int) -> list[SegmentSummary]:
        """Every segment of a document in order, with its open issues (one query)."""
        rows = self.conn.execute(
            "SELECT s.id, s.position, s.status, count(a.id) FROM segments s"
            " LEFT JOIN annotations a ON a.segment_id = s.id AND a.state = 'suggested'"
            " WHERE s.doc_id = ? GROUP BY s.id ORDER BY s.position",
            (doc_id,),
        ).fetchall()
        return [SegmentSummary(r[0], r[1], Status(r[2]), r[3]) for r in rows]

    def annotation_facets(self, doc_id: int) -> list[tuple[str, str, int]]:
        """Distinct (author, category) of a document's annotations, with counts."""
        rows = self.conn.execute(
            "SELECT a.author, a.category, count(*) FROM annotations a JOIN segments s ON s.id = a.segment_id"
            " WHERE s.doc_id = ? GROUP BY a.author, a.category ORDER BY a.author, a.category",
            (doc_id,),
        ).fetchall()
        return [(r[0], r[1], r[2]) for r in rows]

    def segments_annotated(self, doc_id: int, *, author: str | None = None, category: str | None = None) -> set[int]:
        """Ids of the document's segments with an annotation by ``author`` and/or in ``category``."""
        rows = self.conn.execute(
            "SELECT DISTINCT a.segment_id FROM annotations a JOIN segments s ON s.id = a.segment_id"
            " WHERE s.doc_id = ? AND (? IS NULL OR a.author = ?) AND (? IS NULL OR a.category = ?)",
            (doc_id, author, author, category, category),
        ).fetchall()
        return {r[0] for r in rows}

    def review_lock(self, doc_id: int) -> ReviewLock | None:
        row = self.conn.execute("SELECT * FROM review_locks WHERE doc_id = ?", (doc_id,)).fetchone()
        return None if row is None else ReviewLock(row["doc_id"], row["holder"], row["pid"], row["host"], row["since"])

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

    def last_review(self, doc_ids: Iterable[int]) -> ReviewLogEntry | None:
        """The latest decision on these documents that has not been undone."""
        ids = list(doc_ids)
        marks = ",".join("?" * len(ids))
        row = self.conn.execute(
            f"SELECT * FROM review_log WHERE undone = 0 AND doc_id IN ({marks}) ORDER BY id DESC LIMIT 1", ids
        ).fetchone()
        if row is None:
            return None
        return ReviewLogEntry(
            row["id"], row["pass_id"], row["doc_id"], row["segment_id"], row["action"], row["reviewer"],
            row["created"], row["undo"], bool(row["undone"]),
        )

    def mark_review_undone(self, entry_id: int) -> None:
        self.conn.execute("UPDATE review_log SET undone = 1 WHERE id = ?", (entry_id,))

    def review_counts(self, pass_id: int) -> dict[str, int]:
        """Decisions of a review pass per action (undone ones excluded)."""
        rows = self.conn.execute(
            "SELECT action, count(*) FROM review_log WHERE pass_id = ? AND undone = 0 GROUP BY action", (pass_id,)
        ).fetchall()
        return {r[0]: r[1] for r in rows}


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (triggers contain inner semicolons)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def _locate(target: str, edit: Edit) -> Edit:
    """Find where a (possibly stale) suggestion applies in the current target."""
    if target[edit.start : edit.end] == edit.before:
        return edit
    if edit.before and target.count(edit.before) == 1:
        at = target.index(edit.before)
        return edit.shifted(at - edit.start)
    raise ConflictError(
        f"suggestion by {edit.author} no longer fits the target ({edit.before!r} not found): "
        "re-run mtmend clean or edit by hand"
    )


def _translate(exc: sqlite3.DatabaseError, db: Path) -> WorkspaceError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return WorkspaceBusyError(
            f"workspace {db} is locked by another process: wait for it to finish, "
            "or raise MTMEND_BUSY_TIMEOUT (seconds)"
        )
    if "not a database" in text or "malformed" in text:
        return WorkspaceError(f"{db} is not an mtmend workspace database ({text})")
    return WorkspaceError(f"{db}: {text}")


def _document(r: sqlite3.Row) -> Document:
    return Document(r["id"], r["name"], r["source_lang"], r["target_lang"], r["created"], r["fingerprint"])


def _segment(r: sqlite3.Row) -> Segment:
    return Segment(
        r["id"], r["doc_id"], r["position"], r["para"], r["source"], r["mt"], r["target"],
        Status(r["status"]), None if r["bead"] is None else Bead.parse(r["bead"]), r["reference"], r["sep"],
    )


def _annotation(r: sqlite3.Row) -> Annotation:
    edit = Edit(
        r["start"], r["end"], r["before"], r["after"], r["author"], r["category"],
        Severity(r["severity"]), bool(r["auto"]), r["note"], AuthorKind(r["author_kind"]),
    )
    return Annotation(
        r["id"], r["segment_id"], r["seq"], edit, EditState(r["state"]), r["created"], r["pass_id"], r["comment"]
    )
