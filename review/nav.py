"""Review navigation: the segment list a session walks, its filters and its counts.

Plain values and pure functions, kept apart from the decisions of
:mod:`mtmend.review.session` so that the UIs' moving about (next segment, next open
issue, a filter by rule or category, where a reopened session resumes) can be read and
tested without a workspace.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mtmend.corpus.model import Status


class FilterKind(enum.StrEnum):
    ALL = "all"
    OPEN = "open"  # segments with suggestions waiting for a decision
    UNREVIEWED = "unreviewed"
    RULE = "rule"  # segments with an annotation by this author (rule id or person)
    CATEGORY = "category"  # segments with an annotation in this MQM category


@dataclass(frozen=True, slots=True)
class Filter:
    """Which segments navigation visits; ``value`` names the author or category.

    >>> str(Filter(FilterKind.RULE, "terminology"))
    'rule:terminology'
    """

    kind: FilterKind = FilterKind.ALL
    value: str = ""

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.value}" if self.value else self.kind.value


@dataclass(frozen=True, slots=True)
class Entry:
    """A segment as review navigation sees it: where it is and how far it got."""

    segment_id: int
    doc: int  # index into ReviewSession.documents
    position: int
    status: Status
    open_issues: int


@dataclass(frozen=True, slots=True)
class DocCounts:
    """A document's progress as the status line shows it."""

    segments: int
    reviewed: int
    open_issues: int


def matches(entry: Entry, flt: Filter, annotated: frozenset[int] = frozenset()) -> bool:
    """Whether a segment passes the filter (``annotated``: ids for RULE/CATEGORY filters)."""
    if flt.kind is FilterKind.OPEN:
        return entry.open_issues > 0
    if flt.kind is FilterKind.UNREVIEWED:
        return entry.status is not Status.REVIEWED
    if flt.kind in (FilterKind.RULE, FilterKind.CATEGORY):
        return entry.segment_id in annotated
    return True


def step(entries: Sequence[Entry], index: int, direction: int, accept: Callable[[Entry], bool]) -> int | None:
    """The nearest index after (``direction=1``) or before (``-1``) ``index`` whose entry passes."""
    i = index + direction
    while 0 <= i < len(entries):
        if accept(entries[i]):
            return i
        i += direction
    return None


def first_unreviewed(entries: Sequence[Entry]) -> int:
    """Where a reopened session resumes: the first segment not yet reviewed (else the first)."""
    return next((i for i, e in enumerate(entries) if e.status is not Status.REVIEWED), 0)
