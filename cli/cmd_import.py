"""``mtmend import``: bring an article (zh + en MT), an aligned TSV or a TMX into the workspace."""

from __future__ import annotations

from pathlib import Path

from mtmend.cli.common import creating_workspace, info, open_workspace


def register(sub) -> None:
    p = sub.add_parser(
        "import",
        help="import a Chinese source with its English MT, an aligned TSV, or a TMX",
        description="Import articles into the workspace (created if missing). "
        "ZH_FILE EN_FILE: plain-text Chinese source and its English machine translation, "
        "paragraphs separated by blank lines; sentences are split and aligned, one segment per bead. "
        "Many articles in one run: ZH EN ZH EN ... (pairs), DIR (every NAME.zh.txt with its NAME.en.txt or "
        "NAME.txt, documents named NAME, in name order), or --manifest FILE (lines ZH<TAB>EN[<TAB>NAME], "
        "paths relative to the manifest; # comments). A batch prints one line per document (a progress bar "
        "on a terminal), imports the others when one fails, and exits 1 if any failed (when all fail, no new workspace is left behind). "
        "FILE.tsv: already aligned zh<TAB>en lines (an optional third column is a reference translation). "
        "Encodings: UTF-8 with or without BOM, UTF-16 with BOM; a Chinese file that is not UTF-8 is read "
        "as GB18030 and the command says so; anything else (e.g. a Latin-1 English file) needs --encoding. "
        "Re-importing an unchanged document does nothing; a changed one replaces the old unless it has "
        "reviewed work (then --force is needed). "
        "FILE.tmx: a TMX 1.1-1.4 memory (one pass): units matching existing segments (same document and "
        "position, or same source) bring their target back as edits by the TMX's author — suggestions only, "
        "with a warning, on reviewed segments; other units become new documents (by x-mtmend-document, "
        "else one named after the file). Language codes map by the rule: exact code first, then the same "
        "primary language (zh, zh-Hans, ZH_cn all map onto zh-CN). Entities, DTDs and the network are never used. "
        "FILE.xlf: an XLIFF 1.2 file (e.g. one mtmend exported, reviewed in a CAT tool): each trans-unit is "
        "matched like a TMX unit (file original = document, id = position); a changed target becomes an edit "
        "by the file's author, and the target's state sets the segment's status (signed-off/final, or "
        "translated by a person: reviewed). Changes from a TMX or XLIFF mark the segment reviewed.",
    )
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="ZH_FILE EN_FILE [ZH_FILE EN_FILE ...], a folder, or one FILE.tsv / FILE.tmx / FILE.xlf")
    p.add_argument("--manifest", metavar="FILE",
                   help="import the pairs listed in FILE, one ZH<TAB>EN[<TAB>NAME] per line (default: none)")
    p.add_argument("-j", "--jobs", type=_jobs, default=1, metavar="N",
                   help="align a batch in N worker processes (default: 1)")
    p.add_argument("--name", help="document name of a single pair or TSV "
                   "(default: the English file's name without .txt and .en)")
    p.add_argument(
        "--force", action="store_true",
        help="replace a document even if it has reviewed edits (default: refuse)",
    )
    p.add_argument("--encoding", metavar="CODEC",
                   help="encoding of the text/TSV files that are not UTF-8 (and have no BOM), e.g. latin-1, gb18030, big5 "
                   "(default: UTF-8; GB18030 is tried for the Chinese file only)")
    p.add_argument("--max-file-bytes", type=_positive, default=None, metavar="N",
                   help="refuse text/TSV files larger than N bytes (default: 256 MiB)")
    p.add_argument("--source-lang", default="zh-CN", metavar="CODE",
                   help="TMX/XLIFF: the workspace's source language (default: zh-CN)")
    p.add_argument("--target-lang", default="en-US", metavar="CODE",
                   help="TMX/XLIFF: the workspace's target language (default: en-US)")
    p.set_defaults(run=run)


def _jobs(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes, got {text!r}") from None
    if not 1 <= value <= 256:
        raise argparse.ArgumentTypeError(f"expected 1 to 256 processes, got {value}")
    return value


def run(args) -> int:
    from mtmend.corpus import importer
    from mtmend.corpus.errors import InputError

    paths = [Path(f) for f in args.files]
    if args.manifest is not None or len(paths) > 2 or (len(paths) == 1 and paths[0].is_dir()):
        return _batch(args, paths)
    if len(paths) == 2:
        with creating_workspace(args) as ws:
            result = importer.import_pair(ws, paths[0], paths[1], name=args.name, force=args.force, **_limits(args))
    elif len(paths) == 1 and paths[0].suffix.lower() == ".tsv":
        with creating_workspace(args) as ws:
            result = importer.import_tsv(ws, paths[0], name=args.name, force=args.force, **_limits(args))
    elif len(paths) == 1 and paths[0].suffix.lower() == ".tmx":
        return _tmx(args, paths[0])
    elif len(paths) == 1 and paths[0].suffix.lower() in (".xlf", ".xliff"):
        return _tmx(args, paths[0], xliff=True)
    elif len(paths) == 1:
        raise InputError(
            f"{paths[0]}: give a Chinese source and its English translation (ZH_FILE EN_FILE), "
            "a folder of NAME.zh.txt + NAME.txt files, or one .tsv, .tmx or .xlf file"
        )
    else:
        raise InputError("nothing to import: give ZH_FILE EN_FILE, a folder, a .tsv/.tmx/.xlf file, or --manifest FILE")
    for note in result.notes:
        info(note)
    info(f"{result.document.name}: {result.outcome}, {result.segments} segments")
    return 0


def _positive(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of bytes, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of bytes, got {value}")
    return value


def _limits(args) -> dict:
    from mtmend.corpus.textio import MAX_FILE_BYTES

    return {"encoding": args.encoding, "max_bytes": args.max_file_bytes or MAX_FILE_BYTES}


def _batch(args, paths: list[Path]) -> int:
    """Many pairs: one line per document, the others imported when one fails, exit 1 if any did."""
    from mtmend.cli.progress_bar import ProgressBar
    from mtmend.corpus import batch, importer
    from mtmend.corpus.errors import InputError, MtmendError
    from mtmend.corpus.textio import read_text

    if args.name:
        raise InputError("--name names a single document; in a batch use a manifest's NAME column")
    if args.manifest is not None:
        if paths:
            raise InputError("give either --manifest FILE or files to import, not both")
        pairs = batch.pairs_from_manifest(Path(args.manifest), read_text(Path(args.manifest)))
    elif len(paths) == 1:
        pairs = batch.pairs_from_folder(paths[0])
    else:
        pairs = batch.pairs_from_arguments(args.files)
    counts: dict[str, int] = {}
    bar = ProgressBar(len(pairs))
    # Like a single import, a batch that imports nothing leaves no new workspace behind.
    with creating_workspace(args) as ws:
        try:
            for outcome in importer.import_pairs(ws, pairs, force=args.force, workers=args.jobs, **_limits(args)):
                key = _report(bar, outcome)
                counts[key] = counts.get(key, 0) + 1
                bar.advance(outcome.item.label)
        finally:
            bar.close()
        if counts.get("failed") == len(pairs):
            raise MtmendError(f"{len(pairs)} documents: all failed, nothing imported")
    summary = ", ".join(f"{counts.get(k, 0)} {k}" for k in ("added", "replaced", "unchanged", "failed"))
    info(f"{len(pairs)} documents: {summary}")
    return 1 if counts.get("failed") else 0


def _report(bar, outcome) -> str:
    """One document's line; returns its outcome ("added", …, or "failed")."""
    if outcome.error is None:
        result = outcome.value
        for note in result.notes:
            bar.line(note)
        bar.line(f"{result.document.name}: {result.outcome}, {result.segments} segments")
        return result.outcome
    said = str(outcome.error)
    bar.line(f"failed: {said}" if outcome.item.label in said else f"{outcome.item.label}: failed: {said}")
    return "failed"


def _tmx(args, path: Path, xliff: bool = False) -> int:
    from mtmend.corpus.errors import InputError
    from mtmend.tmx.importing import import_tmx
    from mtmend.tmx.model import ImportSettings

    kind = "xliff" if xliff else "tmx"
    if args.name or args.force:
        raise InputError(f"--name and --force do not apply to {kind.upper()} imports (documents come from the file)")
    settings = ImportSettings(source_lang=args.source_lang, target_lang=args.target_lang)
    with creating_workspace(args) as ws:
        if xliff:
            from mtmend.tmx.xliff_read import read_xliff

            report = import_tmx(ws, path, settings, opener=read_xliff, kind=kind)
        else:
            report = import_tmx(ws, path, settings)
    for issue in report.issues:
        info(f"warning: {issue.message}")
    info(
        f"{path}: {report.units} units: {report.new_segments} new segments in {len(report.new_documents)} new "
        f"document(s), {report.updated} updated, {report.suggested} kept as suggestions (reviewed), "
        f"{report.unchanged} unchanged, {report.skipped} skipped"
    )
    if report.held:
        from mtmend.corpus.errors import EXIT_PARTIAL

        info(f"left alone (a reviewer holds them, nothing changed): {', '.join(report.held)}")
        return EXIT_PARTIAL
    return 0
