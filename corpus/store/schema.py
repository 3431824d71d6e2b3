"""The workspace schema: one migration per version, the clock format, SQL helpers.

The schema version lives in ``PRAGMA user_version``; :data:`MIGRATIONS` upgrades older
workspaces in place (entry *i* upgrades version *i* to *i + 1*). Migrations only ever add.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime

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
    """
    -- The raw MT and source survive INSERT OR REPLACE (which deletes the old row without
    -- firing UPDATE triggers) and DELETE: a segment row goes only with its document.
    CREATE TRIGGER segments_never_replaced BEFORE INSERT ON segments
    WHEN EXISTS (SELECT 1 FROM segments WHERE id = NEW.id OR (doc_id = NEW.doc_id AND position = NEW.position))
    BEGIN SELECT RAISE(ABORT, 'raw machine translation and source are immutable: a segment cannot be replaced'); END;
    CREATE TRIGGER segments_deleted_only_with_document BEFORE DELETE ON segments
    WHEN EXISTS (SELECT 1 FROM documents WHERE id = OLD.doc_id)
    BEGIN SELECT RAISE(ABORT, 'raw machine translation is immutable: segments are deleted only with their document'); END;
    -- A version per segment, bumped by every change of its target or status, so a review
    -- decision computed from an older version is refused (mtmend.review.session).
    ALTER TABLE segments ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    CREATE TRIGGER segments_version AFTER UPDATE OF target, status ON segments
    BEGIN UPDATE segments SET version = OLD.version + 1 WHERE id = NEW.id; END;
    -- The process that runs a pass, so a pass whose process died is closed as interrupted.
    ALTER TABLE passes ADD COLUMN pid INTEGER;
    ALTER TABLE passes ADD COLUMN host TEXT;
    """,
    """
    -- Pass snapshots carry the number of their JSON form (SNAPSHOT_VERSION in
    -- mtmend.corpus.snapshot); the ones written before were form 1 without saying so.
    -- A new form comes with a migration here that rewrites the stored snapshots.
    UPDATE passes SET summary = json_set(summary, '$.snapshot.version', 1)
    WHERE json_type(summary, '$.snapshot') = 'object';
    -- The pass whose session undid a decision: a review that only undid still decided.
    ALTER TABLE review_log ADD COLUMN undone_by INTEGER REFERENCES passes(id);
    """,
    """
    -- Each segment's sacrebleu statistics with the digest of what they depend on
    -- (mtmend.corpus.stats_cache), so a pass rescores only the segments whose texts changed.
    CREATE TABLE segment_stats (
        segment_id INTEGER PRIMARY KEY REFERENCES segments(id) ON DELETE CASCADE,
        digest BLOB NOT NULL,
        stats TEXT NOT NULL
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


_CLOCK: list = [None, ""]  # the last second formatted, and its text: a pass stamps thousands of rows a second


def now() -> str:
    """UTC time as ISO 8601 with seconds, the format every table uses."""
    second = int(time.time())
    if second != _CLOCK[0]:
        _CLOCK[:] = [second, datetime.fromtimestamp(second, UTC).isoformat().replace("+00:00", "Z")]
    return _CLOCK[1]


def marks(values) -> str:
    """``?,?,?`` for an ``IN (…)`` list of ``values``."""
    return ",".join("?" * len(values))


def statements(script: str) -> list[str]:
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
