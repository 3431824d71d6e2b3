"""``mtmend tmx validate FILE…``: check TMX files as CAT tools will read them."""

from __future__ import annotations

from mtmend.cli.common import info


def register(sub) -> None:
    p = sub.add_parser(
        "tmx",
        help="TMX utilities: validate files",
        description="TMX utilities. validate: well-formedness, the TMX 1.4b DTD (shipped with mtmend, never "
        "fetched), and what the DTD cannot check: every unit has a variant in the header's srclang, "
        "bpt/ept pair up, no duplicate units, no empty segments, BCP 47 language codes. Findings go to "
        "standard output as FILE:LINE: error|warning: message; exit 1 if any file has an error.",
    )
    tsub = p.add_subparsers(dest="tmx_command", metavar="ACTION", required=True, help="what to do (validate)")
    v = tsub.add_parser(
        "validate",
        help="validate TMX files (exit 1 on any error)",
        description="Validate TMX files against TMX 1.4b and the checks the DTD cannot express. "
        "Language codes in non-canonical case (EN-US) are warnings; everything else is an error.",
    )
    v.add_argument("files", nargs="+", metavar="FILE", help="TMX file(s) to check")
    v.add_argument("--strict", action="store_true", help="treat warnings as errors too (default: off)")
    v.set_defaults(run=run_validate)


def run_validate(args) -> int:
    import sys
    from pathlib import Path

    from mtmend.tmx.validate import validate_tmx

    failed = 0
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            print(f"{name}:0: error: no such file", file=sys.stdout)
            failed += 1
            continue
        findings = validate_tmx(path)
        errors = [f for f in findings if f.error or args.strict]
        for finding in findings:
            level = "error" if finding.error or args.strict else "warning"
            print(f"{name}:{finding.line}: {level}: {finding.message}")
        if errors:
            failed += 1
        info(f"{name}: {'invalid' if errors else 'valid'} ({len(errors)} error(s), "
             f"{len(findings) - len(errors)} warning(s))")
    return 1 if failed else 0
