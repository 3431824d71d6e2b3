"""Restoring a full TMX archive into an empty workspace: the history besides the units.

A full export (:mod:`mtmend.tmx.export`) carries, in its header, every pass with its
summary and snapshot (``x-mtmend-pass``) and every review decision (``x-mtmend-review``,
by document and position); each annotation carries its ``seq`` and pass. Imported into a
workspace with no documents and no passes, the archive is *restored*: passes keep their
ids, annotations their numbering and passes, documents their creation dates, and the review
log its decisions — no new pass is added, so exporting the restored workspace gives the same
file apart from the export's timestamp. Into a workspace that already has history, the same
file is an ordinary import (one ``tmx-import`` pass owns what it adds).

Not carried: the undo recipes of review decisions (they name workspace-local ids), so a
restored decision stays in the log and in ``progress`` but undoing it changes nothing;
review locks; and MQM provenance tables (``mtmend mqm export`` is the way to keep those).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mtmend.corpus.model import Pass
from mtmend.corpus.store import ReviewLogEntry, Workspace
from mtmend.tmx import export as keys
from mtmend.tmx import validation
from mtmend.tmx.validation import ArchivedReview, Where


@dataclass(frozen=True, slots=True)
class History:
    """The archived passes and review decisions of a full TMX header, checked."""

    full: bool
    passes: tuple[Pass, ...]
    reviews: tuple[ArchivedReview, ...]


def read_history(props, path: Path) -> History:
    where = Where(path, 1)
    passes, reviews, full = [], [], False
    for prop in props:
        if prop.type == keys.P + "export":
            full = prop.value == "full"
        elif prop.type == keys.PASS:
            passes.append(validation.archived_pass(prop.value, where, keys.PASS + " (header)"))
        elif prop.type == keys.REVIEW:
            reviews.append(validation.archived_review(prop.value, where, keys.REVIEW + " (header)"))
    ids = [p.id for p in passes]
    if len(set(ids)) != len(ids):
        raise where.error(keys.PASS + " (header)", "two passes with the same id")
    known = set(ids)
    for review in reviews:
        if review.pass_id is not None and review.pass_id not in known:
            raise where.error(keys.REVIEW + " (header)", f"decision names pass {review.pass_id}, which the archive lacks")
    return History(full, tuple(passes), tuple(reviews))


def restoring(ws: Workspace, history: History) -> bool:
    """A full archive into a workspace without documents or passes is a restore."""
    return history.full and not ws.documents() and not ws.passes()


def begin(ws: Workspace, history: History) -> None:
    """Insert the archived passes with their ids. Call inside the import's transaction."""
    for archived in sorted(history.passes, key=lambda p: p.id):
        ws.restore_pass(archived)


def check_pass(history: History, pass_id: int | None, where: Where) -> int | None:
    if pass_id is not None and pass_id not in {p.id for p in history.passes}:
        raise where.error(keys.ANNOTATION, f"'pass' {pass_id} is not a pass of this archive")
    return pass_id


def finish(ws: Workspace, history: History, path: Path) -> None:
    """Insert the archived review decisions, now that their segments exist."""
    positions: dict[str, dict[int, int]] = {}
    for review in history.reviews:
        if review.document not in positions:
            doc = ws.find_document(review.document)
            positions[review.document] = {} if doc is None else {s.position: s.id for s in ws.segments(doc.id)}
        segment_id = positions[review.document].get(review.position)
        if segment_id is None:
            raise Where(path, 1).error(keys.REVIEW + " (header)", f"decision on {review.document!r} position "
                                       f"{review.position}, a segment the archive does not have")
        doc_id = ws.segment(segment_id).doc_id
        ws.restore_review_entry(ReviewLogEntry(0, review.pass_id, doc_id, segment_id, review.action, review.reviewer,
                                               review.created, "[]", review.undone))
