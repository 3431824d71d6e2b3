"""The real full-screen application, driven by prompt-toolkit's pipe input and a dummy output."""

from __future__ import annotations

import io

import pytest
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from prompt_toolkit.output.vt100 import Vt100_Output

from mtmend.review import ReviewSession
from mtmend.cli import review_app
from mtmend.corpus.model import AuthorKind, EditState, Severity, Status
from test_review_support import DOC, review_workspace

ENTER, CTRL_A, CTRL_K, CTRL_G = "\r", "\x01", "\x0b", "\x07"


@pytest.fixture
def session(sample_workspace):
    with review_workspace(sample_workspace) as ws:
        s = ReviewSession.start(ws, [DOC], "alice")
        yield s
        s.close()


def drive(session: ReviewSession, keys: str, output=None) -> None:
    """Run the application until it quits, on ``keys`` typed in one go."""
    with create_pipe_input() as inp:
        inp.send_text(keys)
        review_app.run(session, input=inp, output=output or DummyOutput())


def screen_of(session: ReviewSession, keys: str, size: Size = Size(rows=40, columns=120)) -> str:
    """Everything the application wrote to a terminal of ``size`` (escape sequences included)."""
    buffer = io.StringIO()
    drive(session, keys, Vt100_Output(buffer, lambda: size, term="xterm"))
    return buffer.getvalue()


def test_accept_reject_edit_annotate_undo_quit(session):
    ws = session.ws
    first = [session.segment_at(i) for i in range(3)]
    assert "Learning to Power" in first[0].target and "Learning to Power" in first[1].target
    keys = (
        "a" + ENTER  # segment 1: accept the suggestion, confirm
        + "r" + ENTER  # segment 2: reject the suggestion, confirm
        + "e" + " (checked)" + ENTER + ENTER  # segment 3: hand edit appended, Enter: a plain correction
        + "m" + "jjjjj" + ENTER + "j" + ENTER + "opened in" + ENTER + "word order" + ENTER  # flag
        + "m" + ENTER + ENTER + ENTER + ENTER  # a second flag (Mistranslation, Minor, whole target)...
        + "u"  # ...undone
        + "q"
    )
    drive(session, keys)
    s0, s1, s2 = (ws.segment(seg.id) for seg in first)
    assert s0.status is Status.REVIEWED and s0.target == first[0].target.replace("Learning to Power", "Xuexi Qiangguo")
    assert s1.status is Status.REVIEWED and s1.target == first[1].target
    assert [a.state for a in ws.annotations(s1.id)] == [EditState.REJECTED]
    assert s2.target == first[2].target + " (checked)" and s2.status is first[2].status
    mine = [a for a in ws.annotations(s2.id) if a.edit.author == "alice"]
    edit, flag, undone = mine
    assert edit.edit.author_kind is AuthorKind.PERSON and edit.state is EditState.APPLIED
    assert (edit.edit.before, edit.edit.after) == ("", " (checked)")
    assert flag.edit.after is None and flag.state is EditState.APPLIED
    assert (flag.edit.category, flag.edit.severity, flag.edit.before) == ("Fluency/Grammar", Severity.MAJOR, "opened in")
    assert flag.comment == "word order"
    assert undone.state is EditState.REVERTED and undone.edit.category == "Accuracy/Mistranslation"
    assert ws.rebuild_target(s2.id) == s2.target
    # Every decision was committed as it was made: the log holds them in order.
    actions = [r[0] for r in ws.conn.execute("SELECT action FROM review_log ORDER BY id")]
    assert actions == ["accept", "confirm", "reject", "confirm", "edit", "flag", "flag"]


def test_empty_target_is_asked_about(session):
    seg = session.segment_at(0)
    # Clear the editor, save: asked; "n" goes back; Ctrl-G cancels. Nothing stored.
    drive(session, "e" + CTRL_A + CTRL_K + ENTER + "n" + CTRL_G + "q")
    assert session.ws.segment(seg.id).target == seg.target
    assert not [a for a in session.ws.annotations(seg.id) if a.edit.author == "alice"]
    # The same, answering "y": an empty target, stored on purpose.
    drive(session, "e" + CTRL_A + CTRL_K + ENTER + "y" + ENTER + "q")  # Enter: a plain correction
    assert session.ws.segment(seg.id).target == ""


def test_navigation_goto_filter_and_issue_keys(session):
    open_positions = [e.position for e in session.entries if e.open_issues]
    # ":" go to segment 5, "n" next segment with issues, then accept there.
    target_pos = next(p for p in open_positions if p > 4)
    drive(session, ":5" + ENTER + "n" + "a" + "q")
    changed = session.entries[target_pos]
    assert changed.open_issues < len([a for a in session.annotations_at(target_pos)])  # one decided
    assert [a.state for a in session.annotations_at(target_pos)].count(EditState.APPLIED) == 1


def test_filter_unreviewed_skips_confirmed_segments(session):
    # Confirm segment 1 (Enter twice: its suggestion stays open), go back to it, filter to unreviewed:
    # the view moves on; "k" finds nothing before.
    drive(session, ENTER + ENTER + "k" + "f" + "jj" + ENTER + ENTER + ENTER + "q")
    assert session.entries[0].status is Status.REVIEWED
    assert session.entries[1].status is Status.REVIEWED  # Enter under the filter confirmed segment 2
    assert session.entries[2].status is not Status.REVIEWED


def test_screen_shows_segment_diff_labels_and_status(session):
    out = screen_of(session, "q")
    assert "Learning to Power" in out and "学习强国" in out
    assert "{~~Learning to Power~>Xuexi Qiangguo~~}#1" in out
    assert "term-check" in out and "Terminology/Wrong term" in out and "Major" in out
    assert "segment 1/" in out and "reviewed 0/" in out and "open issues" in out
    for key in review_app.KEYS:
        if key.label:
            assert f"{review_app.key_names(key)} {key.label}" in out  # the help bar


def test_help_screen_lists_every_key_and_any_key_closes_it(session):
    ui = review_app.ReviewUI(session)
    text = "".join(t for _, t in review_app.help_screen(ui))
    for key in review_app.KEYS:
        assert f"{review_app.key_names(key):<14}{key.handler.__doc__}" in text
    seg = session.segment_at(0)
    drive(session, "?" + "a" + "q")  # "a" closes the help screen; it does not accept anything
    assert session.ws.segment(seg.id).target == seg.target
    assert not session.ws.conn.execute("SELECT count(*) FROM review_log").fetchone()[0]


def test_no_color_keeps_the_diff_readable(session, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    out = screen_of(session, "a" + "q")
    assert "[-Learning to Power-]" in out and "{+Xuexi Qiangguo+}" in out
    assert "\x1b[38;5" not in out and "\x1b[31" not in out  # no colour codes at all


def test_terminal_too_small_shows_a_message_and_ignores_decisions(session):
    before = session.segment_at(0)
    out = screen_of(session, "a" + ENTER + "q", size=Size(rows=10, columns=40))
    assert "Terminal too small (40x10)" in out
    assert session.ws.segment(before.id).target == before.target
    assert session.ws.segment(before.id).status is before.status


def test_word_segmentation_toggle_and_term_from_selected_word(session):
    pytest.importorskip("mtmend.cleaner.glossary", reason="the cleaner's glossary module has not landed yet")
    ui = review_app.ReviewUI(session)
    ui.segmented = True
    shown = "".join(t for _, t in review_app.segment_view(ui))
    assert "[学习] 强国" in shown  # jieba cuts the app name 学习强国 in two; the first word is selected
    ui.word = 1
    assert "学习 [强国]" in "".join(t for _, t in review_app.segment_view(ui))
    # "w" shows words, "t" pre-fills the selected word 学习, completed by typing 强国; English; forbidden.
    drive(session, "w" + "t" + "强国" + ENTER + "Xuexi Qiangguo" + ENTER + "Learning to Power" + ENTER + "q")
    text = (session.ws.folder / "glossary.tsv").read_text(encoding="utf-8")
    assert "学习强国\tXuexi Qiangguo\tLearning to Power" in text
    log = session.ws.conn.execute("SELECT action FROM review_log").fetchall()
    assert [r[0] for r in log] == ["term"]


@pytest.mark.parametrize(("answer", "state", "reviewed"), [
    (ENTER, EditState.SUGGESTED, True),  # confirm, keep the suggestion open
    ("a", EditState.APPLIED, True),  # accept all, then confirm
    ("r", EditState.REJECTED, True),  # reject all, then confirm
    ("x", EditState.SUGGESTED, False),  # anything else: back, nothing decided
])
def test_enter_with_pending_suggestions_asks_first(session, answer, state, reviewed):
    seg = session.segment_at(0)
    (pending,) = session.pending(seg.id)
    drive(session, ENTER + answer + "q")
    assert session.ws.annotation(pending.id).state is state
    assert (session.ws.segment(seg.id).status is Status.REVIEWED) is reviewed


def test_hand_edit_is_word_level_and_the_picker_categorises_it(session):
    seg = session.segment_at(2)
    words = seg.target.split(" ")
    new = " ".join([words[0], "REPLACED", *words[2:]])
    # Clear the editor, type the new target, save; pick Accuracy/Mistranslation (first category), Major.
    drive(session, ":3" + ENTER + "e" + "\x01\x0b" + new + ENTER + "j" + ENTER + "j" + ENTER + "q")
    mine = [a for a in session.ws.annotations(seg.id) if a.edit.author == "alice"]
    assert [(a.edit.before, a.edit.after) for a in mine] == [(words[1], "REPLACED")]  # one word, not characters
    assert (mine[0].edit.category, mine[0].edit.severity) == ("Accuracy/Mistranslation", Severity.MAJOR)
    assert session.ws.segment(seg.id).target == new
    drive(session, "u" + "q")  # undo takes the category back, then the edit is next
    assert session.ws.annotation(mine[0].id).edit.category == "Other"
