"""``mtmend clean -``: cleaning a stream of lines, in order, in constant memory.

Input is read line by line (never all at once), cut into chunks of :data:`CHUNK_LINES`
lines, and each chunk is cleaned by :func:`clean_chunk` — through the engine-independent
core in :mod:`mtmend.cleaner.batch`, in this process, in worker processes or on a Dask
cluster — and written back in input order by :class:`LineWriter`. Rules that
need neighbouring paragraphs (Q&A labels, duplicated paragraphs) get them from a small
:class:`ParaState` carried from chunk to chunk; rules that need a vocabulary use the
chunk's own lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from mtmend.cleaner.config import CleanConfig
from mtmend.cleaner.engine import CleanResult, clean_text
from mtmend.cleaner.rule import Context, Vocabulary
from mtmend.cleaner.rules.qa import question_label
from mtmend.corpus.errors import InputError
from mtmend.corpus.model import Edit
from mtmend.corpus.textio import utf8_lines

CHUNK_LINES = 1000
MAX_LINE_BYTES = 1 << 20  # 1 MiB: a "line" longer than this is not text for a post-editor


@dataclass(frozen=True, slots=True)
class ParaState:
    """Where the stream stands: was the last line blank, the current paragraph's first line."""

    blank_before: bool = True
    para_first: str | None = None
    para_single: bool = True


@dataclass(frozen=True, slots=True)
class LineEdits:
    """The edits made on one input line; ``offset`` is where the cleaned column starts."""

    line: int
    offset: int
    applied: tuple[Edit, ...]
    suggested: tuple[Edit, ...]


@dataclass(frozen=True, slots=True)
class ChunkResult:
    outputs: list  # per input line: the output line (without newline), or None if removed
    edits: list  # LineEdits for lines with edits (only when asked for)


def read_lines(stream: IO[bytes], name: str = "stdin") -> Iterator[str]:
    """Decode a byte stream line by line (UTF-8), without line ends.

    Raises :class:`InputError` naming the line for invalid UTF-8, NUL bytes and lines
    over :data:`MAX_LINE_BYTES`. The last line's missing newline is not reported: the
    output always ends lines with a newline.
    """
    return utf8_lines(stream, lambda number: f"{name} line {number}", MAX_LINE_BYTES)


def chunks(lines: Iterable[str], size: int = CHUNK_LINES) -> Iterator[list[str]]:
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def advance(state: ParaState, lines: list[str], tsv: bool) -> ParaState:
    """The paragraph state after ``lines`` (what the next chunk starts from)."""
    blank, first, single = state.blank_before, state.para_first, state.para_single
    for line in lines:
        en = line.partition("\t")[2] if tsv else line
        if not en.strip():
            blank = True
            continue
        if blank or tsv:
            first, single = en, True
        else:
            single = False
        blank = False
    return ParaState(blank, first, single)


def clean_chunk(
    lines: list[str], state: ParaState, first_line: int, config: CleanConfig, tsv: bool, want_edits: bool,
    name: str = "stdin",
) -> ChunkResult:
    """Clean one chunk of input lines (text, or ``zh<TAB>en`` rows with ``tsv``).

    Call it through :func:`mtmend.cleaner.batch.clean_batch`, which cuts a stream into the
    chunks every front end uses; ``name`` names the stream in error messages.
    """
    rules = config.rules()
    vocabulary = Vocabulary(lines)
    base = Context(config, None, config.glossary, vocabulary=vocabulary)
    outputs: list[str | None] = []
    edits: list[LineEdits] = []
    blank, first, single = state.blank_before, state.para_first, state.para_single
    for index, line in enumerate(lines):
        if tsv:
            zh, sep, en = line.partition("\t")
            if not sep and line.strip():
                raise InputError(f"{name} line {first_line + index}: expected zh<TAB>en (no tab found)")
            if "\t" in en:
                raise InputError(f"{name} line {first_line + index}: expected 2 tab-separated columns (zh, en), found more")
        else:
            zh, en = "", line
        if not en.strip():
            outputs.append(line)
            blank = True
            continue
        ctx = base
        if blank or tsv:
            after_question = question_label(first) if first else None
            repeats = single and en == first
            if after_question or repeats or zh:
                ctx = Context(config, zh or None, config.glossary, (), after_question, repeats, vocabulary)
            first, single = en, True
        else:
            single = False
        blank = False
        result: CleanResult = clean_text(
            en, source=zh or None, config=config, rules=rules, context=ctx, suggest=want_edits
        )
        if result.text == en:
            outputs.append(line)
        elif not result.text:
            outputs.append(None)
        else:
            outputs.append(f"{zh}\t{result.text}" if tsv else result.text)
        if want_edits and (result.applied or result.suggested):
            edits.append(LineEdits(first_line + index, len(zh) + 1 if tsv else 0, result.applied, result.suggested))
    return ChunkResult(outputs, edits)


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
    """Writes cleaned lines; a removed paragraph also takes its blank separator along.

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
                parts.append(after + "\n")
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
                parts.append(text + "\n")
        self.pending = []

    def _hunk(self, number: int, before: str, after: str | None) -> str:
        head = ""
        if not self.header_done:
            head = f"--- {self.label}\n+++ {self.label} (cleaned)\n"
            self.header_done = True
        if after is None:
            return f"{head}@@ -{number},1 +{self.out_no},0 @@\n-{before}\n"
        return f"{head}@@ -{number},1 +{self.out_no},1 @@\n-{before}\n+{after}\n"
