"""``mtmend progress``: the pass history as a table and a small terminal chart."""

from __future__ import annotations

import json
import sys

from typing import TYPE_CHECKING

from mtmend.cli.common import format_table, open_workspace, use_color

if TYPE_CHECKING:  # only a type here; command modules import lazily, for a fast start
    from mtmend.corpus.snapshot import Snapshot

BLOCKS = "▁▂▃▄▅▆▇█"


def register(sub) -> None:
    p = sub.add_parser(
        "progress",
        help="pass-by-pass history: statuses, open issues, MQM, effort and metrics, with a chart",
        description="Print one row per finished pass (clean, review, TMX import, score…) with the snapshot "
        "taken at its end: segments raw / auto-fixed / reviewed, open issues, MQM of the errors found and "
        "of those remaining, post-editing effort (TER of raw MT vs target, HTER-style) and, when references "
        "exist, BLEU/chrF++/TER of the target vs the reference. Below the table, a sparkline per figure. "
        "With DOC arguments, one table per document. NO_COLOR turns colour off.",
    )
    p.add_argument("documents", nargs="*", metavar="DOC", help="documents to show (default: the whole workspace)")
    p.add_argument("--format", choices=("table", "json"), default="table",
                   help="table and chart for people, json (the stored snapshots) for scripts (default: table)")
    p.set_defaults(run=run)


def figures(snap: Snapshot, doc: str | None = None) -> dict[str, object]:
    """The columns of one progress row, from a stored snapshot (whole workspace or one document)."""
    segs = snap.status_counts(doc)
    if doc is None:
        open_issues = snap.open_issues
    else:
        entry = snap.documents.get(doc)
        open_issues = None if entry is None else entry.open_issues
    found, remaining = snap.mqm_scores(doc)
    return {
        "raw": segs.get("raw", 0), "auto_fixed": segs.get("auto_fixed", 0), "reviewed": segs.get("reviewed", 0),
        "open": open_issues, "MQM found": found, "MQM left": remaining,
        "effort TER": snap.metric("effort", "TER", doc),
        "HTER": snap.metric("hter", "TER", doc),
        "BLEU ref": snap.metric("target_ref", "BLEU", doc),
        "chrF++ ref": snap.metric("target_ref", "chrF", doc),
    }


def sparkline(values: list[float | None]) -> str:
    """Unicode block sparkline; a gap (space) where a pass has no figure.

    >>> sparkline([0, 5, 10, None])
    '▁▅█ '
    """
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    return "".join(" " if v is None else BLOCKS[round((v - low) / span * (len(BLOCKS) - 1))] for v in values)


# Figures where lower is better (coloured green when they fall); the others rise when good.
LOWER_IS_BETTER = {"open", "MQM left", "raw"}


def chart(rows: list[dict], color: bool) -> str:
    """One sparkline per figure that has values, with first → last."""
    lines = []
    for key in ("open", "MQM found", "MQM left", "effort TER", "HTER", "BLEU ref", "chrF++ ref", "reviewed"):
        values = [r[key] for r in rows]
        known = [v for v in values if v is not None]
        if not known:
            continue
        first, last = known[0], known[-1]
        arrow = f"{_num(first)} → {_num(last)}"
        if color and first != last:
            better = (last < first) == (key in LOWER_IS_BETTER)
            arrow = f"\033[{32 if better else 33}m{arrow}\033[0m"
        lines.append(f"{key:>11}  {sparkline(values)}  {arrow}")
    return "\n".join(lines)


def _num(v: float) -> str:
    return f"{v:.2f}" if isinstance(v, float) else str(v)


def run(args) -> int:
    with open_workspace(args) as ws:
        for name in args.documents:
            ws.document(name)  # NotFoundError names the known documents
        # A pass whose process died is closed by the next pass as interrupted, maybe without figures.
        passes = [p for p in ws.passes() if p.finished and (p.snapshot is not None or p.summary.get("interrupted"))]
    if args.format == "json":
        json.dump([{"id": p.id, "kind": p.kind, "started": p.started, "finished": p.finished,
                    "detail": p.detail, "summary": p.summary} for p in passes],
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if not passes:
        print("no passes yet: import, clean, review or score to record one")
        return 0
    color = use_color()
    for doc in args.documents or [None]:
        rows = [figures(p.snapshot, doc) if p.snapshot is not None else None for p in passes]
        if doc is not None:
            print(f"== {doc}")
        measured = [r for r in rows if r is not None]
        headers = ("pass", "kind", "finished", *(measured[0].keys() if measured else ()))
        keep = [h for h in headers[3:] if any(r[h] is not None for r in measured)]
        table = [(p.id, p.kind if r is not None else f"{p.kind} (interrupted)", p.finished.replace("T", " ").rstrip("Z"),
                  *((r or {}).get(k) for k in keep)) for p, r in zip(passes, rows)]
        print(format_table(("pass", "kind", "finished (UTC)", *keep), table))
        print()
        if measured:
            print(chart(measured, color))
        if doc is not None:
            print()
    return 0
