"""Throughput and peak memory of ``mtmend clean -`` on generated MT-damaged English.

Usage: python bench/bench_clean.py [--lines 10000,100000] [--repeat 3] [--jobs 1,2] [--format text|tsv]

Generates (deterministically, seeded) lines of ~25 English words carrying the defect
classes the cleaner repairs, writes them to a temporary file, runs ``mtmend clean -`` on
it in a subprocess several times, and prints the median wall time, lines per second and
peak RSS (of the mtmend process and its workers) per input size. Peak RSS that stays flat
as the input grows shows the filter streams. A later benchmark adds the peers (bifixer,
ftfy) on the same files: :func:`generate` is the shared generator.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = (
    "the digital economy is changing how countries and regions cooperate on new infrastructure while companies "
    "invest in research talent and markets across the region with support from local government policy makers "
    "experts scholars and entrepreneurs who believe that technology will bring deep changes to finance trade "
    "industry and daily life in many ways over the next few years according to the report"
).split()
NAMES = ("Hainan", "Hangzhou", "Singapore", "Bahrain", "Gibraltar", "Zhejiang University", "Belt and Road", "Digital Silk Road")
ZH = "数字经济正在改变各国和地区在新基础设施方面的合作方式，企业投资于研究人才和市场。"

DEFECTS = (
    lambda s, r: s.replace(". ", ".", 1),  # glued sentences
    lambda s, r: s.replace(" ", " , ", 1).replace(" , ", ", ", 0),  # space before comma
    lambda s, r: s.replace(" ", "  ", 1),  # doubled space
    lambda s, r: s.replace(", ", "，", 1),  # Chinese comma
    lambda s, r: s.replace(" the ", f' the" {r.choice(NAMES)} "', 1),  # garbled quotes
    lambda s, r: s[:-1] + '." Said Li Lin, the founder.',  # split attribution
    lambda s, r: f"{r.randint(1, 9)}.{s}",  # list number without space
    lambda s, r: s + " Development.",  # fragment
    lambda s, r: s,
    lambda s, r: s,
    lambda s, r: s,
    lambda s, r: s,
)


def sentence(r: random.Random) -> str:
    words = [r.choice(WORDS) for _ in range(r.randint(10, 14))]
    words[r.randrange(len(words))] = r.choice(NAMES)
    first = " ".join(words)
    second = " ".join(r.choice(WORDS) for _ in range(r.randint(9, 13)))
    return f"{first[0].upper()}{first[1:]}, {r.randint(2, 99)} percent. {second[0].upper()}{second[1:]}."


def generate(path: Path, lines: int, *, tsv: bool = False, seed: int = 7) -> None:
    """Write ``lines`` lines of damaged MT English (``zh<TAB>en`` rows with ``tsv``)."""
    r = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for i in range(lines):
            if i % 500 == 499:
                out.write(f"{ZH}\tHot search keywords\n" if tsv else "Hot search keywords\n")
                continue
            text = r.choice(DEFECTS)(sentence(r), r)
            out.write(f"{ZH}\t{text}\n" if tsv else f"{text}\n")


def run_once(path: Path, args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one ``mtmend clean -`` run (children included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    with path.open("rb") as stdin:
        subprocess.run(
            [sys.executable, "-m", "mtmend.cli.main", "clean", "-", *args],
            stdin=stdin, stdout=subprocess.DEVNULL, check=True,
        )
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", default="10000,100000", help="comma-separated input sizes (default: 10000,100000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per configuration; the median is printed (default: 3)")
    parser.add_argument("--jobs", default="1,2", help="comma-separated -j values (default: 1,2)")
    parser.add_argument("--format", choices=("text", "tsv"), default="text", help="input format (default: text)")
    parser.add_argument("--glossary", help="glossary for --format tsv (default: none)")
    args = parser.parse_args(argv)
    print(f"mtmend clean - --format {args.format}: median of {args.repeat} runs; peak RSS is the largest process's")
    print(f"{'lines':>9} {'jobs':>4} {'median s':>9} {'lines/s':>9} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(x) for x in args.lines.split(",")):
            path = Path(tmp) / f"in-{size}.txt"
            generate(path, size, tsv=args.format == "tsv")
            for jobs in (int(j) for j in args.jobs.split(",")):
                extra = ["--format", args.format, "-j", str(jobs)]
                if args.glossary:
                    extra += ["--glossary", args.glossary]
                runs = [run_once(path, extra) for _ in range(args.repeat)]
                wall = statistics.median(w for w, _ in runs)
                peak = max(p for _, p in runs)
                print(f"{size:>9} {jobs:>4} {wall:>9.2f} {size / wall:>9,.0f} {peak:>8.0f}", flush=True)
            os.unlink(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
