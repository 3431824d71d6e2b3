"""``mtmend segment``: show a segment's sentences and repair its alignment (split, merge, move)."""

from __future__ import annotations

import sys

from mtmend.cli.common import info, open_workspace

ACTIONS = ("show", "split", "merge", "move")


def register(sub) -> None:
    p = sub.add_parser(
        "segment",
        help="show a segment's sentences; split it, merge it with the next, move a sentence",
        description="Repair the alignment of one segment (N: its number in the document, from 1). Each repair "
        "is a review decision (recorded by --reviewer, undone with u in mtmend review); the raw MT is kept and "
        "edits move with the sentences they changed. show: the segment's numbered Chinese and English sentences. "
        "split --at ZH:EN: the first part keeps ZH Chinese and EN English sentences (0 on one side makes the "
        "omission or addition a bead of its own, flagged as an open issue). merge: with the next segment. "
        "move --side zh|en --to next|previous: the last sentence to the next segment, or the next segment's "
        "first sentence back.",
    )
    p.add_argument("action", choices=ACTIONS, help="what to do: " + ", ".join(ACTIONS))
    p.add_argument("document", metavar="DOC", help="the document")
    p.add_argument("number", type=int, metavar="N", help="the segment's number in the document (from 1)")
    p.add_argument("--at", metavar="ZH:EN", help="split: sentences kept in the first part, e.g. 1:1 or 1:0")
    p.add_argument("--side", choices=("zh", "en"), default="zh", help="move: which side's sentence (default: zh)")
    p.add_argument("--to", choices=("next", "previous"), default="next",
                   help="move: the last sentence to the next segment, or its first sentence back (default: next)")
    p.add_argument("--reviewer", metavar="NAME",
                   help="name recorded on the decision (default: $MTMEND_REVIEWER, else your login)")
    p.set_defaults(run=run)


def run(args) -> int:
    from mtmend.cli.cmd_review import reviewer_name
    from mtmend.review import ReviewSession

    with open_workspace(args) as ws:
        session = ReviewSession.start(ws, [args.document], reviewer_name(args.reviewer))
        try:
            index = _index(session, args.number)
            seg = session.segment_at(index)
            if args.action == "show":
                _show(seg)
                return 0
            if args.action == "split":
                made = session.split(seg.id, *_cut(args.at))
            elif args.action == "merge":
                made = [session.merge(seg.id)]
            else:
                made = session.move_sentence(seg.id, args.side, args.to == "next")
            first = session.number(session.index_of(made[0]))
            info(f"{args.document}: segment {args.number} {args.action}: now segment(s) "
                 f"{', '.join(str(first + k) for k in range(len(made)))}")
        finally:
            session.close()
    return 0


def _index(session, number: int) -> int:
    from mtmend.corpus.errors import InputError

    total = session.counts[0].segments
    if not 1 <= number <= total:
        raise InputError(f"segment {number} does not exist: the document has segments 1 to {total}")
    return session.starts[0] + number - 1


def _cut(text: str | None) -> tuple[int, int]:
    from mtmend.corpus.errors import InputError

    zh, sep, en = (text or "").partition(":")
    if not sep or not zh.strip().isdigit() or not en.strip().isdigit():
        raise InputError("split needs --at ZH:EN, the sentences kept in the first part (e.g. --at 1:1); "
                         "see them with mtmend segment show")
    return int(zh), int(en)


def _show(seg) -> None:
    from mtmend.corpus import realign

    out = sys.stdout
    for label, text, spans in (("zh", seg.source, realign.zh_spans(seg.source)), ("en", seg.mt, realign.en_spans(seg.mt))):
        out.write(f"{label}: {len(spans)} sentence(s)\n")
        for k, (start, end) in enumerate(spans, 1):
            out.write(f"  {k}. {text[start:end]}\n")
    out.write(f"target: {seg.target}\n")
