"""Benchmark ``mtmend clean --engine dask`` against ``mtmend clean -`` and ``-j 2`` on one generated input.

In one run, alternating the tools, on the same seeded input (default 1M lines of ~25
English words, ``--tsv`` for the zh–en rows with the sample glossary):

* ``mtmend clean -`` and ``mtmend clean - -j 2`` (stdin to stdout);
* ``mtmend clean --engine dask --scheduler local:2`` on the input as one file (cut into
  8 partitions by ``--blocksize``) and on the same lines cut into 8 shard files.

Each is a whole process: wall time from spawn to exit (including Dask's cluster start and
stop), peak RSS of the largest process, and for Dask the peak memory of each worker as the
run reports it. Start-up is timed separately, each tool on the first 10 lines, and
subtracted for the net throughput. Every Dask output is checked byte for byte against
``clean -``'s. Then the per-worker figure turns into the arithmetic for N machines.

Run from the repository root: ``.venv/bin/python bench/bench_dask.py [--quick] [--lines 1M] [--repeats 3]``.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shutil
import statistics
import sys
from pathlib import Path

import common
from common import OUT, Sample, ToolFailed, measure

SHARDS = 8
STARTUP_LINES = 10
WORKERS = 2
EXPECTED = OUT / "dask-expected.out"
_PEAKS = re.compile(r"peak memory per worker \(MB\): ([\d,./ ]+)")


def shard_files(source: Path, count: int) -> Path:
    """The lines of ``source`` cut into ``count`` contiguous files (cached beside it)."""
    folder = OUT / f"shards-{source.stem}-{count}"
    if folder.is_dir():
        return folder
    staging = OUT / f".{folder.name}.part"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    lines = source.read_bytes().splitlines(keepends=True)
    step = -(-len(lines) // count)
    for k in range(count):
        (staging / f"part-{k:03d}{source.suffix}").write_bytes(b"".join(lines[k * step:(k + 1) * step]))
    staging.rename(folder)
    return folder


def tools(mtmend: str, source: Path, fmt: tuple[str, ...], out: Path) -> dict[str, tuple[tuple[str, ...], Path | None]]:
    """name -> (argv, stdin) for every measured command on ``source``; Dask writes under ``out``."""
    block = max(1, -(-source.stat().st_size // SHARDS))
    dask = (mtmend, "clean", "--engine", "dask", "--scheduler", f"local:{WORKERS}", *fmt)
    return {
        "clean -": ((mtmend, "clean", "-", *fmt), source),
        "clean - -j 2": ((mtmend, "clean", "-", "-j", "2", *fmt), source),
        "dask local:2, 1 file": ((*dask, "--input", str(source), "--output", str(out / "file"),
                                  "--blocksize", str(block)), None),
        f"dask local:2, {SHARDS} shards": ((*dask, "--input", str(shard_files(source, SHARDS) / "part-*"),
                                            "--output", str(out / "shards")), None),
    }


def run_once(name: str, argv: tuple[str, ...], stdin: Path | None, stdout: Path | None = None
             ) -> tuple[Sample, list[float]]:
    """One measured run, and the per-worker peaks a Dask run prints on stderr."""
    sample = measure(argv, stdin, stdout)
    found = _PEAKS.search((OUT / ".stderr").read_text(encoding="utf-8", errors="replace"))
    peaks = [float(p.replace(",", "")) for p in found.group(1).split(" / ")] if found else []
    return sample, peaks


def verify(mtmend: str, source: Path, fmt: tuple[str, ...], commands: dict, expected: Path) -> None:
    """The Dask outputs equal ``clean -``'s byte for byte: the whole file, and the first and last shard."""
    reference = expected.read_bytes()
    one = commands["dask local:2, 1 file"][0]
    if (Path(one[one.index("--output") + 1]) / source.name).read_bytes() != reference:
        raise SystemExit("bench_dask: the one-file Dask output differs from clean -")
    sharded = Path(commands[f"dask local:2, {SHARDS} shards"][0][-1])
    shards_in = sorted(shard_files(source, SHARDS).iterdir())
    for shard in (shards_in[0], shards_in[-1]):
        measure((mtmend, "clean", "-", *fmt), shard, expected)
        if (sharded / shard.name).read_bytes() != expected.read_bytes():
            raise SystemExit(f"bench_dask: {shard.name} differs from clean -")
    expected.unlink()
    print(f"checked: the one-file Dask output is byte-identical to clean -'s ({len(reference):,} bytes), and so "
          f"are shards {shards_in[0].name} and {shards_in[-1].name} against clean - on each")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", default="1M", help="input size, e.g. 100k, 1M (default: 1M)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per tool (default: 3)")
    parser.add_argument("--tsv", action="store_true", help="zh–en rows with the sample glossary (default: English text)")
    parser.add_argument("--quick", action="store_true", help="20k lines, 1 run: a smoke test (default: off)")
    args = parser.parse_args(argv)
    lines = 20_000 if args.quick else common.parse_size(args.lines)
    repeats = 1 if args.quick else args.repeats
    mtmend = common.executable("mtmend")
    if importlib.util.find_spec("distributed") is None:  # not imported: a fat parent inflates children's peak RSS
        print("bench_dask: Dask missing: pip install -e '.[dask]'", file=sys.stderr)
        return 1
    if mtmend is None:
        print("bench_dask: mtmend is not installed (make .venv/.installed)", file=sys.stderr)
        return 1
    corpus, small = common.generate(lines), common.generate(STARTUP_LINES)
    fmt = ("--format", "tsv", "--glossary", str(common.GLOSSARY)) if args.tsv else ()
    source, tiny = (corpus.tsv, small.tsv) if args.tsv else (corpus.english, small.english)
    commands, starts = tools(mtmend, source, fmt, OUT / "dask-out"), tools(mtmend, tiny, fmt, OUT / "dask-start")
    print(f"bench_dask: {common.size_label(lines)} lines of {'zh–en TSV' if args.tsv else 'English text'}, "
          f"{repeats} run(s) each; {common.machine_note()}")
    return report(run_all(commands, starts, repeats), lines, verify_args=(mtmend, source, fmt, commands))


def run_all(commands: dict, starts: dict, repeats: int) -> dict[str, dict]:
    """Per tool: timed samples on the input, start-up samples on 10 lines, Dask worker peaks."""
    figures = {name: {"samples": [], "start": [], "peaks": []} for name in commands}
    names = list(commands)
    for r in range(repeats):
        for name in names[r % len(names):] + names[:r % len(names)]:
            print(f"  run {r + 1}/{repeats}: {name}", file=sys.stderr, flush=True)
            try:
                # clean -'s output is kept for the check (Dask writes its output to disk too).
                sample, peaks = run_once(name, *commands[name], EXPECTED if name == "clean -" else None)
                start, _ = run_once(name, *starts[name])
            except ToolFailed as exc:
                raise SystemExit(f"bench_dask: {name} failed: {exc}") from None
            figures[name]["samples"].append(sample)
            figures[name]["start"].append(start.wall)
            figures[name]["peaks"] += peaks
    return figures


def report(figures: dict[str, dict], lines: int, verify_args: tuple) -> int:
    rows, net = [], {}
    for name, fig in figures.items():
        wall = statistics.median(s.wall for s in fig["samples"])
        start = statistics.median(fig["start"])
        # Start-up noisier than the whole run (a busy machine, a tiny --quick input): no net figure.
        net[name] = (lines - STARTUP_LINES) / (wall - start) if wall > 1.5 * start else float("nan")
        peak = max(s.rss_mb for s in fig["samples"])
        workers = f"{max(fig['peaks']):,.0f}" if fig["peaks"] else "–"
        rows.append([name, f"{wall:.2f}", f"{lines / wall:,.0f}", f"{start:.2f}", f"{net[name]:,.0f}",
                     f"{peak:,.0f}", workers])
    print()
    print(common.format_table(("command", "median s", "lines/s", "start-up s", "net lines/s", "peak MB (largest "
                               "process)", "peak MB per worker"), rows, left=(0,)))
    verify(*verify_args, EXPECTED)
    base, dask = net["clean - -j 2"], net[f"dask local:2, {SHARDS} shards"]
    per_worker = dask / WORKERS
    print(f"\nOne machine shows overhead, not scale-out: dask local:2 and -j 2 share the same {WORKERS} cores, so the "
          f"difference is the engine's cost (sharded Dask at {dask / base:.2f}× the net speed of -j 2; start-up "
          f"{statistics.median(figures[f'dask local:2, {SHARDS} shards']['start']):.1f} s against "
          f"{statistics.median(figures['clean - -j 2']['start']):.1f} s).")
    print(f"Per worker (one process on one core of this machine): {per_worker:,.0f} lines/s net. With N machines of "
          f"C cores, one worker per core: about N × C × {per_worker:,.0f} lines/s while there are at least N × C "
          "partitions and the shared file system keeps up (each task reads its shard and writes its output once).")
    for n, c in ((4, 8), (10, 16), (50, 32)):
        rate = n * c * per_worker
        print(f"  {n} machines × {c} cores: {rate:,.0f} lines/s; 300M segment pairs in {_duration(3e8 / rate)}")
    return 0


def _duration(seconds: float) -> str:
    if seconds != seconds:  # NaN: no net figure
        return "n/a"
    return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.0f} min"


if __name__ == "__main__":
    sys.exit(main())
