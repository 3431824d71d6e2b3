"""``mtmend clean``'s own CPU while it cleans and records a document, before and after the batched writes.

A big document is cleaned by forked workers; the main process reads the segments, prepares the
document, and writes what the workers send back: on 2 cores the workers need every cycle, so the
main process's CPU is wall time. This runs whole ``mtmend -w WS clean`` processes on copies of a
freshly imported workspace of the generated corpus (``common.generate``: ``--size`` lines, one
document) and prints the CPU seconds (``time.process_time()``: this process alone, not its
workers) spent inside ``cleaner.passes._clean_document``, for two trees:

- ``before`` — the code of commit :data:`BEFORE` (``git archive`` into ``bench/out/``), which
  wrote each segment's annotations, target and statistics as it came (a ``SELECT`` for the next
  ``seq``, an ``executemany``, an ``UPDATE`` per segment);
- ``after`` — this working tree (copied), which writes them in batches (``corpus/store/writes.py``).

Each run takes a fresh copy, cleans it once (``first clean``: every segment new to the
annotations) then again (``second clean``: every segment annotated, little to write); the
trees alternate, and the table gives the medians, the spread, and the whole clean's wall time.

Run: ``.venv/bin/python bench/bench_clean_loop.py [--size 100k] [--repeats 3] [--quick]``.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import common
import trees
from bench_passes import imported_workspace

BEFORE = "7d7c97a"  # main before the batched writes
# A child running mtmend's clean with ``_clean_document`` timed; it writes "cpu wall" to argv[3].
PROBE = """
import sys, time
root, ws, out = sys.argv[1:4]
sys.path.insert(0, root)
from mtmend.cleaner import passes
inner, spent = passes._clean_document, [0.0]
def timed(*args, **kwargs):
    start = time.process_time()
    try:
        return inner(*args, **kwargs)
    finally:
        spent[0] += time.process_time() - start
passes._clean_document = timed
from mtmend.cli.main import main
start = time.perf_counter()
code = main(["-w", ws, "clean"])
wall = time.perf_counter() - start
if code:
    sys.exit(code)
open(out, "w").write(f"{spent[0]} {wall}")
"""


def probe(tree: Path, folder: Path) -> tuple[float, float]:
    """(CPU s inside ``_clean_document``, wall s of the clean) of one ``clean`` of ``folder`` by ``tree``."""
    out = common.OUT / ".loop-cpu"
    out.unlink(missing_ok=True)
    subprocess.run([sys.executable, "-c", PROBE, str(tree), str(folder), str(out)], check=True,
                   stdout=subprocess.DEVNULL, env=common.CHILD_ENV)
    cpu, wall = out.read_text().split()
    return float(cpu), float(wall)


def run(rows: dict[str, Path], source: Path, repeats: int) -> dict[str, dict[str, list]]:
    """Per tree, the (CPU, wall) samples of a first and a second clean, trees alternating."""
    samples = {name: {"first clean": [], "second clean": []} for name in rows}
    names = list(rows)
    for r in range(repeats):
        for name in names[r % len(names):] + names[: r % len(names)]:
            copy = common.OUT / ".ws-loop"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(source, copy)
            for which in ("first clean", "second clean"):
                print(f"  run {r + 1}/{repeats}: {name}, {which}", file=sys.stderr, flush=True)
                samples[name][which].append(probe(rows[name], copy))
            shutil.rmtree(copy, ignore_errors=True)
    return samples


def main(argv: list[str] | None = None) -> int:
    size, repeats = common.size_and_repeats(__doc__.splitlines()[0], argv, "tree")
    corpus = common.generate(size)
    rows = {f"before ({BEFORE})": trees.of_commit(BEFORE), "after (this tree)": trees.freeze("tree-work")}
    source = imported_workspace(corpus, rows[f"before ({BEFORE})"])
    print(f"mtmend clean on a {common.size_label(size)}-segment workspace, {repeats} run(s) per tree; "
          f"{common.machine_note()}")
    results = run(rows, source, repeats)
    table = []
    for which in ("first clean", "second clean"):
        base = statistics.median(cpu for cpu, _ in results[f"before ({BEFORE})"][which])
        for name, by_clean in results.items():
            cpus = [cpu for cpu, _ in by_clean[which]]
            middle = statistics.median(cpus)
            table.append([f"{name}: {which}", f"{middle:.2f}", f"{min(cpus):.2f}–{max(cpus):.2f}",
                          f"{middle / base:.2f}×", f"{statistics.median(w for _, w in by_clean[which]):.1f}"])
    print(common.format_table(("tree: run", "main-process CPU s", "spread", "× before", "clean wall s"), table,
                              left=(0,)))
    print(f"load average after the runs: {common.machine_note()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
