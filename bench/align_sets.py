"""The alignment benchmark's data sets, all built from ``../shared/data`` (see bench_align.py).

* the MT set: per MQM document, one system's segments re-split into sentences;
* the re-split MT set: each Chinese segment kept whole, its MT cut into sentences and clauses
  (:func:`mtmend.corpus.align.split_en_clauses`), so gold beads are 1-1 … 1-4 by construction;
* the Bible (CUV/KJV), whole or as chapter pairs for the batch timing.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from mtmend.corpus.align import parse_beads, resplit_segment_pairs, split_en_clauses
from mtmend.corpus.model import Bead
from mtmend.corpus.split import split_en, split_zh

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
MQM_FILES = (("mqm_ted_zhen.tsv", "Facebook-AI"), ("wmt23_zhen_dev.tsv", "GPT4-5shot"))
Doc = tuple[list[str], list[str], list[Bead]]


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


def mt_documents(omit_every: int = 0) -> list[Doc]:
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


def resplit_mt_documents() -> list[Doc]:
    """zh with multi-sentence MT: one zh line per segment, its MT in sentences and clauses."""
    whole = lambda text: [text.strip()] if text.strip() else []  # noqa: E731
    clauses = lambda text: split_en_clauses(text, split_en)  # noqa: E731
    out = []
    for name, system in MQM_FILES:
        for segments in read_mqm_documents(DATA / "mqm" / name, system):
            zh, en, gold = resplit_segment_pairs(segments, whole, clauses)
            out.append((zh, en, gold))
    return out


def bible() -> tuple[list[str], list[str], list[Bead], list[str], list[str]]:
    """zh lines, en lines, gold beads (zh first), zh verse ids, en verse ids."""
    root = DATA / "align" / "bible"

    def lines(name: str) -> list[str]:
        return (root / name).read_text(encoding="utf-8").splitlines()

    gold_en_first = parse_beads((root / "gold.align").read_text(encoding="utf-8"))
    gold = [Bead(b.en, b.zh) for b in gold_en_first]
    return lines("zh.txt"), lines("en.txt"), gold, lines("zh.verse"), lines("en.verse")


def bible_chapters(count: int) -> list[tuple[str, list[str], list[str]]]:
    """The first ``count`` chapters as (name, zh lines, en lines), by the lines' verse ids."""
    zh, en, _, zh_verse, en_verse = bible()
    chapters: dict[str, tuple[list[str], list[str]]] = {}
    for lines, verses, side in ((zh, zh_verse, 0), (en, en_verse, 1)):
        for line, verse in zip(lines, verses, strict=True):
            chapter = verse.rsplit(":", 1)[0]
            chapters.setdefault(chapter, ([], []))[side].append(line)
    return [(name.replace(":", "_"), z, e) for name, (z, e) in list(chapters.items())[:count]]


def gold_groups(gold: Sequence[Bead], n_zh: int, n_en: int) -> tuple[list[int], list[int]]:
    """Each sentence's gold bead number (the segment it came from), for merge_within."""
    zh_group, en_group = [-1] * n_zh, [-1] * n_en
    for number, bead in enumerate(gold):
        for k in bead.zh:
            zh_group[k] = number
        for k in bead.en:
            en_group[k] = number
    return zh_group, en_group
