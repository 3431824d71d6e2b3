"""The beam-limited word edit distance of sacrebleu's TER, computed with bit vectors.

sacrebleu fills an edit-distance matrix (rows: hypothesis words, columns: reference words)
only inside a beam around its pseudo-diagonal; cells outside hold a huge "undefined" value.
Its trace prefers, cell by cell, the diagonal (match or substitution), then the cell above
(a hypothesis word deleted), then the cell to the left (a reference word inserted), the
first of equal costs winning.

Here each matrix row is two integers (the +1 and -1 steps between neighbouring cells,
Hyyrö's bit-vector Levenshtein), so a row costs a dozen integer operations however long the
reference. That computes the distance without a beam; :func:`reach` bounds what the beam
can change, and only pairs with a distance at or above that bound take the banded matrix,
computed as sacrebleu computes it. Either way the value and the trace are sacrebleu's.
"""

from __future__ import annotations

import math
from functools import cached_property, lru_cache

BEAM = 25
UNDEFINED = 10**16  # sacrebleu's value of a cell outside the beam


@lru_cache(maxsize=4096)
def band(n: int, m: int) -> tuple[tuple[tuple[int, int], ...], float]:
    """:func:`beam` and its :func:`reach` for these lengths (few length pairs recur across a corpus)."""
    rows = beam(n, m)
    return tuple(rows), reach(rows, n, m)


def beam(n: int, m: int) -> list[tuple[int, int]]:
    """For each row ``i`` (0..n) of the matrix, the columns ``[lo, hi)`` sacrebleu computes.

    Row 0 (all insertions) is complete; row ``i`` follows the pseudo-diagonal
    ``floor(i * m / n)`` (the same float arithmetic), 25 columns either side, wider when the
    lengths are very unequal; the last row runs to the end.
    """
    ratio = m / n if n else 1
    width = math.ceil(ratio / 2 + BEAM) if BEAM < ratio / 2 else BEAM
    rows = [(0, m + 1)]
    for i in range(1, n + 1):
        diagonal = math.floor(i * ratio)
        rows.append((max(0, diagonal - width), m + 1 if i == n else min(m + 1, diagonal + width)))
    return rows


def reach(rows, n: int, m: int) -> float:
    """The least cost an alignment path through a cell outside the beam can have.

    A path through cell ``(i, j)`` costs at least ``|j - i| + |(m - j) - (n - i)|`` (each
    part needs that many insertions or deletions). A distance below this bound is reached
    inside the beam, and so are all the cells its trace compares: the beam changes neither
    the number nor the trace.
    """
    out = math.inf
    for i in range(1, n + 1):
        lo, hi = rows[i]
        if lo > 0:
            out = min(out, _cheapest(i, 0, lo - 1, m - n))
        if hi <= m:
            out = min(out, _cheapest(i, hi, m, m - n))
    return out


def _cheapest(i: int, j_lo: int, j_hi: int, skew: int) -> int:
    """min of ``|k| + |skew - k|`` over ``k = j - i`` for ``j`` in ``[j_lo, j_hi]`` (convex in k)."""
    a, b = j_lo - i, j_hi - i
    return min(abs(k) + abs(skew - k) for k in (min(max(0, a), b), min(max(skew, a), b)))


def moved(items: list, start: int, length: int, target: int) -> list:
    """``items`` with ``items[start:start + length]`` moved before ``items[target]``, as sacrebleu moves it.

    A target inside the span (``start <= target <= start + length``) moves the span
    ``target - start`` places to the right, at most to the end (sacrebleu's slicing).
    """
    rest = items[:start] + items[start + length:]
    at = landing(start, length, target, len(items))
    return rest[:at] + items[start:start + length] + rest[at:]


def landing(start: int, length: int, target: int, size: int) -> int:
    """Where the span starts in the result of :func:`moved`."""
    if target < start:
        return target
    if target > start + length:
        return target - length
    return min(target, size - length)


class EditDistance:
    """sacrebleu's beam edit distance of hypotheses of ``n`` words against ``ref``.

    :meth:`load` takes the hypothesis of a search round and keeps its rows; :meth:`shifted`
    prices a candidate shift of it from the first row the shift changes.
    """

    def __init__(self, ref: list[str], n: int):
        self.n, self.m = n, len(ref)
        self.full = (1 << self.m) - 1
        masks: dict[str, int] = {}  # each reference word's positions as bits
        for j, word in enumerate(ref):
            masks[word] = masks.get(word, 0) | 1 << j
        self.masks, self.ref = masks, ref
        self.rows, self.reach = band(n, self.m)
        self.current = 0

    @cached_property
    def positions(self) -> dict[str, list[int]]:
        """Each reference word's positions, ascending (wanted only when some shift is possible)."""
        out: dict[str, list[int]] = {}
        for j, word in enumerate(self.ref):
            out.setdefault(word, []).append(j)
        return out

    def load(self, words: list[str]) -> int:
        """Make ``words`` the current hypothesis; returns its distance."""
        self.eqs = [self.masks.get(w, 0) for w in words]
        self.ups, self.downs = [self.full], [0]  # row 0: j insertions, all steps +1
        up, down = self._run(self.full, 0, self.eqs, self.ups, self.downs)
        self.banded: list[list[int]] | None = None
        self.current = self.n + up.bit_count() - down.bit_count()
        if self.current >= self.reach:
            self.banded = self._band(self.eqs)
            self.current = self.banded[self.n][self.m]
        return self.current

    def shifted(self, start: int, length: int, target: int) -> int:
        """The distance of the current hypothesis with a span moved (see :func:`moved`)."""
        eqs = moved(self.eqs, start, length, target)
        first = min(start, landing(start, length, target, self.n))  # rows before it are the current ones
        up, down = self._run(self.ups[first], self.downs[first], eqs[first:])
        value = self.n + up.bit_count() - down.bit_count()
        if value < self.reach:
            return value
        if self.banded is None:
            self.banded = self._band(self.eqs)
        row = self.banded[first]
        for i in range(first + 1, self.n + 1):
            row = self._band_row(row, eqs[i - 1], *self.rows[i])
        return row[self.m]

    def _run(self, up: int, down: int, eqs: list[int], ups: list | None = None, downs: list | None = None):
        """The row after the words ``eqs`` (their matching reference positions) from the row ``up``/``down``.

        A row is its +1 and -1 steps from column to column, one bit per column (Hyyrö's
        bit-vector Levenshtein); with ``ups`` and ``downs`` every row is appended to them.
        """
        full = self.full
        for eq in eqs:
            cross = eq | down
            rise = (((eq & up) + up) ^ up) | eq
            col_up = down | (full & ~(rise | up))  # steps from the row above, column by column
            col_down = up & rise
            col_up = ((col_up << 1) | 1) & full  # column 0 grows by one a row: one more deletion
            col_down = (col_down << 1) & full
            up, down = col_down | (full & ~(cross | col_up)), col_up & cross
            if ups is not None:
                ups.append(up)
                downs.append(down)
        return up, down

    def _band(self, eqs: list[int]) -> list[list[int]]:
        """sacrebleu's banded matrix of a hypothesis, row by row."""
        out = [list(range(self.m + 1))]
        for i in range(1, self.n + 1):
            out.append(self._band_row(out[-1], eqs[i - 1], *self.rows[i]))
        return out

    def _band_row(self, prev: list[int], eq: int, lo: int, hi: int) -> list[int]:
        row = [UNDEFINED] * (self.m + 1)
        j = lo
        if lo == 0:
            row[0] = prev[0] + 1  # sacrebleu sets column 0 without comparing
            j = 1
        left = row[j - 1]
        for j in range(j, hi):
            best = prev[j - 1] + (0 if eq >> (j - 1) & 1 else 1)
            if prev[j] + 1 < best:
                best = prev[j] + 1
            if left + 1 < best:
                best = left + 1
            row[j] = left = min(best, UNDEFINED)  # a cell no defined cell reaches stays undefined
        return row

    def cell(self, i: int, j: int) -> int:
        """The current hypothesis's matrix value at row ``i``, column ``j``."""
        if self.banded is not None:
            return self.banded[i][j]
        low = (1 << j) - 1  # row i starts at i (deletions) and steps up or down column by column
        return i + (self.ups[i] & low).bit_count() - (self.downs[i] & low).bit_count()

    def alignment(self) -> tuple[list[int], list[int], list[int]]:
        """sacrebleu's alignment of the current hypothesis, from its trace.

        ``(align, hyp_err, ref_err)``: for each reference position the hypothesis position
        it is aligned with (-1: before the first), and 0/1 per word whether it was edited.
        """
        n, m, eqs = self.n, self.m, self.eqs
        exact = self.banded is None  # without a beam a match always equals its diagonal neighbour
        align, hyp_err, ref_err = [0] * m, [0] * n, [0] * m
        i, j, value = n, m, self.current
        while i > 0 and j > 0:
            if eqs[i - 1] >> (j - 1) & 1 and exact:
                align[j - 1] = i - 1  # a match: errors stay 0
                i, j = i - 1, j - 1
                continue
            diag = self.cell(i - 1, j - 1)
            miss = 0 if eqs[i - 1] >> (j - 1) & 1 else 1
            if diag + miss == value:
                align[j - 1], hyp_err[i - 1], ref_err[j - 1] = i - 1, miss, miss
                i, j, value = i - 1, j - 1, diag
            elif self.cell(i - 1, j) + 1 == value:
                hyp_err[i - 1] = 1  # a hypothesis word without a reference word
                i, value = i - 1, value - 1
            else:
                ref_err[j - 1], align[j - 1] = 1, i - 1  # a reference word without a hypothesis word
                j, value = j - 1, value - 1
        hyp_err[:i] = [1] * i  # column 0: the first i hypothesis words deleted
        for k in range(j):
            ref_err[k], align[k] = 1, -1  # row 0: the first j reference words inserted
        return align, hyp_err, ref_err
