"""``mtmend review --plain`` and the review command's bad-input paths, run in process."""

from __future__ import annotations

import io
import os
import socket
import sqlite3
import subprocess
import sys

import pytest

from conftest import ROOT
from mtmend.corpus.model import AuthorKind, EditState, Status
from mtmend.corpus.store import ReviewLock, Workspace
from test_review_support import DOC, add_term_suggestions


@pytest.fixture
def ws_folder(sample_workspace):
    with Workspace.open(sample_workspace) as ws:
        add_term_suggestions(ws)
    return sample_workspace


def pending_segments(folder) -> list:
    """Segments with pending suggestions, in review order, with their annotations."""
    with Workspace.open(folder) as ws:
        doc = ws.document(DOC)
        out = []
        for seg in ws.segments(doc.id):
            anns = ws.annotations(seg.id, [EditState.SUGGESTED])
            if anns:
                out.append((seg, anns))
        return out


def review_plain(cli, monkeypatch, folder, answers: str, *docs: str):
    monkeypatch.setattr(sys, "stdin", io.StringIO(answers))
    return cli("-w", folder, "review", "--plain", "--reviewer", "alice", *docs)


def test_answers_from_stdin_accept_reject_skip_quit(cli, monkeypatch, ws_folder):
    todo = pending_segments(ws_folder)
    single = [(seg, anns) for seg, anns in todo if len(anns) == 1]
    assert len(single) >= 3 and todo[0][0].id == single[0][0].id
    code, out, err = review_plain(cli, monkeypatch, ws_folder, "y\nn\ns\nq\n", DOC)
    assert code == 0, err
    assert "Accept this edit [y,n,e,s,q,?]? y" in out  # the answers are echoed into the transcript
    assert "{~~" in out and "~>" in out  # the edit is shown inside its target
    with Workspace.open(ws_folder) as ws:
        (s1, a1), (s2, a2), (s3, a3) = todo[:3]
        assert ws.segment(s1.id).status is Status.REVIEWED
        assert ws.segment(s1.id).target == s1.target.replace(a1[0].edit.before, a1[0].edit.after, 1)
        assert ws.segment(s2.id).status is Status.REVIEWED and ws.segment(s2.id).target == s2.target
        assert ws.annotation(a2[0].id).state is EditState.REJECTED
        assert ws.segment(s3.id).status is s3.status  # skipped: left as it was
        assert ws.annotation(a3[0].id).state is EditState.SUGGESTED
        assert ws.review_lock(ws.document(DOC).id) is None
        last = ws.passes()[-1]
        assert last.kind == "review" and last.finished and last.summary["decisions"] == {
            "accept": 1, "reject": 1, "confirm": 2}
    assert "1 accepted, 1 rejected, 0 edited, 1 skipped, 2 reviewed" in err


def test_end_of_input_quits_cleanly(cli, monkeypatch, ws_folder):
    before = pending_segments(ws_folder)
    code, out, err = review_plain(cli, monkeypatch, ws_folder, "", DOC)
    assert code == 0 and "Traceback" not in err
    assert pending_segments(ws_folder) == before


def test_unknown_answer_is_asked_again_and_help_is_printed(cli, monkeypatch, ws_folder):
    code, out, _ = review_plain(cli, monkeypatch, ws_folder, "maybe\n?\ny\nq\n", DOC)
    assert code == 0
    assert "answer y, n, e, s or q" in out and "s - skip this edit" in out
    assert out.count("Accept this edit") >= 4


def test_edit_stores_a_person_edit_and_asks_before_an_empty_target(cli, monkeypatch, ws_folder):
    (seg, anns), *_ = pending_segments(ws_folder)
    new = seg.target.replace(anns[0].edit.before, "Xuexi Qiangguo (the app)")
    # e, then an empty target: refused ("n"), then the real target.
    code, out, _ = review_plain(cli, monkeypatch, ws_folder, f"e\n\nn\n{new}\nq\n", DOC)
    assert code == 0 and "empty target not stored" in out
    with Workspace.open(ws_folder) as ws:
        assert ws.segment(seg.id).target == new
        assert ws.segment(seg.id).status is Status.REVIEWED
        # The typed target makes the suggested change itself: the suggestion is resolved (issue 13).
        assert ws.annotation(anns[0].id).state is EditState.RESOLVED
        person = [a for a in ws.annotations(seg.id) if a.edit.author_kind is AuthorKind.PERSON]
        assert len(person) == 1 and person[0].edit.author == "alice" and person[0].state is EditState.APPLIED


def test_empty_target_is_stored_only_after_yes(cli, monkeypatch, ws_folder):
    (seg, _), *_ = pending_segments(ws_folder)
    code, _, _ = review_plain(cli, monkeypatch, ws_folder, "e\n\ny\nq\n", DOC)
    assert code == 0
    with Workspace.open(ws_folder) as ws:
        assert ws.segment(seg.id).target == ""


def test_unknown_document_is_named(cli, monkeypatch, ws_folder):
    code, _, err = review_plain(cli, monkeypatch, ws_folder, "q\n", "no-such-doc")
    assert code == 4 and "no document 'no-such-doc'" in err and DOC in err


def test_document_under_review_elsewhere_is_refused(cli, monkeypatch, ws_folder):
    with Workspace.open(ws_folder) as ws:
        with ws.transaction():
            ws.set_review_lock(ReviewLock(ws.document(DOC).id, "bob", os.getppid(), socket.gethostname(), "x"))
    code, _, err = review_plain(cli, monkeypatch, ws_folder, "y\n", DOC)
    assert code == 5 and "being reviewed by bob" in err
    # Without document names the other document is reviewed and this one is left out.
    code, _, err = review_plain(cli, monkeypatch, ws_folder, "q\n")
    assert code == 0 and f"{DOC}: being reviewed by someone else, left out" in err


def test_full_screen_needs_a_terminal(cli, monkeypatch, ws_folder):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, _, err = cli("-w", ws_folder, "review", DOC)
    assert code == 2 and "--plain" in err


def test_workspace_locked_by_a_writer_is_a_clear_error(ws_folder):
    writer = sqlite3.connect(ws_folder / "mtmend.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        env = {**os.environ, "MTMEND_BUSY_TIMEOUT": "0.3"}
        done = subprocess.run(
            [sys.executable, "-m", "mtmend.cli.main", "-w", str(ws_folder), "review", "--plain", DOC],
            input="y\n", capture_output=True, text=True, env=env, cwd=ROOT, timeout=60,
        )
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert done.returncode == 3, done.stderr
    assert "locked by another process" in done.stderr and "Traceback" not in done.stderr
    assert pending_segments(ws_folder)  # nothing decided


# ----------------------------------------------------------------- --plain --segments
def _segments_pass(cli, monkeypatch, folder, answers: str):
    monkeypatch.setattr(sys, "stdin", io.StringIO(answers))
    return cli("-w", folder, "review", "--plain", "--segments", "--reviewer", "alice", DOC)


def test_full_pass_confirm_edit_mark_skip_quit(cli, monkeypatch, ws_folder):
    with Workspace.open(ws_folder) as ws:
        segs = list(ws.segments(ws.document(DOC).id))
    (first_pending,) = [a for a in Workspace.open(ws_folder).annotations(segs[0].id, [EditState.SUGGESTED])]
    answers = ("c\nk\n"  # 1: confirm, keep its pending suggestion open
               "e\nAn edited second target.\n\nc\n"  # 2: edit (Enter: a plain correction), then confirm
               "m\n1\nMajor\n\nwrong meaning\ns\n"  # 3: mark an error on the whole target, skip
               "c\n"  # 4: confirm (nothing pending, or asked below)
               "r\nq\n")
    code, out, err = _segments_pass(cli, monkeypatch, ws_folder, answers)
    assert code == 0, err
    assert "Segment [c,e,m,S,J,s,u,q,?]? c" in out and "suggestion(s) pending" in out
    with Workspace.open(ws_folder) as ws:
        s1, s2, s3 = (ws.segment(s.id) for s in segs[:3])
        assert s1.status is Status.REVIEWED and ws.annotation(first_pending.id).state is EditState.SUGGESTED
        assert s2.target == "An edited second target." and s2.status is Status.REVIEWED
        flags = [a for a in ws.annotations(s3.id) if a.edit.author == "alice"]
        assert [(f.edit.category, f.edit.severity.value, f.comment) for f in flags] == [
            ("Accuracy/Mistranslation", "Major", "wrong meaning")]
        assert s3.status is segs[2].status  # skipped: not confirmed
        assert ws.review_lock(ws.document(DOC).id) is None


def test_full_pass_split_join_undo_and_numbering(cli, monkeypatch, ws_folder):
    from mtmend.corpus import realign

    with Workspace.open(ws_folder) as ws:
        segs = list(ws.segments(ws.document(DOC).id))
    k = next(i for i, s in enumerate(segs[:-1]) if len(realign.en_spans(s.mt)) >= 2 and segs[i + 1].para == s.para)
    total = len(segs)
    answers = "s\n" * k + "S\n1:1\nJ\nS\n9:9\nu\nq\n"
    code, out, err = _segments_pass(cli, monkeypatch, ws_folder, answers)
    assert code == 0, err
    assert f"segment {k + 1}/{total + 1}" in out  # after the split, the document has one more segment
    assert "cannot split at 9:9" in out and "last decision undone" in out
    with Workspace.open(ws_folder) as ws:
        from mtmend.corpus.exporting import article_text

        now = list(ws.segments(ws.document(DOC).id))
        assert len(now) == total + 1 and article_text(now) == article_text(segs)  # split stays, join undone
        actions = [r[0] for r in ws.conn.execute("SELECT action FROM review_log WHERE undone = 0 ORDER BY id")]
        assert actions == ["split"]  # the join was undone


def test_full_pass_end_of_input_and_bad_answers(cli, monkeypatch, ws_folder):
    code, out, err = _segments_pass(cli, monkeypatch, ws_folder, "what\n?\n")
    assert code == 0 and "Traceback" not in err
    assert "answer c, e, m, S, J, s, u or q" in out and "J - join the segment" in out
    code, _, err = cli("-w", ws_folder, "review", "--segments", DOC)
    assert code == 2 and "--plain --segments" in err


def test_full_pass_edit_is_word_level_and_categorised(cli, monkeypatch, ws_folder):
    with Workspace.open(ws_folder) as ws:
        seg = next(iter(ws.segments(ws.document(DOC).id)))
    words = seg.target.split(" ")
    new = " ".join([words[0], "CHANGED", *words[2:]])
    code, out, err = _segments_pass(cli, monkeypatch, ws_folder, f"e\n{new}\n3\nMinor\nq\n")
    assert code == 0, err
    with Workspace.open(ws_folder) as ws:
        mine = [a for a in ws.annotations(seg.id) if a.edit.author == "alice"]
        assert [(a.edit.before, a.edit.after, a.edit.category, a.edit.severity.value) for a in mine] == [
            (words[1], "CHANGED", "Accuracy/Omission", "Minor")]
