"""The lexical side of sentence alignment: how much two runs of sentences share.

Anchors that cross the language boundary (CC-CEDICT translations of jieba words,
numbers, Latin-script tokens, pinyin of names, ``?``/``!``/quotes: see
:mod:`mtmend.corpus.dictionary`) give each Chinese sentence a set of *units* and each
English sentence a set of *keys*. :class:`Lexical` turns them into a similarity of a
bead, calibrated on the text itself, and finds the confident 1–1 pairs that seed the
first search band. The search that adds it to the length cost is
:mod:`mtmend.corpus.align_search`.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from mtmend.corpus.align_length import diagonal_centres, prefix
from mtmend.corpus.model import Bead

_MIN_CALIBRATION = 7  # fewer sentences than this: use the default scale below
_DEFAULT_LOW, _DEFAULT_HIGH = 0.1, 0.6  # raw similarity of non-pairs / of pairs, news MT with CC-CEDICT
_MIN_LEXICAL_GAP = 0.02  # below this, the lexical cues tell pairs from non-pairs no better than chance



class Lexical:
    """Sentence features and pair statistics for the lexical cost.

    ``pair(i, j)`` gives two bit masks: the units of zh sentence i translated in en
    sentence j, and the keys of en sentence j accounted for by zh sentence i. A bead's
    similarity ORs these over its pairs (so a word matched twice counts once), counts
    the bits, and divides by the bead's total number of units and keys. The result is
    rescaled so that typical true pairs score 1 and neighbouring non-pairs 0.
    """

    def __init__(self, zh_units: list[tuple[frozenset[str], ...]], en_keys: list[frozenset[str]]) -> None:
        self.zh_union = [frozenset().union(*units) if units else frozenset() for units in zh_units]
        self.zh_masks = [_key_masks(units) for units in zh_units]
        self.zh_size = [len(units) for units in zh_units]
        self.en_bits = [{key: 1 << bit for bit, key in enumerate(sorted(keys))} for keys in en_keys]
        self.en_keys = en_keys
        self.en_size = [len(keys) for keys in en_keys]
        self.cache: dict[int, tuple[int, int]] = {}
        self.stride = len(en_keys) + 1
        self.low, self.high = 0.0, 1.0
        self.chance_zh = self.chance_en = 0.0  # share of a sentence matched by an unrelated one

    @classmethod
    def from_sentences(cls, zh: Sequence[str], en: Sequence[str], *, dictionary: bool) -> Lexical:
        """Features for both sides (uncalibrated: see :meth:`calibrate`)."""
        from mtmend.corpus import dictionary as lexicon

        to_units = lexicon.zh_units if dictionary else lexicon.zh_anchor_units
        return cls([to_units(s) for s in zh], [lexicon.en_keys(s) for s in en])

    def anchors(self, zh_eq: list[float], en_len: list[int]) -> list[tuple[int, int]]:
        """Confident 1–1 pairs (i, j), increasing in both: the skeleton of pass 1's band.

        Each zh sentence is matched against en sentences near the length diagonal
        (± a twentieth of the text, at least 100) by the *rare* en keys they share
        (keys in few en sentences, weighted by 1/frequency); a pair is a candidate
        when it scores at least one rare key's worth and twice the runner-up. The
        longest chain of candidates increasing on both sides is kept.
        """
        n, m = len(zh_eq), len(en_len)
        postings: dict[str, list[int]] = {}
        for j, keys in enumerate(self.en_keys):
            for key in keys:
                postings.setdefault(key, []).append(j)
        rare_limit = max(3, m // 200)
        weight = {k: 1.0 / len(js) for k, js in postings.items() if len(js) <= rare_limit}
        window = max(100, m // 20)
        centres = diagonal_centres(prefix(zh_eq), prefix(en_len))
        candidates: list[tuple[int, int]] = []
        for i in range(n):
            lo, hi = centres[i] - window, centres[i] + window
            scores: dict[int, float] = {}
            for key in self.zh_union[i]:
                w = weight.get(key)
                if w is None:
                    continue
                js = postings[key]
                for j in js[bisect.bisect_left(js, lo) : bisect.bisect_right(js, hi)]:
                    scores[j] = scores.get(j, 0.0) + w
            if not scores:
                continue
            ranked = sorted(scores.items(), key=lambda item: -item[1])
            best_j, best = ranked[0]
            runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
            if best >= 1.0 / rare_limit and best >= 2 * runner_up:
                candidates.append((i, best_j))
        return _longest_chain(candidates)

    def pair(self, i: int, j: int) -> tuple[int, int]:
        """(mask of zh units of i found in j, mask of en keys of j found in i), cached."""
        key = i * self.stride + j
        stats = self.cache.get(key)
        if stats is None:
            shared = self.zh_union[i] & self.en_keys[j]
            zh_mask = en_mask = 0
            if shared:
                masks, bits = self.zh_masks[i], self.en_bits[j]
                for k in shared:
                    zh_mask |= masks[k]
                    en_mask |= bits[k]
            stats = self.cache[key] = (zh_mask, en_mask)
        return stats

    def similarity(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """Raw similarity of zh sentences ``i0:i1`` with en sentences ``j0:j1``;
        −1 when neither side has any unit or key."""
        if i1 - i0 == 1 and j1 - j0 == 1:
            size = self.zh_size[i0] + self.en_size[j0]
            if not size:
                return -1.0
            zh_mask, en_mask = self.pair(i0, j0)
            return (zh_mask.bit_count() + en_mask.bit_count()) / size
        zh_size, en_size = sum(self.zh_size[i0:i1]), sum(self.en_size[j0:j1])
        if not zh_size + en_size:
            return -1.0
        en_masks = [0] * (j1 - j0)
        hits = 0.0
        for i in range(i0, i1):
            zh_mask = 0
            for j in range(j0, j1):
                a, b = self.pair(i, j)
                zh_mask |= a
                en_masks[j - j0] |= b
            hits += zh_mask.bit_count()
        hits += sum(mask.bit_count() for mask in en_masks)
        # Each sentence met by more than one sentence of the other side finds more
        # words by chance alone; take the chance rate off, or merging would pay.
        hits -= (j1 - j0 - 1) * self.chance_zh * zh_size + (i1 - i0 - 1) * self.chance_en * en_size
        return hits / (zh_size + en_size)

    def scaled(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """Similarity rescaled to 1 for a typical true pair and 0 for a non-pair
        (0.5 when the bead has nothing to compare)."""
        raw = self.similarity(i0, i1, j0, j1)
        if raw < 0:
            return 0.5
        return (raw - self.low) / (self.high - self.low)

    def calibrate(self, first: list[Bead]) -> bool:
        """Set the scale from pass 1's 1–1 beads and their shifted neighbours; return
        False when the similarity does not tell pairs from non-pairs."""
        ones = [(b.zh[0], b.en[0]) for b in first if len(b.zh) == 1 == len(b.en)]
        n_en = len(self.en_keys)
        sample = ones[:: max(1, len(ones) // 2000)] if n_en >= _MIN_CALIBRATION else []
        good = [self.similarity(i, i + 1, j, j + 1) for i, j in sample]
        bad = [self.similarity(i, i + 1, (j + 3) % n_en, (j + 3) % n_en + 1) for i, j in sample]
        good = [g for g in good if g >= 0]
        bad = [b for b in bad if b >= 0]
        if len(good) < _MIN_CALIBRATION or len(bad) < _MIN_CALIBRATION:
            # too short a text to measure: typical values of news MT with CC-CEDICT
            self.low, self.high = _DEFAULT_LOW, _DEFAULT_HIGH
            self.chance_zh = self.chance_en = _DEFAULT_LOW
            return True
        high, low = _median(good), sum(bad) / len(bad)
        if high - low < _MIN_LEXICAL_GAP:
            return False
        self.low, self.high = low, high
        zh_hits = en_hits = zh_total = en_total = 0
        for i, j in sample:
            j = (j + 3) % n_en
            a, b = self.pair(i, j)
            zh_hits, en_hits = zh_hits + a.bit_count(), en_hits + b.bit_count()
            zh_total, en_total = zh_total + self.zh_size[i], en_total + self.en_size[j]
        self.chance_zh = zh_hits / zh_total if zh_total else 0.0
        self.chance_en = en_hits / en_total if en_total else 0.0
        return True


def _longest_chain(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest subsequence of ``pairs`` (sorted by i) strictly increasing in i and j.

    >>> _longest_chain([(0, 0), (1, 5), (2, 1), (3, 2), (4, 3)])
    [(0, 0), (2, 1), (3, 2), (4, 3)]
    """
    tails: list[int] = []  # tails[k]: smallest j ending a chain of length k+1
    tail_index: list[int] = []
    previous: list[int] = []
    last_i = -1
    for index, (i, j) in enumerate(pairs):
        if i == last_i:
            previous.append(-1)
            continue
        last_i = i
        k = bisect.bisect_left(tails, j)
        previous.append(tail_index[k - 1] if k else -1)
        if k == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[k] = j
            tail_index[k] = index
    chain = []
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        chain.append(pairs[index])
        index = previous[index]
    return chain[::-1]


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def _key_masks(units: tuple[frozenset[str], ...]) -> dict[str, int]:
    """For each key, the bit mask of the units that can give it."""
    masks: dict[str, int] = {}
    for bit, keys in enumerate(units):
        for key in keys:
            masks[key] = masks.get(key, 0) | (1 << bit)
    return masks
