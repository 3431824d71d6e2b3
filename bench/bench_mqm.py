"""Benchmark ``mtmend mqm score`` on the professional TED zh→en MQM file, at 1×, 10× and 100× its size.

The TED file (``../shared/data/mqm/mqm_ted_zhen.tsv``, 9,915 error rows over 15 systems)
is scored as users score it, ``mtmend mqm score FILE --by system``, as a whole process.
The larger inputs are the file repeated with each copy's system names suffixed
(``refB#2``), so every copy must score exactly like the original: the benchmark checks
that, besides timing. The yardstick is a floor: Python reads each row, splits it on tabs
and adds a weight per severity to its system — what any MQM scorer has to do at least.

Run from the repository root: ``.venv/bin/python bench/bench_mqm.py [--quick]``.
Without ``../shared/data`` (a user's clone) it says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import common
from common import Tool

TED = common.ROOT.parent / "shared" / "data" / "mqm" / "mqm_ted_zhen.tsv"
FLOOR_CHILD = (
    "import sys\n"
    "w = {'Major': 5.0, 'Minor': 1.0, 'Critical': 5.0}\n"
    "totals = {}\n"
    "rows = iter(open(sys.argv[1], encoding='utf-8'))\n"
    "next(rows)\n"
    "for row in rows:\n"
    "    c = row.rstrip('\\n').split('\\t')\n"
    "    totals[c[0]] = totals.get(c[0], 0.0) + w.get(c[8], 0.0)\n"
    "print(len(totals))\n"
)


def scaled(copies: int) -> tuple[Path, int]:
    """The TED file repeated ``copies`` times (system names suffixed), and its row count."""
    lines = TED.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    if copies == 1:
        return TED, len(rows)
    path = common.OUT / f"mqm-ted-x{copies}.tsv"
    if not path.exists():
        from mtmend.corpus.outfile import open_output

        common.OUT.mkdir(parents=True, exist_ok=True)
        with open_output(path) as out:
            out.write(header + "\n")
            for k in range(1, copies + 1):
                for row in rows:
                    system, rest = row.split("\t", 1)
                    out.write(f"{system}#{k}\t{rest}\n" if k > 1 else row + "\n")
    return path, len(rows) * copies


def scores(path: Path) -> dict[str, float]:
    """System → score, from ``mtmend mqm score --format json``."""
    out = subprocess.run([common.executable("mtmend"), "mqm", "score", str(path), "--by", "system", "--format", "json"],
                         capture_output=True, text=True, check=True)
    return {s["name"]: s["score"] for s in json.loads(out.stdout)["scores"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", default="1,10,100",
                        help="comma-separated sizes as copies of the TED file (default: 1,10,100)")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per tool and size (default: 5)")
    parser.add_argument("--quick", action="store_true", help="1 and 10 copies, 3 repeats (default: off)")
    args = parser.parse_args(argv)
    if not TED.exists():
        print(f"bench_mqm: {TED} is not here (it comes with the project's shared data); nothing to measure")
        return 0
    copies = [1, 10] if args.quick else [int(c) for c in args.copies.split(",")]
    repeats = 3 if args.quick else args.repeats
    print(f"bench_mqm: {common.machine_note()}")
    print(f"  repeats {repeats}, tools alternated, medians; peak RSS from wait4")
    reference = scores(TED)
    series: dict[str, list[tuple[int, float, float]]] = {}
    for k in copies:
        path, rows = scaled(k)
        same = all(abs(s - reference[name.split("#")[0]]) < 1e-9 for name, s in scores(path).items())
        tools = [
            Tool("mtmend", "mqm score --by system",
                 (common.executable("mtmend"), "mqm", "score", str(path), "--by", "system"), None, rows),
            Tool("floor", "read rows, sum a weight per severity", (sys.executable, "-c", FLOOR_CHILD, str(path)),
                 None, rows),
        ]
        results = common.run_alternating(tools, repeats)
        common.print_table(f"TED MQM file ×{k}: {rows:,} error rows ({path.name}); every copy scores as the "
                           f"original: {'yes' if same else 'NO'}", results, results[0],
                           headers=("tool", "operation", "rows", "median s", "spread", "rows/s", "peak MB",
                                    "mtmend ×", "out lines", "note"))
        for res in results:
            if res.ok:
                series.setdefault(res.tool.name, []).append((rows, res.throughput, res.rss_mb))
    print("\nLinearity: rows/s at each size (start-up included), then marginal rows/s from one size to the next "
          "(extra rows ÷ extra seconds: what each further row costs); spread = (max − min) ÷ max")
    for name, points in series.items():
        cells = "  ".join(f"{rows:,} rows: {rate:,.0f}/s ({rss:.0f} MB)" for rows, rate, rss in points)
        marginal = [(b[0] - a[0]) / (b[0] / b[1] - a[0] / a[1]) for a, b in zip(points, points[1:])]
        print(f"  {name:<7} {cells}")
        if marginal:
            print(f"          marginal {' / '.join(f'{m:,.0f}' for m in marginal)} rows/s"
                  + (f", spread {_spread(marginal):.0f}%" if len(marginal) > 1 else ""))
    print("  Memory grows with the number of distinct segments (each copy adds new systems), not with rows.")
    return 0


def _spread(values: list[float]) -> float:
    return 100 * (max(values) - min(values)) / max(values)


if __name__ == "__main__":
    sys.exit(main())
