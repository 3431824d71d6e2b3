"""Restraint and usefulness of the cleaner on professional data (issue 3).

Usage: python bench/bench_restraint.py [--show N]

1. Restraint: the human reference translations ``refB`` and ``ref`` of
   ../shared/data/mqm/mqm_ted_zhen.tsv (professional English, one segment per row after
   de-duplication, ``<v>`` marks stripped) are cleaned with the default settings and the
   Chinese source; the share of segments the automatic rules change is printed, with
   every change, so each can be checked to be a real improvement (aim: ≤ 1%).
2. Rows: the MT systems' output in ../shared/data/mqm/wmt23_zhen_dev.tsv (``HOTW-test``
   rows left out) goes through the ``--format tsv`` filter: rows in, rows out, column 1
   intact, and the share of segments the automatic rules change.
3. Per rule: on the same segments, with every rule (off-by-default ones too), each rule
   that fires: on how many segments, and how often it is right — a rater marked its MQM
   category in the segment, or any error at the span it points to. Target: every
   suggest/flag rule firing on more than 1% of segments is right at least half the time,
   or is off by default.
4. Fluency/Punctuation precision/recall of the default rules, per segment.
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


def _marked_spans(target: str) -> list[tuple[int, int]]:
    """The ``<v>…</v>`` span of one rater row, in the target with the marks stripped."""
    start = target.find("<v>")
    end = target.find("</v>")
    return [(start, end - 3)] if 0 <= start <= end else []


def _same_category(rule: str, rater: str) -> bool:
    """A rule's MQM category against a rater's (``Style/Awkward`` ~ ``Style/Unnatural or awkward``)."""
    rater = rater.split(" (", 1)[0]
    if rule == rater or (rule.startswith("Style/") and rater.startswith("Style/")):
        return True
    return rule == "Fluency/Inconsistency" and rater in ("Terminology/Inconsistent", "Locale convention/Name format")


def _wmt_segments():
    """Per (system, segment): source, target, and each rater mark (category, span)."""
    segments: dict[tuple, list] = {}
    for row in _rows(DATA / "wmt23_zhen_dev.tsv"):
        if row["severity"] == "HOTW-test":
            continue
        key = (row["system"], row["doc"], row["globalSegId"])
        seg = segments.setdefault(key, [_strip(row["source"]), _strip(row["target"]), []])
        if row["category"] not in ("No-error", "Found") and row["severity"] not in ("No-error", "Neutral"):
            seg[2].extend((row["category"], span) for span in _marked_spans(row["target"]) or [(0, 0)])
    return segments


def _right(edit, start: int, end: int, marks: list, whole: bool) -> bool:
    """A report is right when a rater marked its category in the segment, or any error where it points."""
    for category, (ms, me) in marks:
        if _same_category(edit.category, category):
            return True
        if not whole and ms < me and start < me and ms < end:
            return True
    return False


def rows_in_rows_out(segments: dict) -> None:
    """The WMT file as ``zh<TAB>en`` rows through the filter: as many rows out as in, column 1 intact."""
    import io

    from mtmend.cleaner import stream
    from mtmend.cleaner.batch import BatchSettings, cleaned_chunks

    rows = [f"{zh}\t{en}\n" for zh, en, _ in segments.values()]
    out = io.StringIO(newline="")
    writer = stream.LineWriter(out)
    data = io.BytesIO("".join(rows).encode("utf-8"))
    changed = 0
    for chunk, result in cleaned_chunks(stream.read_lines(data), BatchSettings(CleanConfig(), tsv=True)):
        writer.write_chunk(chunk, result.outputs)
        changed += sum(1 for a, b in zip(chunk, result.outputs, strict=True) if a != b)
    writer.finish()
    back = out.getvalue().splitlines()
    same_zh = all(a.split("\t", 1)[0] == b.split("\t", 1)[0] for a, b in zip(rows, back))
    print(f"\nrows: {len(rows)} in, {len(back)} out; column 1 unchanged: {same_zh}; "
          f"changed by automatic rules: {changed} = {100 * changed / len(rows):.2f}% of segments")


def precision_per_rule(segments: dict) -> None:
    """Each reporting rule's precision against the raters' marks, per segment it fires on."""
    from mtmend.cleaner.config import rule_ids
    from mtmend.cleaner.rules import BY_ID
    from mtmend.cleaner.rules.names import variants_by_spelling
    from mtmend.cleaner.rule import Context, Vocabulary
    from mtmend.cleaner.stream import input_span

    config = CleanConfig(enabled=frozenset(rule_ids()))  # off-by-default rules too: that is what decides
    by_doc: dict[tuple, list] = defaultdict(list)
    for key, (source, target, _) in segments.items():
        by_doc[key[:2]].append((source, target))
    names = {doc: variants_by_spelling(pairs) for doc, pairs in by_doc.items()}
    words = {doc: Vocabulary([t for _, t in pairs]) for doc, pairs in by_doc.items()}
    fired: Counter = Counter()
    right: Counter = Counter()
    for key, (source, target, marks) in segments.items():
        ctx = Context(config, source, None, vocabulary=words[key[:2]], names=names[key[:2]] or None)
        result = clean_text(target, source=source, config=config, context=ctx)
        seen: dict[str, bool] = {}
        for k, edit in enumerate(result.applied):
            start, end = input_span(edit.start, edit.end, result.applied[:k])
            whole = start == 0 and end >= len(target)
            seen[edit.author] = seen.get(edit.author, False) or _right(edit, start, end, marks, whole)
        for edit in result.suggested:
            start, end = input_span(edit.start, edit.end, result.applied)
            whole = start == 0 and end >= len(target)
            seen[edit.author] = seen.get(edit.author, False) or _right(edit, start, end, marks, whole)
        for rule, ok in seen.items():
            fired[rule] += 1
            right[rule] += ok
    total = len(segments)
    print(f"\nper rule on {total} MT segments of wmt23_zhen_dev.tsv (HOTW-test rows left out): segments it fires on, "
          "and its precision = share of them where a rater marked its MQM category, or any error where it points")
    print(f"  {'rule':42} {'mode':24} {'segments':>8} {'share':>7} {'precision':>9}  target")
    for rule, n in sorted(fired.items(), key=lambda item: -item[1]):
        r = BY_ID[rule]
        share = 100 * n / total
        verdict = ""
        if not r.auto:
            ok = share <= 1 or right[rule] * 2 >= n or not r.default
            verdict = "ok" if ok else "MISSED (fires on >1%, right < half, on by default)"
        print(f"  {rule:42} {r.mode:24} {n:8} {share:6.1f}% {right[rule] / n:9.2f}  {verdict}")


def precision_recall(segments: dict) -> None:
    gold = {key for key, (_, _, marks) in segments.items() if any(c.startswith("Fluency/Punctuation") for c, _ in marks)}
    config = CleanConfig()
    predicted, edited = set(), set()
    for key, (source, target, _) in segments.items():
        result = clean_text(target, source=source, config=config)
        marks = [e for e in (*result.applied, *result.suggested) if e.category == "Fluency/Punctuation"]
        if marks:
            predicted.add(key)
        if any(e.after is not None for e in marks):
            edited.add(key)
    print(f"\nFluency/Punctuation, per segment, default rules, vs segments any rater marked so ({len(gold)}):")
    for what, chosen in (("edits and flags", predicted), ("edits only     ", edited)):
        hit = len(chosen & gold)
        precision = hit / len(chosen) if chosen else 0.0
        print(f"  {what} ({len(chosen):3} segs): precision {precision:.2f}, recall {hit / len(gold):.2f}, both {hit}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", type=int, default=50, help="changed reference segments to print (default: 50)")
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        print(f"{DATA} not available: ../shared/data ships only with dev and CI checkouts", file=sys.stderr)
        return 1
    restraint(args.show)
    segments = _wmt_segments()
    rows_in_rows_out(segments)
    precision_per_rule(segments)
    precision_recall(segments)
    return 0


if __name__ == "__main__":
    sys.exit(main())
