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
    ratings = (
        (None, seg_id, author if doc_id in systems else "", weights.weight(mqm_note(note).get("severity", sev), cat))
        for seg_id, doc_id, author, cat, sev, note, state, after in ws.rating_rows(ids)
        if not (remaining and (state == "resolved" or (state == "applied" and after is not None)))
    )
    return mqm.aggregate(ratings, units)
