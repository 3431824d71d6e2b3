"""Alignment repair: regroup the sentences of neighbouring segments into new beads.

Splitting a segment, merging it with the next and moving a sentence to the neighbouring
bead are one operation: the sentences of consecutive segments (Chinese from the source,
English from the raw MT) are regrouped into beads of given sizes. The raw MT is never
rewritten: each new segment's MT is a stretch of the old ones, and each applied edit
moves with the sentence it changed (an edit across a cut refuses the cut), so every new
target is its MT with its edits replayed and the article reads as before. Pure functions;
:meth:`~mtmend.corpus.store.Workspace.replace_segments` records the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mtmend.corpus import edits as edit_ops
from mtmend.corpus.errors import ConflictError, InputError
from mtmend.corpus.model import Bead, Edit, Segment, Status


@dataclass(frozen=True, slots=True)
class Piece:
    """One segment-to-be of a regrouping, with the applied edits it carries."""

    source: str
    mt: str
    target: str
    sep: str
    edits: tuple[Edit, ...]
    bead: Bead | None


def sentence_spans(text: str, splitter) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence ``splitter`` finds in ``text`` (whitespace between is left out)."""
    spans, cursor = [], 0
    for sentence in splitter(text):
        at = text.find(sentence, cursor)
        if at < 0:  # a splitter that normalised spaces: fall back to one sentence
            return [(0, len(text))] if text.strip() else []
        spans.append((at, at + len(sentence)))
        cursor = at + len(sentence)
    return spans


def zh_spans(source: str) -> list[tuple[int, int]]:
    from mtmend.corpus.split import split_zh

    return sentence_spans(source, split_zh)


def en_spans(mt: str) -> list[tuple[int, int]]:
    from mtmend.corpus.split import split_en

    return sentence_spans(mt, split_en)


def regroup(segments: Sequence[Segment], applied: Sequence[Sequence[Edit]], sizes: Sequence[tuple[int, int]]) -> list[Piece]:
    """Regroup consecutive ``segments`` into beads of ``sizes`` ((zh, en) sentence counts).

    ``applied`` holds each segment's applied edits in replay order. Raises InputError for
    sizes that do not add up, ConflictError when an edit crosses a cut or the segments lie
    in different paragraphs.
    """
    if len({s.para for s in segments}) > 1:
        raise ConflictError("these segments lie in different paragraphs: a bead never crosses a paragraph")
    source, mt, edits, first_sep = _joined(segments, applied)
    zh, en = zh_spans(source), en_spans(mt)
    if any(z < 0 or e < 0 for z, e in sizes) or any(z == e == 0 for z, e in sizes):
        raise InputError("every new bead needs at least one sentence")
    if sum(z for z, _ in sizes) != len(zh) or sum(e for _, e in sizes) != len(en):
        raise InputError(f"the new beads must hold all {len(zh)} Chinese and {len(en)} English sentences")
    en_cuts, zh_cuts, zi, ei, zcur = [], [], 0, 0, 0
    for n, (nz, ne) in enumerate(sizes):
        last = n == len(sizes) - 1
        zend = len(source) if last else (zh[zi + nz - 1][1] if nz else zcur)
        zh_cuts.append((zcur, zend))
        zcur = zend
        if ne:
            start = 0 if ei == 0 else en[ei][0]
            end = len(mt) if ei + ne == len(en) else en[ei + ne - 1][1]
            en_cuts.append((n, start, end, first_sep if ei == 0 else mt[en[ei - 1][1] : en[ei][0]]))
        zi, ei = zi + nz, ei + ne
    carried = _distribute(edits, [(start, end) for _, start, end, _ in en_cuts])
    english = {n: (mt[start:end], sep, tuple(own)) for (n, start, end, sep), own in zip(en_cuts, carried, strict=True)}
    beads = _beads(segments, sizes)
    pieces = []
    for n, (z0, z1) in enumerate(zh_cuts):
        piece_mt, sep, own = english.get(n, ("", "", ()))
        pieces.append(Piece(source[z0:z1], piece_mt, edit_ops.replay(piece_mt, own), sep, own, beads[n]))
    return pieces


def _joined(segments: Sequence[Segment], applied: Sequence[Sequence[Edit]]) -> tuple[str, str, list[Edit], str]:
    """One virtual segment: sources and MTs joined (with their separators), edits in one replay chain."""
    source, mt, edits, first_sep = "", "", [], None
    for seg, own in zip(segments, applied, strict=True):
        source += seg.source
        if not seg.mt:
            continue
        joint = "" if first_sep is None else seg.sep
        if first_sep is None:
            first_sep = seg.sep
        offset = len(mt) + len(joint)
        mt += joint + seg.mt
        # Edits replay left to right: the earlier segments' edits all come first, so a later
        # segment's edit lands at its MT offset plus what the earlier edits added.
        shift = offset + sum(_delta(e) for e in edits)
        edits.extend(e.shifted(shift) for e in own)
    return source, mt, edits, first_sep or ""


def _distribute(edits: Sequence[Edit], spans: Sequence[tuple[int, int]]) -> list[list[Edit]]:
    """Each edit to the English piece it lies in, re-based to the piece's start.

    ``spans`` are the pieces' stretches of the joined MT; they move with the edits as the
    chain replays. An edit outside every piece (across a cut, in the space between) refuses.
    """
    live = [list(span) for span in spans]
    out: list[list[Edit]] = [[] for _ in spans]
    for e in edits:
        k = next((k for k, (s, t) in enumerate(live) if s <= e.start and e.end <= t), None)
        if k is None:
            raise ConflictError(f"the edit {e.before!r} → {e.after!r} by {e.author} crosses the cut: "
                                "revert it first, or cut elsewhere")
        out[k].append(e.shifted(-live[k][0]))
        d = _delta(e)
        live[k][1] += d
        for later in live[k + 1 :]:
            later[0] += d
            later[1] += d
    return out


def _delta(e: Edit) -> int:
    return 0 if e.after is None else len(e.after) - len(e.before)


def _beads(segments: Sequence[Segment], sizes: Sequence[tuple[int, int]]) -> list[Bead | None]:
    """The new beads' sentence ids, when every old bead's ids match its sentences (else None)."""
    zh_ids: list[int] = []
    en_ids: list[int] = []
    for seg in segments:
        if seg.bead is None or len(seg.bead.zh) != len(zh_spans(seg.source)) or len(seg.bead.en) != len(en_spans(seg.mt)):
            return [None] * len(sizes)
        zh_ids += seg.bead.zh
        en_ids += seg.bead.en
    out, zi, ei = [], 0, 0
    for nz, ne in sizes:
        out.append(Bead(tuple(zh_ids[zi : zi + nz]), tuple(en_ids[ei : ei + ne])))
        zi, ei = zi + nz, ei + ne
    return out


def status_of(segments: Sequence[Segment]) -> Status:
    """The new segments' status: the least advanced of the old ones (a regrouped bead is re-reviewed)."""
    order = [Status.RAW, Status.AUTO_FIXED, Status.REVIEWED]
    return min((s.status for s in segments), key=order.index)
