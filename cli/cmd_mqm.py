"""``mtmend mqm``: score, import and export MQM files (Google's MQM data / Marot format)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from mtmend.cli.common import creating_workspace, format_table, info, open_workspace, output, pass_mark

FORMAT_NOTE = (
    "MQM files are tab-separated with a header line and no quoting: system doc doc_id seg_id rater source "
    "target category severity (or docSegId globalSegId for the ids), optional trailing metadata JSON column; "
    "error spans marked <v>…</v>. HOTW-test rows (rater attention checks) are left out."
)

NORMALISED = ("{} rows differed from their segment's first row only in whitespace a rater marked "
              "(<v> </v>); their spans were moved onto the segment's text")


def register(sub) -> None:
    from mtmend.corpus.mqm import BY_CHOICES, DEFAULT_THRESHOLD, PROFILES

    p = sub.add_parser(
        "mqm",
        help="score an MQM file, or import/export MQM annotations",
        description="MQM scores as in Google's MQM studies (segment = mean over raters of each rater's "
        "sum of error weights, system = mean over segments; lower is better). " + FORMAT_NOTE,
    )
    actions = p.add_subparsers(dest="mqm_action", metavar="ACTION", required=True,
                               help="score (an MQM file), import (into the workspace) or export")

    score = actions.add_parser(
        "score", help="score an MQM file by system, document or segment (no workspace needed)",
        description="Score an MQM file. " + FORMAT_NOTE,
    )
    score.add_argument("file", metavar="FILE.tsv", help="MQM file to score")
    score.add_argument("--by", choices=BY_CHOICES, default="system",
                       help="unit: system (best first), system/doc or system/doc/segment (default: system)")
    score.add_argument("--weights", choices=[pr.name for pr in PROFILES], default=PROFILES[0].name,
                       help="; ".join(f"{pr.name}: {pr.description}" for pr in PROFILES)
                       + f" (default: {PROFILES[0].name})")
    score.add_argument("--format", choices=("table", "tsv", "json"), default="table",
                       help="table for people, tsv for name<TAB>score lines, json for scripts (default: table)")
    score.add_argument("--per-words", action="store_true",
                       help="add MQM Core normalisation: penalty per 1,000 target words, quality "
                       "= 100 − that, pass/fail (default: off)")
    score.add_argument("--threshold", type=pass_mark, default=DEFAULT_THRESHOLD, metavar="N",
                       help=f"MQM Core pass mark for the quality score, with --per-words (default: {DEFAULT_THRESHOLD:g})")
    score.set_defaults(run=run_score)

    imp = actions.add_parser(
        "import", help="import an MQM file into the workspace (one document per system and doc)",
        description="Import an MQM file: each system/doc becomes a document named SYSTEM/DOC, each row "
        "a flag annotation by its rater, so `mtmend score` and `mtmend mqm export` reproduce the file's "
        "scores and rows. " + FORMAT_NOTE,
    )
    imp.add_argument("file", metavar="FILE.tsv", help="MQM file to import")
    imp.add_argument("--force", action="store_true",
                     help="replace documents already imported with other ratings (default: refuse)")
    imp.set_defaults(run=run_import)

    exp = actions.add_parser(
        "export", help="write the workspace's MQM annotations as an MQM file",
        description="Write applied and open annotations as an MQM file. Imported documents come back "
        "row for row; other documents appear as system 'mt', with a No-error row for each segment "
        "nobody flagged. " + FORMAT_NOTE,
    )
    exp.add_argument("file", metavar="FILE.tsv", help="output file, written atomically; - for stdout")
    exp.add_argument("--document", action="append", default=[], metavar="DOC",
                     help="export only this document (repeatable; default: all)")
    exp.set_defaults(run=run_export)


def run_score(args) -> int:
    from mtmend.corpus import mqm, mqm_read

    weights = mqm.profile(args.weights)
    reader = mqm_read.open_tsv(args.file)
    scores = mqm.score_rows(reader, weights, args.by)
    if reader.dropped:
        info(f"{args.file}: left out {reader.dropped} HOTW-test rows (rater attention checks)")
    if reader.normalised:
        info(f"{args.file}: {NORMALISED.format(reader.normalised)}")
    if args.format == "tsv":
        for s in scores:
            sys.stdout.write(f"{s.name}\t{s.score:.4f}\n")
        return 0
    if args.format == "json":
        json.dump({"signature": weights.signature, "by": args.by,
                   "scores": [s.as_dict(args.threshold) for s in scores]}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    headers = [args.by, "segments", "MQM"]
    rows = []
    for s in scores:
        row = [s.name, s.segments, f"{s.score:.3f}"]
        if args.per_words:
            row += [s.words, f"{s.per_1000:.2f}", f"{s.quality():.2f}", "pass" if s.passed(args.threshold) else "fail"]
        rows.append(row)
    if args.per_words:
        headers += ["words", "penalty/1k words", "quality", f"≥{args.threshold:g}"]
    print(format_table(headers, rows))
    print(f"MQM: {weights.signature}")
    return 0


def run_import(args) -> int:
    from mtmend.corpus import mqm_workspace

    with creating_workspace(args) as ws:
        result = mqm_workspace.import_tsv(ws, Path(args.file), force=args.force)
    info(
        f"{args.file}: {result.added} documents added, {result.unchanged} unchanged, "
        f"{result.segments} segments, {result.annotations} annotations"
        + (f", {result.dropped} HOTW-test rows left out" if result.dropped else "")
    )
    if result.normalised:
        info(f"{args.file}: {NORMALISED.format(result.normalised)}")
    return 0


def run_export(args) -> int:
    from mtmend.corpus import mqm, mqm_workspace
    from mtmend.corpus.errors import InputError

    with open_workspace(args) as ws:
        docs = ws.select_documents(args.document)
        if not docs:
            raise InputError("nothing to export: the workspace has no documents")
        header, rows = mqm_workspace.export_rows(ws, docs)
        lines = list(mqm.format_rows(rows, header))  # validate everything before writing
    with output(args.file) as out:
        out.writelines(lines)
    info(f"wrote {len(rows)} MQM rows for {len(docs)} documents")
    return 0
