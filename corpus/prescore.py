"""Scoring a pass's segments in worker processes while the pass still runs.

A pass's snapshot holds sacrebleu metrics over the whole workspace, and they are the slow
part (about 0.2 CPU ms a segment for the three). A pass that already holds every segment's
final texts in memory (``clean``) hands them to a :class:`Prescore` as it goes: worker
processes compute each changed segment's statistics on the other cores meanwhile, and the
pass keeps them in the workspace (:mod:`mtmend.corpus.workspace_scoring`) with the digest
of the texts they belong to. The snapshot then reads them like any kept statistics: a
segment whose stored texts no longer match (a reviewer changed it in between) is scored again.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from mtmend.corpus import workspace_scoring as kept
from mtmend.corpus.errors import InputError
from mtmend.corpus.processes import usable_cpus
from mtmend.corpus.scoring import COMPARISONS, METRICS, chunk_stats, segment_stats, target_language
from mtmend.corpus.store import Workspace

# Below this many segments the workers cost more to start than they save.
PRESCORE_FROM = 2_000
# Items (segment × comparison) per chunk: small enough that, when the pass ends, this process
# shares the chunks no worker has started yet; big enough that handing one over costs little.
PRESCORE_CHUNK = 500
# Chunks queued for the workers at most: beyond it this process scores a chunk itself (the
# workers are behind, so both cores are busy either way, and memory stays flat).
MAX_QUEUED = 8
DRAIN_EVERY = 64
Row = tuple[int, bytes, str]  # (segment id, digest, statistics) as the store keeps them


class Prescore:
    """Statistics of segments handed over one by one, computed in worker processes."""

    def __init__(self, target_lang: str, chunk_size: int = PRESCORE_CHUNK, workers: int | None = None):
        self.lang = target_lang
        self.chunk_size = chunk_size
        self.pool = ProcessPoolExecutor(max_workers=workers or min(max(usable_cpus() - 1, 1), 4))
        self.futures: dict[Future, list[tuple]] = {}  # in submission order; items kept until started
        self.digests: dict[int, bytes] = {}  # of the segments handed over and not yet returned
        self.buffer: list[tuple] = []
        self.ready: list[Row] = []
        self.here = 0  # chunks this process scored itself
        self.calls = 0

    @classmethod
    def for_pass(cls, ws: Workspace, documents: Sequence) -> Prescore | None:
        """A prescore for a pass over ``documents``, or None where it does not pay (or cannot score)."""
        if sum(ws.segment_count(d.id) for d in ws.documents()) < PRESCORE_FROM:
            return None
        try:
            return cls(target_language(ws.documents()))
        except InputError:  # mixed target languages: the snapshot says why it has no metrics
            return None

    def add(self, seg_id: int, mt: str, target: str, reference: str | None, status: str, kept_digest: bytes | None = None) -> None:
        """One segment as it will be stored when the pass's transaction commits (skipped if
        ``kept_digest``, the digest kept with its statistics, says they are still its own; the
        snapshot checks them whole)."""
        todo = _todo(self.lang, seg_id, mt, target, reference, status, kept_digest)
        if todo is None:
            return
        mine, pairs = todo
        self.digests[seg_id] = mine
        self.buffer += pairs
        if len(self.buffer) >= self.chunk_size:
            self._submit()

    def take(self, row: Row | None) -> None:
        """A segment's row computed elsewhere (:func:`segment_row`, where the segment was cleaned)."""
        if row is not None:
            self.ready.append(row)

    def _submit(self) -> None:
        if not self.buffer:
            return
        queued = [f for f, chunk in self.futures.items() if chunk and not (f.running() or f.done())]
        if len(queued) >= MAX_QUEUED:
            self._rows(chunk_stats(METRICS, self.lang, self.buffer))
            self.here += 1
        else:
            self.futures[self.pool.submit(chunk_stats, METRICS, self.lang, self.buffer)] = self.buffer
        self.buffer = []

    def drain(self, *, now: bool = False) -> list[Row]:
        """The rows computed so far (the caller keeps them), without waiting. Called for every
        segment, it looks at the workers only every :data:`DRAIN_EVERY` calls (unless ``now``)."""
        self.calls += 1
        if self.calls % DRAIN_EVERY and not now:
            return []
        for future in [f for f in self.futures if f.done()]:
            self.futures.pop(future)
            self._rows(future.result())
        for future, chunk in self.futures.items():
            if chunk and future.running():
                self.futures[future] = []  # a worker has it: its items are no longer needed here
        rows, self.ready = self.ready, []
        return rows

    def finish(self) -> list[Row]:
        """Every remaining row. Rather than wait idle for the workers, this process scores the
        chunks none has started yet, from the last back."""
        self._submit()
        for future, chunk in reversed(list(self.futures.items())):
            if chunk and future.cancel():
                self.futures.pop(future)
                self._rows(chunk_stats(METRICS, self.lang, chunk))
                self.here += 1
        for future in list(self.futures):
            self._rows(future.result())
        self.futures.clear()
        return self.drain(now=True)

    def _rows(self, results: dict) -> None:
        seg_ids = {seg_id for _, seg_id in results}
        for seg_id, stats in kept.by_segment(results, seg_ids).items():
            self.ready.append(kept.row(seg_id, self.digests.pop(seg_id), stats))

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _todo(lang: str, seg_id: int, mt: str, target: str, reference: str | None, status: str,
          kept_digest: bytes | None) -> tuple[bytes, list[tuple]] | None:
    """The digest and the pairs to score of a segment, or None: its kept statistics hold, or it has none."""
    mine = kept.digest(lang, mt, target, reference, status)
    pairs = kept.items(seg_id, mt, target, reference, status)
    if _still_kept(kept_digest, mine) or not pairs:
        return None
    return mine, pairs


def _still_kept(kept_digest: bytes | None, mine: bytes) -> bool:
    """Whether the row kept with ``kept_digest`` was written for the texts ``mine`` digests."""
    return kept_digest is not None and kept_digest[: len(mine)] == mine


def segment_row(lang: str, seg_id: int, mt: str, target: str, reference: str | None, status: str,
                kept_digest: bytes | None = None) -> Row | None:
    """:meth:`Prescore.add`'s work for one segment, done in this process: its row, or None as there.

    It runs for every segment a pass cleans: one digest, each pair scored once, one row.
    """
    mine = kept.digest(lang, mt, target, reference, status)
    if _still_kept(kept_digest, mine):
        return None
    stats = segment_stats(lang, mt, target, reference, status, COMPARISONS)
    return kept.row(seg_id, mine, stats) if stats else None
