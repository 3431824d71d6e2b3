"""``mtmend review --plain``: one question per pending edit, like ``git add -p``.

Answers, one per line: ``y`` accept, ``n`` reject, ``e`` edit the whole target (the next
line is the new target; an empty one is only stored after a ``y`` to a second question),
``s`` skip, ``q`` quit, ``?`` help. When stdin is not a terminal, answers are read from it
line by line and end of input quits cleanly. Only segments with pending suggestions or
flags are visited; a segment becomes *reviewed* once every one of its pending edits got
``y``, ``n`` or ``e`` in this run (a skipped edit leaves it as it was).
"""

from __future__ import annotations

from typing import IO

from mtmend import review
from mtmend.review import ReviewSession, StaleSegmentError
from mtmend.corpus.errors import MtmendError
from mtmend.corpus.model import EditState

HELP = """y - accept this edit (for a flag: confirm the error)
n - reject this edit
e - edit the whole target (type the new target on the next line)
s - skip this edit for now (the segment stays unreviewed)
q - quit; every answer given so far is saved
? - print this help"""


class Answers:
    """Questions on ``out``, answers from a terminal (with line editing) or a stream."""

    def __init__(self, stdin: IO, out: IO, *, interactive: bool):
        self.stdin, self.out, self.interactive = stdin, out, interactive

    def ask(self, prompt: str, default: str = "") -> str | None:
        """One answer line without its newline; None at end of input."""
        if self.interactive:
            return self._from_terminal(prompt, default)
        self.out.write(prompt)
        line = self.stdin.readline()
        if not line:
            self.out.write("\n")
            return None
        answer = line.rstrip("\r\n")
        self.out.write(answer + "\n")  # echo, so a transcript reads like a session
        return answer

    def _from_terminal(self, prompt: str, default: str) -> str | None:
        try:
            import readline
        except ImportError:  # no line editing here: the default is shown instead
            readline = None
        if readline is not None:
            readline.set_startup_hook(lambda: readline.insert_text(default))
        try:
            self.out.flush()
            return input(prompt)
        except EOFError:
            self.out.write("\n")
            return None
        finally:
            if readline is not None:
                readline.set_startup_hook(None)


def show(session: ReviewSession, index: int, number: int, out: IO) -> None:
    """The segment with the edit about to be decided marked in its target."""
    entry = session.entries[index]
    seg, anns = session.segment_at(index), session.annotations_at(index)
    total = session.counts[entry.doc].segments
    out.write(f"\n{session.documents[entry.doc].name} · segment {session.number(index)}/{total} · {entry.status.value}\n")
    out.write(f"  zh:     {seg.source}\n  mt:     {seg.mt}\n  target: ")
    out.write("".join(text for _, text in review.target_pieces(seg.mt, seg.target, review.inline_marks(seg.target, anns))))
    out.write(f"\n  #{number} {review.edit_label(anns[number - 1], seg.target)}\n")


def run(session: ReviewSession, stdin: IO, out: IO, *, interactive: bool) -> dict[str, int]:
    """Ask about every pending edit of the session's documents; returns counts of answers."""
    answers = Answers(stdin, out, interactive=interactive)
    tally = {"accepted": 0, "rejected": 0, "edited": 0, "skipped": 0, "reviewed": 0}
    for index in range(len(session.entries)):
        if session.entries[index].open_issues == 0:
            continue
        outcome = _segment(session, index, answers, tally)
        if outcome == "quit":
            break
        if outcome == "decided":
            try:
                session.confirm(session.entries[index].segment_id)
                tally["reviewed"] += 1
            except StaleSegmentError as exc:  # changed after the last answer: not confirmed blindly
                answers.out.write(f"not confirmed: {exc}\n  target now: {session.segment_at(index).target}\n")
    return tally


def _segment(session: ReviewSession, index: int, answers: Answers, tally: dict[str, int]) -> str:
    """Ask about each pending edit of one segment: 'decided', 'skipped' or 'quit'."""
    asked: set[int] = set()
    skipped = False
    while True:
        anns = session.annotations_at(index)
        todo = [n for n, a in enumerate(anns, 1) if a.state is EditState.SUGGESTED and a.id not in asked]
        if not todo:
            return "skipped" if skipped else "decided"
        number = todo[0]
        ann = anns[number - 1]
        show(session, index, number, answers.out)
        verb = "Keep this flagged error" if ann.edit.is_flag else "Accept this edit"
        while True:
            answer = answers.ask(f"{verb} [y,n,e,s,q,?]? ")
            if answer is None or answer.strip().lower() == "q":
                return "quit"
            choice = answer.strip().lower()
            if choice == "?":
                answers.out.write(HELP + "\n")
                continue
            if choice not in ("y", "n", "e", "s"):
                answers.out.write("answer y, n, e, s or q (? for help)\n")
                continue
            break
        asked.add(ann.id)
        if choice == "s":
            skipped = True
            tally["skipped"] += 1
            continue
        try:
            if choice == "e":
                if not _edit(session, index, ann, answers):
                    return "quit"
                tally["edited"] += 1
            else:
                (session.accept_edit if choice == "y" else session.reject_edit)(ann.id)
                tally["accepted" if choice == "y" else "rejected"] += 1
        except StaleSegmentError as exc:
            answers.out.write(f"not saved: {exc}\n")
            asked.discard(ann.id)  # asked again, shown with the current text
        except MtmendError as exc:
            answers.out.write(f"not saved: {exc}\n")
            skipped = True


def _edit(session: ReviewSession, index: int, ann, answers: Answers) -> bool:
    """Reject the suggestion and store the reviewer's target instead; False at end of input."""
    seg = session.segment_at(index)
    proposal = seg.target
    where = review.locate(seg.target, ann.edit)
    if where is not None and ann.edit.after is not None:
        proposal = seg.target[: where[0]] + ann.edit.after + seg.target[where[1] :]
    while True:
        text = answers.ask("new target> ", proposal)
        if text is None:
            return False
        allow_empty = False
        if not text.strip():
            sure = answers.ask("Store an EMPTY target (the segment gets no translation) [y,N]? ")
            if sure is None:
                return False
            if sure.strip().lower() != "y":
                answers.out.write("empty target not stored; type the target again\n")
                continue
            allow_empty = True
        break
    # The edit first: refused as stale, it leaves the suggestion open to be asked again.
    session.hand_edit(seg.id, text, allow_empty=allow_empty)
    if session.ws.annotation(ann.id).state is EditState.SUGGESTED:
        session.reject_edit(ann.id)
    return True
