"""XLIFF 1.2 export and import at scale: mtmend (streamed) vs translate-toolkit (whole tree).

Usage: python bench/bench_xliff.py [--segments 10000,100000] [--ttk-max 100000] [--quick]

A workspace of N segments (one document, deterministic zh–en news sentences) is built
once per size; then each operation runs in its own child process, and the table shows
its wall time and peak RSS (``wait4``'s ``ru_maxrss``, see :func:`common.measure`):

  export — ``mtmend export -o FILE.xlf --format xliff`` (streamed: one trans-unit in memory)
  import — ``mtmend import FILE.xlf`` of that file back into the workspace (streamed
           ``iterparse``; every unit is matched and found unchanged)
  ttk read — translate-toolkit's ``xlifffile.parsefile`` of the same file, touching each
           unit's source, target and state (the peer: it keeps the whole tree)

Flat memory shows as a peak RSS that stays put when N grows tenfold.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
from bench_tmx import pairs  # noqa: E402


def build(n: int, folder: Path) -> None:
    from mtmend.corpus.store import NewSegment, Workspace

    with Workspace.open(folder, create=True) as ws, ws.transaction():
        ws.add_document("bench", (NewSegment(para=i, source=zh, mt=en) for i, (zh, en) in enumerate(pairs(n))))


def ttk_read(path: str) -> None:
    from translate.storage import xliff

    store = xliff.xlifffile.parsefile(path)
    count = sum(1 for u in store.units if u.source and u.target is not None and u.get_state_id() >= 0)
    print(count)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", default="10000,100000", help="sizes, comma-separated (default: 10000,100000)")
    parser.add_argument("--ttk-max", type=common.parse_size, default=100_000,
                        help="largest size translate-toolkit is run on (default: 100000)")
    parser.add_argument("--quick", action="store_true", help="only 2,000 and 20,000 segments")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        {"build": lambda n, f: build(int(n), Path(f)), "ttk": ttk_read}[args.child[0]](*args.child[1:])
        return 0
    sizes = [2_000, 20_000] if args.quick else [common.parse_size(s) for s in args.segments.split(",")]
    mtmend = [sys.executable, "-m", "mtmend.cli.main"]
    rows = []
    for n in sizes:
        folder = common.OUT / f"xliff-ws-{n}"
        out = common.OUT / f"bench-{n}.xlf"
        if not folder.exists():
            common.measure([sys.executable, __file__, "--child", "build", str(n), str(folder)], None)
        runs = [("mtmend export", [*mtmend, "-w", str(folder), "export", "-o", str(out), "--format", "xliff"]),
                ("mtmend import", [*mtmend, "-w", str(folder), "import", str(out)])]
        if n <= args.ttk_max:
            runs.append(("translate-toolkit read", [sys.executable, __file__, "--child", "ttk", str(out)]))
        for name, argv_ in runs:
            sample = common.measure(argv_, None)
            rows.append([f"{n:,}", name, f"{sample.wall:.2f}", f"{n / sample.wall:,.0f}", f"{sample.rss_mb:.0f}"])
    print(common.format_table(["segments", "operation", "seconds", "segments/s", "peak RSS MB"], rows, left=(0, 1)))
    print(common.machine_note())
    return 0


if __name__ == "__main__":
    sys.exit(main())
