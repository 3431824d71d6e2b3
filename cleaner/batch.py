"""The engine-independent cleaning core: one pure function over a batch of lines.

:func:`clean_batch` is what every front end runs: ``mtmend clean -`` in this process,
``-j N`` in worker processes, ``--engine dask`` on a cluster, and any other engine (Ray,
Spark, datatrove, GNU parallel; see the README's "Beyond one machine"). It takes the lines
(English text, or ``zh<TAB>en`` rows), a :class:`BatchSettings` (immutable and picklable, so
the glossary and settings travel with the task) and where the batch starts in its stream
(:class:`Position`), and returns the cleaned line for each input line plus the edits made.

The filter's results depend on context, so identical results need identical context: the
vocabulary evidence of the suggestion rules is a chunk of :data:`~stream.CHUNK_LINES` lines
counted from line 1 of the stream, and the Q&A and duplicate rules look at the previous
paragraph. :func:`clean_batch` cuts a batch at those chunk boundaries and returns the
:class:`Position` the next batch starts from; a batch that is a whole stream needs neither.
:func:`filter_lines` is the complete filter (cleaning plus :class:`~stream.LineWriter`);
:func:`clean_lines` the one call for engines that hand out lines without their ends.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO

from mtmend.cleaner.config import CleanConfig
from mtmend.cleaner.stream import (
    CHUNK_LINES, LineEdits, LineWriter, ParaState, advance, annotation_records, clean_chunk,
)

IN_FLIGHT_PER_JOB = 3  # chunks queued per worker: enough to keep it busy, bounded memory


@dataclass(frozen=True, slots=True)
class BatchSettings:
    """Everything that decides a batch's result. ``annotations``: also collect the edits."""

    config: CleanConfig = field(default_factory=CleanConfig)
    tsv: bool = False
    annotations: bool = False

    def signature(self) -> str:
        """The ruleset's signature plus the input format: equal signatures, equal output."""
        return f"{self.config.signature()}|format:{'tsv' if self.tsv else 'text'}"


@dataclass(frozen=True, slots=True)
class Position:
    """Where a batch starts: its stream's name (for messages), line number, paragraph state."""

    name: str = "stdin"
    line: int = 1
    para: ParaState = ParaState()


@dataclass(frozen=True, slots=True)
class BatchResult:
    """Per input line the cleaned line (``None``: removed), the edits, and where the next batch starts."""

    outputs: tuple[str | None, ...]
    edits: tuple[LineEdits, ...]
    end: Position
    start: Position = Position()  # where it was cleaned from (a guess, when cleaned ahead)

    def annotations(self) -> Iterator[dict]:
        """The edits as ``--annotations`` JSON records (offsets in the input line)."""
        for item in self.edits:
            yield from annotation_records(item)


def clean_batch(lines: Sequence[str], settings: BatchSettings, at: Position = Position()) -> BatchResult:
    """Clean ``lines`` exactly as ``mtmend clean -`` cleans them at position ``at`` of its input.

    A batch holds whole chunks: it starts at a chunk boundary (``at.line`` is 1 plus a
    multiple of :data:`~stream.CHUNK_LINES`; :class:`ValueError` otherwise) and ends at one
    or at the end of its stream — a batch cut short sees less vocabulary evidence than the
    filter does. Lines come with their line ends, as :func:`~stream.read_lines` gives them
    (``\\r\\n`` stays ``\\r\\n``, a line without one ends the stream). Raises :class:`~mtmend.corpus.errors.InputError`
    naming ``at.name`` and the line for a malformed TSV row.
    """
    if (at.line - 1) % CHUNK_LINES:
        raise ValueError(f"a batch starts at a chunk boundary (line 1 + k×{CHUNK_LINES}), not at line {at.line}")
    outputs: list[str | None] = []
    edits: list[LineEdits] = []
    para, number = at.para, at.line
    for chunk in aligned_chunks(lines, number):
        result = clean_chunk(chunk, para, number, settings.config, settings.tsv, settings.annotations, at.name)
        outputs.extend(result.outputs)
        edits.extend(result.edits)
        para = result.end  # not advance(): a line removed at the end is no previous paragraph
        number += len(chunk)
    return BatchResult(tuple(outputs), tuple(edits), Position(at.name, number, para), at)


def aligned_chunks(lines: Iterable[str], first_line: int = 1, size: int | None = None) -> Iterator[list[str]]:
    """Cut lines into the filter's chunks: boundaries after every ``size``-th line of the stream (default: CHUNK_LINES)."""
    size = CHUNK_LINES if size is None else size  # read at call time: tests cut small chunks
    chunk: list[str] = []
    room = size - (first_line - 1) % size
    for line in lines:
        chunk.append(line)
        if len(chunk) >= room:
            yield chunk
            chunk, room = [], size
    if chunk:
        yield chunk


def advance_position(at: Position, lines: Sequence[str], settings: BatchSettings) -> Position:
    """The position after ``lines`` without cleaning them (cheap: how ``-j N`` keeps ahead).

    A guess (see :func:`~stream.advance`): pass what was cleaned from it through :func:`in_order`.
    """
    return Position(at.name, at.line + len(lines), advance(at.para, list(lines), settings.tsv))


def in_order(pairs: Iterable[tuple[list[str], BatchResult]], settings: BatchSettings) -> Iterator[tuple[list[str], BatchResult]]:
    """``(chunk, result)`` pairs of one stream, each cleaned again if it started from a wrong guess.

    A batch cleaned ahead from :func:`advance_position` is right unless the filter removed
    a last line of the batch before it; then it is cleaned here from the true position.
    """
    true: Position | None = None
    for chunk, result in pairs:
        if true is not None and result.start != true:
            result = clean_batch(chunk, settings, true)
        yield chunk, result
        true = result.end


def clean_lines(lines: Iterable[str], settings: BatchSettings) -> tuple[list[str], list[dict]]:
    """Clean a whole stream given as lines without line ends (as Spark, Ray or datatrove hand them out).

    Returns the lines the filter writes (without ends; a removed paragraph's blank line goes
    with it) and the annotation records. For one stream cut into batches use
    :func:`clean_batch` with the previous batch's ``end``.
    """
    inputs = [line + "\n" for line in lines]
    result = clean_batch(inputs, settings)
    sink = _ListSink()
    writer = LineWriter(sink)
    writer.write_chunk(inputs, list(result.outputs))
    writer.finish()
    written = "".join(sink.parts).split("\n")
    written.pop()  # after the last line's newline
    return written, list(result.annotations())


class _ListSink:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)


# ---------------------------------------------------------------- streams, in order
_WORKER: tuple = ()


def _init_worker(settings: BatchSettings) -> None:
    global _WORKER
    _WORKER = (settings,)


def _work(lines: list[str], at: Position) -> BatchResult:
    return clean_batch(lines, _WORKER[0], at)


def cleaned_chunks(
    lines: Iterable[str], settings: BatchSettings, *, jobs: int = 1, at: Position = Position()
) -> Iterator[tuple[list[str], BatchResult]]:
    """``(input chunk, result)`` pairs in input order, cleaned by ``jobs`` processes."""
    if jobs <= 1:
        for chunk in aligned_chunks(lines, at.line):
            result = clean_batch(chunk, settings, at)
            yield chunk, result
            at = result.end
        return
    import multiprocessing

    with multiprocessing.get_context().Pool(jobs, initializer=_init_worker, initargs=(settings,)) as pool:
        yield from in_order(_ahead(pool, lines, settings, jobs, at), settings)


def _ahead(pool, lines: Iterable[str], settings: BatchSettings, jobs: int, at: Position) -> Iterator[tuple]:
    """Chunks cleaned by ``pool`` from guessed positions, in input order (:func:`in_order` checks the guesses)."""
    pending: deque = deque()
    for chunk in aligned_chunks(lines, at.line):
        pending.append((chunk, pool.apply_async(_work, (chunk, at))))
        at = advance_position(at, chunk, settings)
        if len(pending) >= jobs * IN_FLIGHT_PER_JOB:
            done, result = pending.popleft()
            yield done, result.get()
    while pending:
        done, result = pending.popleft()
        yield done, result.get()


@dataclass(frozen=True, slots=True)
class FilterStats:
    """What a filter run did: input lines, lines changed, lines removed, edits recorded."""

    lines: int = 0
    changed: int = 0
    removed: int = 0
    edits: int = 0

    def __add__(self, other: FilterStats) -> FilterStats:
        return FilterStats(*(a + b for a, b in zip(self._values(), other._values(), strict=True)))

    def _values(self) -> tuple[int, int, int, int]:
        return (self.lines, self.changed, self.removed, self.edits)


def chunk_stats(inputs: Sequence[str], result: BatchResult) -> FilterStats:
    changed = sum(1 for a, b in zip(inputs, result.outputs, strict=True) if b is not None and a != b)
    removed = sum(1 for b in result.outputs if b is None)
    return FilterStats(len(inputs), changed, removed, len(result.edits))


def filter_lines(
    lines: Iterable[str], settings: BatchSettings, out: IO[str], notes: IO[str] | None = None, *,
    jobs: int = 1, diff: bool = False, at: Position = Position(), shard: str | None = None,
) -> FilterStats:
    """The whole ``mtmend clean -`` filter: clean ``lines``, write them (or a diff) and the annotations.

    ``at`` names the stream in messages; ``shard`` keys its annotation records (see :func:`write_cleaned`).
    """
    return write_cleaned(cleaned_chunks(lines, settings, jobs=jobs, at=at), out, notes, diff=diff, shard=shard)


def write_cleaned(
    pairs: Iterable[tuple[list[str], BatchResult]], out: IO[str], notes: IO[str] | None = None, *,
    diff: bool = False, shard: str | None = None,
) -> FilterStats:
    """Write cleaned ``(input chunk, result)`` pairs of one stream, in order, as the filter does.

    Annotation records go to ``notes`` as JSON Lines, each led by ``"shard": shard`` when given.
    """
    writer = LineWriter(out, diff=diff)
    stats = FilterStats()
    key = {} if shard is None else {"shard": shard}
    for chunk, result in pairs:
        writer.write_chunk(chunk, list(result.outputs))
        if notes is not None:
            notes.write("".join(json.dumps({**key, **r}, ensure_ascii=False) + "\n" for r in result.annotations()))
        stats += chunk_stats(chunk, result)
    writer.finish()
    return stats
