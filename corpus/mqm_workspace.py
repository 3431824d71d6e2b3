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

Scoring: in imported documents each rater is a rater, as in the file; elsewhere all
annotations of a segment (rules and reviewers) form one rating, since they are one
evaluation of the same text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from mtmend.corpus import mqm
from mtmend.corpus.errors import ConflictError, InputError
from mtmend.corpus.edits import find_span
from mtmend.corpus.importer import fingerprint
from mtmend.corpus.model import AuthorKind, Edit, EditState, Severity
from mtmend.corpus.store import MqmDocument, MqmFileRow, NewSegment, Workspace

WORKSPACE_SYSTEM = "mt"  # the "system" column for documents not imported from an MQM file
_SEVERITY = {"No-error": Severity.NEUTRAL, "Trivial": Severity.MINOR}


@dataclass(frozen=True, slots=True)
class MqmImportResult:
    added: int  # documents
    unchanged: int
    segments: int
    annotations: int
    dropped: int  # HOTW-test rows left out


def _edit(row: mqm.MqmRow) -> Edit:
    """The annotation an MQM row becomes (a flag), with what the model cannot hold in ``note``."""
    extra: dict = {}
    span, side = mqm._span(row.target, "target"), "target"
    source_span = mqm._span(row.source, "source")
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


def _segments_of(rows: Sequence[mqm.MqmRow], name: str) -> dict[tuple, dict[str, tuple]]:
    """Documents → segments (doc_seg_id → source, mt, global id), checking rows agree."""
    docs: dict[tuple, dict[str, tuple]] = {}
    for row in rows:
        segs = docs.setdefault((row.system, row.doc), {})
        seg = (mqm.plain(row.source), mqm.plain(row.target), row.global_seg_id, row.line)
        old = segs.setdefault(row.doc_seg_id, seg)
        if old[:3] != seg[:3]:
            raise InputError(
                f"{name}:{row.line}: segment {row.doc_seg_id} of {row.system}/{row.doc} has a different "
                f"source, target or id than on line {old[3]}; one segment must have one text"
            )
    return docs


def import_tsv(ws: Workspace, path: Path | str, *, force: bool = False) -> MqmImportResult:
    """Import an MQM file into the workspace as documents, segments and flag annotations."""
    from mtmend.corpus import progress

    table = mqm.read_tsv(path)
    docs = _segments_of(table.rows, str(path))
    header = "\t".join(table.header) if table.header else ""
    lines: dict[tuple, list[str]] = {}
    for row in table.rows:
        lines.setdefault((row.system, row.doc), []).append("\t".join(row.fields()))
    added = unchanged = n_ann = 0
    with ws.transaction():
        pass_id = ws.begin_pass("mqm-import", f"mqm import {path}")
        seg_ids: dict[tuple, int] = {}
        for (system, doc), segs in docs.items():
            name, digest = f"{system}/{doc}", fingerprint(header, *lines[(system, doc)])
            existing = ws.find_document(name)
            if existing is not None and existing.fingerprint == digest:
                unchanged += 1
                continue
            if existing is not None:
                if not force:
                    raise ConflictError(
                        f"document {name!r} already exists with other ratings: use --force to replace it"
                    )
                ws.delete_document(existing.id)
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
        summary = {"file": str(path), "documents_added": added, "documents_unchanged": unchanged,
                   "annotations": n_ann, "hotw_rows_dropped": table.dropped}
        progress.finish_pass(ws, pass_id, summary)
    return MqmImportResult(added, unchanged, sum(len(s) for s in docs.values()), n_ann, table.dropped)


# ----------------------------------------------------------------------- export
def _extra(note: str) -> dict:
    if note.startswith('{"mqm"'):
        try:
            return json.loads(note)["mqm"]
        except (ValueError, KeyError):
            return {}
    return {}


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
            extra = _extra(r.note)
            meta = extra.get("metadata", "{}" if width10 else None)
            rows.append(mqm.MqmRow(
                r.system, r.doc, r.doc_seg_id, r.global_seg_id, r.author,
                _marked(r.source, r, extra, "source"), _marked(r.mt, r, extra, "target"),
                r.category, extra.get("severity", r.severity), meta,
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
            for ann in anns:
                e = ann.edit
                span = find_span(seg.mt, e.start, e.end, e.before)
                target = mqm.mark(seg.mt, *span) if span and e.before else seg.mt
                meta = json.dumps({"state": ann.state.value, "author_kind": e.author_kind.value,
                                   "correction": e.after, "note": e.note}, ensure_ascii=False)
                yield mqm.MqmRow(*base, e.author, seg.source, target, e.category, e.severity.value,
                                 meta if width10 else None)


# ---------------------------------------------------------------------- scoring
def workspace_scores(
    ws: Workspace, documents: Sequence, weights: mqm.Profile, *, by: str = "document", remaining: bool = False
) -> list[mqm.MqmScore]:
    """MQM per document (or per system) from the workspace's annotations.

    Counts applied and open annotations and errors flagged then fixed (RESOLVED flags) —
    every error found in the raw MT — or, with ``remaining``, only those still in the
    current target (open suggestions and live flags). Rejected, reverted and otherwise
    resolved annotations never count.
    """
    if by not in ("document", "system"):
        raise InputError(f"cannot score the workspace by {by!r} (choose document or system)")
    ids = [d.id for d in documents]
    if not ids:
        return []
    systems = {doc_id: d.system for doc_id, d in ws.mqm_documents(ids).items()}
    names = {d.id: d.name for d in documents}

    def group(doc_id: int) -> str:
        return names[doc_id] if by == "document" else systems.get(doc_id, WORKSPACE_SYSTEM)

    # Streamed from the cursor: a million segments never sit in a list.
    units = (
        (group(doc_id), seg_id, len(mt.split()))
        for seg_id, doc_id, mt in ws.segment_mts(ids)
    )
    ratings = (
        (None, seg_id, author if doc_id in systems else "", weights.weight(_extra(note).get("severity", sev), cat))
        for seg_id, doc_id, author, cat, sev, note, state, after in ws.rating_rows(ids)
        if not (remaining and (state == "resolved" or (state == "applied" and after is not None)))
    )
    return mqm.aggregate(ratings, units)
