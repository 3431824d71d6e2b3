"""MQM scores of the workspace's annotations.

In documents imported from an MQM file each rater is a rater, as in the file; elsewhere
all annotations of a segment (rules and reviewers) form one rating, since they are one
evaluation of the same text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from mtmend.corpus import mqm
from mtmend.corpus.errors import InputError
from mtmend.corpus.store import Workspace

WORKSPACE_SYSTEM = "mt"  # the "system" column for documents not imported from an MQM file


def mqm_note(note: str) -> dict:
    """What an imported MQM row kept in its annotation's ``note`` (see :mod:`.mqm_workspace`)."""
    if note.startswith('{"mqm"'):
        try:
            return json.loads(note)["mqm"]
        except (ValueError, KeyError):
            return {}
    return {}


def workspace_scores(
    ws: Workspace, documents: Sequence, weights: mqm.Profile, *, by: str = "document", remaining: bool = False
) -> list[mqm.MqmScore]:
    """MQM per document (or per system) from the workspace's annotations.

    Counts applied and open annotations — every error found in the raw MT — or, with
    ``remaining``, only those still in the current target (open suggestions and flags).
    Rejected and reverted annotations never count.
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
    return mqm.aggregate_sums(_rating_sums(ws, ids, systems, weights, (remaining,)), units)[0]


def found_and_remaining(ws: Workspace, documents: Sequence, weights: mqm.Profile) -> tuple[list, list]:
    """:func:`workspace_scores` per document, without and with ``remaining``, reading the workspace once."""
    ids = [d.id for d in documents]
    if not ids:
        return [], []
    systems = {doc_id for doc_id in ws.mqm_documents(ids)}
    names = {d.id: d.name for d in documents}
    units = ((names[doc_id], seg_id, len(mt.split())) for seg_id, doc_id, mt in ws.segment_mts(ids))
    found, remaining = mqm.aggregate_sums(_rating_sums(ws, ids, systems, weights, (False, True)), units)
    return found, remaining


def _rating_sums(ws: Workspace, ids: list[int], systems, weights: mqm.Profile, remaining: tuple[bool, ...]) -> list[dict]:
    """Per ``remaining`` flag, :func:`mqm.rater_sums` of the documents' ratings (one read of them)."""
    sums: list[dict] = [{} for _ in remaining]
    for seg_id, doc_id, author, cat, sev, note, state, after in ws.rating_rows(ids):
        rating = (None, seg_id, author if doc_id in systems else "", weights.weight(mqm_note(note).get("severity", sev), cat))
        gone = state == "resolved" or (state == "applied" and after is not None)
        for flag, out in zip(remaining, sums, strict=True):
            if not (flag and gone):
                mqm.add_rating(out, rating)
    return sums
