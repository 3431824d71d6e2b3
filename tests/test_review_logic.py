"""Review decisions without a screen: what each one does to the workspace, undo, locks, passes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from mtmend import review
from mtmend.review import Filter, FilterKind, ReviewSession
from mtmend.corpus.errors import ConflictError, InputError
from mtmend.corpus.model import AuthorKind, Edit, EditState, Severity, Status
from mtmend.corpus.store import ReviewLock, Workspace
from test_review_support import AUTHOR, DOC, review_workspace


@pytest.fixture
def ws(sample_workspace):
    with review_workspace(sample_workspace) as ws:
        yield ws


def _first_with(session: ReviewSession, before: str):
    """Index and annotation of the first pending suggestion replacing ``before``."""
    for i in range(len(session.entries)):
        for ann in session.annotations_at(i):
            if ann.state is EditState.SUGGESTED and ann.edit.before == before:
                return i, ann
    raise AssertionError(f"no suggestion for {before!r}")


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_accept_applies_and_undo_restores_text_state_and_status(ws):
    session = ReviewSession.start(ws, [DOC], "alice")
    i, ann = _first_with(session, "Chain Shanghai South")
    seg = session.segment_at(i)
    open_before = session.counts[0].open_issues
    session.accept_edit(ann.id)
    after = session.segment_at(i)
    assert "On-chain Hainan" in after.target and "Chain Shanghai South" not in after.target
    assert after.status is Status.AUTO_FIXED  # a rule's edit, accepted: still not reviewed
    assert ws.annotation(ann.id).state is EditState.APPLIED
    assert session.counts[0].open_issues == open_before - 1
    assert session.undo() == seg.id
    assert session.segment_at(i).target == seg.target and session.segment_at(i).status is seg.status
    assert ws.annotation(ann.id).state is EditState.SUGGESTED
    assert session.counts[0].open_issues == open_before
    session.close()


@pytest.mark.parametrize(("pending", "state", "replaced"), [
    (review.Pending.KEEP, EditState.SUGGESTED, False),
    (review.Pending.ACCEPT, EditState.APPLIED, True),
    (review.Pending.REJECT, EditState.REJECTED, False),
])
def test_confirm_never_drops_pending_silently_then_undo(ws, pending, state, replaced):
    session = ReviewSession.start(ws, [DOC], "alice")
    i, ann = _first_with(session, "Learning to Power")
    seg = session.segment_at(i)
    open_before = session.counts[0].open_issues
    assert [a.id for a in session.pending(seg.id)] == [ann.id]
    session.confirm(seg.id, pending)
    assert session.segment_at(i).status is Status.REVIEWED
    assert ws.annotation(ann.id).state is state
    assert ("Xuexi Qiangguo" in session.segment_at(i).target) is replaced
    assert session.counts[0].reviewed == 1
    assert session.counts[0].open_issues == open_before - (state is not EditState.SUGGESTED)
    session.undo()
    assert session.segment_at(i).status is seg.status and session.segment_at(i).target == seg.target
    assert ws.annotation(ann.id).state is EditState.SUGGESTED
    assert session.counts[0].reviewed == 0 and session.counts[0].open_issues == open_before
    session.close()


def test_hand_edit_is_a_minimal_person_edit_and_obsoletes_suggestions(ws):
    session = ReviewSession.start(ws, [DOC], "alice")
    i, ann = _first_with(session, "Chain Shanghai South")
    seg = session.segment_at(i)
    new = seg.target.replace("Chain Shanghai South", "the Hainan on-chain plan")  # not the suggested words
    assert session.hand_edit(seg.id, new) is True
    assert session.segment_at(i).target == new
    mine = [a for a in session.annotations_at(i) if a.edit.author == "alice"]
    assert len(mine) == 1 and mine[0].state is EditState.APPLIED
    assert mine[0].edit.author_kind is AuthorKind.PERSON and mine[0].edit.severity is Severity.NEUTRAL
    assert len(mine[0].edit.before) < len(seg.target)  # the changed stretch only, not the whole text
    assert ws.annotation(ann.id).state is EditState.REJECTED  # its text is gone
    assert ws.rebuild_target(seg.id) == new
    assert session.hand_edit(seg.id, new) is False  # nothing changed: nothing recorded
    session.close()


def test_empty_target_is_refused_unless_confirmed(ws):
    session = ReviewSession.start(ws, [DOC], "alice")
    seg = session.segment_at(0)
    with pytest.raises(InputError, match="empty target"):
        session.hand_edit(seg.id, "   ")
    assert session.segment_at(0).target == seg.target
    session.hand_edit(seg.id, "", allow_empty=True)
    assert session.segment_at(0).target == ""
    session.close()


def test_flag_records_an_applied_error_without_changing_text(ws):
    session = ReviewSession.start(ws, [DOC], "alice")
    i = next(i for i in range(len(session.entries)) if "Eyes." in session.segment_at(i).target)
    seg = session.segment_at(i)
    session.flag(seg.id, "Fluency/Grammar", Severity.MAJOR, span="Eyes.", comment="fragment: head noun split off")
    flag = [a for a in session.annotations_at(i) if a.edit.author == "alice"][0]
    assert flag.edit.after is None and flag.state is EditState.APPLIED
    assert flag.edit.before == "Eyes." and seg.target[flag.edit.start : flag.edit.end] == "Eyes."
    assert flag.comment == "fragment: head noun split off"
    assert session.segment_at(i).target == seg.target
    with pytest.raises(InputError):
        session.flag(seg.id, "Fluency/Grammar", Severity.MINOR, span="not in this sentence")
    with pytest.raises(InputError):
        session.flag(seg.id, "Made up/Category", Severity.MINOR)
    session.undo()
    assert ws.annotation(flag.id).state is EditState.REVERTED
    session.close()


def test_rejecting_an_applied_rule_edit_reverts_it(ws):
    session = ReviewSession.start(ws, [DOC], "alice")
    i, ann = _first_with(session, "Learning to Power")
    mt = session.segment_at(i).mt
    session.accept_edit(ann.id)
    session.reject_edit(ann.id)
    assert session.segment_at(i).target == mt
    assert ws.annotation(ann.id).state is EditState.REJECTED
    session.close()


def test_accept_all_applies_every_fitting_suggestion(ws):
    session = ReviewSession.start(ws, [DOC], "alice")
    i = max(range(len(session.entries)), key=lambda k: session.entries[k].open_issues)
    pending = session.entries[i].open_issues
    assert pending >= 2
    assert session.accept_all(session.entries[i].segment_id) == pending
    assert session.entries[i].open_issues == 0
    assert ws.rebuild_target(session.entries[i].segment_id) == session.segment_at(i).target
    session.close()


def test_undo_survives_a_new_session(sample_workspace):
    with review_workspace(sample_workspace) as ws:
        session = ReviewSession.start(ws, [DOC], "alice")
        i, ann = _first_with(session, "Learning to Power")
        session.accept_edit(ann.id)
        # no close(): as if the process had been killed
    with Workspace.open(sample_workspace) as ws:
        session = ReviewSession.start(ws, [DOC], "alice")
        assert session.undo() == ann.segment_id
        assert ws.annotation(ann.id).state is EditState.SUGGESTED
        assert session.undo() is None
        session.close()


def test_reopening_resumes_at_first_unreviewed(ws):
    session = ReviewSession.start(ws, [DOC], "alice")
    for i in range(3):
        session.confirm(session.entries[i].segment_id)
    session.close()
    again = ReviewSession.start(ws, [DOC], "bob")
    assert review.first_unreviewed(again.entries) == 3
    again.close()


def test_pass_is_finished_with_decisions_and_lock_released(ws):
    session = ReviewSession.start(ws, [DOC], "alice")
    assert ws.review_lock(session.documents[0].id) is not None
    session.confirm(session.entries[0].segment_id)
    summary = session.close()
    assert summary["decisions"] == {"confirm": 1}
    done = [p for p in ws.passes() if p.kind == "review"][-1]
    assert done.finished and done.summary["decisions"] == {"confirm": 1} and "snapshot" in done.summary
    assert ws.review_lock(session.documents[0].id) is None


def test_same_document_by_a_live_reviewer_is_refused(ws):
    doc = ws.document(DOC)
    with ws.transaction():
        ws.set_review_lock(ReviewLock(doc.id, "bob", os.getppid(), socket.gethostname(), "2024-01-01T00:00:00Z"))
    with pytest.raises(ConflictError, match="being reviewed by bob"):
        ReviewSession.start(ws, [DOC], "alice")
    # Without names, the locked document is left out and the others are reviewed.
    session = ReviewSession.start(ws, [], "alice")
    assert [d.name for d in session.skipped] == [DOC]
    assert DOC not in [d.name for d in session.documents] and session.documents
    session.close()


def test_stale_lock_of_a_dead_process_is_taken_over(ws):
    doc = ws.document(DOC)
    with ws.transaction():
        ws.set_review_lock(ReviewLock(doc.id, "bob", _dead_pid(), socket.gethostname(), "2024-01-01T00:00:00Z"))
    session = ReviewSession.start(ws, [DOC], "alice")
    assert ws.review_lock(doc.id).holder == "alice"
    session.close()


def test_lock_on_another_host_needs_take_over(ws):
    doc = ws.document(DOC)
    with ws.transaction():
        ws.set_review_lock(ReviewLock(doc.id, "bob", 1, "elsewhere.example", "2024-01-01T00:00:00Z"))
    with pytest.raises(ConflictError, match="--take-over"):
        ReviewSession.start(ws, [DOC], "alice")
    ReviewSession.start(ws, [DOC], "alice", take_over=True).close()


def test_pass_of_a_killed_session_is_closed_by_the_next(ws):
    with ws.transaction():
        pid = ws.begin_pass("review", f"reviewer=bob pid={_dead_pid()} host={socket.gethostname()} documents={DOC}")
    ReviewSession.start(ws, [DOC], "alice").close()
    killed = next(p for p in ws.passes() if p.id == pid)
    assert killed.finished and killed.summary["interrupted"] is True


def test_filters_and_stepping(ws):
    session = ReviewSession.start(ws, [DOC], "alice")
    entries = session.entries
    open_flt = Filter(FilterKind.OPEN)
    hits = [i for i, e in enumerate(entries) if review.matches(e, open_flt)]
    assert hits and len(hits) < len(entries)
    assert review.step(entries, -1, 1, lambda e: review.matches(e, open_flt)) == hits[0]
    assert review.step(entries, hits[-1], 1, lambda e: review.matches(e, open_flt)) is None
    rule = Filter(FilterKind.RULE, AUTHOR)
    annotated = session.annotated(rule)
    assert {entries[i].segment_id for i in hits} == annotated
    authors, categories = session.facets()
    assert AUTHOR in authors and "Terminology/Wrong term" in categories
    found = session.search("on-chain hainan", -1)  # the glossary's English is not in the MT...
    assert found is None
    found = session.search("链上海南", -1)  # ...but the Chinese term is in the source
    assert found is not None and "链上海南" in session.segment_at(found).source
    session.close()


def test_unknown_document_is_named(ws):
    from mtmend.corpus.errors import NotFoundError

    with pytest.raises(NotFoundError, match="no document 'nope'"):
        ReviewSession.start(ws, ["nope"], "alice")


def test_target_pieces_show_changes_without_colour(ws):
    session = ReviewSession.start(ws, [DOC], "alice")
    i, ann = _first_with(session, "Learning to Power")
    seg = session.segment_at(i)
    pending = "".join(t for _, t in review.target_pieces(seg.mt, seg.target, review.inline_marks(seg.target, session.annotations_at(i))))
    assert "{~~Learning to Power~>Xuexi Qiangguo~~}#" in pending
    session.accept_edit(ann.id)
    seg = session.segment_at(i)
    applied = "".join(t for _, t in review.target_pieces(seg.mt, seg.target, review.inline_marks(seg.target, session.annotations_at(i))))
    assert "[-Learning to Power" in applied and "{+Xuexi Qiangguo" in applied
    session.close()


def test_term_is_added_to_glossary_and_proposed_per_segment(sample_workspace):
    pytest.importorskip("mtmend.cleaner.glossary", reason="the cleaner's glossary module has not landed yet")
    ws = Workspace.open(sample_workspace)  # no fixture suggestions: propagation makes its own
    session = ReviewSession.start(ws, [DOC], "alice")
    texts = [session.segment_at(k) for k in range(len(session.entries))]
    with_term = [k for k, seg in enumerate(texts) if "链上海南" in seg.source and "Chain Shanghai South" in seg.target]
    assert len(with_term) >= 2  # ¶6 and ¶17 of the sample
    made = session.add_term(session.entries[with_term[0]].segment_id, "链上海南", "On-chain Hainan",
                            ["Chain Shanghai South"])
    assert made == len(with_term)
    assert "链上海南\tOn-chain Hainan\tChain Shanghai South" in (ws.folder / "glossary.tsv").read_text(encoding="utf-8")
    for k in with_term:
        mine = [a for a in session.annotations_at(k) if a.pass_id == session.pass_id]
        assert len(mine) == 1 and mine[0].state is EditState.SUGGESTED
        assert (mine[0].edit.before, mine[0].edit.after) == ("Chain Shanghai South", "On-chain Hainan")
    # The same entry again: its proposals are pending already, none is duplicated.
    assert session.add_term(session.entries[with_term[0]].segment_id, "链上海南", "On-chain Hainan",
                            ["Chain Shanghai South"]) == 0
    session.undo()
    session.undo()
    for k in with_term:
        assert all(a.state is EditState.REVERTED for a in session.annotations_at(k) if a.pass_id == session.pass_id)
    session.close()
    ws.close()
