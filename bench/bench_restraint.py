"""Restraint and usefulness of the cleaner on professional data (issue 3).

Usage: python bench/bench_restraint.py [--show N]

1. Restraint: the human reference translations ``refB`` and ``ref`` of
   ../shared/data/mqm/mqm_ted_zhen.tsv (professional English, one segment per row after
   de-duplication, ``<v>`` marks stripped) are cleaned with the default settings and the
   Chinese source; the share of segments the automatic rules change is printed, with
   every change, so each can be checked to be a real improvement (aim: ≤ 1%).
2. Precision/recall: on the MT systems' output in ../shared/data/mqm/wmt23_zhen_dev.tsv
   (``HOTW-test`` rows left out), the segments the cleaner marks with a
   Fluency/Punctuation edit (applied, suggested or flagged) are compared, per segment,
   with the segments professional raters marked with a Fluency/Punctuation error.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

from mtmend.cleaner.config import CleanConfig
from mtmend.cleaner.engine import clean_text

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "mqm"


def _strip(text: str) -> str:
    return text.replace("<v>", "").replace("</v>", "")


def _rows(path: Path):
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


def restraint(show: int) -> None:
    segments: dict[tuple, tuple[str, str]] = {}
    for row in _rows(DATA / "mqm_ted_zhen.tsv"):
        if row["system"] in ("ref", "refB"):
            segments.setdefault((row["system"], row["doc"], row["seg_id"]), (_strip(row["source"]), _strip(row["target"])))
    config = CleanConfig()
    changed = []
    by_rule: Counter = Counter()
    for key, (source, target) in sorted(segments.items()):
        result = clean_text(target, source=source, config=config)
        if result.applied:
            changed.append((key, target, result))
            by_rule.update(e.author for e in result.applied)
    share = 100 * len(changed) / len(segments)
    print(f"restraint: {len(segments)} reference segments (refB + ref), {len(changed)} changed by automatic rules = {share:.2f}%")
    for rule, n in by_rule.most_common():
        print(f"  {rule}: {n} edit(s)")
    for key, target, result in changed[:show]:
        print(f"  {key[0]} {key[1]} #{key[2]}")
        for edit in result.applied:
            print(f"    {edit.author}: {edit.before!r} -> {edit.after!r}  …{target[max(0, edit.start - 30):edit.end + 30]}…")


def precision_recall() -> None:
    gold: dict[tuple, set[str]] = defaultdict(set)
    texts: dict[tuple, tuple[str, str]] = {}
    for row in _rows(DATA / "wmt23_zhen_dev.tsv"):
        if row["severity"] == "HOTW-test":
            continue
        key = (row["system"], row["globalSegId"])
        texts.setdefault(key, (_strip(row["source"]), _strip(row["target"])))
        if row["category"].startswith("Fluency/Punctuation"):
            gold[key].add(row["rater"])
    config = CleanConfig()
    predicted, edited = set(), set()
    by_rule: Counter = Counter()
    for key, (source, target) in texts.items():
        result = clean_text(target, source=source, config=config)
        marks = [e for e in (*result.applied, *result.suggested) if e.category == "Fluency/Punctuation"]
        if marks:
            predicted.add(key)
            by_rule.update({e.author for e in marks})
        if any(e.after is not None for e in marks):
            edited.add(key)
    print(f"\nprecision/recall on {len(texts)} MT segments of wmt23_zhen_dev.tsv (HOTW-test rows left out), per segment:")
    print(f"  cleaner marks Fluency/Punctuation in {len(predicted)} segments; rules: "
          + ", ".join(f"{r} {n}" for r, n in by_rule.most_common()))
    for what, chosen in (("edits and flags", predicted), ("edits only    ", edited)):
        for label, need in (("any rater", 1), ("2+ raters", 2)):
            marked = {k for k, raters in gold.items() if len(raters) >= need}
            hit = len(chosen & marked)
            precision = hit / len(chosen) if chosen else 0.0
            recall = hit / len(marked) if marked else 0.0
            print(f"  {what} ({len(chosen):3} segs) vs {label} ({len(marked)} segs): "
                  f"precision {precision:.2f}, recall {recall:.2f}, both {hit}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", type=int, default=50, help="changed reference segments to print (default: 50)")
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        print(f"{DATA} not available: ../shared/data ships only with dev and CI checkouts", file=sys.stderr)
        return 1
    restraint(args.show)
    precision_recall()
    return 0


if __name__ == "__main__":
    sys.exit(main())
