"""Hostile inputs outside TMX: environment, sizes, encodings, a damaged workspace, raw-MT guards,
interrupted passes, escape sequences. Each is a one-line error (or a visible, harmless result)
and changes nothing. The TMX side is tests/test_hostile_tmx.py."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLE_DOCS, SAMPLES
from mtmend.corpus.store import Workspace

DOC = SAMPLE_DOCS[0]
ZH, EN = SAMPLES / f"{DOC}.zh.txt", SAMPLES / f"{DOC}.txt"


def _mtmend(*argv, env=None, stdin: bytes | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mtmend.cli.main", *map(str, argv)], input=stdin,
                          capture_output=True, env={**os.environ, **(env or {})}, timeout=timeout)


def _one_line(err: str | bytes) -> str:
    text = err.decode("utf-8", "replace") if isinstance(err, bytes) else err
    assert "Traceback" not in text, text
    lines = text.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mtmend: error: "), text
    return lines[0]


# ------------------------------------------------------------------ environment
@pytest.mark.parametrize("value", ["abc", "nan", "inf", "-1", "1e400", "  "])
def test_busy_timeout_values_are_checked(cli, sample_workspace, monkeypatch, value):
    monkeypatch.setenv("MTMEND_BUSY_TIMEOUT", value)
    code, out, err = cli("-w", sample_workspace, "status")
    if not value.strip():
        assert code == 0  # empty: the default
        return
    assert code == 2 and "MTMEND_BUSY_TIMEOUT" in _one_line(err)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "101", "1e400", "abc"])
@pytest.mark.parametrize("command", ["report", "mqm"])
def test_pass_marks_that_decide_nothing_are_refused(sample_workspace, tmp_path, command, value):
    """A quality score is at most 100: a mark above it, or not a finite number, is a typo."""
    argv = (["-w", sample_workspace, "report", "--html", tmp_path / "r.html"] if command == "report"
            else ["mqm", "score", tmp_path / "none.tsv", "--per-words"])
    run = _mtmend(*argv, f"--threshold={value}")
    err = run.stderr.decode("utf-8")
    assert run.returncode == 2 and "Traceback" not in err and "--threshold" in err.strip().splitlines()[-1]
    assert not (tmp_path / "r.html").exists()


# ------------------------------------------------------------------ sizes
def test_import_from_dev_zero_fails_cleanly(tmp_path):
    run = _mtmend("-w", tmp_path / "ws", "import", ZH, "/dev/zero", timeout=60)
    assert run.returncode == 2 and "/dev/zero" in _one_line(run.stderr)
    assert not (tmp_path / "ws" / "mtmend.db").exists() or _documents(tmp_path / "ws") == 0


def test_file_size_limit_is_an_option(cli, tmp_path):
    code, _, err = cli("-w", tmp_path / "ws", "import", "--max-file-bytes", "1000", ZH, EN)
    assert code == 2 and "larger than 1,000 bytes" in _one_line(err) and "--max-file-bytes" in err


@pytest.mark.parametrize("command", ["score", "import"])
def test_mqm_field_over_128_kib_is_read_not_a_traceback(cli, tmp_path, command):
    header = "system\tdoc\tdoc_id\tseg_id\trater\tsource\ttarget\tcategory\tseverity\n"
    long = "很" * 140_000
    path = tmp_path / "long.tsv"
    path.write_text(header + f"sys\td\t1\t1\tr1\t{long}\tA fine sentence.\tNo-error\tNo-error\n", encoding="utf-8")
    argv = ["mqm", "score", path] if command == "score" else ["-w", tmp_path / "ws", "mqm", "import", path]
    code, _, err = cli(*argv)
    assert code == 0, err


def test_mqm_field_over_the_limit_names_the_line(cli, tmp_path, monkeypatch):
    from mtmend.corpus import mqm_read

    monkeypatch.setattr(mqm_read, "MAX_FIELD_CHARS", 200_000)
    import csv

    csv.field_size_limit(131072)  # as a fresh process has it
    path = tmp_path / "huge.tsv"
    path.write_text("system\tdoc\tdoc_id\tseg_id\trater\tsource\ttarget\tcategory\tseverity\n"
                    + "s\td\t1\t1\tr\t" + "x" * 300_000 + "\tt\tNo-error\tNo-error\n", encoding="utf-8")
    code, _, err = cli("mqm", "score", path)
    assert code == 2 and "huge.tsv:2" in _one_line(err)


# ------------------------------------------------------------------ encodings
def test_ascii_stdout_still_gets_utf8_data_from_clean(tmp_path):
    text = "北京 is the capital of China ,and Zürich is not.\n".encode()
    run = _mtmend("clean", "-", env={"PYTHONIOENCODING": "ascii"}, stdin=text)
    assert run.returncode == 0, run.stderr
    assert run.stdout.decode("utf-8").startswith("北京 is the capital of China") and "Zürich" in run.stdout.decode()


def test_ascii_messages_are_escaped_not_a_traceback(tmp_path):
    bad = tmp_path / "文件.txt"
    bad.write_text("only English here\n", encoding="utf-8")
    run = _mtmend("-w", tmp_path / "ws", "import", bad, EN, env={"PYTHONIOENCODING": "ascii"})
    assert run.returncode == 2
    line = _one_line(run.stderr)
    assert "\\u6587" in line or "\\xe6" in line


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_english_side_is_never_guessed(cli, tmp_path, encoding):
    en = tmp_path / "en.txt"
    en.write_bytes(EN.read_text(encoding="utf-8").replace("China", "Zürich").encode(encoding, "replace"))
    code, _, err = cli("-w", tmp_path / "ws", "import", ZH, en)
    assert code == 2 and "--encoding" in _one_line(err) and not (tmp_path / "ws" / "mtmend.db").exists() \
        or _documents(tmp_path / "ws") == 0
    code, _, err = cli("-w", tmp_path / "ok", "import", "--encoding", encoding, ZH, en)
    assert code == 0, err
    with Workspace.open(tmp_path / "ok") as ws:
        mts = " ".join(s.mt for s in ws.all_segments())
    assert "Zürich" in mts and "黵" not in mts


def test_gb18030_chinese_file_is_read_and_said(cli, tmp_path):
    zh = tmp_path / "zh.txt"
    zh.write_bytes(ZH.read_text(encoding="utf-8").encode("gb18030"))
    code, _, err = cli("-w", tmp_path / "ws", "import", zh, EN, "--name", DOC)
    assert code == 0 and f"{zh}: read as GB18030 (guessed" in err


# ------------------------------------------------------------------ workspace
def _documents(folder: Path) -> int:
    with sqlite3.connect(folder / "mtmend.db") as conn:
        return conn.execute("SELECT count(*) FROM documents").fetchone()[0]


@pytest.fixture
def damaged(sample_workspace) -> Path:
    """The sample workspace with its segment pages overwritten (header page intact)."""
    db = sample_workspace / "mtmend.db"
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = db.stat().st_size
    with open(db, "r+b") as handle:
        handle.seek(4096 * 2)
        handle.write(os.urandom(min(size - 4096 * 2, 4096 * 40)))
    return sample_workspace


@pytest.mark.parametrize("argv", [["status"], ["export", "-o", "-", "--format", "tmx"], ["clean"], ["progress"]])
def test_damaged_workspace_is_exit_3_with_advice(cli, damaged, argv):
    code, out, err = cli("-w", damaged, *argv)
    assert code == 3, err
    line = _one_line(err)
    assert "PRAGMA integrity_check" in line and "full TMX" in line


@pytest.mark.parametrize("sql", [
    "INSERT OR REPLACE INTO segments (id, doc_id, position, para, source, mt, target, status)"
    " SELECT id, doc_id, position, para, source, 'forged', target, status FROM segments LIMIT 1",
    "REPLACE INTO segments (doc_id, position, para, source, mt, target, status)"
    " SELECT doc_id, position, para, source, 'forged', target, status FROM segments LIMIT 1",
    "DELETE FROM segments WHERE id = (SELECT min(id) FROM segments)",
    "UPDATE segments SET mt = 'forged' WHERE id = (SELECT min(id) FROM segments)",
])
def test_raw_mt_cannot_be_replaced_or_deleted(sample_workspace, sql):
    with Workspace.open(sample_workspace) as ws:
        before = [(s.id, s.mt) for s in ws.all_segments()]
        with pytest.raises(sqlite3.IntegrityError, match="immutable"):
            ws.conn.execute(sql)
        assert [(s.id, s.mt) for s in ws.all_segments()] == before
        with ws.transaction():
            ws.delete_document(ws.document(DOC).id)  # with its document, segments do go
        assert ws.find_document(DOC) is None


def test_a_killed_pass_is_closed_as_interrupted_by_the_next(cli, sample_workspace):
    killer = ("import os, sys\nfrom mtmend.corpus.store import Workspace\n"
              "ws = Workspace.open(sys.argv[1])\nwith ws.transaction():\n    print(ws.begin_pass('clean'))\n"
              "sys.stdout.flush(); os.kill(os.getpid(), 9)\n")
    run = subprocess.run([sys.executable, "-c", killer, str(sample_workspace)], capture_output=True, text=True)
    assert run.returncode == -9
    killed = int(run.stdout)
    assert cli("-w", sample_workspace, "clean")[0] == 0
    with Workspace.open(sample_workspace) as ws:
        closed = next(p for p in ws.passes() if p.id == killed)
    assert closed.finished and closed.summary == {"interrupted": True}
    code, out, _ = cli("-w", sample_workspace, "progress")
    assert code == 0 and "clean (interrupted)" in out


# ------------------------------------------------------------------ terminal
ESCAPES = ["\x1b]52;c;ZXZpbA==\x07", "\x1b[2J", "\u202e", "\x9b31m"]


@pytest.mark.parametrize("escape", ESCAPES)
def test_review_plain_shows_control_characters_visibly(cli, tmp_path, escape):
    from mtmend.corpus.model import AuthorKind, Edit, EditState, Severity

    long = "Beijing is the capital of China and the seat of its government, as it has been for centuries. " * 3
    tsv = tmp_path / "doc.tsv"
    tsv.write_text(f"北京是中国的首都。\t{long}{escape} The end.\n", encoding="utf-8")
    assert cli("-w", tmp_path / "ws", "import", tsv)[0] == 0
    with Workspace.open(tmp_path / "ws") as ws, ws.transaction():
        seg = next(ws.all_segments())
        ws.add_annotation(seg.id, Edit(0, 7, "Beijing", "Peking", "r", "Other", Severity.MINOR,
                                       author_kind=AuthorKind.RULE), EditState.SUGGESTED)
    run = _mtmend("-w", tmp_path / "ws", "review", "--plain", stdin=b"s\nq\n")
    out = run.stdout.decode("utf-8")
    assert "Beijing is the capital" in out, run.stderr
    assert escape not in out and escape[0] not in out
    assert ("\\x1b" if escape[0] == "\x1b" else "\\u202e" if escape[0] == "\u202e" else "\\x9b") in out


def test_status_table_shows_control_characters_in_names_visibly(cli, tmp_path):
    tsv = tmp_path / "doc.tsv"
    tsv.write_text("北京是中国的首都。\tBeijing is the capital of China.\n", encoding="utf-8")
    assert cli("-w", tmp_path / "ws", "import", tsv, "--name", "evil\x1b[2Jname")[0] == 0
    code, out, _ = cli("-w", tmp_path / "ws", "status")
    assert "\x1b" not in out and "evil\\x1b[2Jname" in out


def test_full_screen_review_fragments_show_bidi_and_escape_controls():
    from mtmend.cli.review_app import _shown

    def handler(event):  # a mouse handler rides along untouched
        return None

    shown = _shown([("class:tgt", "Pay \u202e0001\u202c now\x1b[2J\n", handler), ("", "plain")])
    assert shown == [("class:tgt", "Pay \\u202e0001\\u202c now\\x1b[2J\n", handler), ("", "plain")]
