"""``mtmend clean -``: cleaning a stream of lines, in order, in constant memory.

Input is read line by line (never all at once), cut into chunks of :data:`CHUNK_LINES`
lines, and each chunk is cleaned by :func:`clean_chunk` — through the engine-independent
core in :mod:`mtmend.cleaner.batch`, in this process, in worker processes or on a Dask
cluster — and written back in input order by :class:`LineWriter`. Rules that
need neighbouring paragraphs (Q&A labels, duplicated paragraphs) get them from
:class:`~mtmend.cleaner.context.Paragraphs` (the workspace's too), its state carried from
chunk to chunk in a small :class:`ParaState`; rules that need a vocabulary use the chunk's
own lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import IO

from mtmend.cleaner.config import CleanConfig
from mtmend.cleaner.context import Paragraphs
from mtmend.cleaner.engine import CleanResult, clean_text
from mtmend.cleaner.layout import closes_fence, fence_marker, is_indented_code, is_structure
from mtmend.cleaner.rule import Context, Vocabulary
from mtmend.cleaner.rules.names import variants_by_spelling
from mtmend.corpus.errors import InputError
from mtmend.corpus.model import Edit
from mtmend.corpus.textio import utf8_lines

CHUNK_LINES = 1000
MAX_LINE_BYTES = 1 << 20  # 1 MiB: a "line" longer than this is not text for a post-editor


@dataclass(frozen=True, slots=True)
class ParaState:
    """Where the stream stands: was the last line blank, the current paragraph's first line.

    ``para_source`` is that line's Chinese column (TSV); ``fence`` the marker of the
    fenced code block the stream is inside (text), or ``None``.
    """

    blank_before: bool = True
    para_first: str | None = None
    para_single: bool = True
    para_source: str = ""
    fence: str | None = None
    indented: bool = False  # the last non-blank line was indented code


@dataclass(frozen=True, slots=True)
class LineEdits:
    """The edits made on one input line; ``offset`` is where the cleaned column starts."""

    line: int
    offset: int
    applied: tuple[Edit, ...]
    suggested: tuple[Edit, ...]


@dataclass(frozen=True, slots=True)
class ChunkResult:
    outputs: list  # per input line: the output line (with its line end), or None if removed
    edits: list  # LineEdits for lines with edits (only when asked for)
    end: ParaState = ParaState()  # the state the chunk really ended in (removed lines left out)


def read_lines(stream: IO[bytes], name: str = "stdin") -> Iterator[str]:
    """Decode a byte stream line by line (UTF-8), each line with its own line end.

    Keeping the ends is what gives every line back as it came: CRLF stays CRLF, a last
    line without a newline stays without one. Raises :class:`InputError` naming the line
    for invalid UTF-8, NUL bytes and lines over :data:`MAX_LINE_BYTES`.
    """
    return utf8_lines(stream, lambda number: f"{name} line {number}", MAX_LINE_BYTES, keep_ends=True)


def split_end(line: str) -> tuple[str, str]:
    """``(text, line end)`` of a line read with its end.

    >>> split_end("a\\r\\n"), split_end("b\\n"), split_end("c")
    (('a', '\\r\\n'), ('b', '\\n'), ('c', ''))
    """
    if line[-1:] == "\n":
        return (line[:-2], "\r\n") if line[-2:-1] == "\r" else (line[:-1], "\n")
    return line, ""


def chunks(lines: Iterable[str], size: int = CHUNK_LINES) -> Iterator[list[str]]:
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Tracker:
    """Where paragraphs start, line by line (blank lines, code); shared by :func:`advance` and
    :func:`clean_chunk`. What the previous paragraph was is ``para``'s."""

    __slots__ = ("blank", "para", "fence", "indented", "tsv")

    def __init__(self, state: ParaState, tsv: bool, para: Paragraphs):
        self.blank, self.fence, self.indented, self.tsv = state.blank_before, state.fence, state.indented, tsv
        self.para = para

    def verbatim(self, text: str) -> bool:
        """True for a line of code (fenced or indented), which passes through untouched."""
        if self.tsv:
            return False
        if self.fence is not None:
            if closes_fence(text, self.fence):
                self.fence = None
            self._other(text)
            return True
        marker = fence_marker(text)
        if marker is not None:
            self.fence = marker
            self._other(text)
            return True
        if (self.blank or self.indented) and is_indented_code(text):
            self._other(text)
            self.indented = True
            return True
        self.indented = False
        return False

    def _other(self, text: str) -> None:
        # Code is a paragraph of its own: no question before it, no repeat of it.
        self.para.forget()
        self.blank = False

    def state(self) -> ParaState:
        para = self.para
        return ParaState(self.blank, para.first, para.single, para.source, self.fence, self.indented)


def advance(state: ParaState, lines: list[str], tsv: bool) -> ParaState:
    """The paragraph state after ``lines`` if the filter keeps every line (cheap: no cleaning).

    A guess, right unless the filter removes one of the last lines: the exact state is
    :attr:`ChunkResult.end`. Workers clean chunks ahead from this guess, and a chunk whose
    guess turns out wrong is cleaned again (:func:`mtmend.cleaner.batch.in_order`).
    """
    track = _Tracker(state, tsv, Paragraphs(state.para_first, state.para_single, state.para_source))
    for line in lines:
        line = split_end(line)[0]
        zh, _, en = line.partition("\t") if tsv else ("", "", line)
        if not en.strip():
            track.blank = True
            continue
        if track.verbatim(en):
            continue
        track.para.see(en, zh, track.blank or tsv)
        track.blank = False
    return track.state()


def _columns(line: str, number: int, tsv: bool, name: str = "stdin") -> tuple[str, str]:
    if not tsv:
        return "", line
    zh, sep, en = line.partition("\t")
    if not sep and line.strip():
        raise InputError(f"{name} line {number}: expected zh<TAB>en (no tab found)")
    if "\t" in en:
        raise InputError(f"{name} line {number}: expected 2 tab-separated columns (zh, en), found more")
    return zh, en


def _names(lines: list[str], rules) -> dict | None:
    """Names rendered several ways in this window of rows (only when the rule runs)."""
    if not any(r.id == "flag_name_variants" for r in rules):
        return None
    rows = (split_end(line)[0].partition("\t") for line in lines)
    return variants_by_spelling((zh, en) for zh, _, en in rows) or None


def clean_chunk(
    lines: list[str], state: ParaState, first_line: int, config: CleanConfig, tsv: bool, want_edits: bool,
    name: str = "stdin",
) -> ChunkResult:
    """Clean one chunk of input lines (text, or ``zh<TAB>en`` rows with ``tsv``).

    A row of a TSV is never removed: what a rule would delete (boilerplate, a duplicate)
    is flagged, or emptied with ``config.empty_removed_rows``. A text line is removed only
    when it is prose: lines of Markdown structure stay, code passes through untouched.

    Call it through :func:`mtmend.cleaner.batch.clean_batch`, which cuts a stream into the
    chunks every front end uses; ``name`` names the stream in error messages.
    """
    rules = config.rules()
    vocabulary = Vocabulary(lines)
    names = _names(lines, rules) if tsv and want_edits else None
    base = Context(config, None, config.glossary, vocabulary=vocabulary)
    keep = Context(config, None, config.glossary, vocabulary=vocabulary, removable=False)
    outputs: list[str | None] = []
    edits: list[LineEdits] = []
    track = _Tracker(state, tsv, Paragraphs(state.para_first, state.para_single, state.para_source, config, rules, vocabulary))
    para = track.para
    for index, raw in enumerate(lines):
        line, end = split_end(raw)
        zh, en = _columns(line, first_line + index, tsv, name)
        if not en.strip():
            outputs.append(raw)
            track.blank = True
            continue
        if track.verbatim(en):
            outputs.append(raw)
            continue
        blank, mark = track.blank, para.mark()
        structure = not tsv and is_structure(en)
        removable = config.empty_removed_rows if tsv else not structure
        starts = blank or tsv
        ctx, previous = para.line(en, zh, starts, base if removable else keep, structure)
        if starts and (zh or ctx.after_question or ctx.repeats_previous):
            ctx = replace(ctx, source=zh or None, names=names)
        track.blank = False
        result: CleanResult = clean_text(
            en, source=zh or None, config=config, rules=rules, context=ctx, suggest=want_edits
        )
        if starts:
            result = para.settle(en, previous, result, ctx, want_edits)
        if result.text == en:
            outputs.append(raw)
        elif not result.text and not tsv:
            outputs.append(None)
            # The next line follows what came before the removed one, as it will in the output.
            track.blank = blank
            para.back(mark)
        else:
            outputs.append((f"{zh}\t{result.text}" if tsv else result.text) + end)
        if want_edits and (result.applied or result.suggested):
            edits.append(LineEdits(first_line + index, len(zh) + 1 if tsv else 0, result.applied, result.suggested))
    return ChunkResult(outputs, edits, track.state())


# ---------------------------------------------------------------- writing
def input_span(start: int, end: int, earlier: Iterable[Edit]) -> tuple[int, int]:
    """Map a span of the text after ``earlier`` edits back to the text before them."""
    for e in reversed(list(earlier)):
        grown = len(e.after) - len(e.before)
        made_end = e.start + len(e.after)
        start = start - grown if start >= made_end else (e.start if start > e.start else start)
        end = end - grown if end >= made_end else (e.end if end > e.start else end)
    return start, end


def annotation_records(item: LineEdits) -> Iterator[dict]:
    """JSON-able records for ``--annotations``: offsets are in the input line."""
    for k, edit in enumerate(item.applied):
        start, end = input_span(edit.start, edit.end, item.applied[:k])
        yield _record(item, edit, start, end, True)
    for edit in item.suggested:
        start, end = input_span(edit.start, edit.end, item.applied)
        yield _record(item, edit, start, end, False)


def _record(item: LineEdits, edit: Edit, start: int, end: int, applied: bool) -> dict:
    return {
        "line": item.line, "start": start + item.offset, "end": end + item.offset, "rule": edit.author,
        "category": edit.category, "severity": str(edit.severity), "before": edit.before,
        "after": edit.after if applied else None, "applied": applied,
        "suggestion": None if applied else edit.after, "flag": edit.after is None, "note": edit.note,
    }


class LineWriter:
    """Writes cleaned lines (each with its own line end); a removed paragraph also takes its blank separator along.

    Blank lines are held back until the next kept line, so a removed line at the start or
    the end of the input leaves no stray blank lines. In diff mode it writes a unified
    diff of the changes instead of the text. Call :meth:`finish` at the end.
    """

    def __init__(self, out: IO[str], diff: bool = False, label: str = "stdin"):
        self.out, self.diff, self.label = out, diff, label
        self.in_no = self.out_no = 0
        self.pending: list[tuple[int, str]] = []  # held-back blank lines (input number, text)
        self.wrote_text = False
        self.drop_blanks = False  # after a removed paragraph: its following blank lines go too
        self.header_done = False

    def write_chunk(self, inputs: list[str], outputs: list) -> None:
        parts: list[str] = []
        for before, after in zip(inputs, outputs, strict=True):
            self.in_no += 1
            if after is None:
                if self.diff:
                    parts.append(self._hunk(self.in_no, before, None))
                self.drop_blanks = not self.wrote_text or bool(self.pending)
                continue
            if not after.strip():
                if self.drop_blanks:
                    if self.diff:
                        parts.append(self._hunk(self.in_no, before, None))
                else:
                    self.pending.append((self.in_no, after))
                continue
            self._flush(parts)
            self.drop_blanks = False
            self.wrote_text = True
            self.out_no += 1
            if self.diff:
                if after != before:
                    parts.append(self._hunk(self.in_no, before, after))
            else:
                parts.append(after)
        if parts:
            self.out.write("".join(parts))

    def finish(self) -> None:
        """End of input: blank lines left after a removed last paragraph are dropped."""
        parts: list[str] = []
        if self.drop_blanks:
            if self.diff:
                parts.extend(self._hunk(n, text, None) for n, text in self.pending)
            self.pending = []
        self._flush(parts)
        if parts:
            self.out.write("".join(parts))

    def _flush(self, parts: list[str]) -> None:
        for _, text in self.pending:
            self.out_no += 1
            if not self.diff:
                parts.append(text)
        self.pending = []

    def _hunk(self, number: int, before: str, after: str | None) -> str:
        before = split_end(before)[0]
        after = None if after is None else split_end(after)[0]
        head = ""
        if not self.header_done:
            head = f"--- {self.label}\n+++ {self.label} (cleaned)\n"
            self.header_done = True
        if after is None:
            return f"{head}@@ -{number},1 +{self.out_no},0 @@\n-{before}\n"
        return f"{head}@@ -{number},1 +{self.out_no},1 @@\n-{before}\n+{after}\n"
