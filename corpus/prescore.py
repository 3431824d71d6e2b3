"""Scoring a pass's segments in worker processes while the pass still runs.

A pass's snapshot holds sacrebleu metrics over the whole workspace, and sacrebleu is the
slow part (TER and chrF++ take milliseconds a segment). A pass that already holds every
segment's final texts in memory (``clean``) hands them to a :class:`Prescore` as it goes:
worker processes compute the statistics on the other cores meanwhile, and the snapshot
uses them for each document whose stored texts still hash the same (otherwise, e.g. if a
reviewer changed a segment in between, that document is scored again from the store).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Hashable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from mtmend.corpus.errors import InputError
from mtmend.corpus.scoring import COMPARISONS, METRICS, Comparison, chunk_stats, segment_items, target_language
from mtmend.corpus.store import Workspace

# Below this many segments the workers cost more to start than they save.
PRESCORE_FROM = 2_000
# Items (segment × comparison) per chunk: small enough that, when the pass ends, this process
# shares the chunks no worker has started yet; big enough that handing one over costs little.
PRESCORE_CHUNK = 500
# Chunks queued for the workers at most: beyond it this process scores a chunk itself (the
# workers are behind, so both cores are busy either way, and memory stays flat).
MAX_QUEUED = 8
Groups = dict[Hashable, tuple[int, list[list]]]
_MOD = 1 << 128


def row_digest(mt: str, target: str, reference: str | None, status: str) -> int:
    """A hash of what the metrics of one segment depend on.

    A document's digest is the sum of its rows' (mod 2**128): like its statistics, a sum,
    so the rows may be handed over in any order.
    """
    row = "\x1f".join((mt, target, "\x00" if reference is None else reference, str(status == "reviewed")))
    return int.from_bytes(hashlib.blake2b(row.encode(), digest_size=16).digest(), "big")


def stored_digest(ws: Workspace, doc_id: int) -> int:
    """The digest of a document's segments as stored now (see :func:`row_digest`)."""
    total = 0
    for _, mt, target, reference, status in ws.segment_texts([doc_id]):
        total = (total + row_digest(mt, target, reference, status)) % _MOD
    return total


class Prescore:
    """Statistics of segments handed over document by document, computed in worker processes."""

    def __init__(self, target_lang: str, comparisons: Sequence[Comparison] = COMPARISONS,
                 chunk_size: int = PRESCORE_CHUNK, workers: int | None = None):
        self.lang = target_lang
        self.comparisons = tuple(comparisons)
        self.chunk_size = chunk_size
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        self.pool = ProcessPoolExecutor(max_workers=workers or min(max(cpus - 1, 1), 4))
        self.futures: list[Future] = []
        self.waiting: dict[Future, list[tuple]] = {}  # a chunk's items, until a worker starts it
        self.counts: dict[Hashable, int] = {}
        self.digests: dict[int, int] = {}
        self.buffer: list[tuple] = []
        self.here: list[dict] = []  # statistics of the chunks this process scored itself

    @classmethod
    def for_pass(cls, ws: Workspace, documents: Sequence) -> Prescore | None:
        """A prescore for a pass over ``documents``, or None where it does not pay (or cannot score)."""
        if sum(ws.segment_count(d.id) for d in ws.documents()) < PRESCORE_FROM:
            return None
        try:
            return cls(target_language(ws.documents()))
        except InputError:  # mixed target languages: the snapshot says why it has no metrics
            return None

    def add(self, doc_id: int, mt: str, target: str, reference: str | None, status: str) -> None:
        """One segment as it will be stored when the pass's transaction commits."""
        self.digests[doc_id] = (self.digests.get(doc_id, 0) + row_digest(mt, target, reference, status)) % _MOD
        for item in segment_items(doc_id, mt, target, reference, status, self.comparisons):
            self.counts[item[0]] = self.counts.get(item[0], 0) + 1
            self.buffer.append(item)
        if len(self.buffer) >= self.chunk_size:
            self._submit()

    def _submit(self) -> None:
        for future in [f for f in self.waiting if f.running() or f.done()]:
            del self.waiting[future]  # only chunks no worker has started keep their items
        if not self.buffer:
            return
        if len(self.waiting) >= MAX_QUEUED:
            self.here.append(chunk_stats(METRICS, self.lang, self.buffer))
        else:
            future = self.pool.submit(chunk_stats, METRICS, self.lang, self.buffer)
            self.waiting[future] = self.buffer
            self.futures.append(future)
        self.buffer = []

    def results(self) -> dict[int, tuple[int, Groups]]:
        """Per document: the digest of the rows handed over, and their summed statistics."""
        self._submit()
        sums: dict[Hashable, list[list]] = {}
        for key, part in self._parts():
            old = sums.get(key)
            sums[key] = part if old is None else [[a + b for a, b in zip(x, y, strict=True)] for x, y in zip(old, part, strict=True)]
        out: dict[int, tuple[int, Groups]] = {doc_id: (d, {}) for doc_id, d in self.digests.items()}
        for key, stats in sums.items():
            out[key[1]][1][key] = (self.counts[key], stats)
        return out

    def _parts(self) -> Iterator[tuple[Hashable, list[list]]]:
        """Every chunk's statistics. Rather than wait idle for the workers, this process scores
        the chunks none has started yet, from the last back (statistics sum in any order)."""
        for part in self.here:
            yield from part.items()
        for future in reversed(self.futures):
            items = self.waiting.pop(future, None)
            if items is not None and future.cancel():
                yield from chunk_stats(METRICS, self.lang, items).items()
        self.waiting.clear()
        for future in self.futures:
            if not future.cancelled():
                yield from future.result().items()

    def verified(self, ws: Workspace) -> dict[int, Groups]:
        """The statistics of the documents whose stored segments are still the ones handed over."""
        return {
            doc_id: groups for doc_id, (digest, groups) in self.results().items() if stored_digest(ws, doc_id) == digest
        }

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
