"""``mtmend review``: a linguist's pass over the segments, full-screen or line by line."""

from __future__ import annotations

import os
import sys

from mtmend.cli.common import info, open_workspace


def register(sub) -> None:
    p = sub.add_parser(
        "review",
        help="review segments: accept or reject edits, edit targets, annotate errors (full screen or --plain)",
        description="Review documents segment by segment in a full-screen terminal application: Chinese "
        "source, raw MT and the target with its edits as an inline diff; accept or reject each edit, edit the "
        "target, add MQM error annotations, filter, search, undo, add glossary terms; press ? for every key. "
        "Each decision is saved at once; reopening resumes at the first unreviewed segment. A document being "
        "reviewed by someone else is refused (named) or left out (no names). "
        "--plain asks about each pending edit like git add -p (y accept, n reject, e edit, s skip, q quit), "
        "reading answers from stdin when it is not a terminal; --plain --segments walks every segment instead "
        "(confirm, edit, mark an error, split, join, skip, undo). Confirming a segment with suggestions "
        "pending never drops them silently: it asks (accept all, reject all, or keep them open).",
    )
    p.add_argument("documents", nargs="*", metavar="DOC",
                   help="documents to review (default: every document not under review elsewhere)")
    p.add_argument("--plain", action="store_true",
                   help="line-oriented questions per pending edit instead of the full-screen application "
                   "(default: full screen)")
    p.add_argument("--segments", action="store_true",
                   help="with --plain: a full review pass over every segment (c confirm, e edit, m mark an error, "
                   "S split, J join, s skip, u undo, q quit) instead of one question per pending edit "
                   "(default: pending edits only)")
    p.add_argument("--reviewer", metavar="NAME",
                   help="name recorded on your edits and annotations (default: $MTMEND_REVIEWER, else your login)")
    p.add_argument("--take-over", action="store_true",
                   help="take over review locks held by sessions on other hosts (default: refuse; locks of dead "
                   "processes on this host are always taken over)")
    p.set_defaults(run=run)


def reviewer_name(option: str | None) -> str:
    if option:
        return option
    if os.environ.get("MTMEND_REVIEWER"):
        return os.environ["MTMEND_REVIEWER"]
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "reviewer"


def run(args) -> int:
    from mtmend.review import ReviewSession
    from mtmend.corpus.errors import InputError

    if args.segments and not args.plain:
        raise InputError("--segments is a plain-mode walk: use mtmend review --plain --segments")
    if not args.plain and not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InputError("the full-screen review needs a terminal: use mtmend review --plain "
                         "(answers y/n/e/s/q, one per line, read from stdin)")
    with open_workspace(args) as ws:
        session = ReviewSession.start(ws, args.documents, reviewer_name(args.reviewer), take_over=args.take_over)
        try:
            for doc in session.skipped:
                info(f"{doc.name}: being reviewed by someone else, left out")
            if args.plain:
                from mtmend.cli import review_pass, review_plain
                from mtmend.cli.visible import VisibleWriter

                out = VisibleWriter(sys.stdout)  # segment text must not drive the terminal
                walk = review_pass.run if args.segments else review_plain.run
                tally = walk(session, sys.stdin, out, interactive=sys.stdin.isatty())
                sys.stdout.flush()
                info(", ".join(f"{v} {k}" for k, v in tally.items()))
            else:
                from mtmend.cli import review_app

                review_app.run(session)
        finally:
            summary = session.close()
        decisions = summary["decisions"]
        info("review saved: " + (", ".join(f"{v} {k}" for k, v in sorted(decisions.items())) or "no decisions"))
    return 0
