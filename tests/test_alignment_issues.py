"""Omissions are open issues: empty-side beads, probable omissions inside joined beads, and settling."""

from __future__ import annotations

import json

import pytest

from conftest import SAMPLES
from mtmend.corpus import issues
from mtmend.corpus.model import EditState, Severity, Status
from mtmend.corpus.store import Workspace
from mtmend.review import Pending, ReviewSession

ARTICLE = "003_3ffcd919ae816214"
# Sentences of the sample MT removed to make an MT that omitted one (inputs, not results):
# the first leaves its Chinese sentence alone in a bead, the second joined to a neighbour.
ALONE = "This year, many people already know the concept of blockchain."
JOINED = "We want to make this summit a benchmark of blockchain summit in China and even around the world."


def _import_without(cli, tmp_path, sentence: str):
    en = (SAMPLES / f"{ARTICLE}.txt").read_text(encoding="utf-8")
    assert f" {sentence}" in en
    (tmp_path / "omit.txt").write_text(en.replace(f" {sentence}", "", 1), encoding="utf-8")
    (tmp_path / "omit.zh.txt").write_text((SAMPLES / f"{ARTICLE}.zh.txt").read_text(encoding="utf-8"),
                                          encoding="utf-8")
    ws = tmp_path / "ws"
    code, _, err = cli("import", tmp_path / "omit.zh.txt", tmp_path / "omit.txt", "-w", ws)
    assert code == 0, err
    return ws


def _flags(ws_folder, author: str) -> list:
    with Workspace.open(ws_folder) as ws:
        return [(seg, a) for seg in ws.segments(ws.document("omit").id) for a in ws.annotations(seg.id)
                if a.edit.author == author]


def test_an_omitted_sentence_is_an_open_issue_and_tmx_still_validates(cli, tmp_path):
    ws = _import_without(cli, tmp_path, ALONE)
    ((seg, flag),) = _flags(ws, issues.ALIGNMENT)
    assert seg.mt == "" and "今年" in seg.source
    assert (flag.edit.category, flag.state, flag.edit.severity) == ("Accuracy/Omission", EditState.SUGGESTED,
                                                                     Severity.MAJOR)
    code, out, _ = cli("status", "-w", ws, "--format", "json")
    assert code == 0 and json.loads(out)[0]["open_issues"] == 1
    code, _, err = cli("clean", "-w", ws)
    assert code == 0 and "1 open alignment issue(s)" in err
    assert len(_flags(ws, issues.ALIGNMENT)) == 1  # clean does not add it twice
    code, _, err = cli("export", "-w", ws, "--format", "tmx", "-o", tmp_path / "out.tmx")
    assert code == 0 and "skipped (empty side)" in err
    code, out, _ = cli("tmx", "validate", tmp_path / "out.tmx")
    assert code == 0 and "valid" in out + _


def test_writing_the_missing_english_resolves_the_omission_and_mqm_remaining(cli, tmp_path):
    ws_folder = _import_without(cli, tmp_path, ALONE)
    ((seg, flag),) = _flags(ws_folder, issues.ALIGNMENT)
    with Workspace.open(ws_folder) as ws:
        from mtmend.corpus import mqm, mqm_scoring

        docs = [ws.document("omit")]
        weights = mqm.profile("google-2021")

        def remaining() -> float:
            return mqm_scoring.workspace_scores(ws, docs, weights, remaining=True)[0].score

        before = remaining()
        session = ReviewSession.start(ws, ["omit"], "alice")
        i = session.index_of(seg.id)
        assert session.entries[i].open_issues == 1
        session.hand_edit(seg.id, ALONE)
        assert ws.annotation(flag.id).state is EditState.RESOLVED  # found, and fixed
        assert session.entries[i].open_issues == 0 and session.counts[0].open_issues == 0
        assert remaining() < before
        found = mqm_scoring.workspace_scores(ws, docs, weights)[0].score
        assert found == pytest.approx(before)  # still found: the MT did omit it
        session.undo()
        assert ws.annotation(flag.id).state is EditState.SUGGESTED and ws.segment(seg.id).target == ""
        session.close()


def test_an_omission_joined_to_its_neighbour_is_flagged(cli, tmp_path):
    ws = _import_without(cli, tmp_path, JOINED)
    found = _flags(ws, issues.OMISSION_CHECK)
    assert len(found) == 1
    seg, flag = found[0]
    assert "我们希望把这个峰会打造成" in seg.source and seg.bead is not None and len(seg.bead.zh) == 2
    assert flag.edit.category == "Accuracy/Omission" and "我们希望把这个峰会打造成" in flag.edit.note
    assert not _flags(ws, issues.ALIGNMENT)


def test_untouched_articles_get_no_alignment_issue(sample_workspace):
    with Workspace.open(sample_workspace) as ws:
        authors = {a.edit.author for d in ws.documents() for s in ws.segments(d.id) for a in ws.annotations(s.id)}
        empty = [s for d in ws.documents() for s in ws.segments(d.id) if not s.mt.strip() or not s.source.strip()]
    # Only beads that really have an empty side are flagged (the samples' title lines split by paragraph).
    assert (issues.ALIGNMENT in authors) == bool(empty)
    assert issues.OMISSION_CHECK not in authors


def test_a_fixed_flag_and_an_applied_suggestion_are_resolved(sample_workspace):
    from test_review_support import DOC, add_term_suggestions

    with Workspace.open(sample_workspace) as ws:
        add_term_suggestions(ws)
        session = ReviewSession.start(ws, [DOC], "alice")
        i = next(k for k in range(len(session.entries)) if "Learning to Power" in session.segment_at(k).target)
        seg = session.segment_at(i)
        (suggestion,) = session.pending(seg.id)
        session.flag(seg.id, "Fluency/Grammar", Severity.MINOR, span="Learning to Power")
        flag = [a for a in session.annotations_at(i) if a.edit.author == "alice"][0]
        # The reviewer types the suggested change by hand: the suggestion is settled, the flag fixed.
        session.hand_edit(seg.id, seg.target.replace("Learning to Power", "Xuexi Qiangguo"))
        assert ws.annotation(suggestion.id).state is EditState.RESOLVED
        assert ws.annotation(flag.id).state is EditState.RESOLVED
        assert session.entries[i].open_issues == 0
        session.confirm(seg.id, Pending.KEEP)
        assert ws.segment(seg.id).status is Status.REVIEWED
        session.close()


def test_settled_rule_on_hostile_input():
    flag = issues.side_issues("她笑了。", "")[0]
    assert not issues.settled("", flag) and not issues.settled("   ", flag) and issues.settled("She laughed.", flag)
    addition = issues.side_issues("", "Extra.")[0]
    assert not issues.settled("Extra, edited.", addition) and issues.settled("", addition)
    assert issues.side_issues("   ", "  ") == [] and issues.probable_omissions("", "", 3.0, 6.8) == []
