"""End to end in a real terminal: tmux runs ``mtmend review`` on the cleaned sample corpus.

Keys go in with ``send-keys``, the screen comes back with ``capture-pane``; the process is
then killed with SIGKILL mid-session and a reopened session must show every decision.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid

import pytest

from conftest import ROOT, SAMPLES
from mtmend.cli.main import COMMANDS, main
from mtmend.corpus.exporting import article_text
from mtmend.corpus.model import EditState, Status
from mtmend.corpus.store import Workspace
from test_review_support import DOC, add_term_suggestions

WAIT = 30.0  # seconds to wait for the screen to show something (a limit, not a measurement)


class Tmux:
    """One private tmux server (its own socket), so nothing else is touched."""

    def __init__(self):
        self.socket = f"mtmend-test-{uuid.uuid4().hex[:8]}"

    def __call__(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args],
                              capture_output=True, text=True, timeout=20)
        if done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def start(self, command: str) -> None:
        self("new-session", "-d", "-s", "review", "-x", "120", "-y", "40", command)

    def screen(self) -> str:
        return self("capture-pane", "-p", "-J", "-t", "review")

    def wait_for(self, text: str) -> str:
        deadline = time.monotonic() + WAIT
        while True:
            screen = self.screen()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared on the screen:\n{screen}")
            time.sleep(0.1)

    def keys(self, *keys: str, then: str) -> str:
        """Send keys, then wait until the screen shows ``then`` (the key was handled)."""
        self("send-keys", "-t", "review", *keys)
        return self.wait_for(then)

    def confirm(self, then: str) -> str:
        """Enter; when suggestions are pending, a second Enter confirms and keeps them open."""
        self("send-keys", "-t", "review", "Enter")
        deadline = time.monotonic() + WAIT
        while then not in (screen := self.screen()):
            if "pending — a: accept all" in screen:
                return self.keys("Enter", then=then)
            if time.monotonic() > deadline:
                raise AssertionError(f"{then!r} never appeared on the screen:\n{screen}")
            time.sleep(0.1)
        return screen

    def pid(self) -> int:
        return int(self("display-message", "-p", "-t", "review", "#{pane_pid}").strip())

    def stop(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=20)


@pytest.fixture
def tmux():
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed here (.ci/run installs it)")
    t = Tmux()
    try:
        t("start-server")
    except (RuntimeError, OSError) as exc:
        pytest.skip(f"tmux cannot run here: {exc}")
    yield t
    t.stop()


@pytest.fixture
def cleaned(sample_workspace):
    """The sample corpus imported and cleaned with the sample glossary."""
    shutil.copy(SAMPLES / "glossary.tsv", sample_workspace / "glossary.tsv")
    if "clean" in COMMANDS:
        assert main(["-w", str(sample_workspace), "clean", DOC]) == 0
    else:  # the cleaner has not landed: the glossary's forbidden variants as suggestions
        with Workspace.open(sample_workspace) as ws:
            add_term_suggestions(ws)
    return sample_workspace


def review_command(folder) -> str:
    env = f"cd {ROOT} && MTMEND_REVIEWER=alice PYTHONPATH= exec"
    return f"{env} {sys.executable} -m mtmend.cli.main -w {folder} review {DOC}"


def first_issue(folder) -> tuple[int, str, str]:
    """Position, before and after of the first pending replacement in the document."""
    with Workspace.open(folder) as ws:
        for seg in ws.segments(ws.document(DOC).id):
            for ann in ws.annotations(seg.id, [EditState.SUGGESTED]):
                if not ann.edit.is_flag:
                    return seg.position, ann.edit.before, ann.edit.after
    raise AssertionError("the cleaned sample has no pending suggestion")


def splittable(folder, *, after: int) -> int:
    """The number of a segment past ``after`` that a 1:1 split can cut (two English sentences)."""
    from mtmend.corpus import realign as regrouping

    with Workspace.open(folder) as ws:
        segs = list(ws.segments(ws.document(DOC).id))
        for k, seg in enumerate(segs[after:-1], after):
            applied = [a.edit for a in ws.annotations(seg.id, [EditState.APPLIED]) if not a.edit.is_flag]
            if len(regrouping.zh_spans(seg.source)) < 1 or len(regrouping.en_spans(seg.mt)) < 2:
                continue
            nz, ne = len(regrouping.zh_spans(seg.source)), len(regrouping.en_spans(seg.mt))
            try:
                regrouping.regroup([seg], [applied], [(1, 1), (nz - 1, ne - 1)])
            except Exception:
                continue
            if segs[k + 1].para == seg.para and seg.status is not Status.REVIEWED:
                return k + 1
    raise AssertionError("no splittable segment in the cleaned sample")


def test_review_in_tmux_survives_sigkill(tmux, cleaned):
    position, before, after = first_issue(cleaned)
    with Workspace.open(cleaned) as ws:
        segs = list(ws.segments(ws.document(DOC).id))
    total = len(segs)
    tmux.start(review_command(cleaned))
    screen = tmux.wait_for(f"segment 1/{total}")
    assert "ZH" in screen and "MT" in screen and "TGT" in screen and "? help" in screen
    if "clean" in COMMANDS:
        assert "MQM " in screen  # quality figures from the clean pass's snapshot

    tmux.confirm(then=f"segment 2/{total}")  # confirm segment 1
    tmux.keys(":", then="go to segment")
    tmux.keys(str(position + 1), "Enter", then=f"segment {position + 1}/{total}")
    # Put the cursor on the first pending replacement, accept it.
    for _ in range(12):
        screen = tmux.screen()
        line = next(ln for ln in screen.splitlines() if ln.lstrip().startswith("▶ #"))
        if "suggested" in line and repr(before) in line:
            break
        tmux("send-keys", "-t", "review", "Tab")
        time.sleep(0.2)
    tmux.keys("a", then=f"applied: {before!r} → {after!r}")
    # Flag an error on the whole target with a comment (category and severity: first and preset).
    tmux.keys("m", then="MQM category")
    tmux.keys("Enter", then="Severity")
    tmux.keys("Enter", then="erroneous text")
    tmux.keys("Enter", then="comment (optional)")
    tmux.keys("tmux check", "Enter", then="error noted")
    tmux.confirm(then=f"segment {position + 2}/{total}")  # confirm it
    assert f"reviewed 2/{total}" in tmux.screen()

    # Repair the alignment of a later two-sentence segment: split it, then join it back.
    number = splittable(cleaned, after=position + 2)
    with Workspace.open(cleaned) as ws:
        article = article_text(ws.segments(ws.document(DOC).id))
    tmux.keys(":", then="go to segment")
    tmux.keys(str(number), "Enter", then=f"segment {number}/{total}")
    tmux.keys("S", then="Split after")
    tmux.keys("Enter", then="split at 1:1")
    assert f"segment {number}/{total + 1}" in tmux.screen()
    tmux.keys("J", then="merged with the next segment")
    assert f"segment {number}/{total}" in tmux.screen()

    # The workspace already holds every decision, before anything ends.
    with Workspace.open(cleaned) as ws:
        seg = ws.segment(segs[position].id)
        assert seg.status is Status.REVIEWED and after in seg.target
        flags = [a for a in ws.annotations(seg.id) if a.edit.author == "alice" and a.edit.is_flag]
        assert len(flags) == 1 and flags[0].comment == "tmux check"

    pid = tmux.pid()
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        try:
            tmux("has-session", "-t", "review")
        except RuntimeError:
            break  # the pane died with its process
        time.sleep(0.1)

    # Reopened: resumes at the first unreviewed segment (2), every decision shown.
    tmux.start(review_command(cleaned))
    screen = tmux.wait_for(f"segment 2/{total}")
    assert f"reviewed 2/{total}" in screen
    tmux.keys(":", then="go to segment")
    screen = tmux.keys(str(position + 1), "Enter", then=f"segment {position + 1}/{total}")
    assert f"applied: {before!r} → {after!r}" in screen and "tmux check" in screen
    assert "✓ reviewed" in screen
    with Workspace.open(cleaned) as ws:  # the repairs survived the kill; the article reads as before
        actions = [r[0] for r in ws.conn.execute("SELECT action FROM review_log WHERE undone = 0 ORDER BY id")]
        assert actions[-2:] == ["split", "merge"]
        assert article_text(ws.segments(ws.document(DOC).id)) == article
    # Undo reaches back into the killed session: the merge, the split, the confirmation of that segment.
    for _ in range(3):
        tmux.keys("u", then="last decision undone")
        tmux("send-keys", "-t", "review", "j")  # a key in between, so the next message is new
        time.sleep(0.3)
    tmux.keys("q", then="")
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        try:
            tmux("has-session", "-t", "review")
        except RuntimeError:
            break
        time.sleep(0.1)
    with Workspace.open(cleaned) as ws:
        seg = ws.segment(segs[position].id)
        assert seg.status is not Status.REVIEWED and after in seg.target
        reviews = [p for p in ws.passes() if p.kind == "review"]
        assert len(reviews) == 2 and all(p.finished for p in reviews)
        assert reviews[0].summary["interrupted"] is True  # the killed session's pass, closed by the next
        assert ws.review_lock(ws.document(DOC).id) is None
