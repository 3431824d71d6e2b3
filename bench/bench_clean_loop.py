"""``mtmend clean``'s own CPU while it cleans and records a document, before and after the batched writes.

A big document is cleaned by forked workers; the main process reads the segments, prepares the
document, and writes what the workers send back: on 2 cores the workers need every cycle, so the
main process's CPU is wall time. This runs whole ``mtmend -w WS clean`` processes on copies of a
freshly imported workspace of the generated corpus (``common.generate``: ``--size`` lines, one
document) and prints the CPU seconds (``time.process_time()``: this process alone, not its
workers) spent inside ``cleaner.passes._clean_document``, and inside that in the calls that write
the segments (the outermost ones only, less what timing a call costs), for two trees:

- ``before`` — the code of commit :data:`BEFORE` (``git archive`` into ``bench/out/``), which
  wrote each segment's annotations, target and statistics as it came (a ``SELECT`` for the next
  ``seq``, an ``executemany``, an ``UPDATE`` per segment);
- ``after`` — this working tree (copied), which writes them in batches (``corpus/store/writes.py``).

Each run takes a fresh copy, cleans it once (``first clean``: every segment new to the
annotations) then again (``second clean``: every segment annotated, little to write); the
trees alternate, and the table gives the medians, the spread, and the whole clean's wall time. On a
busy machine the loop's figure moves by a second or more from run to run (the writes are a third
of it); the writes' figure is the one this change is about.

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
# A child running mtmend's clean with ``_clean_document`` timed, and inside it the calls that write
# segments: the store's per-segment methods (before) or the batch's (after), outermost calls only,
# less what timing a call costs (measured here on an empty function). Writes "loop writes wall" to argv[3].
PROBE = """
import sys, time
root, ws, out = sys.argv[1:4]
sys.path.insert(0, root)
from mtmend.cleaner import passes
from mtmend.corpus import store
spent, depth = [0.0, 0.0, 0], [0, 0]
def timed(call, slot):
    def run(*args, **kwargs):
        if depth[slot]:
            return call(*args, **kwargs)
        depth[slot], start = 1, time.process_time()
        try:
            return call(*args, **kwargs)
        finally:
            spent[slot] += time.process_time() - start
            spent[2] += slot
            depth[slot] = 0
    return run
batch = getattr(store, "SegmentWrites", None)
owner, names = (batch, ("add_applied", "add_suggested", "put_segment_stats", "flush")) if batch else (
    store.Workspace, ("add_applied", "add_suggested", "put_segment_stats"))
for name in names:
    setattr(owner, name, timed(getattr(owner, name), 1))
empty = timed(lambda: None, 1)
start = time.process_time()
for _ in range(100_000):
    empty()
cost = (time.process_time() - start) / 100_000
spent[:] = [0.0, 0.0, 0]
passes._clean_document = timed(passes._clean_document, 0)
from mtmend.cli.main import main
start = time.perf_counter()
code = main(["-w", ws, "clean"])
wall = time.perf_counter() - start
if code:
    sys.exit(code)
open(out, "w").write(f"{spent[0]} {spent[1] - cost * spent[2]} {wall}")
"""


def probe(tree: Path, folder: Path) -> tuple[float, float, float]:
    """CPU s inside ``_clean_document``, of which in the writes, and the wall s of one ``clean`` of ``folder`` by ``tree``."""
    out = common.OUT / ".loop-cpu"
    out.unlink(missing_ok=True)
    done = subprocess.run([sys.executable, "-c", PROBE, str(tree), str(folder), str(out)], capture_output=True,
                          text=True, env=common.CHILD_ENV)
    if done.returncode:
        raise common.ToolFailed(f"exit {done.returncode}: {(done.stderr.strip().splitlines() or ['no stderr'])[-1]}")
    loop, writes, wall = out.read_text().split()
    return float(loop), float(writes), float(wall)


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
        before = results[f"before ({BEFORE})"][which]
        for name, samples in results.items():
            row = [f"{name}: {which}"]
            for column in (0, 1):  # the loop, the writes in it
                values, base = [s[column] for s in samples[which]], statistics.median(s[column] for s in before)
                middle = statistics.median(values)
                row += [f"{middle:.2f}", f"{min(values):.2f}–{max(values):.2f}", f"{middle / base:.2f}×"]
            table.append(row + [f"{statistics.median(s[2] for s in samples[which]):.1f}"])
    print(common.format_table(("tree: run", "loop CPU s", "spread", "× before", "writes CPU s", "spread", "× before",
                               "clean wall s"), table, left=(0,)))
    print(f"load average after the runs: {common.machine_note()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
