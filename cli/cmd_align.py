"""``mtmend align --presplit``: align two sentence-per-line files, print beads."""

from __future__ import annotations

import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser(
        "align",
        help="align Chinese and English sentences and print beads [zh ids]:[en ids]",
        description="Align a Chinese file with its English translation, one sentence per line "
        "(--presplit), and print one bead per line in the standard notation [zh ids]:[en ids], "
        "0-based, e.g. [3]:[3,4]. No workspace is needed.",
    )
    p.add_argument("--presplit", action="store_true", required=True,
                   help="the files hold one sentence per line (required: the only mode for now)")
    p.add_argument("zh_file", metavar="ZH_FILE", help="Chinese sentences, one per line")
    p.add_argument("en_file", metavar="EN_FILE", help="English sentences, one per line")
    p.add_argument("--no-dictionary", action="store_true",
                   help="length and anchors only, without the CC-CEDICT dictionary (default: use it)")
    p.set_defaults(run=run)


def run(args) -> int:
    from mtmend.corpus.align import align
    from mtmend.corpus.importer import check_scripts
    from mtmend.corpus.textio import read_text

    zh_text, en_text = read_text(Path(args.zh_file)), read_text(Path(args.en_file))
    check_scripts(zh_text, en_text, args.zh_file, args.en_file)
    zh = zh_text.split("\n")
    en = en_text.split("\n")
    # A trailing newline is not an extra empty sentence.
    if zh and zh[-1] == "":
        zh.pop()
    if en and en[-1] == "":
        en.pop()
    beads = align(zh, en, dictionary=not args.no_dictionary)
    sys.stdout.write("".join(f"{bead}\n" for bead in beads))
    return 0
