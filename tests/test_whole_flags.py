"""A flag about a whole segment settles only when what it names is fixed.

The glossary's "missing term" flag spans the whole target: no edit removes its text, so
"the flagged text is gone" cannot mean it was fixed. It stays open, its span following the
edited target, until the rule no longer raises it — in ``clean``, in the review, and so in
``status``, the review's pending list and MQM "remaining" alike.
"""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import SAMPLES

from mtmend.corpus import issues, mqm
from mtmend.corpus.model import Edit, EditState, Severity
from mtmend.corpus.mqm_scoring import workspace_scores
from mtmend.corpus.store import Workspace
from mtmend.review import ReviewSession

DOC = "000_46a1daae881aeae4"
TERM = "承办"  # approved 'organized by'; the MT has "hosted by" twice in segment 4


@pytest.fixture
def cleaned(sample_workspace, cli):
    """The sample workspace with its glossary, cleaned once without one auto rule (so a second clean has work to do)."""
    shutil.copy(SAMPLES / "glossary.tsv", sample_workspace / "glossary.tsv")
    code, _, err = cli("-w", sample_workspace, "clean", DOC, "--skip-rules", "remove_stray_period_before_comma")
    assert code == 0, err
    return sample_workspace


def _flag(folder):
    with Workspace.open(folder) as ws:
        doc = ws.find_document(DOC)
        for seg in ws.segments(doc.id):
            for ann in ws.annotations(seg.id):
                if ann.edit.author == "apply_glossary" and ann.edit.is_flag and TERM in ann.edit.note:
                    return ann, ws.segment(seg.id)
    raise AssertionError("no missing-term flag for 承办")


def _figures(folder, cli) -> tuple[int, float, int]:
    """(status's open issues, MQM remaining penalty, the segment's pending annotations in review) of the document."""
    code, out, _ = cli("-w", folder, "status", "--format", "json")
    open_issues = next(row["open_issues"] for row in json.loads(out) if row["document"] == DOC)
    ann, seg = _flag(folder)
    with Workspace.open(folder) as ws:
        doc = ws.find_document(DOC)
        remaining = workspace_scores(ws, [doc], mqm.profile("google-2021"), remaining=True)[0].penalty
        pending = len(ws.annotations(seg.id, [EditState.SUGGESTED]))
    return open_issues, remaining, pending


def test_a_clean_that_edits_the_segment_keeps_the_missing_term_flag_open(cleaned, cli):
    ann, seg = _flag(cleaned)
    assert ann.state is EditState.SUGGESTED and ann.edit.before == seg.target and ". ," in seg.target
    before = _figures(cleaned, cli)
    code, _, err = cli("-w", cleaned, "clean", DOC)
    assert code == 0, err
    ann, seg = _flag(cleaned)
    assert ". ," not in seg.target  # the rule changed the segment…
    assert ann.state is EditState.SUGGESTED  # …but the term is still missing
    assert (ann.edit.start, ann.edit.end, ann.edit.before) == (0, len(seg.target), seg.target)
    assert _figures(cleaned, cli) == before
    code, _, err = cli("-w", cleaned, "clean", DOC)  # again: nothing new, no second flag
    flags = [a for a in _all(cleaned, seg.id) if a.edit.author == "apply_glossary" and a.edit.is_flag]
    assert code == 0 and len(flags) == 1 and _figures(cleaned, cli) == before


def _all(folder, segment_id):
    with Workspace.open(folder) as ws:
        return ws.annotations(segment_id)


def test_review_settles_the_flag_only_when_the_term_is_written(cleaned, cli):
    ann, seg = _flag(cleaned)
    open_issues, remaining, pending = _figures(cleaned, cli)
    with Workspace.open(cleaned) as ws:
        session = ReviewSession.start(ws, [DOC], "alice")
        try:
            counted = session.counts[0].open_issues
            session.hand_edit(seg.id, seg.target.replace("co-organized", "jointly organised"))
            assert session.counts[0].open_issues == counted
            moved = ws.annotation(ann.id)
            target = ws.segment(seg.id).target
            assert moved.state is EditState.SUGGESTED and moved.edit.before == target
            assert moved in session.pending(seg.id)
        finally:
            session.close()
    assert _figures(cleaned, cli) == (open_issues, remaining, pending)
    with Workspace.open(cleaned) as ws:
        session = ReviewSession.start(ws, [DOC], "alice")
        try:
            session.hand_edit(seg.id, target.replace("and hosted by", "and organized by"))
            assert ws.annotation(ann.id).state is EditState.RESOLVED
            assert session.counts[0].open_issues == counted - 1
            after = _figures(cleaned, cli)
            assert after[0] == open_issues - 1 and after[1] < remaining and after[2] == pending - 1
            session.undo()
            back = ws.annotation(ann.id)
            assert back.state is EditState.SUGGESTED and back.edit.before == target == ws.segment(seg.id).target
            session.undo()
            assert ws.annotation(ann.id).edit == ann.edit  # the first edit undone: the flag where it was
        finally:
            session.close()
    assert _figures(cleaned, cli) == (open_issues, remaining, pending)


def test_settled_asks_before_resolving_a_whole_target_flag():
    target = "Hosted by the park."
    flag = Edit(0, len(target), target, None, "apply_glossary", "Terminology/Wrong term", Severity.MINOR, False)
    edited = "Hosted by the software park."
    assert not issues.settled(edited, flag, previous=target)  # nobody can tell: it stays open
    assert not issues.settled(edited, flag, previous=target, holds=lambda e: True)
    assert issues.settled(edited, flag, previous=target, holds=lambda e: False)
    assert issues.covers(flag, target) and not issues.covers(flag, edited)
    part = Edit(0, 6, "Hosted", None, "r", "Other", Severity.MINOR, False)  # a flag on a word: its text decides
    assert issues.settled("Held by the park.", part, previous=target)


def test_a_fix_the_review_cannot_judge_is_settled_by_the_next_clean(cleaned, cli):
    """Without the glossary at hand the review cannot tell the term was written: the flag waits
    (open, on the new target) for the next ``clean``, whose rule no longer raises it."""
    ann, seg = _flag(cleaned)
    open_issues = _figures(cleaned, cli)[0]
    (cleaned / "glossary.tsv").rename(cleaned / "glossary.kept")
    with Workspace.open(cleaned) as ws:
        session = ReviewSession.start(ws, [DOC], "alice")
        try:
            session.hand_edit(seg.id, seg.target.replace("and hosted by", "and organized by"))
            target = ws.segment(seg.id).target
            assert ws.annotation(ann.id).state is EditState.SUGGESTED and ws.annotation(ann.id).edit.before == target
        finally:
            session.close()
    assert _figures(cleaned, cli)[0] == open_issues
    (cleaned / "glossary.kept").rename(cleaned / "glossary.tsv")
    code, _, err = cli("-w", cleaned, "clean", DOC)
    assert code == 0, err
    assert _flag(cleaned)[0].state is EditState.RESOLVED
    assert _figures(cleaned, cli)[0] == open_issues - 1
