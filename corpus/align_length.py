"""The length side of sentence alignment: sentence lengths and the length model.

Gale and Church's cost compares the length of an English sentence with the length
predicted from its Chinese counterpart, using a ratio *c* and a variance *s²*. This
module measures lengths and estimates both statistics from the texts themselves
(first from totals, then refitted on the 1–1 beads of a first alignment); the search
that uses them is :mod:`mtmend.corpus.align_search`, the public API
:mod:`mtmend.corpus.align`.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from mtmend.corpus.model import Bead

DEFAULT_VARIANCE = 6.8  # Gale and Church's s², before the refit
_VARIANCE_WIDENING = 3.0  # see refit_length_model; 2-4 work alike on the MT set and the Bible


@dataclass(frozen=True, slots=True)
class LengthModel:
    """Length statistics of a text pair (Gale and Church's *c* and *s²*).

    ``ratio`` is English characters per Chinese (non-ASCII) character; ASCII letters
    and digits inside Chinese text count as one English character each. ``variance``
    is the variance per English character of the English length around the length
    so predicted. Whitespace is never counted.
    """

    ratio: float
    variance: float

    def zh_equivalent(self, zh_lengths: Sequence[tuple[int, int]]) -> list[float]:
        """Predicted English length of each Chinese sentence given as (wide, ASCII) counts."""
        return [wide * self.ratio + narrow for wide, narrow in zh_lengths]


def lengths(sentences: Sequence[str]) -> list[int]:
    """Length of each sentence in characters, whitespace not counted.

    >>> lengths(["How are you?"])
    [10]
    """
    return [len(s) - sum(1 for ch in s if ch.isspace()) for s in sentences]


def zh_lengths(sentences: Sequence[str]) -> list[tuple[int, int]]:
    """(non-ASCII, ASCII) character counts of each sentence, whitespace not counted.

    >>> zh_lengths(["用 GPU 训练。"])
    [(4, 3)]
    """
    out = []
    for s in sentences:
        narrow = sum(1 for ch in s if ch.isascii() and not ch.isspace())
        out.append((len(s) - narrow - sum(1 for ch in s if ch.isspace()), narrow))
    return out


def model_from_totals(zh_len: Sequence[tuple[int, int]], en_len: Sequence[int]) -> LengthModel:
    """Ratio from total lengths (ASCII of the Chinese side taken off), default variance."""
    wide = sum(w for w, _ in zh_len)
    narrow = sum(a for _, a in zh_len)
    total_en = sum(en_len)
    if wide and total_en > narrow:
        ratio = (total_en - narrow) / wide
    else:
        ratio = (total_en or 1) / ((wide + narrow) or 1)
    return LengthModel(ratio=ratio, variance=DEFAULT_VARIANCE)


def refit_length_model(zh_len: list[tuple[int, int]], en_len: list[int], beads: list[Bead]) -> LengthModel:
    """Ratio and variance from the 1–1 beads of a first alignment.

    The ratio is fitted on the 1–1 beads' totals. The variance is estimated robustly
    from the median of ``(en − predicted)² / mean length`` (÷ 0.455, the median of a
    χ² with one degree of freedom), then widened by ``_VARIANCE_WIDENING``: the beads
    a length-only pass makes 1–1 are the ones whose lengths agree, so their spread
    underestimates that of true beads, and the normal's light tails then make the
    search merge sentences to average length errors away.
    """
    ones = [b for b in beads if len(b.zh) == 1 == len(b.en)]
    pairs = [(zh_len[b.zh[0]], en_len[b.en[0]]) for b in ones]
    pairs = [(z, e) for z, e in pairs if sum(z) > 0 and e > 0]
    if len(pairs) < 5:
        return model_from_totals(zh_len, en_len)
    ratio = model_from_totals([z for z, _ in pairs], [e for _, e in pairs]).ratio
    spreads = []
    for (wide, narrow), e in pairs:
        predicted = wide * ratio + narrow
        spreads.append((e - predicted) ** 2 / ((predicted + e) / 2))
    spreads.sort()
    variance = _VARIANCE_WIDENING * spreads[len(spreads) // 2] / 0.455
    return LengthModel(ratio=ratio, variance=max(variance, 0.5))


def prefix(values: Sequence[float]) -> list[float]:
    """Cumulative sums, starting at 0.

    >>> prefix([2, 3])
    [0, 2, 5]
    """
    sums = [0]
    for v in values:
        sums.append(sums[-1] + v)
    return sums


def diagonal_centres(zh_sum: list[float], en_sum: list[float]) -> list[int]:
    """For each zh position, the en position where the cumulative lengths agree."""
    total_zh, total_en = zh_sum[-1] or 1, en_sum[-1] or 1
    m = len(en_sum) - 1
    return [min(bisect.bisect_left(en_sum, z / total_zh * total_en), m) for z in zh_sum]
