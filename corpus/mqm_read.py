"""Reading an MQM file (Google's MQM data / Marot TSV; see :mod:`mtmend.corpus.mqm`).

One reader, :class:`MqmReader`, streams the rows and checks them as they come (header,
column count, severity, span markup, one text per segment); errors name the line and
column. ``mqm score`` and ``mqm import`` both read through it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from mtmend.corpus.errors import InputError
from mtmend.corpus.mqm import HOTW, ID_COLUMNS, METADATA, SEVERITIES, MqmRow, MqmTable, default_header
from mtmend.corpus.mqm_text import plain, respan, squeeze
from mtmend.corpus.mqm_text import span as _span
from mtmend.corpus.textio import iter_lines


def _check_header(cols: list[str], name: str) -> int:
    """The number of data columns the header announces (9 or 10); trailing ``#`` cells are comments.

    Google publishes its files with a last header cell such as ``# Documentation: …``.
    """
    while cols and cols[-1].lstrip().startswith("#"):
        cols = cols[:-1]
    lower = [c.strip().lower() for c in cols]
    id_pair = next((ids for ids in ID_COLUMNS if [i.lower() for i in ids] == lower[2:4]), ID_COLUMNS[0])
    expected = ["system", "doc", *(i.lower() for i in id_pair), "rater", "source", "target", "category", "severity"]
    missing = [e for e in expected if e not in lower]
    wrong = next((i for i, e in enumerate(expected) if i >= len(lower) or lower[i] != e), None)
    if missing or wrong is not None or len(lower) > 10 or (len(lower) == 10 and lower[9] != METADATA):
        what = f"missing column(s) {', '.join(missing)}" if missing else f"unexpected columns {cols!r}"
        raise InputError(
            f"{name}:1: {what}; expected the header 'system doc doc_id seg_id rater source target "
            "category severity' (or docSegId globalSegId for the ids) with an optional metadata column "
            "(further header cells must be comments starting with #)"
        )
    return len(lower)


class MqmReader:
    """The rows of an MQM file, parsed as they are read (a million rows never sit in memory).

    Iterate once; afterwards ``header`` is the header as written (None if there was
    none), ``dropped`` counts the HOTW-test rows left out and ``normalised`` the rows
    whose source or target differed from the segment's first row only in whitespace
    (a rater marking a space with ``<v> </v>``): they are re-marked on the first row's
    text (:func:`mqm_text.respan`). A segment whose rows disagree otherwise, or whose
    ``globalSegId`` changes, is refused: one segment has one text. Errors name the line
    and column. ``mqm score`` and ``mqm import`` both read through this class.
    """

    def __init__(self, lines: Iterable[str], name: str = "<mqm>"):
        self.name = name
        self.header: tuple[str, ...] | None = None
        self.dropped = 0
        self.normalised = 0
        self._lines = lines
        # segment → (source, target, global id, line) of its first row: memory per segment
        self._texts: dict[tuple[str, str, str], tuple[str, str, str, int]] = {}

    def __iter__(self) -> Iterator[MqmRow]:
        name = self.name
        reader = csv.reader(self._lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        rated = False
        width = 0
        for cols in _checked_rows(reader, name):
            line = reader.line_num
            if line == 1 and cols:
                cols[0] = cols[0].lstrip("\ufeff")
            if not cols or cols == [""]:
                continue
            if self.header is None and not rated and not self.dropped and "\t".join(cols[:2]).lower() == "system\tdoc":
                width = _check_header(cols, name)
                self.header = tuple(cols)
                continue
            expected = width or (10 if len(cols) == 10 else 9)
            if len(cols) != expected:
                names = default_header(expected == 10)
                detail = f"column {len(cols) + 1} ({names[len(cols)]}) is missing" if len(cols) < expected else "too many columns"
                raise InputError(f"{name}:{line}: expected {expected} tab-separated columns, found {len(cols)}: {detail}")
            severity = _check_severity(cols[8], name, line)
            if severity == HOTW:
                self.dropped += 1
                continue
            for col, label in ((5, "source"), (6, "target")):
                _span(cols[col], f"{name}:{line}, column {col + 1} ({label})")
            rated = True
            row = MqmRow(*cols[:8], severity=cols[8], metadata=cols[9] if expected == 10 else None, line=line)
            yield self._one_text(row)
        if not rated:
            raise InputError(f"{name}: no MQM ratings (expected tab-separated rows after the header)")

    def _one_text(self, row: MqmRow) -> MqmRow:
        """The row with the segment's one text (see the class docstring)."""
        source, target = plain(row.source), plain(row.target)
        first = self._texts.setdefault(row.segment_key, (source, target, row.global_seg_id, row.line))
        if first[:3] == (source, target, row.global_seg_id):
            return row
        if first[2] == row.global_seg_id and squeeze(first[0]) == squeeze(source) and squeeze(first[1]) == squeeze(target):
            self.normalised += 1
            return replace(row, source=respan(row.source, first[0]), target=respan(row.target, first[1]),
                           written=(row.source, row.target))
        raise InputError(
            f"{self.name}:{row.line}: segment {row.doc_seg_id} of {row.system}/{row.doc} has a different "
            f"source, target or globalSegId than on line {first[3]}; one segment must have one text"
        )


# The csv module refuses fields over 128 KiB with a traceback-worthy csv.Error; a segment of a
# long document can be longer, so allow up to the line limit and name the line beyond it.
MAX_FIELD_CHARS = 16 * 1024 * 1024


def _checked_rows(reader, name: str) -> Iterator[list[str]]:
    if csv.field_size_limit() < MAX_FIELD_CHARS:
        csv.field_size_limit(MAX_FIELD_CHARS)
    while True:
        try:
            cols = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(f"{name}:{reader.line_num}: unreadable row ({exc}); fields may hold at most "
                             f"{MAX_FIELD_CHARS:,} characters") from None
        yield cols


def parse_tsv(text: str, name: str = "<mqm>") -> MqmTable:
    """Parse MQM TSV text; errors name the line and column. ``HOTW-test`` rows are dropped."""
    reader = MqmReader(io.StringIO(text), name)
    rows = tuple(reader)
    return MqmTable(reader.header, rows, reader.dropped, reader.normalised)


def read_tsv(path: Path | str) -> MqmTable:
    """All rows of an MQM file, read through the same :class:`MqmReader` as ``open_tsv``."""
    reader = open_tsv(path)
    rows = tuple(reader)
    return MqmTable(reader.header, rows, reader.dropped, reader.normalised)


def open_tsv(path: Path | str) -> MqmReader:
    """An MQM file's rows, streamed from disk (see :class:`MqmReader`)."""
    return MqmReader(iter_lines(path), str(path))


def _check_severity(text: str, name: str, line: int) -> str:
    for known in SEVERITIES:
        if text.strip().lower() == known.lower():
            return known
    raise InputError(
        f"{name}:{line}, column 9 (severity): unknown severity {text!r} (expected one of {', '.join(SEVERITIES)})"
    )
