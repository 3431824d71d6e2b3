"""``mtmend clean``: run the repair rules over the workspace, or as a filter (``mtmend clean -``)."""

from __future__ import annotations

import sys

from mtmend.cli.common import format_table, info, open_workspace, output


def register(sub) -> None:
    p = sub.add_parser(
        "clean",
        help="repair machine-translation damage with the rules (workspace, or stdin with -)",
        description="Run the repair rules (see mtmend rules). "
        "mtmend clean [DOC...]: over the workspace's documents (default: all), recording one pass; automatic "
        "edits are applied as annotations, suggestions and flags are left for review, reviewed segments are "
        "skipped; prints a per-rule summary (applied, suggested, flagged) to stderr. "
        "mtmend clean -: a filter from stdin to stdout, UTF-8, one paragraph or segment per line; line structure "
        "and line ends are kept; a boilerplate or duplicate paragraph is removed (with the blank line after it), "
        "but never a line of Markdown structure, and code (fenced or indented) passes through untouched. "
        "With --format tsv no row is ever removed: every row in gives one row out, column 1 unchanged. "
        "The workspace's glossary.tsv is used when present. "
        "mtmend clean --engine dask --input GLOB --output DIR: the filter over sharded files on a Dask cluster, "
        "one output shard per input shard with the same name (no workspace involved).",
    )
    p.add_argument(
        "documents", nargs="*", metavar="DOC",
        help="documents to clean (default: every document); - reads stdin and writes stdout",
    )
    p.add_argument(
        "--annotations", metavar="FILE",
        help="with -: write one JSON object per edit (JSON Lines: line, start, end, rule, category, severity, "
        "before, after, applied, suggestion, flag, note) to FILE, - for stdout; with --engine dask: a folder "
        "receiving NAME.jsonl per shard, each record led by its shard (default: none)",
    )
    p.add_argument(
        "--format", choices=("text", "tsv"), default="text",
        help="with -: input is English text, or zh<TAB>en rows whose Chinese column enables the source-aware "
        "rules and the glossary (default: text)",
    )
    p.add_argument(
        "--glossary", metavar="FILE",
        help="terminology glossary, TSV (zh, en, forbidden, note) or TBX-Basic "
        "(default: glossary.tsv in the workspace if present; none for -)",
    )
    p.add_argument(
        "--empty-removed-rows", action="store_true",
        help="with - --format tsv: empty the English of a row a rule would remove (boilerplate, a duplicate), "
        "keeping the row (default: keep the English and flag it in --annotations)",
    )
    p.add_argument("--diff", action="store_true", help="show the changes as a unified diff instead of applying them (default: apply)")
    p.add_argument("--rules", metavar="IDS", help="comma-separated rule ids to run (default: all; see mtmend rules)")
    p.add_argument("--skip-rules", metavar="IDS", help="comma-separated rule ids not to run (default: none)")
    p.add_argument(
        "--quotes", choices=("auto", "straight", "typographic"), default=None,
        help="quote style: auto = each document's majority style in the workspace, unchanged with -; typographic "
        "meets a curly-quote house style; a workspace keeps the style its last clean used (default: that, else auto)",
    )
    p.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="with -: worker processes (default: 1)")
    p.add_argument("--wait", action="store_true",
                   help="workspace: wait for reviewers to release their documents instead of leaving those "
                   "documents alone and exiting 6 (default: leave them alone)")
    from mtmend.cli.clean_dask import register_engine

    register_engine(p)
    p.set_defaults(run=run)


def _config(args, default_glossary=None, quotes=None):
    from pathlib import Path

    from mtmend.cleaner.config import CleanConfig, QuoteStyle, choose_rules
    from mtmend.cleaner.glossary import Glossary

    enabled = choose_rules(args.rules, args.skip_rules)
    path = args.glossary or (default_glossary if default_glossary and Path(default_glossary).is_file() else None)
    glossary = Glossary.load(path) if path else None
    return CleanConfig(QuoteStyle(quotes or args.quotes or "auto"), enabled, glossary, args.empty_removed_rows)


def run(args) -> int:
    from mtmend.corpus.errors import InputError

    if args.jobs < 1:
        raise InputError(f"-j/--jobs must be at least 1, got {args.jobs}")
    if args.engine is not None or args.input or args.output:
        from mtmend.cli.clean_dask import check, run_engine

        check(args)
        return run_engine(args, _config(args))
    if "-" in args.documents:
        if args.documents != ["-"]:
            raise InputError("'-' (stdin) cannot be combined with document names")
        return _run_filter(args)
    for option, given in (
        ("--annotations", args.annotations), ("--format tsv", args.format == "tsv"), ("-j", args.jobs > 1),
        ("--empty-removed-rows", args.empty_removed_rows),
    ):
        if given:
            raise InputError(f"{option} works with the filter form (mtmend clean -), not on the workspace")
    return _run_workspace(args)


def _run_filter(args) -> int:
    from contextlib import nullcontext

    from mtmend.cleaner.batch import BatchSettings, filter_lines
    from mtmend.cleaner.stream import read_lines
    from mtmend.corpus.outfile import data_stdout

    annotations = output(args.annotations) if args.annotations else nullcontext()
    with data_stdout() as stdout, annotations as notes:
        settings = BatchSettings(_config(args), args.format == "tsv", notes is not None)
        filter_lines(read_lines(sys.stdin.buffer), settings, stdout, notes, jobs=args.jobs, diff=args.diff)
    return 0


def _run_workspace(args) -> int:
    from mtmend.cleaner.glossary import WORKSPACE_FILE
    from mtmend.cleaner.passes import clean_workspace, preview

    with open_workspace(args) as ws:
        config = _config(args, ws.folder / WORKSPACE_FILE, args.quotes or kept_quote_style(ws))
        documents = ws.select_documents(args.documents)
        if not documents:
            info("no documents in the workspace: import one first (mtmend import)")
            return 0
        if args.diff:
            with output("-") as out:
                for change in preview(ws, documents, config):
                    out.write(_segment_diff(change))
            return 0
        report = clean_workspace(ws, documents, config, command="mtmend clean " + " ".join(args.documents),
                                 wait=args.wait)
    info(summary_table(report))
    if report.held:
        from mtmend.corpus.errors import EXIT_PARTIAL

        info(f"left alone (a reviewer holds them, nothing changed): {', '.join(report.held)}; "
             "run mtmend clean again when the review ends, or use --wait")
        return EXIT_PARTIAL
    return 0


def kept_quote_style(ws) -> str | None:
    """The quote style the workspace's last finished clean used (``None`` before any clean)."""
    for p in reversed(ws.passes()):
        if p.kind == "clean" and p.finished:
            return (p.summary.get("ruleset") or {}).get("quote_style")
    return None


def _segment_diff(change) -> str:
    seg, result = change.segment, change.result
    lines = [f"--- {change.document} segment {seg.position + 1}\n"]
    if result.applied:
        lines.append(f"-{seg.target}\n+{result.text}\n")
    for edit in result.suggested:
        what = "flag" if edit.after is None else f"suggest {edit.before!r} -> {edit.after!r}"
        lines.append(f"? {edit.author}: {what}{': ' + edit.note if edit.note else ''}\n")
    return "".join(lines)


def summary_table(report) -> str:
    """The per-rule summary printed after a workspace clean."""
    rows = [(c.rule, c.applied, c.suggested, c.flagged) for c in report.counts if c.applied or c.suggested or c.flagged]
    total = (
        "total", sum(c.applied for c in report.counts), sum(c.suggested for c in report.counts),
        sum(c.flagged for c in report.counts),
    )
    text = [
        f"cleaned {len(report.documents)} document(s), {report.segments} segments: {report.changed} changed, "
        f"{report.skipped_reviewed} reviewed left alone (pass {report.pass_id})",
        format_table(("rule", "applied", "suggested", "flagged"), [*rows, total]),
    ]
    for inc in report.inconsistencies:
        variants = ", ".join(f"{r!r} ×{n}" for r, n in inc.renderings)
        text.append(f"inconsistent renderings of {inc.zh} (approved {inc.approved!r}): {variants}")
    if report.alignment_issues:
        text.append(f"{report.alignment_issues} open alignment issue(s): beads with an empty side or a probable "
                    "omission (Accuracy/Omission, Accuracy/Addition) — see mtmend review")
    text.append(f"ruleset: {report.signature}")
    return "\n".join(text)
