"""TER statistics of a clean's effort pairs: sacrebleu's search and mtmend's (``corpus/tercom.py``) side by side.

The pairs are what ``mtmend clean`` scores as post-editing effort: raw MT against the cleaned
target of every segment of a workspace made from the generated corpus (``common.generate``:
``--size`` lines, imported and cleaned once by this tree into ``bench/out/``). Both sides
compute the TER statistics of every pair as ``corpus.scoring.chunk_stats`` does (equal words
skip the search in both); the sacrebleu side is the same code with ``tercom.usable()``
answering no, and a floor counts 0 edits without searching (what both sides share). Runs
alternate, CPU seconds of this process (``time.process_time``), the median per side, and the
summed statistics of the two searches must be equal.

Run: ``.venv/bin/python bench/bench_ter.py [--size 100k] [--repeats 1] [--quick]``.
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

import common
import trees
from sacrebleu.tokenizers.tokenizer_ter import TercomTokenizer

from mtmend.corpus import tercom
from mtmend.corpus.scoring import chunk_stats


def effort_pairs(corpus: common.Corpus) -> tuple[list[tuple[None, str, str]], Path]:
    """(None, raw MT, cleaned target) for every segment of the corpus's cleaned workspace."""
    folder = common.OUT / f"ws-cleaned-{corpus.tsv.stem}"
    if not (folder / ".cleaned").exists():
        shutil.rmtree(folder, ignore_errors=True)
        launch = trees.launcher(trees.freeze("tree-work"))
        for args in (("import", str(corpus.tsv), "--name", "bench"), ("clean",)):
            print(f"  mtmend {args[0]} ({corpus.params.lines:,} lines)", file=sys.stderr, flush=True)
            common.measure((*launch, "-w", str(folder), *args), None)
        (folder / ".cleaned").touch()
    with sqlite3.connect(folder / "mtmend.db") as db:
        rows = db.execute("SELECT mt, target FROM segments WHERE position >= 0").fetchall()
    return [(None, mt, target) for mt, target in rows], folder


SIDES = ("sacrebleu", "mtmend", "floor")


def timed(pairs: list, side: str) -> tuple[float, list]:
    """CPU seconds and summed TER statistics over ``pairs`` with sacrebleu's search, ours, or none.

    The floor counts 0 edits for every pair that differs: what is left is the part both
    searches share (sacrebleu's tokenizer, the equal-words shortcut, summing).
    """
    usable, edits = tercom.usable, tercom.edits
    if side == "sacrebleu":
        tercom.usable = lambda: False
    elif side == "floor":
        tercom.edits = lambda hyp, ref: 0
    TercomTokenizer.__call__.cache_clear()  # every side tokenizes from cold, whatever ran before
    try:
        start = time.process_time()
        stats = chunk_stats(("TER",), "en", pairs)
        return time.process_time() - start, stats[None]
    finally:
        tercom.usable, tercom.edits = usable, edits


def main(argv: list[str] | None = None) -> int:
    size, repeats = common.size_and_repeats(__doc__.splitlines()[0], argv, "side")
    pairs, folder = effort_pairs(common.generate(size))
    differ = sum(mt.split() != target.split() for _, mt, target in pairs)
    print(f"TER statistics of {len(pairs):,} effort pairs (raw MT vs cleaned target, {differ:,} differ in "
          f"whitespace-split words) from {folder.name}; {common.machine_note()}")
    seconds: dict[str, list[float]] = {side: [] for side in SIDES}
    results = {}
    for r in range(repeats):
        for side in SIDES[r % 3:] + SIDES[:r % 3]:
            print(f"  run {r + 1}/{repeats}: {side}", file=sys.stderr, flush=True)
            cpu, results[side] = timed(pairs, side)
            seconds[side].append(cpu)
    same = results["sacrebleu"] == results["mtmend"]
    peer, ours, floor = (statistics.median(seconds[s]) for s in SIDES)
    print(common.format_table(("TER statistics", "CPU s (median)", "runs", "summed statistics"), [
        ["sacrebleu 2.x search (lib_ter)", f"{peer:.2f}", str(repeats), str(results["sacrebleu"][0])],
        ["mtmend search (corpus/tercom.py)", f"{ours:.2f}", str(repeats), str(results["mtmend"][0])],
        ["floor: no search (0 edits)", f"{floor:.2f}", str(repeats), str(results["floor"][0])],
    ], left=(0,)))
    print(f"speed-up: {peer / ours:.1f}x; the searches alone (minus the floor): "
          f"{(peer - floor) / max(ours - floor, 1e-9):.1f}x; statistics {'identical' if same else 'DIFFERENT'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
