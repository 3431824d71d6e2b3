"""Benchmark ``mtmend clean -`` against bifixer, ftfy and a one-regex floor on generated MT text.

On the same generated input, in the same run, alternating the tools, for each size
(default 10k, 100k and 1M lines of ~25 English words):

* English text: ``mtmend clean -`` (and ``-j 2``) vs ftfy ``fix_text`` per line vs the floor
  (Python reads each line and applies one compiled ``re.sub``);
* zh–en TSV: ``mtmend clean - --format tsv --glossary corpus/samples/glossary.tsv`` (and
  ``-j 2``) vs bifixer 0.8.12 (``--ignore_segmentation --ignore_html``) vs the floor.

Then: start-up times (``mtmend --help`` and each tool on 10 lines), linearity
(throughput per size, raw and net of start-up, spread in %), ``-j 2`` speed-up, peak RSS
growth from 100k to 1M, and the issue's targets met or not.

Run from the repository root: ``.venv/bin/python bench/bench_clean_peers.py [--quick]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import common
from common import MISSING_EXTRA, Result, Tool
from trees import freeze, launcher

GLOSSARY = common.GLOSSARY

# The peers' child scripts: each reads stdin line by line, like `mtmend clean -` does.
FTFY_CHILD = "import sys\nfrom ftfy import fix_text\nw = sys.stdout.write\nfor line in sys.stdin:\n    w(fix_text(line))\n"
FLOOR_CHILD = "import re, sys\nsub = re.compile(r'  +').sub\nw = sys.stdout.write\nfor line in sys.stdin:\n    w(sub(' ', line))\n"
FLOOR_OP = "read lines, one compiled re.sub"


def mtmend_command(frozen: Path | None = None) -> tuple[str, ...] | None:
    """How to start mtmend: the console script, or the frozen copy made by :func:`freeze`."""
    if frozen is not None:
        return launcher(frozen)
    exe = common.executable("mtmend")
    return (exe,) if exe else None


def mtmend_clean_help(command: tuple[str, ...] | None) -> str | None:
    """``mtmend clean --help`` text, or None when this checkout has no ``clean`` command."""
    if command is None:
        return None
    done = subprocess.run([*command, "clean", "--help"], capture_output=True, text=True)
    return done.stdout if done.returncode == 0 else None


def has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def bifixer_problem() -> str:
    """Why bifixer cannot run here ('' when it can): not installed, or xxhash ≥ 4 (crashes 0.8.12)."""
    from importlib.metadata import PackageNotFoundError, version

    if common.executable("bifixer") is None or not has_module("bifixer"):
        return MISSING_EXTRA
    try:
        major = int(version("xxhash").split(".")[0])
    except PackageNotFoundError:
        return MISSING_EXTRA
    return f"broken: xxhash {version('xxhash')} ≥ 4 crashes bifixer 0.8.12 (pip install 'xxhash<4')" if major >= 4 else ""


def tools_for(corpus: common.Corpus, clean_help: str | None, mt: tuple[str, ...] | None = None) -> list[Tool]:
    """Every tool of both groups on this corpus; unavailable ones keep a ``missing`` reason."""
    n = corpus.lines
    py = sys.executable
    mt = mt or mtmend_command()
    no_clean = "missing (this checkout has no `mtmend clean`)"

    def mtmend(op: str, args: tuple[str, ...], inp: Path, group: str, needs: tuple[str, ...]) -> Tool:
        absent = [flag for flag in needs if clean_help is None or flag not in clean_help]
        reason = no_clean if clean_help is None else f"missing (`mtmend clean` has no {', '.join(absent)})"
        argv = (*mt, "clean", "-", *args) if mt and not absent else None
        return Tool("mtmend", op, argv, inp, n, "" if argv else reason, group)

    tsv_args = ("--format", "tsv", "--glossary", str(GLOSSARY))
    ftfy = (py, "-c", FTFY_CHILD) if has_module("ftfy") else None
    bif_problem = bifixer_problem()
    bifixer = None if bif_problem else (common.executable("bifixer"), "--scol", "1", "--tcol", "2",
                                        "--ignore_segmentation", "--ignore_html", "-q", "-", "-", "zh", "en")
    floor = (py, "-c", FLOOR_CHILD)
    return [
        mtmend("clean -", (), corpus.english, "text", ("-",)),
        mtmend("clean - -j 2", ("-j", "2"), corpus.english, "text", ("-j",)),
        Tool("ftfy", "fix_text per line", ftfy, corpus.english, n, "" if ftfy else MISSING_EXTRA, "text"),
        Tool("floor", FLOOR_OP, floor, corpus.english, n, "", "text"),
        mtmend("clean - --format tsv --glossary", tsv_args, corpus.tsv, "tsv", ("--format", "--glossary")),
        mtmend("clean - --format tsv --glossary -j 2", (*tsv_args, "-j", "2"), corpus.tsv, "tsv",
               ("--format", "--glossary", "-j")),
        Tool("bifixer", "zh–en TSV, --ignore_segmentation --ignore_html", bifixer, corpus.tsv, n, bif_problem, "tsv"),
        Tool("floor", FLOOR_OP + " (TSV)", floor, corpus.tsv, n, "", "tsv"),
    ]


def reference(results: list[Result], group: str) -> Result | None:
    """The group's single-process mtmend result, the row every ratio is taken against."""
    return next((r for r in results if r.tool.group == group and r.tool.name == "mtmend"), None)


def print_size(corpus: common.Corpus, results: list[Result]) -> None:
    label = common.size_label(corpus.lines)
    for group, title in (("text", f"English text, {label} lines ({corpus.english.name})"),
                         ("tsv", f"zh–en TSV, {label} lines ({corpus.tsv.name})")):
        rows = [r for r in results if r.tool.group == group]
        common.print_table(title, rows, reference(results, group))
    print("  mtmend × = mtmend's throughput ÷ the row's (>1: mtmend faster; vs floor: share of the floor's speed)")


# Start-up is timed on this many lines of the generated corpus rather than on an empty
# input: what a tool loads lazily on its first real line (jieba's dictionary, for mtmend
# with a glossary) is start-up too, not a cost per line.
STARTUP_LINES = 10


def startup(clean_help: str | None, repeats: int, mt: tuple[str, ...] | None) -> dict[tuple[str, str], float]:
    """Print start-up times; return each tool's median wall time on a few lines, by (group, operation)."""
    corpus = common.generate(STARTUP_LINES)
    terms = [zh for zh, _, _ in common.load_glossary()]
    with open(corpus.tsv, encoding="utf-8") as handle:
        with_term = sum(any(t in line.partition("\t")[0] for t in terms) for line in handle)
    tools = tools_for(corpus, clean_help, mt)
    script = common.executable("mtmend")  # start-up as users see it: the console script, never the frozen copy
    extra = [
        Tool("mtmend", "--help", (script, "--help") if script else None, None, 0, "missing (no mtmend script)",
             "startup"),
        Tool("python", "-c pass (interpreter floor)", (sys.executable, "-c", "pass"), None, 0, "", "startup"),
        Tool("python", "-c 'import mtmend.cli.main'", (sys.executable, "-c", "import mtmend.cli.main"), None, 0, "",
             "startup"),
    ]
    results = common.run_alternating(extra + tools, repeats, progress=False)
    print(f"\nStart-up: whole-process wall time, median of {repeats} alternating runs "
          f"(--help, or the first {STARTUP_LINES} generated lines, {with_term} with a glossary term)")
    rows = []
    for res in results:
        head = [res.tool.name, res.tool.operation]
        rows.append(head + ([f"{res.wall:.3f}", f"{min(s.wall for s in res.samples):.3f}", f"{res.rss_mb:,.0f}", ""]
                            if res.ok else ["–", "–", "–", res.error]))
    print(common.format_table(("tool", "operation", "median s", "min s", "peak MB", "note"), rows))
    help_res = results[0]
    if help_res.ok:
        verdict = "OK" if help_res.wall < 0.5 else "NOT MET"
        print(f"  mtmend --help start-up {help_res.wall:.3f} s (target well under 0.5 s): {verdict}")
    return {(r.tool.group, r.tool.operation): r.wall for r in results[len(extra):] if r.ok}


def summarize(by_size: dict[int, list[Result]], starts: dict[tuple[str, str], float]) -> None:
    """Linearity per tool, -j 2 speed-up, RSS growth, and the issue's targets."""
    sizes = sorted(by_size)
    print(f"\nLinearity: throughput (lines/s) at {', '.join(common.size_label(s) for s in sizes)}; "
          f"net = (lines − {STARTUP_LINES}) ÷ (wall − start-up on {STARTUP_LINES} lines); marginal = extra lines ÷ "
          "extra wall time from one size to the next, the cost of each further line whatever is paid once "
          "(start-up, caches warming): linear cost means equal marginal throughputs")
    rows = []
    for k, first in enumerate(by_size[sizes[0]]):
        series = [by_size[s][k] for s in sizes]
        if not all(r.ok for r in series):
            rows.append([first.tool.name, first.tool.operation] + ["–"] * (len(sizes) + 3)
                        + [next(r.error for r in series if not r.ok)])
            continue
        raw = [r.throughput for r in series]
        start = starts.get((first.tool.group, first.tool.operation))
        net = [(r.tool.units - STARTUP_LINES) / (r.wall - start) if start is not None and r.wall > start
               else float("nan") for r in series]
        marginal = marginal_throughputs(series)
        rss = f"{100 * (series[-1].rss_mb / series[-2].rss_mb - 1):+.0f}%" if len(series) > 1 else "–"
        rows.append([first.tool.name, first.tool.operation] + [f"{t:,.0f}" for t in raw]
                    + [_pct(_spread(raw)), _pct(_spread(net)), " / ".join(f"{m:,.0f}" for m in marginal) or "–",
                       _pct(_spread(marginal)) if len(marginal) > 1 else "–", rss, ""])
    labels = [common.size_label(s) for s in sizes]
    rss_label = f"RSS {labels[-2]}→{labels[-1]}" if len(sizes) > 1 else "RSS"
    steps = " / ".join(f"{a}→{b}" for a, b in zip(labels, labels[1:]))
    print(common.format_table(("tool", "operation", *labels, "spread", "net spread", f"marginal {steps}",
                               "marginal spread", rss_label, "note"), rows))
    verdicts(by_size[sizes[-1]], common.size_label(sizes[-1]), by_size, sizes)
    if len(sizes) > 2:
        for k, first in enumerate(by_size[sizes[0]]):
            series = [by_size[s][k] for s in sizes]
            if first.tool.name == "mtmend" and all(r.ok for r in series):
                spread = _spread(marginal_throughputs(series))
                print(f"  cost grows linearly (marginal throughput within 20%), mtmend {first.tool.operation}: "
                      f"{_pct(spread)} ({'OK' if spread <= 20 else 'NOT MET'})")


def marginal_throughputs(series: list[Result]) -> list[float]:
    """Lines per second added between consecutive sizes: Δlines ÷ Δ(median wall)."""
    out = []
    for small, large in zip(series, series[1:]):
        extra = large.wall - small.wall
        out.append((large.tool.units - small.tool.units) / extra if extra > 0 else float("nan"))
    return out


def _pct(value: float) -> str:
    return "–" if value != value else f"{value:.0f}%"


def _spread(values: list[float]) -> float:
    """(max − min) / max in %; NaN when any value is missing."""
    if any(v != v for v in values) or not values:
        return float("nan")
    return 100 * (max(values) - min(values)) / max(values)


def verdicts(results: list[Result], label: str, by_size: dict[int, list[Result]], sizes: list[int]) -> None:
    """The issue's targets, checked on the largest size measured."""
    find = {(r.tool.group, r.tool.name, r.tool.operation): r for r in results}
    text = reference(results, "text")
    tsv = reference(results, "tsv")
    ftfy = next((r for r in results if r.tool.name == "ftfy"), None)
    bif = next((r for r in results if r.tool.name == "bifixer"), None)
    j2_text = find.get(("text", "mtmend", "clean - -j 2"))
    j2_tsv = find.get(("tsv", "mtmend", "clean - --format tsv --glossary -j 2"))
    print(f"\nTargets at {label} lines:")
    _verdict("mtmend clean (TSV+glossary) ≥ 3× bifixer", tsv, bif, 3.0)
    _verdict("mtmend clean (text) ≥ ftfy", text, ftfy, 1.0)
    _verdict("mtmend clean -j 2 faster than single process (text)", j2_text, text, 1.0, strict=True)
    _verdict("mtmend clean -j 2 faster than single process (TSV)", j2_tsv, tsv, 1.0, strict=True)
    if len(sizes) > 1:
        for k, res in enumerate(results):
            if res.tool.name == "mtmend":
                small = by_size[sizes[-2]][k]
                if res.ok and small.ok:
                    growth = 100 * (res.rss_mb / small.rss_mb - 1)
                    ok = "OK" if abs(growth) <= 10 else "NOT MET"
                    print(f"  peak RSS flat {common.size_label(sizes[-2])}→{label} within 10%, mtmend "
                          f"{res.tool.operation}: {small.rss_mb:.0f} → {res.rss_mb:.0f} MB ({growth:+.0f}%): {ok}")


def _verdict(what: str, ours: Result | None, theirs: Result | None, factor: float, strict: bool = False) -> None:
    if ours is None or theirs is None or not ours.ok or not theirs.ok:
        print(f"  {what}: n/a (not measured: {(ours.error if ours else '') or (theirs.error if theirs else '')})")
        return
    ratio = ours.throughput / theirs.throughput
    met = ratio > factor if strict else ratio >= factor
    print(f"  {what}: {ratio:.2f}× ({'OK' if met else 'NOT MET'})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="small run: 5k and 20k lines, 3 repeats (default: off; 10k, 100k, 1M, 5 repeats)")
    parser.add_argument("--sizes", default=None,
                        help="comma-separated line counts, e.g. 10k,100k,1M (default: 10k,100k,1M)")
    parser.add_argument("--repeats", type=int, default=None, help="timed runs per tool and size (default: 5; 3 with --quick)")
    parser.add_argument("--large-repeats", type=int, default=3,
                        help="timed runs per tool at sizes of 1M lines and more (default: 3)")
    parser.add_argument("--freeze", action="store_true",
                        help="measure a copy of mtmend's code taken at the start, so edits during a long run "
                        "cannot mix versions (default: off, the installed code)")
    args = parser.parse_args(argv)
    try:
        sizes = [common.parse_size(s) for s in (args.sizes or ("5k,20k" if args.quick else "10k,100k,1M")).split(",")]
    except ValueError as exc:
        parser.error(str(exc))
    repeats = args.repeats or (3 if args.quick else 5)
    if repeats < 1 or args.large_repeats < 1:
        parser.error("--repeats and --large-repeats must be at least 1")

    frozen = freeze() if args.freeze else None
    mt = mtmend_command(frozen)
    clean_help = mtmend_clean_help(mt)
    print(f"bench_clean_peers: {common.machine_note()}")
    print(f"  repeats {repeats} ({args.large_repeats} at ≥1M), tools alternated, medians; peak RSS from wait4")
    if clean_help is None:
        print("  note: this checkout has no `mtmend clean` yet; measuring the peers and the floor only")
    if frozen is not None:
        print(f"  mtmend clean measured from a frozen copy of the code: {frozen}")
    starts = startup(clean_help, max(repeats, 10), mt)
    by_size: dict[int, list[Result]] = {}
    for size in sizes:
        print(f"\n== {common.size_label(size)} lines ==", flush=True)
        corpus = common.generate(size)
        n = repeats if size < 1_000_000 else min(repeats, args.large_repeats)
        by_size[size] = common.run_alternating(tools_for(corpus, clean_help, mt), n, warmup=size < 1_000_000)
        print_size(corpus, by_size[size])
        sys.stdout.flush()
    summarize(by_size, starts)
    print(f"\nfinished: {common.machine_note(own_load=2.0)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
