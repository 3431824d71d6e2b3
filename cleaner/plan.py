"""A document's cleaning, segment by segment: in this process, or in chunks on other cores.

A segment's result depends on the rules, on the document (its quote style, name variants
and paragraph sizes) and on the paragraph context the segments before it leave
(:class:`~mtmend.cleaner.context.Paragraphs`, and which paragraph was the last one kept).
:func:`plan` runs them in order. :func:`plan_parallel` has worker processes clean chunks of a
big document ahead, each from a guessed context (as if no segment before it were removed),
the way the filter does (:func:`mtmend.cleaner.batch.in_order`): a chunk whose guess turns
out wrong is cleaned again here from the true context, so the results are the ones
:func:`plan` gives, segment for segment.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace

from mtmend.cleaner.config import CleanConfig, QuoteStyle
from mtmend.cleaner.context import Paragraphs
from mtmend.cleaner.engine import CleanResult, clean_text
from mtmend.cleaner.layout import is_structure
from mtmend.cleaner.rule import Context, Vocabulary
from mtmend.cleaner.rules.names import variants_by_spelling
from mtmend.corpus.model import Segment, Status
from mtmend.corpus.processes import forking, usable_cpus

# Below this many segments a document is cleaned here: starting workers costs more than it saves.
PARALLEL_FROM = 5_000
CHUNK = 1_000  # segments a worker cleans at a time
IN_FLIGHT_PER_JOB = 3
After = Callable[[Segment, "CleanResult"], object]
Names = Callable[[], "dict | None"]  # a document's name variants, when another process finds them


def document_quote_style(targets: Iterable[str], style: QuoteStyle) -> QuoteStyle:
    """Resolve ``auto`` to the document's majority style (straight on a tie; ``auto`` if it has no quotes)."""
    if style is not QuoteStyle.AUTO:
        return style
    curly = straight = 0
    for text in targets:
        curly += text.count("“") + text.count("”")
        straight += text.count('"')
    if not curly and not straight:
        return QuoteStyle.AUTO
    return QuoteStyle.TYPOGRAPHIC if curly > straight else QuoteStyle.STRAIGHT


@dataclass(frozen=True, slots=True)
class Setup:
    """What every segment of one document is cleaned with."""

    config: CleanConfig  # the document's quote style resolved
    names: dict | None  # name variants of the document (flag_name_variants)
    sizes: Counter  # segments per paragraph
    vocabulary: Vocabulary


def setup(segments: Sequence[Segment], config: CleanConfig, vocabulary: Vocabulary, names: Names | None = None) -> Setup:
    """``names``: the document's :func:`document_names`, if found elsewhere (else they are found here)."""
    style = document_quote_style((s.target for s in segments), config.quote_style)
    doc_config = replace(config, quote_style=style)
    found = names() if names is not None else document_names(((s.source, s.target) for s in segments), doc_config)
    return Setup(doc_config, found, Counter(s.para for s in segments if s.target), vocabulary)


def document_names(pairs: Iterable[tuple[str, str]], config: CleanConfig) -> dict | None:
    """The name variants ``flag_name_variants`` works from, over a document's ``(source, target)``
    pairs (None: the rule is off, or the document has none)."""
    if not any(r.id == "flag_name_variants" for r in config.rules()):
        return None
    return variants_by_spelling(pairs) or None


@dataclass(frozen=True, slots=True)
class Where:
    """The context between two segments: the paragraph state, and the ``para`` of the last segment kept."""

    mark: tuple = (None, True, "", None)  # Paragraphs.mark(): first line, single, source, cleaned
    last: int | None = None


class _Planner:
    """Cleans segments one after another from a context, keeping it up to date."""

    def __init__(self, doc: Setup, where: Where):
        self.doc = doc
        self.rules = doc.config.rules()
        self.para = Paragraphs(config=doc.config, rules=self.rules, vocabulary=doc.vocabulary)
        self.para.back(where.mark)
        self.last = where.last

    def where(self) -> Where:
        return Where(self.para.mark(), self.last)

    def step(self, seg: Segment) -> CleanResult | None:
        """``seg``'s result (None for a segment that is not cleaned: empty, or reviewed, which is still context)."""
        if not seg.target:
            return None
        doc, para = self.doc, self.para
        text, source, mark = seg.target, seg.source, para.mark()
        starts = seg.para != self.last
        ctx = Context(doc.config, source or None, doc.config.glossary, vocabulary=doc.vocabulary, names=doc.names)
        ctx, previous = para.line(text, source, starts, ctx, is_structure(text), alone=doc.sizes[seg.para] == 1)
        if seg.status is Status.REVIEWED:
            if starts:
                para.settle(text, None, CleanResult(text, (), ()), ctx, False)
            self.last = seg.para
            return None
        result = clean_text(text, source=source or None, config=doc.config, rules=self.rules, context=ctx)
        if starts:
            result = para.settle(text, previous, result, ctx, True)
        if result.text:
            self.last = seg.para
        else:  # removed: what follows reads after what came before it
            para.back(mark)
        return result


def plan(segments: Sequence[Segment], config: CleanConfig, vocabulary: Vocabulary,
         names: Names | None = None) -> Iterator[tuple[Segment, CleanResult]]:
    """Each segment to clean, with its result, in order, in this process."""
    planner = _Planner(setup(segments, config, vocabulary, names), Where())
    for seg in segments:
        result = planner.step(seg)
        if result is not None:
            yield seg, result


def workers_for(count: int) -> int:
    """Worker processes to clean a document of ``count`` segments with (0: in this process).

    Workers are forked, so they share the segments and the vocabulary instead of receiving
    copies: on systems where forking is not the way (not Linux), and for a small document,
    none.
    """
    cpus = usable_cpus()
    if count < PARALLEL_FROM or cpus < 2 or not forking():
        return 0
    return min(cpus, 4)


def plan_parallel(segments: Sequence[Segment], config: CleanConfig, vocabulary: Vocabulary, jobs: int, *,
                  chunk: int | None = None, after: After | None = None,
                  names: Names | None = None) -> Iterator[tuple[Segment, CleanResult, object]]:
    """What :func:`plan` yields, cleaned by ``jobs`` worker processes, each with ``after(segment, result)``.

    ``after`` runs where the segment was cleaned (a worker, or here for a chunk cleaned
    again): work on the result that would otherwise wait for this process.
    """
    chunk = CHUNK if chunk is None else chunk  # read now: tests make chunks small
    doc = setup(segments, config, vocabulary, names)
    doc.vocabulary.words()  # built once here, before the fork, not once per worker
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init, initargs=(segments, doc, after)) as pool:
        true = Where()
        for lo, hi, guess, future in _ahead(pool, segments, jobs, chunk):
            results, end, derived = future.result()
            if _holds(guess, true, derived):
                end = _carry(end, true)
            else:  # a segment before the chunk was removed, or its first line reads otherwise in context
                results, end, _ = _clean_range(segments, doc, after, true, lo, hi)
            for i, result, extra in results:
                yield segments[i], result, extra
            true = end


def _ahead(pool, segments: Sequence[Segment], jobs: int, chunk: int) -> Iterator[tuple]:
    """``(lo, hi, guessed start, future)`` per chunk, in order, a few chunks ahead of the caller."""
    pending: deque = deque()
    guess = Where()
    for lo in range(0, len(segments), chunk):
        hi = min(lo + chunk, len(segments))
        pending.append((lo, hi, guess, pool.submit(_work, lo, hi, guess)))
        guess = _advance(guess, segments[lo:hi])
        if len(pending) >= jobs * IN_FLIGHT_PER_JOB:
            yield pending.popleft()
    while pending:
        yield pending.popleft()


def _advance(where: Where, segments: Sequence[Segment]) -> Where:
    """The context after ``segments`` if none is removed (cheap: no cleaning; its cleaned text unknown)."""
    first, single, source, _ = where.mark
    last = where.last
    for seg in segments:
        if not seg.target:
            continue
        if seg.para != last:
            first, single, source = seg.target, True, seg.source
        else:
            single = False
        last = seg.para
    return Where((first, single, source, None), last)


def _holds(guess: Where, true: Where, derived: list[str]) -> bool:
    """Whether a chunk cleaned from ``guess`` is what cleaning from ``true`` gives.

    The guess never knows the previous paragraph's cleaned text. Where the worker needed
    it, it derived it (``derived``); in one process the text would have been the true
    context's (when it has one), so each derived text must be that one.
    """
    if guess.last != true.last or guess.mark[:3] != true.mark[:3]:
        return False
    known = true.mark[3]
    return known is None or all(text == known for text in derived)


def _carry(end: Where, start: Where) -> Where:
    """A worker's end context with the cleaned text it never knew taken from the true start."""
    if end.mark[3] is not None or start.mark[3] is None:
        return end
    return Where((*end.mark[:3], start.mark[3]), end.last)


def _clean_range(segments: Sequence[Segment], doc: Setup, after: After | None, start: Where, lo: int,
                 hi: int) -> tuple[list[tuple[int, CleanResult, object]], Where, list[str]]:
    """Segments ``lo``–``hi`` cleaned from ``start``: (index, result, after's) each, the context at the end,
    and the cleaned texts the start did not carry and had to be derived (:func:`_holds`)."""
    planner = _Planner(doc, start)
    out = []
    for i in range(lo, hi):
        result = planner.step(segments[i])
        if result is not None:
            out.append((i, result, None if after is None else after(segments[i], result)))
    return out, planner.where(), planner.para.derived


_WORKER: tuple = ()


def _init(segments: Sequence[Segment], doc: Setup, after: After | None) -> None:
    global _WORKER
    _WORKER = (segments, doc, after)


def _work(lo: int, hi: int, start: Where) -> tuple[list[tuple[int, CleanResult, object]], Where, list[str]]:
    segments, doc, after = _WORKER
    return _clean_range(segments, doc, after, start, lo, hi)
