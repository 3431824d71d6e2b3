"""Review: what a reviewer's action does — the session decides, the store records.

UI-free and shared by every front end (the full-screen application and ``review
--plain`` in :mod:`mtmend.cli`, which only read keys and draw). One module per concern:

- :mod:`~mtmend.review.session` — :class:`ReviewSession`, one review pass: each
  decision (confirm, accept, reject, hand edit, flag, add a term, undo) is a method
  named after the reviewer's action, committed with its undo record; the
  :class:`~mtmend.corpus.store.Workspace` only records its effects.
- :mod:`~mtmend.review.nav` — the segment list a session walks, filters, counts.
- :mod:`~mtmend.review.view` — what is shown of a segment (diff, inline marks, labels).
- :mod:`~mtmend.review.locks` — review locks and the review pass a session opens and closes.

The public names of all four are importable from here.
"""

from mtmend.review.locks import pid_alive
from mtmend.review.nav import DocCounts, Entry, Filter, FilterKind, first_unreviewed, matches, step
from mtmend.review.session import GLOSSARY_FILE, HAND_EDIT_CATEGORY, Pending, ReviewSession, StaleSegmentError
from mtmend.review.view import Mark, edit_label, inline_marks, locate, target_pieces

__all__ = [
    "GLOSSARY_FILE",
    "HAND_EDIT_CATEGORY",
    "DocCounts",
    "Entry",
    "Filter",
    "FilterKind",
    "Mark",
    "Pending",
    "ReviewSession",
    "StaleSegmentError",
    "edit_label",
    "first_unreviewed",
    "inline_marks",
    "locate",
    "matches",
    "pid_alive",
    "step",
    "target_pieces",
]
