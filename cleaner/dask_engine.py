"""``mtmend clean --engine dask``: the shard tasks of :mod:`~mtmend.cleaner.shards` on Dask distributed.

The client finds the shards, skips those a previous run finished (``resume``), submits one
task per small shard and a scan → partitions → assembly chain per large uncompressed one,
and waits. The settings and the glossary travel inside each task, so workers need mtmend
installed (the same version: a task refuses to run otherwise) and the input and output
folders at the same paths (a shared file system), as for any Dask file pipeline.

A worker that dies mid-run loses only its running tasks; the scheduler runs them again on
another worker, and since every output is written atomically and every task is a pure
function of its inputs, the result is the same. A shard that fails (bad line, unreadable
file) fails alone: the other shards finish, and :class:`ShardsFailedError` lists the failures.
"""

from __future__ import annotations

import glob
import logging
import math
import os
import shutil
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mtmend.cleaner.batch import BatchSettings, FilterStats
from mtmend.cleaner.shards import (
    STATE_DIR, Job, Shard, ShardReport, assemble_shard, clean_part, clean_shard, is_done, marker_path, output_path,
    scan_shard, sidecar_path,
)
from mtmend.corpus.errors import InputError, MtmendError


class EngineError(MtmendError):
    """The engine cannot run: Dask missing, scheduler unreachable."""

    exit_code = 1


@dataclass(frozen=True, slots=True)
class Failure:
    shard: str
    message: str


@dataclass(frozen=True, slots=True)
class RunReport:
    shards: int
    skipped: int
    partitions: int
    stats: FilterStats
    seconds: float
    failures: tuple[Failure, ...] = ()
    worker_peak_mb: tuple[float, ...] = ()  # each worker process's peak resident memory (its lifetime's)


class ShardsFailedError(InputError):
    """Some shards failed; the others were written. ``report`` tells what the run did."""

    def __init__(self, report: RunReport):
        self.report = report
        n = len(report.failures)
        super().__init__(f"{n} of {report.shards} shard(s) failed, the others are written; "
                         "fix the input and rerun with --resume to redo only the failed ones")


@dataclass(frozen=True, slots=True)
class DaskRun:
    """One ``clean --engine dask`` run. ``blocksize``: split uncompressed shards larger than this."""

    pattern: str
    output: str
    settings: BatchSettings
    annotations: str | None = None
    scheduler: str = "local:1"
    blocksize: int | None = None
    resume: bool = False


# Every server of a local cluster on 127.0.0.1 and a free port, the scheduler's HTTP endpoint
# included (without this it takes :8787), and no dashboard (it would need bokeh).
LOCAL_ONLY = {"dashboard_address": None, "scheduler_kwargs": {"dashboard": False, "dashboard_address": "127.0.0.1:0"},
              "worker_dashboard_address": None}

Progress = Callable[[int, int, int, int], None]  # (bytes done, bytes total, shards done, shards total)


def find_shards(pattern: str) -> list[Shard]:
    """The files ``pattern`` matches (``**`` recurses), named relative to its first wildcard's folder."""
    paths = sorted(p for p in glob.glob(pattern, recursive=True) if os.path.isfile(p))
    if not paths:
        raise InputError(f"--input {pattern}: no file matches; quote the pattern so the shell does not expand it")
    parts = Path(pattern).parts
    fixed = next((i for i, part in enumerate(parts) if glob.has_magic(part)), len(parts) - 1)
    root = Path(*parts[:fixed]) if fixed else Path(".")
    shards = []
    for path in paths:
        info = os.stat(path)
        name = os.path.relpath(path, root)
        shards.append(Shard(path, os.path.abspath(path), name, info.st_size, info.st_mtime_ns))
    return shards


def check_layout(shards: list[Shard], output: str, annotations: str | None) -> None:
    """Refuse a run whose outputs would overwrite or mix with its inputs."""
    job = Job(BatchSettings(), output, annotations, "", "")
    for folder, option in ((output, "--output"), (annotations, "--annotations")):
        real = folder and os.path.realpath(folder)
        for shard in shards if folder else ():
            if os.path.realpath(shard.path).startswith(real + os.sep):
                raise InputError(f"{shard.label}: input inside {option} {folder}; choose a folder outside the inputs")
    inputs = {os.path.realpath(s.path) for s in shards}
    for shard in shards:
        for target in (output_path(job, shard), sidecar_path(job, shard)):
            if target is not None and os.path.realpath(target) in inputs:  # e.g. through a symbolic link
                raise InputError(f"{target}: would overwrite an input shard; choose another output folder")


def parse_scheduler(spec: str) -> tuple[str, int | str]:
    """``local:N`` → ("local", N); ``tcp://HOST:PORT`` (or another Dask protocol) → ("remote", spec)."""
    if spec.startswith("local:") and spec[6:].isdigit() and int(spec[6:]) >= 1:
        return "local", int(spec[6:])
    if "://" in spec and spec.rsplit(":", 1)[-1].isdigit():
        return "remote", spec
    raise InputError(f"--scheduler {spec}: expected local:N (N workers on this machine) or tcp://HOST:PORT")


@contextmanager
def connect(spec: str) -> Iterator:
    """A Dask client: on a LocalCluster started (and stopped) for the run, or on an existing scheduler."""
    kind, where = parse_scheduler(spec)
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise EngineError("--engine dask needs Dask distributed: pip install 'mtmend[dask]'") from None
    if kind == "local":
        with LocalCluster(n_workers=where, threads_per_worker=1, processes=True, host="127.0.0.1",
                          silence_logs=logging.CRITICAL, **LOCAL_ONLY) as cluster, Client(cluster) as client:
            yield client
        return
    try:
        # Dask's own connect timeout (30 s unless DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT says
        # otherwise): a busy scheduler answers late, and a user can raise it without a new flag.
        client = Client(where)
    except (OSError, TimeoutError) as exc:
        raise EngineError(f"--scheduler {spec}: cannot reach the scheduler ({exc}); is `dask scheduler` running?") from None
    with client:
        yield client


def run(spec: DaskRun, progress: Progress | None = None) -> RunReport:
    """Clean every shard ``spec.pattern`` matches into ``spec.output``; raise :class:`ShardsFailedError` on failures."""
    started = time.perf_counter()
    parse_scheduler(spec.scheduler)
    shards = find_shards(spec.pattern)
    check_layout(shards, spec.output, spec.annotations)
    job = Job(spec.settings, os.path.abspath(spec.output), spec.annotations and os.path.abspath(spec.annotations),
              spec.settings.signature(), uuid.uuid4().hex)
    todo = [s for s in shards if not (spec.resume and is_done(job, s))]
    Path(job.output).mkdir(parents=True, exist_ok=True)
    if job.annotations:
        Path(job.annotations).mkdir(parents=True, exist_ok=True)
    reports: list[ShardReport] = []
    failures: list[Failure] = []
    peaks: tuple[float, ...] = ()
    if todo:
        with connect(spec.scheduler) as client:
            _run_on(client, job, todo, spec.blocksize, progress, reports, failures)
            peaks = tuple(sorted(client.run(peak_rss_mb).values()))
        _tidy(job, todo)
    report = RunReport(len(shards), len(shards) - len(todo), sum(r.partitions for r in reports),
                       sum((r.stats for r in reports), FilterStats()), time.perf_counter() - started, tuple(failures),
                       peaks)
    if failures:
        raise ShardsFailedError(report)
    return report


def _submit(client, job: Job, shard: Shard, blocksize: int | None) -> tuple[object, list]:
    """The futures of one shard: (the one that finishes it, every one of them)."""
    key = f"{shard.name}-{job.run_id}"
    if shard.gzip or blocksize is None or shard.size <= blocksize:
        done = client.submit(clean_shard, job, shard, key=f"mtmend-shard-{key}", pure=False)
        return done, [done]
    count = math.ceil(shard.size / blocksize)
    scan = client.submit(scan_shard, job, shard, count, blocksize, key=f"mtmend-scan-{key}", pure=False)
    parts = [client.submit(clean_part, job, shard, scan, k, key=f"mtmend-part-{k}-{key}", pure=False)
             for k in range(count)]
    done = client.submit(assemble_shard, job, shard, parts, key=f"mtmend-assemble-{key}", pure=False)
    return done, [scan, *parts, done]


# How often one task's lost result is waited for again (Dask itself gives up on a task that
# killed 3 workers: distributed.scheduler.allowed-failures).
LOST_RETRIES = 3


def _run_on(client, job: Job, todo: list[Shard], blocksize: int | None, progress: Progress | None,
            reports: list[ShardReport], failures: list[Failure]) -> None:
    from distributed import as_completed

    finals: dict = {}
    every: list = []
    for shard in todo:
        done, futures = _submit(client, job, shard, blocksize)
        finals[done.key] = shard
        every += futures
    total = sum(s.size for s in todo)
    read = finished = 0
    waiting = as_completed(every)
    retried: dict = {}
    for future in waiting:
        shard = finals.get(future.key)
        if future.status == "lost" and retried.get(future.key, 0) < LOST_RETRIES:
            # Its result lived on a worker that died after the task finished: the scheduler
            # computes it again (the files it wrote are rewritten whole, then renamed).
            retried[future.key] = retried.get(future.key, 0) + 1
            waiting.add(future)
            continue
        if future.status != "finished":
            if shard is not None:  # a partition's failure reaches its shard's assembly too
                failures.append(Failure(shard.label, _failure(shard, future)))
                finished += 1
        else:
            result = future.result()
            if isinstance(result, ShardReport) and (shard is None or future.key.startswith("mtmend-shard-")):
                read += result.bytes  # a partition, or a shard cleaned whole
            if shard is not None:
                finished += 1
                reports.append(result)
        if progress is not None:
            progress(min(read, total), total, finished, len(todo))


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB (run on each worker)."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def _failure(shard: Shard, future) -> str:
    if future.status != "error":  # cancelled: the scheduler went away
        return f"{shard.label}: task {future.status} (connection to the scheduler lost); rerun with --resume"
    return _message(shard, future.exception())


def _message(shard: Shard, exc: BaseException) -> str:
    if isinstance(exc, MtmendError):
        return str(exc)
    if isinstance(exc, ModuleNotFoundError):
        return f"{shard.label}: a worker cannot import {exc.name}; install mtmend[dask] on every worker"
    return f"{shard.label}: {type(exc).__name__}: {exc}"


def _tidy(job: Job, shards: list[Shard]) -> None:
    """Remove what killed or failed tasks left: temporary files beside outputs, partition files."""
    from mtmend.corpus.outfile import sweep_stale_temps

    for shard in shards:
        for target in (output_path(job, shard), sidecar_path(job, shard), marker_path(job.output, shard)):
            if target is not None:
                sweep_stale_temps(target)
    shutil.rmtree(Path(job.output) / STATE_DIR / "parts", ignore_errors=True)  # every task has ended
