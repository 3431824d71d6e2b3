"""Opening a workspace: a folder holding one SQLite database.

Every write happens inside :meth:`Workspace.transaction` (``BEGIN IMMEDIATE``), the
database runs in WAL mode, and a second process waits up to ``timeout`` seconds for a
writer instead of failing. Opening migrates older workspaces (:mod:`.schema`).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mtmend.corpus.errors import SchemaTooNewError, WorkspaceBusyError, WorkspaceError
from mtmend.corpus.store.annotations import AnnotationStore
from mtmend.corpus.store.documents import DocumentStore
from mtmend.corpus.store.mqm import MqmStore
from mtmend.corpus.store.passes import PassStore
from mtmend.corpus.store.realign import RealignStore
from mtmend.corpus.store.review import ReviewStore
from mtmend.corpus.store.schema import MIGRATIONS, SCHEMA_VERSION, statements
from mtmend.corpus.store.stats import StatsStore
from mtmend.corpus.store.writes import WritesStore

DB_NAME = "mtmend.db"
DEFAULT_TIMEOUT = 30.0  # seconds; $MTMEND_BUSY_TIMEOUT overrides (mtmend.corpus.environment)


def resolve_workspace(option: str | None) -> Path:
    """``--workspace`` if given, else ``$MTMEND_WORKSPACE``, else the current directory."""
    return Path(option or os.environ.get("MTMEND_WORKSPACE") or ".")


class Workspace(DocumentStore, AnnotationStore, PassStore, MqmStore, ReviewStore, RealignStore, StatsStore,
                WritesStore):
    """An open workspace. Use as a context manager, or call :meth:`close`.

    Its methods, one group of tables each, come from the store's modules; nothing
    outside :mod:`mtmend.corpus.store` writes SQL.
    """

    def __init__(self, folder: Path, conn: sqlite3.Connection):
        self.folder = folder
        self.conn = conn

    @classmethod
    def open(cls, folder: Path | str, *, create: bool = False, timeout: float | None = None) -> Workspace:
        from mtmend.corpus.environment import busy_timeout

        timeout = busy_timeout() if timeout is None else timeout
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
                for statement in statements(MIGRATIONS[step]):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {step + 1}")

    @classmethod
    @contextmanager
    def opened(cls, folder: Path | str, *, create: bool = False) -> Iterator[Workspace]:
        """:meth:`open` as a context manager that leaves nothing behind when it created the workspace.

        If the block fails, a database this call created is removed with its WAL files
        (and the folder, if it created it and it is empty): a command that failed before
        writing leaves no empty workspace behind.
        """
        folder = Path(folder)
        db = folder / DB_NAME
        new_db, new_folder = not db.exists(), not folder.exists()
        ws = cls.open(folder, create=create)
        try:
            yield ws
        except BaseException:
            ws.close()
            if new_db and create and not _holds_documents(db):
                for path in (db, db.with_name(DB_NAME + "-wal"), db.with_name(DB_NAME + "-shm")):
                    path.unlink(missing_ok=True)
                if new_folder and not any(folder.iterdir()):
                    folder.rmdir()
            raise
        ws.close()

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


def _holds_documents(db: Path) -> bool:
    """Whether a closed workspace database holds a document (another process may have written one)."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT 1 FROM documents LIMIT 1").fetchone() is not None
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()


def _translate(exc: sqlite3.DatabaseError, db: Path) -> WorkspaceError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return WorkspaceBusyError(
            f"workspace {db} is locked by another process: wait for it to finish, "
            "or raise MTMEND_BUSY_TIMEOUT (seconds)"
        )
    if "not a database" in text or "malformed" in text or "disk I/O" in text:
        return damaged_workspace(db.parent, exc)
    return WorkspaceError(f"{db}: {text}")


def damaged_workspace(folder: Path | str | None, exc: sqlite3.DatabaseError) -> WorkspaceError:
    """The error (exit 3) for a workspace database SQLite cannot read: what to check, how to recover."""
    db = resolve_workspace(str(folder) if folder else None) / DB_NAME
    return WorkspaceError(
        f"{db} is damaged, unreadable or not an mtmend workspace database ({exc}); nothing was changed. Check it with "
        f"sqlite3 {db} 'PRAGMA integrity_check', or restore your last full TMX export into a new "
        "workspace (mtmend -w NEW_FOLDER import ARCHIVE.tmx)"
    )
