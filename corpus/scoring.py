"""Automatic metrics from sacrebleu (BLEU, chrF++, TER), scored in flat memory.

sacrebleu's one-shot ``corpus_score`` caches every reference before scoring (≈ 59 KB per
segment for chrF), which does not fit a million segments. Every corpus metric here is a
sum of per-segment sufficient statistics, so mtmend computes those statistics chunk by
chunk — optionally in worker processes — keeps only their running sums, and turns the sums
into a score with sacrebleu's own formula: the result is identical to sacrebleu's, and
every score carries sacrebleu's signature.

Unlike sacrebleu's Python API, which silently truncates to the shorter side, hypotheses
and references of different lengths are refused, and so is an empty corpus.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice

from mtmend.corpus.errors import InputError
from mtmend.corpus.pair_stats import pair_stats
from mtmend.corpus.tok13a import fast_13a

# The metrics, in the order they are computed, stored and printed.
METRICS: tuple[str, ...] = ("BLEU", "chrF++", "TER")
DEFAULT_CHUNK = 2000


@dataclass(frozen=True, slots=True)
class Score:
    """One metric's value with the sacrebleu signature that says how it was computed."""

    metric: str  # sacrebleu's own name: "BLEU", "chrF2++", "TER"
    score: float
    signature: str

    def format(self, width: int = 2) -> str:
        """sacrebleu's text form, e.g. ``BLEU|nrefs:1|…|version:2.6.0 = 31.42``."""
        return f"{self.metric}|{self.signature} = {self.score:.{width}f}"

    def as_dict(self) -> dict:
        return {"metric": self.metric, "score": self.score, "signature": self.signature}


def is_chinese(lang: str) -> bool:
    """Whether a language code names Chinese (``zh``, ``zh-CN``, ``zh_Hans``…)."""
    return lang.lower().replace("_", "-").split("-")[0] in ("zh", "cmn")


def make_metric(name: str, target_lang: str = "en", *, sentence: bool = False):
    """A sacrebleu metric object configured the way mtmend scores ``target_lang`` text.

    English: sacrebleu's command-line defaults (BLEU ``tok:13a``, chrF++ = chrF with word
    bigrams, TER defaults). Chinese: BLEU with ``tok:zh``; TER with ``normalized`` and
    ``asian_support`` so CJK text is split into characters (its default tokenizer would
    treat a whole unspaced sentence as one word). ``sentence`` switches BLEU to
    ``effective_order``, as sacrebleu recommends for single segments.
    """
    from sacrebleu.metrics import BLEU, CHRF, TER

    zh = is_chinese(target_lang)
    if name == "BLEU":
        return BLEU(tokenize="zh" if zh else "13a", effective_order=sentence)
    if name == "chrF++":
        return CHRF(word_order=2)
    if name == "TER":
        return TER(normalized=zh, asian_support=zh)
    raise ValueError(f"unknown metric {name!r} (known: {', '.join(METRICS)})")


def _add(total: list | None, stats: Sequence) -> list:
    """Element-wise sum. Statistics are integer-valued, so any summation order is exact."""
    if total is None:
        return list(stats)
    return [a + b for a, b in zip(total, stats, strict=True)]


def add_stats(total: Sequence[Sequence] | None, stats: Sequence[Sequence]) -> list[list]:
    """Per-metric statistics summed metric by metric (``total`` None: a copy of ``stats``)."""
    if total is None:
        return [list(per_metric) for per_metric in stats]
    return [_add(a, b) for a, b in zip(total, stats, strict=True)]


_METRIC_CACHE: dict[tuple[str, str], object] = {}


def _cached_metric(name: str, target_lang: str):
    key = (name, target_lang)
    if key not in _METRIC_CACHE:
        metric = make_metric(name, target_lang)
        if name == "BLEU":
            metric.tokenizer = fast_13a(metric.tokenizer)  # the same tokens, sooner
        _METRIC_CACHE[key] = metric
    return _METRIC_CACHE[key]


def chunk_stats(
    names: tuple[str, ...], target_lang: str, items: list[tuple[Hashable, str, str]]
) -> dict[Hashable, list[list]]:
    """Summed statistics per group key for one chunk of ``(key, hypothesis, reference)``.

    Top-level and picklable: it is what worker processes run.
    """
    metrics = [_cached_metric(n, target_lang) for n in names]
    out: dict[Hashable, list[list]] = {}
    seen: dict[tuple[str, str], list[list]] = {}
    for key, hyp, ref in items:
        out[key] = add_stats(out.get(key), _once(seen, metrics, names, hyp, ref))
    return out


def segment_stats(target_lang: str, mt: str, target: str, reference: str | None, status: str,
                  comparisons: Sequence[Comparison]) -> dict[str, list[list]]:
    """Per comparison that scores this segment, its statistics: what :func:`chunk_stats` gives
    for the segment's :func:`segment_items`, without the grouping one segment does not need."""
    metrics = [_cached_metric(n, target_lang) for n in METRICS]
    seen: dict[tuple[str, str], list[list]] = {}
    return {key: _once(seen, metrics, METRICS, hyp, ref)
            for (key, _), hyp, ref in segment_items(0, mt, target, reference, status, comparisons)}


def _once(seen: dict, metrics: list, names: Sequence[str], hyp: str, ref: str) -> list[list]:
    """The pair's statistics per metric, scored once per ``seen`` (two comparisons may share a pair)."""
    stats = seen.get((hyp, ref))
    if stats is None:
        stats = seen[hyp, ref] = [pair_stats(m, n, hyp, ref) for m, n in zip(metrics, names)]
    return stats


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def grouped_stats(
    items: Iterable[tuple[Hashable, str, str]],
    *,
    metrics: tuple[str, ...] = METRICS,
    target_lang: str = "en",
    chunk_size: int = DEFAULT_CHUNK,
    workers: int = 1,
) -> dict[Hashable, tuple[int, list[list]]]:
    """Stream ``(group, hypothesis, reference)`` triples; return per group (count, summed stats).

    Memory stays flat: at most ``2 × workers`` chunks are in flight. Worker processes
    (``workers > 1``) pay off on large inputs: each metric is a pure-Python pass over every pair.
    """
    totals: dict[Hashable, list[list]] = {}
    counts: dict[Hashable, int] = {}

    def merge(part: dict[Hashable, list[list]]) -> None:
        for key, sums in part.items():
            old = totals.get(key)
            totals[key] = sums if old is None else add_stats(old, sums)

    def count(chunk: list) -> list:
        for key, _, _ in chunk:
            counts[key] = counts.get(key, 0) + 1
        return chunk

    if workers <= 1:
        for chunk in _chunks(items, chunk_size):
            merge(chunk_stats(metrics, target_lang, count(chunk)))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            pending: deque[Future] = deque()
            for chunk in _chunks(items, chunk_size):
                pending.append(pool.submit(chunk_stats, metrics, target_lang, count(chunk)))
                if len(pending) >= 2 * workers:
                    merge(pending.popleft().result())
            while pending:
                merge(pending.popleft().result())
    return {key: (counts[key], totals[key]) for key in totals}


def scores_from_stats(stats: Sequence[Sequence], *, metrics: tuple[str, ...] = METRICS, target_lang: str = "en") -> tuple[Score, ...]:
    """Turn summed statistics into scores with sacrebleu's formulas and signatures."""
    out = []
    for name, summed in zip(metrics, stats, strict=True):
        metric = make_metric(name, target_lang)
        metric.num_refs = 1  # the signature needs it; mtmend always scores one reference
        result = metric._compute_score_from_stats(list(summed))
        out.append(Score(result.name, float(result.score), metric.get_signature().format()))
    return tuple(out)


def pairs_with_check(hypotheses: Iterable[str], references: Iterable[str]) -> Iterator[tuple[None, str, str]]:
    """Zip two streams, refusing a length mismatch (sacrebleu would silently truncate)."""
    n = 0
    hyp_it, ref_it = iter(hypotheses), iter(references)
    missing = object()
    while True:
        hyp, ref = next(hyp_it, missing), next(ref_it, missing)
        if hyp is missing and ref is missing:
            return
        if hyp is missing or ref is missing:
            more = "references" if hyp is missing else "hypotheses"
            raise InputError(
                f"{n} hypotheses and references differ in length: there are more {more}; "
                "give one reference line per hypothesis line"
            )
        if not isinstance(hyp, str) or not isinstance(ref, str):
            raise InputError(f"segment {n + 1}: hypothesis and reference must be text, got {type(hyp).__name__}/{type(ref).__name__}")
        n += 1
        yield None, hyp, ref


def corpus_scores(
    hypotheses: Iterable[str],
    references: Iterable[str],
    *,
    metrics: tuple[str, ...] = METRICS,
    target_lang: str = "en",
    chunk_size: int = DEFAULT_CHUNK,
    workers: int = 1,
) -> tuple[Score, ...]:
    """Corpus BLEU / chrF++ / TER of ``hypotheses`` against one reference each.

    Identical to sacrebleu's ``corpus_score`` on the same lists, in flat memory. Raises
    :class:`InputError` for an empty corpus or streams of different lengths.

    >>> [s.format() for s in corpus_scores(["the cat sat"], ["the cat sat"], metrics=("TER",))]
    ['TER|nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:2.6.0 = 0.00']
    """
    groups = grouped_stats(
        pairs_with_check(hypotheses, references),
        metrics=metrics, target_lang=target_lang, chunk_size=chunk_size, workers=workers,
    )
    if not groups:
        raise InputError("nothing to score: the corpus is empty")
    (_, stats), = groups.values()
    return scores_from_stats(stats, metrics=metrics, target_lang=target_lang)


def sentence_scores(hypothesis: str, reference: str, *, metrics: tuple[str, ...] = METRICS, target_lang: str = "en") -> tuple[Score, ...]:
    """Segment-level scores; BLEU uses ``effective_order`` (its signature says ``eff:yes``)."""
    out = []
    for name in metrics:
        metric = make_metric(name, target_lang, sentence=True)
        result = metric._compute_score_from_stats(pair_stats(metric, name, hypothesis, reference))
        metric.num_refs = 1
        out.append(Score(result.name, float(result.score), metric.get_signature().format()))
    return tuple(out)


# ----------------------------------------------------------------- workspace scoring
@dataclass(frozen=True, slots=True)
class Comparison:
    """A pair of texts the workspace holds for each segment, scored hypothesis vs reference."""

    key: str
    label: str
    hyp: str  # a Segment field
    ref: str  # a Segment field
    reviewed_only: bool = False


# Ordered registry: what `mtmend score`, snapshots and the report show, in this order.
COMPARISONS: tuple[Comparison, ...] = (
    Comparison("mt_ref", "raw MT vs reference", "mt", "reference"),
    Comparison("target_ref", "current target vs reference", "target", "reference"),
    Comparison("effort", "post-editing effort: raw MT vs current target (HTER-style)", "mt", "target"),
    Comparison("hter", "HTER: raw MT vs reviewed target (reviewed segments only)", "mt", "target", reviewed_only=True),
)


def target_language(documents: Sequence) -> str:
    """The one target language of ``documents``; mixed languages must be scored apart."""
    langs = {d.target_lang for d in documents}
    if len({is_chinese(lang) for lang in langs}) > 1:
        raise InputError(
            f"the documents have different target languages ({', '.join(sorted(langs))}): "
            "score them separately (mtmend score DOC…)"
        )
    return next(iter(langs), "en")


def segment_items(
    doc_id: int, mt: str, target: str, reference: str | None, status: str, comparisons: Sequence[Comparison]
) -> Iterator[tuple]:
    """``((comparison, doc_id), hypothesis, reference)`` for each comparison that scores this segment."""
    fields = {"mt": mt, "target": target, "reference": reference}
    for comp in comparisons:
        hyp, ref = fields[comp.hyp], fields[comp.ref]
        if hyp is None or ref is None or (comp.reviewed_only and status != "reviewed"):
            continue
        yield (comp.key, doc_id), hyp, ref
