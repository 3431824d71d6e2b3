"""Benchmark mtmend's sentence aligner against the Gale–Church length-only baseline.

Prints strict/lax F1 on

* the Bible set in ``../shared/data/align/bible`` (raw lines, and merged by verse the
  way Bertalign's ``eval_bible.pl`` does before scoring);
* the "Chinese with its own machine translation" set built from the MQM files in
  ``../shared/data/mqm`` (one system per file, segments re-split into sentences), also with
  every 7th segment left untranslated;
* the same MT with each Chinese segment kept whole and its MT re-split into sentences and
  clauses (gold beads 1-1 to 1-4 by construction: MT that makes several English sentences
  of one Chinese sentence);

then times, as whole ``mtmend`` processes: the start-up (``align --presplit`` of a
two-sentence pair beside ``mtmend --help``, alternating, medians), a whole set aligned in one
batch run (``--output-dir``, also ``-j 2``) beside the same pairs aligned one process at a
time (24 Bible chapters, the 15 MT documents), and a 10,000-sentence pair in process.
Data sets: ``bench/align_sets.py``.

Run from the repository root: ``.venv/bin/python bench/bench_align.py [--quick]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import common
from align_sets import DATA, bible, bible_chapters, gold_groups, mt_documents, resplit_mt_documents

from mtmend.corpus.align import AlignScore, align, align_length_only, merge_within, score_beads
from mtmend.corpus.model import Bead


# --- runs ---------------------------------------------------------------------------


def _row(label: str, score: AlignScore, seconds: float) -> str:
    return (
        f"  {label:<40} strict F1 {score.strict_f1:.3f} (P {score.strict_precision:.3f} R {score.strict_recall:.3f})"
        f"   lax F1 {score.lax_f1:.3f}   {seconds:6.2f} s"
    )


def bench_bible(quick: bool) -> None:
    zh, en, gold, zh_verse, en_verse = bible()
    if quick:
        gold = gold[:1000]
        zh = zh[: gold[-1].zh[-1] + 1]
        en = en[: gold[-1].en[-1] + 1]
    print(f"Bible (CUV/KJV, Gen 1 – Num 33): {len(zh)} zh lines, {len(en)} en lines, {len(gold)} gold beads")
    runs: list[tuple[str, Callable[[], list[Bead]]]] = [
        ("mtmend align (dictionary)", lambda: align(zh, en)),
        ("mtmend align (no dictionary)", lambda: align(zh, en, dictionary=False)),
        ("length only (Gale-Church)", lambda: align_length_only(zh, en)),
    ]
    for label, run in runs:
        start = time.perf_counter()
        beads = run()
        seconds = time.perf_counter() - start
        print(_row(label + ", lines", score_beads(beads, gold), seconds))
        print(_row(label + ", verses", score_beads(merge_within(beads, zh_verse, en_verse), gold), 0.0))


def bench_mt(omit_every: int = 0) -> None:
    docs = mt_documents(omit_every)
    what = f", every {omit_every}th segment untranslated" if omit_every else ""
    print(f"MT set (MQM TED + WMT23, one system each{what}): {_sizes(docs)}")
    if not omit_every:
        print("  (segments: predicted beads inside one gold segment merged, as the Bible's verses)")
    _score_documents(docs, merged=True)


def bench_resplit() -> None:
    docs = resplit_mt_documents()
    sizes: dict[int, int] = {}
    for _, _, gold in docs:
        for bead in gold:
            sizes[len(bead.en)] = sizes.get(len(bead.en), 0) + 1
    beads = ", ".join(f"{n} of 1-{k}" for k, n in sorted(sizes.items()))
    print(f"Re-split MT set (each zh segment whole, its MT cut into sentences and clauses): {_sizes(docs)}")
    print(f"  (gold beads by construction: {beads})")
    _score_documents(docs, merged=False)


def _sizes(docs: Sequence[tuple[list[str], list[str], list[Bead]]]) -> str:
    n_zh, n_en = sum(len(d[0]) for d in docs), sum(len(d[1]) for d in docs)
    return f"{len(docs)} documents, {n_zh} zh / {n_en} en sentences"


def _score_documents(docs: Sequence[tuple[list[str], list[str], list[Bead]]], merged: bool) -> None:
    """Score all documents together (ids shifted), per aligner; ``merged``: also within gold segments."""
    for label, run in (
        ("mtmend align (dictionary)", lambda z, e: align(z, e)),
        ("mtmend align (no dictionary)", lambda z, e: align(z, e, dictionary=False)),
        ("length only (Gale-Church)", align_length_only),
    ):
        start = time.perf_counter()
        predicted: list[Bead] = []
        merged_beads: list[Bead] = []
        gold: list[Bead] = []
        offset_zh = offset_en = 0
        for zh, en, doc_gold in docs:
            beads = run(zh, en)
            groups = gold_groups(doc_gold, len(zh), len(en))
            predicted += [_shift(b, offset_zh, offset_en) for b in beads]
            merged_beads += [_shift(b, offset_zh, offset_en) for b in merge_within(beads, *groups)]
            gold += [_shift(b, offset_zh, offset_en) for b in doc_gold]
            offset_zh += len(zh)
            offset_en += len(en)
        seconds = time.perf_counter() - start
        print(_row(label + ", sentences", score_beads(predicted, gold), seconds))
        if merged:
            print(_row(label + ", segments", score_beads(merged_beads, gold), 0.0))


def _shift(bead: Bead, dz: int, de: int) -> Bead:
    return Bead(tuple(k + dz for k in bead.zh), tuple(k + de for k in bead.en))


def bench_speed(size: int) -> None:
    docs = mt_documents()
    zh: list[str] = []
    en: list[str] = []
    while len(zh) < size:
        for doc_zh, doc_en, _ in docs:
            zh += doc_zh
            en += doc_en
    zh, en = zh[:size], en[: round(size * len(en) / len(zh))]
    align(["热身。"] * 10, ["Warm-up."] * 10)  # load jieba and CC-CEDICT outside the timing
    for label, run in (("align (dictionary)", align), ("length only", align_length_only)):
        start = time.perf_counter()
        beads = run(zh, en)
        print(f"  {label:<20} {len(zh)} zh × {len(en)} en sentences: {time.perf_counter() - start:.2f} s ({len(beads)} beads)")


# --- whole processes: start-up and batches -----------------------------------------


def bench_startup(repeats: int) -> None:
    """``align --presplit`` of a two-sentence pair beside ``mtmend --help``, alternating."""
    mtmend = common.executable("mtmend")
    folder = common.OUT / "align-startup"
    folder.mkdir(parents=True, exist_ok=True)
    zh, en = folder / "two.zh.txt", folder / "two.en.txt"
    zh.write_text("会议于2019年3月召开。\n共有五百人参加。\n", encoding="utf-8")
    en.write_text("The meeting was held in March 2019.\nFive hundred people took part.\n", encoding="utf-8")
    runs = {"mtmend --help": (mtmend, "--help"), "mtmend align --presplit (2 sentences)": (mtmend, "align", "--presplit", str(zh), str(en))}
    common.measure(runs["mtmend align --presplit (2 sentences)"], None)  # the caches exist after this
    walls: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, argv in runs.items():
            walls[name].append(common.measure(argv, None).wall)
    medians = {name: statistics.median(w) for name, w in walls.items()}
    help_s = medians["mtmend --help"]
    print(f"Start-up ({repeats} runs each, alternating; medians; warm cache in {_cache_note()}):")
    for name, median in medians.items():
        print(f"  {name:<42} {median:6.3f} s   {median / help_s:5.2f}× --help")


def _cache_note() -> str:
    from mtmend.corpus.cache import cache_dir

    return str(cache_dir() or "no usable cache directory")


def bench_batch(label: str, pairs: Sequence[tuple[str, list[str], list[str]]], repeats: int) -> None:
    """A whole set aligned in one run (and with -j 2) beside one process per pair."""
    mtmend = common.executable("mtmend")
    folder = common.OUT / "align-batch" / label.split()[0].lower()
    files: list[str] = []
    for name, zh, en in pairs:
        for side, lines in (("zh", zh), ("en", en)):
            path = folder / "in" / f"{name}.{side}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
            files.append(str(path))
    batch = (mtmend, "align", "--presplit", *files, "--output-dir", str(folder / "batch"))
    parallel = (*batch[:-1], str(folder / "batch-j2"), "-j", "2")
    singles = [(mtmend, "align", "--presplit", zh, en) for zh, en in zip(files[::2], files[1::2], strict=True)]
    times: dict[str, list[float]] = {"one process per pair": [], "one batch run": [], "one batch run, -j 2": []}
    for _ in range(repeats):
        times["one process per pair"].append(sum(_single(argv, folder) for argv in singles))
        times["one batch run"].append(common.measure(batch, None).wall)
        times["one batch run, -j 2"].append(common.measure(parallel, None).wall)
    same = all(
        (folder / "batch" / f"{name}.zh.align").read_text() == (folder / "single" / f"{name}.zh.align").read_text()
        == (folder / "batch-j2" / f"{name}.zh.align").read_text()
        for name, _, _ in pairs
    )
    base = statistics.median(times["one process per pair"])
    print(f"{label}: {len(pairs)} pairs, {sum(len(z) for _, z, _ in pairs)} zh lines ({repeats} runs, medians; "
          f"beads identical in all three: {'yes' if same else 'NO'})")
    for name, walls in times.items():
        median = statistics.median(walls)
        print(f"  {name:<24} {median:7.2f} s   {median / base:5.2f} of one process per pair")


def _single(argv: Sequence[str], folder: Path) -> float:
    """One ``align --presplit`` process, its beads kept as ``single/<zh name>.align``."""
    target = folder / "single" / f"{Path(argv[3]).stem}.align"
    target.parent.mkdir(parents=True, exist_ok=True)
    return common.measure(argv, None, target).wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="first 1,000 Bible beads, 3,000-sentence speed test (default: off)")
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        print(f"bench_align: {DATA} not found (shared data sits beside the checkout)", file=sys.stderr)
        return 2
    print(common.machine_note())
    bench_startup(5 if args.quick else 11)
    print()
    chapters = bible_chapters(24)
    bench_batch("Bible, first 24 chapters", chapters, 1 if args.quick else 3)
    print()
    mt = [(f"mt{k:02d}", zh, en) for k, (zh, en, _) in enumerate(mt_documents())]
    bench_batch("MT set, 15 documents", mt, 1 if args.quick else 3)
    print()
    start = time.perf_counter()
    align(["一。"], ["One."])  # first call loads jieba and CC-CEDICT
    print(f"dictionary + jieba load in this process: {time.perf_counter() - start:.2f} s\n")
    bench_mt()
    print()
    bench_mt(omit_every=7)
    print()
    bench_resplit()
    print()
    bench_bible(args.quick)
    print("\nSpeed (MT set repeated):")
    bench_speed(3000 if args.quick else 10_000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
