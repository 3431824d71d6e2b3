"""TER's edit count as sacrebleu 2.x computes it (its take on tercom), with the same result, faster.

sacrebleu searches shifts greedily: each round it aligns the hypothesis with the reference
(a beam-limited edit distance and its trace), tries moving every matching word span (at
most 10 words, starts at most 50 apart, 1,000 candidates in all) to every aligned target,
keeps the move that lowers the edit distance most, and stops when none does. The number is
the shifts made plus the final edit distance. This module runs the very same search — same
candidates in the same order, same limits, same tie-breaks, same trace — but:

- the edit distance is computed a whole matrix row at a time with bit operations on one
  Python integer (Hyyrö's bit-vector Levenshtein), and the beam is honoured exactly: it only
  changes a number when a cheap path leaves it, :mod:`ter_distance` bounds for each pair
  whether one can, and when one can it runs the banded matrix itself;
- candidates come from an index of reference positions per word, and each of sacrebleu's
  conditions (the span covers a wrong word, lands on a wrong word, does not hold its own
  target) bounds the span's length instead of being tested length by length; a round in
  which no wrong hypothesis word occurs in the reference has no candidate at all;
- a candidate only needs its distance, recomputed from the first row it differs in.

:func:`usable` says whether the installed sacrebleu is the one this was written against
(tests compare the numbers with sacrebleu's own on real text and on generated hostile text).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import cache
from typing import NamedTuple

from mtmend.corpus.ngram_match import common_prefix, common_suffix
from mtmend.corpus.ter_distance import BEAM, UNDEFINED, EditDistance, band, moved

# tercom's limits: words a shift moves, how far apart its two starts may be; sacrebleu's own: candidates tried.
MAX_SPAN, MAX_DISTANCE, MAX_CANDIDATES = 10, 50, 1000
# sacrebleu.metrics.lib_ter's constants this module reproduces (every edit costs 1).
WRITTEN_FOR = {
    "_COST_INS": 1, "_COST_DEL": 1, "_COST_SUB": 1,
    "_MAX_SHIFT_SIZE": MAX_SPAN, "_MAX_SHIFT_DIST": MAX_DISTANCE, "_BEAM_WIDTH": BEAM,
    "_MAX_SHIFT_CANDIDATES": MAX_CANDIDATES, "_INT_INFINITY": UNDEFINED,
}


# Pairs whose counts need shifts, repeated words and unequal lengths: a quick check that the
# installed sacrebleu still counts as this module does (milliseconds, once per process).
PROBES = (
    ("a b c d e f g", "e f g a b c d"),
    ("the cat sat on the mat the end", "on the mat the cat sat the end"),
    ("x y x y z z y x", "y x z y x y"),
    ("one", "one two three four five six seven eight nine ten eleven twelve"),
)


@cache
def usable() -> bool:
    """Whether sacrebleu's TER has the constants this module reproduces and counts the probes alike."""
    try:
        import sacrebleu
        from sacrebleu.metrics import lib_ter
    except ImportError:
        return False
    if not sacrebleu.__version__.startswith("2."):
        return False
    if any(getattr(lib_ter, name, None) != value for name, value in WRITTEN_FOR.items()):
        return False
    try:
        return all(lib_ter.translation_edit_rate(h.split(), r.split())[0] == edits(h.split(), r.split())
                   for h, r in PROBES)
    except Exception:  # a sacrebleu whose functions changed shape is not the one reproduced here
        return False


class Search(NamedTuple):
    """How a TER search ended: the edits it counts, the shifts among them, the candidates it tried."""

    edits: int
    shifts: int
    candidates: int


# Words each side of the differing middle that :func:`_no_shift` looks at (a pass's edits are small).
SMALL = 10


def edits(hyp: list[str], ref: list[str]) -> int:
    """The number of edits (shifts + insertions, deletions, substitutions) sacrebleu's TER counts."""
    plain = _no_shift(hyp, ref)
    return search(hyp, ref).edits if plain is None else plain


def _no_shift(hyp: list[str], ref: list[str]) -> int | None:
    """The edits when no shift can help, found without the search; else None.

    Trimming the common head and tail keeps the edit distance. No reordering of the
    hypothesis brings it below ``max(|H - R|, |R - H|)`` (the words, with repeats, one side
    has and the other lacks), so when the middles' distance is that bound every shift's gain
    is at most 0: sacrebleu stops at once and counts the distance, which its beam leaves
    alone below :func:`~mtmend.corpus.ter_distance.band`'s reach.
    """
    if not ref:
        return None
    limit = min(len(hyp), len(ref))
    head = common_prefix(hyp, ref, 0, 0, limit)
    tail = common_suffix(hyp, ref, len(hyp), len(ref), limit - head)
    mid_h, mid_r = hyp[head:len(hyp) - tail], ref[head:len(ref) - tail]
    if len(mid_h) > SMALL or len(mid_r) > SMALL:
        return None
    only_h, only_r = Counter(mid_h), Counter(mid_r)
    bound = max(sum((only_h - only_r).values()), sum((only_r - only_h).values()))
    distance = _levenshtein(mid_h, mid_r)
    return distance if distance == bound and distance < band(len(hyp), len(ref))[1] else None


def _levenshtein(a: list[str], b: list[str]) -> int:
    """The plain edit distance of two short word lists."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        row = [i]
        for j, y in enumerate(b, start=1):
            row.append(min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = row
    return previous[-1]


def search(hyp: list[str], ref: list[str]) -> Search:
    """sacrebleu's shift search over the words of a hypothesis and a reference."""
    if not ref:
        return Search(len(hyp), 0, 0)  # sacrebleu: one deletion per hypothesis word, no search
    distance = EditDistance(ref, len(hyp))
    words = list(hyp)
    shifts = checked = 0
    while True:
        before = distance.load(words)
        gain, shifted, checked = best_shift(words, ref, distance, checked)
        # sacrebleu drops the round's shift when the candidate limit was reached during it
        if checked >= MAX_CANDIDATES or gain <= 0:
            return Search(shifts + before, shifts, checked)
        shifts += 1
        words = shifted


def best_shift(words: list[str], ref: list[str], distance: EditDistance, checked: int) -> tuple[int, list, int]:
    """``(gain, shifted words, candidates checked)`` of the best shift of the hypothesis ``distance`` holds.

    Candidates are tried in sacrebleu's order (hypothesis start, reference start, length,
    target), and the best is the greatest ``(gain, length, -start, -target)``: the first of
    equals wins. The candidate count carries over between rounds, and the search stops
    after the span that reaches the limit.
    """
    align, hyp_err, ref_err = distance.alignment()
    best, best_key = None, None
    if not any(err and word in distance.masks for word, err in zip(words, hyp_err)):
        return 0, words, checked  # a span must cover a wrong word that the reference has
    for start_h, start_r, length in _spans(words, ref, distance.positions, align, hyp_err, ref_err):
        previous = -1
        for pos in range(start_r - 1, start_r + length):
            target = 0 if pos < 0 else align[pos] + 1  # before the word aligned with ref[pos + 1]
            if target == previous:
                continue  # only a repeat of the previous target is skipped (and not counted)
            previous = target
            gain = distance.current - distance.shifted(start_h, length, target)
            checked += 1
            key = (gain, length, -start_h, -target)
            if best_key is None or key > best_key:
                best, best_key = (start_h, length, target), key
        if checked >= MAX_CANDIDATES:
            break
    if best is None:
        return 0, words, checked
    return best_key[0], moved(words, *best), checked


def _spans(words: list[str], ref: list[str], where: dict[str, list[int]], align: list[int],
           hyp_err: list[int], ref_err: list[int]) -> Iterator[tuple[int, int, int]]:
    """``(start_h, start_r, length)`` of the word spans worth moving, in sacrebleu's order.

    A span is worth moving when it matches the reference at ``start_r``, covers a
    hypothesis error, lands on a reference error, and ``ref[start_r]`` is not aligned inside
    it; each condition bounds the length from one side.
    """
    n, m = len(words), len(ref)
    next_h, next_r = _next_error(hyp_err), _next_error(ref_err)
    for start_h in range(n):
        first_h = next_h[start_h] - start_h + 1  # the shortest span covering a hypothesis error
        if first_h > MAX_SPAN:
            continue
        for start_r in where.get(words[start_h], ()):
            if abs(start_r - start_h) > MAX_DISTANCE:
                continue
            shortest = max(first_h, next_r[start_r] - start_r + 1)
            inside = align[start_r] - start_h  # a span longer than this holds ref[start_r]'s aligned word
            longest = min(MAX_SPAN, n - start_h, m - start_r, inside if inside >= 0 else MAX_SPAN)
            if shortest > longest:
                continue
            length = 1  # the first words match: the index found them
            while length < longest and words[start_h + length] == ref[start_r + length]:
                length += 1
            for span in range(shortest, length + 1):
                yield start_h, start_r, span


def _next_error(errors: list[int]) -> list[int]:
    """For each position, the first position at or after it holding an error (far beyond the end: none)."""
    out = [len(errors) + 2 * MAX_SPAN] * (len(errors) + 1)
    for k in range(len(errors) - 1, -1, -1):
        out[k] = k if errors[k] else out[k + 1]
    return out
