"""Clipped n-gram matches of two similar sequences, counted only where they differ.

BLEU's and chrF++'s statistics are clipped n-gram match counts. If the two sequences share
common blocks in the same order (``a = A0 D1 A1 D2 A2…``, ``b = A0 E1 A1 E2 A2…``, the ``D``
and ``E`` being the gaps), the n-grams that touch no gap lie inside the blocks and are the
same multiset ``C`` on both sides, and ``min(C + x, C + y) = C + min(x, y)``: the matches are
``|C|`` plus the matches among the n-grams that touch a gap. Any choice of common blocks
gives the same exact numbers; good blocks only make the gaps small. A segment a pass changed
in two places (a quote at the start, a comma at the end) then costs the few n-grams around
each change instead of the whole sentence's.

Common blocks are found at C speed: the common head and tail by comparing slices (a binary
search), then, in a long differing middle, a short run of one side looked for in the other
(``str.find``), which splits the middle in two, each trimmed again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

# Middles shorter than this are counted whole: looking for a common block costs more than it saves.
SPLIT_FROM = 24
ANCHOR = 8  # items of the block looked for in the other middle
DEPTH = 4  # splits at most, per pair


def common_prefix(a: Sequence, b: Sequence, lo_a: int, lo_b: int, limit: int) -> int:
    """The largest k <= limit with ``a[lo_a:lo_a + k] == b[lo_b:lo_b + k]``.

    Texts: a binary search (slices compare at C speed). Word lists are short, and a slice of
    one is a new list: there a plain walk is cheaper.
    """
    if not isinstance(a, str):
        for k in range(limit):
            if a[lo_a + k] != b[lo_b + k]:
                return k
        return limit
    lo, hi = 0, limit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo_a:lo_a + mid] == b[lo_b:lo_b + mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def common_suffix(a: Sequence, b: Sequence, hi_a: int, hi_b: int, limit: int) -> int:
    """The largest k <= limit with ``a[hi_a - k:hi_a] == b[hi_b - k:hi_b]`` (as :func:`common_prefix`)."""
    if not isinstance(a, str):
        for k in range(limit):
            if a[hi_a - k - 1] != b[hi_b - k - 1]:
                return k
        return limit
    lo, hi = 0, limit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[hi_a - mid:hi_a] == b[hi_b - mid:hi_b]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def gaps(a: Sequence, b: Sequence) -> list[tuple[int, int, int, int]]:
    """``(start_a, end_a, start_b, end_b)`` of the parts where ``a`` and ``b`` differ, in order;
    what lies between two of them (and before the first, after the last) is common to both."""
    out: list[tuple[int, int, int, int]] = []
    _gaps(a, b, 0, len(a), 0, len(b), out, DEPTH)
    return out


def _gaps(a: Sequence, b: Sequence, lo_a: int, hi_a: int, lo_b: int, hi_b: int, out: list, depth: int) -> None:
    limit = min(hi_a - lo_a, hi_b - lo_b)
    head = common_prefix(a, b, lo_a, lo_b, limit)
    tail = common_suffix(a, b, hi_a, hi_b, limit - head)
    lo_a, lo_b, hi_a, hi_b = lo_a + head, lo_b + head, hi_a - tail, hi_b - tail
    if lo_a == hi_a and lo_b == hi_b:
        return
    if depth and hi_a - lo_a >= SPLIT_FROM and hi_b - lo_b >= SPLIT_FROM:
        for at in (lo_a + hi_a - ANCHOR) // 2, lo_a + (hi_a - lo_a) // 4, min(lo_a + 3 * (hi_a - lo_a) // 4, hi_a - ANCHOR):
            found = _find(b, a[at:at + ANCHOR], lo_b, hi_b)
            if found >= 0:  # a[at:at + ANCHOR] == b[found:found + ANCHOR]: a common block
                _gaps(a, b, lo_a, at, lo_b, found, out, depth - 1)
                _gaps(a, b, at + ANCHOR, hi_a, found + ANCHOR, hi_b, out, depth - 1)
                return
    out.append((lo_a, hi_a, lo_b, hi_b))


def _find(seq: Sequence, part: Sequence, lo: int, hi: int) -> int:
    """Where ``part`` occurs in ``seq[lo:hi]`` (the first place), or -1."""
    if isinstance(seq, str):
        return seq.find(part, lo, hi)
    first, size = part[0], len(part)
    try:
        at = seq.index(first, lo, hi - size + 1) if hi - size + 1 > lo else -1
        while at >= 0:
            if seq[at:at + size] == part:
                return at
            at = seq.index(first, at + 1, hi - size + 1)
    except ValueError:
        pass
    return -1


def touching(a: Sequence, b: Sequence, order: int) -> list[tuple[int, int, int, int]]:
    """The :func:`gaps`, those an n-gram (n <= order) could touch two of merged into one.

    An n-gram of ``a`` that touches none of them lies in a common block, and ``b`` has the
    very same ones: the blocks are common, and the grams touching a gap reach equally far
    into the block beside it on both sides (the first gap starts, and the last one ends,
    equally far from the ends of ``a`` and ``b``).
    """
    out: list[list[int]] = []
    for lo_a, hi_a, lo_b, hi_b in gaps(a, b):
        if out and lo_a - out[-1][1] < order - 1:  # one n-gram could span the common block between
            out[-1][1], out[-1][3] = hi_a, hi_b
        else:
            out.append([lo_a, hi_a, lo_b, hi_b])
    return [tuple(span) for span in out]


def grams(seq: Sequence, spans: list[tuple[int, int]], order: int) -> list:
    """The n-grams (n = 1..order) of ``seq`` that touch one of ``spans`` (their length tells their order)."""
    if isinstance(seq, str):
        return [seq[i:i + n] for n in range(1, order + 1) for lo, hi in spans
                for i in range(max(lo - n + 1, 0), min(hi, len(seq) - n + 1))]
    return [tuple(seq[i:i + n]) for n in range(1, order + 1) for lo, hi in spans
            for i in range(max(lo - n + 1, 0), min(hi, len(seq) - n + 1))]


def matches(a: Sequence, b: Sequence, order: int) -> list[int]:
    """Clipped n-gram matches of ``a`` against ``b`` for n = 1..order (as sacrebleu counts them):
    all n-grams of ``a`` but those touching a gap, plus the matches among those that do."""
    size = len(a)
    if a == b:
        return [max(size - n + 1, 0) for n in range(1, order + 1)]
    found = touching(a, b, order)
    spans_a = [(lo, hi) for lo, hi, _, _ in found]
    out = [max(size - n + 1, 0) - sum([max(min(hi, size - n + 1) - max(lo - n + 1, 0), 0) for lo, hi in spans_a])
           for n in range(1, order + 1)]
    grams_a, grams_b = Counter(grams(a, spans_a, order)), Counter(grams(b, [(lo, hi) for _, _, lo, hi in found], order))
    if len(grams_b) < len(grams_a):
        grams_a, grams_b = grams_b, grams_a  # min() is symmetric: walk the smaller count
    get = grams_b.get
    for gram, count in grams_a.items():
        other = get(gram)
        if other:
            out[len(gram) - 1] += count if count < other else other
    return out
