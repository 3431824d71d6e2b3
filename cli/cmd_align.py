"""``mtmend align --presplit``: align sentence-per-line files, print beads (or write one file per pair)."""

from __future__ import annotations

import sys
from pathlib import Path

from mtmend.cli.common import info


def register(sub) -> None:
    from mtmend.cli.cmd_import import _jobs

    p = sub.add_parser(
        "align",
        help="align Chinese and English sentences and print beads [zh ids]:[en ids]",
        description="Align a Chinese file with its English translation, one sentence per line "
        "(--presplit), and print one bead per line in the standard notation [zh ids]:[en ids], "
        "0-based, e.g. [3]:[3,4]. No workspace is needed. "
        "Several pairs: ZH1 EN1 ZH2 EN2 ... --output-dir DIR writes DIR/<ZH file name without extension>.align "
        "per pair (same format), one line per pair on stderr; a failing pair is reported, the others are "
        "aligned, and the exit code is 1.",
    )
    p.add_argument("--presplit", action="store_true", required=True,
                   help="the files hold one sentence per line (required: the only mode for now)")
    p.add_argument("files", nargs="+", metavar="FILE", help="ZH_FILE EN_FILE [ZH_FILE EN_FILE ...]")
    p.add_argument("--output-dir", metavar="DIR",
                   help="write one .align file per pair into DIR, created if missing (default: beads on stdout; "
                   "needed for more than one pair)")
    p.add_argument("-j", "--jobs", type=_jobs, default=1, metavar="N",
                   help="with --output-dir: align in N worker processes (default: 1)")
    p.add_argument("--no-dictionary", action="store_true",
                   help="length and anchors only, without the CC-CEDICT dictionary (default: use it)")
    p.set_defaults(run=run)


def run(args) -> int:
    from mtmend.corpus import batch
    from mtmend.corpus.errors import InputError

    pairs = batch.pairs_from_arguments(args.files)
    if args.output_dir is not None:
        return _batch(args, pairs)
    if len(pairs) > 1:
        raise InputError(f"{len(pairs)} pairs given: add --output-dir DIR to write one .align file per pair")
    sys.stdout.write(batch.align_presplit((pairs[0].zh, pairs[0].en, not args.no_dictionary)))
    return 0


def _batch(args, pairs) -> int:
    from mtmend.cli.progress_bar import ProgressBar
    from mtmend.corpus import batch
    from mtmend.corpus.errors import InputError
    from mtmend.corpus.outfile import open_output

    folder = Path(args.output_dir)
    targets: dict[Path, Path] = {}
    for pair in pairs:
        target = folder / f"{pair.zh.stem}.align"
        if target in targets:
            raise InputError(f"{pair.zh} and {targets[target]} would both be written to {target}: rename one")
        targets[target] = pair.zh
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"{folder}: cannot create the output folder ({error.strerror})") from None

    def finish(pair, beads: str) -> str:
        target = folder / f"{pair.zh.stem}.align"
        with open_output(target) as handle:
            handle.write(beads)
        return f"{target}: {beads.count(chr(10))} beads"

    failed = 0
    bar = ProgressBar(len(pairs))
    task = lambda pair: (pair.zh, pair.en, not args.no_dictionary)  # noqa: E731
    try:
        for outcome in batch.run_ordered(pairs, task, batch.align_presplit, finish, args.jobs):
            failed += outcome.error is not None
            bar.line(outcome.value if outcome.error is None else f"failed: {outcome.error}")
            bar.advance(outcome.item.zh.name)
    finally:
        bar.close()
    info(f"{len(pairs)} pairs: {len(pairs) - failed} aligned, {failed} failed")
    return 1 if failed else 0
