"""``mtmend export``: a document's current English as text or TSV, or the workspace as TMX."""

from __future__ import annotations

from mtmend.cli.common import info, open_workspace, output

FORMATS = ("text", "tsv", "tmx", "xliff")
STATUSES = ("raw", "auto_fixed", "reviewed")


def register(sub) -> None:
    p = sub.add_parser(
        "export",
        help="write a document's current English (article or zh<TAB>en pairs), or a TMX memory",
        description="Write the current target text. text: one document's article with its paragraphs "
        "restored; tsv: one zh<TAB>en line per segment; tmx: a TMX 1.4b memory of the given documents "
        "(all documents when none is given) — clean (source, target, document, position, status: for CAT "
        "tools) or full (plus raw MT, layout and every annotation: a lossless archive that mtmend import "
        "restores). Segments with an empty side are skipped and counted in clean TMX. Characters XML 1.0 "
        "forbids are reported with their document and segment and the export is refused unless "
        "--invalid-chars replace. xliff: an XLIFF 1.2 file for review in a CAT tool, one <file> per document, "
        "one trans-unit per segment (state from the status, raw MT as alt-trans, annotations as notes). "
        "Files are written atomically; - writes to standard output.",
    )
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="output file, - for standard output")
    p.add_argument(
        "--format", choices=FORMATS, default=None,
        help="output format (default: tmx when FILE ends in .tmx or --clean/--full/--status is given, "
        "xliff when it ends in .xlf or .xliff, else text)",
    )
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--clean", dest="mode", action="store_const", const="clean",
                      help="TMX for CAT tools: no raw MT, no annotations (default)")
    mode.add_argument("--full", dest="mode", action="store_const", const="full",
                      help="TMX archive with raw MT, layout and every annotation (default: --clean)")
    p.add_argument("--status", nargs="+", metavar="STATUS",
                   help=f"TMX/XLIFF: only segments in these states, from {', '.join(STATUSES)} (default: all); "
                   "document names may follow the states (--status reviewed DOC)")
    p.add_argument("--segtype", choices=("sentence", "paragraph"), default="sentence",
                   help="TMX unit size: one unit per segment, or one per paragraph of the article, which a CAT "
                   "tool segmenting by paragraph matches exactly, e.g. OmegaT (default: sentence)")
    p.add_argument("--source-lang", metavar="CODE",
                   help="TMX source language, BCP 47 (default: the documents' source language, e.g. zh-CN)")
    p.add_argument("--target-lang", metavar="CODE",
                   help="TMX target language, BCP 47 (default: the documents' target language, e.g. en-US)")
    p.add_argument("--encoding", choices=("utf-8", "utf-16"), default="utf-8",
                   help="TMX encoding; utf-16 is written with a byte-order mark (default: utf-8)")
    p.add_argument("--invalid-chars", choices=("refuse", "replace"), default="refuse",
                   help="characters XML 1.0 forbids: refuse the export, or write U+FFFD (default: refuse)")
    p.add_argument("documents", nargs="*", metavar="DOC",
                   help="document name (see mtmend status); text and tsv need one, TMX and XLIFF default to all")
    p.set_defaults(run=run, mode=None)


def run(args) -> int:
    from mtmend.corpus.errors import InputError
    from mtmend.corpus.exporting import article_text, tsv_lines

    _split_status(args)
    tmx_only = args.mode or args.status
    xliff = args.output.lower().endswith((".xlf", ".xliff"))
    fmt = args.format or ("xliff" if xliff else "tmx" if args.output.lower().endswith(".tmx") or tmx_only else "text")
    if fmt == "xliff":
        if args.mode:
            raise InputError("--clean/--full only apply to TMX: an XLIFF always carries raw MT and annotations")
        with open_workspace(args) as ws:
            return _xliff(args, ws, [ws.document(name) for name in args.documents] or ws.documents())
    if fmt != "tmx":
        used = [flag for flag, value in (("--clean/--full", args.mode), ("--status", args.status)) if value]
        if used:
            raise InputError(f"{', '.join(used)} only apply to TMX: add --format tmx or write to FILE.tmx")
        if not args.documents:
            raise InputError(f"--format {fmt} needs a document name (see mtmend status)")
    with open_workspace(args) as ws:
        docs = ws.select_documents(args.documents)
        if fmt == "tmx":
            return _tmx(args, ws, docs)
        if fmt == "text" and len(docs) > 1:
            raise InputError("--format text writes one article: give one document")
        with output(args.output) as out:
            for doc in docs:
                if fmt == "text":
                    out.write(article_text(ws.segments(doc.id)))
                else:
                    out.writelines(tsv_lines(ws.segments(doc.id)))
    return 0


def _tmx(args, ws, docs) -> int:
    from mtmend.corpus.errors import InputError
    from mtmend.corpus.model import Status
    from mtmend.tmx.export import export_tmx
    from mtmend.tmx.model import ExportMode, ExportSettings, InvalidChars, Segtype

    if not docs:
        raise InputError("the workspace has no documents to export: import one first")
    source = args.source_lang or _one({d.source_lang for d in docs}, "source", "--source-lang")
    target = args.target_lang or _one({d.target_lang for d in docs}, "target", "--target-lang")
    settings = ExportSettings(
        source_lang=source, target_lang=target, mode=ExportMode(args.mode or "clean"),
        segtype=Segtype(args.segtype), encoding=args.encoding, invalid_chars=InvalidChars(args.invalid_chars),
    )
    statuses = None if not args.status else [Status(s) for s in args.status]
    report = _write(args.output, lambda out: export_tmx(ws, out, settings, docs, statuses))
    for bad in report.replaced:
        info(f"replaced by U+FFFD: {bad}")
    skipped = f", {report.skipped_empty} skipped (empty side)" if report.skipped_empty else ""
    info(f"{args.output}: {report.units} units from {len(docs)} document(s){skipped}")
    return 0


def _xliff(args, ws, docs) -> int:
    from mtmend.corpus.errors import InputError
    from mtmend.corpus.model import Status
    from mtmend.corpus.version import mtmend_version
    from mtmend.tmx.xliff import export_xliff

    if not docs:
        raise InputError("the workspace has no documents to export: import one first")
    statuses = None if not args.status else [Status(s) for s in args.status]
    report = _write(args.output, lambda out: export_xliff(ws, out, docs, statuses, mtmend_version()))
    info(f"{args.output}: {report.units} trans-units in {report.documents} file(s)")
    return 0


def _write(path: str, export):
    """Run ``export(binary_file)`` into ``path``; returns what ``export`` returned.

    Standard output is spooled first: a refused export must not leave half a file there.
    """
    if path != "-":
        with output(path, binary=True) as out:
            return export(out)
    import shutil
    import sys
    import tempfile

    with tempfile.TemporaryFile() as spool:
        report = export(spool)
        spool.seek(0)
        shutil.copyfileobj(spool, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    return report


def _split_status(args) -> None:
    """``--status STATUS… DOC…``: the values after the states are document names."""
    from mtmend.corpus.errors import InputError

    if not args.status:
        return
    states = []
    for k, value in enumerate(args.status):
        if value not in STATUSES:
            if not states:
                raise InputError(f"--status: unknown status {value!r} (choose from {', '.join(STATUSES)})")
            args.documents = [*args.status[k:], *args.documents]
            break
        states.append(value)
    args.status = states


def _one(codes: set[str], side: str, flag: str) -> str:
    from mtmend.corpus.errors import InputError

    if len(codes) != 1:
        raise InputError(f"the documents have different {side} languages ({', '.join(sorted(codes))}): "
                         f"choose one with {flag} or export them separately")
    return codes.pop()
