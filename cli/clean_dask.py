"""``mtmend clean --engine dask``: its options, its checks, its progress bar and summary."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from mtmend.cli.common import info
from mtmend.corpus.processes import usable_cpus

if TYPE_CHECKING:
    from mtmend.cleaner.config import CleanConfig

DEFAULT_BLOCKSIZE = "64MiB"
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([kmgt]?)(i?)b?", re.IGNORECASE)


def register_engine(p) -> None:
    """The engine options of ``mtmend clean``."""
    p.add_argument(
        "--engine", choices=("dask",),
        help="clean sharded files on an engine instead of stdin or the workspace: dask = Dask distributed "
        "(needs pip install 'mtmend[dask]'; default: none)",
    )
    p.add_argument("--input", metavar="GLOB",
                   help="with --engine: the input shards, a quoted glob (** recurses); *.gz shards are gzip-compressed")
    p.add_argument(
        "--output", metavar="DIR",
        help="with --engine: folder for the cleaned shards, each named like its input (relative to the glob's first "
        "wildcard folder) and in the same format (gzip in, gzip out); created if missing",
    )
    p.add_argument(
        "--scheduler", metavar="local:N|tcp://HOST:PORT",
        help="with --engine dask: local:N starts N worker processes on this machine for the run; tcp://HOST:PORT "
        "uses a running cluster whose workers see the same paths (default: local:<CPUs of this machine>)",
    )
    p.add_argument(
        "--blocksize", metavar="SIZE", default=DEFAULT_BLOCKSIZE,
        help="with --engine: uncompressed shards larger than this are cleaned as several partitions, cut at the "
        f"filter's chunk boundaries (e.g. 16MiB, 1GB; default: {DEFAULT_BLOCKSIZE})",
    )
    p.add_argument(
        "--resume", action="store_true",
        help="with --engine: skip shards a previous run finished with the same input and settings (each has a "
        "done-marker in DIR/.mtmend/done/, written after its output; default: redo every shard)",
    )


def parse_size(text: str) -> int:
    """``64MiB`` → 67108864, ``16MB`` → 16000000, ``4096`` → 4096 (at least 1 byte)."""
    from mtmend.corpus.errors import InputError

    match = _SIZE.fullmatch(text.strip())
    if not match:
        raise InputError(f"--blocksize {text}: expected a size such as 64MiB, 16MB or 1000000")
    number, prefix, binary = match.groups()
    scale = (1024 if binary else 1000) ** " kmgt".index(prefix.lower() or " ")
    size = int(float(number) * scale)
    if size < 1:
        raise InputError(f"--blocksize {text}: must be at least 1 byte")
    return size


def check(args) -> None:
    """Refuse options that do not go with ``--engine dask`` (before any rule or glossary is read)."""
    from mtmend.corpus.errors import InputError

    if args.engine is None:
        raise InputError("--input and --output work with --engine dask (mtmend clean --engine dask --input GLOB --output DIR)")
    if not args.input or not args.output:
        raise InputError("--engine dask needs --input GLOB and --output DIR")
    for option, given in (("DOC or -", args.documents), ("--diff", args.diff), ("-j", args.jobs > 1)):
        if given:
            hint = "; use --scheduler local:N for N workers" if option == "-j" else ""
            raise InputError(f"{option} does not work with --engine dask{hint}")


def run_engine(args, config: CleanConfig) -> int:
    """Run ``clean --engine dask`` with ``config`` (built by ``cmd_clean`` once the options checked out)."""
    from mtmend.cleaner.batch import BatchSettings
    from mtmend.cleaner.dask_engine import DaskRun, ShardsFailedError, run

    scheduler = args.scheduler or f"local:{usable_cpus()}"
    settings = BatchSettings(config, args.format == "tsv", args.annotations is not None)
    spec = DaskRun(args.input, args.output, settings, args.annotations, scheduler, parse_size(args.blocksize),
                   args.resume)
    bar = ShardProgress()
    try:
        report = run(spec, bar)
    except ShardsFailedError as exc:
        bar.close()
        for failure in exc.report.failures:
            info(f"mtmend: error: {failure.message}")
        info(summary(exc.report, scheduler))
        raise
    bar.close()
    info(summary(report, scheduler))
    if report.worker_peak_mb:
        peaks = " / ".join(f"{mb:,.0f}" for mb in report.worker_peak_mb)
        info(f"workers: {len(report.worker_peak_mb)}, peak memory per worker (MB): {peaks}")
    info(f"ruleset: {settings.signature()}")
    return 0


def summary(report, scheduler: str) -> str:
    s = report.stats
    rate = f", {s.lines / report.seconds:,.0f} lines/s" if report.seconds > 0 and s.lines else ""
    skipped = f", {report.skipped} already done (skipped)" if report.skipped else ""
    failed = f", {len(report.failures)} failed" if report.failures else ""
    return (f"cleaned {report.shards - report.skipped - len(report.failures)} of {report.shards} shard(s)"
            f"{skipped}{failed} on dask {scheduler}: {s.lines:,} lines, {s.changed:,} changed, {s.removed:,} removed, "
            f"{report.partitions} partition(s), in {report.seconds:.1f} s{rate}")


class ShardProgress:
    """The engine's progress on the batch commands' bar: shards done, and megabytes of input read."""

    def __init__(self, stream=None) -> None:
        self.stream, self.bar, self.shards = stream, None, 0

    def __call__(self, done: int, total: int, shards: int, count: int) -> None:
        from mtmend.cli.progress_bar import ProgressBar

        if self.bar is None:
            self.bar = ProgressBar(count, self.stream)
        while self.shards < shards:
            self.shards += 1
            self.bar.advance(f"shards, {done / 1e6:,.1f}/{total / 1e6:,.1f} MB read")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
