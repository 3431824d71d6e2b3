"""Per-segment sacrebleu statistics kept in the workspace, so a pass rescores only what changed.

Each segment's statistics (every comparison of :data:`~mtmend.corpus.scoring.COMPARISONS`
that applies to it) are stored with a digest of everything they depend on: its texts, its
status, the target language's metric configuration, sacrebleu's version and this format,
followed by a checksum of the statistics themselves. A reader recomputes the digest from
the stored texts and uses a row only when both parts agree, so an outdated or damaged row
costs a recount, never a wrong figure. Workspace scoring reads the segments page by page: memory stays flat.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Hashable, Iterable, Sequence
from functools import cache

from dataclasses import dataclass

from mtmend.corpus.errors import InputError, MtmendError
from mtmend.corpus.processes import forking, meanwhile, outcome
from mtmend.corpus.store import Workspace
from mtmend.corpus.scoring import (
    COMPARISONS, DEFAULT_CHUNK, METRICS, Comparison, Score, add_stats, grouped_stats, is_chinese, scores_from_stats,
    segment_items, target_language,
)

FORMAT = 1
PAGE = 5_000  # segments read at a time
BATCH = 20_000  # segments whose statistics are computed at a time (one worker pool each)
Stats = dict[str, list[list]]  # comparison key -> per-metric statistics
_ENCODE = json.JSONEncoder(separators=(",", ":")).encode  # one encoder: json.dumps with options builds one a call


@cache
def _config(lang: str) -> str:
    """The metric configuration a row depends on (cached per language: read for every segment)."""
    import sacrebleu

    lang_is_zh = is_chinese(lang)
    comparisons = ";".join(f"{c.key}:{c.hyp}:{c.ref}:{c.reviewed_only}" for c in COMPARISONS)
    return f"stats-v{FORMAT}|{'zh' if lang_is_zh else 'en'}|sacrebleu-{sacrebleu.__version__}|{','.join(METRICS)}|{comparisons}"


def digest(lang: str, mt: str, target: str, reference: str | None, status: str) -> bytes:
    """What one segment's statistics depend on, hashed."""
    row = "\x1f".join((_config(lang), mt, target, "\x00" if reference is None else reference, str(status == "reviewed")))
    return hashlib.blake2b(row.encode(), digest_size=16).digest()


def items(seg_id: int, mt: str, target: str, reference: str | None, status: str) -> list[tuple]:
    """``((comparison, seg_id), hypothesis, reference)`` for every comparison that applies."""
    return [((key, seg_id), hyp, ref) for (key, _), hyp, ref in segment_items(0, mt, target, reference, status, COMPARISONS)]


def seal(key: bytes, blob: str) -> bytes:
    """What a kept row stores as its digest: the texts' digest, then a checksum of the row's statistics."""
    return key + hashlib.blake2b(key + blob.encode(), digest_size=8).digest()


def decode(kept: bytes | None, blob: str | None, key: bytes) -> Stats | None:
    """A kept row's statistics if it was written for the texts ``key`` digests and is intact, else None."""
    if kept is None or blob is None or kept != seal(key, blob):
        return None
    try:
        stats = json.loads(blob)
    except ValueError:
        return None
    return stats if isinstance(stats, dict) else None


def row(seg_id: int, key: bytes, stats: Stats) -> tuple[int, bytes, str]:
    """The row to keep for a segment whose texts digest to ``key``."""
    blob = _ENCODE(stats)
    return seg_id, seal(key, blob), blob


def by_segment(results: dict[Hashable, tuple | list], seg_ids: Iterable[int]) -> dict[int, Stats]:
    """Per segment, its statistics from per-``(comparison, seg_id)`` results (of ``grouped_stats`` or ``chunk_stats``)."""
    out: dict[int, Stats] = {seg_id: {} for seg_id in seg_ids}
    for (key, seg_id), value in results.items():
        out[seg_id][key] = value[1] if isinstance(value, tuple) else value
    return out


def keep(ws, rows: list[tuple[int, bytes, str]]) -> None:
    """Store ``rows`` if the workspace can be written now; a cache that cannot be written is only slower."""
    if not rows:
        return
    try:
        with ws.transaction():
            ws.put_segment_stats(rows)
    except (MtmendError, sqlite3.Error):
        pass


class _Sums:
    """Running (count, summed statistics) per ``(comparison, doc_id)``.

    Statistics wait in ``pending`` and are summed a page at a time, column by column
    (``sum`` over ``zip``: C loops, not a new list per segment). They are integer-valued,
    so the order of the additions changes nothing.
    """

    def __init__(self, keys: Iterable[str]):
        self.keys = set(keys)
        self.groups: dict[Hashable, tuple[int, list[list]]] = {}
        self.pending: dict[Hashable, list[list[list]]] = {}

    def add(self, doc_id: int, stats: Stats) -> None:
        for key, per_metric in stats.items():
            if key in self.keys:
                self.pending.setdefault((key, doc_id), []).append(per_metric)

    def flush(self) -> dict[Hashable, tuple[int, list[list]]]:
        for group, rows in self.pending.items():
            _add_group(self.groups, group, len(rows), [[sum(column) for column in zip(*metric)] for metric in zip(*rows)])
        self.pending = {}
        return self.groups


def _add_group(groups: dict, group: Hashable, n: int, stats: list[list]) -> None:
    """Add ``n`` segments' summed ``stats`` to ``groups[group]``."""
    old_n, old = groups.get(group, (0, None))
    groups[group] = (old_n + n, stats if old is None else add_stats(old, stats))


def workspace_groups(ws, doc_ids: Sequence[int], keys: Iterable[str], lang: str, *, workers: int = 1,
                     chunk_size: int = DEFAULT_CHUNK) -> dict[Hashable, tuple[int, list[list]]]:
    """Per ``(comparison, doc_id)``: segments and summed statistics, from kept rows where they hold.

    With ``workers`` > 1 the segments are cut by id into that many stretches, each read,
    checked against its digest and summed (and scored where no kept row holds) by a forked
    process with its own connection, this one doing the first: once the rows are kept,
    reading and checking them is most of a snapshot's time. Sums of integer-valued
    statistics do not depend on the order they are added in.
    """
    keys = tuple(keys)
    bounds = ws.segment_id_range(doc_ids) if workers > 1 and forking() and not ws.conn.in_transaction else None
    if bounds is None:
        return _stretch(ws, doc_ids, keys, lang, workers, chunk_size)
    first, *rest = _cut(*bounds, workers)
    others = [meanwhile(_stretch_of, ws.folder, doc_ids, keys, lang, chunk_size, stretch) for stretch in rest]
    sums = _stretch(ws, doc_ids, keys, lang, 1, chunk_size, first)
    for stretch, future in zip(rest, others, strict=True):
        theirs = outcome(future, lambda s=stretch: _stretch(ws, doc_ids, keys, lang, 1, chunk_size, s))
        for group, (n, stats) in theirs.items():
            _add_group(sums, group, n, stats)
    return sums


def _cut(low: int, high: int, parts: int) -> list[tuple[int, int]]:
    """``[low, high]`` in ``parts`` stretches of ids ``(after, upto)``, as even as ids allow."""
    parts = max(1, min(parts, high - low + 1))
    edges = [low - 1 + (high - low + 1) * k // parts for k in range(parts + 1)]
    return list(zip(edges, edges[1:]))


def _stretch_of(folder, doc_ids: Sequence[int], keys: tuple, lang: str, chunk_size: int,
                stretch: tuple[int, int]) -> dict[Hashable, tuple[int, list[list]]]:
    """:func:`_stretch` in another process, with its own connection (the rows it scores it keeps itself)."""
    with Workspace.opened(folder) as ws:
        return _stretch(ws, doc_ids, keys, lang, 1, chunk_size, stretch)


def _stretch(ws, doc_ids: Sequence[int], keys: tuple, lang: str, workers: int, chunk_size: int,
             stretch: tuple[int, int | None] = (0, None)) -> dict[Hashable, tuple[int, list[list]]]:
    """:func:`workspace_groups` over the segments with ids in ``stretch`` (``(after, upto)``)."""
    sums = _Sums(keys)
    todo: list[tuple[int, int, bytes, list[tuple]]] = []
    after, upto = stretch
    while page := ws.segment_texts_page(doc_ids, after, PAGE, upto):
        for seg_id, doc_id, mt, target, reference, status, kept, blob in page:
            mine = digest(lang, mt, target, reference, status)
            stats = decode(kept, blob, mine)
            if stats is None:
                todo.append((seg_id, doc_id, mine, items(seg_id, mt, target, reference, status)))
            else:
                sums.add(doc_id, stats)
        after = page[-1][0]
        sums.flush()
        if len(todo) >= BATCH:
            _score(ws, todo, sums, lang, workers, chunk_size)
            todo = []
    _score(ws, todo, sums, lang, workers, chunk_size)
    return sums.flush()


def _score(ws, todo: list, sums: _Sums, lang: str, workers: int, chunk_size: int) -> None:
    if not todo:
        return
    results = grouped_stats((i for *_, pairs in todo for i in pairs), target_lang=lang, chunk_size=chunk_size, workers=workers)
    per_segment = by_segment(results, [seg_id for seg_id, *_ in todo])
    for seg_id, doc_id, _, _ in todo:
        sums.add(doc_id, per_segment[seg_id])
    keep(ws, [row(seg_id, mine, per_segment[seg_id]) for seg_id, _, mine, _ in todo])


# ----------------------------------------------------------------- workspace scoring
@dataclass(frozen=True, slots=True)
class DocumentScores:
    document: str
    segments: int
    scores: tuple[Score, ...]


@dataclass(frozen=True, slots=True)
class ComparisonScores:
    """One comparison over the selected documents: corpus-level and per-document scores."""

    comparison: Comparison
    segments: int
    corpus: tuple[Score, ...]
    documents: tuple[DocumentScores, ...]


def score_workspace(
    ws,
    documents: Sequence,
    *,
    comparisons: Sequence[Comparison] = COMPARISONS,
    workers: int = 1,
    chunk_size: int = DEFAULT_CHUNK,
) -> tuple[ComparisonScores, ...]:
    """Score each comparison over ``documents``, corpus and per document (kept statistics where they hold).

    A comparison with no segment to score (no references imported, nothing reviewed yet)
    is left out rather than reported as zero.
    """
    if not documents:
        raise InputError("nothing to score: the workspace has no documents (mtmend import first)")
    lang = target_language(documents)
    groups = workspace_groups(ws, [d.id for d in documents], [c.key for c in comparisons], lang,
                              workers=workers, chunk_size=chunk_size)
    out = []
    for comp in comparisons:
        per_doc = [(d, groups[(comp.key, d.id)]) for d in documents if (comp.key, d.id) in groups]
        if not per_doc:
            continue
        total = None
        for _, (_, stats) in per_doc:
            total = stats if total is None else add_stats(total, stats)
        out.append(
            ComparisonScores(
                comp,
                sum(n for _, (n, _) in per_doc),
                scores_from_stats(total, target_lang=lang),
                tuple(DocumentScores(d.name, n, scores_from_stats(s, target_lang=lang)) for d, (n, s) in per_doc),
            )
        )
    return tuple(out)
