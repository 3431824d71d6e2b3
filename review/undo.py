"""Undo recipes: the JSON steps a review decision records to reverse itself.

Each decision of :class:`~mtmend.review.session.ReviewSession` stores, in the same
transaction, a list of steps: put an annotation back in a state, set a segment's status
back, or (for an alignment repair) retire the new segments and revive the old ones.
Stored in the workspace, so undo works across sessions and after a kill.
"""

from __future__ import annotations

from collections.abc import Iterable

from mtmend.corpus.model import Annotation, EditState, Severity, Status
from mtmend.corpus.store import Workspace


def restore(ann: Annotation) -> dict:
    """The step that puts an annotation back in the state it has now (a flag: and on its span)."""
    step = {"op": "restore", "id": ann.id, "state": ann.state.value}
    if ann.edit.is_flag:  # a whole-target flag follows an edited target
        step["span"] = [ann.edit.start, ann.edit.end, ann.edit.before]
    return step


def retract(annotation_id: int) -> dict:
    """The step that withdraws an annotation the decision made."""
    return {"op": "restore", "id": annotation_id, "state": EditState.REVERTED.value}


def recategorised(ann: Annotation) -> dict:
    """The step that gives an annotation back its category and severity."""
    return {"op": "category", "id": ann.id, "category": ann.edit.category, "severity": ann.edit.severity.value}


def segments_of(ws: Workspace, steps: Iterable[dict]) -> list[int]:
    """The segments whose texts or annotations a recipe touches (not alignment repairs)."""
    out = []
    for s in steps:
        if s["op"] == "realign":
            continue
        out.append(s["segment"] if "segment" in s else ws.annotation(s["id"]).segment_id)
    return out


def run_step(ws: Workspace, step: dict) -> None:
    """Carry out one step of a recipe. Call inside a transaction."""
    if step["op"] == "realign":
        ws.retire_segments(step["retire"])
        ws.revive_segments([(sid, position) for sid, position in step["revive"]])
        return
    if step["op"] == "category":
        ws.recategorise(step["id"], step["category"], Severity(step["severity"]))
        return
    if step["op"] == "status":
        ws.set_status(step["segment"], Status(step["status"]))
        return
    ann = ws.annotation(step["id"])
    if "span" in step and [ann.edit.start, ann.edit.end, ann.edit.before] != step["span"]:
        ws.move_flag(ann.id, *step["span"])
    state = EditState(step["state"])
    if ann.state is state:
        return
    if state is EditState.APPLIED:
        ws.accept(ann.id)
    else:
        ws.revert(ann.id, to=state)  # reverts the text when the edit is applied
