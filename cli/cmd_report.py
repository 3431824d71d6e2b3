"""``mtmend report``: the HTML report (LQA verdict, error list, figures), or the error list as TSV/JSON."""

from __future__ import annotations

from mtmend.cli.common import info, open_workspace, output, pass_mark


def register(sub) -> None:
    from mtmend.corpus.mqm import DEFAULT_THRESHOLD

    p = sub.add_parser(
        "report",
        help="write the LQA report: HTML (verdict, error list, figures, charts) or the error list as TSV/JSON",
        description="--html FILE: one HTML file that needs no network to view (inline CSS, SVG charts and a few "
        "lines of inline script for the filters): the LQA verdict (MQM penalty per 1,000 words, pass/fail per "
        "document and for the corpus), the error list filterable by document, category, severity, state and "
        "author, per-document tables, charts over the recorded passes, what each pass decided (accept, reject, "
        "edit, annotate), annotations by category and state, the signatures of every score. "
        "--format tsv|json -o FILE: the error list alone; TSV in the MQM/Marot layout (system doc docSegId "
        "globalSegId rater source target category severity metadata), JSON with the verdicts.",
    )
    p.add_argument("--html", metavar="FILE", help="HTML output file, written atomically; - for stdout")
    p.add_argument("--format", choices=("tsv", "json"),
                   help="write the error list as TSV (MQM/Marot layout) or JSON to -o FILE (default: none)")
    p.add_argument("-o", "--output", metavar="FILE", help="output file of --format; - for stdout")
    p.add_argument("--threshold", type=pass_mark, default=DEFAULT_THRESHOLD, metavar="N",
                   help="MQM Core pass mark: a document passes when 100 − penalty per 1,000 words of the errors "
                   f"still in the target reaches N (default: {DEFAULT_THRESHOLD:g})")
    p.add_argument("--state", nargs="+", choices=("applied", "suggested", "rejected", "reverted"), metavar="STATE",
                   help="--format: only errors in these states, e.g. applied suggested for Marot (default: all)")
    p.add_argument("--title", default="mtmend report", help="page title (default: mtmend report)")
    p.set_defaults(run=run)


def run(args) -> int:
    from mtmend.corpus import report
    from mtmend.corpus.errors import InputError

    if not args.html and not args.format:
        raise InputError("say what to write: --html FILE, or --format tsv|json -o FILE")
    if args.format and not args.output:
        raise InputError(f"--format {args.format} needs -o FILE (- for standard output)")
    if args.output and not args.format:
        raise InputError("-o FILE goes with --format tsv|json (the HTML report is written with --html FILE)")
    if args.state and not args.format:
        raise InputError("--state filters the error list of --format tsv|json")
    with open_workspace(args) as ws:
        if args.format:
            _error_list(args, ws)
        if args.html:
            page = report.render(ws, args.title, args.threshold)
    if args.html:
        with output(args.html) as out:
            out.write(page)
        if args.html != "-":
            info(f"wrote {args.html}")
    return 0


def _error_list(args, ws) -> None:
    from mtmend.corpus import lqa, report_lqa

    docs = ws.documents()
    rows = lqa.error_rows(ws, docs)
    if args.state:
        rows = (r for r in rows if r.state in args.state)
    with output(args.output) as out:
        if args.format == "tsv":
            out.writelines(report_lqa.tsv_lines(rows))
        else:
            per_doc, corpus = lqa.verdicts(ws, docs, args.threshold)
            out.writelines(report_lqa.json_text(rows, per_doc, corpus))
    if args.output != "-":
        info(f"wrote the error list to {args.output}")
