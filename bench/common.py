"""Shared benchmark harness: a seeded zh–en corpus generator and a whole-process runner.

Generator: :func:`generate` writes ``lines`` realistic zh<TAB>en pairs whose English carries
the machine-translation damage the cleaner repairs (garbled straight quotes, ``. , Is``,
one-word fragments, missing and doubled spaces, space before punctuation, Chinese
punctuation, a capital after a comma, ``4.To`` list items, web furniture and image file
name lines, forbidden glossary variants), plus text that must survive untouched (decimals,
percentages, URLs); the generator itself is ``generator.py``. Files land in ``bench/out/``
named by a content hash of the parameters, so a second run reuses them.

Runner: :func:`run_alternating` times *whole child processes*, reading each child's peak
RSS from ``os.wait4``, alternating the tools run by run so that drift (thermal, page
cache, noisy neighbours) hits all of them alike; :func:`print_table` prints medians and
ratios to the group's reference tool. Benchmarks import this module as ``common`` (the
script's folder is on ``sys.path`` when a ``bench/*.py`` script runs).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# The generator's names are used through this module by the scripts too (common.GenParams, …).
from generator import GLOSSARY, Corpus, GenParams, PairGenerator, load_glossary  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
SIZES = (10_000, 100_000, 1_000_000)
MISSING_EXTRA = "missing (pip install -e '.[bench]')"

def generate(lines: int, **overrides) -> Corpus:
    """The corpus for these parameters, generated into ``bench/out/`` unless already cached.

    Files are written atomically, so an interrupted run never leaves a truncated cache entry.
    """
    from mtmend.corpus.outfile import open_output

    params = GenParams(lines=lines, **overrides)
    stem = OUT / f"zhen-{lines}-{params.key()}"
    corpus = Corpus(params, stem.with_suffix(".tsv"), stem.with_suffix(".en.txt"))
    if corpus.tsv.exists() and corpus.english.exists():
        return corpus
    OUT.mkdir(parents=True, exist_ok=True)
    gen = PairGenerator(params, load_glossary())
    with open_output(corpus.tsv) as tsv, open_output(corpus.english) as english:
        for zh, en in gen.lines():
            tsv.write(f"{zh}\t{en}\n")
            english.write(en + "\n")
    return corpus


def size_label(lines: int) -> str:
    """``10k``, ``1M``: sizes as people say them."""
    if lines >= 1_000_000 and lines % 1_000_000 == 0:
        return f"{lines // 1_000_000}M"
    if lines >= 1000 and lines % 1000 == 0:
        return f"{lines // 1000}k"
    return str(lines)


def parse_size(text: str) -> int:
    """Inverse of :func:`size_label`: ``10k`` → 10000, ``1M`` → 1000000, ``2500`` → 2500."""
    text = text.strip()
    scale = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000}.get(text[-1:], 1)
    number = text[:-1] if scale > 1 else text
    if not number.isdigit():
        raise ValueError(f"not a size: {text!r} (use e.g. 10k, 100k, 1M)")
    return int(number) * scale


# --- runner ----------------------------------------------------------------------


# Python children decode stdin as UTF-8 whatever the locale, as a user's UTF-8 terminal would.
CHILD_ENV = {**os.environ, "PYTHONUTF8": "1"}


def size_and_repeats(description: str, argv: Sequence[str] | None, each: str) -> tuple[int, int]:
    """``--size``, ``--repeats`` and ``--quick`` as the one-size benchmarks take them: (segments, repeats).

    ``each`` says what is repeated (``tree``, ``side``) in the help.
    """
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--size", default="100k", help="segments in the workspace (default: 100k)")
    parser.add_argument("--repeats", type=int, default=1, help=f"timed runs per {each} (default: 1)")
    parser.add_argument("--quick", action="store_true", help="10k segments, one run (a smoke test)")
    args = parser.parse_args(argv)
    return (10_000, 1) if args.quick else (parse_size(args.size), args.repeats)


def executable(name: str) -> str | None:
    """The venv's console script beside this interpreter, else one on PATH."""
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else shutil.which(name)


class ToolFailed(Exception):
    """A measured child process exited non-zero."""


@dataclass(frozen=True)
class Tool:
    """One command measured on one input; ``argv=None`` means unavailable, ``missing`` says why."""

    name: str
    operation: str
    argv: tuple[str, ...] | None
    input: Path | None
    units: int
    missing: str = ""
    group: str = ""


@dataclass(frozen=True)
class Sample:
    """One whole-process run: wall seconds and the child's peak resident set size in MB."""

    wall: float
    rss_mb: float
    cpu: float = 0.0  # user + system seconds of the child and the children it waited for (workers)


@dataclass(frozen=True)
class Result:
    tool: Tool
    samples: tuple[Sample, ...] = ()
    error: str = ""
    output_lines: int | None = None

    @property
    def ok(self) -> bool:
        return bool(self.samples) and not self.error

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def rss_mb(self) -> float:
        return max(s.rss_mb for s in self.samples)

    @property
    def throughput(self) -> float:
        return self.tool.units / self.wall

    @property
    def spread(self) -> float:
        """(slowest − fastest) / median, in %: how noisy the repeats were."""
        walls = [s.wall for s in self.samples]
        return 100 * (max(walls) - min(walls)) / self.wall


def measure(argv: Sequence[str], stdin: Path | None, stdout: Path | None = None) -> Sample:
    """Run one child to completion; wall time from spawn to reap, peak RSS from ``wait4``.

    ``ru_maxrss`` is the largest resident set of the child (or of any descendant it waited
    for), in KiB on Linux — for worker pools that is the largest single process, not the sum.
    Linux also records the memory the child shared with its parent before ``exec``, so call
    this from a small process (the bench scripts are): a fat parent inflates every figure.
    """
    out = stdout.open("wb") if stdout else subprocess.DEVNULL
    inp = stdin.open("rb") if stdin else subprocess.DEVNULL
    err_path = OUT / ".stderr"
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        with err_path.open("wb") as err:
            start = time.perf_counter()
            proc = subprocess.Popen(argv, stdin=inp, stdout=out, stderr=err, env=CHILD_ENV)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    finally:
        for handle in (out, inp):
            if handle is not subprocess.DEVNULL:
                handle.close()
    if proc.returncode != 0:
        tail = err_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:] or ["no stderr"]
        raise ToolFailed(f"exit {proc.returncode}: {tail[0][:200]}")
    return Sample(wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


def run_alternating(tools: Sequence[Tool], repeats: int, warmup: bool = True,
                    progress: bool = True) -> list[Result]:
    """Run every available tool ``repeats`` times, interleaved: A B C, B C A, C A B, …

    The first pass of each (untimed when ``warmup``) also counts its output lines, a
    cheap check that every tool really processed the whole input.
    """
    OUT.mkdir(parents=True, exist_ok=True)
    live = [t for t in tools if t.argv is not None]
    samples: dict[int, list[Sample]] = {id(t): [] for t in live}
    errors: dict[int, str] = {}
    lines: dict[int, int] = {}
    for k, tool in enumerate(live):
        target = OUT / f".run-{k}.out"
        try:
            sample = measure(tool.argv, tool.input, target)
            lines[id(tool)] = count_lines(target)
            if not warmup:
                samples[id(tool)].append(sample)
        except ToolFailed as exc:
            errors[id(tool)] = str(exc)
        target.unlink(missing_ok=True)
    runnable = [t for t in live if id(t) not in errors]
    for r in range(repeats - (0 if warmup else 1)):
        order = runnable[r % len(runnable):] + runnable[: r % len(runnable)] if runnable else []
        for tool in order:
            if id(tool) in errors:
                continue
            if progress:
                print(f"  run {r + 1}/{repeats}: {tool.name} ({tool.operation})", file=sys.stderr, flush=True)
            try:
                samples[id(tool)].append(measure(tool.argv, tool.input, OUT / ".run.out"))
            except ToolFailed as exc:
                errors[id(tool)] = str(exc)
    (OUT / ".run.out").unlink(missing_ok=True)
    results = []
    for tool in tools:
        if tool.argv is None:
            results.append(Result(tool, error=tool.missing or "missing"))
        else:
            results.append(Result(tool, tuple(samples[id(tool)]), errors.get(id(tool), ""), lines.get(id(tool))))
    return results


# --- printing --------------------------------------------------------------------


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]], left: Sequence[int] = (0, 1, -1)) -> str:
    """Plain aligned table; columns in ``left`` (default: first two and last) left-aligned, others right."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    lefts = {i % len(headers) for i in left}

    def fmt(row: Sequence[str]) -> str:
        cells = [str(c).ljust(w) if i in lefts else str(c).rjust(w) for i, (c, w) in enumerate(zip(row, widths))]
        return "  ".join(cells).rstrip()

    return "\n".join([fmt(headers), "  ".join("-" * w for w in widths)] + [fmt(r) for r in rows])


def result_rows(results: Sequence[Result], reference: Result | None) -> list[list[str]]:
    """Table rows; ``mtmend ×`` is the reference's throughput ÷ this row's (> 1: the reference is faster).

    A tool that is missing or failed keeps its row, with the reason in the last column.
    """
    rows = []
    for res in results:
        head = [res.tool.name, res.tool.operation, f"{res.tool.units:,}"]
        if not res.ok:
            rows.append(head + ["–"] * 6 + [res.error or "missing"])
            continue
        ratio = f"{reference.throughput / res.throughput:.2f}×" if reference is not None and reference.ok else "n/a"
        out = f"{res.output_lines:,}" if res.output_lines is not None else "?"
        rows.append(head + [f"{res.wall:.3f}", f"{res.spread:.0f}%", f"{res.throughput:,.0f}",
                            f"{res.rss_mb:,.0f}", ratio, out, ""])
    return rows


TABLE_HEADERS = ("tool", "operation", "lines", "median s", "spread", "lines/s", "peak MB", "mtmend ×", "out lines",
                 "note")


def print_table(title: str, results: Sequence[Result], reference: Result | None,
                headers: Sequence[str] = TABLE_HEADERS) -> None:
    """Print a titled result table; ``headers`` lets other benchmarks rename units (``units/s``)."""
    print(f"\n{title}")
    print(format_table(headers, result_rows(results, reference)))


def machine_note(own_load: float = 0.0) -> str:
    """CPUs and load average: a loaded machine makes every figure noisier (see the spread column).

    ``own_load`` is what the benchmark itself adds (about 1–2 right after ``-j 2`` runs).
    """
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    busy = load - own_load > 0.5 * cpus
    warn = "  WARNING: machine busy, figures will be noisy" if busy else ""
    return f"python {sys.version.split()[0]}, {cpus} CPUs, load average {load:.2f}{warn}"
