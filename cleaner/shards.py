"""Cleaning sharded corpora: the file work of ``mtmend clean --engine dask``, engine-free.

Every function here is a pure task over files (picklable arguments, no global state), so
any scheduler can run it on any machine that sees the same paths. A shard is one input
file (text or ``zh<TAB>en``, gzip when named ``*.gz``); its output has the same relative
name, the same format (gzip in, gzip out) and the lines in the same order.

A small shard is one task, :func:`clean_shard`, running the filter itself. A large
uncompressed shard is cut into partitions: :func:`scan_shard` reads it once (decoding and
checking every line, as the filter's reader does) and picks cut points at chunk boundaries
near each ``blocksize`` bytes, with the position the filter would have there;
:func:`clean_part` cleans one partition into a private part file; :func:`assemble_shard`
writes the parts through the filter's writer. The result is byte-identical to
``mtmend clean -`` on the shard.

Outputs, annotation sidecars and done-markers are written atomically by the one file-writing
helper (:func:`~mtmend.corpus.outfile.open_output`); a marker is written after the shard's
output and sidecar, so a marker means done.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import pickle
import shutil
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO

from mtmend.cleaner.batch import BatchSettings, FilterStats, Position, advance_position, aligned_chunks
from mtmend.cleaner.batch import cleaned_chunks, filter_lines, in_order, write_cleaned
from mtmend.cleaner.stream import read_lines
from mtmend.corpus.errors import InputError, MtmendError
from mtmend.corpus.outfile import open_output

STATE_DIR = ".mtmend"  # inside the output folder: done-markers and partitions in progress
GZIP_LEVEL = 6  # gzip(1)'s default: level 9 costs twice the time for ~1% smaller files


@dataclass(frozen=True, slots=True)
class Shard:
    """One input file: ``label`` as the user's glob found it, ``path`` absolute, ``name`` its output name."""

    label: str
    path: str
    name: str
    size: int
    mtime_ns: int

    @property
    def gzip(self) -> bool:
        return self.path.endswith(".gz")


@dataclass(frozen=True, slots=True)
class Job:
    """What every task of one run needs besides its shard: settings, folders, the run's identity."""

    settings: BatchSettings
    output: str
    annotations: str | None
    signature: str  # the client's; a worker running another mtmend refuses the task
    run_id: str


@dataclass(frozen=True, slots=True)
class ShardReport:
    """A finished shard (or partition): what the filter did, and the bytes of input it read."""

    name: str
    stats: FilterStats
    bytes: int
    partitions: int = 1


@dataclass(frozen=True, slots=True)
class Cut:
    """Where a partition starts: byte offset and the filter's position there."""

    offset: int
    at: Position


class EngineMismatchError(MtmendError):
    """A worker runs a different mtmend (version or rules) than the client."""

    exit_code = 1


# ---------------------------------------------------------------- paths
def output_path(job: Job, shard: Shard) -> Path:
    return Path(job.output) / shard.name


def sidecar_path(job: Job, shard: Shard) -> Path | None:
    """``ANN/<name>.jsonl``, gzip-compressed (``.jsonl.gz``) for a gzip shard."""
    if job.annotations is None:
        return None
    stem = shard.name[:-3] if shard.gzip else shard.name
    return Path(job.annotations) / (stem + (".jsonl.gz" if shard.gzip else ".jsonl"))


def marker_path(output: str, shard: Shard) -> Path:
    return Path(output) / STATE_DIR / "done" / (shard.name + ".json")


def parts_dir(job: Job, shard: Shard) -> Path:
    return Path(job.output) / STATE_DIR / "parts" / shard.name


# ---------------------------------------------------------------- reading and writing
class _CheckedInput:
    """A shard's bytes; a corrupt gzip stream becomes an :class:`InputError` naming the shard."""

    def __init__(self, raw: IO[bytes], label: str):
        self.raw, self.label, self.lines = raw, label, 0

    def readline(self, limit: int = -1) -> bytes:
        try:
            line = self.raw.readline(limit)
        except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
            raise InputError(f"{self.label}: not valid gzip data after line {self.lines} ({exc}); "
                             "recompress it or drop it from --input") from None
        self.lines += 1
        return line


@contextlib.contextmanager
def open_input(shard: Shard) -> Iterator[IO[bytes]]:
    """The shard's bytes, decompressed; refused when it changed since the run started."""
    try:
        handle = open(shard.path, "rb")
    except OSError as exc:
        raise InputError(f"{shard.label}: cannot read ({exc.strerror})") from None
    with handle:
        info = os.fstat(handle.fileno())
        if (info.st_size, info.st_mtime_ns) != (shard.size, shard.mtime_ns):
            raise InputError(f"{shard.label}: changed while the run was going on; rerun to clean the new version")
        yield gzip.GzipFile(fileobj=handle, mode="rb") if shard.gzip else handle


@contextlib.contextmanager
def text_output(path: Path | None, compress: bool) -> Iterator[IO[str] | None]:
    """A UTF-8 text file written atomically, gzip-compressed (reproducibly: no name, no time) when asked."""
    if path is None:
        yield None
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open_output(path, binary=True) as raw:
        packed = gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=GZIP_LEVEL, mtime=0) if compress else None
        text = io.TextIOWrapper(packed or raw, encoding="utf-8", newline="", write_through=False)
        yield text
        text.flush()
        text.detach()  # leave closing to the gzip layer and open_output
        if packed is not None:
            packed.close()


def _check_engine(job: Job) -> None:
    here = job.settings.signature()
    if here != job.signature:
        raise EngineMismatchError(f"a worker runs {here}, the client {job.signature}: install the same mtmend everywhere")


# ---------------------------------------------------------------- tasks
def clean_shard(job: Job, shard: Shard) -> ShardReport:
    """Clean a whole shard, as ``mtmend clean -`` would, and mark it done."""
    _check_engine(job)
    marker_path(job.output, shard).unlink(missing_ok=True)  # an old marker must never outlive a new output
    with open_input(shard) as raw, text_output(output_path(job, shard), shard.gzip) as out, \
            text_output(sidecar_path(job, shard), shard.gzip) as notes:
        lines = read_lines(_CheckedInput(raw, shard.label), shard.label)
        stats = filter_lines(lines, job.settings, out, notes, at=Position(shard.label), shard=shard.name)
    report = ShardReport(shard.name, stats, shard.size)
    write_marker(job, shard, report)
    return report


class _CountingInput(_CheckedInput):
    """Counts the bytes handed out, so the scan knows each line's end offset."""

    def __init__(self, raw: IO[bytes], label: str):
        super().__init__(raw, label)
        self.offset = 0

    def readline(self, limit: int = -1) -> bytes:
        line = super().readline(limit)
        self.offset += len(line)
        return line


def scan_shard(job: Job, shard: Shard, count: int, blocksize: int) -> list[Cut]:
    """``count + 1`` cuts: partition k spans cut k to cut k+1, each cut the first chunk boundary past k × blocksize."""
    _check_engine(job)
    cuts = [Cut(0, Position(shard.label))]
    with open_input(shard) as raw:
        counting = _CountingInput(raw, shard.label)
        at = cuts[0].at
        for chunk in aligned_chunks(read_lines(counting, shard.label)):
            at = advance_position(at, chunk, job.settings)
            while len(cuts) < count and counting.offset >= len(cuts) * blocksize:
                cuts.append(Cut(counting.offset, at))
    while len(cuts) <= count:
        cuts.append(Cut(counting.offset, at))
    return cuts


class _Slice:
    """Bytes ``start``–``end`` of a file, after one empty line (dropped by the reader's caller),
    so that a BOM-like first character is never taken for the file's byte-order mark."""

    def __init__(self, raw: IO[bytes], start: int, end: int):
        raw.seek(start)
        self.raw, self.left, self.lead = raw, end - start, True

    def readline(self, limit: int = -1) -> bytes:
        if self.lead:
            self.lead = False
            return b"\n"
        if self.left <= 0:
            return b""
        line = self.raw.readline(self.left if limit < 0 else min(limit, self.left))
        self.left -= len(line)
        return line


def clean_part(job: Job, shard: Shard, cuts: list[Cut], k: int) -> ShardReport:
    """Clean partition ``k`` of a scanned shard into its part file (pickled chunk/result pairs).

    A part is scratch data that :func:`assemble_shard` reads once: renamed into place when
    complete, but not synced to disk (a crash only means computing it again).
    """
    _check_engine(job)
    start, end = cuts[k], cuts[k + 1]
    if start.offset == end.offset:  # no chunk boundary in this block: the previous partition has its lines
        return ShardReport(shard.name, FilterStats(), 0, 0)
    folder = parts_dir(job, shard)
    folder.mkdir(parents=True, exist_ok=True)
    stats = FilterStats()
    scratch = folder / f".{k}.{uuid.uuid4().hex}"
    try:
        with open_input(shard) as raw, open(scratch, "wb") as part:
            lines = read_lines(_Slice(raw, start.offset, end.offset), shard.label)
            next(lines, None)
            for chunk, result in cleaned_chunks(lines, job.settings, at=start.at):
                pickle.dump((chunk, result), part, protocol=pickle.HIGHEST_PROTOCOL)
                stats += FilterStats(len(chunk))
        os.replace(scratch, folder / f"{k}.part")
    finally:
        scratch.unlink(missing_ok=True)
    return ShardReport(shard.name, stats, end.offset - start.offset, 1)


def _part_pairs(folder: Path, parts: list[ShardReport]) -> Iterator[tuple]:
    for k, report in enumerate(parts):
        if not report.partitions:
            continue
        with open(folder / f"{k}.part", "rb") as part:
            while True:
                try:
                    yield pickle.load(part)
                except EOFError:
                    break


def assemble_shard(job: Job, shard: Shard, parts: list[ShardReport]) -> ShardReport:
    """Write a partitioned shard's output from its parts, in order, and mark it done."""
    _check_engine(job)
    done = read_marker(job.output, shard)
    if done is not None and done.get("run") == job.run_id:  # a retry after this very task finished
        return ShardReport(shard.name, FilterStats(**done["stats"]), shard.size, sum(p.partitions for p in parts))
    marker_path(job.output, shard).unlink(missing_ok=True)
    folder = parts_dir(job, shard)
    with text_output(output_path(job, shard), shard.gzip) as out, \
            text_output(sidecar_path(job, shard), shard.gzip) as notes:
        pairs = in_order(_part_pairs(folder, parts), job.settings)  # a part starts from the scan's guess
        stats = write_cleaned(pairs, out, notes, shard=shard.name)
    report = ShardReport(shard.name, stats, shard.size, sum(p.partitions for p in parts))
    write_marker(job, shard, report)
    shutil.rmtree(folder, ignore_errors=True)
    return report


# ---------------------------------------------------------------- done-markers
def write_marker(job: Job, shard: Shard, report: ShardReport) -> None:
    """The shard's done-marker: what was cleaned, how, and by which run (written last, atomically)."""
    path = marker_path(job.output, shard)
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "shard": shard.name, "input": shard.path, "size": shard.size, "mtime_ns": shard.mtime_ns,
        "signature": job.signature, "annotations": job.annotations, "run": job.run_id,
        "stats": asdict(report.stats),
    }
    with open_output(path) as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def read_marker(output: str, shard: Shard) -> dict | None:
    try:
        return json.loads(marker_path(output, shard).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_done(job: Job, shard: Shard) -> bool:
    """Whether a previous run finished this shard from the same input with the same settings."""
    done = read_marker(job.output, shard)
    if done is None:
        return False
    same = (done.get("input"), done.get("size"), done.get("mtime_ns"), done.get("signature"), done.get("annotations"))
    if same != (shard.path, shard.size, shard.mtime_ns, job.signature, job.annotations):
        return False
    sidecar = sidecar_path(job, shard)
    return output_path(job, shard).is_file() and (sidecar is None or sidecar.is_file())

