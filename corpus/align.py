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

Beads: 1–1, 1–2, 2–1, 2–2, 1–3, 3–1, 1–0 and 0–1, with Gale–Church-like priors, and 1–4
where the lexical evidence supports it (MT often makes three or four English sentences of one
Chinese sentence).
:func:`score_beads` computes strict and lax F1 as vecalign and Bertalign do.

This module is the public API and the scoring; the parts live beside it:
:mod:`~mtmend.corpus.align_length` (lengths, the length model and its refit),
:mod:`~mtmend.corpus.align_lexical` (the lexical similarity and the anchors) and
:mod:`~mtmend.corpus.align_search` (bead costs and the banded search).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
import re
from dataclasses import dataclass

from mtmend.corpus.align_length import LengthModel, lengths, model_from_totals, refit_length_model, zh_lengths
from mtmend.corpus.align_lexical import Lexical
from mtmend.corpus.align_search import PATH_BAND, CostModel, banded_search, length_pass, path_band
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
    "split_en_clauses",
]


@dataclass(frozen=True, slots=True)
class AlignScore:
    """Strict and lax precision, recall and F1 of predicted beads against gold beads."""

    strict_precision: float
    strict_recall: float
    strict_f1: float
    lax_precision: float
    lax_recall: float
    lax_f1: float


# --- aligning -----------------------------------------------------------------------


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
    return _three_passes(zh, en, Lexical.from_sentences(zh, en, dictionary=dictionary))


def align_length_only(zh: Sequence[str], en: Sequence[str]) -> list[Bead]:
    """The Gale–Church baseline: the same search as :func:`align`, length cost only.

    The length ratio and variance are estimated from the data in the same way
    (a first pass, then a refit on its 1–1 beads).
    """
    _check_sides(zh, en)
    if not zh or not en:
        return _trivial_beads(len(zh), len(en))
    return _three_passes(zh, en, None)


def estimate_length_model(zh: Sequence[str], en: Sequence[str]) -> LengthModel:
    """First estimate of the length model from totals alone.

    The ratio is total English length, less the ASCII characters of the Chinese
    side, over the total of Chinese characters; the variance starts at Gale and
    Church's 6.8 (it is refitted after a first alignment, when there are enough
    1–1 beads).

    >>> estimate_length_model(["你好吗？"], ["How are you?"])
    LengthModel(ratio=2.5, variance=6.8)
    """
    return model_from_totals(zh_lengths(zh), lengths(en))


def _three_passes(zh: Sequence[str], en: Sequence[str], features: Lexical | None) -> list[Bead]:
    """The passes of the module docstring; ``features=None`` is the length-only baseline."""
    zh_len, en_len = zh_lengths(zh), lengths(en)
    start = model_from_totals(zh_len, en_len)
    anchors = features.anchors(start.zh_equivalent(zh_len), en_len) if features is not None else ()
    first = length_pass(zh_len, en_len, start, anchors)
    model = refit_length_model(zh_len, en_len, first)
    lexical = features if features is not None and features.calibrate(first) else None
    costs = CostModel(model.zh_equivalent(zh_len), en_len, model, lexical)
    return banded_search(costs, path_band(first, len(zh), len(en), PATH_BAND))


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


# --- bead notation, gold sets and scoring -------------------------------------------


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


_CLAUSE_BREAK = re.compile(
    r"(?<=[;:—])\s+|(?<=,)\s+(?=(?:and|but|which|while|so|as|because|where|when|although)\b)"
)
_MIN_CLAUSE_WORDS = 4


def split_en_clauses(text: str, split_en: Callable[[str], list[str]], max_pieces: int = 4) -> list[str]:
    """English sentences cut further at clause breaks, as MT that re-splits a long Chinese
    sentence writes them: after ``;``, ``:``, ``—`` and before ``, and``/``, but``/``, which`` ….

    Pieces under four words stay joined to their neighbour; a text gives at most
    ``max_pieces`` pieces (the rest stays in the last). For building gold sets whose
    Chinese sentences become several English ones (see ``bench/bench_align.py``).

    >>> from mtmend.corpus.split import split_en
    >>> split_en_clauses("Yes: he came home late; the door was locked, so he slept in the car. Fine.", split_en)
    ['Yes: he came home late;', 'the door was locked,', 'so he slept in the car.', 'Fine.']
    """
    pieces: list[str] = []
    for sentence in split_en(text):
        start = len(pieces)
        for part in _CLAUSE_BREAK.split(sentence):
            joined = len(pieces) > start and min(len(part.split()), len(pieces[-1].split())) < _MIN_CLAUSE_WORDS
            if joined:
                pieces[-1] = f"{pieces[-1]} {part}"
            elif part:
                pieces.append(part)
    if len(pieces) > max_pieces:
        pieces[max_pieces - 1 :] = [" ".join(pieces[max_pieces - 1 :])]
    return pieces


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



def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
