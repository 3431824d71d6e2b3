"""Benchmark mtmend's sentence aligner against the Gale–Church length-only baseline.

Prints strict/lax F1 on

* the Bible set in ``../shared/data/align/bible`` (raw lines, and merged by verse the
  way Bertalign's ``eval_bible.pl`` does before scoring);
* the "Chinese with its own machine translation" set built from the MQM files in
  ``../shared/data/mqm`` (one system per file, segments re-split into sentences);

and the time to align a 10,000-sentence pair made by repeating the MT set.

Run from the repository root: ``.venv/bin/python bench/bench_align.py [--quick]``.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from mtmend.corpus.align import (
    AlignScore,
    align,
    align_length_only,
    merge_within,
    parse_beads,
    resplit_segment_pairs,
    score_beads,
)
from mtmend.corpus.model import Bead
from mtmend.corpus.split import split_en, split_zh

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
MQM_FILES = (("mqm_ted_zhen.tsv", "Facebook-AI"), ("wmt23_zhen_dev.tsv", "GPT4-5shot"))


# --- data ---------------------------------------------------------------------------


def read_mqm_documents(path: Path, system: str) -> list[list[tuple[str, str]]]:
    """One system's (source, target) segment pairs per document, in segment order.

    Rows are deduplicated by segment (one row per error), ``<v>`` markers stripped,
    attention-check rows (severity ``HOTW-test``) left out.
    """
    docs: dict[str, dict[int, tuple[str, str]]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        col = {name: k for k, name in enumerate(header)}
        seg_col = col["doc_id"] if "doc_id" in col else col["docSegId"]
        for row in reader:
            if row[col["system"]] != system or row[col["severity"]] == "HOTW-test":
                continue
            source = _strip_markers(row[col["source"]])
            target = _strip_markers(row[col["target"]])
            docs.setdefault(row[col["doc"]], {}).setdefault(int(row[seg_col]), (source, target))
    return [[segments[k] for k in sorted(segments)] for segments in docs.values()]


def _strip_markers(text: str) -> str:
    return text.replace("<v>", "").replace("</v>", "")


def mt_documents(omit_every: int = 0) -> list[tuple[list[str], list[str], list[Bead]]]:
    """The MT test set: per document, zh sentences, en sentences, gold beads.

    With ``omit_every=n`` every n-th segment's translation is dropped (an MT omission,
    an untranslated caption): its zh sentences become 1–0 gold beads.
    """
    out = []
    for name, system in MQM_FILES:
        for segments in read_mqm_documents(DATA / "mqm" / name, system):
            if omit_every:
                segments = [(s, "" if k % omit_every == omit_every // 2 else t) for k, (s, t) in enumerate(segments)]
            out.append(resplit_segment_pairs(segments, split_zh, split_en))
    return out


def bible() -> tuple[list[str], list[str], list[Bead], list[str], list[str]]:
    """zh lines, en lines, gold beads (zh first), zh verse ids, en verse ids."""
    root = DATA / "align" / "bible"

    def lines(name: str) -> list[str]:
        return (root / name).read_text(encoding="utf-8").splitlines()

    gold_en_first = parse_beads((root / "gold.align").read_text(encoding="utf-8"))
    gold = [Bead(b.en, b.zh) for b in gold_en_first]
    return lines("zh.txt"), lines("en.txt"), gold, lines("zh.verse"), lines("en.verse")


def gold_groups(gold: Sequence[Bead], n_zh: int, n_en: int) -> tuple[list[int], list[int]]:
    """Each sentence's gold bead number (the segment it came from), for merge_within."""
    zh_group, en_group = [-1] * n_zh, [-1] * n_en
    for number, bead in enumerate(gold):
        for k in bead.zh:
            zh_group[k] = number
        for k in bead.en:
            en_group[k] = number
    return zh_group, en_group


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
    n_zh = sum(len(d[0]) for d in docs)
    n_en = sum(len(d[1]) for d in docs)
    what = f", every {omit_every}th segment untranslated" if omit_every else ""
    print(f"MT set (MQM TED + WMT23, one system each{what}): {len(docs)} documents, {n_zh} zh / {n_en} en sentences")
    if not omit_every:
        print("  (segments: predicted beads inside one gold segment merged, as the Bible's verses)")
    for label, run in (
        ("mtmend align (dictionary)", lambda z, e: align(z, e)),
        ("mtmend align (no dictionary)", lambda z, e: align(z, e, dictionary=False)),
        ("length only (Gale-Church)", align_length_only),
    ):
        start = time.perf_counter()
        predicted: list[Bead] = []
        merged: list[Bead] = []
        gold: list[Bead] = []
        offset_zh = offset_en = 0
        for zh, en, doc_gold in docs:  # score all documents together: shift ids
            beads = run(zh, en)
            groups = gold_groups(doc_gold, len(zh), len(en))
            predicted += [_shift(b, offset_zh, offset_en) for b in beads]
            merged += [_shift(b, offset_zh, offset_en) for b in merge_within(beads, *groups)]
            gold += [_shift(b, offset_zh, offset_en) for b in doc_gold]
            offset_zh += len(zh)
            offset_en += len(en)
        seconds = time.perf_counter() - start
        print(_row(label + ", sentences", score_beads(predicted, gold), seconds))
        print(_row(label + ", segments", score_beads(merged, gold), 0.0))


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="first 1,000 Bible beads, 3,000-sentence speed test (default: off)")
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        print(f"bench_align: {DATA} not found (shared data sits beside the checkout)", file=sys.stderr)
        return 2
    start = time.perf_counter()
    align(["一。"], ["One."])  # first call loads jieba and CC-CEDICT
    print(f"dictionary + jieba load: {time.perf_counter() - start:.2f} s\n")
    bench_mt()
    print()
    bench_mt(omit_every=7)
    print()
    bench_bible(args.quick)
    print(f"\nSpeed (MT set repeated):")
    bench_speed(3000 if args.quick else 10_000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
