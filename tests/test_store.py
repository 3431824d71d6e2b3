"""The workspace store: schema versions, transactions, concurrency, reversible edits."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time

import pytest

from mtmend.corpus.errors import ConflictError, SchemaTooNewError, WorkspaceBusyError, WorkspaceError
from mtmend.corpus.model import Edit, EditState, Severity, Status
from mtmend.corpus.store import DB_NAME, SCHEMA_VERSION, NewSegment, Workspace


def _edit(start, end, before, after, rule="test-rule"):
    return Edit(start, end, before, after, rule, "Fluency/Punctuation", Severity.MINOR)


@pytest.fixture
def ws(tmp_path):
    with Workspace.open(tmp_path, create=True) as ws:
        with ws.transaction():
            ws.add_document("doc", [NewSegment(0, "这是一个测试。", "This is , a test .")])
        yield ws


def _seg(ws):
    return next(ws.segments(ws.document("doc").id))


def test_new_workspace_is_wal_and_current_schema(tmp_path):
    with Workspace.open(tmp_path, create=True) as ws:
        assert ws.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert ws.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_missing_workspace_is_an_error_not_a_new_database(tmp_path):
    with pytest.raises(WorkspaceError, match="no workspace"):
        Workspace.open(tmp_path / "nowhere")
    assert not (tmp_path / "nowhere").exists()


def test_newer_schema_is_refused(tmp_path):
    Workspace.open(tmp_path, create=True).close()
    conn = sqlite3.connect(tmp_path / DB_NAME)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(SchemaTooNewError, match="upgrade mtmend"):
        Workspace.open(tmp_path)


def test_not_a_database(tmp_path):
    (tmp_path / DB_NAME).write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(WorkspaceError, match="not an mtmend workspace"):
        Workspace.open(tmp_path)


def test_raw_mt_is_immutable(ws):
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        with ws.transaction():
            ws.conn.execute("UPDATE segments SET mt = 'changed'")
    assert _seg(ws).mt == "This is , a test ."


def test_failed_transaction_leaves_nothing(ws):
    seg = _seg(ws)
    with pytest.raises(ConflictError):
        with ws.transaction():
            ws.add_annotation(seg.id, _edit(7, 9, " ,", ","), EditState.APPLIED)
            ws.add_annotation(seg.id, _edit(0, 4, "That", "This"), EditState.APPLIED)  # does not fit
    assert _seg(ws).target == seg.mt
    assert ws.annotations(seg.id) == []


def test_applied_edits_replay_and_revert_independently(ws):
    seg = _seg(ws)
    with ws.transaction():
        first = ws.add_annotation(seg.id, _edit(7, 9, " ,", ""), EditState.APPLIED)  # "This is a test ."
        second = ws.add_annotation(seg.id, _edit(14, 16, " .", "."), EditState.APPLIED)
    assert _seg(ws).target == "This is a test."
    assert _seg(ws).status is Status.AUTO_FIXED
    with ws.transaction():
        ws.revert(first.id)
    # The later edit survives, rebased onto the restored text.
    assert _seg(ws).target == "This is , a test."
    assert ws.rebuild_target(seg.id) == _seg(ws).target
    assert ws.annotation(first.id).state is EditState.REVERTED
    with ws.transaction():
        ws.revert(second.id)
    assert _seg(ws).target == seg.mt
    assert _seg(ws).status is Status.RAW


def test_revert_refuses_when_a_later_edit_builds_on_it(ws):
    seg = _seg(ws)
    with ws.transaction():
        first = ws.add_annotation(seg.id, _edit(0, 4, "This", "That"), EditState.APPLIED)
        ws.add_annotation(seg.id, _edit(0, 4, "That", "What"), EditState.APPLIED, )
    with pytest.raises(ConflictError, match="revert it first"):
        with ws.transaction():
            ws.revert(first.id)
    assert _seg(ws).target.startswith("What")


def test_suggestion_accept_and_reject(ws):
    seg = _seg(ws)
    with ws.transaction():
        sug = ws.add_annotation(seg.id, _edit(14, 16, " .", "."), EditState.SUGGESTED)
        other = ws.add_annotation(seg.id, _edit(7, 9, " ,", ""), EditState.SUGGESTED)
    assert _seg(ws).target == seg.mt
    assert ws.status()[0].open_issues == 2
    with ws.transaction():
        ws.accept(other.id)  # shifts the text before the first suggestion's span
        ws.accept(sug.id)  # still found: the stale span is relocated by its text
    assert _seg(ws).target == "This is a test."
    with ws.transaction():
        ws.revert(sug.id, to=EditState.SUGGESTED)
        ws.reject(sug.id)
    assert _seg(ws).target == "This is a test ."
    assert ws.status()[0].open_issues == 0


def _hold_write_lock(folder, seconds):
    """A second process that takes the write lock and keeps it for a while."""
    code = (
        "import sqlite3, sys, time\n"
        f"c = sqlite3.connect({str(folder / DB_NAME)!r}, isolation_level=None)\n"
        "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True)\n"
        f"time.sleep({seconds}); c.execute('COMMIT')\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_second_writer_waits_for_the_first(ws, tmp_path):
    holder = _hold_write_lock(tmp_path, 1.0)
    start = time.monotonic()
    seg = _seg(ws)
    with ws.transaction():  # waits (busy timeout) instead of failing
        ws.set_status(seg.id, Status.REVIEWED)
    assert time.monotonic() - start > 0.5
    holder.wait()
    assert _seg(ws).status is Status.REVIEWED


def test_lock_held_too_long_is_a_clear_error(tmp_path):
    Workspace.open(tmp_path, create=True).close()
    holder = _hold_write_lock(tmp_path, 3.0)
    try:
        with Workspace.open(tmp_path, timeout=0.3) as ws:
            with pytest.raises(WorkspaceBusyError, match="locked by another process"):
                with ws.transaction():
                    pass
    finally:
        holder.wait()


def test_cli_reports_locked_workspace(tmp_path, cli):
    (tmp_path / "a.tsv").write_text("你好。\tHello.\n", encoding="utf-8")
    assert cli("-w", tmp_path, "import", tmp_path / "a.tsv")[0] == 0
    (tmp_path / "b.tsv").write_text("再见。\tGoodbye.\n", encoding="utf-8")
    holder = _hold_write_lock(tmp_path, 3.0)
    try:
        env_before = os.environ.get("MTMEND_BUSY_TIMEOUT")
        proc = subprocess.run(
            [sys.executable, "-m", "mtmend.cli.main", "-w", str(tmp_path), "import", str(tmp_path / "b.tsv")],
            env={**os.environ, "MTMEND_BUSY_TIMEOUT": "0.3"}, capture_output=True, text=True,
        )
        assert env_before == os.environ.get("MTMEND_BUSY_TIMEOUT")
    finally:
        holder.wait()
    assert proc.returncode == 3
    assert "locked by another process" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
