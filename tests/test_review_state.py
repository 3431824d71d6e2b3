"""Consistent review state (issue 13, part 4): empty prompts, stable edit numbers, live header
figures, flags quoting the current text. The full-screen app is driven by pipe input, plain
mode by stdin; the assertions are on the workspace and on what the reviewer sees."""

from __future__ import annotations

import io
import re
import sys

from prompt_toolkit.data_structures import Size

from mtmend.cli import review_plain
from mtmend.corpus import progress
from mtmend.corpus.model import AuthorKind, Edit, EditState, Severity
from mtmend.review import ReviewSession
from mtmend.review.figures import LiveFigures
from test_review_app import ENTER, drive, screen_of, session  # noqa: F401 (session is a fixture)
from test_review_support import DOC


def test_span_prompt_starts_empty_even_on_a_suggestion(session):
    seg = session.segment_at(0)
    (sug,) = [a for a in session.annotations_at(0) if a.state is EditState.SUGGESTED]
    assert sug.edit.before in seg.target  # the cursor is on it: it used to pre-fill the span prompt
    # m, category (preset), severity, span: Enter = empty = the whole target, comment: Enter.
    drive(session, "m" + ENTER + ENTER + ENTER + ENTER + "q")
    (flag,) = [a for a in session.ws.annotations(seg.id) if a.edit.author == "alice"]
    assert flag.edit.after is None and flag.edit.before == seg.target  # not the suggestion's text


def test_plain_numbers_stay_with_their_edit_after_an_accept(sample_workspace):
    from mtmend.corpus.store import Workspace

    with Workspace.open(sample_workspace) as ws:
        doc = ws.document(DOC)
        seg = list(ws.segments(doc.id))[0]
        words = seg.target.split()
        with ws.transaction():  # two suggestions on one segment, the first made first
            for w, after in ((words[0], words[0].upper()), (words[-1], words[-1] + "!")):
                at = seg.target.find(w) if w is words[0] else seg.target.rfind(w)
                ws.add_annotation(seg.id, Edit(at, at + len(w), w, after, "r", "Fluency/Style", Severity.MINOR,
                                               author_kind=AuthorKind.RULE), EditState.SUGGESTED)
        session = ReviewSession.start(ws, [DOC], "alice")
        out = io.StringIO()
        review_plain.run(session, io.StringIO("y\ny\nq\n"), out, interactive=False)
        session.close()
        shown = re.findall(r"^  #(\d+) (\[.*)$", out.getvalue(), re.M)
        assert [n for n, _ in shown] == ["1", "2"]  # was #1 twice: the accepted edit moved last
        assert words[-1] + "!" in shown[1][1] and words[0].upper() in shown[0][1]
        assert ws.segment(seg.id).target.startswith(words[0].upper()) and ws.segment(seg.id).target.endswith("!")


WIDE = Size(rows=40, columns=300)  # the whole status line, not cut at the terminal's width


def _header(screen: str) -> str:
    found = re.findall(r"MQM \d+\.\d\d→\d+\.\d\d · effort BLEU [\d.]+ TER [\d.]+", screen)
    assert found, "the header shows no quality figures"
    return found[-1]


def test_header_figures_follow_each_decision_and_agree_with_the_workspace(session):
    ws, doc = session.ws, session.documents[0]
    before = _header(screen_of(session, "q", WIDE))
    assert before.startswith("MQM") and "TER 0.0" in before  # raw MT: no effort yet
    seg = session.segment_at(0)
    after = _header(screen_of(session, "a" + "q", WIDE))  # accept the suggestion on segment 1
    assert after != before and "TER 0.0" not in after
    assert ws.segment(seg.id).target != seg.target
    # The same figures a pass snapshot computes from the whole workspace.
    found, remaining = progress.mqm_figures(ws, [doc]).documents[doc.name]
    assert after.startswith(f"MQM {found:.2f}→{remaining:.2f}")
    assert after == LiveFigures(ws, doc).text()  # incremental == computed afresh
    drive(session, "m" + ENTER + "j" + ENTER + ENTER + ENTER + "q")  # a Major flag: remaining goes up
    _, remaining2 = progress.mqm_figures(ws, [doc]).documents[doc.name]
    assert remaining2 > remaining and session.quality(0) == LiveFigures(ws, doc).text()


def test_header_figures_follow_a_split_and_its_undo(session):
    from mtmend.corpus import realign

    ws, doc = session.ws, session.documents[0]
    session.quality(0)  # loaded before the repair: kept current by it
    k = next(i for i in range(len(session.entries)) if len(realign.en_spans(session.segment_at(i).mt)) >= 2)
    drive(session, ":" + str(k + 1) + ENTER + "S" + ENTER + "q")
    assert len(list(ws.segments(doc.id))) == len(session.entries) and session.ws.last_review([doc.id]).action == "split"
    assert session.quality(0) == LiveFigures(ws, doc).text()
    session.undo()
    assert session.quality(0) == LiveFigures(ws, doc).text()


def test_flag_message_quotes_the_current_text(cli, monkeypatch, sample_workspace):
    from mtmend.corpus.store import Workspace

    with Workspace.open(sample_workspace) as ws:
        seg = list(ws.segments(ws.document(DOC).id))[1]
        note = "glossary: 学习强国 should be rendered 'Xuexi Qiangguo'"
        with ws.transaction():  # a missing-term flag on the whole target, then another rule's change
            ws.add_annotation(seg.id, Edit(0, len(seg.target), seg.target, None, "glossary", "Terminology/Wrong term",
                                           Severity.MINOR, False, note, author_kind=AuthorKind.RULE), EditState.SUGGESTED)
            w = seg.target.split()[0]
            ws.add_annotation(seg.id, Edit(0, len(w), w, w.upper(), "case", "Fluency/Spelling",
                                           Severity.MINOR, True, author_kind=AuthorKind.RULE), EditState.APPLIED)
        now = ws.segment(seg.id).target
    monkeypatch.setattr(sys, "stdin", io.StringIO("q\n"))
    code, out, err = cli("-w", sample_workspace, "review", "--plain", "--reviewer", "alice", DOC)
    assert code == 0, err
    labels = [line for line in out.splitlines() if "glossary:" in line]
    assert labels and all(f"flag {now!r}" in line for line in labels)
    assert not any(f"flag {seg.target!r}" in line for line in labels)  # never the text before the change
