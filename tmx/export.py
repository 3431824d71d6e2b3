"""Workspace → TMX: which segments become which units, and what each unit carries.

**Clean** TMX (for CAT tools) carries source, current target, and three props:
``x-mtmend-document``, ``x-mtmend-position``, ``x-mtmend-status``. **Full** TMX (a
lossless archive) adds ``x-mtmend-para``, ``x-mtmend-sep``, ``x-mtmend-bead``,
``x-mtmend-mt`` (the raw machine translation), ``x-mtmend-reference`` and one
``x-mtmend-annotation`` prop per annotation (JSON, in ``seq`` order); the header carries
one ``x-mtmend-document-info`` prop per document. Every type is ``x-``-prefixed and
namespaced, so none collides with what CAT tools use (OmegaT reserves ``file``, ``id``,
``prev``, ``next``, ``path``). The target ``tuv``'s ``creationid``/``changeid`` are the
authors of its first and last applied edit, ``changedate`` the time of the last.

**Empty sides.** A CAT tool applies an empty target as an empty translation, so a clean
export skips segments with an empty (or blank) side and counts them. A full export keeps
them as one-sided units (a ``tu`` with only the side that exists, never an empty
``seg``; one with only its English says ``srclang`` = the target language, so the file
validates), so an archive restores every segment.

**Forbidden characters.** Each character XML 1.0 forbids is reported with its document,
segment and field; by default the export is refused, with ``InvalidChars.REPLACE`` it is
written as U+FFFD and reported.

**Segmentation strategy for CAT tools (OmegaT).** A CAT tool applies a unit only when its
source equals one of the tool's own source segments. mtmend's segments are alignment
beads: mostly one Chinese sentence, but some join two sentences, and mtmend splits
Chinese more finely than OmegaT's default rules (after ``；`` and after ``。”``, where
OmegaT does not). Rather than re-splitting beads by guesswork (there is no reliable point
at which to cut the English of a 2:1 bead), ``Segtype.PARAGRAPH`` exports one unit per
*paragraph of the article* — its beads' sources joined as written, its targets joined
with their original separators, line breaks inside the paragraph restored on both sides
(a line break ends a sentence, so a bead whose English spans k line breaks and whose
Chinese has k+1 sentences breaks between them) — and says ``segtype="paragraph"`` in the
header, which is the truth. A CAT project that segments by paragraph (OmegaT: sentence
segmentation off; its text filter's default makes a blank-line block a paragraph) then
matches every unit exactly; with sentence segmentation on, OmegaT re-splits paragraph
units itself where both sides have the same number of sentences. ``Segtype.SENTENCE``
(one unit per bead) is the default and the only granularity a full archive uses.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from mtmend.corpus.errors import InputError
from mtmend.corpus.model import Annotation, Document, EditState, Pass, Segment, Status
from mtmend.corpus.store import ReviewLogEntry, Workspace, now
from mtmend.corpus.version import mtmend_version
from mtmend.corpus.outfile import open_output
from mtmend.tmx.model import (
    BadChar,
    ExportMode,
    ExportReport,
    ExportSettings,
    Header,
    InvalidChars,
    Prop,
    Segtype,
    Unit,
    Variant,
)
from mtmend.tmx.writer import tmx_date, write_tmx
from mtmend.tmx.xmltext import forbidden_chars, has_forbidden, replace_forbidden

P = "x-mtmend-"
DOCUMENT, POSITION, STATUS, SEGMENTS = P + "document", P + "position", P + "status", P + "segments"
PARA, SEP, BEAD, MT, REFERENCE, ANNOTATION = P + "para", P + "sep", P + "bead", P + "mt", P + "reference", P + "annotation"
DOCUMENT_INFO = P + "document-info"
PART = P + "part"  # on a sentence unit that is not exactly one whole segment (see tmx.sentences)
PASS, REVIEW = P + "pass", P + "review"  # header props of a full archive: the history a restore needs
_STATUS_ORDER = {Status.RAW: 0, Status.AUTO_FIXED: 1, Status.REVIEWED: 2}


@dataclass(slots=True)
class _Counter:
    """Mutable tallies while units stream out (never crosses a layer)."""

    skipped_empty: int = 0


def annotation_json(ann: Annotation) -> str:
    """One annotation as the compact JSON stored in an ``x-mtmend-annotation`` prop."""
    e = ann.edit
    return json.dumps(
        {
            "seq": ann.seq, "pass": ann.pass_id, "state": ann.state.value, "created": ann.created,
            "comment": ann.comment,
            "start": e.start, "end": e.end, "before": e.before, "after": e.after,
            "author": e.author, "author_kind": e.author_kind.value, "category": e.category,
            "severity": e.severity.value, "auto": e.auto, "note": e.note,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def document_info_json(doc: Document) -> str:
    return json.dumps(
        {"name": doc.name, "source_lang": doc.source_lang, "target_lang": doc.target_lang,
         "created": doc.created, "fingerprint": doc.fingerprint},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def pass_json(p: Pass) -> str:
    return json.dumps(
        {"id": p.id, "kind": p.kind, "started": p.started, "finished": p.finished, "detail": p.detail,
         "summary": p.summary},
        ensure_ascii=False, separators=(",", ":"), sort_keys=True,
    )


def review_json(entry: ReviewLogEntry, document: str, position: int) -> str:
    """A review decision without its undo recipe (workspace-local ids; see the README)."""
    return json.dumps(
        {"document": document, "position": position, "pass": entry.pass_id, "action": entry.action,
         "reviewer": entry.reviewer, "created": entry.created, "undone": entry.undone},
        ensure_ascii=False, separators=(",", ":"),
    )


def _history_props(ws: Workspace, docs: Sequence[Document], maker: _Units) -> Iterator[Prop]:
    """Passes (with their snapshots) and review decisions, for a full archive's header."""
    for p in ws.passes():
        yield Prop(PASS, maker.text(pass_json(p), "", -1, "pass"))
    for doc in docs:
        positions = {s.id: s.position for s in ws.segments(doc.id)}
        for entry in ws.review_entries(doc.id):
            yield Prop(REVIEW, maker.text(review_json(entry, doc.name, positions[entry.segment_id]), doc.name, -1,
                                          "review"))


def with_annotations(segments: Iterable[Segment], annotations: Iterable[Annotation]) -> Iterator[tuple[Segment, list[Annotation]]]:
    """Pair each segment with its annotations; both streams in the same segment order."""
    pending = iter(annotations)
    nxt = next(pending, None)
    for seg in segments:
        mine: list[Annotation] = []
        while nxt is not None and nxt.segment_id == seg.id:
            mine.append(nxt)
            nxt = next(pending, None)
        yield seg, mine


class _Units:
    """Turns (document, segment, annotations) into units, checking every string."""

    def __init__(self, settings: ExportSettings):
        self.settings = settings
        self.bad: list[BadChar] = []
        self.counter = _Counter()

    def text(self, value: str, doc: str, position: int, field: str) -> str:
        found = forbidden_chars(value)
        if not found:
            return value
        self.bad.extend(BadChar(doc, position, field, offset, ch) for offset, ch in found)
        return replace_forbidden(value)

    def sentence_units(self, doc: Document, pairs: Iterable[tuple[Segment, list[Annotation]]]) -> Iterator[Unit]:
        full = self.settings.mode is ExportMode.FULL
        src_lang, tgt_lang = self.settings.source_lang, self.settings.target_lang
        name = doc.name
        # Props with the same value on many units are built once (the writer then skips
        # re-setting them), and a clean unit with nothing to report takes one short path.
        document = None if has_forbidden(name) else Prop(DOCUMENT, name)
        statuses = {s: Prop(STATUS, s.value) for s in Status}
        for seg, anns in pairs:
            pos = seg.position
            source, target = seg.source, seg.target
            has_source, has_target = bool(source.strip()), bool(target.strip())
            if not (has_source and has_target) and not full:
                self.counter.skipped_empty += 1
                continue
            if not (full or anns or document is None or has_forbidden(source) or has_forbidden(target)):
                yield Unit((Variant(src_lang, source), Variant(tgt_lang, target)),
                           (document, Prop(POSITION, str(pos)), statuses[seg.status]), (), f"{name}:{pos}")
                continue
            shown = name if document else self.text(name, name, pos, "document")  # the tuid carries it too
            props = [document or Prop(DOCUMENT, shown), Prop(POSITION, str(pos)), statuses[seg.status]]
            if full:
                props.append(Prop(PARA, str(seg.para)))
                if seg.sep:
                    props.append(Prop(SEP, self.text(seg.sep, name, pos, "sep")))
                if seg.bead is not None:
                    props.append(Prop(BEAD, str(seg.bead)))
                props.append(Prop(MT, self.text(seg.mt, name, pos, "mt")))
                if seg.reference is not None:
                    props.append(Prop(REFERENCE, self.text(seg.reference, name, pos, "reference")))
                props.extend(Prop(ANNOTATION, self.text(annotation_json(a), name, pos, "annotation")) for a in anns)
            variants = []
            if has_source or seg.source:
                variants.append(Variant(src_lang, self.text(seg.source, name, pos, "source")))
            if has_target or (full and seg.target):
                variants.append(self._target(seg.target, anns, name, pos))
            if not variants:  # nothing on either side: nothing to archive
                self.counter.skipped_empty += 1
                continue
            # A unit with only its English has that as its source language (TMX: tu srclang).
            srclang = None if len(variants) > 1 or variants[0].lang == src_lang else variants[0].lang
            yield Unit(tuple(variants), tuple(props), tuid=f"{shown}:{pos}", srclang=srclang)

    def cat_units(self, doc: Document, pairs: Iterable[tuple[Segment, list[Annotation]]]) -> Iterator[Unit]:
        """Clean sentence units as a sentence-segmenting CAT tool sees them (:mod:`mtmend.tmx.sentences`)."""
        from mtmend.tmx.sentences import cat_units

        for group in _paragraphs(pairs):
            anns = {seg.id: mine for seg, mine in group}
            self.counter.skipped_empty += sum(1 for seg, _ in group if not (seg.source.strip() and seg.target.strip()))
            derived = 0
            for unit in cat_units([seg for seg, _ in group]):
                if unit.whole:
                    seg = unit.segments[0]
                    yield from self.sentence_units(doc, [(seg, anns[seg.id])])
                    continue
                derived += 1
                yield self._derived(doc, unit, [a for s in unit.segments for a in anns[s.id]], derived)

    def _derived(self, doc: Document, unit, anns: list[Annotation], k: int) -> Unit:
        name, first = doc.name, unit.segments[0].position
        shown = self.text(name, name, first, "document")
        status = min((seg.status for seg in unit.segments), key=_STATUS_ORDER.__getitem__)
        props = [Prop(DOCUMENT, shown), Prop(POSITION, str(first)), Prop(PART, str(k))]
        if len(unit.segments) > 1:
            props.append(Prop(SEGMENTS, str(len(unit.segments))))
        props.append(Prop(STATUS, status.value))
        variants = (Variant(self.settings.source_lang, self.text(unit.source, name, first, "source")),
                    self._target(unit.target, anns, name, first))
        return Unit(variants, tuple(props), tuid=f"{shown}:{first}#{k}")

    def paragraph_units(self, doc: Document, pairs: Iterable[tuple[Segment, list[Annotation]]]) -> Iterator[Unit]:
        """One unit per paragraph of the article, its line breaks restored on both sides."""
        for group in _paragraphs(pairs):
            yield from self._paragraph(doc, group)

    def _paragraph(self, doc: Document, group: Sequence[tuple[Segment, list[Annotation]]]) -> Iterator[Unit]:
        name, first = doc.name, group[0][0].position
        source = target = ""
        for index, (seg, _) in enumerate(group):
            if index and "\n" in seg.sep:
                source += "\n"
            source += _source_lines(seg)
            if seg.target:
                target = seg.target if not target else target + seg.sep + seg.target
        if not source.strip() or not target.strip():
            self.counter.skipped_empty += 1
            return
        status = min((seg.status for seg, _ in group), key=_STATUS_ORDER.__getitem__)
        shown = self.text(name, name, first, "document")
        props = (Prop(DOCUMENT, shown), Prop(POSITION, str(first)),
                 Prop(SEGMENTS, str(len(group))), Prop(STATUS, status.value))
        anns = [a for _, mine in group for a in mine]
        variants = (Variant(self.settings.source_lang, self.text(source, name, first, "source")),
                    self._target(target, anns, name, first))
        yield Unit(variants, props, tuid=f"{shown}:{first}")

    def _target(self, text: str, anns: list[Annotation], doc: str, pos: int) -> Variant:
        applied = [a for a in anns if a.state is EditState.APPLIED and a.edit.after is not None]
        if not applied:
            return Variant(self.settings.target_lang, self.text(text, doc, pos, "target"))
        return Variant(
            self.settings.target_lang,
            self.text(text, doc, pos, "target"),
            creationid=self.text(applied[0].edit.author, doc, pos, "author"),
            changeid=self.text(applied[-1].edit.author, doc, pos, "author"),
            changedate=tmx_date(applied[-1].created),
        )


def _paragraphs(pairs: Iterable[tuple[Segment, list[Annotation]]]) -> Iterator[list[tuple[Segment, list[Annotation]]]]:
    group: list[tuple[Segment, list[Annotation]]] = []
    for seg, anns in pairs:
        if group and seg.para != group[-1][0].para:
            yield group
            group = []
        group.append((seg, anns))
    if group:
        yield group


def _source_lines(seg: Segment) -> str:
    """The Chinese of a segment with the line breaks its English has inside.

    A line break ends a sentence on both sides, so when the English of a bead holds k
    line breaks and its Chinese exactly k+1 sentences, the Chinese breaks between them.
    Any other count is ambiguous and the Chinese is left as stored.
    """
    breaks = seg.target.count("\n")
    if not breaks:
        return seg.source
    from mtmend.corpus.split import split_zh

    sentences = split_zh(seg.source)
    if len(sentences) != breaks + 1 or "".join(sentences) != seg.source:
        return seg.source
    return "\n".join(sentences)


def export_tmx(
    ws: Workspace,
    out: BinaryIO,
    settings: ExportSettings,
    documents: Sequence[Document] | None = None,
    statuses: Iterable[Status] | None = None,
) -> ExportReport:
    """Write the workspace (or ``documents``) to ``out`` as TMX; return what was written.

    ``statuses`` keeps only segments in those states. When XML-forbidden characters are
    found and ``settings.invalid_chars`` is REFUSE, raises :class:`InputError` listing
    them *after* writing: ``out`` must then be discarded (:func:`export_tmx_to_path`
    does that, so a refused export never leaves a file behind).
    """
    if settings.mode is ExportMode.FULL and settings.segtype is Segtype.PARAGRAPH:
        raise InputError("a full TMX is a lossless archive of sentence units: use --segtype sentence with --full")
    docs = list(ws.documents() if documents is None else documents)
    wanted = None if statuses is None else set(statuses)
    maker = _Units(settings)
    header = _header(ws, docs, settings, maker)

    def units() -> Iterator[Unit]:
        for doc in docs:
            pairs = with_annotations(_numbered(ws.segments(doc.id)), ws.document_annotations(doc.id))
            if wanted is not None:
                pairs = ((s, a) for s, a in pairs if s.status in wanted)
            if settings.segtype is Segtype.PARAGRAPH:
                yield from maker.paragraph_units(doc, pairs)
            elif settings.mode is ExportMode.CLEAN:
                yield from maker.cat_units(doc, pairs)
            else:
                yield from maker.sentence_units(doc, pairs)

    try:
        count = write_tmx(out, header, units(), encoding=settings.encoding)
    except ValueError as exc:
        raise InputError(f"cannot write TMX: {exc}") from exc
    if maker.bad and settings.invalid_chars is InvalidChars.REFUSE:
        listed = "; ".join(str(b) for b in maker.bad[:10])
        more = f" and {len(maker.bad) - 10} more" if len(maker.bad) > 10 else ""
        raise InputError(
            f"{len(maker.bad)} character(s) that XML 1.0 forbids: {listed}{more}. Nothing was written: "
            "remove them (mtmend clean) or export with --invalid-chars replace (they become U+FFFD)"
        )
    return ExportReport(count, maker.counter.skipped_empty, tuple(maker.bad), tuple(d.name for d in docs))


def _header(ws: Workspace, docs: list[Document], settings: ExportSettings, maker: _Units) -> Header:
    """The TMX header; a full export carries each document's details and the workspace history in it."""
    props: list[Prop] = [Prop(P + "export", settings.mode.value)]
    if settings.mode is ExportMode.FULL:
        props.extend(Prop(DOCUMENT_INFO, maker.text(document_info_json(d), d.name, -1, "document")) for d in docs)
        props.extend(_history_props(ws, docs, maker))
    return Header(
        srclang=settings.source_lang,
        segtype=settings.segtype.value,
        creationtool="mtmend",
        creationtoolversion=mtmend_version(),
        datatype="plaintext",
        adminlang="en-US",
        o_tmf="mtmend",
        creationid=settings.creationid,
        creationdate=tmx_date(now()),
        props=tuple(props),
    )


def export_tmx_to_path(ws: Workspace, path: Path | str, settings: ExportSettings, **filters) -> ExportReport:
    """:func:`export_tmx` into ``path`` atomically: a refused or failed export leaves no file."""
    with open_output(path, binary=True) as out:
        return export_tmx(ws, out, settings, **filters)


def _numbered(segments: Iterable[Segment]) -> Iterator[Segment]:
    """Segments with their place in the document as ``position`` (0, 1, 2…).

    Stored positions become fractional after an alignment repair; the TMX's
    ``x-mtmend-position`` is the segment's number, which TMX import matches on.
    """
    for k, seg in enumerate(segments):
        yield seg if seg.position == k else replace(seg, position=k)
