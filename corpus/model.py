"""The types that cross layers: documents, segments, beads, edits, passes.

Every concept that travels between ``corpus``, ``cleaner``, ``tmx`` and ``cli`` is one
frozen dataclass or enum defined here, so no layer passes dicts of strings to another.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a pass holds a snapshot; the snapshot module needs nothing from here
    from mtmend.corpus.snapshot import Snapshot


class Status(enum.StrEnum):
    """Where a segment stands in the post-editing workflow."""

    RAW = "raw"  # the machine translation as imported, untouched
    AUTO_FIXED = "auto_fixed"  # changed by rules only
    REVIEWED = "reviewed"  # confirmed by a person


class Severity(enum.StrEnum):
    """MQM severity levels (MQM Core names)."""

    NEUTRAL = "Neutral"
    MINOR = "Minor"
    MAJOR = "Major"
    CRITICAL = "Critical"

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Case-insensitive lookup; raises ``ValueError`` naming the valid levels."""
        for member in cls:
            if member.value.lower() == text.strip().lower():
                return member
        valid = ", ".join(m.value for m in cls)
        raise ValueError(f"unknown severity {text!r} (expected one of {valid})")


class EditState(enum.StrEnum):
    """What happened to a proposed edit."""

    APPLIED = "applied"  # part of the current target
    SUGGESTED = "suggested"  # proposed, waiting for a person
    REJECTED = "rejected"  # a person said no
    REVERTED = "reverted"  # was applied, later undone
    RESOLVED = "resolved"  # settled by other edits: the flagged text is gone, the change already made


class AuthorKind(enum.StrEnum):
    RULE = "rule"
    PERSON = "person"
    IMPORT = "import"  # e.g. work done in a CAT tool, brought back by TMX import


_ONE_TO_ONE = re.compile(r"\[(\d+)\]:\[(\d+)\]")


@dataclass(frozen=True, slots=True)
class Bead:
    """One alignment unit: Chinese sentence ids and English sentence ids (0-based).

    Either side may be empty (a 1-0 or 0-1 bead).
    """

    zh: tuple[int, ...]
    en: tuple[int, ...]

    def __str__(self) -> str:
        """The field's standard notation, e.g. ``[3]:[3,4]``."""
        return f"[{','.join(map(str, self.zh))}]:[{','.join(map(str, self.en))}]"

    @classmethod
    def parse(cls, text: str) -> Bead:
        one = _ONE_TO_ONE.fullmatch(text)
        if one:  # most beads: read for every segment a command loads
            return cls((int(one[1]),), (int(one[2]),))
        left, sep, right = text.strip().partition(":")
        if not sep or not (left.startswith("[") and left.endswith("]")):
            raise ValueError(f"not a bead: {text!r}")
        if not (right.startswith("[") and right.endswith("]")):
            raise ValueError(f"not a bead: {text!r}")

        def ids(part: str) -> tuple[int, ...]:
            inner = part[1:-1].strip()
            return tuple(int(x) for x in inner.split(",")) if inner else ()

        return cls(ids(left), ids(right))


@dataclass(frozen=True, slots=True)
class Edit:
    """A proposed change to a text: replace ``text[start:end]`` (== ``before``) by ``after``.

    ``after`` is ``None`` for a flag that proposes no replacement (a check that only
    reports). ``author`` is a rule id or a person's name; ``auto`` says whether the
    engine may apply it without asking.
    """

    start: int
    end: int
    before: str
    after: str | None
    author: str
    category: str
    severity: Severity
    auto: bool = True
    note: str = ""
    author_kind: AuthorKind = AuthorKind.RULE

    @property
    def is_flag(self) -> bool:
        return self.after is None

    def shifted(self, delta: int) -> Edit:
        return replace(self, start=self.start + delta, end=self.end + delta)


@dataclass(frozen=True, slots=True)
class Document:
    id: int
    name: str
    source_lang: str
    target_lang: str
    created: str  # ISO 8601 UTC
    fingerprint: str  # sha256 of the imported source+MT, for idempotent import


@dataclass(frozen=True, slots=True)
class Segment:
    """One aligned zh–en unit of a document.

    ``mt`` is the raw machine translation and never changes after import; ``target`` is
    ``mt`` with the applied annotations replayed. ``para`` is the paragraph index in the
    original article and ``sep`` the whitespace that preceded the segment inside its
    paragraph, so an export restores the article's layout exactly.
    """

    id: int
    doc_id: int
    position: int
    para: int
    source: str
    mt: str
    target: str
    status: Status
    bead: Bead | None = None
    reference: str | None = None
    sep: str = ""  # the original text between the previous segment and this one
    version: int = 0  # bumped by the store on every change of target or status


@dataclass(frozen=True, slots=True)
class Annotation:
    """An :class:`Edit` as stored: tied to a segment, with its state and history."""

    id: int
    segment_id: int
    seq: int  # order of application within the segment
    edit: Edit
    state: EditState
    created: str
    pass_id: int | None = None
    comment: str = ""


@dataclass(frozen=True, slots=True)
class Pass:
    """One run over the workspace (clean, review, TMX import, score) and its summary."""

    id: int
    kind: str
    started: str
    finished: str | None
    detail: str = ""  # what ran: command line, ruleset signature
    summary: dict = field(default_factory=dict)  # JSON-able figures, with the snapshot's JSON form
    snapshot: Snapshot | None = None  # where the workspace stood when the pass ended


# MQM categories offered by rules and reviewers: the MQM Core dimensions, with the
# `Fluency/…` names used in Google's professional MQM data (so scores line up with it).
MQM_CATEGORIES: tuple[str, ...] = (
    "Accuracy/Mistranslation",
    "Accuracy/Addition",
    "Accuracy/Omission",
    "Accuracy/Untranslated text",
    "Accuracy/Do not translate",
    "Fluency/Grammar",
    "Fluency/Punctuation",
    "Fluency/Spelling",
    "Fluency/Inconsistency",
    "Fluency/Character encoding",
    "Fluency/Register",
    "Terminology/Wrong term",
    "Terminology/Inconsistent use of terminology",
    "Style/Awkward",
    "Locale convention/Number format",
    "Locale convention/Date format",
    "Design and markup/Boilerplate",
    "Design and markup/Markup",
    "Non-translation!",
    "Source error",
    "Other",
)
