"""Sentence alignment of a Chinese text with its English translation.

:func:`align` is a Gale–Church dynamic programme whose bead cost adds, to the usual
length cost, a lexical cost from anchors that cross the language boundary: CC-CEDICT
translations of jieba words, numbers (Chinese numerals included), Latin-script tokens,
pinyin of names, and ``?``/``!``/quotes (see :mod:`mtmend.corpus.dictionary`).
:func:`align_length_only` is the same programme with the length cost alone: the
Gale–Church baseline.

Nothing is assumed about the language pair: the English/Chinese length ratio and the
variance of the length cost are estimated from the texts being aligned, and so is the
scale of the lexical similarity (how similar true pairs and neighbouring non-pairs
are). The search is in three passes, each banded so that 10,000 sentences align in
seconds:

1. length only: blocks of sentences first (around the *length diagonal*, where the
   cumulative lengths of both sides agree), then sentences in a band around the
   block alignment; a band is widened where the best path runs along its edge;
2. the ratio and variance are re-estimated from the 1–1 beads of pass 1, and so is
   the lexical scale;
3. the full cost, in a narrow band around the path of pass 1, widened the same way.

Beads: 1–1, 1–2, 2–1, 2–2, 1–3, 3–1, 1–0 and 0–1, with Gale–Church-like priors.
:func:`score_beads` computes strict and lax F1 as vecalign and Bertalign do.
"""

from __future__ import annotations

import bisect
import functools
import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

from mtmend.corpus.model import Bead

__all__ = [
    "AlignScore",
    "LengthModel",
    "align",
    "align_length_only",
    "estimate_length_model",
    "format_beads",
    "merge_within",
    "parse_beads",
    "resplit_segment_pairs",
    "score_beads",
]

# (zh sentences, en sentences, prior probability). Priors follow Gale & Church (1993),
# with 1-3/3-1 added and 1-0/0-1 split evenly.
_BEAD_TYPES: tuple[tuple[int, int, float], ...] = (
    (1, 1, 0.89),
    (1, 2, 0.045),
    (2, 1, 0.045),
    (1, 0, 0.005),
    (0, 1, 0.005),
    (2, 2, 0.011),
    (1, 3, 0.004),
    (3, 1, 0.004),
)
_INF = float("inf")
_START_BAND = 20  # half-width of the first band, in sentences
_COARSE_BLOCKS = 300  # pass 1 first aligns about this many blocks of sentences
_PATH_BAND = 8  # half-width of the band around pass 1's path
_MAX_ROUNDS = 10  # widening rounds before the search settles for its path
_LEXICAL_WEIGHT = 1.0  # cost, per sentence in the bead, of one unit of scaled similarity
_VARIANCE_WIDENING = 3.0  # see _refit_length_model; 2-4 work alike on the MT set and the Bible
_SIMILARITY_CAP = 2.0  # scaled similarities above this count as this
_MIN_LEXICAL_GAP = 0.02  # below this, the lexical cues tell pairs from non-pairs no better than chance
_MIN_CALIBRATION = 7  # fewer sentences than this: use the default scale below
_DEFAULT_LOW, _DEFAULT_HIGH = 0.1, 0.6  # raw similarity of non-pairs / of pairs, news MT with CC-CEDICT
_DEFAULT_VARIANCE = 6.8  # Gale and Church's s², before the refit
_DELTA_STEP = 0.01
_DELTA_CAP = 12.0


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


@dataclass(frozen=True, slots=True)
class AlignScore:
    """Strict and lax precision, recall and F1 of predicted beads against gold beads."""

    strict_precision: float
    strict_recall: float
    strict_f1: float
    lax_precision: float
    lax_recall: float
    lax_f1: float


# --- public API ---------------------------------------------------------------------


def align(zh: Sequence[str], en: Sequence[str], *, dictionary: bool = True) -> list[Bead]:
    """Align Chinese sentences with English sentences.

    Returns beads in order that cover every sentence of both sides exactly once.
    With ``dictionary=False`` only length and the dictionary-free anchors are used
    (numbers, Latin tokens, punctuation) and jieba/CC-CEDICT are not loaded.

    Raises ``TypeError`` if a side is a plain string or holds non-strings.

    >>> [str(b) for b in align(["你好。", "谢谢！"], ["Hello.", "Thank you!"], dictionary=False)]
    ['[0]:[0]', '[1]:[1]']
    """
    _check_sides(zh, en)
    if not zh or not en:
        return _trivial_beads(len(zh), len(en))
    zh_len, en_len = _zh_lengths(zh), _lengths(en)
    features = _Lexical.from_sentences(zh, en, dictionary=dictionary)
    start = estimate_length_model(zh, en)
    anchors = features.anchors(start.zh_equivalent(zh_len), en_len)
    first = _length_pass(zh_len, en_len, start, anchors)
    model = _refit_length_model(zh_len, en_len, first)
    lexical = features if features.calibrate(first) else None
    costs = _CostModel(model.zh_equivalent(zh_len), en_len, model, lexical)
    return _banded_search(costs, _path_band(first, len(zh), len(en), _PATH_BAND))


def align_length_only(zh: Sequence[str], en: Sequence[str]) -> list[Bead]:
    """The Gale–Church baseline: the same search as :func:`align`, length cost only.

    The length ratio and variance are estimated from the data in the same way
    (a first pass, then a refit on its 1–1 beads).
    """
    _check_sides(zh, en)
    if not zh or not en:
        return _trivial_beads(len(zh), len(en))
    zh_len, en_len = _zh_lengths(zh), _lengths(en)
    first = _length_pass(zh_len, en_len, estimate_length_model(zh, en))
    model = _refit_length_model(zh_len, en_len, first)
    costs = _CostModel(model.zh_equivalent(zh_len), en_len, model, None)
    return _banded_search(costs, _path_band(first, len(zh), len(en), _PATH_BAND))


def estimate_length_model(zh: Sequence[str], en: Sequence[str]) -> LengthModel:
    """First estimate of the length model from totals alone.

    The ratio is total English length, less the ASCII characters of the Chinese
    side, over the total of Chinese characters; the variance starts at Gale and
    Church's 6.8 (it is refitted after a first alignment, when there are enough
    1–1 beads).

    >>> estimate_length_model(["你好吗？"], ["How are you?"])
    LengthModel(ratio=2.5, variance=6.8)
    """
    return _length_model_from_totals(_zh_lengths(zh), _lengths(en))


def _length_model_from_totals(zh_len: Sequence[tuple[int, int]], en_len: Sequence[int]) -> LengthModel:
    wide = sum(w for w, _ in zh_len)
    narrow = sum(a for _, a in zh_len)
    total_en = sum(en_len)
    if wide and total_en > narrow:
        ratio = (total_en - narrow) / wide
    else:
        ratio = (total_en or 1) / ((wide + narrow) or 1)
    return LengthModel(ratio=ratio, variance=_DEFAULT_VARIANCE)


def format_beads(beads: Iterable[Bead]) -> str:
    """One bead per line in the ``[zh ids]:[en ids]`` notation, with a final newline.

    >>> print(format_beads([Bead((0,), (0, 1)), Bead((1,), ())]), end="")
    [0]:[0,1]
    [1]:[]
    """
    return "".join(f"{bead}\n" for bead in beads)


def parse_beads(text: str) -> list[Bead]:
    """Parse :func:`format_beads` output (blank lines ignored); ``ValueError`` names the line."""
    beads = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                beads.append(Bead.parse(line))
            except ValueError as error:
                raise ValueError(f"line {number}: {error}") from None
    return beads


def score_beads(predicted: Iterable[Bead], gold: Iterable[Bead]) -> AlignScore:
    """Strict and lax precision/recall/F1 of ``predicted`` against ``gold``.

    Strict: a bead counts when it is exactly a gold bead. Lax: a predicted bead counts
    when it shares a (zh, en) sentence link with some gold bead, and a gold bead is
    recalled when it shares a link with some predicted bead. Beads with an empty side
    are left out of both precision and recall. An empty set scores 0.

    >>> g = [Bead((0,), (0,)), Bead((1, 2), (1,))]
    >>> s = score_beads([Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), ())], g)
    >>> (s.strict_f1, s.lax_f1)
    (0.5, 1.0)
    """
    pred = {b for b in predicted if b.zh and b.en}
    gold_set = {b for b in gold if b.zh and b.en}
    exact = len(pred & gold_set)
    gold_links = {(z, e) for b in gold_set for z in b.zh for e in b.en}
    pred_links = {(z, e) for b in pred for z in b.zh for e in b.en}
    lax_pred = sum(1 for b in pred if any((z, e) in gold_links for z in b.zh for e in b.en))
    lax_gold = sum(1 for b in gold_set if any((z, e) in pred_links for z in b.zh for e in b.en))
    sp, sr = _ratio(exact, len(pred)), _ratio(exact, len(gold_set))
    lp, lr = _ratio(lax_pred, len(pred)), _ratio(lax_gold, len(gold_set))
    return AlignScore(sp, sr, _f1(sp, sr), lp, lr, _f1(lp, lr))


def resplit_segment_pairs(
    pairs: Iterable[tuple[str, str]],
    split_zh: Callable[[str], list[str]],
    split_en: Callable[[str], list[str]],
) -> tuple[list[str], list[str], list[Bead]]:
    """Split each aligned (zh, en) segment into sentences and derive the gold beads.

    The sentences of one segment pair form one bead (either side may be empty), so a
    segment-aligned corpus (a TMX, an MT test set) becomes a sentence-alignment gold
    set. Returns the zh sentences, the en sentences and the beads.

    >>> from mtmend.corpus.split import split_en, split_zh
    >>> zh, en, gold = resplit_segment_pairs([("你好。再见。", "Hello. Bye."), ("好", "OK")], split_zh, split_en)
    >>> [str(b) for b in gold]
    ['[0,1]:[0,1]', '[2]:[2]']
    """
    zh: list[str] = []
    en: list[str] = []
    beads: list[Bead] = []
    for source, target in pairs:
        zh_part, en_part = split_zh(source), split_en(target)
        if not zh_part and not en_part:
            continue
        beads.append(
            Bead(tuple(range(len(zh), len(zh) + len(zh_part))), tuple(range(len(en), len(en) + len(en_part))))
        )
        zh.extend(zh_part)
        en.extend(en_part)
    return zh, en, beads


def merge_within(beads: Iterable[Bead], zh_group: Sequence[Hashable], en_group: Sequence[Hashable]) -> list[Bead]:
    """Merge consecutive beads that lie within one group (a verse, a source segment).

    For scoring against gold known only at group level (Bertalign's Bible evaluation
    merges by verse): a bead's group is the single group of all its sentences (an
    empty side does not count); beads spanning groups are never merged.

    >>> merge_within([Bead((0,), (0,)), Bead((1,), ()), Bead((2,), (1,))], "aab", "ab")
    [Bead(zh=(0, 1), en=(0,)), Bead(zh=(2,), en=(1,))]
    """
    merged: list[Bead] = []
    last: Hashable | None = None
    for bead in beads:
        groups = {zh_group[k] for k in bead.zh} | {en_group[k] for k in bead.en}
        group = next(iter(groups)) if len(groups) == 1 else None
        if group is not None and group == last:
            merged[-1] = Bead(merged[-1].zh + bead.zh, merged[-1].en + bead.en)
        else:
            merged.append(bead)
        last = group
    return merged


# --- validation and small helpers ---------------------------------------------------


def _check_sides(zh: Sequence[str], en: Sequence[str]) -> None:
    """Reject a bare string (a common slip) or non-string sentences."""
    for name, side in (("zh", zh), ("en", en)):
        if isinstance(side, str):
            raise TypeError(f"{name} must be a sequence of sentences, not a single string")
        for index, sentence in enumerate(side):
            if not isinstance(sentence, str):
                raise TypeError(f"{name}[{index}] is {type(sentence).__name__}, not str")


def _trivial_beads(n_zh: int, n_en: int) -> list[Bead]:
    """Beads when one side is empty: every sentence of the other side is 1-0 or 0-1."""
    return [Bead((i,), ()) for i in range(n_zh)] + [Bead((), (j,)) for j in range(n_en)]


def _lengths(sentences: Sequence[str]) -> list[int]:
    """Length of each sentence in characters, whitespace not counted."""
    return [len(s) - sum(1 for ch in s if ch.isspace()) for s in sentences]


def _zh_lengths(sentences: Sequence[str]) -> list[tuple[int, int]]:
    """(non-ASCII, ASCII) character counts of each sentence, whitespace not counted."""
    out = []
    for s in sentences:
        narrow = sum(1 for ch in s if ch.isascii() and not ch.isspace())
        out.append((len(s) - narrow - sum(1 for ch in s if ch.isspace()), narrow))
    return out


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _prefix(values: Sequence[float]) -> list[float]:
    sums = [0]
    for v in values:
        sums.append(sums[-1] + v)
    return sums


# --- length model -------------------------------------------------------------------


def _refit_length_model(zh_len: list[tuple[int, int]], en_len: list[int], beads: list[Bead]) -> LengthModel:
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
        return _length_model_from_totals(zh_len, en_len)
    ratio = _length_model_from_totals([z for z, _ in pairs], [e for _, e in pairs]).ratio
    spreads = []
    for (wide, narrow), e in pairs:
        predicted = wide * ratio + narrow
        spreads.append((e - predicted) ** 2 / ((predicted + e) / 2))
    spreads.sort()
    variance = _VARIANCE_WIDENING * spreads[len(spreads) // 2] / 0.455
    return LengthModel(ratio=ratio, variance=max(variance, 0.5))


@functools.cache
def _delta_table() -> list[float]:
    """``−log P(|δ| ≥ x)`` for a standard normal, tabulated every 0.01 up to 12."""
    size = int(_DELTA_CAP / _DELTA_STEP) + 2
    return [-math.log(max(math.erfc(k * _DELTA_STEP / math.sqrt(2)), 1e-300)) for k in range(size)]


# --- lexical similarity -------------------------------------------------------------


class _Lexical:
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
    def from_sentences(cls, zh: Sequence[str], en: Sequence[str], *, dictionary: bool) -> _Lexical:
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
        centres = _diagonal_centres(_prefix(zh_eq), _prefix(en_len))
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


# --- cost and search ----------------------------------------------------------------


class _CostModel:
    """Everything the search needs about one text pair, precomputed once.

    ``types`` holds, per bead type, its size and fixed cost (−log prior, plus the
    lexical cost of a null bead, which does not depend on the sentences).
    """

    def __init__(self, zh_len: list[float], en_len: list[int], model: LengthModel, lexical: _Lexical | None) -> None:
        self.n, self.m = len(zh_len), len(en_len)
        self.zh_sum, self.en_sum = _prefix(zh_len), _prefix(en_len)
        # delta = |l2 - l1| / sqrt(variance * (l1 + l2) / 2), looked up in steps of _DELTA_STEP
        self.delta_scale = 1.0 / (_DELTA_STEP * math.sqrt(model.variance / 2))
        self.table = _delta_table()
        self.lexical = lexical
        self.cache: dict[int, float] = {}
        null_cost = _LEXICAL_WEIGHT * _SIMILARITY_CAP if lexical is not None else 0.0
        self.types = [
            (t, di, dj, -math.log(p) + (0.0 if di and dj else null_cost * (di + dj)))
            for t, (di, dj, p) in enumerate(_BEAD_TYPES)
        ]

    def lexical_cost(self, i: int, j: int, di: int, dj: int) -> float:
        """Lexical cost of the bead of ``di`` zh and ``dj`` en sentences ending at (i, j)
        (cached: widening rounds ask again)."""
        key = ((i * (self.m + 1) + j) * 4 + di) * 4 + dj
        cost = self.cache.get(key)
        if cost is None:
            similar = min(self.lexical.scaled(i - di, i, j - dj, j), _SIMILARITY_CAP)
            # Every path covers each sentence once, so a constant per sentence does not
            # change the best path: measuring down from _SIMILARITY_CAP keeps costs >= 0,
            # which the search's pruning relies on.
            cost = self.cache[key] = _LEXICAL_WEIGHT * (di + dj) * (_SIMILARITY_CAP - similar)
        return cost


def _length_pass(
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
    costs = _CostModel(zh_eq, en_len, model, None)
    if len(anchors) >= max(2, len(zh_len) // 50):
        band = _anchor_band(anchors, len(zh_len), len(en_len), _PATH_BAND)
    else:
        band = _coarse_band(zh_eq, en_len, model)
    return _banded_search(costs, band)


def _anchor_band(anchors: Sequence[tuple[int, int]], n: int, m: int, margin: int) -> list[tuple[int, int]]:
    """Rows between two anchors may reach the en positions between them, ± ``margin``."""
    points = [(0, 0), *anchors, (n, m)]
    band = []
    for (i0, j0), (i1, j1) in zip(points, points[1:]):
        for _ in range(i0, i1):
            band.append((max(0, j0 - margin), min(m, j1 + 1 + margin)))
    band.append((max(0, m - margin), m))
    return _monotone(band, m)


def _diagonal_centres(zh_sum: list[float], en_sum: list[float]) -> list[int]:
    """For each zh position, the en position where the cumulative lengths agree."""
    total_zh, total_en = zh_sum[-1] or 1, en_sum[-1] or 1
    m = len(en_sum) - 1
    return [min(bisect.bisect_left(en_sum, z / total_zh * total_en), m) for z in zh_sum]


def _coarse_band(zh_eq: list[float], en_len: list[int], model: LengthModel) -> list[tuple[int, int]]:
    """Band for pass 1: around an alignment of blocks of sentences, or the diagonal."""
    n, m = len(zh_eq), len(en_len)
    k = n // _COARSE_BLOCKS
    if k < 2:
        return _diagonal_band(_CostModel(zh_eq, en_len, model, None), _START_BAND)
    k_en = max(1, round(k * m / n))
    blocks_zh = [sum(zh_eq[a : a + k]) for a in range(0, n, k)]
    blocks_en = [sum(en_len[a : a + k_en]) for a in range(0, m, k_en)]
    coarse = _CostModel(blocks_zh, blocks_en, model, None)
    lo, hi = [m] * (n + 1), [0] * (n + 1)
    i = j = 0
    for bead in _banded_search(coarse, _diagonal_band(coarse, _START_BAND)):
        i1 = min(n, i + k * len(bead.zh))
        j1 = min(m, j + k_en * len(bead.en))
        for row in range(i, i1 + 1):
            lo[row], hi[row] = min(lo[row], j), max(hi[row], j1)
        i, j = i1, j1
    margin = k_en + _PATH_BAND
    return _monotone([(max(0, a - margin), min(m, b + margin)) for a, b in zip(lo, hi, strict=True)], m)


def _diagonal_band(costs: _CostModel, width: int) -> list[tuple[int, int]]:
    """For each zh position, en positions whose cumulative length matches, ± ``width``."""
    m = costs.m
    centres = _diagonal_centres(costs.zh_sum, costs.en_sum)
    centres[-1] = m
    return _monotone([(max(0, c - width), min(m, c + width)) for c in centres], m)


def _path_band(beads: list[Bead], n: int, m: int, width: int) -> list[tuple[int, int]]:
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


def _banded_search(costs: _CostModel, band: list[tuple[int, int]]) -> list[Bead]:
    """Best path in ``band``; where the path runs along the band's edge, the search is
    redone in a band around that path, twice as wide near the touches each round.

    Each round's band holds the previous path, so the cost never rises; after
    ``_MAX_ROUNDS`` rounds the path is returned as it is.
    """
    n, m = costs.n, costs.m
    width = _PATH_BAND
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
        band = _widen(_path_band(path, n, m, _PATH_BAND), _path_band(path, n, m, width), touches, width)


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


def _dp(costs: _CostModel, band: list[tuple[int, int]]) -> tuple[list[Bead] | None, list[int]]:
    """Dynamic programme restricted to ``band``; returns the path and the rows where it
    comes within two cells of the band's edge (an edge that is not the matrix border).

    Null beads (1–0, 0–1) pay their fixed cost only: the length model describes a
    sentence and its translation, and charging a deleted sentence its whole length
    (as Gale and Church do) makes the search merge it into a neighbour instead.

    The inner loop is written out for speed: length cost inline, bead types tried in
    order of prior, and a candidate dropped as soon as its partial cost (all parts
    are >= 0) cannot beat the best one found.
    """
    n, m = costs.n, costs.m
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
    if score[n][m - band[n][0]] == _INF:
        return None, []
    beads: list[Bead] = []
    touches: list[int] = []
    i, j = n, m
    bead_types = costs.types
    while i or j:
        lo, hi = band[i]
        if (j - lo < 2 and lo > 0) or (hi - j < 2 and hi < m):
            touches.append(i)
        _, di, dj, _ = bead_types[back[i][j - lo]]
        beads.append(Bead(tuple(range(i - di, i)), tuple(range(j - dj, j))))
        i, j = i - di, j - dj
    beads.reverse()
    return beads, touches
