"""MQM in the workspace: import an MQM file, write it back, score the annotations.

Representation of an imported file (chosen so ``mqm export`` writes the same file back
and workspace scores equal the file's):

- one document per (system, doc) pair, named ``system/doc``; its segments are the file's
  segments in order of first appearance (``source``/``mt`` without the span markup), and
  the ``mqm_documents``/``mqm_segments`` tables keep the system, doc, the two id columns
  and the header line;
- one annotation per row, in file order: author = rater (``AuthorKind.PERSON``), MQM
  category and severity, state APPLIED with ``after=None`` (a flag: it records an error,
  it changes nothing), span = the ``<v>…</v>`` span in the MT (or in the source, for
  omissions). What the model cannot hold exactly (a ``No-error``/``Trivial`` severity,
  a source-side or unclosed span, the metadata column) is kept in the edit's ``note``
  as JSON under ``"mqm"``.

Scoring the annotations is :mod:`mtmend.corpus.mqm_scoring`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from mtmend.corpus import mqm, mqm_read, mqm_text, progress
from mtmend.corpus.errors import InputError
from mtmend.corpus.edits import find_span
from mtmend.corpus.importer import fingerprint, make_room
from mtmend.corpus.mqm_scoring import WORKSPACE_SYSTEM, mqm_note
from mtmend.corpus.model import AuthorKind, Edit, EditState, Severity
from mtmend.corpus.store import MqmDocument, MqmFileRow, NewSegment, Workspace

_SEVERITY = {"No-error": Severity.NEUTRAL, "Trivial": Severity.MINOR}


@dataclass(frozen=True, slots=True)
class MqmImportResult:
    file: str
    added: int  # documents
    unchanged: int
    segments: int
    annotations: int
    dropped: int  # HOTW-test rows left out
    normalised: int  # rows re-marked on their segment's text (they differed only in whitespace)

    def as_json(self) -> dict:
        """The pass summary stored for this import."""
        return {"file": self.file, "documents_added": self.added, "documents_unchanged": self.unchanged,
                "annotations": self.annotations, "hotw_rows_dropped": self.dropped,
                "whitespace_normalised": self.normalised}


def _edit(row: mqm.MqmRow) -> Edit:
    """The annotation an MQM row becomes (a flag), with what the model cannot hold in ``note``."""
    extra: dict = {}
    span, side = mqm_text.span(row.target, "target"), "target"
    source_span = mqm_text.span(row.source, "source")
    if span is None and source_span is not None:
        span, side = source_span, "source"
        extra["side"] = "source"
    elif source_span is not None:
        extra["source_span"] = list(source_span[1:])
    severity = _SEVERITY.get(row.severity) or Severity.parse(row.severity)
    if row.severity != severity.value:
        extra["severity"] = row.severity
    if row.metadata is not None:
        extra["metadata"] = row.metadata
    if row.written is not None:
        extra["written"] = list(row.written)
    if span is None:
        start = end = 0
        text = ""
    else:
        text, start, end, closed = span
        if not closed:
            extra["closed"] = False
        if start == end:
            extra["empty_span"] = True
    note = json.dumps({"mqm": extra}, ensure_ascii=False) if extra else ""
    return Edit(start, end, text[start:end], None, row.rater, row.category, severity,
                auto=False, note=note, author_kind=AuthorKind.PERSON)


def _segments_of(rows: Sequence[mqm.MqmRow]) -> dict[tuple, dict[str, tuple]]:
    """Documents → segments (doc_seg_id → source, mt, global id); the reader made rows agree."""
    docs: dict[tuple, dict[str, tuple]] = {}
    for row in rows:
        segs = docs.setdefault((row.system, row.doc), {})
        segs.setdefault(row.doc_seg_id, (mqm.plain(row.source), mqm.plain(row.target), row.global_seg_id, row.line))
    return docs


def _other_ratings(ws: Workspace, existing) -> str:
    return f"document {existing.name!r} already exists with other ratings: use --force to replace it"


def import_tsv(ws: Workspace, path: Path | str, *, force: bool = False) -> MqmImportResult:
    """Import an MQM file into the workspace as documents, segments and flag annotations."""
    table = mqm_read.read_tsv(path)
    docs = _segments_of(table.rows)
    header = "\t".join(table.header) if table.header else ""
    lines: dict[tuple, list[str]] = {}
    for row in table.rows:
        lines.setdefault((row.system, row.doc), []).append("\t".join(row.fields()))
    added = unchanged = n_ann = 0
    with ws.transaction():
        pass_id = progress.begin_pass(ws, "mqm-import", f"mqm import {path}")
        seg_ids: dict[tuple, int] = {}
        for (system, doc), segs in docs.items():
            name, digest = f"{system}/{doc}", fingerprint(header, *lines[(system, doc)])
            if make_room(ws, name, digest, force=force, refuse=_other_ratings)[0] == "unchanged":
                unchanged += 1
                continue
            new = [NewSegment(para=0, source=s, mt=t, sep="\n" if i else "") for i, (s, t, _, _) in enumerate(segs.values())]
            document = ws.add_document(name, new, fingerprint=digest)
            keys = [(doc_seg_id, global_id) for doc_seg_id, (_, _, global_id, _) in segs.items()]
            ids = ws.add_mqm_document(MqmDocument(document.id, system, doc, header), keys)
            for seg_id, (doc_seg_id, _) in zip(ids, keys, strict=True):
                seg_ids[(system, doc, doc_seg_id)] = seg_id
            added += 1
        for row in table.rows:
            seg_id = seg_ids.get(row.segment_key)
            if seg_id is not None:
                ws.add_annotation(seg_id, _edit(row), EditState.APPLIED, pass_id=pass_id)
                n_ann += 1
    segments = sum(len(s) for s in docs.values())
    result = MqmImportResult(str(path), added, unchanged, segments, n_ann, table.dropped, table.normalised)
    progress.end_pass(ws, pass_id, result)
    return result


# ----------------------------------------------------------------------- export
def _marked(text: str, r: MqmFileRow, extra: dict, side: str) -> str:
    """``text`` with the row's span marked again, if the row had one on this side."""
    if side == "source" and "source_span" in extra:
        return mqm.mark(text, *extra["source_span"])
    if extra.get("side", "target") != side or not (r.before or extra.get("empty_span")):
        return text
    # Spans of later edits may have moved.
    span = find_span(text, r.start, r.end, r.before)
    return text if span is None else mqm.mark(text, *span, extra.get("closed", True))


def export_rows(ws: Workspace, documents: Sequence) -> tuple[tuple[str, ...] | None, list[mqm.MqmRow]]:
    """The header and rows of an MQM file for ``documents``: applied and open annotations.

    Imported documents come back row for row; other documents become system
    ``mt`` with ``No-error`` rows (rater ``mtmend``) for segments nobody flagged.
    """
    ids = [d.id for d in documents]
    imported = ws.mqm_documents(ids)
    headers = {r.header for r in imported.values()}
    width10 = len(imported) < len(ids) or len(headers) > 1 or any(h.count("\t") == 9 for h in headers)
    header: tuple[str, ...] | None
    if len(imported) == len(ids) and len(headers) == 1:
        only = next(iter(headers))
        header = tuple(only.split("\t")) if only else None
    else:
        header = mqm.default_header(metadata=width10)
    rows: list[mqm.MqmRow] = []
    if imported:
        for r in ws.mqm_file_rows(list(imported)):
            extra = mqm_note(r.note)
            meta = extra.get("metadata", "{}" if width10 else None)
            written = extra.get("written")
            rows.append(mqm.MqmRow(
                r.system, r.doc, r.doc_seg_id, r.global_seg_id, r.author,
                _marked(r.source, r, extra, "source"), _marked(r.mt, r, extra, "target"),
                r.category, extra.get("severity", r.severity), meta,
                written=tuple(written) if isinstance(written, list) and len(written) == 2 else None,
            ))
    others = [d for d in documents if d.id not in imported]
    rows.extend(_workspace_rows(ws, others, width10, start=len(rows)))
    return header, rows


def _workspace_rows(ws: Workspace, documents: Sequence, width10: bool, start: int) -> Iterator[mqm.MqmRow]:
    counter = 0
    for doc in documents:
        for seg in ws.segments(doc.id):
            counter += 1
            anns = ws.annotations(seg.id, [EditState.APPLIED, EditState.SUGGESTED])
            base = (WORKSPACE_SYSTEM, doc.name, str(seg.position + 1), str(counter))
            if not anns:
                meta = "{}" if width10 else None
                yield mqm.MqmRow(*base, "mtmend", seg.source, seg.mt, mqm.NO_ERROR, mqm.NO_ERROR, meta)
                continue
            for k, ann in enumerate(anns):
                e = ann.edit
                span = find_span(seg.mt, e.start, e.end, e.before)
                target = mqm.mark(seg.mt, *span) if span and e.before else seg.mt
                meta = _marot_metadata(ann, seg, first=k == 0)
                yield mqm.MqmRow(*base, e.author, seg.source, target, e.category, e.severity.value,
                                 meta if width10 else None)


def _marot_metadata(ann, seg, first: bool = True) -> str:
    """The row's ``metadata`` JSON: the keys Marot reads, where mtmend has the data, and our own.

    Marot shows ``timestamp`` (ms since the epoch), ``note`` and ``marked_text``, and reads
    segment-level data (references, paragraph starts) under ``segment``, which Google's
    files carry on a segment's first row only; so does this.
    """
    from datetime import datetime

    e = ann.edit
    meta: dict = {"marked_text": e.before}
    try:
        meta["timestamp"] = int(datetime.fromisoformat(ann.created.replace("Z", "+00:00")).timestamp() * 1000)
    except (ValueError, AttributeError):
        pass
    if ann.comment or e.note:
        meta["note"] = ann.comment or e.note
    if first:
        segment: dict = {"starts_paragraph": not seg.sep or "\n" in seg.sep}
        if seg.reference:
            segment["references"] = {"ref": seg.reference}
        meta["segment"] = segment
    meta["mtmend"] = {"state": ann.state.value, "author_kind": e.author_kind.value, "correction": e.after}
    return json.dumps(meta, ensure_ascii=False)
