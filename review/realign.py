"""What an alignment repair decided in review does: the pieces and what they carry.

Splitting a segment, merging it with the next and moving a sentence to a neighbour all
regroup the sentences of consecutive segments (:func:`mtmend.corpus.realign.regroup`).
Here the old segments' annotations follow their text: applied edits move with the
sentence they changed, open suggestions and live flags with the text they point at;
alignment issues are worked out again for each new bead (an isolated Chinese sentence
without English becomes an open Accuracy/Omission). The undo step revives the old
segments and retires the pieces. Used by :class:`~mtmend.review.session.ReviewSession`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from mtmend.corpus import issues
from mtmend.corpus import realign as regrouping
from mtmend.corpus.edits import locate
from mtmend.corpus.errors import ConflictError, InputError, NotFoundError
from mtmend.corpus.model import Annotation, Edit, EditState, Segment, Status
from mtmend.corpus.store import NewPiece, Workspace
from mtmend.review.nav import DocCounts, Entry

_REALIGNED = (issues.ALIGNMENT, issues.OMISSION_CHECK)  # worked out again for the new beads


def sentence_counts(seg: Segment) -> tuple[int, int]:
    """How many Chinese and English (raw MT) sentences a segment holds."""
    return len(regrouping.zh_spans(seg.source)), len(regrouping.en_spans(seg.mt))


def split_sizes(seg: Segment, zh: int, en: int) -> list[tuple[int, int]]:
    """The two beads of a split keeping ``zh`` Chinese and ``en`` English sentences first."""
    nz, ne = sentence_counts(seg)
    if not (0 <= zh <= nz and 0 <= en <= ne) or (zh, en) in ((0, 0), (nz, ne)):
        raise InputError(f"cannot split at {zh}:{en}: the segment has {nz} Chinese and {ne} English "
                         f"sentence(s); keep 0–{nz} Chinese and 0–{ne} English in the first part, not all or none")
    return [(zh, en), (nz - zh, ne - en)]


def move_sizes(first: Segment, second: Segment, side: str, forward: bool) -> list[tuple[int, int]]:
    """Sizes after moving one sentence of ``side`` ('zh' or 'en') across the boundary of two beads."""
    (za, ea), (zb, eb) = sentence_counts(first), sentence_counts(second)
    dz, de = (1, 0) if side == "zh" else (0, 1)
    sizes = [(za - dz, ea - de), (zb + dz, eb + de)] if forward else [(za + dz, ea + de), (zb - dz, eb - de)]
    if any(z < 0 or e < 0 for z, e in sizes) or any(z == e == 0 for z, e in sizes):
        raise InputError("no sentence to move there (a bead keeps at least one sentence)")
    return sizes


def regroup(ws: Workspace, segs: Sequence[Segment], sizes: Sequence[tuple[int, int]], pass_id: int) -> tuple[list[int], dict]:
    """Replace ``segs`` by beads of ``sizes``; returns the new ids and the undo step. Call in a transaction."""
    anns = [ws.annotations(s.id) for s in segs]
    applied = [[a.edit for a in own if a.state is EditState.APPLIED and not a.edit.is_flag] for own in anns]
    pieces = regrouping.regroup(segs, applied, sizes)
    status = regrouping.status_of(segs)
    carried = _carry([a for own in anns for a in own], segs, pieces)
    new = [
        NewPiece(p.source, p.mt, p.target, p.sep, None if p.bead is None else str(p.bead), status,
                 tuple((e, EditState.APPLIED, "") for e in p.edits) + tuple(carried[k])
                 + tuple((e, EditState.SUGGESTED, "") for e in issues.side_issues(p.source, p.mt)))
        for k, p in enumerate(pieces)
    ]
    ids = ws.replace_segments(segs, new, pass_id)
    undo = {"op": "realign", "retire": ids, "revive": [[s.id, s.position] for s in segs]}
    return ids, undo


def _carry(anns: Sequence[Annotation], segs: Sequence[Segment], pieces) -> list[list[tuple[Edit, EditState, str]]]:
    """Open suggestions and live flags, each to the piece whose target holds its text."""
    # Where each old target starts in the joined target, and where each piece's does.
    old_at, at = {}, 0
    for seg in segs:
        if seg.mt:
            at += len(seg.sep) if old_at else 0
            old_at[seg.id] = at
            at += len(seg.target)
    starts, at, first = [], 0, True
    for p in pieces:
        if p.mt:
            at += 0 if first else len(p.sep)
            first = False
        starts.append(at)
        at += len(p.target)
    out: list[list[tuple[Edit, EditState, str]]] = [[] for _ in pieces]
    targets = {s.id: s.target for s in segs}
    for ann in anns:
        live = ann.state is EditState.SUGGESTED or (ann.state is EditState.APPLIED and ann.edit.is_flag)
        if not live or ann.edit.author in _REALIGNED or ann.segment_id not in old_at:
            continue
        span = locate(targets[ann.segment_id], ann.edit)
        if span is None or span[0] == span[1]:
            continue  # stale or empty: stays with the old segment's history
        begin, end = old_at[ann.segment_id] + span[0], old_at[ann.segment_id] + span[1]
        k = next((k for k, p in enumerate(pieces) if p.mt and starts[k] <= begin and end <= starts[k] + len(p.target)),
                 None)
        if k is not None:
            out[k].append((ann.edit.shifted(begin - starts[k] - ann.edit.start), ann.state, ann.comment))
    return out


class AlignmentRepair:
    """The alignment-repair decisions of a review session (mixed into ``ReviewSession``).

    Each is one transaction with its undo record; navigation entries are spliced, not
    reloaded, so a repair costs the same on 100,000 segments as on 100.
    """

    def split(self, segment_id: int, zh: int, en: int) -> list[int]:
        """Split a segment after its first ``zh`` Chinese and ``en`` English sentences; the new ids.

        Either count may be 0 (a part with one side empty: an omission or an addition made
        visible, flagged as an open issue). Applied edits and open issues follow their text.
        """
        seg = self.ws.segment(segment_id)
        return self._regroup([seg], split_sizes(seg, zh, en), "split")

    def merge(self, segment_id: int) -> int:
        """Merge a segment with the next one of its document into one bead; the new id."""
        i = self._index(segment_id)
        segs = [self.ws.segment(segment_id), self.segment_at(neighbours(self.entries, i))]
        counts = [sentence_counts(s) for s in segs]
        return self._regroup(segs, [(sum(z for z, _ in counts), sum(e for _, e in counts))], "merge")[0]

    def move_sentence(self, segment_id: int, side: str, forward: bool) -> list[int]:
        """Move the last sentence of ``side`` ('zh'/'en') to the next bead (``forward``), or the
        first sentence of the next bead's ``side`` back to this one; the new ids."""
        i = self._index(segment_id)
        segs = [self.ws.segment(segment_id), self.segment_at(neighbours(self.entries, i))]
        return self._regroup(segs, move_sizes(segs[0], segs[1], side, forward), "move")

    def _index(self, segment_id: int) -> int:
        i = self.index_of(segment_id)
        if i is None:
            raise NotFoundError(f"segment {segment_id} is not in this review (retired by an alignment repair?)")
        return i

    def _regroup(self, segs: list[Segment], sizes: list[tuple[int, int]], action: str) -> list[int]:
        """One alignment repair and its undo record, in one transaction; navigation follows."""
        self._index(segs[0].id)
        with self.ws.transaction():
            segs = [self.ws.segment(s.id) for s in segs]
            ids, step = regroup(self.ws, segs, sizes, self.pass_id)
            self.ws.log_review(self.pass_id, segs[0].doc_id, segs[0].id, action, self.reviewer, json.dumps([step]))
        self._splice([s.id for s in segs], ids)
        return ids

    def _splice(self, old: list[int], new: list[int]) -> None:
        """Navigation after a repair: the entries of ``old`` replaced by those of ``new``."""
        i = self.index_of(old[0])
        doc = self.entries[i].doc
        fresh = []
        for sid in new:
            seg = self.ws.segment(sid)
            fresh.append(Entry(sid, doc, seg.position, seg.status, len(self.pending(sid))))
        gone = self.entries[i : i + len(old)]
        self.entries[i : i + len(old)] = fresh
        for sid in old:
            self._where.pop(sid, None)
            self._born.pop(sid, None)
        self._shifts.append((i, len(gone), len(fresh) - len(gone)))
        for figures in self._quality.values():
            figures.update([*old, *new])
        for k, sid in enumerate(new):
            self._where[sid], self._born[sid] = i + k, len(self._shifts)
        for later in range(doc + 1, len(self.starts)):
            self.starts[later] += len(fresh) - len(gone)
        c = self.counts[doc]
        self.counts[doc] = DocCounts(
            c.segments + len(fresh) - len(gone),
            c.reviewed + sum(e.status is Status.REVIEWED for e in fresh) - sum(e.status is Status.REVIEWED for e in gone),
            c.open_issues + sum(e.open_issues for e in fresh) - sum(e.open_issues for e in gone),
        )


def neighbours(entries, index: int) -> int:
    """The index of the next segment of the same document (ConflictError: none)."""
    if index + 1 >= len(entries) or entries[index + 1].doc != entries[index].doc:
        raise ConflictError("this is the last segment of its document: nothing to merge it with")
    return index + 1
