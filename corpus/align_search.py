"""The search of sentence alignment: bead costs and the banded dynamic programme.

:class:`CostModel` prices a bead (−log prior, Gale–Church length cost, and optionally
the lexical cost of :mod:`mtmend.corpus.align_lexical`); :func:`banded_search` finds
the cheapest path through the (zh × en) matrix inside a band of cells, widening the
band where the path runs along its edge. :func:`length_pass` is pass 1 of
:func:`mtmend.corpus.align.align`, whose docstring describes the three passes; this
module holds the machinery, kept apart because its inner loop is written for speed.
"""

from __future__ import annotations

import bisect
import functools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from mtmend.corpus.align_length import LengthModel, diagonal_centres, prefix
from mtmend.corpus.model import Bead

if TYPE_CHECKING:
    from mtmend.corpus.align_lexical import Lexical

# (zh sentences, en sentences, prior probability). Priors follow Gale & Church (1993),
# with 1-3/3-1 and 1-4 added and 1-0/0-1 split evenly. MT often renders one Chinese
# sentence as three or four English ones; 4-1, 1-5 and 5-1 were tried and cost accuracy
# on the Bible (bench/README_align.md).
_BEAD_TYPES: tuple[tuple[int, int, float], ...] = (
    (1, 1, 0.89),
    (1, 2, 0.045),
    (2, 1, 0.045),
    (1, 0, 0.005),
    (0, 1, 0.005),
    (2, 2, 0.011),
    (1, 3, 0.004),
    (3, 1, 0.004),
    (1, 4, 0.001),
)
_MAX_SIDE = 1 + max(max(di, dj) for di, dj, _ in _BEAD_TYPES)
# Beads of 5 sentences (1-4) need lexical evidence: searched only with the lexical
# cost, and only where the bead is at least this similar (1 = a typical true pair).
# Length alone cannot tell a 1-4 bead from a 1-3 and a 0-1.
_BIG_BEAD = 5
_BIG_BEAD_MIN_SIMILARITY = 0.5
_INF = float("inf")
_START_BAND = 20  # half-width of the first band, in sentences
_COARSE_BLOCKS = 300  # pass 1 first aligns about this many blocks of sentences
PATH_BAND = 8  # half-width of the band around pass 1's path
_MAX_ROUNDS = 10  # widening rounds before the search settles for its path
_LEXICAL_WEIGHT = 1.0  # cost, per sentence in the bead, of one unit of scaled similarity
_SIMILARITY_CAP = 2.0  # scaled similarities above this count as this
_DELTA_STEP = 0.01
_DELTA_CAP = 12.0


@functools.cache
def _delta_table() -> list[float]:
    """``−log P(|δ| ≥ x)`` for a standard normal, tabulated every 0.01 up to 12."""
    size = int(_DELTA_CAP / _DELTA_STEP) + 2
    return [-math.log(max(math.erfc(k * _DELTA_STEP / math.sqrt(2)), 1e-300)) for k in range(size)]


class CostModel:
    """Everything the search needs about one text pair, precomputed once.

    ``types`` holds, per bead type, its size and fixed cost (−log prior, plus the
    lexical cost of a null bead, which does not depend on the sentences).
    """

    def __init__(self, zh_len: list[float], en_len: list[int], model: LengthModel, lexical: Lexical | None) -> None:
        self.n, self.m = len(zh_len), len(en_len)
        self.zh_sum, self.en_sum = prefix(zh_len), prefix(en_len)
        # delta = |l2 - l1| / sqrt(variance * (l1 + l2) / 2), looked up in steps of _DELTA_STEP
        self.delta_scale = 1.0 / (_DELTA_STEP * math.sqrt(model.variance / 2))
        self.table = _delta_table()
        self.lexical = lexical
        self.cache: dict[int, float] = {}
        null_cost = _LEXICAL_WEIGHT * _SIMILARITY_CAP if lexical is not None else 0.0
        self.types = [
            (t, di, dj, -math.log(p) + (0.0 if di and dj else null_cost * (di + dj)))
            for t, (di, dj, p) in enumerate(_BEAD_TYPES)
            if lexical is not None or di + dj < _BIG_BEAD
        ]

    def lexical_cost(self, i: int, j: int, di: int, dj: int) -> float:
        """Lexical cost of the bead of ``di`` zh and ``dj`` en sentences ending at (i, j)
        (cached: widening rounds ask again)."""
        key = ((i * (self.m + 1) + j) * _MAX_SIDE + di) * _MAX_SIDE + dj
        cost = self.cache.get(key)
        if cost is None:
            similar = min(self.lexical.scaled(i - di, i, j - dj, j), _SIMILARITY_CAP)
            if di + dj >= _BIG_BEAD and similar < _BIG_BEAD_MIN_SIMILARITY:
                self.cache[key] = _INF
                return _INF
            # Every path covers each sentence once, so a constant per sentence does not
            # change the best path: measuring down from _SIMILARITY_CAP keeps costs >= 0,
            # which the search's pruning relies on.
            cost = self.cache[key] = _LEXICAL_WEIGHT * (di + dj) * (_SIMILARITY_CAP - similar)
        return cost


def length_pass(
    zh_len: list[tuple[int, int]],
    en_len: list[int],
    model: LengthModel,
    anchors: Sequence[tuple[int, int]] = (),
) -> list[Bead]:
    """Pass 1: length-only alignment in a band around a coarse alignment.

    The local length ratio drifts (the Bible's laws and its narrative differ), so the
    true path can stray a hundred sentences from the global diagonal. Blocks of
    sentences are aligned first (few enough that the drift is a few blocks), and the
    sentence-level band follows the block alignment.
    """
    zh_eq = model.zh_equivalent(zh_len)
    costs = CostModel(zh_eq, en_len, model, None)
    if len(anchors) >= max(2, len(zh_len) // 50):
        band = _anchor_band(anchors, len(zh_len), len(en_len), PATH_BAND)
    else:
        band = _coarse_band(zh_eq, en_len, model)
    return banded_search(costs, band)


def _anchor_band(anchors: Sequence[tuple[int, int]], n: int, m: int, margin: int) -> list[tuple[int, int]]:
    """Rows between two anchors may reach the en positions between them, ± ``margin``."""
    points = [(0, 0), *anchors, (n, m)]
    band = []
    for (i0, j0), (i1, j1) in zip(points, points[1:]):
        for _ in range(i0, i1):
            band.append((max(0, j0 - margin), min(m, j1 + 1 + margin)))
    band.append((max(0, m - margin), m))
    return _monotone(band, m)


def diagonal_centres(zh_sum: list[float], en_sum: list[float]) -> list[int]:
    """For each zh position, the en position where the cumulative lengths agree."""
    total_zh, total_en = zh_sum[-1] or 1, en_sum[-1] or 1
    m = len(en_sum) - 1
    return [min(bisect.bisect_left(en_sum, z / total_zh * total_en), m) for z in zh_sum]


def _coarse_band(zh_eq: list[float], en_len: list[int], model: LengthModel) -> list[tuple[int, int]]:
    """Band for pass 1: around an alignment of blocks of sentences, or the diagonal."""
    n, m = len(zh_eq), len(en_len)
    k = n // _COARSE_BLOCKS
    if k < 2:
        return _diagonal_band(CostModel(zh_eq, en_len, model, None), _START_BAND)
    k_en = max(1, round(k * m / n))
    blocks_zh = [sum(zh_eq[a : a + k]) for a in range(0, n, k)]
    blocks_en = [sum(en_len[a : a + k_en]) for a in range(0, m, k_en)]
    coarse = CostModel(blocks_zh, blocks_en, model, None)
    lo, hi = [m] * (n + 1), [0] * (n + 1)
    i = j = 0
    for bead in banded_search(coarse, _diagonal_band(coarse, _START_BAND)):
        i1 = min(n, i + k * len(bead.zh))
        j1 = min(m, j + k_en * len(bead.en))
        for row in range(i, i1 + 1):
            lo[row], hi[row] = min(lo[row], j), max(hi[row], j1)
        i, j = i1, j1
    margin = k_en + PATH_BAND
    return _monotone([(max(0, a - margin), min(m, b + margin)) for a, b in zip(lo, hi, strict=True)], m)


def _diagonal_band(costs: CostModel, width: int) -> list[tuple[int, int]]:
    """For each zh position, en positions whose cumulative length matches, ± ``width``."""
    m = costs.m
    centres = diagonal_centres(costs.zh_sum, costs.en_sum)
    centres[-1] = m
    return _monotone([(max(0, c - width), min(m, c + width)) for c in centres], m)


def path_band(beads: list[Bead], n: int, m: int, width: int) -> list[tuple[int, int]]:
    """For each zh position, the en positions of a path, ± ``width``."""
    lo = [m] * (n + 1)
    hi = [0] * (n + 1)
    i = j = 0
    lo[0] = hi[0] = 0
    for bead in beads:
        i += len(bead.zh)
        j += len(bead.en)
        lo[i] = min(lo[i], j - len(bead.en))
        hi[i] = max(hi[i], j)
    for k in range(1, n + 1):  # rows the path jumps over (2-x beads)
        if lo[k] > hi[k]:
            lo[k], hi[k] = hi[k - 1], hi[k - 1]
    band = [(max(0, a - width), min(m, b + width)) for a, b in zip(lo, hi, strict=True)]
    return _monotone(band, m)


def _monotone(band: list[tuple[int, int]], m: int) -> list[tuple[int, int]]:
    """Make the band's edges non-decreasing and pin both corners of the matrix."""
    out = []
    low = high = 0
    for a, b in band:
        low, high = max(low, a), max(high, b)
        out.append((low, high))
    out[0] = (0, out[0][1])
    out[-1] = (out[-1][0], m)
    return out


def banded_search(costs: CostModel, band: list[tuple[int, int]]) -> list[Bead]:
    """Best path in ``band``; where the path runs along the band's edge, the search is
    redone in a band around that path, twice as wide near the touches each round.

    Each round's band holds the previous path, so the cost never rises; after
    ``_MAX_ROUNDS`` rounds the path is returned as it is.
    """
    n, m = costs.n, costs.m
    width = PATH_BAND
    rounds = 0
    while True:
        path, touches = _dp(costs, band)
        full = all(lo == 0 and hi == m for lo, hi in band)
        if path is not None and (not touches or full):
            return path
        if path is None:
            if full:  # cannot happen: the full matrix always holds a path
                raise RuntimeError("alignment search found no path")
            band = [(0, m)] * (n + 1)
            continue
        rounds += 1
        if rounds > _MAX_ROUNDS:
            return path
        width *= 2
        band = _widen(path_band(path, n, m, PATH_BAND), path_band(path, n, m, width), touches, width)


def _widen(
    band: list[tuple[int, int]], around_path: list[tuple[int, int]], touches: list[int], reach: int
) -> list[tuple[int, int]]:
    """``band``, replaced by ``around_path`` in rows within ``2·reach`` of a touch."""
    near = [False] * len(band)
    for row in touches:
        for k in range(max(0, row - 2 * reach), min(len(band), row + 2 * reach + 1)):
            near[k] = True
    out = [
        (min(lo, plo), max(hi, phi)) if close else (lo, hi)
        for (lo, hi), (plo, phi), close in zip(band, around_path, near, strict=True)
    ]
    return _monotone(out, band[-1][1])


def _dp(costs: CostModel, band: list[tuple[int, int]]) -> tuple[list[Bead] | None, list[int]]:
    """Dynamic programme restricted to ``band``; returns the path and the rows where it
    comes within two cells of the band's edge (an edge that is not the matrix border).

    Null beads (1–0, 0–1) pay their fixed cost only: the length model describes a
    sentence and its translation, and charging a deleted sentence its whole length
    (as Gale and Church do) makes the search merge it into a neighbour instead.

    The inner loop is written out for speed: length cost inline, bead types tried in
    order of prior, and a candidate dropped as soon as its partial cost (all parts
    are >= 0) cannot beat the best one found.
    """
    score, back = _fill(costs, band)
    n, m = costs.n, costs.m
    if score[n][m - band[n][0]] == _INF:
        return None, []
    return _trace(back, band, n, m)


def _fill(costs: CostModel, band: list[tuple[int, int]]) -> tuple[list[list[float]], list[bytearray]]:
    """The forward pass of :func:`_dp`: each band cell's best cost, and the bead type that reached it."""
    n = costs.n
    zh_sum, en_sum = costs.zh_sum, costs.en_sum
    scale, table = costs.delta_scale, costs.table
    top = len(table) - 1
    lexical_cost = costs.lexical_cost if costs.lexical is not None else None
    sqrt = math.sqrt
    score: list[list[float]] = []
    back: list[bytearray] = []
    for i in range(n + 1):
        lo, hi = band[i]
        row = [_INF] * (hi - lo + 1)
        pointers = bytearray(hi - lo + 1)
        types = [
            (t, di, dj, prior, band[i - di][0], band[i - di][1], score[i - di] if di else row, zh_sum[i - di])
            for t, di, dj, prior in costs.types
            if di <= i
        ]
        zi = zh_sum[i]
        for j in range(lo, hi + 1):
            best, best_type = _INF, 0
            ej = en_sum[j]
            for t, di, dj, prior, plo, phi, prev_row, zp in types:
                pj = j - dj
                if pj < plo or pj > phi:
                    continue
                total = prev_row[pj - plo] + prior
                if total >= best:
                    continue
                l1 = zi - zp
                l2 = ej - en_sum[pj]
                if di and dj and l1 + l2 > 0:  # a 1-0 or 0-1 bead pays its prior only
                    k = int(abs(l2 - l1) * scale / sqrt(l1 + l2))
                    total += table[k if k < top else top]
                    if total >= best:
                        continue
                if lexical_cost is not None and di and dj:
                    total += lexical_cost(i, j, di, dj)
                    if total >= best:
                        continue
                best, best_type = total, t
            if i == 0 and j == 0:
                best = 0.0
            row[j - lo] = best
            pointers[j - lo] = best_type
        score.append(row)
        back.append(pointers)
    return score, back


def _trace(back: list[bytearray], band: list[tuple[int, int]], n: int, m: int) -> tuple[list[Bead], list[int]]:
    """Walk the pointers back from ``(n, m)``: the beads in order, and the rows near the band's edge."""
    beads: list[Bead] = []
    touches: list[int] = []
    i, j = n, m
    while i or j:
        lo, hi = band[i]
        if (j - lo < 2 and lo > 0) or (hi - j < 2 and hi < m):
            touches.append(i)
        di, dj, _ = _BEAD_TYPES[back[i][j - lo]]  # pointers hold indexes into _BEAD_TYPES
        beads.append(Bead(tuple(range(i - di, i)), tuple(range(j - dj, j))))
        i, j = i - di, j - dj
    beads.reverse()
    return beads, touches
