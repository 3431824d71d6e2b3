"""``mtmend clean`` on a big workspace: the pass it records, before and after the pass lifecycle.

Measures whole ``mtmend -w WS clean`` processes on a freshly imported workspace of the
generated corpus (``common.generate``: ``--size`` lines, one document), for two trees:

- ``before: clean`` — the code of commit :data:`BASE` (``git archive`` into ``bench/out/``),
  which took the pass snapshot inside the write transaction and left the sacrebleu metrics
  out above 2,000 segments;
- ``before: clean + score`` — the same code, ``clean`` then ``score`` on the same copy (timed
  together): the only way it had to record a pass's metrics at that size;
- ``after: clean`` — this working tree (copied, so edits made meanwhile do not mix in), which
  scores after the write transaction, at any size;
- ``after: a second clean`` — the same, timing a clean run after an untimed first one: the
  statistics kept in the workspace spare it the rescoring of unchanged segments.

Each run works on its own copy of the same workspace (imported once, by ``before``), runs
alternate between the rows, and the table shows wall time, CPU time (all processes), peak
RSS, and what the last recorded pass holds: the metrics, or why they are missing.

Run: ``.venv/bin/python bench/bench_passes.py [--size 100k] [--repeats 1] [--quick]``.

``--rows`` measures instead the per-segment work a clean does in its workers: the CPU time of
``prescore.segment_row`` (digest, BLEU/chrF++/TER statistics, the row to keep) over every
segment of the generated workspace after a clean (raw MT vs cleaned target), for the code of
:data:`ROWS_BASE` and this tree, with sacrebleu's own per-segment statistics of the same pairs
beside them (``_compute_segment_statistics``, no digest, no row). Each side runs in its own
process, sides alternate (sacrebleu's, ten times slower, runs once), the median is shown, and
the statistics of all sides must be equal:
``.venv/bin/python bench/bench_passes.py --rows [--size 100k] [--repeats 3]``.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
from pathlib import Path

import common
import trees

BASE = "3d3c09a"  # main before the store package and the pass lifecycle
ROWS_BASE = "7d7c97a"  # main before the cheaper per-segment statistics


def command(tree: Path, *args: str) -> tuple[str, ...]:
    """``mtmend ARGS`` running the code in ``tree``."""
    return (*trees.launcher(tree), *args)


def imported_workspace(corpus: common.Corpus, tree: Path) -> Path:
    """The corpus imported as one document into a workspace (made once, by ``tree``)."""
    folder = common.OUT / f"ws-{corpus.tsv.stem}-{tree.name}"
    if not (folder / "mtmend.db").exists():
        shutil.rmtree(folder, ignore_errors=True)
        common.measure(command(tree, "-w", str(folder), "import", str(corpus.tsv), "--name", "bench"), None)
    return folder


def recorded_pass(folder: Path) -> dict:
    """Kind and snapshot of the workspace's last pass (read straight from the database)."""
    with sqlite3.connect(folder / "mtmend.db") as db:
        row = db.execute("SELECT kind, summary FROM passes ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        return {"kind": None, "snapshot": {}}
    return {"kind": row[0], "snapshot": json.loads(row[1]).get("snapshot", {})}


def describe(snapshot: dict) -> str:
    """The recorded figures in one cell: effort TER/BLEU/chrF++ and MQM, or why metrics are missing."""
    mqm = snapshot.get("mqm", {})
    parts = [f"MQM {mqm['found']:.3f}→{mqm['remaining']:.3f}"] if mqm else ["no MQM"]
    effort = snapshot.get("metrics", {}).get("effort")
    if effort:
        parts.append("effort " + " ".join(f"{s['metric']} {s['score']:.2f}" for s in effort["scores"]))
    else:
        parts.append(f"no metrics ({snapshot.get('metrics_skipped', 'none recorded')})")
    return "; ".join(parts)


def run(rows: dict[str, tuple[Path, tuple[str, ...], tuple[str, ...]]], source: Path, repeats: int) -> dict[str, list]:
    """Run each row's commands on a fresh copy of ``source`` (the untimed ones first), alternating, ``repeats`` times each."""
    samples: dict[str, list] = {name: [] for name in rows}
    passes: dict[str, dict] = {}
    names = list(rows)
    for r in range(repeats):
        for i, name in enumerate(names[r % len(names):] + names[: r % len(names)]):
            copy = common.OUT / f".ws-run-{i}"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(source, copy)
            print(f"  run {r + 1}/{repeats}: {name}", file=sys.stderr, flush=True)
            tree, untimed, commands = rows[name]
            for c in untimed:
                common.measure(command(tree, "-w", str(copy), c), None)
            parts = [common.measure(command(tree, "-w", str(copy), c), None) for c in commands]
            samples[name].append(common.Sample(sum(p.wall for p in parts), max(p.rss_mb for p in parts),
                                               sum(p.cpu for p in parts)))
            passes[name] = recorded_pass(copy)
            if name == AFTER and r == 0:
                METRIC_CPU.update(metric_cpu(copy))
            shutil.rmtree(copy, ignore_errors=True)
    return {name: [samples[name], passes[name]] for name in names}


AFTER = "after (this tree): clean"
METRIC_CPU: dict[str, float] = {}


def metric_cpu(folder: Path) -> dict[str, float]:
    """CPU seconds each metric takes, from scratch in this process, over the effort pairs
    (raw MT, cleaned target) of a cleaned workspace: the metrics' share of a clean's CPU."""
    import time

    from mtmend.corpus.scoring import chunk_stats

    with sqlite3.connect(folder / "mtmend.db") as db:
        pairs = [(None, mt, target) for mt, target in db.execute("SELECT mt, target FROM segments WHERE position >= 0")]
    out = {}
    for name in ("BLEU", "chrF++", "TER"):
        start = time.process_time()
        chunk_stats((name,), "en", pairs)
        out[name] = time.process_time() - start
    return out


ROW_SIDES = (f"before ({ROWS_BASE}): segment_row", "after (this tree): segment_row", "sacrebleu: its own statistics")


def row_child(side: int, tree: str, db: str) -> None:
    """One side of ``--rows``, in a process of its own: prints its CPU seconds, rows and a checksum as JSON."""
    import hashlib
    import time

    if side < 2:
        sys.path.insert(0, tree)  # ahead of the editable install: this side's code
    from mtmend.corpus.prescore import segment_row
    from mtmend.corpus.scoring import METRICS, make_metric

    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT id, mt, target, reference, status FROM segments WHERE position >= 0 ORDER BY id").fetchall()
    if any(reference is not None or status == "reviewed" for _, _, _, reference, status in rows):
        raise SystemExit("the workspace has references or reviewed segments: segment_row would score more than effort")
    start = time.process_time()
    if side < 2:
        out = [segment_row("en", *row) for row in rows]
        cpu = time.process_time() - start
        stats = [json.loads(blob)["effort"] for _, _, blob in out]
    else:
        metrics = [make_metric(name, "en") for name in METRICS]
        stats = [[list(m._compute_segment_statistics(m._preprocess_segment(mt), m._extract_reference_info([m._preprocess_segment(target)])))
                  for m in metrics] for _, mt, target, _, _ in rows]
        cpu = time.process_time() - start
    checksum = hashlib.sha256(json.dumps(stats).encode()).hexdigest()[:16]
    print(json.dumps({"cpu": cpu, "rows": len(rows), "checksum": checksum}))


def rows_main(size: int, repeats: int) -> int:
    """``--rows``: per-segment CPU of segment_row, before and after, and sacrebleu's, on the cleaned workspace."""
    import statistics
    import subprocess

    import bench_ter

    _, folder = bench_ter.effort_pairs(common.generate(size))
    trees_ = (str(trees.of_commit(ROWS_BASE)), str(trees.freeze("tree-work")), "")
    print(f"segment_row over the {size:,} segments of {folder.name} (raw MT vs cleaned target, first clean: "
          f"nothing kept); CPU of one process each; {common.machine_note()}")
    cpu: dict[int, list[float]] = {i: [] for i in range(3)}
    sums: dict[int, str] = {}
    for r in range(repeats):
        for side in [(r + k) % 3 for k in range(3) if r == 0 or (r + k) % 3 < 2]:  # sacrebleu (slow) once
            print(f"  run {r + 1}/{repeats}: {ROW_SIDES[side]}", file=sys.stderr, flush=True)
            argv = [sys.executable, __file__, "--row-child", str(side), trees_[side], str(folder / "mtmend.db")]
            result = json.loads(subprocess.run(argv, capture_output=True, text=True, check=True, env=common.CHILD_ENV).stdout)
            cpu[side].append(result["cpu"])
            sums[side] = result["checksum"]
    median = {side: statistics.median(v) for side, v in cpu.items()}
    print(common.format_table(("side", "CPU s (median)", "µs / segment", "vs before", "runs", "statistics checksum"), [
        [ROW_SIDES[i], f"{median[i]:.2f}", f"{median[i] / size * 1e6:.0f}", f"{median[i] / median[0]:.2f}×",
         " ".join(f"{v:.1f}" for v in cpu[i]), sums[i]] for i in range(3)], left=(0, 5)))
    same = len(set(sums.values())) == 1
    # before and after run next to each other in every round: their ratio drifts less than either
    paired = statistics.median(a / b for a, b in zip(cpu[1], cpu[0]))
    print(f"after vs before: {1 - median[1] / median[0]:.0%} less CPU (medians); paired ratio after/before, "
          f"median of {repeats}: {paired:.2f} ({1 - paired:.0%} less); statistics {'identical' if same else 'DIFFERENT'}")
    return 0 if same else 1


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--row-child"]:
        row_child(int(argv[1]), argv[2], argv[3])
        return 0
    if "--rows" in argv:
        argv.remove("--rows")
        return rows_main(*common.size_and_repeats(__doc__.splitlines()[0], argv, "side"))
    size, repeats = common.size_and_repeats(__doc__.splitlines()[0], argv, "tree")
    corpus = common.generate(size)
    before, after = trees.of_commit(BASE), trees.freeze("tree-work")
    rows = {
        f"before ({BASE}): clean": (before, (), ("clean",)),
        f"before ({BASE}): clean + score": (before, (), ("clean", "score")),
        AFTER: (after, (), ("clean",)),
        "after (this tree): a second clean": (after, ("clean",), ("clean",)),  # kept statistics: nothing to rescore
    }
    source = imported_workspace(corpus, before)
    print(f"mtmend clean on a {common.size_label(size)}-segment workspace, {repeats} run(s) per row; "
          f"{common.machine_note()}")
    results = run(rows, source, repeats)
    table = []
    for name, (samples, recorded) in results.items():
        middle = sorted(samples, key=lambda s: s.wall)[len(samples) // 2]
        table.append([name, f"{middle.wall:.1f}", f"{middle.cpu:.1f}", f"{max(s.rss_mb for s in samples):,.0f}",
                      str(recorded["kind"]), describe(recorded["snapshot"])])
    print(common.format_table(("tree: command", "median s", "CPU s", "peak MB", "last pass", "recorded figures"),
                              table, left=(0, 4, 5)))
    spent = " + ".join(f"{name} {cpu:.1f}" for name, cpu in METRIC_CPU.items())
    print(f"metrics of the after clean's {size:,} effort pairs, from scratch in one process: {spent} = "
          f"{sum(METRIC_CPU.values()):.1f} CPU s")
    print(f"load average after the runs: {common.machine_note()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
