"""``mtmend import``: bring an article (zh + en MT), an aligned TSV or a TMX into the workspace."""

from __future__ import annotations

from pathlib import Path

from mtmend.cli.common import creating_workspace, info


def register(sub) -> None:
    p = sub.add_parser(
        "import",
        help="import a Chinese source with its English MT, an aligned TSV, or a TMX",
        description="Import an article into the workspace (created if missing). "
        "ZH_FILE EN_FILE: plain-text Chinese source and its English machine translation, "
        "paragraphs separated by blank lines; sentences are split and aligned, one segment per bead. "
        "FILE.tsv: already aligned zh<TAB>en lines (an optional third column is a reference translation). "
        "Encodings: UTF-8 with or without BOM, UTF-16 with BOM, GB18030. "
        "Re-importing an unchanged document does nothing; a changed one replaces the old unless it has "
        "reviewed work (then --force is needed). "
        "FILE.tmx: a TMX 1.1-1.4 memory (one pass): units matching existing segments (same document and "
        "position, or same source) bring their target back as edits by the TMX's author — suggestions only, "
        "with a warning, on reviewed segments; other units become new documents (by x-mtmend-document, "
        "else one named after the file). Language codes map by the rule: exact code first, then the same "
        "primary language (zh, zh-Hans, ZH_cn all map onto zh-CN). Entities, DTDs and the network are never used.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="ZH_FILE EN_FILE, or one FILE.tsv / FILE.tmx")
    p.add_argument("--name", help="document name (default: the English file's name without extension)")
    p.add_argument(
        "--force", action="store_true",
        help="replace a document even if it has reviewed edits (default: refuse)",
    )
    p.add_argument("--source-lang", default="zh-CN", metavar="CODE",
                   help="TMX: the workspace's source language (default: zh-CN)")
    p.add_argument("--target-lang", default="en-US", metavar="CODE",
                   help="TMX: the workspace's target language (default: en-US)")
    p.set_defaults(run=run)


def run(args) -> int:
    from mtmend.corpus import importer
    from mtmend.corpus.errors import InputError

    paths = [Path(f) for f in args.files]
    if len(paths) == 2:
        with creating_workspace(args) as ws:
            result = importer.import_pair(ws, paths[0], paths[1], name=args.name, force=args.force)
    elif len(paths) == 1 and paths[0].suffix.lower() == ".tsv":
        with creating_workspace(args) as ws:
            result = importer.import_tsv(ws, paths[0], name=args.name, force=args.force)
    elif len(paths) == 1 and paths[0].suffix.lower() == ".tmx":
        return _tmx(args, paths[0])
    elif len(paths) == 1:
        raise InputError(
            f"{paths[0]}: give a Chinese source and its English translation (ZH_FILE EN_FILE), "
            "or one .tsv or .tmx file"
        )
    else:
        raise InputError(f"expected 1 or 2 files, got {len(paths)}")
    info(f"{result.document.name}: {result.outcome}, {result.segments} segments")
    return 0


def _tmx(args, path: Path) -> int:
    from mtmend.corpus.errors import InputError
    from mtmend.tmx.importing import import_tmx
    from mtmend.tmx.model import ImportSettings

    if args.name or args.force:
        raise InputError("--name and --force do not apply to TMX imports (documents come from the TMX)")
    settings = ImportSettings(source_lang=args.source_lang, target_lang=args.target_lang)
    with creating_workspace(args) as ws:
        report = import_tmx(ws, path, settings)
    for issue in report.issues:
        info(f"warning: {issue.message}")
    info(
        f"{path}: {report.units} units: {report.new_segments} new segments in {len(report.new_documents)} new "
        f"document(s), {report.updated} updated, {report.suggested} kept as suggestions (reviewed), "
        f"{report.unchanged} unchanged, {report.skipped} skipped"
    )
    return 0
