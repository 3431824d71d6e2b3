"""Exact sacrebleu sufficient statistics of one hypothesis against one reference, made cheap.

Most segments a pass scores are untouched or changed in one place (a repaired quote, a
spacing fix), yet sacrebleu counts every n-gram of both sides. BLEU's and chrF++'s
statistics are clipped n-gram match counts, and the n-grams lying wholly inside the common
prefix or the common suffix of the two (tokenised) sequences are the same multiset ``C``
on both sides: ``min(C + a, C + b) = C + min(a, b)``, so the matches are ``|C|`` plus the
matches of the n-grams that touch the differing middle. Counting only those gives the very
numbers sacrebleu computes (tests compare them with sacrebleu's own code).

The windows around every differing part are found by :mod:`mtmend.corpus.ngram_match`; the
words chrF++ and TER compare come from :mod:`mtmend.corpus.metric_words` (sacrebleu's own
splitting where it differs from what that module reproduces).

TER's greedy shift search does not commute with trimming: it runs whole, in
:mod:`mtmend.corpus.tercom` (sacrebleu's search, faster) when the installed sacrebleu is the one
that module reproduces, else in sacrebleu. Equal token sequences (0 edits) skip the search.
"""

from __future__ import annotations

from collections.abc import Sequence

from mtmend.corpus import tercom
from mtmend.corpus.metric_words import chrf_words, ter_words
from mtmend.corpus.ngram_match import common_prefix, common_suffix, matches


def pair_stats(metric, name: str, hyp: str, ref: str) -> list:
    """Statistics of ``hyp`` against ``ref``, equal to sacrebleu's ``_compute_segment_statistics``."""
    if name == "TER":
        return _ter_stats(metric, hyp, ref)
    if hyp == ref:  # an untouched segment, the most common pair: preprocessed once
        return identical_stats(metric, name, metric._preprocess_segment(ref))
    h, r = metric._preprocess_segment(hyp), metric._preprocess_segment(ref)
    if h == r:
        return identical_stats(metric, name, r)
    if name == "BLEU":
        return _bleu_stats(metric.max_ngram_order, h.split(), r.split())
    return _chrf_stats(metric, h, r)


def _ter_stats(metric, hyp: str, ref: str) -> list:
    split = ter_words(metric)
    if split is None:
        # sacrebleu preprocesses a reference once when caching it and once more when extracting its words.
        ref_info = metric._extract_reference_info([metric._preprocess_segment(ref)])
        ref_words = ref_info["ref_words"][0]
        pre = metric._preprocess_segment(hyp)
        hyp_words = pre.split()
    else:
        if hyp == ref:  # lowercasing keeps the spaces where they are (see metric_words)
            return [0, float(len(ref.split()))]
        ref_info, pre, hyp_words, ref_words = None, None, split(hyp), split(ref)
    if hyp_words == ref_words:
        # Equal words: no edit and no shift can help, so sacrebleu's search finds 0 edits.
        return [0, float(len(ref_words))]
    if tercom.usable():
        return [tercom.edits(hyp_words, ref_words), float(len(ref_words))]
    if ref_info is None:
        ref_info = metric._extract_reference_info([metric._preprocess_segment(ref)])
        pre = metric._preprocess_segment(hyp)
    return metric._compute_segment_statistics(pre, ref_info)


def identical_stats(metric, name: str, text: str) -> list:
    """BLEU or chrF++ statistics of a (preprocessed) text against itself, from its lengths.

    Every n-gram matches, so sacrebleu's match counts equal its n-gram counts, which are
    ``length - n + 1``: the same numbers sacrebleu computes, without building the n-grams
    (most segments of a workspace are untouched, and their effort is scored every pass).
    """
    if name == "BLEU":
        words = len(text.split())
        counts = [max(words - n, 0) for n in range(metric.max_ngram_order)]
        return [words, words, *counts, *counts]
    chars = len(text) if metric.whitespace else len("".join(text.split()))
    words = chrf_words(metric)[1](text) if metric.word_order > 0 else 0
    out: list[int] = []
    for length, order in ((chars, metric.char_order), (words, metric.word_order)):
        for n in range(1, order + 1):
            count = length - n + 1 if length >= n else 0
            out += (count, count, count)
    return out


def window(a: Sequence, b: Sequence, context: int) -> tuple[int, int, int]:
    """``(start, end_a, end_b)``: the differing middle of ``a`` and ``b`` with ``context`` common items each side.

    Every n-gram (n <= context + 1) outside ``a[start:end_a]`` lies wholly inside the common
    prefix or suffix, and ``b`` has the same ones outside ``b[start:end_b]``.
    """
    limit = min(len(a), len(b))
    prefix = common_prefix(a, b, 0, 0, limit)
    suffix = common_suffix(a, b, len(a), len(b), limit - prefix)
    keep = max(suffix - context, 0)
    return max(prefix - context, 0), len(a) - keep, len(b) - keep


def _bleu_stats(order: int, hyp: list[str], ref: list[str]) -> list:
    totals = [max(len(hyp) - n, 0) for n in range(order)]
    return [len(hyp), len(ref), *matches(hyp, ref, order), *totals]


def _chrf_stats(metric, hyp: str, ref: str) -> list:
    if metric.whitespace:
        chars_h, chars_r = hyp, ref
    else:
        chars_h, chars_r = "".join(hyp.split()), "".join(ref.split())
    out = _triples(len(chars_h), len(chars_r), matches(chars_h, chars_r, metric.char_order))
    if metric.word_order > 0:
        words = chrf_words(metric)[0]
        words_h, words_r = words(hyp), words(ref)
        out += _triples(len(words_h), len(words_r), matches(words_h, words_r, metric.word_order))
    return out


def _triples(len_h: int, len_r: int, matched: list[int]) -> list[int]:
    """chrF's ``[hypothesis n-grams, reference n-grams, matches]`` for n = 1..len(matched)."""
    out: list[int] = []
    for n, match in enumerate(matched, start=1):
        in_ref = len_r - n + 1 if len_r >= n else 0
        # sacrebleu counts no hypothesis n-grams of an order the reference has none of
        out += (len_h - n + 1 if in_ref and len_h >= n else 0, in_ref, match)
    return out
