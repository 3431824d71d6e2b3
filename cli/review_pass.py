"""``mtmend review --plain --segments``: a full review pass, one segment after another, in plain text.

Every segment is shown (source, MT, the target with its edits) from the first unreviewed
one on, and one answer per line decides: ``c`` confirm (with suggestions pending, asks
first: ``a`` accept all, ``r`` reject all, ``k`` keep them open — the rule of the
full-screen review), ``e`` edit the target (the next line), ``m`` mark an error
(category, severity, span, comment), ``S`` split (``ZH:EN`` on the next line), ``J`` join
with the next segment, ``s`` skip, ``u`` undo, ``q`` quit, ``?`` help. From a terminal or
from stdin; end of input quits, every decision is already saved.
"""

from __future__ import annotations

from typing import IO

from mtmend import review
from mtmend.cli.review_plain import Answers
from mtmend.corpus.errors import MtmendError
from mtmend.corpus.model import MQM_CATEGORIES, Severity
from mtmend.review import Pending, ReviewSession

HELP = """c - confirm the segment (with pending suggestions: a accept all, r reject all, k keep them open)
e - edit the target (the new target on the next line, then what it corrected: a category number, or Enter)
m - mark an error: MQM category, severity, erroneous text (empty = whole target), comment
S - split the segment: ZH:EN sentences kept in the first part (e.g. 1:1; 1:0 isolates an omission)
J - join the segment with the next one
s - skip to the next segment
u - undo the last decision
q - quit; every decision so far is saved
? - print this help"""

PROMPT = "Segment [c,e,m,S,J,s,u,q,?]? "


def show(session: ReviewSession, index: int, out: IO) -> None:
    """The segment with its open edits marked in the target and listed."""
    entry = session.entries[index]
    seg, anns = session.segment_at(index), session.annotations_at(index)
    total = session.counts[entry.doc].segments
    out.write(f"\n{session.documents[entry.doc].name} · segment {session.number(index)}/{total} · "
              f"{entry.status.value} · open issues {entry.open_issues}\n")
    out.write(f"  zh:     {seg.source}\n  mt:     {seg.mt}\n  target: ")
    marks = review.inline_marks(seg.target, anns)
    out.write("".join(text for _, text in review.target_pieces(seg.mt, seg.target, marks)) + "\n")
    for number, ann in enumerate(anns, 1):
        if ann.state.value in ("suggested", "applied"):
            out.write(f"  #{number} {review.edit_label(ann, seg.target)}\n")


def run(session: ReviewSession, stdin: IO, out: IO, *, interactive: bool) -> dict[str, int]:
    """Walk every segment of the session from the first unreviewed; returns counts of decisions."""
    answers = Answers(stdin, out, interactive=interactive)
    tally = {"confirmed": 0, "edited": 0, "marked": 0, "split": 0, "joined": 0, "skipped": 0, "undone": 0}
    index = review.first_unreviewed(session.entries)
    while 0 <= index < len(session.entries):
        show(session, index, out)
        answer = answers.ask(PROMPT)
        if answer is None or answer.strip() == "q":
            break
        try:
            index = _decide(session, index, answer.strip(), answers, tally)
        except MtmendError as exc:
            out.write(f"not saved: {exc}\n")
    return tally


def _decide(session: ReviewSession, index: int, choice: str, answers: Answers, tally: dict[str, int]) -> int:
    """Carry out one answer; returns the index of the segment to show next."""
    seg = session.segment_at(index)
    if choice == "c":
        pending = _pending_choice(session, seg.id, answers)
        if pending is None:
            return index
        session.confirm(seg.id, pending)
        tally["confirmed"] += 1
        return index + 1
    if choice == "s":
        tally["skipped"] += 1
        return index + 1
    if choice == "e":
        text = answers.ask("new target> ", seg.target)
        if text is not None and session.hand_edit(seg.id, text, allow_empty=_sure_if_empty(text, answers)):
            tally["edited"] += 1
            _categorise(session, list(session.last_edit), answers)
        return index
    if choice == "m":
        tally["marked"] += _mark(session, seg, answers)
        return index
    if choice == "S":
        cut = answers.ask("split after ZH:EN sentences> ")
        zh, sep, en = (cut or "").partition(":")
        if not (sep and zh.strip().isdigit() and en.strip().isdigit()):
            answers.out.write("give ZH:EN, e.g. 1:1\n")
            return index
        session.split(seg.id, int(zh), int(en))
        tally["split"] += 1
        return index
    if choice == "J":
        session.merge(seg.id)
        tally["joined"] += 1
        return index
    if choice == "u":
        undone = session.undo()
        tally["undone"] += undone is not None
        answers.out.write("last decision undone\n" if undone is not None else "nothing to undo\n")
        found = None if undone is None else session.index_of(undone)
        return index if found is None else found
    answers.out.write(HELP + "\n" if choice == "?" else "answer c, e, m, S, J, s, u or q (? for help)\n")
    return index


def _pending_choice(session: ReviewSession, segment_id: int, answers: Answers) -> Pending | None:
    """What confirming does with pending suggestions (None: not confirmed after all)."""
    waiting = len(session.pending(segment_id))
    if not waiting:
        return Pending.KEEP
    reply = answers.ask(f"{waiting} suggestion(s) pending [a accept all, r reject all, k keep them open, "
                        "anything else: back]? ")
    return {"a": Pending.ACCEPT, "r": Pending.REJECT, "k": Pending.KEEP}.get((reply or "").strip())


def _sure_if_empty(text: str, answers: Answers) -> bool:
    """An empty target is stored only after a second yes."""
    if text.strip():
        return False
    sure = answers.ask("Store an EMPTY target (the segment gets no translation) [y,N]? ")
    return (sure or "").strip().lower() == "y"


def _categorise(session: ReviewSession, edit_ids: list[int], answers: Answers) -> None:
    """What the edit corrected: an MQM category number and a severity (Enter: a plain correction)."""
    category = _category(answers.ask("what did the edit correct? category number (Enter: a plain correction)> "))
    if not category:
        return
    severity = _severity(answers, "severity (Minor, Major, Critical)> ", "; the edit stays a plain correction")
    if severity is not None:
        session.categorise(edit_ids, category, severity)


def _category(answer: str | None) -> str:
    """A category typed as its number in the listing, or as its name."""
    category = (answer or "").strip()
    if category.isdigit() and 1 <= int(category) <= len(MQM_CATEGORIES):
        return MQM_CATEGORIES[int(category) - 1]
    return category


def _severity(answers: Answers, prompt: str, otherwise: str = "") -> Severity | None:
    """The severity asked for; ``None`` (said, with ``otherwise``) when the answer is none."""
    try:
        return Severity.parse(answers.ask(prompt) or "")
    except ValueError as exc:
        answers.out.write(f"{exc}{otherwise}\n")
        return None


def _mark(session: ReviewSession, seg, answers: Answers) -> int:
    """Ask category, severity, span and comment; 1 when an error was recorded."""
    listing = "  ".join(f"{n}:{c}" for n, c in enumerate(MQM_CATEGORIES, 1))
    answers.out.write(listing + "\n")
    category = _category(answers.ask("category (number or name)> "))
    severity = _severity(answers, "severity (Neutral, Minor, Major, Critical)> ")
    if severity is None:
        return 0
    span = answers.ask("erroneous text (empty = whole target)> ") or ""
    comment = answers.ask("comment (optional)> ") or ""
    session.flag(seg.id, category, severity, span=span, comment=comment.strip())
    return 1
