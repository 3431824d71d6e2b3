"""``mtmend report --html FILE``: a self-contained HTML page of figures, charts and tables."""

from __future__ import annotations

from mtmend.cli.common import info, open_workspace, output


def register(sub) -> None:
    p = sub.add_parser(
        "report",
        help="write a self-contained HTML report: per-document tables, charts over passes, annotations",
        description="Write one HTML file that needs no network to view (inline CSS and SVG charts, no "
        "scripts): per-document segments, open issues, MQM and metrics; charts of the figures over the "
        "recorded passes; annotations by category and state; the signatures of every score.",
    )
    p.add_argument("--html", required=True, metavar="FILE",
                   help="output file, written atomically; - for stdout (required)")
    p.add_argument("--title", default="mtmend report", help="page title (default: mtmend report)")
    p.set_defaults(run=run)


def run(args) -> int:
    from mtmend.corpus import report

    with open_workspace(args) as ws:
        page = report.render(ws, args.title)
    with output(args.html) as out:
        out.write(page)
    if args.html != "-":
        info(f"wrote {args.html}")
    return 0
