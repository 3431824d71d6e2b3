"""Who reviews what: review locks and the review pass a session opens and closes.

One person reviews a document at a time. A session locks its documents in the same
transaction that begins its review pass; a lock left by a dead process on this host is
taken over, one held on another host only when asked (its process cannot be checked),
and passes of killed sessions are finished on the next start so that every pass ends
with a summary. Used by :class:`mtmend.review.session.ReviewSession`.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence

from mtmend.corpus import progress
from mtmend.corpus.errors import ConflictError
from mtmend.corpus.model import Document
from mtmend.corpus.processes import pid_alive  # noqa: F401  (re-exported for the review package)
from mtmend.corpus.store import ReviewLock, Workspace, now


def begin_review(
    ws: Workspace, docs: Sequence[Document], reviewer: str, *, named: bool, take_over: bool
) -> tuple[list[Document], list[ReviewLock], list[Document], int]:
    """Lock what is free of ``docs`` and begin a review pass, in one transaction.

    Returns the documents locked, their locks, the documents left out (under review
    elsewhere) and the pass id. A busy document raises :class:`ConflictError` when the
    documents were ``named``, or when none is free.
    """
    host, pid = socket.gethostname(), os.getpid()
    with ws.transaction():
        abandoned = _close_abandoned_passes(ws, host)
        free, busy = [], []
        for doc in docs:
            held = ws.review_lock(doc.id)
            if held is None or _stale(held, host, take_over) or (held.pid, held.host) == (pid, host):
                free.append(doc)
            else:
                busy.append((doc, held))
        if busy and (named or not free):
            doc, held = busy[0]
            raise ConflictError(
                f"document {doc.name!r} is being reviewed by {held.holder} (pid {held.pid} on "
                f"{held.host} since {held.since}): review another document, or wait"
                + ("" if held.host == host else "; --take-over takes a lock left on another host")
            )
        since = now()
        locks = [ReviewLock(d.id, reviewer, pid, host, since) for d in free]
        for lock in locks:
            ws.set_review_lock(lock)
        detail = f"reviewer={reviewer} pid={pid} host={host} documents={','.join(d.name for d in free)}"
        pass_id = progress.begin_pass(ws, "review", detail)
    progress.record_snapshot(ws, abandoned)
    return free, locks, [doc for doc, _ in busy], pass_id


def end_review(ws: Workspace, pass_id: int, reviewer: str, locks: Sequence[ReviewLock]) -> dict:
    """Finish the pass and release the locks, then add the snapshot; returns the summary.

    A session that decided nothing (no decision, no undo) leaves no pass behind.
    """
    with ws.transaction():
        summary = {"reviewer": reviewer, "decisions": ws.review_counts(pass_id)}
        acted = ws.review_acted(pass_id)
        if acted:
            progress.close_pass(ws, pass_id, summary)
        else:
            progress.discard_pass(ws, pass_id)
        for lock in locks:
            ws.release_review_lock(lock)
    if acted:
        progress.record_snapshot(ws, [pass_id])
    return summary


def _stale(lock: ReviewLock, host: str, take_over: bool) -> bool:
    """Whether a lock may be taken: its process is dead, or it is on another host and ``take_over``."""
    if lock.host != host:
        return take_over
    return not pid_alive(lock.pid)


def _close_abandoned_passes(ws: Workspace, host: str) -> list[int]:
    """Finish review passes of sessions killed on this host, so every pass ends with a summary.

    Returns their ids: their snapshot is taken after the transaction."""
    closed = []
    for p in ws.passes():
        if p.kind != "review" or p.finished is not None:
            continue
        fields = dict(part.partition("=")[::2] for part in p.detail.split())
        if fields.get("host") != host or not fields.get("pid", "").isdigit():
            continue
        pid = int(fields["pid"])
        if pid != os.getpid() and not pid_alive(pid):
            summary = {"reviewer": fields.get("reviewer", ""), "decisions": ws.review_counts(p.id), "interrupted": True}
            progress.close_pass(ws, p.id, summary)
            closed.append(p.id)
    return closed
